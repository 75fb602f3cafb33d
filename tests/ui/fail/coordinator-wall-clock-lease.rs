//! The example's lease expiry decided by the wall clock instead of `now: LogicalTime`.
use distaudit::coordination;
use std::time::{Duration, SystemTime};

pub struct Lease {
    pub granted_at: SystemTime,
    pub ttl: Duration,
}

impl Lease {
    #[coordination(pattern = "lease", pattern = "failure-detection", cite = "gray-cheriton-1989", cite = "hayashibara-2004")]
    pub fn is_live(&self) -> bool {
        SystemTime::now()
            .duration_since(self.granted_at)
            .is_ok_and(|held| held < self.ttl)
    }
}

fn main() {}
