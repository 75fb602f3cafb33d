//! Turning an attacking step off: a reason is required, in words; the step must exist; a
//! role must be one of the roles.

use distaudit::coordination;

#[derive(Clone, Debug, Default)]
pub struct Store {
    values: Vec<u8>,
}

#[distaudit::audit(test(
    init = "Store::default()",
    without = "replay",
    without = "conflict",
    because = "dedup",
    without = "fencin",
    roles(opid = "op")
))]
impl Store {
    #[coordination(pattern = "idempotency", cite = "kafka-kip-98", test)]
    pub fn append(&mut self, op: u8, value: u8) -> Option<usize> {
        let _ = op;
        self.values.push(value);
        Some(self.values.len())
    }
}

fn main() {}
