//! Checks read state; they never change it, and they never hide a parameter.
use distaudit::coordination;

pub struct Lease {
    pub fence: u64,
}

impl Lease {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(monotonic = "self.fence"),
                   invariant(holds = "{ self.fence += 1000; true }"))]
    pub fn grant(&mut self) -> u64 {
        self.fence += 1;
        self.fence
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(monotonic = "self.fence"),
                   ensures(holds = "ret > 0"))]
    pub fn retry(&mut self, ret: u64) -> u64 {
        self.fence += ret;
        self.fence
    }
}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989", invariant(holds = "true"))]
pub fn forever() -> ! {
    loop {}
}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
pub fn twice() {}

fn main() {}
