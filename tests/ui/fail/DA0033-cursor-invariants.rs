use distaudit::coordination;

pub struct Worker {
    pub last_key: Option<Vec<u8>>,
}

impl Worker {
    #[coordination(pattern = "cursor", cite = "bacon-2017", invariant(monotonic = "self.last_key"))]
    pub fn checkpoint(&mut self, key: Vec<u8>) {
        self.last_key = Some(key);
    }
}

fn main() {}
