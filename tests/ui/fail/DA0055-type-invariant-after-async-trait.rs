//! A type with invariants whose `&mut self` method `#[async_trait]` rewrote before
//! `#[distaudit::audit]` saw it: the invariants cannot be checked after that method, and the
//! user is told so (a WARN, denied here to show it), never silently. A type without
//! invariants in the same position gets nothing.
#![deny(deprecated)]
use distaudit::coordination;

#[distaudit::audit]
#[async_trait::async_trait]
pub trait Backend: Send {
    async fn grant(&mut self) -> u64;
}

#[coordination(pattern = "fencing", cite = "burrows-2006",
               invariant(holds = "self.epoch < 1_000"))]
pub struct Fence {
    pub epoch: u64,
}

#[async_trait::async_trait]
#[distaudit::audit]
impl Backend for Fence {
    async fn grant(&mut self) -> u64 {
        self.epoch += 1;
        self.epoch
    }
}

pub struct Plain {
    pub epoch: u64,
}

#[async_trait::async_trait]
#[distaudit::audit]
impl Backend for Plain {
    async fn grant(&mut self) -> u64 {
        self.epoch += 1;
        self.epoch
    }
}

fn main() {}
