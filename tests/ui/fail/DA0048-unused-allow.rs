#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "retry", cite = "bacon-2017", allow(unbounded_queue = "the queue is drained on the same thread"))]
pub fn forward(unit: u64) -> u64 {
    unit
}

fn main() {}
