//! Attacking steps a pattern calls for and the parameters cannot form: a `fencing` method
//! whose lease holds the fence with no `fence` role, an `idempotency` method with no op id,
//! a `cursor` method whose cursor parameter is neither named nor typed as one, a shard's
//! range that does not read the receiver.

use distaudit::coordination;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lease {
    pub fence: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Store {
    fence: u64,
    values: Vec<u8>,
    scanned: Option<Vec<u8>>,
    shard: Shard,
}

#[derive(Clone, Debug, Default)]
pub struct Shard {
    start: Vec<u8>,
    end: Vec<u8>,
}

impl distaudit::KeyRange for Shard {
    fn start_key(&self) -> &[u8] {
        &self.start
    }
    fn end_key(&self) -> &[u8] {
        &self.end
    }
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

    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(monotonic = "self.scanned"),
        invariant(never_none = "self.scanned"),
        invariant(within(key = "to", range = "self.shard")),
        test
    )]
    pub fn advance(&mut self, to: Vec<u8>) -> Result<(), ()> {
        if self.scanned.as_ref().is_some_and(|s| *s > to) {
            return Err(());
        }
        self.scanned = Some(to);
        Ok(())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Scanner {
    scanned: Option<Vec<u8>>,
    shard: Shard,
}

#[distaudit::audit(test(init = "Scanner::default()"))]
impl Scanner {
    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(monotonic = "self.scanned"),
        invariant(never_none = "self.scanned"),
        invariant(within(key = "cursor", range = "self.shard")),
        test(roles(range = "Shard::default()"))
    )]
    pub fn rescan(&mut self, cursor: Vec<u8>) -> Result<(), ()> {
        if self.scanned.as_ref().is_some_and(|s| *s > cursor) {
            return Err(());
        }
        self.scanned = Some(cursor);
        Ok(())
    }
}

fn main() {}
