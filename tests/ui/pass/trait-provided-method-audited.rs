//! A provided method of an audited trait declares the patterns it follows; it acts on
//! state only through the required methods, so the fencing rule asks their impls, not it,
//! for the epoch check (issue 21, the replica's W4).
#![deny(warnings)]
use distaudit::coordination;

#[distaudit::audit]
pub trait Claiming {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   ensures(holds = "ret > old(self.current())"))]
    fn grant(&mut self) -> u64;

    fn current(&self) -> u64;

    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    fn claim(&mut self) -> u64
    where
        Self: Sized,
    {
        self.grant()
    }
}

pub struct Memory {
    fence: u64,
}

#[distaudit::audit]
impl Claiming for Memory {
    fn grant(&mut self) -> u64 {
        self.fence += 1;
        self.fence
    }

    fn current(&self) -> u64 {
        self.fence
    }
}

fn main() {
    let mut m = Memory { fence: 0 };
    assert_eq!(m.claim(), 1);
}
