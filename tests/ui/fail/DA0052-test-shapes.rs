//! What a generated test cannot make: values of a borrowed view, a state machine without a
//! receiver or without methods to interleave.
use distaudit::coordination;

pub struct CursorUpdate<'a> {
    pub key: &'a [u8],
}

#[coordination(pattern = "cursor", cite = "bacon-2017", invariant(holds = "update.key.len() < 64"), test)]
pub fn validate(update: CursorUpdate<'_>) -> Result<(), ()> {
    if update.key.len() < 64 { Ok(()) } else { Err(()) }
}

pub struct Epochs {
    pub epoch: u64,
}

#[distaudit::audit(test(cases = 8))]
impl Epochs {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"), test)]
    pub fn bump(&mut self) -> Option<u64> {
        self.epoch += 1;
        Some(self.epoch)
    }
}

pub struct Idle;

#[distaudit::audit(test(init = "Idle"))]
impl Idle {
    pub fn nothing(&self) {}
}

fn main() {}
