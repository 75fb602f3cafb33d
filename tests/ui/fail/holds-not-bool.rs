use distaudit::coordination;

pub struct C {
    pub fence: u64,
}

impl C {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(strictly_increasing = "self.fence"),
                   ensures(holds = "self.fence"))]
    pub fn acquire(&mut self) {
        self.fence += 1;
    }
}

/// The same for a type invariant.
#[coordination(pattern = "fencing", cite = "burrows-2006", invariant(holds = "self.epoch"))]
pub struct Epochs {
    pub epoch: u64,
}

fn main() {}
