//! The subjects of the run-time benchmarks in `benches/invariants.rs`.
//!
//! Every benchmarked operation exists three times, with the same body:
//! - `*_distaudit`: annotated with `#[coordination(.., invariant(..))]`, so the checks are
//!   whatever the build's distaudit features make of them (see [`MODE`]);
//! - `*_hand`: the same check written by hand, always on (`assert!`);
//! - `*_bare`: no check at all.
//!
//! All of them are `#[inline(never)]`, so a benchmark measures one call of the function as
//! compiled, and the three versions are compared on equal terms (no version gets inlined
//! into the benchmark loop and optimised against it while another does not).

use distaudit::{KeyRange, coordination};

/// Which distaudit mode this build benchmarks, decided by the build's
/// `--cfg distaudit_checks=".."` (in `RUSTFLAGS`), which the macro reads too.
///
/// - `on`: `distaudit_checks="always"`: checks kept in release builds;
/// - `off`: `distaudit_checks="off"`: functions emitted as written;
/// - `default`: neither: distaudit's default, checks only in debug builds and tests, so in
///   the bench profile (release) the generated code is present but switched off by
///   `cfg!(debug_assertions)`.
pub const MODE: &str = if cfg!(distaudit_checks = "off") {
    "off"
} else if cfg!(distaudit_checks = "always") {
    "on"
} else {
    "default"
};

/// A 32-byte key whose last eight bytes are `n`, big-endian (so keys sort like `n`).
#[must_use]
pub fn key32(n: u64) -> [u8; 32] {
    let mut k = [0x5a_u8; 32];
    k[24..].copy_from_slice(&n.to_be_bytes());
    k
}

/// The optimiser cannot see through this: a body whose effect passes through it does not let
/// LLVM prove the invariant and delete the check (it does for `self.pos = self.pos.max(seen)`,
/// `self.epoch += 1` or `self.last = Some(..)`: there, checks on or off compile to the same
/// code, which `compare_asm.py` shows). The bare and hand-written versions pass through it
/// too, so all three pay the same for it.
#[inline(always)]
fn opaque<T>(value: T) -> T {
    std::hint::black_box(value)
}

/// Copy `key` into `slot`, reusing its allocation when the length matches.
fn store(slot: &mut Option<Box<[u8]>>, key: &[u8]) {
    match slot {
        Some(k) if k.len() == key.len() => k.copy_from_slice(key),
        _ => *slot = Some(key.into()),
    }
}

// ---------------------------------------------------------------------------------------
// monotonic on u64

/// A position that only moves forward (a high-water mark of observed epochs).
#[derive(Clone, Debug, Default)]
pub struct Position {
    /// The highest value observed.
    pub pos: u64,
}

impl Position {
    /// Observe `seen`, keeping the maximum.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.pos")
    )]
    #[inline(never)]
    pub fn observe_distaudit(&mut self, seen: u64) {
        self.pos = opaque(self.pos.max(seen));
    }

    /// Same, with the check written by hand.
    ///
    /// # Panics
    /// When the position regressed.
    #[inline(never)]
    pub fn observe_hand(&mut self, seen: u64) {
        let before = self.pos;
        self.pos = opaque(self.pos.max(seen));
        assert!(self.pos >= before, "monotonic(self.pos) violated");
    }

    /// Same, unchecked.
    #[inline(never)]
    pub fn observe_bare(&mut self, seen: u64) {
        self.pos = opaque(self.pos.max(seen));
    }
}

/// A counter with a postcondition against its entry value and a precondition on its input
/// (`ensures` with `old`, `requires`): the language's newer kinds.
#[derive(Clone, Debug, Default)]
pub struct Counter {
    /// The count.
    pub count: u64,
}

impl Counter {
    /// Add `by` (at least 1), so the count grows.
    #[coordination(
        pattern = "retry",
        cite = "bacon-2017",
        requires = "by > 0",
        ensures(holds = "self.count > old(self.count)")
    )]
    #[inline(never)]
    pub fn bump_distaudit(&mut self, by: u64) {
        self.count = opaque(self.count.wrapping_add(by | 1));
    }

    /// Same, with the checks written by hand.
    ///
    /// # Panics
    /// When `by` is 0 or the count did not grow.
    #[inline(never)]
    pub fn bump_hand(&mut self, by: u64) {
        assert!(by > 0, "requires(by > 0) violated");
        let before = self.count;
        self.count = opaque(self.count.wrapping_add(by | 1));
        assert!(
            self.count > before,
            "ensures(self.count > old(self.count)) violated"
        );
    }

    /// Same, unchecked.
    #[inline(never)]
    pub fn bump_bare(&mut self, by: u64) {
        self.count = opaque(self.count.wrapping_add(by | 1));
    }
}

// ---------------------------------------------------------------------------------------
// monotonic on 32-byte keys, inline (`[u8; 32]`) and on the heap (`Option<Box<[u8]>>`)

/// A cursor whose key is an inline 32-byte array.
#[derive(Clone, Debug, Default)]
pub struct ArrayCursor {
    /// The last key checkpointed.
    pub last: [u8; 32],
}

impl ArrayCursor {
    /// Checkpoint `key` if it is past the cursor.
    #[coordination(
        pattern = "retry",
        cite = "bacon-2017",
        invariant(monotonic = "self.last")
    )]
    #[inline(never)]
    pub fn advance_distaudit(&mut self, key: &[u8; 32]) {
        if *key > self.last {
            self.last = *key;
        }
    }

    /// Same, with the check written by hand.
    ///
    /// # Panics
    /// When the key regressed.
    #[inline(never)]
    pub fn advance_hand(&mut self, key: &[u8; 32]) {
        let before = self.last;
        if *key > self.last {
            self.last = *key;
        }
        assert!(self.last >= before, "monotonic(self.last) violated");
    }

    /// Same, unchecked.
    #[inline(never)]
    pub fn advance_bare(&mut self, key: &[u8; 32]) {
        if *key > self.last {
            self.last = *key;
        }
    }
}

/// A cursor whose key lives on the heap, as in the contract's examples
/// (`last_key: Option<Box<[u8]>>`). The body reuses the allocation: the only allocation per
/// call is the check's own snapshot.
#[derive(Clone, Debug, Default)]
pub struct BoxedCursor {
    /// The last key checkpointed, `None` before the first.
    pub last_key: Option<Box<[u8]>>,
}

impl BoxedCursor {
    /// Checkpoint `key` if it is past the cursor.
    #[coordination(
        pattern = "retry",
        cite = "bacon-2017",
        invariant(monotonic = "self.last_key")
    )]
    #[inline(never)]
    pub fn advance_distaudit(&mut self, key: &[u8]) {
        if self.last_key.as_deref().is_none_or(|k| key > k) {
            store(&mut self.last_key, key);
        }
    }

    /// Same, with the check written by hand (the same owned snapshot the contract asks for).
    ///
    /// # Panics
    /// When the key regressed.
    #[inline(never)]
    pub fn advance_hand(&mut self, key: &[u8]) {
        let before = self.last_key.clone();
        if self.last_key.as_deref().is_none_or(|k| key > k) {
            store(&mut self.last_key, key);
        }
        assert!(self.last_key >= before, "monotonic(self.last_key) violated");
    }

    /// Same, unchecked.
    #[inline(never)]
    pub fn advance_bare(&mut self, key: &[u8]) {
        if self.last_key.as_deref().is_none_or(|k| key > k) {
            store(&mut self.last_key, key);
        }
    }

    /// Checkpoint `key` unconditionally (the never_none subject).
    #[coordination(
        pattern = "retry",
        cite = "bacon-2017",
        invariant(never_none = "self.last_key")
    )]
    #[inline(never)]
    pub fn save_distaudit(&mut self, key: &[u8]) {
        store(&mut self.last_key, key);
    }

    /// Same, with the check written by hand the way one would: remember `is_some()`.
    ///
    /// # Panics
    /// When the key went from `Some` to `None`.
    #[inline(never)]
    pub fn save_hand(&mut self, key: &[u8]) {
        let was_some = self.last_key.is_some();
        store(&mut self.last_key, key);
        assert!(
            !was_some || self.last_key.is_some(),
            "never_none(self.last_key) violated"
        );
    }

    /// Same, with the check written by hand the way distaudit does it: clone the value.
    ///
    /// # Panics
    /// When the key went from `Some` to `None`.
    #[inline(never)]
    pub fn save_hand_clone(&mut self, key: &[u8]) {
        let before = self.last_key.clone();
        store(&mut self.last_key, key);
        assert!(
            !(before.is_some() && self.last_key.is_none()),
            "never_none(self.last_key) violated"
        );
    }

    /// Same, unchecked.
    #[inline(never)]
    pub fn save_bare(&mut self, key: &[u8]) {
        store(&mut self.last_key, key);
    }
}

/// A cursor with an optional inline key (the never_none subject without a heap).
#[derive(Clone, Debug, Default)]
pub struct OptionalCursor {
    /// The last key checkpointed, `None` before the first.
    pub last: Option<[u8; 32]>,
}

impl OptionalCursor {
    /// Checkpoint `key` unconditionally.
    #[coordination(
        pattern = "retry",
        cite = "bacon-2017",
        invariant(never_none = "self.last")
    )]
    #[inline(never)]
    pub fn save_distaudit(&mut self, key: &[u8; 32]) {
        self.last = opaque(Some(*key));
    }

    /// Same, with the check written by hand.
    ///
    /// # Panics
    /// When the key went from `Some` to `None`.
    #[inline(never)]
    pub fn save_hand(&mut self, key: &[u8; 32]) {
        let was_some = self.last.is_some();
        self.last = opaque(Some(*key));
        assert!(
            !was_some || self.last.is_some(),
            "never_none(self.last) violated"
        );
    }

    /// Same, unchecked.
    #[inline(never)]
    pub fn save_bare(&mut self, key: &[u8; 32]) {
        self.last = opaque(Some(*key));
    }
}

// ---------------------------------------------------------------------------------------
// strictly_increasing fence

/// Refused: the epoch space is exhausted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exhausted;

/// Issues fence epochs.
#[derive(Clone, Debug, Default)]
pub struct Fence {
    /// The last epoch issued.
    pub epoch: u64,
}

impl Fence {
    /// Issue the next epoch.
    ///
    /// # Errors
    /// When the epoch space is exhausted.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(strictly_increasing = "self.epoch")
    )]
    #[inline(never)]
    pub fn acquire_distaudit(&mut self) -> Result<u64, Exhausted> {
        self.epoch = opaque(self.epoch.checked_add(1).ok_or(Exhausted)?);
        Ok(self.epoch)
    }

    /// Same, with the check written by hand (on `Ok` only, as distaudit does).
    ///
    /// # Errors
    /// When the epoch space is exhausted.
    ///
    /// # Panics
    /// When an issued epoch did not increase.
    #[inline(never)]
    pub fn acquire_hand(&mut self) -> Result<u64, Exhausted> {
        let before = self.epoch;
        let result = (|| {
            self.epoch = opaque(self.epoch.checked_add(1).ok_or(Exhausted)?);
            Ok(self.epoch)
        })();
        if result.is_ok() {
            assert!(
                self.epoch > before,
                "strictly_increasing(self.epoch) violated"
            );
        }
        result
    }

    /// Same, unchecked.
    ///
    /// # Errors
    /// When the epoch space is exhausted.
    #[inline(never)]
    pub fn acquire_bare(&mut self) -> Result<u64, Exhausted> {
        self.epoch = opaque(self.epoch.checked_add(1).ok_or(Exhausted)?);
        Ok(self.epoch)
    }
}

// ---------------------------------------------------------------------------------------
// within on 32-byte keys

/// A shard: the half-open range `[start, end)` of 32-byte keys.
#[coordination(pattern = "shard", cite = "chang-2006")]
#[derive(Clone, Debug)]
pub struct Shard {
    /// Inclusive start.
    pub start: [u8; 32],
    /// Exclusive end.
    pub end: [u8; 32],
}

/// A cursor inside a shard.
#[derive(Clone, Debug)]
pub struct ShardCursor {
    /// The last key checkpointed.
    pub last: [u8; 32],
    /// The shard the cursor scans.
    pub shard: Shard,
}

impl ShardCursor {
    /// A cursor at the start of `[key32(start), key32(end))`.
    #[must_use]
    pub fn new(start: u64, end: u64) -> Self {
        ShardCursor {
            last: key32(start),
            shard: Shard {
                start: key32(start),
                end: key32(end),
            },
        }
    }

    /// Move to `key` if the shard holds it.
    #[coordination(
        pattern = "shard",
        cite = "chang-2006",
        invariant(within(key = "self.last", range = "self.shard"))
    )]
    #[inline(never)]
    pub fn seek_distaudit(&mut self, key: &[u8; 32]) {
        if self.shard.contains_key(key) {
            self.last = *key;
        }
    }

    /// Same, with the check written by hand.
    ///
    /// # Panics
    /// When the cursor left its shard.
    #[inline(never)]
    pub fn seek_hand(&mut self, key: &[u8; 32]) {
        if self.shard.contains_key(key) {
            self.last = *key;
        }
        assert!(
            self.shard.contains_key(&self.last),
            "within(key = self.last, range = self.shard) violated"
        );
    }

    /// Same, unchecked.
    #[inline(never)]
    pub fn seek_bare(&mut self, key: &[u8; 32]) {
        if self.shard.contains_key(key) {
            self.last = *key;
        }
    }
}

// ---------------------------------------------------------------------------------------
// a probe: are the woven checks live in this build?

/// Seeded bug: reissues the current epoch.
#[coordination(
    pattern = "fencing",
    cite = "burrows-2006",
    invariant(strictly_increasing = "fence.epoch")
)]
#[inline(never)]
fn reissue(fence: &mut Fence) -> Result<u64, Exhausted> {
    Ok(fence.epoch)
}

/// Whether distaudit's checks run in this build: calls a seeded bug and sees if it panics.
#[must_use]
pub fn checks_active() -> bool {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let caught = std::panic::catch_unwind(|| {
        let mut fence = Fence::default();
        let _ = reissue(std::hint::black_box(&mut fence));
    })
    .is_err();
    std::panic::set_hook(hook);
    caught
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_agree() {
        let (mut a, mut b, mut c) = (
            Position::default(),
            Position::default(),
            Position::default(),
        );
        for n in [3, 1, 7, 7, 2] {
            a.observe_distaudit(n);
            b.observe_hand(n);
            c.observe_bare(n);
        }
        assert_eq!((a.pos, b.pos, c.pos), (7, 7, 7));

        let mut f = Fence::default();
        assert_eq!(f.acquire_distaudit(), Ok(1));
        assert_eq!(f.acquire_hand(), Ok(2));
        assert_eq!(f.acquire_bare(), Ok(3));

        let mut s = ShardCursor::new(10, 20);
        s.seek_distaudit(&key32(15));
        s.seek_hand(&key32(25));
        s.seek_bare(&key32(5));
        assert_eq!(s.last, key32(15));

        let mut k = BoxedCursor::default();
        k.advance_distaudit(&key32(2));
        k.advance_hand(&key32(1));
        k.save_distaudit(&key32(4));
        k.save_hand(&key32(5));
        k.save_hand_clone(&key32(6));
        assert_eq!(k.last_key.as_deref(), Some(&key32(6)[..]));

        let mut o = OptionalCursor::default();
        o.save_distaudit(&key32(1));
        o.save_hand(&key32(2));
        o.save_bare(&key32(3));
        assert_eq!(o.last, Some(key32(3)));

        let mut r = ArrayCursor::default();
        r.advance_distaudit(&key32(9));
        r.advance_hand(&key32(8));
        r.advance_bare(&key32(10));
        assert_eq!(r.last, key32(10));
    }

    /// distaudit's default keeps checks on in tests.
    #[test]
    fn checks_are_woven_in_tests() {
        assert_eq!(checks_active(), MODE != "off");
    }
}
