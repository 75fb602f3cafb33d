#![deny(warnings)]
use distaudit::coordination;

pub trait Coordinator {
    fn fence(&self) -> u64;

    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    fn is_stale(&self, presented: u64) -> bool {
        presented < self.fence()
    }
}

struct C;
impl Coordinator for C {
    fn fence(&self) -> u64 {
        3
    }
}

fn main() {
    assert!(C.is_stale(2));
}
