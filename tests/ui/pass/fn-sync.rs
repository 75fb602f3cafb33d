#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989", implements = "D2.2")]
pub fn lease_deadline(now: u64, ttl: u64) -> u64 {
    now.saturating_add(ttl)
}

fn main() {
    assert_eq!(lease_deadline(1, 2), 3);
}
