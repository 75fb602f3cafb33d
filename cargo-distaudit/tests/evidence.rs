//! Evidence links end to end: the fixture crate (`tests/fixtures/evidence`) links its
//! decisions to a TLA+ operator, a Kani harness and a test. Copied to a temporary
//! directory and edited: a changed spec shows OUTDATED (DA0087 WARN), a deleted harness
//! ORPHANED (DA0086 BLOCK); the traceability table and a test run's record show in the
//! markdown and JSON reports.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/evidence")
}

/// A fresh copy of the fixture, in a directory of its own.
fn copy(name: &str) -> PathBuf {
    let to = std::env::temp_dir().join(format!(
        "distaudit-evidence-cli-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&to);
    copy_dir(&fixture(), &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a directory");
    for entry in std::fs::read_dir(from).expect("the fixture") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let manifest = dir.join("Cargo.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-distaudit"))
        .arg("distaudit")
        .args(args)
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("the file");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("written");
}

#[test]
fn the_fixture_is_covered_with_two_level_five_links() {
    let (code, out, _) = run(&fixture(), &["evidence"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("distaudit evidence: 3 COVERED, 0 OUTDATED, 0 ORPHANED (2 level 5)\n"),
        "{out}"
    );
    let (code, out, err) = run(&fixture(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 BLOCK, 0 WARN"), "{out}");
}

#[test]
fn a_changed_spec_is_outdated_until_its_fingerprint_is_recorded() {
    let dir = copy("outdated");
    edit(
        &dir.join("specs/ShardFencing.tla"),
        "Cardinality({n \\in Nodes : owner[n] = s}) <= 1",
        "Cardinality({n \\in Nodes : owner[n] = s}) <= 2",
    );
    let (code, out, _) = run(&dir, &[]);
    assert_eq!(code, 0, "a WARN: {out}");
    assert!(
        out.contains("[distaudit DA0087 WARN] evidence `shard-fencing-mutex` (tla) is OUTDATED: target `specs/ShardFencing.tla#MutualExclusion` changed since fingerprint 5c52af78d236e0b5 was recorded"),
        "{out}"
    );
    assert!(
        out.contains("distaudit.toml:27"),
        "at the link's line: {out}"
    );
    let (code, _, _) = run(&dir, &["--deny", "warnings"]);
    assert_eq!(code, 1, "a gate under --deny warnings");

    let (_, md, _) = run(&dir, &["--format", "markdown"]);
    assert!(
        md.contains("| S1 (own): One writer per shard | `fence::Store::write` | `monotonic(self.fence)` on `fence::Store::write` | `zombie-test` tested (COVERED) | `shard-fencing-mutex` model-checked (TLA+) (OUTDATED) | OUTDATED |"),
        "{md}"
    );

    // Re-confirmed: the fingerprint the listing prints, pasted.
    let (_, listing, _) = run(&dir, &["evidence"]);
    let now = listing
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("fingerprint = \"")?
                .split('"')
                .next()
                .filter(|f| *f != "5c52af78d236e0b5")
        })
        .expect("the new fingerprint");
    edit(&dir.join("distaudit.toml"), "5c52af78d236e0b5", now);
    let (code, out, _) = run(&dir, &[]);
    assert_eq!(code, 0);
    assert!(!out.contains("DA0087"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_deleted_harness_is_orphaned() {
    let dir = copy("orphaned");
    std::fs::write(
        dir.join("src/proofs.rs"),
        "//! Kani harnesses (built by `cargo kani` only).\n",
    )
    .expect("written");
    let (code, out, _) = run(&dir, &[]);
    assert_eq!(code, 1, "a BLOCK: {out}");
    assert!(
        out.contains("[distaudit DA0086 BLOCK] evidence `split-tiles-parent` (kani) is ORPHANED: target `src/proofs.rs#split_tiles_parent` is gone: no function of that name is left in the file"),
        "{out}"
    );
    let (_, json, _) = run(&dir, &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let trace = &doc["traceability"][0];
    let s2 = trace["decisions"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["id"] == "S2"))
        .expect("S2");
    assert_eq!(s2["state"], "ORPHANED", "{s2}");
    assert_eq!(s2["level"], serde_json::Value::Null, "no longer level 5");
    let link = trace["links"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["id"] == "split-tiles-parent"))
        .expect("the link");
    assert_eq!(link["state"], "ORPHANED");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_harness_without_its_attribute_is_orphaned_too() {
    let dir = copy("attribute");
    edit(&dir.join("src/proofs.rs"), "#[kani::proof]\n", "");
    let (code, out, _) = run(&dir, &["evidence"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("is still there but has no `#[kani::proof]`: it is no longer a proof harness"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_test_run_record_fills_the_measured_coverage() {
    let dir = copy("measured");
    let record = dir.join("coverage");
    std::fs::create_dir_all(&record).expect("a directory");
    // As the runtime writes it: `write` ran only in refused calls of a state machine.
    std::fs::write(
        record.join("fencing-1-1.jsonl"),
        "{\"module\":\"evidence::fence\",\"item\":\"write\",\"check\":\"monotonic(self.fence)\",\"owner\":\"evidence::fence::Store\",\"evaluated\":4,\"failed\":0,\"accepted\":0,\"refused\":4}\n",
    )
    .expect("written");
    let path = record.to_string_lossy().into_owned();
    let (code, md, err) = run(&dir, &["--format", "markdown", "--coverage", &path]);
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains("(1 file(s)): 1 of 1 declared checks evaluated."),
        "{md}"
    );
    assert!(
        md.contains("| fencing | `fence::Store::write`: `monotonic(self.fence)` (evaluated only on refused calls (4×))"),
        "{md}"
    );
    assert!(
        md.contains("`monotonic(self.fence)` on `fence::Store::write` (×4, only refused calls)"),
        "{md}"
    );
    assert!(!md.contains("Coverage is inferred"), "{md}");
    // The summary and Missing Coverage say the coverage was measured, not inferred.
    assert!(
        md.contains("- **Coverage** (measured by the test run recorded in `")
            && md.contains("1 of the 1 declared checks evaluated (1 of them only on refused calls), 0 by no test"),
        "{md}"
    );
    assert!(!md.contains("no test-run record was read"), "{md}");
    assert!(!md.contains("Inferred, without a test-run record"), "{md}");
    let (_, json, _) = run(&dir, &["--format", "json", "--coverage", &path]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let coverage = &doc["traceability"][0]["coverage"];
    assert_eq!(coverage["measured"], true);
    assert_eq!(
        coverage["checks"][0]["run"]["only_refused"], true,
        "{coverage}"
    );

    std::fs::write(record.join("broken.jsonl"), "not json\n").expect("written");
    let (code, _, err) = run(&dir, &["--coverage", &path]);
    assert_eq!(code, 2, "a record that cannot be read stops the run");
    assert!(
        err.contains("broken.jsonl:1 is not a line of a coverage record"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 23: the Monotonicity & Ordering Check says what model-checked or proved a box,
/// from the covered machine-checked links of decisions that govern the box's pattern, and
/// never calls a run-time check that.
#[test]
fn the_ordering_check_names_the_spec_and_the_proof_that_cover_a_box() {
    let (_, out, err) = run(&fixture(), &["--format", "markdown"]);
    let ordering: Vec<&str> = out
        .split("### Monotonicity & Ordering Check")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with("- ["))
        .collect();
    let line = |label: &str| {
        ordering
            .iter()
            .find(|l| l.contains(label))
            .copied()
            .unwrap_or_else(|| panic!("no `{label}` box in {ordering:#?}{err}"))
    };
    assert!(
        line("Epoch/fence tokens")
            .contains("model-checked (TLA+) by `specs/ShardFencing.tla#MutualExclusion`"),
        "{ordering:#?}"
    );
    assert!(
        line("Shard bounds").contains("proved (Kani) by `src/proofs.rs#split_tiles_parent`"),
        "{ordering:#?}"
    );
    assert!(
        !line("Cursor advancement").contains("model-checked"),
        "{ordering:#?}"
    );
}
