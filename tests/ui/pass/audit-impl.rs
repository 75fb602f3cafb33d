#![deny(warnings)]
use distaudit::coordination;

pub struct Epochs {
    pub epoch: u64,
}

#[distaudit::audit]
impl Epochs {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"),
                   test(cases = 16, steps = 4, init = "Epochs { epoch: 0 }", strategy(by = "1u64..5")))]
    pub fn bump(&mut self, by: u64) -> Option<u64> {
        self.epoch = self.epoch.checked_add(by)?;
        Some(self.epoch)
    }

    pub fn plain(&self) -> u64 {
        self.epoch
    }
}

/// A trait of the crate's own is audited too (here with no contract), so its impls can be.
#[distaudit::audit]
pub trait Drain {
    fn drain_one(&mut self) -> Option<u64>;
}

/// A trait impl of the same type is audited beside the inherent one; a method whose only
/// parameter is its receiver gets a test too.
#[distaudit::audit]
impl Drain for Epochs {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "self.epoch"),
                   test(cases = 8, init = "Epochs { epoch: 3 }"))]
    fn drain_one(&mut self) -> Option<u64> {
        Some(self.epoch)
    }
}

#[distaudit::audit]
mod nested {
    use distaudit::coordination;
    pub struct Inner(pub u64);
    impl Inner {
        #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "self.0"))]
        pub fn keep(&mut self) {}
    }
}

fn main() {
    let mut e = Epochs { epoch: 0 };
    assert_eq!(e.bump(2), Some(2));
    assert_eq!(e.plain(), 2);
    nested::Inner(1).keep();
    assert_eq!(e.drain_one(), Some(2));
}
