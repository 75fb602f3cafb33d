use distaudit::coordination;

#[coordination(pattern = "gossip", cite = "demers-1987")]
pub fn spread_shard_ownership() {}

#[coordination(pattern = "swim", cite = "das-2002")]
pub fn membership() {}

fn main() {}
