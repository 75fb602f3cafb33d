use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989", invariant(monotonic = "self.deadline"))]
pub struct Lease {
    pub deadline: u64,
}

fn main() {}
