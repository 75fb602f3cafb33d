//! The driver's own tests: finding, shrinking and printing failures, vacuity, outcomes.

use super::report::minimise;
use super::*;
use crate::KeyRange;
use crate::runtime::fingerprint;
use proptest::prelude::*;
use std::fmt::{self, Formatter};

fn quiet_config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Calls as a sequence draws them, each with pick 0.
fn drawn<M>(calls: Vec<M>) -> Vec<(M, u64)> {
    calls.into_iter().map(|call| (call, 0)).collect()
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
            proptest::collection::vec(any::<u8>(), 0..40).prop_map(|key| TrapCall::Load { key }),
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
    let message = drive_message::<TrapCall>(256, 1..=32, false).expect("the seeded bug is found");
    let steps: Vec<&str> = message.lines().filter(|l| l.starts_with("step ")).collect();
    assert_eq!(steps.len(), 3, "{message}");
    assert_eq!(steps[0], "step 1: arm()", "{message}");
    assert_eq!(
        steps[1],
        format!("step 2: load(key = {})", fingerprint(b"")),
        "{message}"
    );
    assert!(
        steps[2].starts_with(
            "step 3: fire(at = 0) <- distaudit: invariant seeded violated in Trap::fire (at src/machine/tests.rs:"
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
    let (calls, failure) = minimise(drawn(calls)).expect("fails");
    let calls: Vec<_> = calls.into_iter().map(|(call, _)| call).collect();
    assert_eq!(
        format!("{calls:?}"),
        format!("[arm(), load(key = {}), fire(at = 7)]", fingerprint(b"ab"))
    );
    assert_eq!(failure.step, 3);
    assert!(minimise(drawn(vec![Arm, Noise { n: 0 }])).is_none());
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
    execute(
        &drawn(vec![Counter::Add(1), Counter::Pop, Counter::Pop]),
        |c, o| {
            tally.record(c, o);
        },
    )
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
fn calls_print_with_named_arguments_described_as_checks_describe_values() {
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
    #[derive(Debug)]
    struct FenceEpoch(#[allow(dead_code)] u64);
    struct Shown<'a>(&'a [(&'a str, &'a dyn Debug)]);
    impl Debug for Shown<'_> {
        fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
            call(f, "r#checkpoint", self.0)
        }
    }
    let key = b"ab\x01\"".to_vec();
    let some = Some(vec![b'k']);
    let text = String::from("t");
    let shown = format!(
        "{:?}",
        Shown(&[
            ("r#type", &crate::__arg!(&7_u64)),
            ("key", &crate::__arg!(&key)),
            ("slice", &crate::__arg!(&key[..1])),
            ("opt", &crate::__arg!(&some)),
            ("none", &crate::__arg!(&None::<Vec<u8>>)),
            ("shard", &crate::__arg!(&Range(b"a", b"m"))),
            ("text", &crate::__arg!(&text)),
            ("ok", &crate::__arg!(&true)),
            ("epoch", &crate::__arg!(&FenceEpoch(3))),
            ("opaque", &crate::__arg!(&Opaque)),
        ])
    );
    let f = fingerprint;
    assert_eq!(
        shown,
        format!(
            "checkpoint(type = 7, key = {}, slice = {}, opt = Some({}), none = None, \
             shard = [{}, {}), text = {}, ok = true, epoch = FenceEpoch(3), \
             opaque = <value without Debug>)",
            f(&key),
            f(b"a"),
            f(b"k"),
            f(b"a"),
            f(b"m"),
            f(b"\"t\"")
        )
    );
}

/// Fails on any call, with its key in a panic of its own (`unwrap` of an error holding it).
#[derive(Clone)]
struct Leaky {
    key: Vec<u8>,
}

impl Debug for Leaky {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        call(f, "leak", &[("key", &crate::__arg!(&self.key))])
    }
}

impl Machine for Leaky {
    type Sut = ();
    fn init() {}
    fn strategy() -> BoxedStrategy<Self> {
        Just(Leaky {
            key: b"SECRET-A".to_vec(),
        })
        .boxed()
    }
    fn apply(&self, (): &mut ()) -> Outcome {
        let found: Result<(), Vec<u8>> = std::hint::black_box(Err(self.key.clone()));
        found.unwrap();
        Outcome::Accepted
    }
}

#[test]
fn a_panic_of_the_code_under_test_is_reported_without_its_data() {
    let message = drive_message::<Leaky>(4, 1..=1, false).expect("fails");
    let key = fingerprint(b"SECRET-A");
    assert!(
        message.contains(&format!(
            "\nstep 1: leak(key = {key}) <- called `Result::unwrap()` on an `Err` value: {key} (at src/machine/tests.rs:"
        )),
        "{message}"
    );
    assert!(
        !message.contains("SECRET") && !message.contains("83, 69"),
        "{message}"
    );
    assert!(message.contains("set DISTAUDIT_REVEAL=1"), "{message}");
}

#[test]
fn persisted_failures_keep_the_seed_and_withhold_the_values() {
    let path =
        std::env::temp_dir().join(format!("distaudit-seeds-only-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let leaked: &'static str = Box::leak(path.to_string_lossy().into_owned().into_boxed_str());
    let config = Config {
        cases: 4,
        failure_persistence: Some(Box::new(persistence::SeedsOnly(
            proptest::test_runner::FileFailurePersistence::Direct(leaked),
        ))),
        ..Config::default()
    };
    let failed = quietly(|| drive::<Leaky>(config, 1..=1, false, "t"));
    assert!(failed.is_err());
    let stored = std::fs::read_to_string(&path).expect("the seed is stored");
    let _ = std::fs::remove_file(&path);
    let seeds: Vec<&str> = stored.lines().filter(|l| l.starts_with("cc ")).collect();
    assert_eq!(seeds.len(), 1, "{stored}");
    assert!(seeds[0].ends_with("# shrinks to (withheld by distaudit: arguments may hold key bytes; the seed replays the failure)"), "{stored}");
    assert!(
        !stored.contains("SECRET") && !stored.contains("leak("),
        "{stored}"
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
