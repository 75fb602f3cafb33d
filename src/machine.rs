//! The driver of generated state-machine tests (with the `proptest` feature). Reached only
//! through `distaudit::__private::machine`.
//!
//! Generated code declares one enum of calls (one variant per method that carries `test`,
//! its fields the owned arguments), implements [`Machine`] for it and calls [`run`]:
//! proptest draws call sequences; each case applies one to a fresh receiver, with the woven
//! checks and the type's invariants as the oracle; a failure is cut down to a 1-minimal
//! sequence and printed as numbered calls; a run that accepted fewer than 5% of its calls
//! fails as vacuous.

use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::{self, Debug, Formatter, Write as _};
use std::marker::PhantomData;
use std::ops::RangeInclusive;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use crate::{KeyRange, LexKey};

/// A call of a generated state-machine test: one value is one call with its arguments.
///
/// Its `Debug` form is the call as written (`checkpoint(lease = .., key = b"k")`): write it
/// with [`call`] and `__arg!`.
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
    /// Make the call. A woven check that fails panics; the return value, judged by
    /// `__outcome!`, says whether the receiver accepted the call.
    fn apply(&self, sut: &mut Self::Sut) -> Outcome;
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

/// Below this share of accepted calls (in percent), a generated test is vacuous.
const MIN_ACCEPTED_PERCENT: u64 = 5;

/// Byte strings print at most this many bytes, then their length.
const SHOWN_BYTES: usize = 16;

/// Run a generated state-machine test: `cases` sequences of `steps` calls of `M`, each on a
/// fresh receiver. Panics with the shortest failing sequence, printed as calls, when a
/// check fails; or, unless `vacuous_ok`, when fewer than 5% of the calls were accepted.
/// Failing seeds are kept in `proptest-regressions/`, beside `source_file`'s `src`.
#[track_caller]
pub fn run<M: Machine>(
    cases: u32,
    steps: RangeInclusive<usize>,
    vacuous_ok: bool,
    source_file: &'static str,
    test_name: &str,
) {
    drive::<M>(
        crate::runtime::test_config(cases, source_file),
        steps,
        vacuous_ok,
        test_name,
    );
}

/// Calls accepted and refused over a whole run.
#[derive(Default)]
struct Tally {
    accepted: u64,
    refused: u64,
    /// (method, refusal) to count.
    refusals: BTreeMap<(String, String), u64>,
}

impl Tally {
    fn record<M: Debug>(&mut self, call: &M, outcome: Outcome) {
        match outcome {
            Outcome::Accepted => self.accepted += 1,
            Outcome::Refused(why) => {
                self.refused += 1;
                *self.refusals.entry((method_of(call), why)).or_default() += 1;
            }
        }
    }

    fn total(&self) -> u64 {
        self.accepted + self.refused
    }

    fn is_vacuous(&self) -> bool {
        self.accepted * 100 < MIN_ACCEPTED_PERCENT * self.total() || self.total() == 0
    }

    /// `812 of 8192 calls accepted (9.9%)`.
    fn rate(&self) -> String {
        #[allow(clippy::cast_precision_loss)] // a percentage to one decimal
        let percent = if self.total() == 0 {
            0.0
        } else {
            self.accepted as f64 * 100.0 / self.total() as f64
        };
        format!(
            "{} of {} calls accepted ({percent:.1}%)",
            self.accepted,
            self.total()
        )
    }

    /// The most frequent refusal (the first in order among equals).
    fn top_refusal(&self) -> Option<(&str, &str, u64)> {
        let mut top: Option<(&str, &str, u64)> = None;
        for ((method, why), &count) in &self.refusals {
            if top.is_none_or(|(_, _, c)| count > c) {
                top = Some((method, why, count));
            }
        }
        top
    }

    fn vacuity_message(&self, test_name: &str) -> String {
        let mut out = format!(
            "distaudit: {test_name} is vacuous: {}, fewer than the {MIN_ACCEPTED_PERCENT}% a generated test needs to exercise anything",
            self.rate()
        );
        match self.top_refusal() {
            Some((method, why, count)) => {
                let _ = write!(
                    out,
                    "\n       = the most frequent refusal: `{method}` returned {why} ({count} of {} refusals)",
                    self.refused
                );
            }
            None => out.push_str("\n       = no call ran: give the test at least one step"),
        }
        out.push_str(
            "\n       = fix: give the refused parameters a `strategy(..)` that lands where `init` accepts them \
             (keys inside its shard, leases it granted), or write `test(.., vacuous_ok)` if refusing is what this test checks",
        );
        out
    }
}

/// The method of a call: its `Debug` form up to its arguments.
fn method_of<M: Debug>(call: &M) -> String {
    let mut shown = format!("{call:?}");
    if let Some(end) = shown.find(['(', '{', ' ']) {
        shown.truncate(end);
    }
    shown
}

/// Where a case failed: at `init` (step 0) or at a step (from 1), and the panic message.
#[derive(Debug)]
struct Failure {
    step: usize,
    message: String,
}

/// Apply `calls` to a fresh receiver, checking the type after `init` and after each call.
fn execute<M: Machine>(
    calls: &[M],
    mut on_outcome: impl FnMut(&M, Outcome),
) -> Result<(), Failure> {
    let step = Cell::new(0);
    quietly(|| {
        let mut sut = M::init();
        M::check_type(&sut);
        for (index, call) in calls.iter().enumerate() {
            step.set(index + 1);
            let outcome = call.apply(&mut sut);
            M::check_type(&sut);
            on_outcome(call, outcome);
        }
    })
    .map_err(|message| Failure {
        step: step.get(),
        message,
    })
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
    let strategy = proptest::collection::vec(M::strategy(), steps);
    let result = runner.run(&strategy, |calls| {
        execute(&calls, |call, outcome| {
            tally.borrow_mut().record(call, outcome)
        })
        .map_err(|failure| {
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
    eprintln!("distaudit: {test_name}: {}", tally.rate());
    if tally.is_vacuous() && !vacuous_ok {
        panic!("{}", tally.vacuity_message(test_name));
    }
}

/// Delete single calls while the sequence still fails, until none can go (1-minimal); calls
/// after the failing one never ran and go first. `None` when `calls` does not fail.
fn minimise<M: Machine>(mut calls: Vec<M>) -> Option<(Vec<M>, Failure)> {
    let mut failure = execute(&calls, |_, _| {}).err()?;
    calls.truncate(failure.step);
    loop {
        let mut shorter = false;
        let mut index = 0;
        while index < calls.len() {
            let mut candidate = calls.clone();
            candidate.remove(index);
            match execute(&candidate, |_, _| {}) {
                Err(found) => {
                    candidate.truncate(found.step);
                    calls = candidate;
                    failure = found;
                    shorter = true;
                }
                Ok(()) => index += 1,
            }
        }
        if !shorter {
            return Some((calls, failure));
        }
    }
}

/// The failing sequence as numbered calls, the violation on the failing step.
fn failure_report<M: Machine>(
    test_name: &str,
    calls: Vec<M>,
    first_len: Option<usize>,
    reason: &str,
    persisted: bool,
) -> String {
    let (calls, failure) = match minimise(calls.clone()) {
        Some((calls, failure)) => (calls, Some(failure)),
        None => (calls, None),
    };
    let count = match calls.len() {
        1 => "1 call breaks".to_string(),
        n => format!("{n} calls break"),
    };
    let mut out = match &failure {
        Some(f) if f.step == 0 => format!(
            "distaudit: {test_name}: fails before any call, in `init` or the type's invariants after it"
        ),
        Some(_) => format!("distaudit: {test_name}: {count} a check"),
        None => format!("distaudit: {test_name}: {count} a check, but not when replayed"),
    };
    let mut notes = Vec::new();
    if let Some(first) = first_len.filter(|&first| first > calls.len()) {
        notes.push(format!("shrunk from {first}"));
    }
    if persisted {
        notes.push("proptest keeps the seed and replays it first from now on".to_string());
    }
    if !notes.is_empty() {
        let _ = write!(out, " ({})", notes.join("; "));
    }
    let failing_step = failure.as_ref().map(|f| f.step);
    if let Some(Failure { step: 0, message }) = &failure {
        let _ = write!(out, "\ninit <- {message}");
    }
    for (index, call) in calls.iter().enumerate() {
        let _ = write!(out, "\nstep {}: {call:?}", index + 1);
        if let Some(Failure { step, message }) = &failure
            && *step == index + 1
        {
            let _ = write!(out, " <- {message}");
        }
    }
    if failing_step.is_none() {
        let _ = write!(
            out,
            "\nit failed with: {reason}\nreplayed alone, the sequence passed: does `init` or a call depend on time, randomness or state outside the receiver?"
        );
    }
    out
}

/// Write one call as `name(param = value, ..)`; generated `Debug` impls of call enums use it,
/// with each value wrapped by `__arg!`.
///
/// # Errors
/// Those of the formatter.
pub fn call(f: &mut Formatter<'_>, name: &str, args: &[(&str, &dyn Debug)]) -> fmt::Result {
    f.write_str(name.trim_start_matches("r#"))?;
    f.write_str("(")?;
    for (index, (param, value)) in args.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{} = {value:?}", param.trim_start_matches("r#"))?;
    }
    f.write_str(")")
}

/// A byte string in clear (test inputs are synthetic): `b"ab\x01"`, the first 16 bytes and
/// the length when longer.
fn write_bytes(f: &mut Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    let shown = &bytes[..bytes.len().min(SHOWN_BYTES)];
    write!(f, "b\"{}\"", shown.escape_ascii())?;
    if bytes.len() > SHOWN_BYTES {
        write!(f, ".. ({} bytes)", bytes.len())?;
    }
    Ok(())
}

/// One argument of a call, with the way to print it chosen where its type is concrete.
pub struct Shown<'a, T: ?Sized> {
    value: &'a T,
    show: fn(&T, &mut Formatter<'_>) -> fmt::Result,
}

impl<'a, T: ?Sized> Shown<'a, T> {
    /// `value`, printed by `show`.
    #[must_use]
    pub fn new(value: &'a T, show: fn(&T, &mut Formatter<'_>) -> fmt::Result) -> Self {
        Shown { value, show }
    }
}

impl<T: ?Sized> Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        (self.show)(self.value, f)
    }
}

/// Chooses how an argument prints, by autoref specialisation, most specific first: a byte
/// key, an optional byte key, a key range, `Debug`, nothing.
pub struct Show<T: ?Sized>(PhantomData<fn(&T)>);

impl<T: ?Sized> Show<T> {
    /// The chooser for the type of `value`.
    #[must_use]
    pub fn of(_value: &T) -> Self {
        Show(PhantomData)
    }
}

/// A byte key: `b"k"`.
pub trait ShowKey<T: ?Sized> {
    /// How to print a `T`.
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result;
}
impl<T: LexKey + ?Sized> ShowKey<T> for &&&&Show<T> {
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result {
        |v, f| write_bytes(f, v.key_bytes())
    }
}

/// An optional byte key: `Some(b"k")`, `None`.
pub trait ShowOptKey<T: ?Sized> {
    /// How to print a `T`.
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result;
}
impl<K: LexKey> ShowOptKey<Option<K>> for &&&Show<Option<K>> {
    fn shower(&self) -> fn(&Option<K>, &mut Formatter<'_>) -> fmt::Result {
        |v, f| match v {
            Some(k) => {
                f.write_str("Some(")?;
                write_bytes(f, k.key_bytes())?;
                f.write_str(")")
            }
            None => f.write_str("None"),
        }
    }
}

/// A key range: `b"a"..b"m"`, an empty bound left out (unbounded).
pub trait ShowRange<T: ?Sized> {
    /// How to print a `T`.
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result;
}
impl<T: KeyRange + ?Sized> ShowRange<T> for &&Show<T> {
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result {
        |v, f| {
            if !v.start_key().is_empty() {
                write_bytes(f, v.start_key())?;
            }
            f.write_str("..")?;
            if !v.end_key().is_empty() {
                write_bytes(f, v.end_key())?;
            }
            Ok(())
        }
    }
}

/// Anything with `Debug`, in clear.
pub trait ShowDebug<T: ?Sized> {
    /// How to print a `T`.
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result;
}
impl<T: Debug + ?Sized> ShowDebug<T> for &Show<T> {
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result {
        |v, f| write!(f, "{v:?}")
    }
}

/// Anything else: `..`.
pub trait ShowOpaque<T: ?Sized> {
    /// How to print a `T`.
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result;
}
impl<T: ?Sized> ShowOpaque<T> for Show<T> {
    fn shower(&self) -> fn(&T, &mut Formatter<'_>) -> fmt::Result {
        |_, f| f.write_str("..")
    }
}

/// One argument of a call, for [`call`]: `__arg!(key)` with `key: &T` prints a byte key as
/// `b"k"`, a key range as `b"a"..b"m"`, anything else with `Debug` in clear, the rest as `..`.
#[macro_export]
#[doc(hidden)]
macro_rules! __arg {
    ($value:expr) => {{
        #[allow(unused_imports)]
        use $crate::__private::machine::{
            ShowDebug as _, ShowKey as _, ShowOpaque as _, ShowOptKey as _, ShowRange as _,
        };
        let value = $value;
        $crate::__private::machine::Shown::new(
            value,
            (&&&&&$crate::__private::machine::Show::of(value)).shower(),
        )
    }};
}

/// The last segment of a type's name, without generics: `CheckpointError`, `String`, `()`.
fn short_type_name<T: ?Sized>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.find('<').map_or(full, |end| &full[..end]);
    base.rsplit("::").next().unwrap_or(base)
}

/// The name of a refusal: the error's `Debug` form up to its first `(`, `{` or space
/// (`OutOfRange { .. }` is `CheckpointError::OutOfRange`), else the type: `Err(String)`.
fn refusal<E: Debug>(error: &E) -> String {
    let shown = format!("{error:?}");
    let head = shown
        .find(['(', '{', ' '])
        .map_or(shown.as_str(), |end| &shown[..end]);
    let short = short_type_name::<E>();
    let is_path = head.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == ':');
    if !is_path {
        format!("Err({short})")
    } else if head == short || head.contains("::") {
        head.to_string()
    } else {
        format!("{short}::{head}")
    }
}

/// Judges a return value, by autoref specialisation, most specific first: a `Result` whose
/// error has `Debug`, any `Result`, an `Option`, anything else (accepted).
pub struct Judge<T: ?Sized>(PhantomData<fn(&T)>);

impl<T: ?Sized> Judge<T> {
    /// The judge for the type of `value`.
    #[must_use]
    pub fn of(_value: &T) -> Self {
        Judge(PhantomData)
    }
}

/// `Ok` accepted; `Err` refused, named by the error's `Debug` form.
pub trait JudgeErrDebug<T: ?Sized> {
    /// How to judge a `T`.
    fn judge(&self) -> fn(&T) -> Outcome;
}
impl<T, E: Debug> JudgeErrDebug<Result<T, E>> for &&&Judge<Result<T, E>> {
    fn judge(&self) -> fn(&Result<T, E>) -> Outcome {
        |r| match r {
            Ok(_) => Outcome::Accepted,
            Err(e) => Outcome::Refused(refusal(e)),
        }
    }
}

/// `Ok` accepted; `Err` refused, named by the error's type.
pub trait JudgeErr<T: ?Sized> {
    /// How to judge a `T`.
    fn judge(&self) -> fn(&T) -> Outcome;
}
impl<T, E> JudgeErr<Result<T, E>> for &&Judge<Result<T, E>> {
    fn judge(&self) -> fn(&Result<T, E>) -> Outcome {
        |r| match r {
            Ok(_) => Outcome::Accepted,
            Err(_) => Outcome::Refused(format!("Err({})", short_type_name::<E>())),
        }
    }
}

/// `Some` accepted; `None` refused.
pub trait JudgeOption<T: ?Sized> {
    /// How to judge a `T`.
    fn judge(&self) -> fn(&T) -> Outcome;
}
impl<T> JudgeOption<Option<T>> for &Judge<Option<T>> {
    fn judge(&self) -> fn(&Option<T>) -> Outcome {
        |o| match o {
            Some(_) => Outcome::Accepted,
            None => Outcome::Refused("None".to_string()),
        }
    }
}

/// Anything else: accepted.
pub trait JudgeAny<T: ?Sized> {
    /// How to judge a `T`.
    fn judge(&self) -> fn(&T) -> Outcome;
}
impl<T: ?Sized> JudgeAny<T> for Judge<T> {
    fn judge(&self) -> fn(&T) -> Outcome {
        |_| Outcome::Accepted
    }
}

/// The [`Outcome`] of a call's return value: `Ok`/`Some`/anything else accepted,
/// `Err`/`None` refused and named (`CheckpointError::OutOfRange`, `None`).
#[macro_export]
#[doc(hidden)]
macro_rules! __outcome {
    ($value:expr) => {{
        #[allow(unused_imports)]
        use $crate::__private::machine::{
            JudgeAny as _, JudgeErr as _, JudgeErrDebug as _, JudgeOption as _,
        };
        let value = $value;
        (&&&&$crate::__private::machine::Judge::of(&value)).judge()(&value)
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn quiet_config(cases: u32) -> Config {
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        }
    }

    /// The message `drive` panics with, or `None` when it passes.
    fn drive_message<M: Machine>(
        cases: u32,
        steps: RangeInclusive<usize>,
        vacuous_ok: bool,
    ) -> Option<String> {
        quietly(|| drive::<M>(quiet_config(cases), steps, vacuous_ok, "t")).err()
    }

    /// A seeded bug only `arm`, then `load`, then `fire` reach, in that order, with any
    /// other calls between them.
    #[derive(Default)]
    struct Trap {
        stage: u8,
        noise: u64,
    }

    #[derive(Clone)]
    enum TrapCall {
        Arm,
        Load { key: Vec<u8> },
        Fire { at: u8 },
        Noise { n: u8 },
    }

    impl Debug for TrapCall {
        fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
            match self {
                TrapCall::Arm => call(f, "arm", &[]),
                TrapCall::Load { key } => call(f, "load", &[("key", &crate::__arg!(key))]),
                TrapCall::Fire { at } => call(f, "fire", &[("at", &crate::__arg!(at))]),
                TrapCall::Noise { n } => call(f, "noise", &[("n", &crate::__arg!(n))]),
            }
        }
    }

    #[derive(Debug)]
    #[allow(dead_code)] // read through `Debug`
    enum TrapError {
        NotNow { stage: u8 },
    }

    impl Trap {
        fn arm(&mut self) -> Result<(), TrapError> {
            if self.stage != 0 {
                return Err(TrapError::NotNow { stage: self.stage });
            }
            self.stage = 1;
            Ok(())
        }
        fn load(&mut self, _key: &[u8]) -> Option<()> {
            (self.stage == 1).then(|| self.stage = 2)
        }
        fn fire(&mut self, _at: u8) -> Result<u8, TrapError> {
            match self.stage {
                2 => panic!("distaudit: invariant seeded violated in Trap::fire"),
                stage => Err(TrapError::NotNow { stage }),
            }
        }
        fn noise(&mut self, n: u8) {
            self.noise += u64::from(n);
        }
    }

    impl Machine for TrapCall {
        type Sut = Trap;
        fn init() -> Trap {
            Trap::default()
        }
        fn strategy() -> BoxedStrategy<Self> {
            prop_oneof![
                Just(TrapCall::Arm),
                proptest::collection::vec(any::<u8>(), 0..40)
                    .prop_map(|key| TrapCall::Load { key }),
                any::<u8>().prop_map(|at| TrapCall::Fire { at }),
                any::<u8>().prop_map(|n| TrapCall::Noise { n }),
            ]
            .boxed()
        }
        fn apply(&self, sut: &mut Trap) -> Outcome {
            match self.clone() {
                TrapCall::Arm => crate::__outcome!(sut.arm()),
                TrapCall::Load { key } => crate::__outcome!(sut.load(&key)),
                TrapCall::Fire { at } => crate::__outcome!(sut.fire(at)),
                TrapCall::Noise { n } => crate::__outcome!(sut.noise(n)),
            }
        }
    }

    #[test]
    fn a_bug_three_ordered_calls_reach_is_caught_and_shrunk_to_them() {
        let message =
            drive_message::<TrapCall>(256, 1..=32, false).expect("the seeded bug is found");
        let steps: Vec<&str> = message.lines().filter(|l| l.starts_with("step ")).collect();
        assert_eq!(steps.len(), 3, "{message}");
        assert_eq!(steps[0], "step 1: arm()", "{message}");
        assert_eq!(steps[1], "step 2: load(key = b\"\")", "{message}");
        assert!(
            steps[2].starts_with(
                "step 3: fire(at = 0) <- distaudit: invariant seeded violated in Trap::fire (at src/machine.rs:"
            ),
            "{message}"
        );
        assert!(
            message.starts_with("distaudit: t: 3 calls break a check"),
            "{message}"
        );
        assert!(!message.contains("minimal failing input"), "{message}");
    }

    #[test]
    fn minimising_leaves_exactly_the_needed_calls() {
        use TrapCall::{Arm, Fire, Load, Noise};
        let calls = vec![
            Noise { n: 1 },
            Fire { at: 3 },
            Arm,
            Noise { n: 2 },
            Arm,
            Load {
                key: b"ab".to_vec(),
            },
            Noise { n: 3 },
            Fire { at: 7 },
            Noise { n: 4 },
            Arm,
        ];
        let (calls, failure) = minimise(calls).expect("fails");
        assert_eq!(
            format!("{calls:?}"),
            "[arm(), load(key = b\"ab\"), fire(at = 7)]"
        );
        assert_eq!(failure.step, 3);
        assert!(minimise(vec![Arm, Noise { n: 0 }]).is_none());
    }

    /// Accepts only `put(key = 0)`: about one call in 256.
    #[derive(Clone, Debug)]
    struct Narrow {
        key: u8,
    }

    #[derive(Debug)]
    #[allow(dead_code)] // read through `Debug`
    enum PutError {
        OutOfRange { key: u8 },
    }

    impl Machine for Narrow {
        type Sut = Vec<u8>;
        fn init() -> Vec<u8> {
            Vec::new()
        }
        fn strategy() -> BoxedStrategy<Self> {
            any::<u8>().prop_map(|key| Narrow { key }).boxed()
        }
        fn apply(&self, sut: &mut Vec<u8>) -> Outcome {
            let put = |sut: &mut Vec<u8>, key: u8| {
                if key != 0 {
                    return Err(PutError::OutOfRange { key });
                }
                sut.push(key);
                Ok(())
            };
            crate::__outcome!(put(sut, self.key))
        }
    }

    #[test]
    fn a_vacuous_test_fails_naming_the_most_frequent_refusal() {
        let message = drive_message::<Narrow>(64, 8..=8, false).expect("vacuous");
        assert!(
            message.starts_with("distaudit: t is vacuous: "),
            "{message}"
        );
        // The keys are random, so how many land on 0 varies from run to run (0 to ~6).
        let rate = message
            .split_once(" of 512 calls accepted (")
            .and_then(|(_, rest)| rest.split_once("%)"))
            .and_then(|(percent, _)| percent.parse::<f64>().ok())
            .expect("a rate in the message");
        assert!(rate < 5.0, "{message}");
        assert!(
            message.contains("%), fewer than the 5% a generated test needs"),
            "{message}"
        );
        assert!(
            message.contains("the most frequent refusal: `Narrow` returned PutError::OutOfRange ("),
            "{message}"
        );
        assert!(message.contains("vacuous_ok"), "{message}");
        assert!(message.contains("strategy(..)"), "{message}");
    }

    #[test]
    fn vacuous_ok_lets_a_vacuous_test_pass() {
        assert_eq!(drive_message::<Narrow>(64, 8..=8, true), None);
    }

    /// Fails on its first run only: state outside the receiver.
    #[derive(Clone, Debug)]
    struct Flaky;

    static FLAKY_RAN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

    impl Machine for Flaky {
        type Sut = ();
        fn init() {}
        fn strategy() -> BoxedStrategy<Self> {
            Just(Flaky).boxed()
        }
        fn apply(&self, (): &mut ()) -> Outcome {
            let ran = FLAKY_RAN.swap(true, std::sync::atomic::Ordering::Relaxed);
            assert!(ran, "first call");
            Outcome::Accepted
        }
    }

    #[test]
    fn a_failure_that_does_not_replay_says_so() {
        let message = drive_message::<Flaky>(8, 2..=2, false).expect("fails once");
        assert!(
            message.starts_with("distaudit: t: 2 calls break a check, but not when replayed"),
            "{message}"
        );
        assert!(
            message.contains("\nstep 1: Flaky\nstep 2: Flaky\nit failed with: "),
            "{message}"
        );
        assert!(message.contains("first call"), "{message}");
    }

    /// A correct counter whose type invariant holds: `count` is the length of `log`.
    #[derive(Clone, Debug)]
    enum Counter {
        Add(u8),
        Pop,
    }

    struct Log {
        count: usize,
        log: Vec<u8>,
    }

    impl Machine for Counter {
        type Sut = Log;
        fn init() -> Log {
            Log {
                count: 0,
                log: Vec::new(),
            }
        }
        fn check_type(sut: &Log) {
            assert_eq!(sut.count, sut.log.len(), "count tracks the log");
        }
        fn strategy() -> BoxedStrategy<Self> {
            prop_oneof![any::<u8>().prop_map(Counter::Add), Just(Counter::Pop)].boxed()
        }
        fn apply(&self, sut: &mut Log) -> Outcome {
            match self {
                Counter::Add(n) => {
                    sut.log.push(*n);
                    sut.count += 1;
                    Outcome::Accepted
                }
                Counter::Pop => {
                    let popped = sut.log.pop();
                    if popped.is_some() {
                        sut.count -= 1;
                    }
                    crate::__outcome!(popped)
                }
            }
        }
    }

    #[test]
    fn a_correct_machine_passes() {
        assert_eq!(drive_message::<Counter>(128, 0..=16, false), None);
        let mut tally = Tally::default();
        execute(&[Counter::Add(1), Counter::Pop, Counter::Pop], |c, o| {
            tally.record(c, o);
        })
        .expect("passes");
        assert_eq!(tally.rate(), "2 of 3 calls accepted (66.7%)");
        assert_eq!(tally.top_refusal(), Some(("Pop", "None", 1)));
    }

    /// Breaks its type invariant in `init`.
    #[derive(Clone, Debug)]
    struct BadInit;

    impl Machine for BadInit {
        type Sut = u8;
        fn init() -> u8 {
            1
        }
        fn check_type(sut: &u8) {
            assert!(*sut == 0, "the type invariant `self == 0` fails");
        }
        fn strategy() -> BoxedStrategy<Self> {
            Just(BadInit).boxed()
        }
        fn apply(&self, _sut: &mut u8) -> Outcome {
            Outcome::Accepted
        }
    }

    #[test]
    fn a_type_invariant_broken_by_init_is_reported_before_any_call() {
        let message = drive_message::<BadInit>(8, 0..=4, false).expect("fails");
        assert!(
            message.contains("fails before any call, in `init` or the type's invariants"),
            "{message}"
        );
        assert!(
            message.contains("\ninit <- the type invariant `self == 0` fails"),
            "{message}"
        );
        assert!(!message.contains("step 1"), "{message}");
    }

    #[test]
    fn calls_print_with_named_arguments_and_bytes_in_clear() {
        struct Opaque;
        struct Range(&'static [u8], &'static [u8]);
        impl KeyRange for Range {
            fn start_key(&self) -> &[u8] {
                self.0
            }
            fn end_key(&self) -> &[u8] {
                self.1
            }
        }
        struct Shown<'a>(&'a [(&'a str, &'a dyn Debug)]);
        impl Debug for Shown<'_> {
            fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
                call(f, "r#checkpoint", self.0)
            }
        }
        let key = b"ab\x01\"".to_vec();
        let long: Box<[u8]> = (0..40).collect();
        let some = Some(vec![b'k']);
        let text = String::from("t");
        let shown = format!(
            "{:?}",
            Shown(&[
                ("r#type", &crate::__arg!(&7_u64)),
                ("key", &crate::__arg!(&key)),
                ("long", &crate::__arg!(&long)),
                ("slice", &crate::__arg!(&key[..1])),
                ("opt", &crate::__arg!(&some)),
                ("none", &crate::__arg!(&None::<Vec<u8>>)),
                ("shard", &crate::__arg!(&Range(b"a", b"m"))),
                ("rest", &crate::__arg!(&Range(b"f", b""))),
                ("text", &crate::__arg!(&text)),
                ("ok", &crate::__arg!(&true)),
                ("opaque", &crate::__arg!(&Opaque)),
            ])
        );
        assert_eq!(
            shown,
            "checkpoint(type = 7, key = b\"ab\\x01\\\"\", \
             long = b\"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f\".. (40 bytes), \
             slice = b\"a\", opt = Some(b\"k\"), none = None, shard = b\"a\"..b\"m\", rest = b\"f\"..,\
             \x20text = \"t\", ok = true, opaque = ..)"
        );
    }

    #[test]
    fn return_values_judge_as_accepted_or_named_refusals() {
        #[derive(Debug)]
        #[allow(dead_code)] // read through `Debug`
        enum CheckpointError {
            OutOfRange { key: u8 },
            Stale(u64),
            Fenced,
        }
        #[derive(Debug)]
        #[allow(dead_code)] // read through `Debug`
        struct ProgressError {
            at: u8,
        }
        struct Silent;
        let refused = |o: Outcome| match o {
            Outcome::Refused(why) => why,
            Outcome::Accepted => "accepted".to_string(),
        };
        let r: Result<u8, CheckpointError> = Err(CheckpointError::OutOfRange { key: 1 });
        assert_eq!(refused(crate::__outcome!(r)), "CheckpointError::OutOfRange");
        let r: Result<u8, CheckpointError> = Err(CheckpointError::Stale(3));
        assert_eq!(refused(crate::__outcome!(r)), "CheckpointError::Stale");
        let r: Result<u8, CheckpointError> = Err(CheckpointError::Fenced);
        assert_eq!(refused(crate::__outcome!(r)), "CheckpointError::Fenced");
        let r: Result<(), ProgressError> = Err(ProgressError { at: 2 });
        assert_eq!(refused(crate::__outcome!(r)), "ProgressError");
        let r: Result<(), String> = Err("no".to_string());
        assert_eq!(refused(crate::__outcome!(r)), "Err(String)");
        let r: Result<(), ()> = Err(());
        assert_eq!(refused(crate::__outcome!(r)), "Err(())");
        let r: Result<(), Silent> = Err(Silent);
        assert_eq!(refused(crate::__outcome!(r)), "Err(Silent)");
        let r: Result<(), Silent> = Ok(());
        assert_eq!(crate::__outcome!(r), Outcome::Accepted);
        assert_eq!(crate::__outcome!(Ok::<u8, ()>(1)), Outcome::Accepted);
        assert_eq!(refused(crate::__outcome!(None::<u8>)), "None");
        assert_eq!(crate::__outcome!(Some(Silent)), Outcome::Accepted);
        assert_eq!(crate::__outcome!(()), Outcome::Accepted);
        assert_eq!(crate::__outcome!(Silent), Outcome::Accepted);
    }
}
