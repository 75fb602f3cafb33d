use distaudit::coordination;

pub struct Shard {
    pub last_key: Option<Vec<u8>>,
}

#[distaudit::audit]
impl Shard {
    /// Leaves the bounds check to `checkpoint`, which does not make it.
    #[coordination(pattern = "cursor", cite = "bacon-2017",
                   invariant(monotonic = "self.last_key"),
                   invariant(never_none = "self.last_key"),
                   delegates(decision = "D2.4", to = "Self::checkpoint"))]
    pub fn advance(&mut self, key: &[u8]) {
        self.last_key = Some(key.to_vec());
    }

    /// Annotated, but with no check that upholds D2.4.
    #[coordination(pattern = "cursor", cite = "bacon-2017",
                   invariant(monotonic = "self.last_key"),
                   invariant(never_none = "self.last_key"),
                   delegates(decision = "D2.4", to = "Shard::record"))]
    pub fn checkpoint(&mut self, key: &[u8]) {
        self.advance(key);
    }

    /// Not annotated at all.
    pub fn record(&mut self, key: &[u8]) {
        self.last_key = Some(key.to_vec());
    }
}

fn main() {}
