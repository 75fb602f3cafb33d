#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "cursor", cite = "bacon-2017", implements = "D2.1")]
pub struct Cursor {
    pub last_key: Option<Box<[u8]>>,
    pub token: Option<Box<[u8]>>,
    pub items_done: u64,
}

#[coordination(pattern = "cursor", cite = "akidau-2015", fields(last_key = "resume_after", token = "source_state"))]
pub struct Renamed {
    pub resume_after: Vec<u8>,
    pub source_state: [u8; 16],
}

fn main() {
    let _ = Cursor { last_key: None, token: None, items_done: 0 };
    let _ = Renamed { resume_after: Vec::new(), source_state: [0; 16] };
}
