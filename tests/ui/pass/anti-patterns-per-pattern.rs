//! Which anti-patterns an item is checked for comes from the registry's list for its
//! patterns: a retry loop may read a clock for its deadline (`retry` does not list
//! `wall_clock`), while a lease may not decide with one (see DA0045).
use distaudit::coordination;
use std::time::{Duration, Instant};

#[coordination(pattern = "retry", cite = "bacon-2017")]
pub fn retry_until<T>(budget: Duration, mut attempt: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + budget;
    loop {
        if let Some(v) = attempt() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
    }
}

fn main() {
    assert_eq!(retry_until(Duration::from_millis(1), || Some(3)), Some(3));
}
