use distaudit::coordination;

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct ShardSpec {
    pub start: Box<[u8]>,
    pub limit: Box<[u8]>,
}

fn main() {}
