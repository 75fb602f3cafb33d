//! `delegates(.., to = "..")` must name an item that exists: a typo fails the build.
use distaudit::coordination;

pub struct Cursor {
    pub last_key: Option<Vec<u8>>,
}

impl Cursor {
    #[coordination(pattern = "cursor", cite = "bacon-2017",
                   invariant(monotonic = "self.last_key"),
                   invariant(never_none = "self.last_key"),
                   delegates(decision = "D2.4", to = "crate::chekpoint"))]
    pub fn update(&mut self, key: &[u8]) {
        self.last_key = Some(key.to_vec());
    }
}

pub fn checkpoint() {}

fn main() {}
