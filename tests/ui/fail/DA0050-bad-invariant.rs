use distaudit::coordination;

pub struct C {
    pub fence: u64,
}

impl C {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.fence"),
                   invariant(monotonik = "self.fence"), invariant(holds = "self.fence >"),
                   invariant(within(key = "self.fence")))]
    pub fn acquire(&mut self) {
        self.fence += 1;
    }
}

#[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "ret"))]
pub const fn next(epoch: u64) -> u64 {
    epoch + 1
}

fn main() {}
