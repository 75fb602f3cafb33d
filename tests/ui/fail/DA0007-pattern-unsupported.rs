use distaudit::coordination;

#[coordination(pattern = "lease", pattern = "idempotency", cite = "gray-cheriton-1989")]
fn acquire_once() {}

fn main() {}
