use distaudit::coordination;

pub struct C {
    pub fence: u64,
}

impl C {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.fence"), test)]
    pub fn acquire(&mut self) {
        self.fence += 1;
    }
}

#[coordination(pattern = "fencing", cite = "burrows-2006", test(cases = 0, strategy(fenc = "0u64..10")))]
pub fn check(fence: u64) -> bool {
    fence > 0
}

fn main() {}
