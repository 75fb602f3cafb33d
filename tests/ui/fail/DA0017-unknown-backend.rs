use distaudit::coordination;

#[coordination(pattern = "leader-election", cite = "hunt-2010", backend = "etdc")]
fn campaign() {}

fn main() {}
