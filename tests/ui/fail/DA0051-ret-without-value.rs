use distaudit::coordination;

pub struct C {
    pub fence: u64,
}

impl C {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.fence"), invariant(holds = "ret > 0"))]
    pub fn acquire(&mut self) {
        self.fence += 1;
    }
}

fn main() {}
