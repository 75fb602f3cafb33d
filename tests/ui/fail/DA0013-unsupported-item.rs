use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
const LEASE_TICKS: u64 = 10;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
macro_rules! lease {
    () => {};
}

trait Leases {
    #[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
    fn renew(&mut self);
}

fn main() {}
