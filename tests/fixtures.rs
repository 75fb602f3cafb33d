//! Tests that need a crate of their own: a generated property test finding a seeded bug by
//! itself (with shrinking), and the rustdoc HTML of an annotated item.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeded")
}

fn cargo(args: &[&str]) -> std::process::Output {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures");
    Command::new(env!("CARGO"))
        .args(args)
        .arg("--manifest-path")
        .arg(fixture().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

#[test]
fn generated_property_test_finds_a_bug_only_some_inputs_reach() {
    let _ = std::fs::remove_dir_all(fixture().join("proptest-regressions"));
    let out = cargo(&["test", "--quiet", "--lib", "distaudit_normalize"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "the seeded bug must fail the generated test:\n{stdout}"
    );
    assert!(stdout.contains("distaudit_normalize"), "{stdout}");
    assert!(
        stdout.contains("invariant within(key = ret, range = Shard"),
        "the woven-in check is the oracle:\n{stdout}"
    );
    // proptest shrinks to the smallest failing key: exactly 4 bytes long.
    let start = stdout
        .find("minimal failing input")
        .unwrap_or_else(|| panic!("no minimal failing input in:\n{stdout}"));
    let input = &stdout[start
        ..stdout[start..]
            .find("successes")
            .map_or(stdout.len(), |e| start + e)];
    let bytes = input
        .lines()
        .filter(|l| l.trim().trim_end_matches(',').parse::<u8>().is_ok())
        .count();
    assert_eq!(bytes, 4, "shrunk to a 4-byte key:\n{input}");
    assert!(
        fixture().join("proptest-regressions").exists(),
        "the failing seed is persisted"
    );
    let _ = std::fs::remove_dir_all(fixture().join("proptest-regressions"));
}

#[test]
fn generated_method_test_finds_a_bug_only_a_call_sequence_reaches() {
    let out = cargo(&["test", "--quiet", "--lib", "distaudit_epochs"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "the seeded bug must fail the hosted test:\n{stdout}"
    );
    assert!(stdout.contains("distaudit_epochs::bump"), "{stdout}");
    assert!(
        stdout.contains("strictly_increasing(self.epoch) violated in"),
        "{stdout}"
    );
    // The shrunk sequence: three calls reach epoch 3, the fourth cannot increase it.
    let start = stdout
        .find("minimal failing input")
        .unwrap_or_else(|| panic!("no minimal failing input in:\n{stdout}"));
    let input = &stdout[start
        ..stdout[start..]
            .find("successes")
            .map_or(stdout.len(), |e| start + e)];
    let calls = input.lines().filter(|l| l.trim() == "(").count();
    assert_eq!(calls, 4, "shrunk to four calls:\n{input}");
}

#[test]
fn rustdoc_shows_the_decision_record_with_its_citation_link() {
    let out = cargo(&["doc", "--no-deps", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/doc/seeded/fn.normalize.html");
    let html = std::fs::read_to_string(&html_path).expect("rustdoc wrote the page");
    assert!(html.contains("Coordination audit"), "section heading");
    assert!(html.contains("<table>"), "decision record table");
    assert!(
        html.contains("href=\"https://doi.org/10.1145/3035918.3056103\""),
        "citation link (bacon-2017)"
    );
    assert!(
        html.contains("within(key = ret, range = Shard"),
        "the invariant"
    );
    let shard = std::fs::read_to_string(html_path.with_file_name("struct.Shard.html"))
        .expect("struct page");
    assert!(
        shard.contains("Chang") && shard.contains("Bigtable"),
        "provenance: authors and title"
    );
}
