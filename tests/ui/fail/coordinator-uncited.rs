//! A new coordinator operation added without evidence.
use distaudit::coordination;

pub struct Coordinator {
    pub fence: u64,
}

impl Coordinator {
    #[coordination(pattern = "fencing", invariant(strictly_increasing = "self.fence"))]
    pub fn steal(&mut self, now: u64) -> Result<u64, ()> {
        let _ = now;
        self.fence += 1;
        Ok(self.fence)
    }
}

fn main() {}
