use distaudit::coordination;

#[coordination(pattern = "shard", cite = "chang-2006", implements = "D2.22")]
fn split() {}

fn main() {}
