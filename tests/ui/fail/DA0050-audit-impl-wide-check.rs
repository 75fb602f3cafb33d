// Impl-wide checks on `#[distaudit::audit(..)]`: a malformed one is reported once, on the
// audit, not again on every method it would be added to; an unknown entry names what the
// audit takes.
use distaudit::coordination;

pub struct Store {
    pub fence: u64,
}

#[distaudit::audit(invariant(growing = "self.fence"), pattern = "fencing")]
impl Store {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "self.fence"))]
    pub fn grant(&mut self) -> u64 {
        self.fence += 1;
        self.fence
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "self.fence"))]
    pub fn renew(&mut self) -> u64 {
        self.fence
    }
}

fn main() {}
