use distaudit::coordination;

// The finding underlines the whole type, not only `Option`.
#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Bounds {
    pub start: Option<Vec<u8>>,
    pub end: Vec<u8>,
}

fn main() {}
