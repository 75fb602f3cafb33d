//! `test(..)` on the audit of a trait: a state-machine test needs one impl's methods on one
//! receiver.

#[distaudit::audit(test(init = "Fence::default()"))]
pub trait Issue {
    fn issue(&mut self) -> u64;
}

fn main() {}
