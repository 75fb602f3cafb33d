//! One state machine over several audited impls of a type: `with` belongs on the impl
//! whose `test(..)` builds the receiver, never on one item's `test`.

use distaudit::coordination;

#[distaudit::audit]
pub trait Drain {
    fn drain(&mut self, n: u8) -> Result<(), ()>;
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tank {
    level: u8,
}

#[distaudit::audit(test(init = "Tank::default()", with = "Drain"))]
impl Tank {
    #[coordination(pattern = "state-machine", cite = "schneider-1990", test)]
    pub fn level(&mut self) -> Option<u8> {
        Some(self.level)
    }
}

#[distaudit::audit(test(with = "Tank"))]
impl Drain for Tank {
    #[coordination(pattern = "state-machine", cite = "schneider-1990", test)]
    fn drain(&mut self, n: u8) -> Result<(), ()> {
        self.level = self.level.checked_sub(n).ok_or(())?;
        Ok(())
    }
}

pub struct Gauge;

impl Gauge {
    #[coordination(pattern = "state-machine", cite = "schneider-1990", test(with = "Drain"))]
    pub fn read() -> u8 {
        0
    }
}

fn main() {}
