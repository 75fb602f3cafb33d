#![deny(warnings)]
use distaudit::coordination;
use std::time::Instant;

pub struct Heartbeat {
    pub sent_at: Instant,
}

#[coordination(pattern = "failure-detection", cite = "hayashibara-2004")]
pub fn is_late(hb: &Heartbeat) -> bool {
    Instant::now() > hb.sent_at
}

fn main() {}
