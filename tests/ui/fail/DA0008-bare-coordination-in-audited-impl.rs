//! A bare `#[coordination]` on a method of an audited impl is read as on its own: it names
//! no pattern and no citation, and both are reported on the attribute.
use distaudit::coordination;

pub struct Lease {
    pub holder: Option<u64>,
}

#[distaudit::audit]
impl Lease {
    #[coordination]
    pub fn release(&mut self) {
        self.holder = None;
    }
}

fn main() {}
