//! An impl of a trait whose methods carry contracts must carry `#[distaudit::audit]`, or it
//! would silently skip the trait's checks.
use distaudit::coordination;

#[distaudit::audit]
pub trait Backend {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(monotonic = "self.fence()"),
                   ensures(holds = "ret > old(self.fence())"))]
    fn acquire(&mut self) -> Result<u64, ()>;

    fn fence(&self) -> u64;
}

pub struct Memory {
    fence: u64,
}

impl Backend for Memory {
    fn acquire(&mut self) -> Result<u64, ()> {
        Ok(self.fence)
    }

    fn fence(&self) -> u64 {
        self.fence
    }
}

fn main() {}
