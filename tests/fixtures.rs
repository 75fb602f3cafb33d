//! Tests that need a crate of their own: a generated property test finding a seeded bug by
//! itself (with shrinking), and the rustdoc HTML of an annotated item.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    fixture_named("seeded")
}

fn fixture_named(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn cargo(args: &[&str]) -> std::process::Output {
    cargo_in(&fixture(), args)
}

/// Where fixture crates are built: `fixtures` in the target directory the tests were run
/// with (`CARGO_TARGET_DIR`), else in the workspace's `target`.
fn fixtures_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
            PathBuf::from,
        )
        .join("fixtures")
}

fn cargo_in(crate_dir: &Path, args: &[&str]) -> std::process::Output {
    let target = fixtures_target();
    // The manifest right after the subcommand: what follows `--` is the test binary's.
    let (subcommand, rest) = args.split_first().expect("a cargo subcommand");
    Command::new(env!("CARGO"))
        .arg(subcommand)
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .args(rest)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// The full name of a test hosted by an audited impl of `ty` (snake case): its module is
/// `distaudit_<ty>_<hash of the impl>`, and `rest` is the path inside it.
fn hosted_test(crate_dir: &Path, ty: &str, rest: &str) -> String {
    let out = cargo_in(crate_dir, &["test", "--quiet", "--lib", "--", "--list"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let prefix = format!("distaudit_{ty}_");
    let suffix = format!("::{rest}: test");
    let found: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with(&prefix) && l.ends_with(&suffix))
        .map(|l| l.trim_end_matches(": test"))
        .collect();
    assert_eq!(found.len(), 1, "one test {prefix}*::{rest}:\n{stdout}");
    found[0].to_string()
}

/// The settings and stacks users combine with distaudit build and test clean: edition 2024
/// with `deny(warnings, clippy::pedantic)`, `forbid(unsafe_code)`, `no_implicit_prelude`,
/// `tracing::instrument` in both orders, `async_trait` in the order that works, a renamed
/// dependency and a local `mod distaudit`; and edition 2021 `no_std` with `alloc`, whose
/// generated tests take `&[u8]` and `&str`.
#[test]
fn the_hygiene_matrix_builds_and_tests_clean() {
    for (name, commands) in [
        (
            "hygiene",
            &[
                &["clippy", "--quiet", "--all-targets"][..],
                &["test", "--quiet"][..],
            ][..],
        ),
        ("hygiene-2021", &[&["test", "--quiet"][..]][..]),
    ] {
        for args in commands {
            let out = cargo_in(&fixture_named(name), args);
            assert!(
                out.status.success(),
                "{name}: cargo {}:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// A broken `distaudit.toml` is one error for the crate, on its first annotated item, not
/// one per annotated item; the build still fails, under rustc and under clippy-driver.
#[test]
fn a_broken_registry_is_reported_once_per_crate() {
    for command in ["check", "clippy"] {
        let out = cargo_in(
            &fixture_named("broken-registry"),
            &[command, "--quiet", "--message-format=short"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{command} fails:\n{stderr}");
        let reports: Vec<&str> = stderr.lines().filter(|l| l.contains("DA0014")).collect();
        assert_eq!(reports.len(), 1, "{command}: one report:\n{stderr}");
        assert!(
            reports[0].starts_with("src/lib.rs:6:") && reports[0].contains("distaudit.toml:2:"),
            "{command}: on the first item, naming the file and line:\n{stderr}"
        );
    }
}

/// A typo in an expression written in an annotation literal (a field, E0609; a parameter,
/// E0425) is still an error at the literal, but rustc offers no quick-fix replacement
/// inside the literal: one would rewrite `"self.epoc"` into `epoch`, quotes and `self.`
/// gone.
#[test]
fn no_quick_fix_rewrites_an_annotation_literal() {
    let dir = fixture_named("typo-literal");
    let out = cargo_in(&dir, &["check", "--quiet", "--message-format=json"]);
    assert!(!out.status.success());
    let source = std::fs::read_to_string(dir.join("src/lib.rs")).expect("fixture source");
    // The byte ranges of the string literals in the annotations.
    let mut literals = Vec::new();
    let mut open = None;
    for (at, ch) in source.char_indices() {
        if ch == '"' {
            match open.take() {
                None => open = Some(at),
                Some(start) => literals.push(start..=at),
            }
        }
    }
    let inside = |span: &serde_json::Value| {
        let start = span["byte_start"].as_u64().unwrap_or(0) as usize;
        let end = span["byte_end"].as_u64().unwrap_or(0) as usize;
        literals
            .iter()
            .any(|l| l.contains(&start) || (end > 0 && l.contains(&(end - 1))))
    };
    fn spans<'a>(message: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
        out.extend(message["spans"].as_array().into_iter().flatten());
        for child in message["children"].as_array().into_iter().flatten() {
            spans(child, out);
        }
    }
    let mut codes = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if json["reason"] != "compiler-message" {
            continue;
        }
        let message = &json["message"];
        let mut all = Vec::new();
        spans(message, &mut all);
        if let Some(code) = message["code"]["code"].as_str() {
            // Still reported at the literal.
            assert!(
                all.iter().any(|s| s["is_primary"] == true && inside(s)),
                "{line}"
            );
            codes.push(code.to_string());
        }
        for span in all {
            let fix = span["suggestion_applicability"].as_str();
            assert!(
                !(matches!(fix, Some("MachineApplicable" | "MaybeIncorrect"))
                    && !span["suggested_replacement"].is_null()
                    && inside(span)),
                "a replacement inside an annotation literal: {line}"
            );
        }
    }
    codes.sort();
    assert_eq!(codes, ["E0425", "E0609"], "both typos are reported");
}

/// Two audited impls of one type, each with a generated test, host their tests in modules
/// of their own (one name for both was E0428), and both tests run.
#[test]
fn two_audited_impls_of_one_type_host_their_tests_apart() {
    let hygiene = fixture_named("hygiene");
    let issue = hosted_test(&hygiene, "fence", "issue::issue");
    let advance = hosted_test(&hygiene, "fence", "advance::advance");
    let module = |name: &str| name.split("::").next().unwrap_or_default().to_string();
    assert_ne!(module(&issue), module(&advance));
    let out = cargo_in(&hygiene, &["test", "--quiet", "--lib", "distaudit_fence"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("2 passed"), "both ran:\n{stdout}");
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
    // The failure shrinks to one call with the smallest failing key, exactly 4 bytes long,
    // printed as a call with a named argument, described by its length (keys may be
    // secrets).
    let steps: Vec<&str> = stdout.lines().filter(|l| l.starts_with("step ")).collect();
    assert_eq!(steps.len(), 1, "one call:\n{stdout}");
    assert!(
        steps[0].starts_with("step 1: normalize(key = len 4 #")
            && steps[0].contains("<- distaudit:"),
        "shrunk to a 4-byte key:\n{stdout}"
    );
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
    let bump = hosted_test(&fixture(), "epochs", "bump::bump");
    assert!(stdout.contains(&bump), "{stdout}");
    assert!(
        stdout.contains("strictly_increasing(self.epoch) violated in"),
        "{stdout}"
    );
    // The shrunk sequence, printed as calls: three reach epoch 3, the fourth cannot increase
    // it.
    let steps: Vec<&str> = stdout.lines().filter(|l| l.starts_with("step ")).collect();
    assert_eq!(steps.len(), 4, "shrunk to four calls:\n{stdout}");
    assert!(
        steps.iter().all(|s| s.contains(": bump(now = ")),
        "{stdout}"
    );
    assert!(
        steps[3].contains("<- distaudit: invariant strictly_increasing"),
        "{stdout}"
    );
}

#[test]
fn the_state_machine_test_finds_a_bug_only_two_methods_in_order_reach() {
    // Each method's own test passes: the bug needs a checkpoint, then a split.
    for own in ["checkpoint::checkpoint", "split::split"] {
        let own = hosted_test(&fixture(), "worker", own);
        let out = cargo(&["test", "--quiet", "--lib", &own]);
        assert!(
            out.status.success(),
            "{own} alone cannot find the bug:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let machine = hosted_test(&fixture(), "worker", "state_machine::state_machine");
    let out = cargo(&["test", "--quiet", "--lib", &machine]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "the interleaving finds it:\n{stdout}"
    );
    let steps: Vec<&str> = stdout.lines().filter(|l| l.starts_with("step ")).collect();
    assert_eq!(steps.len(), 2, "shrunk to the two calls:\n{stdout}");
    assert!(
        steps[0].starts_with("step 1: checkpoint(key = len "),
        "{stdout}"
    );
    assert!(steps[1].starts_with("step 2: split(at = len "), "{stdout}");
    assert!(
        steps[1].contains("<- distaudit: invariant within(key = self.cursor"),
        "{stdout}"
    );
}

#[test]
fn an_inherited_trait_contract_is_the_oracle_of_a_generated_test() {
    // The impl declares no check: the trait's `ensures(ret > old(self.last()))` catches the
    // re-issued fence, and the sequence shrinks to the four calls that spend the budget.
    let machine = hosted_test(
        &fixture(),
        "skipping_issuer",
        "state_machine::state_machine",
    );
    let out = cargo(&["test", "--quiet", "--lib", &machine]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    let steps: Vec<&str> = stdout.lines().filter(|l| l.starts_with("step ")).collect();
    assert!(!steps.is_empty() && steps.len() <= 4, "shrunk:\n{stdout}");
    assert!(
        steps.iter().all(|s| s.contains(": issue(skip = ")),
        "{stdout}"
    );
    assert!(
        steps[steps.len() - 1]
            .contains("ensures holds(ret > old(self.last())) violated in seeded::Skipping::issue"),
        "{stdout}"
    );
}

#[test]
fn a_type_invariant_is_the_oracle_of_a_generated_test() {
    let machine = hosted_test(&fixture(), "tiling", "state_machine::state_machine");
    let out = cargo(&["test", "--quiet", "--lib", &machine]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    let steps: Vec<&str> = stdout.lines().filter(|l| l.starts_with("step ")).collect();
    assert_eq!(steps.len(), 2, "shrunk to two cuts:\n{stdout}");
    assert!(
        steps[1].contains("type invariant holds(self.bounds.windows(2)"),
        "{stdout}"
    );
    assert!(steps[1].contains("violated after Tiling::cut"), "{stdout}");
}

#[test]
fn a_vacuous_generated_test_fails_and_says_why() {
    let out = cargo(&["test", "--quiet", "--lib", "distaudit_replay"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "a test that accepts no call must fail:\n{stdout}"
    );
    assert!(stdout.contains("vacuous"), "{stdout}");
    assert!(
        stdout.contains("None"),
        "the most frequent refusal is named:\n{stdout}"
    );
}

#[test]
fn rustdoc_shows_the_decision_record_with_its_citation_link() {
    let out = cargo(&["doc", "--no-deps", "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html_path = fixtures_target().join("doc/seeded/fn.normalize.html");
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
    assert!(
        html.contains("/distaudit/#pattern-cursor\""),
        "the pattern's text is one link away, in the registry tables"
    );
    // Inside code spans, rustdoc shows text as written: no HTML escapes leak into them.
    for page in [
        &html,
        &std::fs::read_to_string(html_path.with_file_name("struct.Memory.html"))
            .expect("struct page"),
    ] {
        for code in page.split("<code>").skip(1) {
            let code = code.split("</code>").next().unwrap_or_default();
            assert!(
                !code.contains("&amp;lt;") && !code.contains("&amp;gt;"),
                "escaped twice in {code}"
            );
        }
    }
    let memory = std::fs::read_to_string(html_path.with_file_name("struct.Memory.html"))
        .expect("struct page");
    assert!(
        memory.contains("a lease: the trait"),
        "the trait's docs stay on the impl method beside the record"
    );
    assert!(
        memory.contains("Coordination audit"),
        "and the record is there too"
    );
    let shard = std::fs::read_to_string(html_path.with_file_name("struct.Shard.html"))
        .expect("struct page");
    assert!(
        shard.contains("Chang") && shard.contains("Bigtable"),
        "provenance: authors and title"
    );
}

/// Run the state-machine test hosted by the audited impl of `ty` in the seeded crate, which
/// must fail; its output and the shrunk sequence (the `step ` lines).
fn failing_state_machine(ty: &str) -> (String, Vec<String>) {
    let machine = hosted_test(&fixture(), ty, "state_machine::state_machine");
    let out = cargo(&["test", "--quiet", "--lib", &machine]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !out.status.success(),
        "the seeded bug must fail {machine}:\n{stdout}"
    );
    let steps: Vec<String> = stdout
        .lines()
        .filter(|l| l.starts_with("step "))
        .map(str::to_string)
        .collect();
    let count = match steps.len() {
        1 => "1 call breaks a check".to_string(),
        n => format!("{n} calls break a check"),
    };
    assert!(
        stdout.contains(&format!("distaudit: state_machine: {count}")),
        "the header counts the printed calls:\n{stdout}"
    );
    // The violation is on the last step, and only there.
    let (last, before) = steps.split_last().expect("at least one step");
    assert!(last.contains(" <- distaudit: invariant "), "{stdout}");
    assert!(before.iter().all(|s| !s.contains(" <- ")), "{stdout}");
    (stdout, steps)
}

/// The number after `label` in `line`.
fn number_after(line: &str, label: &str) -> u64 {
    line.split(label)
        .nth(1)
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .unwrap_or_else(|| panic!("a number after {label:?} in {line}"))
}

#[test]
fn a_monotonic_check_is_the_oracle_of_a_state_machine_test() {
    // One observation from `init` cannot move the watermark back: the shrunk sequence is a
    // small mark, then a late timestamp that wraps below it.
    let (stdout, steps) = failing_state_machine("watermark");
    assert_eq!(steps.len(), 2, "shrunk to two calls:\n{stdout}");
    assert!(
        steps.iter().all(|s| s.contains(": observe(at = ")),
        "{stdout}"
    );
    assert!(
        steps[1].contains(
            "<- distaudit: invariant monotonic(self.mark) violated in seeded::Watermark::observe (burrows-2006): regressed: before "
        ),
        "{stdout}"
    );
    let (before, after) = (
        number_after(&steps[1], "before "),
        number_after(&steps[1], "after "),
    );
    assert!(after < before, "the values shown regress: {}", steps[1]);
    let first = number_after(&steps[0], "at = ");
    let mark = if first >= 200 { first % 100 } else { first };
    assert_eq!(mark, before, "the first call set the mark:\n{stdout}");
    let late = number_after(&steps[1], "at = ");
    assert!(
        late >= 200 && late % 100 == after,
        "a late timestamp wrapped:\n{stdout}"
    );
}

#[test]
fn a_never_none_check_is_the_oracle_of_a_state_machine_test() {
    // A grant, then a contender whose refusal drops the lease.
    let (stdout, steps) = failing_state_machine("holder");
    assert_eq!(steps.len(), 2, "shrunk to two calls:\n{stdout}");
    assert!(
        steps.iter().all(|s| s.contains(": acquire(worker = ")),
        "{stdout}"
    );
    assert_ne!(
        number_after(&steps[0], "worker = "),
        number_after(&steps[1], "worker = "),
        "two different workers:\n{stdout}"
    );
    assert!(
        steps[1].contains(
            "<- distaudit: invariant never_none(self.holder) violated in seeded::Holder::acquire (gray-cheriton-1989): went from Some to None"
        ),
        "{stdout}"
    );
}

#[test]
fn a_plain_holds_check_is_the_oracle_of_a_state_machine_test() {
    // Two pushes, then a close that forgets them: a boolean expression, not a comparison,
    // so the report shows no sides.
    let (stdout, steps) = failing_state_machine("batch");
    assert_eq!(steps.len(), 3, "shrunk to three calls:\n{stdout}");
    assert!(steps[0].starts_with("step 1: push(byte = "), "{stdout}");
    assert!(steps[1].starts_with("step 2: push(byte = "), "{stdout}");
    assert!(
        steps[2].starts_with(
            "step 3: close() <- distaudit: invariant holds(self.open || self.pending.is_empty()) violated in seeded::Batch::close (kafka-kip-98): false on exit"
        ),
        "{stdout}"
    );
    assert!(
        !steps[2].contains("left "),
        "a plain holds shows no sides: {}",
        steps[2]
    );
}

#[test]
fn an_inherited_requires_blames_the_caller_in_a_state_machine_test() {
    // `install` declares nothing; the trait's `requires` woven into it catches `advance`
    // installing the capped epoch again. At least three calls reach the cap of 6 (3 + 3),
    // at most six of `by = 1`; one more call breaks the precondition.
    let (stdout, steps) = failing_state_machine("capped_installer");
    assert!(
        (3..=7).contains(&steps.len()),
        "shrunk to the calls that reach the cap, then one:\n{stdout}"
    );
    assert!(
        steps.iter().all(|s| s.contains(": advance(by = ")),
        "{stdout}"
    );
    let before_last: u64 = steps[..steps.len() - 1]
        .iter()
        .map(|s| number_after(s, "by = "))
        .sum();
    assert!(
        before_last >= 6,
        "the calls before reach the cap:\n{stdout}"
    );
    assert!(
        steps[steps.len() - 1].contains(
            "<- distaudit: invariant requires(epoch > self.current()) violated in seeded::Capped::install (burrows-2006): false on entry: the caller broke the precondition: left 6, right 6"
        ),
        "{stdout}"
    );
}

/// The fixture crate `name` builds, and its test build fails: the test build's stderr.
fn refused_in_test_builds_only(name: &str) -> String {
    let dir = fixture_named(name);
    let build = cargo_in(&dir, &["build", "--quiet"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let test = cargo_in(&dir, &["test", "--no-run", "--quiet"]);
    assert!(!test.status.success());
    String::from_utf8_lossy(&test.stderr).into_owned()
}

/// A state machine naming, in `with`, a trait whose impl is not audited: the refusal lives
/// in the test build (a plain build has no machine), so trybuild cannot show it; here
/// `cargo build` passes and the test build fails once, with DA0052 on the name.
#[test]
fn a_machine_naming_an_unaudited_impl_is_refused_on_the_name() {
    let stderr = refused_in_test_builds_only("missing-piece");
    assert_eq!(
        stderr
            .matches("[distaudit DA0052 BLOCK] `with = ..` names a trait whose impl for `Store` has no tested methods under `#[distaudit::audit]`")
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("with = \"Runs\"))]") && stderr.contains("^^^^^^ no audited impl"),
        "on the name:\n{stderr}"
    );
    assert!(
        stderr.contains("fix: put `#[distaudit::audit]` on the impl of that trait"),
        "{stderr}"
    );
}

/// A generated test in a crate without the `proptest` feature: `cargo build` compiles no
/// test machinery and passes; the test build fails once, with the engine's DA0052 that
/// names the dev-dependency to add.
#[test]
fn a_generated_test_without_the_test_feature_says_how_to_turn_it_on() {
    let stderr = refused_in_test_builds_only("no-test-feature");
    assert!(
        stderr.contains(
            "[distaudit DA0052 BLOCK] generated property tests need the `proptest` feature in test builds"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("features = [\"proptest\"] }` under [dev-dependencies]"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("[distaudit DA0052 BLOCK]").count(),
        1,
        "{stderr}"
    );
}

/// The replica of the first user's coordination surface (issue 21, `bench/replica/`) builds
/// and its generated tests pass with no workaround left (nothing marked `WORKAROUND`, no
/// data leaked for a `'static` view), and a seeded bug is caught by the stated checks.
#[test]
fn the_first_user_replica_needs_no_workaround_and_catches_a_seeded_bug() {
    let dir = fixture_named("replica");
    for entry in std::fs::read_dir(dir.join("src")).expect("the replica's sources") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("a source file");
        assert!(
            !text.contains("WORKAROUND") && !text.contains("Box::leak"),
            "{} still works around distaudit",
            path.display()
        );
    }
    let regressions = dir.join("proptest-regressions");
    let _ = std::fs::remove_dir_all(&regressions);
    let clean = cargo_in(&dir, &["test", "--quiet"]);
    assert!(
        clean.status.success(),
        "{}{}",
        String::from_utf8_lossy(&clean.stdout),
        String::from_utf8_lossy(&clean.stderr)
    );
    let seeded = cargo_in(
        &dir,
        &[
            "test",
            "--quiet",
            "--features",
            "bug-fence-reissue",
            "--",
            "--nocapture",
        ],
    );
    let _ = std::fs::remove_dir_all(&regressions);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&seeded.stdout),
        String::from_utf8_lossy(&seeded.stderr)
    );
    assert!(
        !seeded.status.success(),
        "the reissued fence is caught:\n{out}"
    );
    assert!(
        out.contains("breaks a check") && out.contains("ret.lease.fence > f"),
        "by the acquire's stated check:\n{out}"
    );
}

/// Run the state machine of the attack fixture's version `ty` (snake case); its output.
fn attacked(ty: &str) -> (bool, String) {
    let dir = fixture_named("attack");
    let _ = std::fs::remove_dir_all(dir.join("proptest-regressions"));
    let machine = hosted_test(&dir, ty, "state_machine::state_machine");
    let out = cargo_in(
        &dir,
        &["test", "--quiet", "--lib", &machine, "--", "--nocapture"],
    );
    let _ = std::fs::remove_dir_all(dir.join("proptest-regressions"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// One state machine over every audited impl of a type (issue 21, workaround 11): the
/// inherent impl names the `Park` and `Unpark` impls in `with`, so a shard parked by one
/// trait's method and lost by the other's is found, shrunk to those two calls; the correct
/// type passes, and its statistics count the calls of all three impls.
#[test]
fn a_state_machine_interleaves_every_audited_impl_of_its_type() {
    let (passed, out) = attacked("parking_losing");
    assert!(!passed, "the lost shard is found:\n{out}");
    let steps: Vec<&str> = out.lines().filter(|l| l.starts_with("step ")).collect();
    assert_eq!(steps.len(), 2, "park, then unpark:\n{out}");
    assert!(steps[0].starts_with("step 1: park("), "{out}");
    assert!(
        steps[1].starts_with("step 2: unpark(")
            && steps[1]
                .contains("type invariant holds(self.active.len() + self.parked.len() == 4)"),
        "{out}"
    );
    let (passed, out) = attacked("parking_fair");
    assert!(passed, "the correct type passes:\n{out}");
    let by_method = out
        .lines()
        .find(|l| l.contains("by method: "))
        .unwrap_or_else(|| panic!("statistics:\n{out}"));
    for method in ["park ", "unpark ", "serving "] {
        assert!(
            by_method.contains(method),
            "{method} is called: {by_method}"
        );
    }
}

/// Each attacking step catches the bug of its pattern in a store that states no check the
/// bug breaks (the split step in shards that state none on their bounds), and shrinks it to the few calls that set the attack up; the correct store
/// passes every step, and each step found something to attack in it. (A store that renews
/// with a stale fence also keeps a lease alive past the deadline of the newest one, which the
/// lease step sees: either step is a catch of that bug.)
#[test]
fn each_attacking_step_catches_a_bug_no_check_states() {
    for (ty, steps_that_catch, shrunk_to) in [
        ("stale_fence", &["fencing", "lease"][..], 5),
        ("no_dedup", &["replay"][..], 6),
        ("any_payload", &["conflict"][..], 6),
        ("zombie", &["lease"][..], 3),
        ("regress", &["cursor"][..], 5),
        ("outside", &["cursor"][..], 5),
        // The lease is issued inside a larger result (`roles(issued = "ret.lease")`).
        ("grant_zombie", &["lease"][..], 3),
        ("ranges_at_bound", &["split"][..], 6),
    ] {
        let (passed, out) = attacked(ty);
        assert!(!passed, "{ty}: {steps_that_catch:?} catch it:\n{out}");
        let steps: Vec<&str> = out.lines().filter(|l| l.starts_with("step ")).collect();
        let (last, before) = steps.split_last().expect("a shrunk sequence");
        assert!(
            steps_that_catch
                .iter()
                .any(|step| last.contains(&format!(": {step}: "))
                    && last.contains(&format!("<- distaudit: {step} step violated in "))),
            "{ty}: the last step is one of {steps_that_catch:?}, and it fails:\n{out}"
        );
        assert!(
            before.iter().all(|s| !s.contains(" <- ")),
            "{ty}: only the step fails:\n{out}"
        );
        assert!(
            steps.len() <= shrunk_to,
            "{ty}: shrunk to at most {shrunk_to} calls:\n{out}"
        );
        // A lease of integers only cannot hold a key: it reads in clear (issue 21).
        assert!(
            ty.starts_with("ranges") || out.contains("lease = Lease { shard: "),
            "{ty}: the lease in clear:\n{out}"
        );
    }
    let (passed, out) = attacked("ranges_fair");
    assert!(passed, "splits strictly inside a shard pass:\n{out}");
    let formed = out
        .lines()
        .find(|l| l.contains("attacking steps formed: "))
        .unwrap_or_else(|| panic!("a count of the steps formed:\n{out}"));
    assert!(
        number_after(formed, "split ") > 0,
        "the split step formed: {formed}"
    );
    // A grant under a fence its shard had: the fencing step's oracle judges every grant.
    let (passed, out) = attacked("reissue");
    assert!(!passed, "the regrant is found:\n{out}");
    let steps: Vec<&str> = out.lines().filter(|l| l.starts_with("step ")).collect();
    assert!(
        steps.len() <= 3
            && steps.last().is_some_and(|s| s.contains(": acquire(")
                && s.contains("<- distaudit: fencing step violated in Reissue: ")
                && s.contains(", where its shard had fence ")),
        "shrunk to the grants:\n{out}"
    );
    let (passed, out) = attacked("grant_fair");
    assert!(
        passed,
        "a correct store issuing leases inside grants passes:\n{out}"
    );
    let formed = out
        .lines()
        .find(|l| l.contains("attacking steps formed: "))
        .unwrap_or_else(|| panic!("a count of the steps formed:\n{out}"));
    assert!(
        number_after(formed, "lease ") > 0,
        "the lease step read the leases issued inside grants: {formed}"
    );
    let (passed, out) = attacked("fair");
    assert!(passed, "the correct store passes every step:\n{out}");
    let formed = out
        .lines()
        .find(|l| l.contains("attacking steps formed: "))
        .unwrap_or_else(|| panic!("a count of the steps formed:\n{out}"));
    for step in ["fencing", "replay", "conflict", "lease", "cursor"] {
        let count = number_after(formed, &format!("{step} "));
        assert!(count > 0, "the {step} step attacked something: {formed}");
    }
}
