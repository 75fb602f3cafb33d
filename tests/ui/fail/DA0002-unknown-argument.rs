use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989", implement = "D2.3")]
fn acquire() {}

fn main() {}
