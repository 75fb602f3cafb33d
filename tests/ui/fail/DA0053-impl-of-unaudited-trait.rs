//! A team annotates the impl before the trait: there is no contract to hand over, and the
//! build says so in distaudit's words, naming the fix (issue 21).

use distaudit::coordination;

pub trait Backend {
    fn renew(&mut self, fence: u64) -> Result<u64, ()>;
}

pub struct Memory {
    fence: u64,
}

#[distaudit::audit]
impl Backend for Memory {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "self.fence"))]
    fn renew(&mut self, fence: u64) -> Result<u64, ()> {
        if fence < self.fence {
            return Err(());
        }
        self.fence = fence;
        Ok(self.fence)
    }
}

fn main() {}
