//! One state machine over several audited impls of a type: the calls of the impl that
//! builds the receiver (`test(init = .., with = "<Trait>")`) and those of each named trait's
//! impl, drawn side by side on one receiver, with one history for the attacking steps (a
//! lease one trait's impl grants is presented to another's methods).

use super::{Attack, Carrier, Cursor, KeySpan, Machine, Outcome, Seal, SplitKey, Token};
use proptest::strategy::{BoxedStrategy, Strategy as _};
use std::fmt::{self, Debug, Formatter};

/// The calls of an audited trait impl for `Self`, under the key of the trait's name: what
/// another impl's state machine interleaves with its own. Implemented by the attribute, in
/// test builds, for every audited trait impl with tested methods.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0052 BLOCK] `with = ..` names a trait whose impl for `{Self}` has no tested methods under `#[distaudit::audit]`",
    label = "no audited impl of that trait for `{Self}` has methods with `test`",
    note = "why: the state machine interleaves the tested methods of the impls it names; an impl without `#[distaudit::audit]`, or whose methods carry no `test`, has none to give",
    note = "fix: put `#[distaudit::audit]` on the impl of that trait for `{Self}` and `test` (with its strategies) on the methods to interleave, or remove the name from `with`"
)]
pub trait Piece<const TRAIT: u64> {
    /// Its calls.
    type Call: Machine<Sut = Self>;
}

/// A call of one of two machines on the same receiver; the first builds it.
#[derive(Clone)]
pub enum Join<A, B> {
    /// A call of the machine that builds the receiver.
    Host(A),
    /// A call of the other.
    Other(B),
}

impl<A: Debug, B: Debug> Debug for Join<A, B> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Join::Host(a) => a.fmt(f),
            Join::Other(b) => b.fmt(f),
        }
    }
}

impl<A, B> Machine for Join<A, B>
where
    A: Machine,
    B: Machine<Sut = A::Sut>,
{
    type Sut = A::Sut;

    fn init() -> Self::Sut {
        A::init()
    }
    fn check_type(sut: &Self::Sut) {
        A::check_type(sut);
    }
    fn strategy() -> BoxedStrategy<Self> {
        proptest::prop_oneof![
            A::methods() => A::strategy().prop_map(Join::Host),
            B::methods() => B::strategy().prop_map(Join::Other),
        ]
        .boxed()
    }
    fn methods() -> u32 {
        A::methods() + B::methods()
    }
    fn apply(&self, sut: &mut Self::Sut) -> Outcome {
        match self {
            Join::Host(a) => a.apply(sut),
            Join::Other(b) => b.apply(sut),
        }
    }
    fn resolve(&self, sut: &Self::Sut, pick: u64) -> Option<Self> {
        match self {
            Join::Host(a) => a.resolve(sut, pick).map(Join::Host),
            Join::Other(b) => b.resolve(sut, pick).map(Join::Other),
        }
    }
    fn attack(&self) -> Option<Attack<Self>> {
        match self {
            Join::Host(a) => a.attack().map(|at| at.map(Join::Host)),
            Join::Other(b) => b.attack().map(|at| at.map(Join::Other)),
        }
    }
    fn apply_issuing(&self, sut: &mut Self::Sut) -> (Outcome, Option<Carrier>) {
        match self {
            Join::Host(a) => a.apply_issuing(sut),
            Join::Other(b) => b.apply_issuing(sut),
        }
    }
    fn op(&self) -> Option<Token> {
        match self {
            Join::Host(a) => a.op(),
            Join::Other(b) => b.op(),
        }
    }
    fn carrier(&self) -> Option<Carrier> {
        match self {
            Join::Host(a) => a.carrier(),
            Join::Other(b) => b.carrier(),
        }
    }
    fn presenting(&self, carrier: &Carrier, lapsed: bool) -> Option<Self> {
        match self {
            Join::Host(a) => a.presenting(carrier, lapsed).map(Join::Host),
            Join::Other(b) => b.presenting(carrier, lapsed).map(Join::Other),
        }
    }
    fn with_payload_of(&self, fresh: &Self) -> Option<(Self, bool)> {
        match (self, fresh) {
            (Join::Host(a), Join::Host(f)) => a
                .with_payload_of(f)
                .map(|(call, differs)| (Join::Host(call), differs)),
            (Join::Other(b), Join::Other(f)) => b
                .with_payload_of(f)
                .map(|(call, differs)| (Join::Other(call), differs)),
            _ => None,
        }
    }
    fn extends(&self) -> bool {
        match self {
            Join::Host(a) => a.extends(),
            Join::Other(b) => b.extends(),
        }
    }
    fn split_key(&self) -> Option<SplitKey> {
        match self {
            Join::Host(a) => a.split_key(),
            Join::Other(b) => b.split_key(),
        }
    }
    fn with_split_key(&self, bound: &SplitKey, beside: bool) -> Option<Self> {
        match self {
            Join::Host(a) => a.with_split_key(bound, beside).map(Join::Host),
            Join::Other(b) => b.with_split_key(bound, beside).map(Join::Other),
        }
    }
    fn merges(&self) -> bool {
        match self {
            Join::Host(a) => a.merges(),
            Join::Other(b) => b.merges(),
        }
    }
    fn cursor(&self) -> Option<Cursor> {
        match self {
            Join::Host(a) => a.cursor(),
            Join::Other(b) => b.cursor(),
        }
    }
    fn with_cursor(&self, cursor: &Cursor, fresh: &Self) -> Option<Self> {
        // A fresh call of the other machine lends no op id: the call keeps its own.
        match (self, fresh) {
            (Join::Host(a), Join::Host(f)) => a.with_cursor(cursor, f).map(Join::Host),
            (Join::Host(a), Join::Other(_)) => a.with_cursor(cursor, a).map(Join::Host),
            (Join::Other(b), Join::Other(f)) => b.with_cursor(cursor, f).map(Join::Other),
            (Join::Other(b), Join::Host(_)) => b.with_cursor(cursor, b).map(Join::Other),
        }
    }
    fn cursor_range(&self, sut: &Self::Sut) -> Option<KeySpan> {
        match self {
            Join::Host(a) => a.cursor_range(sut),
            Join::Other(b) => b.cursor_range(sut),
        }
    }
    fn fences_grants() -> bool {
        A::fences_grants() || B::fences_grants()
    }
    fn seal(sut: &Self::Sut) -> Option<Seal<Self::Sut>> {
        A::seal(sut).or_else(|| B::seal(sut))
    }
}
