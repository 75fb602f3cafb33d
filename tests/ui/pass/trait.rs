#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "lease", pattern = "fencing", cite = "burrows-2006")]
pub trait LeaseTable {
    fn acquire(&mut self, now: u64) -> Option<u64>;
    fn renew(&mut self, now: u64, fence: u64) -> bool {
        let _ = now;
        fence > 0
    }
}

fn main() {}
