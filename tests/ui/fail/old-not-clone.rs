//! `old(..)` needs an owned copy on entry: a value that is not `Clone` is named, with the fix.
use distaudit::coordination;

pub struct Epoch(u64);

pub struct Lease {
    pub epoch: Epoch,
}

impl Lease {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(strictly_increasing = "self.epoch.0"),
                   ensures(holds = "old(self.epoch).0 < self.epoch.0"))]
    pub fn bump(&mut self) -> Option<u64> {
        self.epoch.0 += 1;
        Some(self.epoch.0)
    }
}

fn main() {}
