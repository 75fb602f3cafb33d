//! A coordinator that elects its own leader (lowest live worker id): Decision A.
use distaudit::coordination;

pub struct Coordinators {
    pub live: Vec<u64>,
}

impl Coordinators {
    #[coordination(pattern = "leader-election", cite = "cachin-2011")]
    pub fn leader(&self) -> Option<u64> {
        self.live.iter().copied().min()
    }
}

fn main() {}
