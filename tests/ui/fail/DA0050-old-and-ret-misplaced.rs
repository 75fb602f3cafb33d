//! `old(..)` is read by checks made on exit; `ret` exists only on exit; a type invariant
//! has neither.
use distaudit::coordination;

pub struct Lease {
    pub fence: u64,
}

impl Lease {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   requires = "ret > 0",
                   invariant(monotonic = "old(self.fence)"),
                   ensures(holds = "old(ret) < ret"))]
    pub fn grant(&mut self) -> u64 {
        self.fence += 1;
        self.fence
    }
}

#[coordination(pattern = "shard", cite = "chang-2006",
               invariant(monotonic = "self.start"))]
pub struct Span {
    pub start: Vec<u8>,
    pub end: Vec<u8>,
}

fn main() {}
