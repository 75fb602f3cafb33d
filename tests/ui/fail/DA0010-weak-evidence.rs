#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "fencing", cite = "kleppmann-2016")]
fn validate(fence: u64, current: u64) -> bool {
    fence >= current
}

fn main() {
    let _ = validate(1, 0);
}
