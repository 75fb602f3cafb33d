//! The example's shard spec with text keys: D3.3 refuses them.
use distaudit::coordination;

#[coordination(pattern = "shard", cite = "chang-2006", cite = "corbett-2012", implements = "D2.2")]
pub struct ShardSpec {
    pub start: String,
    pub end: Option<String>,
}

fn main() {}
