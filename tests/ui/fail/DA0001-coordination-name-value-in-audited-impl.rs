//! `#[coordination = ".."]` on a method of an audited impl: the audit expands the method's
//! annotation itself, and this form is not one.
use distaudit::coordination;

pub struct Lease {
    pub holder: Option<u64>,
}

#[distaudit::audit]
impl Lease {
    #[coordination = "lease"]
    pub fn release(&mut self) {
        self.holder = None;
    }
}

fn main() {}
