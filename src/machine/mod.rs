//! The driver of generated state-machine tests (with the `proptest` feature). Reached only
//! through `distaudit::__private::machine`.
//!
//! Generated code declares one enum of calls (one variant per method that carries `test`,
//! its fields the owned arguments), implements [`Machine`] for it and calls [`run`]:
//! proptest draws call sequences; each case applies one to a fresh receiver, with the woven
//! checks and the type's invariants as the oracle; a failure is cut down to a 1-minimal
//! sequence and printed as numbered calls; a run that accepted fewer than 5% of its calls
//! fails as vacuous.
//!
//! Nothing it prints or stores holds a key's bytes: arguments are described as woven checks
//! describe values (`show`), a panic of the code's own loses its quoted text and byte
//! lists, and `proptest-regressions/` keeps seeds only (`persistence`).

mod attack;
mod join;
mod judge;
mod persistence;
mod report;
mod show;
mod state;
mod tally;
#[cfg(test)]
mod tests;

pub use attack::{
    Attack, Carrier, Comparable, Cursor, KeySpan, PositionByBytes, PositionByKey, PositionByOrder,
    PositionNone, PositionProbe, REPLAY_WINDOW, Seal, SealByDebug, SealByValue, SealNone,
    SealProbe, SplitKey, Step, Token, debug_fingerprint,
};
pub use join::{Join, Piece};
pub use judge::{Judge, JudgeAny, JudgeErr, JudgeErrDebug, JudgeOption};
pub use show::{Shown, call};
pub use state::{FROM_STATE_OF_4, StateDraws, from_state};

use proptest::strategy::{BoxedStrategy, Strategy as _};
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use std::cell::{Cell, RefCell};
use std::fmt::{Debug, Write as _};
use std::ops::RangeInclusive;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use report::{Failure, failure_report};
use tally::Tally;

/// A call of a generated state-machine test: one value is one call with its arguments.
///
/// Its `Debug` form is the call as written, each argument described as a woven check
/// describes a value (`checkpoint(lease = 3, key = len 1 #5c3f..)`): write it with [`call`]
/// and `__arg!`.
pub trait Machine: Clone + Debug + 'static {
    /// The receiver the calls run on.
    type Sut;
    /// A fresh receiver: evaluated once per case.
    fn init() -> Self::Sut;
    /// The type's invariants: checked after `init` and after every call (panics on a
    /// violation, as a woven check does).
    fn check_type(_sut: &Self::Sut) {}
    /// The calls to draw from.
    fn strategy() -> BoxedStrategy<Self>;
    /// How many methods the calls are of: a joined machine draws each machine's calls this
    /// often, so each method is drawn alike.
    fn methods() -> u32 {
        1
    }
    /// Make the call. A woven check that fails panics; the return value, judged by
    /// `__outcome!`, says whether the receiver accepted the call.
    fn apply(&self, sut: &mut Self::Sut) -> Outcome;
    /// This call with its parameters that read the state (`from_state`) drawn from `sut`,
    /// as the step's `pick` chooses; `None` when it has none (or the pick drew none).
    fn resolve(&self, _sut: &Self::Sut, _pick: u64) -> Option<Self> {
        None
    }

    // The adversarial steps (see `attack`): what a generated machine adds when the tested
    // methods' patterns call for them. A machine without them keeps the defaults.

    /// The adversarial step this value stands for, if it is one.
    fn attack(&self) -> Option<Attack<Self>> {
        None
    }
    /// Make the call, as [`Machine::apply`], and return what it issued: the lease or fence
    /// its accepted result carries, if its result is of a type that calls present.
    fn apply_issuing(&self, sut: &mut Self::Sut) -> (Outcome, Option<Carrier>) {
        (self.apply(sut), None)
    }
    /// The op id this call carries.
    fn op(&self) -> Option<Token> {
        None
    }
    /// The lease or fence this call presents.
    fn carrier(&self) -> Option<Carrier> {
        None
    }
    /// This call presenting `carrier` instead of its own, at the time it lapses when
    /// `lapsed`; `None` when the call presents none of that type (or takes no time).
    fn presenting(&self, _carrier: &Carrier, _lapsed: bool) -> Option<Self> {
        None
    }
    /// This call (an accepted one) with the payload of `fresh`, its op id and what it
    /// presents kept, and whether the payloads differ; `None` for calls of two methods.
    fn with_payload_of(&self, _fresh: &Self) -> Option<(Self, bool)> {
        None
    }
    /// Whether this call, accepted, may have moved the deadline of the lease it presents
    /// without issuing a new one (a `renew` that returns a status).
    fn extends(&self) -> bool {
        false
    }
    /// The key this call asks a split at.
    fn split_key(&self) -> Option<SplitKey> {
        None
    }
    /// This call (a fresh one) splitting at `bound`, or at the smallest key past it when
    /// `beside`; `None` when it splits at nothing of that type.
    fn with_split_key(&self, _bound: &SplitKey, _beside: bool) -> Option<Self> {
        None
    }
    /// Whether this call, accepted, may have merged shards (a bound may be gone).
    fn merges(&self) -> bool {
        false
    }
    /// The cursor this call checkpoints.
    fn cursor(&self) -> Option<Cursor> {
        None
    }
    /// This call (an accepted one) checkpointing `cursor` instead of its own, with the op id
    /// of `fresh` where it is a call of the same method; `None` when it takes no cursor.
    fn with_cursor(&self, _cursor: &Cursor, _fresh: &Self) -> Option<Self> {
        None
    }
    /// The key range of the shard this call's cursor is in, read from `sut` after the call
    /// (`roles(range = "..")`): `[start, end)`, an empty end unbounded; `None` when unknown.
    fn cursor_range(&self, _sut: &Self::Sut) -> Option<KeySpan> {
        None
    }
    /// Whether the fencing step is on: each grant (an accepted call that presents no lease
    /// and issues one, not a retry) must issue a fence above every fence its shard had.
    fn fences_grants() -> bool {
        false
    }
    /// The receiver as it is, to tell after a step whether the step changed it.
    fn seal(_sut: &Self::Sut) -> Option<Seal<Self::Sut>> {
        None
    }
}

/// What a call returned: accepted (`Ok`, `Some`, or anything else), or refused (`Err`,
/// `None`), with the refusal's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver did what was asked.
    Accepted,
    /// The receiver refused: `CheckpointError::OutOfRange`, `None`, `Err(String)`.
    Refused(String),
}

/// Run a generated state-machine test: `cases` sequences of `steps` calls of `M`, each on a
/// fresh receiver. Panics with the shortest failing sequence, printed as calls, when a
/// check fails; or, unless `vacuous_ok`, when fewer than 5% of the calls were accepted.
/// Failing seeds, and nothing else, are kept in `proptest-regressions/`, beside
/// `source_file`'s `src`.
#[track_caller]
pub fn run<M: Machine>(
    cases: u32,
    steps: RangeInclusive<usize>,
    vacuous_ok: bool,
    source_file: &'static str,
    test_name: &str,
) {
    drive::<M>(
        persistence::test_config(cases, source_file),
        steps,
        vacuous_ok,
        test_name,
    );
}

/// What one call of a sequence did: a user's call's outcome, or what an adversarial step
/// did (`None`: it found nothing to attack).
pub(super) enum Did {
    Call(Outcome),
    Attack(Step, Option<Outcome>),
}

/// One step of a sequence: a call, and the pick that draws its parameters that read the
/// state (see `state`).
pub(super) type Drawn<M> = (M, u64);

/// Apply `steps` to a fresh receiver, checking the type after `init` and after each call;
/// an adversarial step attacks with what the calls before it did.
fn execute<M: Machine>(steps: &[Drawn<M>], on_outcome: impl FnMut(&M, Did)) -> Result<(), Failure> {
    execute_seen(steps, &mut None, on_outcome)
}

/// [`execute`], keeping in `seen` (when given) each call as it ran, its parameters that
/// read the state drawn: what a report prints.
fn execute_seen<M: Machine>(
    steps: &[Drawn<M>],
    seen: &mut Option<Vec<M>>,
    mut on_outcome: impl FnMut(&M, Did),
) -> Result<(), Failure> {
    let step = Cell::new(0);
    let machine = short_name::<M::Sut>();
    quietly(|| {
        let mut sut = M::init();
        M::check_type(&sut);
        let mut history = attack::History::<M>::default();
        for (index, (drawn, pick)) in steps.iter().enumerate() {
            step.set(index + 1);
            history.begin(index + 1);
            let resolved = drawn.resolve(&sut, *pick);
            let call = resolved.as_ref().unwrap_or(drawn);
            if let Some(seen) = seen.as_mut() {
                seen.push(call.clone());
            }
            let did = if let Some(a) = call.attack() {
                Did::Attack(a.step(), attack::run(&a, &mut sut, &history, machine))
            } else {
                let (outcome, issued) = crate::runtime::coverage::in_call(
                    || call.apply_issuing(&mut sut),
                    |(o, _)| matches!(o, Outcome::Refused(_)),
                );
                if let Some(regrant) = history.record(call, &outcome, issued, &sut) {
                    panic!("{}", attack::regrant_failure(machine, call, &regrant));
                }
                Did::Call(outcome)
            };
            M::check_type(&sut);
            on_outcome(call, did);
        }
    })
    .map_err(|message| Failure {
        step: step.get(),
        message: reported(message),
    })
}

/// A type's name without its path and generics (`InMemoryCoordinator`).
fn short_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.find('<').map_or(full, |end| &full[..end]);
    base.rsplit("::").next().unwrap_or(base)
}

/// A panic message as a report shows it: distaudit's own (a woven check, a type invariant)
/// as written, since it describes values already; any other with its data redacted, since
/// the code under test may have put a key in it (`unwrap` of an error that holds one).
fn reported(message: String) -> String {
    if message.starts_with("distaudit: ") {
        message
    } else {
        crate::runtime::redact_message(&message)
    }
}

thread_local! {
    /// Whether panics on this thread are expected (caught and reported by the driver).
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// Where the last quiet panic happened.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Run `body`, catching a panic as its message (with its location); the panic prints
/// nothing, since the driver reports it (and shrinking replays it many times).
fn quietly(body: impl FnOnce()) -> Result<(), String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let at = info.location().map(ToString::to_string);
                LOCATION.with(|l| *l.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
    let was = QUIET.replace(true);
    LOCATION.with(|l| l.borrow_mut().take());
    let result = catch_unwind(AssertUnwindSafe(body));
    QUIET.set(was);
    result.map_err(|payload| {
        let mut message = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "a panic without a message".to_string()
        };
        if let Some(at) = LOCATION.with(|l| l.borrow_mut().take()) {
            let _ = write!(message, " (at {at})");
        }
        message
    })
}

/// The run itself, under a given proptest configuration.
#[track_caller]
fn drive<M: Machine>(
    config: Config,
    steps: RangeInclusive<usize>,
    vacuous_ok: bool,
    test_name: &str,
) {
    let persisted = config.failure_persistence.is_some();
    let mut runner = TestRunner::new(config);
    let tally = RefCell::new(Tally::default());
    let first_failure = Cell::new(None);
    let step = (M::strategy(), proptest::num::u64::ANY.no_shrink());
    let strategy = proptest::collection::vec(step, steps);
    let result = runner.run(&strategy, |calls| {
        execute(&calls, |call, did| tally.borrow_mut().record(call, did)).map_err(|failure| {
            if first_failure.get().is_none() {
                first_failure.set(Some(calls.len()));
            }
            TestCaseError::fail(failure.message)
        })
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, calls)) => {
            panic!(
                "{}",
                failure_report(
                    test_name,
                    calls,
                    first_failure.get(),
                    &reason.to_string(),
                    persisted
                )
            )
        }
        Err(TestError::Abort(reason)) => {
            panic!("distaudit: {test_name}: proptest gave up: {reason}")
        }
    }
    let tally = tally.into_inner();
    eprintln!(
        "distaudit: {test_name}: {}{}",
        tally.rate(),
        tally.by_method(short_name::<M::Sut>())
    );
    if tally.is_vacuous() && !vacuous_ok {
        panic!("{}", tally.vacuity_message(test_name));
    }
}
