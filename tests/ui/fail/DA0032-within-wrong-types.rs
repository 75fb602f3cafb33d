// `within` reads a byte key and a half-open range: a text key, a slice of bounds and a pair
// of bounds are refused on the string that names them, in distaudit's words (D3.3, D2.2),
// never as a missing method of an internal type.
use distaudit::coordination;

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Shard {
    pub start: Box<[u8]>,
    pub end: Box<[u8]>,
}

#[coordination(pattern = "cursor", cite = "akidau-2015", implements = "D2.4",
               ensures(within(key = "name", range = "shard")))]
pub fn text_key(name: String, shard: &Shard) -> Result<(), ()> {
    let _ = (name, shard);
    Ok(())
}

#[coordination(pattern = "cursor", cite = "akidau-2015", implements = "D2.4",
               ensures(within(key = "key", range = "bounds")))]
pub fn slice_range(key: &[u8], bounds: &[u8]) -> Result<(), ()> {
    let _ = (key, bounds);
    Ok(())
}

#[coordination(pattern = "cursor", cite = "akidau-2015", implements = "D2.4",
               ensures(within(key = "key", range = "(start, end)")))]
pub fn pair_range(key: &[u8], start: &[u8], end: &[u8]) -> Result<(), ()> {
    let _ = (key, start, end);
    Ok(())
}

fn main() {}
