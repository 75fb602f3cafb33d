use distaudit::coordination;
use std::time::{Duration, Instant};

pub struct Lease {
    pub deadline: Instant,
}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
pub fn is_expired(lease: &Lease) -> bool {
    Instant::now() >= lease.deadline + Duration::from_secs(0)
}

fn main() {}
