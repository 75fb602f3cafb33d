use distaudit::coordination;

#[coordination(pattern = "lease")]
fn acquire() {}

fn main() {}
