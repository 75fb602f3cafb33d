use distaudit::coordination;

#[coordination(pattern = "leese", cite = "gray-cheriton-1989")]
fn acquire() {}

fn main() {}
