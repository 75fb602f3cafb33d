use distaudit::coordination;

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct ShardSpec {
    pub start: String,
    pub end: u64,
}

pub struct TenantKey(String);

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Opaque {
    pub start: TenantKey,
    pub end: Box<[u8]>,
}

fn main() {}
