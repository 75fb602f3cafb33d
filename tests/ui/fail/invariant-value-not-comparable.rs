use distaudit::coordination;

pub struct Epoch(u64);

pub struct C {
    pub epoch: Epoch,
}

impl C {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "self.epoch"))]
    pub fn bump(&mut self) {
        self.epoch.0 += 1;
    }
}

fn main() {}
