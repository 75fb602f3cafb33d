//! Every invariant kind, shown catching a seeded bug, and the corrected code passing.
#![deny(warnings, clippy::pedantic)]

use distaudit::coordination;

pub struct Cursor {
    pub last_key: Option<Box<[u8]>>,
    pub shard: Range,
    pub fence: u64,
}

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Range {
    pub start: Box<[u8]>,
    pub end: Box<[u8]>,
}

impl Cursor {
    fn new() -> Self {
        Cursor {
            last_key: None,
            shard: Range {
                start: Box::from(&b"b"[..]),
                end: Box::from(&b"m"[..]),
            },
            fence: 0,
        }
    }

    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(monotonic = "self.last_key"),
        invariant(within(key = "self.last_key", range = "self.shard")),
        invariant(never_none = "self.last_key")
    )]
    pub fn checkpoint(&mut self, key: &[u8]) -> Result<(), &'static str> {
        if self.last_key.as_deref().is_some_and(|k| key < k) {
            return Err("regression");
        }
        if !distaudit::KeyRange::contains_key(&self.shard, key) {
            return Err("outside");
        }
        self.last_key = Some(key.into());
        Ok(())
    }

    /// Seeded bug: accepts any key (no regression or bounds check).
    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(monotonic = "self.last_key"),
        invariant(within(key = "self.last_key", range = "self.shard")),
        invariant(never_none = "self.last_key")
    )]
    pub fn checkpoint_buggy(&mut self, key: Option<&[u8]>) {
        self.last_key = key.map(Into::into);
    }

    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(strictly_increasing = "self.fence")
    )]
    pub fn acquire(&mut self) -> Result<u64, ()> {
        self.fence += 1;
        Ok(self.fence)
    }

    /// Seeded bug: reissues the same epoch.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(strictly_increasing = "self.fence")
    )]
    pub fn acquire_buggy(&mut self) -> Result<u64, ()> {
        Ok(self.fence)
    }

    /// A refused acquire changes nothing and is not a violation.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(strictly_increasing = "self.fence")
    )]
    pub fn acquire_refused(&mut self) -> Result<u64, ()> {
        Err(())
    }

    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(holds = "*ret == self.fence")
    )]
    pub fn current(&self) -> u64 {
        self.fence + u64::from(self.last_key.is_some())
    }
}

#[test]
fn correct_cursor_passes() {
    let mut c = Cursor::new();
    assert!(c.checkpoint(b"c").is_ok());
    assert!(c.checkpoint(b"a").is_err());
    assert!(c.checkpoint(b"d").is_ok());
}

#[test]
#[should_panic(
    expected = "distaudit: invariant monotonic(self.last_key) violated in invariants::Cursor::checkpoint_buggy (D2.3, bacon-2017): regressed: before Some(len 1 #"
)]
fn monotonic_catches_regression() {
    let mut c = Cursor::new();
    c.checkpoint_buggy(Some(b"d"));
    c.checkpoint_buggy(Some(b"c"));
}

#[test]
#[should_panic(expected = "invariant within(key = self.last_key, range = self.shard) violated")]
fn within_catches_out_of_range() {
    let mut c = Cursor::new();
    c.checkpoint_buggy(Some(b"z"));
}

#[test]
#[should_panic(expected = "invariant monotonic(self.last_key) violated")]
fn first_failure_in_declaration_order_wins() {
    // A reset to None breaks monotonic (None < Some) and never_none; monotonic is first.
    let mut c = Cursor::new();
    c.checkpoint_buggy(Some(b"d"));
    c.checkpoint_buggy(None);
}

#[test]
#[should_panic(
    expected = "strictly_increasing(self.fence) violated in invariants::Cursor::acquire_buggy (fencing, burrows-2006): did not increase"
)]
fn strictly_increasing_catches_reissued_epoch() {
    let mut c = Cursor::new();
    let _ = c.acquire_buggy();
}

#[test]
fn fence_passes_and_refusal_is_not_a_violation() {
    let mut c = Cursor::new();
    assert_eq!(c.acquire(), Ok(1));
    assert_eq!(c.acquire(), Ok(2));
    assert_eq!(c.acquire_refused(), Err(()));
}

#[test]
#[should_panic(expected = "holds(*ret == self.fence) violated")]
fn holds_catches_wrong_return() {
    let mut c = Cursor::new();
    c.checkpoint(b"c").unwrap();
    let _ = c.current();
}
