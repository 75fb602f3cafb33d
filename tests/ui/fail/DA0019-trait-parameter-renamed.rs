//! An impl of a trait whose contract names a parameter, with that parameter renamed: the
//! trait's checks read it by the trait's name.
use distaudit::coordination;

#[distaudit::audit]
pub trait Clock {
    #[coordination(pattern = "lease", cite = "gray-cheriton-1989", requires = "now > 0")]
    fn renew(&mut self, now: u64) -> u64;
}

pub struct Lease {
    pub expiry: u64,
}

#[distaudit::audit]
impl Clock for Lease {
    fn renew(&mut self, at: u64) -> u64 {
        self.expiry = at + 10;
        self.expiry
    }
}

fn main() {}
