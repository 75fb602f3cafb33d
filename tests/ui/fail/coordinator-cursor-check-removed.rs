//! The example coordinator's checkpoint, with the regression check (D2.3) taken out of the
//! annotation: the gate refuses it.
use distaudit::coordination;

pub struct ShardRecord {
    pub last_key: Option<Box<[u8]>>,
    pub start: Box<[u8]>,
    pub end: Box<[u8]>,
}

impl ShardRecord {
    #[coordination(pattern = "cursor", cite = "bacon-2017", cite = "akidau-2015",
                   invariant(within(key = "self.last_key", range = "None::<Box<[u8]>>")),
                   invariant(never_none = "self.last_key"))]
    pub fn checkpoint(&mut self, now: u64, key: &[u8]) -> Result<(), &'static str> {
        let _ = now;
        self.last_key = Some(key.into());
        Ok(())
    }
}

fn main() {}
