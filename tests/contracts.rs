//! Pre- and postconditions, `old(..)`, `ret` by value, type invariants and values printed
//! by type: each shown catching a seeded bug, and the corrected code passing.
#![deny(warnings, clippy::pedantic)]
#![allow(
    clippy::missing_errors_doc,
    clippy::missing_panics_doc,
    clippy::must_use_candidate
)]

use distaudit::coordination;

#[derive(Debug, PartialEq, Eq)]
pub enum RenewError {
    Expired,
}

pub struct Lease {
    pub fence: u64,
    pub deadline: u64,
}

impl Lease {
    /// Renew keeps the fence: `old(..)` says so.
    #[coordination(
        pattern = "lease",
        cite = "gray-cheriton-1989",
        requires = "now > 0",
        ensures(holds = "self.fence == old(self.fence)"),
        ensures(holds = "ret > now")
    )]
    pub fn renew(&mut self, now: u64) -> Result<u64, RenewError> {
        if now >= self.deadline {
            return Err(RenewError::Expired);
        }
        self.deadline = now + 10;
        Ok(self.deadline)
    }

    /// Seeded bug: renewing bumps the fence.
    #[coordination(
        pattern = "lease",
        cite = "gray-cheriton-1989",
        ensures(holds = "self.fence == old(self.fence)")
    )]
    pub fn renew_buggy(&mut self, now: u64) -> Result<u64, RenewError> {
        if now >= self.deadline {
            return Err(RenewError::Expired);
        }
        self.fence += 1;
        self.deadline = now + 10;
        Ok(self.deadline)
    }

    /// Seeded bug: issues an epoch no larger than the one before.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.fence"),
        ensures(holds = "ret > old(self.fence)")
    )]
    pub fn grant_buggy(&mut self) -> Option<u64> {
        Some(self.fence)
    }
}

#[test]
fn renew_passes_and_refusal_is_not_checked() {
    let mut lease = Lease {
        fence: 7,
        deadline: 5,
    };
    assert_eq!(lease.renew(1), Ok(11));
    // A refused renew: ensures(..) is a postcondition of success only.
    assert_eq!(lease.renew(50), Err(RenewError::Expired));
}

#[test]
#[should_panic(
    expected = "invariant ensures holds(self.fence == old(self.fence)) violated in contracts::Lease::renew_buggy (gray-cheriton-1989): false on exit: left 8, right 7"
)]
fn old_catches_a_changed_fence_and_prints_epochs_in_clear() {
    let mut lease = Lease {
        fence: 7,
        deadline: 5,
    };
    let _ = lease.renew_buggy(1);
}

#[test]
#[should_panic(
    expected = "requires(now > 0) violated in contracts::Lease::renew (gray-cheriton-1989): false on entry: the caller broke the precondition: left 0, right 0"
)]
fn requires_blames_the_caller() {
    let mut lease = Lease {
        fence: 1,
        deadline: 5,
    };
    let _ = lease.renew(0);
}

#[test]
#[should_panic(
    expected = "ensures holds(ret > old(self.fence)) violated in contracts::Lease::grant_buggy (burrows-2006): false on exit: left 3, right 3"
)]
fn ret_is_the_value_compared_with_the_entry_value() {
    let mut lease = Lease {
        fence: 3,
        deadline: 0,
    };
    let _ = lease.grant_buggy();
}

/// Comparisons whose sides settle their own types are compared by the runtime's helper;
/// one whose side takes its type from the other (`None`) is compared where it is written.
/// Both report their sides, each by its type's rule.
pub struct Resume {
    pub cursor: Option<Box<[u8]>>,
    pub pages: Vec<u64>,
}

impl Resume {
    #[coordination(
        pattern = "lease",
        cite = "gray-cheriton-1989",
        requires = "1 <= now",
        requires = "self.cursor != None",
        ensures(holds = "self.pages != Vec::new()")
    )]
    pub fn resume(&mut self, now: u64) {
        self.pages.push(now);
    }

    /// Seeded bug: a reset that keeps the cursor.
    #[coordination(
        pattern = "lease",
        cite = "gray-cheriton-1989",
        ensures(holds = "self.cursor == None")
    )]
    pub fn reset_buggy(&mut self) {
        self.pages.clear();
    }
}

#[test]
fn comparisons_of_every_shape_pass_when_they_hold() {
    let mut r = Resume {
        cursor: Some(Box::from(&b"k"[..])),
        pages: Vec::new(),
    };
    r.resume(3);
    assert_eq!(r.pages, [3]);
}

#[test]
#[should_panic(
    expected = "requires(1 <= now) violated in contracts::Resume::resume (gray-cheriton-1989): false on entry: the caller broke the precondition: left 1, right 0"
)]
fn a_literal_side_is_shown_in_clear() {
    let mut r = Resume {
        cursor: Some(Box::from(&b"k"[..])),
        pages: Vec::new(),
    };
    r.resume(0);
}

#[test]
#[should_panic(
    expected = "requires(self.cursor != None) violated in contracts::Resume::resume (gray-cheriton-1989): false on entry: the caller broke the precondition: left None, right None"
)]
fn a_side_typed_by_the_other_is_compared_where_it_is_written() {
    let mut r = Resume {
        cursor: None,
        pages: Vec::new(),
    };
    r.resume(3);
}

#[test]
#[should_panic(expected = "false on exit: left Some(len 1 #")]
fn a_key_compared_with_none_is_shown_by_its_fingerprint() {
    let mut r = Resume {
        cursor: Some(Box::from(&b"k"[..])),
        pages: vec![1],
    };
    r.reset_buggy();
}

/// A trait implemented for `()`: the unit type is the owner a failure names like any other.
pub trait Tick {
    fn tick(&mut self, n: u64);
}

impl Tick for () {
    #[coordination(pattern = "lease", cite = "gray-cheriton-1989", requires = "n > 0")]
    fn tick(&mut self, n: u64) {
        let _ = n;
    }
}

#[test]
#[should_panic(expected = "requires(n > 0) violated in ()::tick (gray-cheriton-1989)")]
fn the_unit_type_is_named_as_the_owner() {
    ().tick(0);
}

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Spec {
    pub start: Vec<u8>,
    pub end: Vec<u8>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum UpdateError {
    OutOfRange,
}

/// A validator: its postcondition holds on `Ok`, and it refuses what would break it.
#[coordination(
    pattern = "cursor",
    cite = "bacon-2017",
    ensures(within(key = "key", range = "spec"))
)]
pub fn validate(key: &[u8], spec: &Spec) -> Result<(), UpdateError> {
    if distaudit::KeyRange::contains_key(spec, key) {
        Ok(())
    } else {
        Err(UpdateError::OutOfRange)
    }
}

/// Seeded bug: the validator lets the end bound itself through.
#[coordination(
    pattern = "cursor",
    cite = "bacon-2017",
    ensures(within(key = "key", range = "spec"))
)]
pub fn validate_buggy(key: &[u8], spec: &Spec) -> Result<(), UpdateError> {
    if key >= spec.start.as_slice() && key <= spec.end.as_slice() {
        Ok(())
    } else {
        Err(UpdateError::OutOfRange)
    }
}

#[test]
fn a_validator_refuses_out_of_range_input_without_a_panic() {
    let spec = Spec {
        start: b"b".to_vec(),
        end: b"m".to_vec(),
    };
    assert_eq!(validate(b"c", &spec), Ok(()));
    assert_eq!(validate(b"z", &spec), Err(UpdateError::OutOfRange));
    assert_eq!(validate(b"a", &spec), Err(UpdateError::OutOfRange));
}

#[test]
#[should_panic(expected = "ensures within(key = key, range = spec) violated")]
fn ensures_within_catches_an_accepted_out_of_range_key() {
    let spec = Spec {
        start: b"b".to_vec(),
        end: b"m".to_vec(),
    };
    let _ = validate_buggy(b"m", &spec);
}

/// A run of shards that tiles the keyspace: a property of the type, written once.
#[coordination(
    pattern = "state-machine",
    cite = "schneider-1990",
    invariant(holds = "self.tiles()", upholds = "D2.2")
)]
pub struct Run {
    pub bounds: Vec<Vec<u8>>,
}

#[derive(Debug)]
pub struct SplitError;

#[distaudit::audit]
impl Run {
    pub fn new() -> Self {
        Run {
            bounds: vec![Vec::new(), Vec::new()],
        }
    }

    fn tiles(&self) -> bool {
        self.bounds.len() >= 2
            && self.bounds.first().is_some_and(Vec::is_empty)
            && self.bounds.last().is_some_and(Vec::is_empty)
            && self.bounds[1..self.bounds.len() - 1]
                .windows(2)
                .all(|w| w[0] < w[1])
    }

    pub fn split(&mut self, at: &[u8]) -> Result<(), SplitError> {
        if at.is_empty() || self.bounds.iter().any(|b| b.as_slice() == at) {
            return Err(SplitError);
        }
        let inner = self.bounds.len() - 1;
        let pos = self.bounds[1..inner].partition_point(|b| b.as_slice() < at) + 1;
        self.bounds.insert(pos, at.to_vec());
        Ok(())
    }

    /// Seeded bug: appends the split point without keeping the bounds sorted.
    pub fn split_buggy(&mut self, at: &[u8]) {
        let inner = self.bounds.len() - 1;
        self.bounds.insert(inner, at.to_vec());
    }
}

impl Default for Run {
    fn default() -> Self {
        Self::new()
    }
}

/// A lease window whose grant never precedes its expiry: a type invariant written as a
/// comparison, whose failure shows both sides.
#[coordination(
    pattern = "lease",
    cite = "gray-cheriton-1989",
    invariant(holds = "self.granted_at <= self.expires_at")
)]
pub struct Window {
    pub granted_at: u64,
    pub expires_at: u64,
}

#[distaudit::audit]
impl Window {
    /// A `const fn` constructor (issue 21, workaround 7: the check woven after it once
    /// called a non-const probe, E0015). A const context cannot run the check: the docs say
    /// so, and it compiles.
    #[must_use]
    pub const fn new(granted_at: u64, expires_at: u64) -> Self {
        Window {
            granted_at,
            expires_at,
        }
    }

    pub fn extend(&mut self, by: u64) {
        self.expires_at = self.expires_at.saturating_add(by);
    }

    /// Seeded bug: moves the grant without the expiry.
    pub fn regrant_buggy(&mut self, now: u64) {
        self.granted_at = now;
    }
}

#[test]
fn a_comparison_type_invariant_holds_across_correct_methods() {
    const W: Window = Window::new(3, 5);
    let mut w = W;
    w.extend(2);
    assert_eq!(w.expires_at, 7);
}

#[test]
#[should_panic(
    expected = "type invariant holds(self.granted_at <= self.expires_at) of contracts::Window violated after Window::regrant_buggy (gray-cheriton-1989): false: left 9, right 5"
)]
fn a_comparison_type_invariant_shows_both_sides_when_it_fails() {
    let mut w = Window {
        granted_at: 3,
        expires_at: 5,
    };
    w.regrant_buggy(9);
}

/// A scan that stays inside its shard: a type invariant written as `within`, checked after
/// `&mut self` methods and after a constructor returning `Result<Self, _>`.
#[coordination(
    pattern = "state-machine",
    cite = "schneider-1990",
    invariant(within(key = "self.at", range = "self.shard"))
)]
pub struct Scan {
    pub at: Vec<u8>,
    pub shard: Spec,
}

#[distaudit::audit]
impl Scan {
    pub fn open(shard: Spec) -> Result<Self, UpdateError> {
        Ok(Scan {
            at: shard.start.clone(),
            shard,
        })
    }

    /// Seeded bug: a constructor that starts past its shard's end.
    pub fn open_buggy(shard: Spec) -> Result<Self, UpdateError> {
        Ok(Scan {
            at: b"zz".to_vec(),
            shard,
        })
    }

    pub fn advance(&mut self, to: &[u8]) -> Result<(), UpdateError> {
        if !distaudit::KeyRange::contains_key(&self.shard, to) {
            return Err(UpdateError::OutOfRange);
        }
        self.at = to.to_vec();
        Ok(())
    }

    /// Seeded bug: moves without asking the shard.
    pub fn advance_buggy(&mut self, to: &[u8]) {
        self.at = to.to_vec();
    }
}

fn shard_b_to_m() -> Spec {
    Spec {
        start: b"b".to_vec(),
        end: b"m".to_vec(),
    }
}

#[test]
fn a_within_type_invariant_holds_across_correct_methods() {
    let mut scan = Scan::open(shard_b_to_m()).unwrap();
    scan.advance(b"c").unwrap();
    assert_eq!(scan.advance(b"z"), Err(UpdateError::OutOfRange));
    assert_eq!(scan.at, b"c".to_vec());
}

#[test]
#[should_panic(
    expected = "type invariant within(key = self.at, range = self.shard) of contracts::Scan violated after Scan::advance_buggy (schneider-1990): key higher than the range's end, first difference at byte 0, len 1 vs 1"
)]
fn a_within_type_invariant_catches_a_method_that_leaves_the_shard() {
    let mut scan = Scan::open(shard_b_to_m()).unwrap();
    scan.advance_buggy(b"z");
}

#[test]
#[should_panic(
    expected = "type invariant within(key = self.at, range = self.shard) of contracts::Scan violated after Scan::open_buggy (schneider-1990): key higher than the range's end, first difference at byte 0, len 2 vs 1"
)]
fn a_type_invariant_catches_a_constructor_that_breaks_it() {
    let _ = Scan::open_buggy(shard_b_to_m());
}

#[test]
fn type_invariant_holds_across_correct_methods() {
    let mut run = Run::new();
    run.split(b"m").unwrap();
    run.split(b"c").unwrap();
    assert!(run.split(b"c").is_err());
    assert_eq!(run.bounds.len(), 4);
}

#[test]
#[should_panic(
    expected = "type invariant holds(self.tiles()) of contracts::Run violated after Run::split_buggy (D2.2, chang-2006)"
)]
fn type_invariant_catches_a_method_that_breaks_it() {
    let mut run = Run::new();
    run.split_buggy(b"m");
    run.split_buggy(b"c");
}

/// Fences per shard that never decrease, and a terminal state that never changes: history
/// invariants (`old(..)`) written once on the type (issue 21, workaround 10), checked after
/// every `&mut self` method of each of its audited impls against the value on entry.
#[coordination(
    pattern = "fencing",
    cite = "burrows-2006",
    invariant(
        holds = "self.fences.iter().zip(old(self.fences.clone())).all(|(now, was)| *now >= was)"
    ),
    invariant(holds = "!old(self.done) || self.done")
)]
#[derive(Debug, Default)]
pub struct Ledger {
    pub fences: Vec<u64>,
    pub done: bool,
}

#[distaudit::audit]
impl Ledger {
    pub fn bump(&mut self, shard: usize) -> Option<u64> {
        let fence = self.fences.get_mut(shard)?;
        *fence += 1;
        Some(*fence)
    }

    /// Seeded bug: hands out an older fence again.
    pub fn rewind_buggy(&mut self, shard: usize) {
        if let Some(fence) = self.fences.get_mut(shard) {
            *fence = fence.saturating_sub(1);
        }
    }
}

/// A second impl of the same type: its methods are held to the type's history invariants
/// too, written nowhere on them.
#[distaudit::audit]
pub trait Finish {
    fn finish(&mut self);
    fn reopen_buggy(&mut self);
}

#[distaudit::audit]
impl Finish for Ledger {
    fn finish(&mut self) {
        self.done = true;
    }

    /// Seeded bug: a terminal state undone.
    fn reopen_buggy(&mut self) {
        self.done = false;
    }
}

#[test]
fn history_type_invariants_hold_across_correct_methods() {
    let mut ledger = Ledger {
        fences: vec![0, 3],
        done: false,
    };
    assert_eq!(ledger.bump(1), Some(4));
    ledger.finish();
    ledger.finish();
    assert_eq!(ledger.bump(7), None);
}

#[test]
#[should_panic(
    expected = "type invariant holds(self.fences.iter().zip(old(self.fences.clone())).all(|(now, was)| *now >= was)) of contracts::Ledger violated after Ledger::rewind_buggy (burrows-2006): false"
)]
fn a_history_type_invariant_catches_a_fence_handed_out_again() {
    let mut ledger = Ledger {
        fences: vec![0, 3],
        done: false,
    };
    ledger.rewind_buggy(1);
}

#[test]
#[should_panic(
    expected = "type invariant holds(!old(self.done) || self.done) of contracts::Ledger violated after Ledger::reopen_buggy (burrows-2006): false"
)]
fn a_history_type_invariant_holds_in_every_audited_impl_of_the_type() {
    let mut ledger = Ledger::default();
    ledger.finish();
    ledger.reopen_buggy();
}

/// A lease table whose history invariant reads the call's logical time: a lease live at `now`
/// is never taken from its holder (the first user's S1), written once on the type (issue 21,
/// workaround 1) and checked after every `&mut self` method that takes `now: Moment`.
#[coordination(
    pattern = "lease",
    cite = "gray-cheriton-1989",
    invariant(
        holds = "old(self.holder).is_none_or(|(who, until)| now >= until || self.holder.is_some_and(|(h, _)| h == who))",
        now = "Moment"
    )
)]
#[derive(Debug, Default)]
pub struct Table {
    /// The holder and the tick its lease runs until.
    pub holder: Option<(u8, Moment)>,
}

/// Logical time, passed in.
pub type Moment = u64;

#[distaudit::audit]
impl Table {
    /// Take the lease for `who` until `now + 10`, if it is free or lapsed.
    pub fn acquire(&mut self, now: Moment, who: u8) -> bool {
        if self.holder.is_some_and(|(_, until)| now < until) {
            return false;
        }
        self.holder = Some((who, now + 10));
        true
    }

    /// Seeded bug: takes the lease without looking at the holder's deadline.
    pub fn steal_buggy(&mut self, now: Moment, who: u8) {
        self.holder = Some((who, now + 10));
    }

    /// Takes no logical time: the check that reads `now` cannot run after it (and does not).
    pub fn clear(&mut self) {
        self.holder = None;
    }
}

#[test]
fn a_type_invariant_reading_now_holds_across_correct_methods() {
    let mut table = Table::default();
    assert!(table.acquire(0, 1));
    assert!(!table.acquire(5, 2));
    assert!(table.acquire(10, 2));
    table.clear();
}

#[test]
#[should_panic(
    expected = "of contracts::Table violated after Table::steal_buggy (gray-cheriton-1989): false"
)]
fn a_type_invariant_reading_now_catches_a_live_lease_taken() {
    let mut table = Table::default();
    assert!(table.acquire(0, 1));
    table.steal_buggy(5, 2);
}

#[test]
fn a_type_invariant_reading_now_lets_a_lapsed_lease_be_taken() {
    let mut table = Table::default();
    assert!(table.acquire(0, 1));
    table.steal_buggy(12, 2);
    assert_eq!(table.holder, Some((2, 22)));
}

#[distaudit::audit]
pub trait Fences {
    /// Issue the next fence epoch.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.current()"),
        ensures(holds = "ret > old(self.current())")
    )]
    fn issue(&mut self) -> Option<u64>;

    fn current(&self) -> u64;
}

pub struct Good(u64);

#[distaudit::audit]
impl Fences for Good {
    fn issue(&mut self) -> Option<u64> {
        self.0 += 1;
        Some(self.0)
    }

    fn current(&self) -> u64 {
        self.0
    }
}

/// Seeded bug: re-issues the current fence.
pub struct Stale(u64);

#[distaudit::audit]
impl Fences for Stale {
    fn issue(&mut self) -> Option<u64> {
        Some(self.0)
    }

    fn current(&self) -> u64 {
        self.0
    }
}

#[test]
fn a_trait_contract_holds_for_a_correct_impl_even_through_dyn() {
    let mut good = Good(0);
    let fences: &mut dyn Fences = &mut good;
    assert_eq!(fences.issue(), Some(1));
    assert_eq!(fences.issue(), Some(2));
}

#[test]
#[should_panic(
    expected = "invariant ensures holds(ret > old(self.current())) violated in contracts::Stale::issue (burrows-2006): false on exit: left 4, right 4"
)]
fn a_trait_contract_catches_an_impl_that_breaks_it() {
    let mut stale = Stale(4);
    let fences: &mut dyn Fences = &mut stale;
    let _ = fences.issue();
}

/// Why an attempt was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused;

/// A counter whose buggy methods lower it: one on success, one on a refused call.
pub struct Attempts {
    pub n: u64,
}

impl Attempts {
    /// Seeded bug: a successful call lowers the count. `ensures` checks successes.
    #[coordination(pattern = "retry", cite = "bacon-2017", ensures(monotonic = "self.n"))]
    pub fn record_buggy(&mut self) -> Result<u64, Refused> {
        self.n = self.n.saturating_sub(1);
        Ok(self.n)
    }

    /// The same lowering on a refused call: `ensures` does not look at it.
    #[coordination(pattern = "retry", cite = "bacon-2017", ensures(monotonic = "self.n"))]
    pub fn refuse_lowering(&mut self) -> Result<u64, Refused> {
        self.n = self.n.saturating_sub(1);
        Err(Refused)
    }

    /// Seeded bug: a refused call lowers the count. `invariant` checks every exit.
    #[coordination(
        pattern = "retry",
        cite = "bacon-2017",
        invariant(monotonic = "self.n")
    )]
    pub fn retry_buggy(&mut self) -> Result<u64, Refused> {
        self.n = self.n.saturating_sub(1);
        Err(Refused)
    }
}

#[test]
#[should_panic(expected = "monotonic(self.n) violated")]
fn ensures_monotonic_catches_a_success_that_lowers_the_count() {
    let _ = Attempts { n: 3 }.record_buggy();
}

#[test]
fn ensures_does_not_check_a_refused_call() {
    let mut a = Attempts { n: 3 };
    assert_eq!(a.refuse_lowering(), Err(Refused));
    assert_eq!(a.n, 2);
}

#[test]
#[should_panic(expected = "monotonic(self.n) violated")]
fn an_invariant_is_checked_on_a_refused_call_too() {
    let _ = Attempts { n: 3 }.retry_buggy();
}

/// A store whose fences never decrease, said once on the impl (issue 21, workaround 10): the
/// impl-wide check is added to every annotated method with a receiver, which states only
/// its pattern and citation; `describe`, without a receiver, gets none.
pub struct FenceStore {
    pub fence: u64,
}

#[distaudit::audit(invariant(holds = "self.fence >= old(self.fence)"))]
impl FenceStore {
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    pub fn grant(&mut self) -> u64 {
        self.fence += 1;
        self.fence
    }

    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    pub fn renew(&mut self) -> u64 {
        self.fence
    }

    /// Seeded bug: a reset lowers the fence.
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    pub fn reset_buggy(&mut self) {
        self.fence = 0;
    }

    #[coordination(pattern = "idempotency", cite = "kafka-kip-98")]
    #[must_use]
    pub fn describe(fence: u64) -> String {
        format!("fence {fence}")
    }
}

#[test]
fn an_impl_wide_check_holds_across_correct_methods() {
    let mut s = FenceStore { fence: 1 };
    assert_eq!(s.grant(), 2);
    assert_eq!(s.renew(), 2);
    assert_eq!(FenceStore::describe(2), "fence 2");
}

#[test]
#[should_panic(expected = "holds(self.fence >= old(self.fence)) violated")]
fn an_impl_wide_check_catches_the_method_that_breaks_it() {
    FenceStore { fence: 4 }.reset_buggy();
}

/// A split plan holding its children in a `Vec` (issue 21, workaround 6): it owns ranges,
/// so no bound is asked of it, and its type invariant says the children tile the parent.
#[coordination(
    pattern = "shard",
    cite = "chang-2006",
    invariant(holds = "distaudit::tiles(&self.parent, &self.children)")
)]
pub struct SplitPlan {
    pub parent: Spec,
    pub children: Vec<Spec>,
}

#[distaudit::audit]
impl SplitPlan {
    /// Two children meeting at `at`, inside the parent.
    #[must_use]
    pub fn split_at(parent: Spec, at: &[u8]) -> Option<Self> {
        if at <= parent.start.as_slice() || (!parent.end.is_empty() && at >= parent.end.as_slice())
        {
            return None;
        }
        let children = vec![
            Spec {
                start: parent.start.clone(),
                end: at.to_vec(),
            },
            Spec {
                start: at.to_vec(),
                end: parent.end.clone(),
            },
        ];
        Some(SplitPlan { parent, children })
    }

    /// Seeded bug: the right child starts one byte past the split key, leaving a gap.
    #[must_use]
    pub fn split_buggy(parent: Spec, at: &[u8]) -> Option<Self> {
        let mut past = at.to_vec();
        past.push(0);
        let children = vec![
            Spec {
                start: parent.start.clone(),
                end: at.to_vec(),
            },
            Spec {
                start: past,
                end: parent.end.clone(),
            },
        ];
        Some(SplitPlan { parent, children })
    }
}

#[test]
fn a_split_whose_children_tile_the_parent_passes() {
    let parent = Spec {
        start: b"b".to_vec(),
        end: Vec::new(),
    };
    let plan = SplitPlan::split_at(parent, b"m").expect("inside");
    assert_eq!(plan.children.len(), 2);
}

#[test]
#[should_panic(expected = "holds(distaudit::tiles(&self.parent, &self.children))")]
fn a_split_that_leaves_a_gap_is_caught_by_the_tiling_check() {
    let parent = Spec {
        start: b"b".to_vec(),
        end: Vec::new(),
    };
    let _ = SplitPlan::split_buggy(parent, b"m");
}

/// A coordinator method instrumented with `#[tracing::instrument]` above `#[coordination]`
/// (issue 21: the first user instruments everything). Tracing moves the `async fn`'s body
/// into an `async move` block that takes `self`; the checks are woven inside that block, so
/// they read `self` where the body does (E0382 before), with `ret` nested once more.
pub struct Traced {
    pub fence: u64,
}

impl Traced {
    #[tracing::instrument(skip(self))]
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.fence")
    )]
    pub async fn grant(&mut self, by: u64) -> u64 {
        self.fence += by;
        self.fence
    }

    /// Seeded bug: lowers the fence.
    #[tracing::instrument(skip(self), ret)]
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.fence")
    )]
    pub async fn reset_buggy(&mut self) -> u64 {
        self.fence = 0;
        self.fence
    }
}

#[test]
fn checks_run_under_tracing_instrument() {
    let mut t = Traced { fence: 1 };
    assert_eq!(distaudit::__private::block_on(t.grant(2)), 3);
}

#[test]
#[should_panic(expected = "monotonic(self.fence) violated")]
fn checks_under_tracing_instrument_catch_a_lowered_fence() {
    let mut t = Traced { fence: 4 };
    let _ = distaudit::__private::block_on(t.reset_buggy());
}

/// Issue 21, workaround 4: "the fence of the shard in `ret` is larger than any fence that
/// shard had before", with no counter kept for the check: `old(..)` snapshots the table of
/// fences on entry, and the postcondition reads the entry for the shard `ret` names.
pub struct Grants {
    pub fences: std::collections::BTreeMap<u32, u64>,
}

impl Grants {
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        ensures(
            holds = "old(self.fences.clone()).get(&ret.0).is_none_or(|before| ret.1 > *before)"
        )
    )]
    pub fn grant(&mut self, shard: u32) -> (u32, u64) {
        let next = self.fences.get(&shard).map_or(1, |f| f + 1);
        self.fences.insert(shard, next);
        (shard, next)
    }

    /// Seeded bug: reissues the shard's current fence.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        ensures(
            holds = "old(self.fences.clone()).get(&ret.0).is_none_or(|before| ret.1 > *before)"
        )
    )]
    pub fn grant_buggy(&mut self, shard: u32) -> (u32, u64) {
        let current = *self.fences.entry(shard).or_insert(1);
        (shard, current)
    }
}

#[test]
fn a_fence_known_only_from_ret_is_checked_against_the_shard_s_history() {
    let mut g = Grants {
        fences: std::collections::BTreeMap::new(),
    };
    assert_eq!(g.grant(7), (7, 1));
    assert_eq!(g.grant(7), (7, 2));
    assert_eq!(g.grant(8), (8, 1));
}

#[test]
#[should_panic(expected = "violated")]
fn a_reissued_fence_known_only_from_ret_is_caught() {
    let mut g = Grants {
        fences: std::collections::BTreeMap::from([(7, 3)]),
    };
    let _ = g.grant_buggy(7);
}
