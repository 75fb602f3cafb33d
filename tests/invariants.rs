//! Every invariant kind, shown catching a seeded bug, and the corrected code passing.
// Generated code must be pedantic-clean; these three lints are about this file's own
// example functions (undocumented errors, `Result<_, ()>`), which keep their spans.
#![deny(warnings, clippy::pedantic)]
#![allow(
    clippy::missing_errors_doc,
    clippy::result_unit_err,
    clippy::must_use_candidate
)]

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
        invariant(holds = "ret == self.fence")
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
    expected = "distaudit: invariant monotonic(self.last_key) violated in invariants::Cursor::checkpoint_buggy (D2.3, bacon-2017): regressed: lower than before, first difference at byte 0, len 1 -> 1"
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

/// The lower bound too: the shard starts at `b`, so `a` is outside it.
#[test]
#[should_panic(expected = "invariant within(key = self.last_key, range = self.shard) violated")]
fn within_catches_a_key_below_the_start() {
    let mut c = Cursor::new();
    c.checkpoint_buggy(Some(b"a"));
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
#[should_panic(expected = "holds(ret == self.fence) violated")]
fn holds_catches_wrong_return() {
    let mut c = Cursor::new();
    c.checkpoint(b"c").unwrap();
    let _ = c.current();
}

pub struct Checkpoints {
    pub last_key: Option<Vec<u8>>,
}

impl Checkpoints {
    /// Seeded bug: a checkpoint without a key resets the cursor (D2.5).
    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(never_none = "self.last_key"),
        invariant(monotonic = "self.last_key.as_ref().map(Vec::len)"),
        invariant(within(key = "self.last_key", range = "None::<Range>"))
    )]
    pub fn record(&mut self, key: Option<Vec<u8>>) {
        if key.is_none() {
            self.last_key = None;
        } else if key.as_ref().map(Vec::len) >= self.last_key.as_ref().map(Vec::len) {
            self.last_key = key;
        }
    }

    /// The same on an async path: the check runs when the future completes.
    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(never_none = "self.last_key"),
        invariant(monotonic = "self.last_key.as_ref().map(Vec::len)"),
        invariant(within(key = "self.last_key", range = "None::<Range>"))
    )]
    pub async fn record_async(&mut self, key: Option<Vec<u8>>) {
        std::future::ready(()).await;
        self.last_key = key;
    }
}

#[test]
#[should_panic(
    expected = "invariant never_none(self.last_key) violated in invariants::Checkpoints::record (D2.5, bacon-2017): went from Some to None"
)]
fn never_none_catches_reset_to_none() {
    let mut c = Checkpoints { last_key: None };
    c.record(None); // None -> None is fine
    c.record(Some(b"k".to_vec()));
    c.record(None);
}

#[test]
#[should_panic(
    expected = "never_none(self.last_key) violated in invariants::Checkpoints::record_async"
)]
fn async_checks_run_on_completion() {
    let mut c = Checkpoints {
        last_key: Some(b"k".to_vec()),
    };
    distaudit::__private::block_on(c.record_async(None));
}

#[test]
fn never_none_passes_when_the_key_is_kept() {
    let mut c = Checkpoints { last_key: None };
    c.record(Some(b"a".to_vec()));
    c.record(Some(b"bb".to_vec()));
    distaudit::__private::block_on(c.record_async(Some(b"ccc".to_vec())));
    assert_eq!(c.last_key.as_deref(), Some(&b"ccc"[..]));
}

pub struct Guarded {
    pub open: bool,
}

impl Guarded {
    /// Seeded bug: called on a closed guard; `holds` without `ret` is checked on entry.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(holds = "self.open")
    )]
    pub fn use_guard(&self) -> bool {
        self.open
    }
}

#[test]
#[should_panic(
    expected = "holds(self.open) violated in invariants::Guarded::use_guard (burrows-2006): false on entry"
)]
fn holds_is_checked_on_entry() {
    let _ = Guarded { open: false }.use_guard();
}

#[test]
fn violations_never_print_raw_key_bytes() {
    let caught = std::panic::catch_unwind(|| {
        let mut c = Cursor::new();
        c.checkpoint_buggy(Some(b"zebra-secret"));
    });
    let message = caught.expect_err("within fails");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        text.contains("key higher than the range's end, first difference at byte 0, len 12 vs 1"),
        "{text}"
    );
    assert!(!text.contains("zebra"), "{text}");
}
