#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "retry", cite = "brooker-2015", cite = "bacon-2017")]
pub mod backoff {
    pub fn delay_ms(attempt: u32) -> u64 {
        100u64.saturating_mul(1 << attempt.min(10))
    }
}

fn main() {
    assert_eq!(backoff::delay_ms(1), 200);
}
