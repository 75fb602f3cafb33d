//! Secrets stay out of test output and out of the repository: the fixture crate
//! `tests/fixtures/secrets` feeds `SECRET-A` and `SECRET-B` as keys through every failure
//! path (woven checks, a generated property test, shrunk state-machine sequences, a panic of
//! the code's own, the persisted regression file, a replay of it), and nothing printed or stored may hold
//! their bytes, as text or in any form `Debug` gives bytes; yet each failure still says how
//! the keys compare.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

/// The fixture's runs share its `proptest-regressions/`: one at a time.
static FIXTURE: Mutex<()> = Mutex::new(());

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/secrets")
}

fn regressions() -> PathBuf {
    fixture().join("proptest-regressions")
}

/// `cargo test --lib` of the fixture, with `env` set (`None`: removed) over a plain environment
/// (no reveal switch, no proptest verbosity): its status and its stdout and stderr together.
fn run_fixture(env: &[(&str, Option<&str>)]) -> (Output, String) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
            PathBuf::from,
        )
        .join("fixtures");
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["test", "--lib", "--manifest-path"])
        .arg(fixture().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("DISTAUDIT_REVEAL")
        .env_remove("PROPTEST_VERBOSE");
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let out = command.output().expect("cargo runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

/// Every form in which the secrets' bytes could show: as text (also lowercased, as the
/// seeded `canonical` returns them), as `Debug` prints a byte slice (`[83, 69, 67, ..`), in
/// hex, and as escaped bytes. Case matters: the crate itself is named `secrets`.
const FORMS: [&str; 8] = [
    "SECRET",
    "secret-a",
    "secret-b",
    "[83, 69, 67",
    "83, 69, 67, 82, 69, 84",
    "115, 101, 99, 114, 101, 116",
    "534543524554",
    "\\x53\\x45",
];

/// The forms of the secrets found in `text`.
fn leaks(text: &str) -> Vec<&'static str> {
    FORMS
        .into_iter()
        .filter(|form| text.contains(form))
        .collect()
}

/// The persisted regression files, by name, with their text.
fn persisted() -> Vec<(String, String)> {
    let Ok(dir) = std::fs::read_dir(regressions()) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = dir
        .filter_map(Result::ok)
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(entry.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The tests of the fixture that failed, from libtest's summary.
fn failed_tests(text: &str) -> Vec<&str> {
    let mut failed: Vec<&str> = text
        .split("\nfailures:\n")
        .last()
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .take_while(|line| !line.is_empty())
        .collect();
    failed.sort_unstable();
    failed
}

/// The lines of the failure report of the test whose name ends with `test`.
fn report_of<'a>(text: &'a str, test: &str) -> &'a str {
    text.split("\n---- ")
        .find(|section| {
            section
                .split_once(' ')
                .is_some_and(|(name, _)| name.ends_with(test))
        })
        .unwrap_or_else(|| panic!("no report of {test}:\n{text}"))
}

#[test]
fn no_failure_path_prints_or_persists_key_bytes() {
    let _one = FIXTURE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let _ = std::fs::remove_dir_all(regressions());
    // The first run finds the failures and persists their seeds; the second replays them.
    for run in ["first", "replayed"] {
        let (out, text) = run_fixture(&[]);
        assert!(
            !out.status.success(),
            "{run}: the seeded bugs fail:\n{text}"
        );
        // Every path ran and failed: the woven checks called directly, the property test of a
        // free function, each method's own test and the state machines.
        let failed = failed_tests(&text);
        for (module, test) in [
            ("woven", "a_cursor_moved_back_by_a_newer_epoch"),
            ("woven", "a_seek_below_the_shard"),
            ("woven", "a_renewal_under_the_same_epoch"),
            ("woven", "a_key_changed_by_canonical"),
            ("distaudit_canonical", "distaudit_canonical"),
            ("distaudit_scanner_", "state_machine::state_machine"),
            ("distaudit_index_", "state_machine::state_machine"),
        ] {
            assert!(
                failed
                    .iter()
                    .any(|name| name.starts_with(module) && name.ends_with(test)),
                "{run}: {module}..{test} failed:\n{text}"
            );
        }
        assert_eq!(leaks(&text), Vec::<&str>::new(), "{run}: printed:\n{text}");
        let files = persisted();
        assert!(!files.is_empty(), "{run}: the failing seeds are kept");
        for (name, content) in &files {
            assert!(
                content.contains("\ncc "),
                "{run}: a seed in {name}:\n{content}"
            );
            assert_eq!(
                leaks(content),
                Vec::<&str>::new(),
                "{run}: {name} holds:\n{content}"
            );
        }
        explains_without_bytes(&text);
    }
    let _ = std::fs::remove_dir_all(regressions());
}

/// Each report still says what went wrong: keys compared by order, epochs in clear, the
/// shrunk sequence as calls.
fn explains_without_bytes(text: &str) {
    let moved_back = report_of(text, "a_cursor_moved_back_by_a_newer_epoch");
    assert!(
        moved_back.contains(
            "monotonic(self.last_key) violated in secrets::Scanner::append (D2.3, bacon-2017): \
             regressed: lower than before, first difference at byte 7, len 8 -> 8"
        ),
        "{moved_back}"
    );
    let below = report_of(text, "a_seek_below_the_shard");
    assert!(
        below.contains("key lower than the range's start, first difference at byte 7, len 8 vs 8"),
        "{below}"
    );
    let renewed = report_of(text, "a_renewal_under_the_same_epoch");
    assert!(
        renewed.contains("did not increase: before FenceEpoch(2), after FenceEpoch(2)"),
        "an integer newtype in clear:\n{renewed}"
    );
    let changed = report_of(text, "a_key_changed_by_canonical");
    assert!(
        changed.contains("left higher than right, first difference at byte 0, len 8 vs 8"),
        "{changed}"
    );
    let property = report_of(text, "distaudit_canonical");
    assert!(
        property.contains("step 1: canonical(key = len 8 #")
            && property.contains("left higher than right, first difference at byte 0"),
        "{property}"
    );
    // The machine's shrunk sequence: a cursor, then a newer epoch that moves it back.
    let machine = text
        .split("\n---- ")
        .find(|s| s.starts_with("distaudit_scanner_") && s.contains("state_machine::state_machine"))
        .unwrap_or_else(|| panic!("no report of the scanner's state machine:\n{text}"));
    let steps: Vec<&str> = machine.lines().filter(|l| l.starts_with("step ")).collect();
    assert_eq!(steps.len(), 2, "shrunk to two calls:\n{machine}");
    assert!(
        steps[0].starts_with("step 1: append(key = len 8 #")
            && steps[0].contains("epoch = FenceEpoch("),
        "{machine}"
    );
    assert!(
        steps[1].contains("regressed: lower than before, first difference at byte 7, len 8 -> 8"),
        "{machine}"
    );
    assert!(
        machine.contains("DISTAUDIT_REVEAL=1"),
        "says how to reveal:\n{machine}"
    );
    // A panic of the code's own, with the key in its message, is told without the bytes.
    let removed = text
        .split("\n---- ")
        .find(|s| s.starts_with("distaudit_index_") && s.contains("state_machine::state_machine"))
        .unwrap_or_else(|| panic!("no report of the index's state machine:\n{text}"));
    assert!(
        removed.contains("called `Result::unwrap()` on an `Err` value: Behind { key: len 8 #"),
        "{removed}"
    );
}

#[test]
fn values_show_only_when_revealed_locally() {
    let _one = FIXTURE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let _ = std::fs::remove_dir_all(regressions());
    let (_, text) = run_fixture(&[("DISTAUDIT_REVEAL", Some("1")), ("CI", None)]);
    assert!(
        text.contains("b\"SECRET-B\""),
        "revealed on request, locally:\n{text}"
    );
    for (name, content) in persisted() {
        assert_eq!(
            leaks(&content),
            Vec::<&str>::new(),
            "a revealed run persists no value either: {name}:\n{content}"
        );
    }
    let (_, text) = run_fixture(&[("DISTAUDIT_REVEAL", Some("1")), ("CI", Some("true"))]);
    assert_eq!(leaks(&text), Vec::<&str>::new(), "ignored in CI:\n{text}");
    let _ = std::fs::remove_dir_all(regressions());
}
