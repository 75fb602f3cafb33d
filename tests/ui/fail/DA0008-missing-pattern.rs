use distaudit::coordination;

#[coordination(cite = "gray-cheriton-1989")]
fn acquire() {}

fn main() {}
