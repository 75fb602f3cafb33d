//! Attacking steps a pattern calls for and the parameters cannot form: a `fencing` method
//! whose lease holds the fence with no `fence` role, an `idempotency` method with no op id.

use distaudit::coordination;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lease {
    pub fence: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Store {
    fence: u64,
    values: Vec<u8>,
}

#[distaudit::audit(test(init = "Store::default()"))]
impl Store {
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.fence"),
        test
    )]
    pub fn write(&mut self, lease: Lease, value: u8) -> Result<(), ()> {
        if lease.fence != self.fence {
            return Err(());
        }
        self.values.push(value);
        Ok(())
    }

    #[coordination(pattern = "idempotency", cite = "kafka-kip-98", test)]
    pub fn append(&mut self, key: u8) -> Option<usize> {
        self.values.push(key);
        Some(self.values.len())
    }
}

fn main() {}
