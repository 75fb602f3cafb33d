//! Adversarial steps: each pattern's violation scenario, made executable, with its own
//! oracle. Generated state machines draw them beside the user's calls; each one picks what
//! it needs from what the case did so far ([`History`]), makes one call and judges it:
//!
//! - `fencing`: a fence older than one the receiver issued or accepted since, for the same
//!   shard, presented on a fresh call: refused, and nothing changes; and every grant (an
//!   accepted call that presents no lease and issues one) issues a fence above any its
//!   shard had;
//! - `replay`: an accepted call with an op id, made again: accepted again, and nothing
//!   changes;
//! - `conflict`: an accepted call's op id with another payload: refused, and nothing
//!   changes;
//! - `lease`: the latest lease of a shard presented at the time it lapses (the zombie):
//!   refused, and nothing changes;
//! - `cursor`: the last call that checkpointed a shard's cursor, made again with an earlier,
//!   lower cursor of the same shard, or (where the call names its shard's range) with a
//!   cursor outside that range: refused, and nothing changes;
//! - `split`: a fresh split at a key an accepted split made a shard bound (an empty child
//!   on one side, a key outside the range on the other): refused, and nothing changes; or
//!   at the key just past it (the smallest child there is), judged by the woven checks.
//!
//! A step that finds nothing to attack yet (no accepted call with an op id, no stale fence)
//! is not formed, and counts nowhere. "Nothing changes" compares the receiver before and
//! after ([`Seal`]); values in messages are described as woven checks describe them.

use super::{Machine, Outcome};
use crate::runtime::{Describer, describe_change};
use proptest::sample::Index;
use std::any::Any;
use std::cmp::Ordering;
use std::fmt::{self, Debug, Formatter};
use std::rc::Rc;

/// How many of the latest accepted calls with an op id a replay or a conflict picks from: a
/// receiver may forget old op ids (a bounded window), not the last few.
pub const REPLAY_WINDOW: usize = 4;

/// An adversarial step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// An older fence after a newer one: refused.
    Fencing,
    /// The same op id, the same payload: the recorded outcome.
    Replay,
    /// The same op id, another payload: refused.
    Conflict,
    /// A lapsed lease: refused.
    Lease,
    /// A cursor below the last accepted one, or outside the shard's range: refused.
    Cursor,
    /// A split at a key that is already a shard bound: refused; and beside it: the woven
    /// checks judge.
    Split,
}

impl Step {
    /// As written in `without = ".."` and in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Step::Fencing => "fencing",
            Step::Replay => "replay",
            Step::Conflict => "conflict",
            Step::Lease => "lease",
            Step::Cursor => "cursor",
            Step::Split => "split",
        }
    }
}

/// One adversarial step as drawn: which one, which candidate from the history it takes, and
/// a fresh call of the user's that supplies the rest (its arguments, its op id).
#[derive(Clone)]
pub struct Attack<M> {
    step: Step,
    pick: Index,
    fresh: Box<M>,
}

impl<M> Attack<M> {
    /// A drawn step.
    #[must_use]
    pub fn new(step: Step, pick: Index, fresh: M) -> Self {
        Attack {
            step,
            pick,
            fresh: Box::new(fresh),
        }
    }

    /// Which step it is.
    #[must_use]
    pub fn step(&self) -> Step {
        self.step
    }

    /// The same step, its fresh call made a call of another machine (a joined one).
    #[must_use]
    pub fn map<N>(self, f: impl FnOnce(M) -> N) -> Attack<N> {
        Attack {
            step: self.step,
            pick: self.pick,
            fresh: Box::new(f(*self.fresh)),
        }
    }
}

impl<M: Debug> Debug for Attack<M> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.step {
            Step::Fencing => write!(f, "fencing: an older fence, on {:?}", self.fresh),
            Step::Replay => f.write_str("replay: an accepted call again, same op id"),
            Step::Conflict => write!(
                f,
                "conflict: an accepted call's op id, with the payload of {:?}",
                self.fresh
            ),
            Step::Lease => write!(
                f,
                "lease: a lapsed lease, at its deadline, on {:?}",
                self.fresh
            ),
            Step::Cursor => f.write_str(
                "cursor: the last accepted checkpoint of a shard again, with an earlier, lower cursor or one outside the shard",
            ),
            Step::Split => write!(
                f,
                "split: at or just past a key an earlier split made a bound, on {:?}",
                self.fresh
            ),
        }
    }
}

/// A value a step compares (an op id, a fence, a shard, a deadline), type-erased, with its
/// description for messages (never a key's bytes).
#[derive(Clone)]
pub struct Token {
    value: Rc<dyn Any>,
    order: fn(&dyn Any, &dyn Any) -> Option<Ordering>,
    shown: String,
    /// How a change from this value to another reads (by order for byte keys).
    change: Option<Rc<ChangeOf>>,
}

/// How a change between two values of one type reads, type-erased.
type ChangeOf = dyn Fn(&dyn Any, &dyn Any) -> Option<String>;

impl Token {
    /// An ordered value (a fence, a deadline), described as `shown`.
    pub fn ordered<T: PartialOrd + 'static>(value: T, shown: String) -> Token {
        Token {
            value: Rc::new(value),
            order: |a, b| a.downcast_ref::<T>()?.partial_cmp(b.downcast_ref::<T>()?),
            shown,
            change: None,
        }
    }

    /// An ordered value described as woven checks describe it: a change between two byte
    /// keys reads by their order ("lower than before, first difference at byte 0").
    pub fn described<T: PartialOrd + 'static>(value: T, describe: Describer<T>) -> Token {
        let shown = describe.show(&value);
        let change = move |a: &dyn Any, b: &dyn Any| {
            Some(describe_change(
                a.downcast_ref::<T>()?,
                b.downcast_ref::<T>()?,
                describe,
            ))
        };
        Token {
            change: Some(Rc::new(change)),
            ..Token::ordered(value, shown)
        }
    }

    /// A value compared for equality only (an op id, a shard), described as `shown`.
    pub fn equal<T: PartialEq + 'static>(value: T, shown: String) -> Token {
        Token {
            value: Rc::new(value),
            order: |a, b| {
                let same = a.downcast_ref::<T>()? == b.downcast_ref::<T>()?;
                same.then_some(Ordering::Equal)
            },
            shown,
            change: None,
        }
    }

    /// The change from this value to `after`, in words.
    fn change_to(&self, after: &Token) -> String {
        self.change
            .as_ref()
            .and_then(|change| change(&*self.value, &*after.value))
            .unwrap_or_else(|| format!("before {}, after {}", self.shown, after.shown))
    }

    fn compare(&self, other: &Token) -> Option<Ordering> {
        (self.order)(&*self.value, &*other.value)
    }

    fn same(&self, other: &Token) -> bool {
        self.compare(other) == Some(Ordering::Equal)
    }

    /// The bytes of a position that is a byte key (a cursor type's last key, or a key
    /// itself); `None` for any other value, or no key yet.
    fn key_bytes(&self) -> Option<&[u8]> {
        let v = &*self.value;
        v.downcast_ref::<Option<Box<[u8]>>>()
            .and_then(Option::as_deref)
            .or_else(|| v.downcast_ref::<Box<[u8]>>().map(|k| &**k))
            .or_else(|| v.downcast_ref::<Vec<u8>>().map(Vec::as_slice))
            .or_else(|| {
                v.downcast_ref::<Option<Vec<u8>>>()
                    .and_then(Option::as_deref)
            })
    }
}

impl Debug for Token {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// What a call presents, or a receiver issues, to prove it holds a shard: the value itself
/// (a lease, a fence) and what the steps read from it.
#[derive(Clone)]
pub struct Carrier {
    value: Rc<dyn Any>,
    fence: Token,
    shard: Option<Token>,
    expires: Option<Token>,
    /// The step it was seen at (accepted on a call, or returned by one).
    seen: usize,
    /// Presented since to a call that may have moved its deadline without issuing a new
    /// lease: when it lapses is no longer known.
    extended: bool,
    /// Returned by the receiver (its deadline is the receiver's), not presented by a caller
    /// (whose deadline field the receiver may never read).
    issued: bool,
}

impl Carrier {
    /// A carrier `value` with its fence, the shard it fences (`None`: one resource) and the
    /// first time at which it is lapsed (`None`: no lease step for it).
    pub fn new<T: 'static>(
        value: T,
        fence: Token,
        shard: Option<Token>,
        expires: Option<Token>,
    ) -> Carrier {
        Carrier {
            value: Rc::new(value),
            fence,
            shard,
            expires,
            seen: 0,
            extended: false,
            issued: false,
        }
    }

    /// The value, if it is a `T`.
    #[must_use]
    pub fn value<T: 'static>(&self) -> Option<&T> {
        self.value.downcast_ref()
    }

    fn same_shard(&self, other: &Carrier) -> bool {
        same_shard(self.shard.as_ref(), other.shard.as_ref())
    }
}

/// A key a split was asked to split at, type-erased: a bound once the split is accepted.
#[derive(Clone)]
pub struct SplitKey {
    value: Rc<dyn Any>,
}

impl SplitKey {
    /// The key `value` (the split parameter, as the call holds it).
    pub fn new<T: 'static>(value: T) -> SplitKey {
        SplitKey {
            value: Rc::new(value),
        }
    }

    /// The key, if it is a `T`.
    #[must_use]
    pub fn value<T: Clone + 'static>(&self) -> Option<T> {
        self.value.downcast_ref::<T>().cloned()
    }

    /// The smallest byte key above it (the key with a zero byte appended), if it is a
    /// `Vec<u8>` or a `Box<[u8]>` and `T` is one of those.
    #[must_use]
    pub fn successor<T: 'static>(&self) -> Option<T> {
        let bytes: Vec<u8> = if let Some(v) = self.value.downcast_ref::<Vec<u8>>() {
            v.clone()
        } else {
            self.value.downcast_ref::<Box<[u8]>>()?.to_vec()
        };
        let mut next = bytes;
        next.push(0);
        let boxed: Box<dyn Any> =
            if std::any::TypeId::of::<T>() == std::any::TypeId::of::<Vec<u8>>() {
                Box::new(next)
            } else {
                Box::new(next.into_boxed_slice())
            };
        boxed.downcast::<T>().ok().map(|b| *b)
    }
}

/// Whether two shards are the same: both named and equal, or both absent (one resource).
fn same_shard(a: Option<&Token>, b: Option<&Token>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.same(b),
        (None, None) => true,
        _ => false,
    }
}

/// A cursor a call checkpoints: the value itself, its position (ordered) and the shard it
/// belongs to (`None`: one resource).
#[derive(Clone)]
pub struct Cursor {
    value: Rc<dyn Any>,
    position: Token,
    shard: Option<Token>,
    /// Whether the shard is read from the cursor itself (else from what the call presents).
    own_shard: bool,
}

impl Cursor {
    /// A cursor `value` at `position` in `shard`, read from the cursor itself when
    /// `own_shard`, else from the lease or fence the call presents.
    pub fn new<T: 'static>(
        value: T,
        position: Token,
        shard: Option<Token>,
        own_shard: bool,
    ) -> Cursor {
        Cursor {
            value: Rc::new(value),
            position,
            shard,
            own_shard,
        }
    }

    /// The value, if it is a `T`.
    #[must_use]
    pub fn value<T: 'static>(&self) -> Option<&T> {
        self.value.downcast_ref()
    }

    fn same_shard(&self, other: &Cursor) -> bool {
        same_shard(self.shard.as_ref(), other.shard.as_ref())
    }
}

/// Chooses how a cursor's position is read, by autoref specialisation where its type is
/// concrete, most precise first: a cursor type's `last_key` ([`CursorKey`]); a byte key's
/// bytes; the value itself when it is ordered; else none (the cursor step is not formed for
/// it).
///
/// [`CursorKey`]: crate::runtime::CursorKey
pub struct PositionProbe<'a, T>(pub &'a T, pub Describer<T>);

/// A cursor type: ordered by its last key.
pub trait PositionByKey {
    /// The position.
    fn position(&self) -> Option<Token>;
}
impl<T: crate::runtime::CursorKey> PositionByKey for &&&PositionProbe<'_, T> {
    fn position(&self) -> Option<Token> {
        let key: Option<Box<[u8]>> = self.0.distaudit_cursor_key().map(Box::from);
        let describe = crate::runtime::probe(&key).describer();
        Some(Token::described(key, describe))
    }
}

/// A byte key (or an `Option` of one), borrowed or owned: ordered by its bytes, copied, so a
/// key borrowed from a view needs no `'static` lifetime.
pub trait PositionByBytes {
    /// The position.
    fn position(&self) -> Option<Token>;
}
impl<T: crate::runtime::WithinKey> PositionByBytes for &&PositionProbe<'_, T> {
    fn position(&self) -> Option<Token> {
        let key: Option<Box<[u8]>> = self.0.within_key().map(Box::from);
        let describe = crate::runtime::probe(&key).describer();
        Some(Token::described(key, describe))
    }
}

/// An ordered value: its own position.
pub trait PositionByOrder {
    /// The position.
    fn position(&self) -> Option<Token>;
}
impl<T: PartialOrd + Clone + 'static> PositionByOrder for &PositionProbe<'_, T> {
    fn position(&self) -> Option<Token> {
        Some(Token::described(self.0.clone(), self.1))
    }
}

/// Anything else: no position.
pub trait PositionNone {
    /// No position.
    fn position(&self) -> Option<Token>;
}
impl<T> PositionNone for PositionProbe<'_, T> {
    fn position(&self) -> Option<Token> {
        None
    }
}

/// A shard's key range, `[start, end)`, an empty end unbounded, as the cursor step reads it.
pub type KeySpan = (Box<[u8]>, Box<[u8]>);

/// An accepted call that checkpointed a cursor, at its step, with its shard's key range
/// when the call names one (`roles(range = "..")`).
struct Checkpointed<M> {
    step: usize,
    call: M,
    cursor: Cursor,
    range: Option<KeySpan>,
}

/// What a case did so far, as the steps need it.
pub struct History<M> {
    step: usize,
    /// Accepted calls with an op id: the step, the call, its op id.
    with_op: Vec<(usize, M, Token)>,
    carriers: Vec<Carrier>,
    /// Accepted calls that checkpointed a cursor: the step, the call, its cursor.
    cursors: Vec<Checkpointed<M>>,
    /// Keys accepted splits made bounds, with their step (forgotten after a merge).
    bounds: Vec<(usize, SplitKey)>,
}

impl<M> Default for History<M> {
    fn default() -> Self {
        History {
            step: 0,
            with_op: Vec::new(),
            carriers: Vec::new(),
            cursors: Vec::new(),
            bounds: Vec::new(),
        }
    }
}

impl<M: Machine> History<M> {
    /// Note that step `step` (from 1) begins.
    pub(super) fn begin(&mut self, step: usize) {
        self.step = step;
    }

    /// Note a user's call and what it did: an accepted call's op id and fence, and a
    /// carrier it returned. A grant (a call that presents no lease and issues one, not a
    /// retry) that issues a fence no larger than one its shard had is returned, in words,
    /// when the fencing step is on.
    pub(super) fn record(
        &mut self,
        call: &M,
        outcome: &Outcome,
        issued: Option<Carrier>,
        sut: &M::Sut,
    ) -> Option<String> {
        if *outcome != Outcome::Accepted {
            return None;
        }
        // A retry is answered from the op log, whatever it presents: what it presents proves
        // nothing about the shard's current fence.
        let op = call.op();
        let retry = op.as_ref().is_some_and(|op| self.op_seen(op));
        if let Some(op) = op {
            self.with_op.push((self.step, call.clone(), op));
        }
        if call.merges() {
            self.bounds.clear();
        }
        if !retry && let Some(key) = call.split_key() {
            self.bounds.push((self.step, key));
        }
        if !retry && let Some(cursor) = call.cursor() {
            self.cursors.push(Checkpointed {
                step: self.step,
                call: call.clone(),
                cursor,
                range: call.cursor_range(sut),
            });
        }
        let mut presented = call.carrier().filter(|_| !retry);
        // A renewal that issues no lease moved this lease's deadline to a time unknown here.
        if call.extends()
            && let Some(p) = &mut presented
        {
            p.extended = true;
            for c in &mut self.carriers {
                if c.same_shard(p) && c.fence.same(&p.fence) {
                    c.extended = true;
                }
            }
        }
        let issued = issued.map(|mut c| {
            c.issued = true;
            c
        });
        let grant = M::fences_grants() && !retry && call.carrier().is_none();
        let regrant = issued.as_ref().filter(|_| grant).and_then(|new| {
            let had = self.carriers.iter().find(|c| {
                c.same_shard(new)
                    && matches!(
                        c.fence.compare(&new.fence),
                        Some(Ordering::Greater | Ordering::Equal)
                    )
            })?;
            Some(format!(
                "issues fence {:?}, where its shard had fence {:?} (seen at step {})",
                new.fence, had.fence, had.seen
            ))
        });
        for mut carrier in presented.into_iter().chain(issued) {
            carrier.seen = self.step;
            self.carriers.push(carrier);
        }
        regrant
    }

    /// Whether an accepted call carried op id `op`.
    fn op_seen(&self, op: &Token) -> bool {
        self.with_op.iter().any(|(_, _, seen)| seen.same(op))
    }

    /// The newest fence seen for `carrier`'s shard, if newer than its own.
    fn newer_than(&self, carrier: &Carrier) -> Option<&Carrier> {
        self.carriers
            .iter()
            .filter(|c| c.same_shard(carrier))
            .rfind(|c| c.fence.compare(&carrier.fence) == Some(Ordering::Greater))
    }

    /// Each shard's last accepted checkpoint with every earlier cursor of that shard below
    /// it: (the earlier one, the last one).
    fn regressions(&self) -> Vec<(&Checkpointed<M>, &Checkpointed<M>)> {
        let mut out = Vec::new();
        for (i, last) in self.cursors.iter().enumerate() {
            if !self.is_last(i) {
                continue;
            }
            out.extend(
                self.cursors[..i]
                    .iter()
                    .filter(|earlier| {
                        earlier.cursor.same_shard(&last.cursor)
                            && last.cursor.position.compare(&earlier.cursor.position)
                                == Some(Ordering::Greater)
                    })
                    .map(|earlier| (earlier, last)),
            );
        }
        out
    }

    /// Whether the `i`th accepted cursor is the last of its shard.
    fn is_last(&self, i: usize) -> bool {
        let shard = &self.cursors[i].cursor;
        !self.cursors[i + 1..]
            .iter()
            .any(|later| later.cursor.same_shard(shard))
    }

    /// Each shard's last accepted checkpoint.
    fn lasts(&self) -> Vec<&Checkpointed<M>> {
        (0..self.cursors.len())
            .filter(|&i| self.is_last(i))
            .map(|i| &self.cursors[i])
            .collect()
    }

    /// The latest lease the receiver issued for each shard: the newest fence, and of those
    /// the latest expiry (a lease a caller presented says when it lapses only in its own
    /// fields, which the receiver need not read).
    fn latest_leases(&self) -> Vec<&Carrier> {
        let mut latest: Vec<&Carrier> = Vec::new();
        for c in self
            .carriers
            .iter()
            .filter(|c| c.issued && c.expires.is_some() && !c.extended)
        {
            match latest.iter_mut().find(|l| l.same_shard(c)) {
                Some(slot) => {
                    let newer = match c.fence.compare(&slot.fence) {
                        Some(Ordering::Greater) => true,
                        Some(Ordering::Equal) => {
                            matches!(
                                (&c.expires, &slot.expires),
                                (Some(a), Some(b)) if a.compare(b) == Some(Ordering::Greater)
                            )
                        }
                        _ => false,
                    };
                    if newer {
                        *slot = c;
                    }
                }
                None => latest.push(c),
            }
        }
        latest
    }
}

/// The receiver as it was before a step, to tell whether the step changed it.
pub struct Seal<S> {
    unchanged: Box<dyn Fn(&S) -> bool>,
}

impl<S> Seal<S> {
    /// A seal from a test of the receiver after the step.
    pub fn new(unchanged: impl Fn(&S) -> bool + 'static) -> Self {
        Seal {
            unchanged: Box::new(unchanged),
        }
    }

    /// Whether `sut` is as it was when sealed.
    pub fn holds(&self, sut: &S) -> bool {
        (self.unchanged)(sut)
    }
}

/// A hash of a value's `Debug` form: compared, never printed.
#[must_use]
pub fn debug_fingerprint<T: Debug + ?Sized>(value: &T) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{value:?}").hash(&mut hasher);
    hasher.finish()
}

/// Run step `attack` on `sut`: the outcome of the call it made, or `None` when there was
/// nothing to attack yet. Panics with a `distaudit: ` message when the oracle fails.
pub(super) fn run<M: Machine>(
    attack: &Attack<M>,
    sut: &mut M::Sut,
    history: &History<M>,
    machine: &str,
) -> Option<Outcome> {
    let (call, expected, why) = form(attack, history)?;
    let seal = M::seal(sut)?;
    let outcome = call.apply_issuing(sut).0;
    let name = attack.step.name();
    // A probe (a split just past a bound) has no verdict of its own: the woven checks and
    // the type's invariants judge what it did.
    let Some(expected) = expected else {
        return Some(outcome);
    };
    let wrong = match (&expected, &outcome) {
        (Outcome::Accepted, Outcome::Refused(refusal)) => Some(format!("was refused ({refusal})")),
        (Outcome::Refused(_), Outcome::Accepted) => Some("was accepted".to_string()),
        _ => None,
    };
    if let Some(wrong) = wrong {
        panic!(
            "distaudit: {name} step violated in {machine}: {call:?} {why}, and {wrong}\n       = the {name} step expects {}",
            expectation(attack.step)
        );
    }
    if !seal.holds(sut) {
        panic!(
            "distaudit: {name} step violated in {machine}: {call:?} {why}, and changed the receiver's state\n       = the {name} step expects {}",
            expectation(attack.step)
        );
    }
    Some(outcome)
}

/// The failure of the fencing step's judgement of a grant (see [`History::record`]), worded as
/// the steps' own failures are.
pub(super) fn regrant_failure(machine: &str, call: &dyn Debug, regrant: &str) -> String {
    format!(
        "distaudit: fencing step violated in {machine}: {call:?} {regrant}, and was accepted\n       = the fencing step expects each grant of a shard to carry a fence larger than any that shard had (fencing)"
    )
}

/// What a step's oracle demands, in words.
fn expectation(step: Step) -> &'static str {
    match step {
        Step::Fencing => {
            "a fence older than one issued since for the same shard to be refused, changing nothing (fencing)"
        }
        Step::Replay => {
            "a retry with the same op id and payload to get the recorded outcome, changing nothing (idempotency)"
        }
        Step::Conflict => {
            "the same op id with another payload to be refused, changing nothing (idempotency)"
        }
        Step::Lease => {
            "a lease presented at or after its deadline to be refused, changing nothing (lease)"
        }
        Step::Cursor => {
            "a cursor below the last one accepted for the same shard, or outside the shard's range, to be refused, changing nothing (cursor)"
        }
        Step::Split => {
            "a split at a key that is already a shard bound to be refused, changing nothing: one child would be empty, or the key is outside the shard (shard)"
        }
    }
}

/// The call a step makes, the outcome it must have, and what makes it an attack (for the
/// message); `None` when the history offers nothing to attack.
/// A formed step: the call, the outcome it must have (`None`: a probe the woven checks
/// judge), and what makes it an attack.
type Formed<M> = (M, Option<Outcome>, String);

fn form<M: Machine>(attack: &Attack<M>, history: &History<M>) -> Option<Formed<M>> {
    let refused = Some(Outcome::Refused(String::new()));
    match attack.step {
        Step::Replay | Step::Conflict => {
            let recent = &history.with_op[history.with_op.len().saturating_sub(REPLAY_WINDOW)..];
            if recent.is_empty() {
                return None;
            }
            let (step, original, op) = &recent[attack.pick.index(recent.len())];
            if attack.step == Step::Replay {
                let why = format!("repeats step {step} (op id {op:?}), which was accepted");
                return Some((original.clone(), Some(Outcome::Accepted), why));
            }
            let (call, differs) = original.with_payload_of(&attack.fresh)?;
            let why = format!("reuses the op id {op:?} of step {step} with another payload");
            differs.then_some((call, refused, why))
        }
        Step::Fencing => {
            let stale: Vec<(&Carrier, &Carrier)> = history
                .carriers
                .iter()
                .filter_map(|c| Some((c, history.newer_than(c)?)))
                .collect();
            if stale.is_empty() {
                return None;
            }
            let (old, new) = stale[attack.pick.index(stale.len())];
            let call = fresh_call(attack, history, old, false)?;
            let why = format!(
                "presents fence {:?} (seen at step {}) after fence {:?} for the same shard (seen at step {})",
                old.fence, old.seen, new.fence, new.seen
            );
            Some((call, refused, why))
        }
        Step::Cursor => form_cursor(attack, history),
        Step::Split => form_split(attack, history),
        Step::Lease => {
            let latest = history.latest_leases();
            if latest.is_empty() {
                return None;
            }
            let lease = latest[attack.pick.index(latest.len())];
            let call = fresh_call(attack, history, lease, true)?;
            let why = format!(
                "presents the lease with fence {:?} (seen at step {}) at its deadline {:?}",
                lease.fence,
                lease.seen,
                lease.expires.as_ref()?
            );
            Some((call, refused, why))
        }
    }
}

/// The cursor step: a shard's last accepted checkpoint made again with an earlier, lower
/// cursor of that shard (and a fresh op id where the call has one of its own).
fn form_cursor<M: Machine>(attack: &Attack<M>, history: &History<M>) -> Option<Formed<M>> {
    // Earlier accepted cursors below a shard's last, and the fresh call's own cursor where it
    // is below one (and would stay in that shard).
    let fresh = attack.fresh.cursor();
    let mut candidates: Vec<(Option<usize>, &Cursor, &Checkpointed<M>)> = history
        .regressions()
        .into_iter()
        .map(|(earlier, last)| (Some(earlier.step), &earlier.cursor, last))
        .collect();
    if let Some(fresh) = &fresh {
        candidates.extend(history.lasts().into_iter().filter_map(|last| {
            let below = last.cursor.position.compare(&fresh.position) == Some(Ordering::Greater);
            let stays = !fresh.own_shard || fresh.same_shard(&last.cursor);
            (below && stays).then_some((None, fresh, last))
        }));
    }
    // Cursors outside a shard's range (where the call names it): any accepted cursor of
    // another shard, or the fresh one, whose key the range does not hold.
    let mut outside: Vec<(Option<usize>, &Cursor, &Checkpointed<M>, String)> = Vec::new();
    for last in history.lasts() {
        let Some((start, end)) = &last.range else {
            continue;
        };
        let earlier = history.cursors.iter().map(|c| (Some(c.step), &c.cursor));
        for (step, cursor) in earlier.chain(fresh.as_ref().map(|f| (None, f))) {
            let detail = cursor
                .position
                .key_bytes()
                .and_then(|key| crate::runtime::outside(Some(key), Some((start, end))));
            if let Some(detail) = detail {
                outside.push((step, cursor, last, detail));
            }
        }
    }
    if candidates.is_empty() && outside.is_empty() {
        return None;
    }
    // Lower cursors and cursors outside the shard are drawn alike, however many of each the
    // history offers (cursors of every other shard are outside, and would crowd out the
    // lower ones).
    let pick = attack
        .pick
        .index(2 * candidates.len().max(1) * outside.len().max(1));
    let lower = !candidates.is_empty() && (outside.is_empty() || pick.is_multiple_of(2));
    let pick = if lower {
        (pick / 2) % candidates.len()
    } else {
        candidates.len() + (pick / 2) % outside.len()
    };
    let which = |was_step: Option<usize>| match was_step {
        Some(step) => format!("the cursor accepted at step {step}"),
        None => "a fresh cursor".to_string(),
    };
    let (call, why) = if let Some(&(was_step, lower, last)) = candidates.get(pick) {
        let why = format!(
            "checkpoints {} after the one accepted at step {} for the same shard ({})",
            which(was_step),
            last.step,
            last.cursor.position.change_to(&lower.position)
        );
        (last.call.with_cursor(lower, &attack.fresh)?, why)
    } else {
        let (was_step, cursor, last, detail) = &outside[pick - candidates.len()];
        let why = format!(
            "checkpoints {} in the shard of step {}, outside its range ({detail})",
            which(*was_step),
            last.step
        );
        (last.call.with_cursor(cursor, &attack.fresh)?, why)
    };
    // An op id accepted before makes it a retry, answered from the op log: no attack.
    if call.op().is_some_and(|op| history.op_seen(&op)) {
        return None;
    }
    Some((call, Some(Outcome::Refused(String::new())), why))
}

/// The split step: the fresh split call at a key an accepted split made a bound (refused,
/// nothing changes), or, on odd picks, at the smallest key past it (a probe: the woven
/// checks judge the children it makes).
fn form_split<M: Machine>(attack: &Attack<M>, history: &History<M>) -> Option<Formed<M>> {
    if history.bounds.is_empty() {
        return None;
    }
    let pick = attack.pick.index(history.bounds.len() * 2);
    let (step, bound) = &history.bounds[pick / 2];
    let beside = pick % 2 == 1;
    let call = attack.fresh.with_split_key(bound, beside)?;
    // An op id accepted before makes it a retry, answered from the op log: no attack.
    if call.op().is_some_and(|op| history.op_seen(&op)) {
        return None;
    }
    if beside {
        let why = format!("splits just past the key that the split of step {step} made a bound");
        return Some((call, None, why));
    }
    let why = format!("splits at the key that the split of step {step} made a bound");
    Some((call, Some(Outcome::Refused(String::new())), why))
}

/// The drawn call presenting `carrier` (at its deadline when `lapsed`), unless its op id was
/// accepted before: that would be a retry, which idempotency answers with the recorded
/// outcome whatever the fence.
fn fresh_call<M: Machine>(
    attack: &Attack<M>,
    history: &History<M>,
    carrier: &Carrier,
    lapsed: bool,
) -> Option<M> {
    let call = attack.fresh.presenting(carrier, lapsed)?;
    match call.op() {
        Some(op) if history.op_seen(&op) => None,
        _ => Some(call),
    }
}

/// Builds a [`Seal`] for a receiver, by autoref specialisation, most precise first: a
/// `Clone + PartialEq` receiver is kept and compared; a `Debug` one by the hash of its
/// `Debug` form; any other fails to compile, asking for [`Comparable`], whose docs name the
/// fix.
pub struct SealProbe<'a, S>(pub &'a S);

/// A receiver that is `Clone + PartialEq`: kept whole, compared with `==`.
pub trait SealByValue<S> {
    /// The seal.
    fn seal(&self) -> Seal<S>;
}
impl<S: Clone + PartialEq + 'static> SealByValue<S> for &&SealProbe<'_, S> {
    fn seal(&self) -> Seal<S> {
        let kept = self.0.clone();
        Seal::new(move |now: &S| *now == kept)
    }
}

/// A receiver that is `Debug`: compared by the hash of its `Debug` form.
pub trait SealByDebug<S> {
    /// The seal.
    fn seal(&self) -> Seal<S>;
}
impl<S: Debug + 'static> SealByDebug<S> for &SealProbe<'_, S> {
    fn seal(&self) -> Seal<S> {
        let kept = debug_fingerprint(self.0);
        Seal::new(move |now: &S| debug_fingerprint(now) == kept)
    }
}

/// Any other receiver: it must be [`Comparable`], which nothing is unless its author says
/// so (and then steps compare nothing of it).
pub trait SealNone<S> {
    /// The seal.
    fn seal(&self) -> Seal<S>;
}
impl<S: Comparable> SealNone<S> for SealProbe<'_, S> {
    fn seal(&self) -> Seal<S> {
        Seal::new(|_: &S| true)
    }
}

/// A receiver the adversarial steps can compare before and after a step. Derive `Debug`
/// (its form is hashed, never printed) or `Clone, PartialEq` on the receiver instead of
/// implementing this; or turn the steps off with
/// `#[distaudit::audit(test(.., without = "fencing", because = ".."))]`, one per step.
#[diagnostic::on_unimplemented(
    message = "the attacking steps of a generated state machine compare `{Self}` before and after each step, and it is neither `Clone + PartialEq` nor `Debug`",
    label = "the receiver's state cannot be compared",
    note = "derive `Debug` (its form is hashed, never printed) or `Clone, PartialEq` on `{Self}`, or turn each step off: `#[distaudit::audit(test(.., without = \"fencing\", because = \"..\"))]`"
)]
pub trait Comparable {}

/// The [`Seal`] of a receiver (`&S`): kept if `Clone + PartialEq`, else hashed if `Debug`.
#[macro_export]
#[doc(hidden)]
macro_rules! __seal {
    ($sut:expr) => {{
        #[allow(unused_imports)]
        use $crate::__private::machine::{SealByDebug as _, SealByValue as _, SealNone as _};
        (&&&$crate::__private::machine::SealProbe($sut)).seal()
    }};
}
