//! `#[coordination]` under another name. Inside an audited inline module, the module's own
//! `use distaudit::coordination as coord;` is recognised and the method's test is hosted.
//! An alias the audit cannot see (here, imported at the crate root) reaches the attribute
//! on its own: the error says what happened without claiming the impl lacks the audit.
use distaudit::coordination as outside;

#[distaudit::audit]
mod seen {
    use distaudit::coordination as coord;

    pub struct Counter {
        pub epoch: u64,
    }

    impl Counter {
        #[coord(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"),
                test(init = "Counter { epoch: 0 }"))]
        pub fn bump(&mut self) -> Option<u64> {
            self.epoch += 1;
            Some(self.epoch)
        }
    }
}

pub struct Fence {
    pub epoch: u64,
}

#[distaudit::audit]
impl Fence {
    #[outside(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"),
              test(init = "Fence { epoch: 0 }"))]
    pub fn bump(&mut self) -> Option<u64> {
        self.epoch += 1;
        Some(self.epoch)
    }
}

fn main() {}
