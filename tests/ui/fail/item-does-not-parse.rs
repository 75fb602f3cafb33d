use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
fn acquire(now: u64) -> u64 {
    let deadline = now +;
    deadline
}

fn main() {}
