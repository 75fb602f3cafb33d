//! Generated property tests: free functions and methods hosted by `#[distaudit::audit]`.
// Generated tests must be pedantic-clean; the allowed lints concern this file's own
// example functions, which keep their spans.
#![deny(warnings, clippy::pedantic)]
#![allow(
    clippy::missing_errors_doc,
    clippy::result_unit_err,
    clippy::must_use_candidate
)]

mod common;

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

/// Set in the child process the test below starts, so that it does not start another.
const CHILD: &str = "DISTAUDIT_PROPERTY_CHILD";

/// `distaudit: <name>: <accepted> of <total> calls accepted (..)`, as every generated test
/// prints it: `(accepted, total)`.
fn acceptance(stderr: &str, name: &str) -> (u64, u64) {
    let prefix = format!("distaudit: {name}: ");
    let line = stderr
        .lines()
        .find_map(|l| l.split_once(&prefix).map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("no acceptance line for {name}:\n{stderr}"));
    let mut words = line.split(' ');
    let accepted = words.next().and_then(|w| w.parse().ok());
    let total = words.nth(1).and_then(|w| w.parse().ok());
    match (accepted, total) {
        (Some(accepted), Some(total)) => (accepted, total),
        _ => panic!("unreadable acceptance line: {line}"),
    }
}

/// The tests generated in this file exist under their documented names, and run: this test
/// binary, started again with the filter `distaudit_` (which selects only them), lists one
/// per item with `test`, runs them all, and each drew its cases and accepted calls.
#[test]
fn every_generated_test_runs_and_accepts_calls() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let run = |args: &[&str]| common::rerun(CHILD, args);
    let (listed, list, _) = run(&["--list", "--format", "terse"]);
    assert!(listed, "{list}");
    let generated: Vec<&str> = list
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter(|name| name.starts_with("distaudit_"))
        .collect();
    assert_eq!(generated.len(), 3, "tag, advance and bump:\n{list}");
    assert!(
        generated.contains(&"distaudit_tag::distaudit_tag"),
        "{list}"
    );
    let hosted = |method: &str| {
        generated
            .iter()
            .find(|name| {
                name.starts_with("distaudit_log_")
                    && name.ends_with(&format!("::{method}::{method}"))
            })
            .unwrap_or_else(|| panic!("no hosted test of Log::{method}:\n{list}"))
            .split("::")
            .next()
            .unwrap_or_default()
    };
    assert_eq!(hosted("advance"), hosted("bump"), "one module per impl");

    let (passed, stdout, stderr) = run(&["distaudit_", "--nocapture", "--test-threads=1"]);
    assert!(passed, "{stdout}\n{stderr}");
    assert!(stdout.contains("3 passed"), "{stdout}");
    // `tag`: 64 cases of one call, every one accepted (it returns a plain value).
    assert_eq!(acceptance(&stderr, "distaudit_tag"), (64, 64));
    // `advance`: 64 cases of 1 to 8 calls on one `Log`; a key below the last is refused.
    let (accepted, total) = acceptance(&stderr, "advance");
    assert!((64..=512).contains(&total), "{total} calls");
    assert!(accepted > 0 && accepted < total, "{accepted} of {total}");
    // `bump`: the default 256 cases of 1 to 32 calls; `by = 0` is refused.
    let (accepted, total) = acceptance(&stderr, "bump");
    assert!((256..=256 * 32).contains(&total), "{total} calls");
    assert!(accepted > 0 && accepted < total, "{accepted} of {total}");
}
