#![deny(warnings)]
use distaudit::coordination;

#[derive(Clone)]
pub struct Fence {
    pub epoch: u64,
}

impl Fence {
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    pub fn current(&self) -> u64 {
        self.epoch
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"))]
    pub fn advance(&mut self) -> Result<u64, String> {
        self.epoch = self.epoch.checked_add(1).ok_or_else(|| "exhausted".to_string())?;
        Ok(self.epoch)
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(holds = "ret.epoch > 0"))]
    pub fn into_next(self) -> Self {
        Fence { epoch: self.epoch + 1 }
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "target.epoch"))]
    pub fn raise(target: &mut Fence, to: u64) {
        target.epoch = target.epoch.max(to);
    }
}

fn main() {
    let mut f = Fence { epoch: 0 };
    assert_eq!(f.advance(), Ok(1));
    assert_eq!(f.current(), 1);
    Fence::raise(&mut f, 5);
    assert_eq!(f.into_next().epoch, 6);
}
