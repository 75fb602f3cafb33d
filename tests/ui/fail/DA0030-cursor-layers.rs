use distaudit::coordination;

#[coordination(pattern = "cursor", cite = "bacon-2017")]
pub struct Cursor {
    pub last_key: Option<Box<[u8]>>,
}

#[coordination(pattern = "cursor", cite = "bacon-2017")]
pub struct ThreeLayers {
    pub last_key: Option<Box<[u8]>>,
    pub token: Option<Box<[u8]>>,
    pub page_key: Vec<u8>,
}

fn main() {}
