use distaudit::coordination;

pub struct Lease {
    pub holder: String,
    pub cursor: Option<Vec<u8>>,
}

impl Lease {
    /// Sides that settle their own types are compared by the runtime's helper, sides typed
    /// by each other where they are written: both are reported on the comparison the user
    /// wrote.
    #[coordination(pattern = "lease", cite = "gray-cheriton-1989",
                   requires = "self.holder > now",
                   ensures(holds = "self.cursor == Some(now)"))]
    pub fn renew(&mut self, now: u64) {
        let _ = now;
    }
}

fn main() {}
