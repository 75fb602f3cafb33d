#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "idempotency", cite = "kafka-kip-98", invariant(holds = "ret >= op"))]
pub async fn record(op: u64) -> u64 {
    op + 1
}

fn main() {
    let _future = record(1);
}
