#![deny(warnings)]
//! Functions with attributes and docs ahead of the annotation, qualifiers (`unsafe`,
//! `extern "C"`), generics with a where clause, an `impl Trait` return and a pattern as a
//! parameter: each gets its check woven and runs it. A `const fn` takes the gate.
use distaudit::coordination;

pub struct Node {
    pub epoch: u64,
}

impl Node {
    /// Docs and attributes first: the record follows them.
    #[inline]
    #[must_use]
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"))]
    pub fn advance(&mut self) -> u64 {
        self.epoch += 1;
        self.epoch
    }

    /// # Safety
    /// None needed; the qualifier is what is exercised.
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"))]
    pub unsafe fn advance_unsafe(&mut self) -> u64 {
        self.epoch += 1;
        self.epoch
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"))]
    pub fn advance_by<T>(&mut self, by: T) -> u64
    where
        T: Into<u64> + Copy,
    {
        self.epoch += by.into().max(1);
        self.epoch
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"))]
    pub fn advance_iter(&mut self) -> impl Iterator<Item = u64> + use<> {
        self.epoch += 1;
        Some(self.epoch).into_iter()
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"))]
    pub fn advance_pair(&mut self, (by, _ignored): (u64, u64)) -> u64 {
        self.epoch += by.max(1);
        self.epoch
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"))]
    pub extern "C" fn advance_c(&mut self) -> u64 {
        self.epoch += 1;
        self.epoch
    }
}

#[coordination(pattern = "retry", cite = "bacon-2017")]
pub const fn backoff(attempt: u32) -> u64 {
    1 << if attempt < 16 { attempt } else { 16 }
}

fn main() {
    distaudit::count_checks(true);
    let mut n = Node { epoch: 0 };
    assert_eq!(n.advance(), 1);
    // SAFETY: `advance_unsafe` has no safety requirement.
    assert_eq!(unsafe { n.advance_unsafe() }, 2);
    assert_eq!(n.advance_by(3u8), 5);
    assert_eq!(n.advance_iter().next(), Some(6));
    assert_eq!(n.advance_pair((2, 9)), 8);
    assert_eq!(n.advance_c(), 9);
    const B: u64 = backoff(3);
    assert_eq!(B, 8);
    // Each of the six woven checks ran once, and held.
    assert_eq!(distaudit::checks_passed(), 6);
}
