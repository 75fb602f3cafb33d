//! A trait's checks are written once, on the trait, and woven into every impl; the trait
//! stays dyn-compatible, and its docs stay on the impl's methods.
#![deny(warnings)]
use distaudit::coordination;

pub mod backend {
    use distaudit::coordination;

    #[distaudit::audit]
    pub trait Backend {
        /// Grant a lease with a new, larger fence.
        #[coordination(pattern = "fencing", cite = "burrows-2006",
                       requires = "now > 0",
                       invariant(monotonic = "self.fence()"),
                       ensures(holds = "ret > old(self.fence())"))]
        fn acquire(&mut self, now: u64) -> Result<u64, ()>;

        fn fence(&self) -> u64;
    }
}

use backend::Backend;

pub struct Memory {
    fence: u64,
}

#[distaudit::audit]
impl Backend for Memory {
    fn acquire(&mut self, now: u64) -> Result<u64, ()> {
        let _ = now;
        self.fence += 1;
        Ok(self.fence)
    }

    fn fence(&self) -> u64 {
        self.fence
    }
}

pub struct Logged {
    inner: Memory,
    calls: u64,
}

/// An impl with a check of its own keeps it, beside the inherited ones.
#[distaudit::audit]
impl backend::Backend for Logged {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "self.calls"))]
    fn acquire(&mut self, now: u64) -> Result<u64, ()> {
        self.calls += 1;
        self.inner.acquire(now)
    }

    fn fence(&self) -> u64 {
        self.inner.fence()
    }
}

fn use_dyn(b: &mut dyn Backend) -> Result<u64, ()> {
    b.acquire(1)
}

#[coordination(pattern = "fencing", cite = "burrows-2006")]
pub fn unrelated() {}

fn main() {
    let mut m = Memory { fence: 0 };
    assert_eq!(use_dyn(&mut m), Ok(1));
    let mut l = Logged { inner: Memory { fence: 5 }, calls: 0 };
    assert_eq!(l.acquire(2), Ok(6));
    unrelated();
}
