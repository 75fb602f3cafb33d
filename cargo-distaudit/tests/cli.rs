//! The binary end to end on the fixture crate: golden outputs of every format, SARIF
//! validated against the SARIF 2.1.0 schema, exit codes, and a broken file that does not
//! stop the rest. `UPDATE_GOLDEN=1 cargo test -p cargo-distaudit` rewrites the goldens.

use std::path::{Path, PathBuf};
use std::process::Command;

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    here().join("tests/fixtures/small/Cargo.toml")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-distaudit"))
        // The fixture's exemptions expire relative to this day.
        .env("DISTAUDIT_TODAY", "2026-11-25")
        .arg("distaudit")
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn golden(name: &str, actual: &str) {
    let path = here().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("golden written");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden {}", path.display()));
    if actual != expected {
        // A short diff, not two whole documents.
        let diff = similar::TextDiff::from_lines(&expected, actual);
        let shown: String = diff
            .unified_diff()
            .context_radius(2)
            .to_string()
            .lines()
            .take(40)
            .collect::<Vec<_>>()
            .join("\n");
        panic!(
            "output differs from {} (UPDATE_GOLDEN=1 rewrites it once the change is right):\n{shown}",
            path.display()
        );
    }
}

fn fixture_arg() -> String {
    fixture().to_string_lossy().into_owned()
}

#[test]
fn text_golden_and_exit_code() {
    let (code, out, _) = run(&["--manifest-path", &fixture_arg()]);
    assert_eq!(code, 1, "BLOCK findings exit 1");
    golden("small.txt", &out);
}

#[test]
fn json_golden() {
    let (code, out, _) = run(&["--manifest-path", &fixture_arg(), "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(doc["version"], 1);
    golden("small.json", &out);
}

#[test]
fn markdown_golden() {
    let (_, out, _) = run(&["--manifest-path", &fixture_arg(), "--format", "markdown"]);
    for heading in [
        "## Inline Audit",
        "### Monotonicity & Ordering Check",
        "### Flags",
        "### Missing Coverage",
    ] {
        assert!(out.contains(heading), "{heading} missing");
    }
    golden("small.md", &out);
}

#[test]
fn sarif_golden_and_schema_valid() {
    let (_, out, _) = run(&["--manifest-path", &fixture_arg(), "--format", "sarif"]);
    golden("small.sarif", &out);
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(here().join("tests/data/sarif-schema-2.1.0.json"))
            .expect("schema"),
    )
    .expect("schema is JSON");
    // The published schema's `run.language` pattern has a stray `]` that a strict regex
    // check of the schema itself refuses; it concerns a property we never emit.
    for def in ["run", "toolComponent"] {
        schema["definitions"][def]["properties"]["language"]["pattern"] =
            serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    let doc: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF does not validate: {errors:#?}");
    // One rule per DA code; results carry file, line and column.
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "DA0004"));
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .all(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string())
    );
    // Each result has a level and a fingerprint; each rule its help and where to read more.
    assert!(results.iter().all(|r| {
        r["level"].is_string()
            && r["partialFingerprints"]["distaudit/v1"]
                .as_str()
                .map(str::len)
                == Some(32)
    }));
    assert!(rules.iter().all(|r| {
        r["helpUri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/distaudit/#diagnostic-codes"))
            && r["help"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("Why: ") && t.contains("Fix: "))
    }));
}

/// `(ruleId, fingerprint, startLine)` of every result of a SARIF document.
fn fingerprints(sarif: &str) -> Vec<(String, String, u64)> {
    let doc: serde_json::Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    let mut out: Vec<(String, String, u64)> = doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["partialFingerprints"]["distaudit/v1"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Code scanning matches a finding across runs by its fingerprint: lines added above the
/// code move every finding down, and every fingerprint stays.
#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let dir = std::env::temp_dir().join(format!("distaudit-moved-{}", std::process::id()));
    copy_small_fixture(&dir);
    let manifest = dir.join("Cargo.toml").to_string_lossy().into_owned();
    let (_, before, _) = run(&["--manifest-path", &manifest, "--format", "sarif"]);
    for f in ["src/lease.rs", "src/legacy.rs", "src/queues/work.rs"] {
        let path = dir.join(f);
        let text = std::fs::read_to_string(&path).expect("fixture");
        std::fs::write(&path, format!("// moved\n\n// down\n{text}")).expect("write");
    }
    let (_, after, _) = run(&["--manifest-path", &manifest, "--format", "sarif"]);
    let _ = std::fs::remove_dir_all(&dir);
    let (before, after) = (fingerprints(&before), fingerprints(&after));
    let keys = |v: &[(String, String, u64)]| -> Vec<(String, String)> {
        let mut k: Vec<(String, String)> =
            v.iter().map(|(r, f, _)| (r.clone(), f.clone())).collect();
        k.sort();
        k
    };
    assert!(before.len() > 4, "{before:?}");
    assert_eq!(keys(&before), keys(&after));
    let lines = |v: &[(String, String, u64)]| v.iter().map(|(_, _, l)| *l).collect::<Vec<_>>();
    assert_ne!(lines(&before), lines(&after), "the lines did move");
}

#[test]
fn broken_file_does_not_stop_the_rest() {
    let (_, out, _) = run(&["--manifest-path", &fixture_arg(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"DA0062"),
        "the broken file is reported: {codes:?}"
    );
    assert!(
        codes.contains(&"DA0004"),
        "the annotated item is still checked"
    );
    assert!(codes.contains(&"DA0060"), "the uncited code is still found");
    assert!(
        codes.contains(&"DA0044"),
        "the #[path] module is read and scanned"
    );
    let broken = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "DA0062")
        .expect("DA0062");
    assert_eq!(broken["file"], "src/broken.rs");
    assert_eq!(broken["line"], 1);
}

#[test]
fn could_not_run_exits_2() {
    let (code, _, err) = run(&["--manifest-path", "/nonexistent/Cargo.toml"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(&["--format", "yaml"]);
    assert_eq!(code, 2);
}

#[test]
fn baseline_then_only_new_findings_fail() {
    let dir = std::env::temp_dir().join(format!("distaudit-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("baseline.json");
    let file_arg = file.to_string_lossy().into_owned();
    let (code, _, _) = run(&[
        "--manifest-path",
        &fixture_arg(),
        "baseline",
        "-o",
        &file_arg,
    ]);
    assert_eq!(code, 0);
    let (code, out, _) = run(&[
        "--manifest-path",
        &fixture_arg(),
        "--baseline",
        &file_arg,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "everything is in the baseline: {out}");
    // An entry whose finding has gone is reported as stale (WARN), failing --deny warnings.
    let mut b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("baseline")).expect("JSON");
    b["findings"].as_array_mut().expect("findings").push(serde_json::json!({"crate": "small", "item": "gone::item", "file": "src/gone.rs", "code": "DA0060", "what": "gone"}));
    std::fs::write(&file, b.to_string()).expect("write");
    let (code, out, _) = run(&[
        "--manifest-path",
        &fixture_arg(),
        "--baseline",
        &file_arg,
        "--deny",
        "warnings",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("DA0064"), "{out}");
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}

#[test]
fn help_says_macro_output_is_invisible() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Items produced by other macros"), "{out}");
}

#[test]
fn exemptions_valid_expired_stale_and_malformed() {
    let (_, out, _) = run(&["--manifest-path", &fixture_arg(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let findings = doc["findings"].as_array().expect("findings");
    let on = |item: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["item"] == item)
            .filter_map(|f| f["code"].as_str())
            .collect()
    };
    let about = |code: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| format!("{}:{} {}", f["file"], f["line"], f["what"]))
            .collect()
    };
    // Valid until 2099: its DA0060 is exempted and counted.
    assert!(on("legacy::Sender::send_with_retry").is_empty());
    assert_eq!(doc["summary"]["exempted"], 1);
    // Expired on 2026-01-31 (today is pinned to 2026-11-25): the finding is back, and the
    // exemption is reported.
    assert_eq!(on("legacy::record_heartbeat"), ["DA0060"]);
    let expired = about("DA0065");
    assert_eq!(expired.len(), 1, "{expired:?}");
    assert!(expired[0].contains("distaudit.toml\":9 "), "{expired:?}");
    // Its finding no longer occurs: stale.
    let stale = about("DA0064");
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(stale[0].contains("legacy::renew_old_lease"), "{stale:?}");
    // A reason of one word: refused with its line, and the rest of the file still used.
    let bad = about("DA0063");
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].contains("distaudit.toml\":18 "), "{bad:?}");
    // The day the exemption expires, the finding returns; the day before, it is excused.
    let on_day = |today: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_cargo-distaudit"))
            .env("DISTAUDIT_TODAY", today)
            .args([
                "distaudit",
                "--manifest-path",
                &fixture_arg(),
                "--format",
                "json",
            ])
            .output()
            .expect("runs");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        doc["summary"]["exempted"].as_u64().unwrap_or(0)
    };
    assert_eq!(on_day("2026-01-30"), 2);
    assert_eq!(on_day("2026-01-31"), 1);
}

#[test]
fn record_prints_a_design_record_that_lint_docs_accepts() {
    let (code, out, err) = run(&["--manifest-path", &fixture_arg(), "record", "lease::Lease"]);
    assert_eq!(code, 0, "{err}");
    golden("small.record.md", &out);
    let dir = std::env::temp_dir().join(format!("distaudit-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let doc = dir.join("lease.md");
    std::fs::write(&doc, &out).expect("write");
    let (code, lint, _) = run(&["lint-docs", &doc.to_string_lossy()]);
    assert_eq!(code, 0, "the printed record must pass lint-docs: {lint}");
    assert!(lint.contains("0 BLOCK, 0 WARN"), "{lint}");
    // An unknown item: could not run, with the nearest paths.
    let (code, _, err) = run(&["--manifest-path", &fixture_arg(), "record", "lease::Leas"]);
    assert_eq!(code, 2);
    assert!(err.contains("`lease::Lease`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The record's Anti-Pattern Check shows what the engine found in the item: the wall-clock
/// read it reports as DA0045 leaves that box unticked, with the finding; the record still
/// passes lint-docs.
#[test]
fn record_unticks_an_anti_pattern_the_engine_found() {
    let manifest = here().join("tests/fixtures/record/Cargo.toml");
    let (code, out, err) = run(&[
        "--manifest-path",
        &manifest.to_string_lossy(),
        "record",
        "expired",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "- [ ] No wall-clock timeouts for correctness\n  Resolution required: DA0045 at src/lib.rs:6;"
        ),
        "{out}"
    );
    assert!(
        out.contains("- [x] No clock synchronization assumptions"),
        "{out}"
    );
    let dir = std::env::temp_dir().join(format!("distaudit-record-found-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let doc = dir.join("expired.md");
    std::fs::write(&doc, &out).expect("write");
    let (code, lint, _) = run(&["lint-docs", &doc.to_string_lossy()]);
    assert_eq!(code, 0, "the printed record must pass lint-docs: {lint}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn suggest_diff_proposes_annotations_and_writes_nothing() {
    let lease = here().join("tests/fixtures/small/src/lease.rs");
    let before = std::fs::read_to_string(&lease).expect("fixture");
    let (code, out, err) = run(&["--manifest-path", &fixture_arg(), "suggest", "--diff"]);
    assert_eq!(code, 0, "{err}");
    golden("small.suggest.diff", &out);
    assert!(out.contains(
        "+    #[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]\n     pub fn renew_lease"
    ));
    assert!(out.contains("### Suggested Reference Addition"));
    assert!(out.contains("id = \"smith-jones-2031\""));
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(std::fs::read_to_string(&lease).expect("fixture"), before);
}

/// A copy of `tests/fixtures/small` at `dir`, for a command that writes to it.
fn copy_small_fixture(dir: &std::path::Path) {
    let src = here().join("tests/fixtures/small");
    for f in [
        "Cargo.toml",
        "distaudit.toml",
        "src/lib.rs",
        "src/lease.rs",
        "src/legacy.rs",
        "src/broken.rs",
        "src/queues/work.rs",
    ] {
        let to = dir.join(f);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("dir");
        std::fs::copy(src.join(f), &to).expect("copy");
    }
}

#[test]
fn suggest_write_writes_the_annotation() {
    let dir = std::env::temp_dir().join(format!("distaudit-suggest-{}", std::process::id()));
    copy_small_fixture(&dir);
    let manifest = dir.join("Cargo.toml").to_string_lossy().into_owned();
    let (code, _, err) = run(&["--manifest-path", &manifest, "suggest", "--write"]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(dir.join("src/lease.rs")).expect("written");
    assert!(written.contains(
        "    /// Reference: Gray & Cheriton, \"Leases\" (SOSP 1989)\n    #[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]\n    pub fn renew_lease"
    ));
    // Once annotated, the uncited finding is gone.
    let (_, out, _) = run(&["--manifest-path", &manifest, "--format", "json"]);
    assert!(
        !out.contains("`lease::Table::renew_lease` looks like"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An item is already annotated when the audit says so: `#[r#coordination(..)]` is the
/// attribute (the raw identifier names `coordination`), so `suggest` proposes no second one.
#[test]
fn suggest_skips_an_item_annotated_with_a_raw_identifier() {
    let dir = std::env::temp_dir().join(format!("distaudit-suggest-raw-{}", std::process::id()));
    copy_small_fixture(&dir);
    let lease = dir.join("src/lease.rs");
    let text = std::fs::read_to_string(&lease).expect("fixture");
    let keyword = "    pub fn renew_lease";
    assert!(text.contains(keyword), "the fixture changed");
    let annotated = text.replacen(
        keyword,
        &format!(
            "    #[r#coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]\n{keyword}"
        ),
        1,
    );
    std::fs::write(&lease, annotated).expect("written");
    let manifest = dir.join("Cargo.toml").to_string_lossy().into_owned();
    let (code, out, err) = run(&["--manifest-path", &manifest, "suggest"]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.contains("lease.rs:"), "{out}");
}

#[test]
fn the_example_coordinator_audits_clean() {
    // `.ci/run` requires it: the project audits itself.
    let manifest = here().join("../examples/coordinator/Cargo.toml");
    let (code, out, err) = run(&["--manifest-path", &manifest.to_string_lossy()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 BLOCK"), "{out}");
}

/// The example's report for a reviewer: the summary first; a check with no decision names
/// its source; a trait contract is exercised through the tested impl that inherits it, a
/// type invariant through its impl's tested methods, a validator through the tested method
/// that calls it; only the two functions that declare no check are left in Missing
/// Coverage, and the report says the coverage is inferred.
#[test]
fn the_example_report_infers_coverage_for_a_reviewer() {
    let manifest = here().join("../examples/coordinator/Cargo.toml");
    let (_, out, err) = run(&[
        "--manifest-path",
        &manifest.to_string_lossy(),
        "--format",
        "markdown",
    ]);
    assert!(
        out.starts_with("# Coordination audit: `coordinator`\n\n## Summary\n"),
        "{err}"
    );
    assert!(!out.contains("upholds gray-cheriton-1989"), "{out}");
    assert!(out.contains("(source gray-cheriton-1989)"), "{out}");
    assert!(!out.contains("proved"), "{out}");
    let row = |item: &str| -> &str {
        out.lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{item}` (")))
            .unwrap_or_else(|| panic!("no row of {item}"))
    };
    assert!(
        row("backend::CoordinationBackend::renew")
            .contains("inferred: inherited by `InMemoryCoordinator::renew`")
    );
    assert!(
        row("coordinator::InMemoryCoordinator")
            .contains("inferred: checked after `InMemoryCoordinator::")
    );
    assert!(
        row("coordinator::check_lease")
            .contains("inferred: called from `coordinator::InMemoryCoordinator::")
    );
    let missing = missing_coverage_rows(&out);
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert!(missing[0].contains("`queue::Mailbox::post`") && missing[1].contains("`shard::tiles`"));
    assert!(out.contains("**Coverage** (inferred)"));
}

/// Each delegation is read as a path, as rustc reads it: `super::`, `self::`, raw
/// identifiers and turbofish resolve to the item they name (no DA0054 when it checks the
/// decision, "declares no check" when it does not); a target within the delegating item's
/// own `#[distaudit::audit]` impl is verified where the attribute verifies it, once (on the
/// impl, whatever path names it); `Self::` in an impl without `#[distaudit::audit]`, which
/// the attribute cannot verify, is verified here.
/// The DA0054 findings of the audit of the fixture at `manifest` (relative to this
/// crate): (item, message), sorted.
fn delegation_findings(manifest: &str) -> Vec<(String, String)> {
    delegation_findings_of(&[], manifest)
}

/// The audit of the fixture at `manifest` (relative to this crate), with more arguments
/// (`-p ..`), as JSON: its exit code and its findings.
fn audit_json(args: &[&str], manifest: &str) -> (i32, Vec<serde_json::Value>) {
    let manifest = here().join(manifest);
    let manifest = manifest.to_string_lossy();
    let mut all = vec!["--manifest-path", &manifest, "--format", "json"];
    all.extend_from_slice(args);
    let (code, json, err) = run(&all);
    let doc: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {err}"));
    let findings = doc["findings"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("a list of findings: {json}"));
    (code, findings)
}

/// [`delegation_findings`], with more arguments (`-p ..`).
fn delegation_findings_of(args: &[&str], manifest: &str) -> Vec<(String, String)> {
    let (_, issues) = audit_json(args, manifest);
    let mut found: Vec<(String, String)> = issues
        .iter()
        .filter(|i| i["code"].as_str() == Some("DA0054"))
        .map(|i| {
            (
                i["item"].as_str().unwrap_or_default().to_string(),
                i["what"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// A delegation to an item of a sibling crate of the workspace, named as Rust names that
/// crate (`shard_checks::`, `::shard_checks::`, for the package `shard-checks`), is
/// verified there: a target that checks the decision is not reported, one that does not is.
/// A delegation into a dependency that is not a member (`vendor_checks::`) is reported as
/// unread, never as a target without `#[coordination]`; so is one into a member that the
/// run does not select.
#[test]
fn delegations_are_verified_across_the_crates_of_a_workspace() {
    let found = delegation_findings("tests/fixtures/twocrates/Cargo.toml");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "Cursor::update_unchecked");
    assert!(
        found[0]
            .1
            .contains("`shard_checks::record` declares no check that upholds D2.4"),
        "{found:?}"
    );
    assert_eq!(found[1].0, "Cursor::update_vendored");
    assert!(
        found[1].1.contains(
            "`vendor_checks::checkpoint` is in `vendor_checks`, a crate this audit does not cover"
        ),
        "{found:?}"
    );
    let one = delegation_findings_of(
        &["-p", "cursor-store"],
        "tests/fixtures/twocrates/Cargo.toml",
    );
    let unread: Vec<&str> = one
        .iter()
        .filter(|(_, what)| what.contains("a crate this audit does not cover"))
        .map(|(item, _)| item.as_str())
        .collect();
    assert_eq!(
        unread,
        [
            "Cursor::update",
            "Cursor::update_rooted",
            "Cursor::update_unchecked",
            "Cursor::update_vendored",
            "Store::advance"
        ],
        "{one:?}"
    );
}

#[test]
fn delegations_are_verified_across_modules() {
    let found = delegation_findings("tests/fixtures/delegation/Cargo.toml");
    let expected = [
        (
            "staging::Staging::stage_noted",
            "`crate::staging::Staging::<u8>::note` declares no check",
        ),
        (
            "staging::flush::flush_unchecked",
            "`super::super::record` declares no check",
        ),
        (
            "store::Cursor::update_nowhere",
            "`crate::plain` carries no #[coordination]",
        ),
        (
            "store::Cursor::update_self",
            "`Self::update` declares no check",
        ),
        (
            "store::Cursor::update_unchecked",
            "`crate::record` declares no check",
        ),
    ];
    let matches = found.len() == expected.len()
        && found
            .iter()
            .zip(expected)
            .all(|((item, what), (e_item, e_what))| item == e_item && what.contains(e_what));
    assert!(matches, "DA0054 findings: {found:#?}");
}

/// The delegation fixture's report as a whole.
#[test]
fn delegation_golden() {
    let manifest = here().join("tests/fixtures/delegation/Cargo.toml");
    let (code, out, _) = run(&["--manifest-path", &manifest.to_string_lossy()]);
    assert_eq!(code, 1);
    golden("delegation.txt", &out);
}

/// A trait's contract in one file reaches its audited impls in another, as in the build:
/// the impl that renames a parameter the contract reads is DA0019 on that parameter; the
/// impls' methods are annotated through the contract (no uncited coordination code); and a
/// method's own annotation gets the contract's checks added (the cursor store states no
/// check of D2.3 or D2.5 itself, and none is missing).
#[test]
fn trait_contracts_reach_impls_in_other_files() {
    let (code, findings) = audit_json(&[], "tests/fixtures/contract/Cargo.toml");
    assert_eq!(code, 1, "{findings:?}");
    let found: Vec<(String, String, String, u64)> = findings
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap_or_default().to_string(),
                i["item"].as_str().unwrap_or_default().to_string(),
                i["file"].as_str().unwrap_or_default().to_string(),
                i["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "DA0019".to_string(),
            "Renamed::renew".to_string(),
            "src/lib.rs".to_string(),
            42
        )],
        "{findings:?}"
    );
}

/// A type with invariants, and an impl in another file whose `#[async_trait]` runs before
/// `#[distaudit::audit]`: its `&mut self` method is DA0055 (WARN, on the method's name) as
/// in the build; a `&self` method, and the same impl for a type without invariants, are not.
#[test]
fn a_type_invariant_after_an_async_trait_method_is_found_across_files() {
    let (code, findings) = audit_json(&[], "tests/fixtures/asynctrait/Cargo.toml");
    assert_eq!(code, 0, "a WARN alone passes: {findings:?}");
    let found: Vec<(&str, &str, &str, u64)> = findings
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap_or_default(),
                i["item"].as_str().unwrap_or_default(),
                i["file"].as_str().unwrap_or_default(),
                i["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("DA0055", "backend::Fence::grant", "src/backend.rs", 7)],
        "{findings:?}"
    );
}

/// A trait's contract in a sibling crate of the workspace (`shard_checks::Progress`)
/// reaches the impls of another crate as in the build: a parameter renamed is DA0019, and a
/// store whose own annotation leaves D2.3 and D2.5 to the contract's checks gets no DA0033.
/// The same when `-p` leaves the contract's crate out: it is read for its contracts only.
#[test]
fn a_sibling_crates_trait_contract_reaches_impls() {
    for args in [&[][..], &["-p", "cursor-store"][..]] {
        a_sibling_crates_trait_contract_reaches_impls_with(args);
    }
}

fn a_sibling_crates_trait_contract_reaches_impls_with(args: &[&str]) {
    let (_, findings) = audit_json(args, "tests/fixtures/twocrates/Cargo.toml");
    let found: Vec<(&str, &str, u64)> = findings
        .iter()
        .filter(|i| {
            matches!(
                i["code"].as_str(),
                Some("DA0019" | "DA0033" | "DA0060" | "DA0061")
            )
        })
        .filter(|i| i["item"].as_str() != Some("Cursor"))
        .map(|i| {
            (
                i["code"].as_str().unwrap_or_default(),
                i["item"].as_str().unwrap_or_default(),
                i["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("DA0019", "Renamed::advance", 73)],
        "{args:?}: {findings:?}"
    );
    // Nothing of the crate read for its contracts alone is reported.
    let crates: Vec<&str> = findings
        .iter()
        .filter_map(|i| i["crate"].as_str())
        .collect();
    assert!(crates.contains(&"cursor-store"), "{findings:?}");
    assert_eq!(
        crates.contains(&"shard-checks"),
        args.is_empty(),
        "shard-checks is reported only when it is audited: {findings:?}"
    );
}

/// A module declared under complementary cfgs is one file the non-test build compiles: it
/// is read as code (its election logic is reported), not as test-only (nothing reported).
#[test]
fn a_module_under_complementary_cfgs_is_read_as_code() {
    let (_, findings) = audit_json(&[], "tests/fixtures/cfgmodule/Cargo.toml");
    let items: Vec<&str> = findings.iter().filter_map(|i| i["item"].as_str()).collect();
    assert!(items.contains(&"raft::Leader::renew_lease"), "{findings:?}");
}

/// A trait's declaration that states its patterns and no check leaves the checks to the
/// impl that inherits it: once that impl's method runs under a test, the declaration is no
/// Missing Coverage row (the replica of the first user's crate had 11 such rows of 13).
#[test]
fn a_trait_declaration_whose_impl_carries_the_checks_is_not_missing_coverage() {
    let dir = temp_crate(
        "inherited",
        r#"use distaudit::coordination;

#[distaudit::audit]
pub trait Fences {
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    fn grant(&mut self) -> Option<u64>;
}

pub struct Memory {
    fence: u64,
}

#[distaudit::audit(test(init = "Memory { fence: 0 }"))]
impl Fences for Memory {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(strictly_increasing = "self.fence"), test)]
    fn grant(&mut self) -> Option<u64> {
        self.fence += 1;
        Some(self.fence)
    }
}

/// Declares nothing to check, and nothing inherits it: a gap.
#[coordination(pattern = "fencing", cite = "burrows-2006")]
pub fn peek(fence: u64) -> u64 {
    fence
}
"#,
    );
    let manifest = dir.join("Cargo.toml").to_string_lossy().into_owned();
    let (_, out, err) = run(&["--manifest-path", &manifest, "--format", "markdown"]);
    let missing = missing_coverage_rows(&out);
    assert_eq!(missing.len(), 1, "{missing:#?}\n{err}");
    assert!(missing[0].contains("`peek`"), "{missing:#?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A crate `name` with `src/lib.rs` = `lib`, in a fresh temporary directory.
fn temp_crate(name: &str, lib: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("distaudit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("dir");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\ndistaudit = \"0.1\"\n\n[workspace]\n"),
    )
    .expect("manifest");
    std::fs::write(dir.join("src/lib.rs"), lib).expect("source");
    dir
}

/// The Traceability table says a check written once for many items once ("on 7 items"),
/// cuts a long list of items, and names a type invariant's tests: the generated tests of
/// the type's methods (the replica's S4/S6 rows said "—").
#[test]
fn traceability_says_a_shared_check_once_and_a_type_invariant_s_tests() {
    let methods: String = (0..7)
        .map(|n| {
            format!(
                "    #[coordination(pattern = \"fencing\", cite = \"burrows-2006\", test)]\n    pub fn bump_{n}(&mut self) -> Option<u64> {{ self.fence += 1; Some(self.fence) }}\n"
            )
        })
        .collect();
    let lib = format!(
        "use distaudit::coordination;\n\n\
         #[coordination(pattern = \"fencing\", cite = \"burrows-2006\", invariant(holds = \"self.fence < u64::MAX\", upholds = \"D2.2\"))]\n\
         pub struct Fences {{\n    fence: u64,\n}}\n\n\
         #[distaudit::audit(invariant(holds = \"self.fence >= old(self.fence)\", upholds = \"D2.3\"), test(init = \"Fences {{ fence: 0 }}\"))]\n\
         impl Fences {{\n{methods}}}\n"
    );
    let dir = temp_crate("shared-check", &lib);
    let manifest = dir.join("Cargo.toml").to_string_lossy().into_owned();
    let (_, out, err) = run(&["--manifest-path", &manifest, "--format", "markdown"]);
    let row = |id: &str| -> String {
        out.lines()
            .find(|l| l.starts_with(&format!("| {id}")))
            .unwrap_or_else(|| panic!("no {id} row:\n{out}\n{err}"))
            .to_string()
    };
    let d23 = row("D2.3");
    assert!(
        d23.contains("`holds(self.fence >= old(self.fence))` on 7 items"),
        "{d23}"
    );
    assert!(d23.contains("and 4 more"), "{d23}");
    assert!(d23.contains("the generated tests of 7 items"), "{d23}");
    let d22 = row("D2.2");
    assert!(
        d22.contains("the generated tests of `Fences`'s methods (type invariant)"),
        "{d22}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The rows of a markdown report's Missing Coverage table.
fn missing_coverage_rows(report: &str) -> Vec<&str> {
    report
        .split("### Missing Coverage")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Pattern"))
        .collect()
}

/// An obligation a method leaves to its type, unmet there too, is worded by the CLI as
/// rustc words it for the attribute (the trait bound's message in the UI case's stderr).
#[test]
fn an_obligation_no_type_meets_is_worded_as_the_attribute_words_it() {
    let case = here().join("../tests/ui/fail/DA0034-type-does-not-answer.rs");
    let stderr = std::fs::read_to_string(case.with_extension("stderr")).expect("stderr");
    let dir = temp_crate(
        "unanswered",
        &std::fs::read_to_string(&case).expect("the UI case"),
    );
    let manifest = dir.join("Cargo.toml").to_string_lossy().into_owned();
    let (code, out, err) = run(&["--manifest-path", &manifest]);
    assert_eq!(code, 1, "{out}{err}");
    let line = out
        .lines()
        .find(|l| l.contains("[distaudit DA0034 BLOCK]"))
        .unwrap_or_else(|| panic!("a DA0034:\n{out}"));
    let what = line
        .split("[distaudit DA0034 BLOCK] ")
        .nth(1)
        .expect("the message");
    assert!(
        stderr.contains(&format!("[distaudit DA0034 BLOCK] {what}")),
        "the CLI says {what:?}; the attribute:\n{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
