use distaudit::coordination;

#[coordination(pattern = "shard", cite = "chang-2006", fields(begin = "key_range_start", end = "key_range_end"))]
pub struct ShardSpec {
    pub key_range_start: Box<[u8]>,
    pub key_range_end: Box<[u8]>,
}

fn main() {}
