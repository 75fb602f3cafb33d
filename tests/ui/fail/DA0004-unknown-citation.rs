use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1998")]
fn acquire() {}

fn main() {}
