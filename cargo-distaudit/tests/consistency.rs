//! The two front ends agree: for every compile-fail UI case of the `distaudit` crate
//! (`../tests/ui/fail/*.rs`), the findings `cargo distaudit` gives the annotated items of
//! the file are exactly those the attribute reported when the case was compiled (its
//! `.stderr`, kept current by trybuild).
//!
//! What is compared, per case: the multiset of (code, severity, line, first line of the
//! message).
//! - BLOCK findings are rustc errors `error: [distaudit DA.. BLOCK] ..`.
//! - WARN findings are rustc deprecation warnings (`use of deprecated unit struct
//!   `..::distaudit_da0010`: [distaudit DA0010 WARN] ..`; errors under `#![deny(warnings)]`),
//!   emitted by the attribute only when the item has no BLOCK: the CLI's WARNs of an item
//!   with a BLOCK are therefore left out of the comparison (the CLI reports them; the
//!   compiler never shows them).
//! - Errors rustc reports with an error code (`error[E0277]: ..`) come from type checking,
//!   even when they carry our tag through `on_unimplemented` (`[distaudit DA0032 BLOCK]
//!   \`TenantKey\` is not a lexicographically ordered byte key`, an `old(..)` of a type
//!   that is not `Clone`): a source reader sees no types, so these are rustc's, like a
//!   syntax error or an unused macro, and are left out. They are counted, not compared.
//! - A finding with no span of its own is at the attribute (rustc's call site).
//!
//! One case cannot be compared: a file that does not parse (`item-does-not-parse.rs`). The
//! compiler still hands the attribute the broken item; a source reader gets no syntax tree
//! at all and reports the file as DA0062 instead. That divergence is asserted too.

use cargo_distaudit::audit_source;
use cargo_distaudit::engine::{self, Severity};
use std::path::PathBuf;

type Key = (String, String, usize, String);

/// Cases whose findings only the attribute can give, because they are about how the code
/// is expanded, not what it says: a source reader reports nothing there, and that is
/// asserted.
/// - an alias of `#[coordination]` imported where `#[distaudit::audit]` cannot see it: the
///   method's annotation then expands alone, outside its audit (DA0052). The crate-wide
///   audit reads the module's `use .. as` and sees the method as the audit's, as the user
///   meant it; the build's error stays the build's;
/// - a trait's contract macro invoked by hand (the source holds a macro call, no item).
const ATTRIBUTE_ONLY: &[(&str, &str)] = &[
    ("DA0052-coordination-alias.rs", "DA0052"),
    ("DA0053-contract-macro-called.rs", "DA0053"),
];

fn ui_fail_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/ui/fail")
}

/// Our findings in a trybuild `.stderr`: (code, severity, line, message first line),
/// and the number of tagged findings rustc's type checker reported.
fn from_stderr(stderr: &str) -> (Vec<Key>, usize) {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    let mut typed = 0;
    for (i, l) in lines.iter().enumerate() {
        let Some(tag) = l.find("[distaudit DA") else {
            continue;
        };
        if l.starts_with("error[E") {
            typed += 1;
            continue;
        }
        if !(l.starts_with("error: ") || l.starts_with("warning: ")) {
            continue;
        }
        let rest = &l[tag + "[distaudit ".len()..];
        let code = rest[..6].to_string();
        let Some(close) = rest.find("] ") else {
            panic!("malformed tag in {l}")
        };
        let severity = rest[7..close].to_string();
        let message = rest[close + 2..].to_string();
        let at = lines[i + 1..]
            .iter()
            .find_map(|n| n.trim_start().strip_prefix("--> "))
            .unwrap_or_else(|| panic!("no location after {l}"));
        let line: usize = at
            .rsplit(':')
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no line in {at}"));
        out.push((code, severity, line, message));
    }
    out.sort();
    (out, typed)
}

/// The CLI's findings for the annotated items of a file, as the compiler would show them.
fn from_cli(text: &str) -> Result<Vec<Key>, syn::Error> {
    let registry = engine::default_registry();
    let items = audit_source(&registry, "distaudit", text)?;
    let mut out = Vec::new();
    for item in items {
        let blocked = item
            .findings
            .iter()
            .any(cargo_distaudit::engine::Finding::blocks);
        for f in &item.findings {
            if blocked && f.severity() != Severity::Block {
                continue;
            }
            // An obligation left to the method's type is rustc's to report (a trait bound
            // the type's annotation does not meet): counted with the typed findings.
            if f.answered_by_type.is_some() {
                continue;
            }
            let start = f.span.start();
            let line = if cargo_distaudit::model::located(f.span) {
                start.line
            } else {
                item.attr_line
            };
            let first = f.what.lines().next().unwrap_or_default().to_string();
            out.push((f.code.to_string(), f.severity().to_string(), line, first));
        }
    }
    out.sort();
    Ok(out)
}

#[test]
fn cli_and_attribute_report_the_same_findings_on_every_ui_case() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(ui_fail_dir())
        .expect("the root crate's tests/ui/fail")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "too few UI cases found: {}", cases.len());
    let mut compared = 0;
    let mut warns = 0;
    let mut typed = 0;
    let mut mismatches = Vec::new();
    let mut unparsed = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(case).expect("case");
        let stderr = std::fs::read_to_string(case.with_extension("stderr"))
            .unwrap_or_else(|_| panic!("{name} has no .stderr"));
        let (expected, by_rustc) = from_stderr(&stderr);
        typed += by_rustc;
        match from_cli(&text) {
            Ok(actual) => {
                if let Some((_, code)) = ATTRIBUTE_ONLY.iter().find(|(n, _)| *n == name) {
                    assert!(
                        actual.is_empty() && !expected.is_empty(),
                        "{name}: attribute-only, the CLI reports {actual:?}"
                    );
                    assert!(
                        expected.iter().all(|k| k.0 == *code),
                        "{name}: {expected:?}"
                    );
                } else if actual == expected {
                    compared += actual.len();
                    warns += actual.iter().filter(|k| k.1 == "WARN").count();
                } else {
                    mismatches.push(format!(
                        "{name}:\n  attribute: {expected:#?}\n  cli:       {actual:#?}"
                    ));
                }
            }
            Err(_) => unparsed.push((name.to_string(), expected)),
        }
    }
    assert!(
        mismatches.is_empty(),
        "the front ends disagree on {} case(s):\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    // The one case a source reader cannot see: the attribute reports DA0013 on the broken
    // item; the crate-wide audit reports the file as DA0062 (see the workspace tests).
    let names: Vec<&str> = unparsed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["item-does-not-parse.rs"],
        "unexpected unparsable cases"
    );
    assert!(unparsed[0].1.iter().all(|k| k.0 == "DA0013"));
    assert!(
        compared > 40,
        "the comparison is vacuous: only {compared} findings compared"
    );
    assert!(warns >= 5, "WARN findings must be compared too: {warns}");
    eprintln!(
        "consistency: {} cases, {compared} findings compared ({warns} WARN); {typed} tagged type errors left to rustc",
        cases.len()
    );
}

/// The cases the attribute accepts (`../tests/ui/pass`, compiled by trybuild without an
/// error) get no BLOCK from the crate-wide audit either.
#[test]
fn cli_accepts_every_passing_ui_case() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/ui/pass");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the root crate's tests/ui/pass")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "too few passing cases: {}", cases.len());
    let registry = engine::default_registry();
    let mut items = 0;
    let mut blocks = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case).expect("case");
        let found = audit_source(&registry, "distaudit", &text).expect("a passing case parses");
        items += found.len();
        for item in found {
            for f in item.findings {
                if f.severity() == Severity::Block {
                    blocks.push(format!(
                        "{}: {} {} {}",
                        case.display(),
                        item.path,
                        f.code,
                        f.what
                    ));
                }
            }
        }
    }
    assert!(
        blocks.is_empty(),
        "BLOCK on accepted code:\n{}",
        blocks.join("\n")
    );
    assert!(
        items > 30,
        "the pass cases hold few annotated items: {items}"
    );
}
