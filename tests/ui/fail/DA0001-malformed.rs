use distaudit::coordination;

#[coordination(pattern = lease, cite = "gray-cheriton-1989")]
fn acquire() {}

#[coordination(pattern = "lease", cite = 1989)]
fn renew() {}

#[coordination(pattern = "", cite = "gray-cheriton-1989")]
fn release() {}

fn main() {}
