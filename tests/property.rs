//! Generated property tests: free functions and methods hosted by `#[distaudit::audit]`.
// Generated tests must be pedantic-clean; the allowed lints concern this file's own
// example functions, which keep their spans.
#![deny(warnings, clippy::pedantic)]
#![allow(
    clippy::missing_errors_doc,
    clippy::result_unit_err,
    clippy::must_use_candidate
)]

use distaudit::coordination;

#[coordination(
    pattern = "idempotency",
    cite = "kafka-kip-98",
    invariant(holds = "ret.len() <= key.len() + 1"),
    test(cases = 64)
)]
pub fn tag(key: &[u8], extra: u8) -> Vec<u8> {
    let mut out = key.to_vec();
    out.push(extra);
    out
}

pub struct Log {
    pub last: Option<Vec<u8>>,
    pub epoch: u64,
}

#[distaudit::audit]
impl Log {
    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(monotonic = "self.last"),
        invariant(within(key = "self.last", range = "FULL")),
        invariant(never_none = "self.last"),
        test(cases = 64, steps = 8, init = "Log { last: None, epoch: 0 }")
    )]
    pub fn advance(&mut self, key: Vec<u8>) -> Option<()> {
        if self.last.as_ref().is_some_and(|l| key < *l) {
            return None;
        }
        self.last = Some(key);
        Some(())
    }

    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(strictly_increasing = "self.epoch"),
        test(init = "Log { last: None, epoch: 0 }")
    )]
    pub async fn bump(&mut self, by: u8) -> Result<u64, ()> {
        if by == 0 {
            return Err(());
        }
        self.epoch += u64::from(by);
        Ok(self.epoch)
    }
}

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Span {
    pub start: &'static [u8],
    pub end: &'static [u8],
}

const FULL: Span = Span {
    start: b"",
    end: b"",
};
