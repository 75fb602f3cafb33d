//! SARIF 2.1.0 for code scanning: one rule per DA code with its help (what, why, how to
//! fix, a link to the code's documentation) and default level; results with a level, a
//! location and a line-independent fingerprint, capped to what GitHub code scanning keeps
//! of a run, with a notification when findings were left out.

use super::fingerprint;
use crate::engine::{Code, Registry, Severity};
use crate::model::Issue;
use serde_json::{Value, json};

/// GitHub code scanning accepts up to 25,000 results per run but keeps only the top 5,000,
/// by severity (docs.github.com, "SARIF results exceed limits"): a run holds at most this
/// many, BLOCKs first.
pub const MAX_RESULTS: usize = 5_000;

/// The documentation of the diagnostic codes, at this release.
fn help_uri() -> String {
    format!(
        "https://docs.rs/distaudit/{}/distaudit/#diagnostic-codes",
        env!("CARGO_PKG_VERSION")
    )
}

fn sarif_level(l: Severity) -> &'static str {
    match l {
        Severity::Block => "error",
        Severity::Warn => "warning",
    }
}

/// A rule's help: what it finds, why (the principle it upholds, and for an anti-pattern the
/// registry's reasoning), how to fix it.
fn rule(c: Code, registry: &Registry) -> Value {
    let upholds = c.upholds();
    let anti = match c {
        Code::Anti(a) => registry.anti_pattern(a),
        _ => None,
    };
    let what = match anti {
        Some(e) => format!("{}: {}", c.title(), e.statement),
        None => c.title().to_string(),
    };
    let why = match anti {
        Some(e) => format!("It upholds {upholds}. {}", e.why),
        None => format!("It upholds {upholds}."),
    };
    let fix = match anti {
        Some(e) => e.fix.clone(),
        None => "each result's message ends with the fix for that finding".into(),
    };
    let (what, fix) = (what.trim_end_matches('.'), fix.trim_end_matches('.'));
    let uri = help_uri();
    json!({
        "id": c.to_string(),
        "shortDescription": {"text": c.title()},
        "fullDescription": {"text": format!("{what}. {why}")},
        "help": {
            "text": format!("What: {what}.\nWhy: {why}\nFix: {fix}.\nSee {uri} ({c})."),
            "markdown": format!("**What**: {what}.\n\n**Why**: {why}\n\n**Fix**: {fix}.\n\nSee [{c} in the diagnostic codes]({uri})."),
        },
        "helpUri": uri,
        "defaultConfiguration": {"level": sarif_level(c.severity())},
        "properties": {"tags": ["distaudit", c.severity().to_string()]},
    })
}

fn result(i: &Issue, index: usize) -> Value {
    let mut result = json!({
        "ruleId": i.code.to_string(),
        "ruleIndex": index,
        "level": sarif_level(i.level),
        "message": {"text": format!("[distaudit {} {}] {}\n= why: {}\n= fix: {}", i.code, i.level, i.what, i.why, i.fix)},
        "partialFingerprints": {fingerprint::SARIF_KEY: fingerprint::of(i)},
        "properties": {"crate": i.krate, "item": i.item, "source": i.source, "severity": i.level.to_string()},
    });
    if let Some(file) = &i.file {
        let mut physical = json!({"artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"}});
        if let Some(r) = i.region {
            physical["region"] = json!({"startLine": r.line, "startColumn": r.column, "endLine": r.end_line, "endColumn": r.end_column});
        }
        result["locations"] = json!([{"physicalLocation": physical}]);
    }
    result
}

/// The issues a run keeps: all of them up to `cap`, else the most severe, in their order.
fn kept(issues: &[Issue], cap: usize) -> Vec<&Issue> {
    if issues.len() <= cap {
        return issues.iter().collect();
    }
    let mut order: Vec<usize> = (0..issues.len()).collect();
    order.sort_by_key(|&k| (issues[k].level != Severity::Block, k));
    order.truncate(cap);
    order.sort_unstable();
    order.into_iter().map(|k| &issues[k]).collect()
}

/// The SARIF document of `issues`, at most [`MAX_RESULTS`] of them.
#[must_use]
pub fn sarif(issues: &[Issue], registry: &Registry) -> String {
    sarif_capped(issues, registry, MAX_RESULTS)
}

fn sarif_capped(issues: &[Issue], registry: &Registry, cap: usize) -> String {
    let codes = Code::all();
    let rules: Vec<Value> = codes.iter().map(|c| rule(*c, registry)).collect();
    let kept = kept(issues, cap);
    let results: Vec<Value> = kept
        .iter()
        .map(|i| result(i, codes.iter().position(|c| *c == i.code).unwrap_or(0)))
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "cargo-distaudit",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/distaudit/distaudit",
            "rules": rules,
        }},
        "results": results,
        "columnKind": "unicodeCodePoints",
    });
    if kept.len() < issues.len() {
        let note = format!(
            "{} of {} findings are in this run: code scanning keeps at most {cap} results per run, so the most severe were kept (BLOCK first); run `cargo distaudit --format json` for all of them",
            kept.len(),
            issues.len()
        );
        run["invocations"] = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": [{"level": "warning", "message": {"text": note}}],
        }]);
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn issue(code: Code, n: usize) -> Issue {
        let mut i = Issue::new(
            code,
            "k",
            Some("src/lib.rs"),
            None,
            format!("finding {n}"),
            "why".into(),
            "fix".into(),
            Source::Scan,
        );
        i.item = Some(format!("item_{n}"));
        i
    }

    /// Over the cap, the BLOCKs are kept before the WARNs, in order, and the run says how
    /// many were left out.
    #[test]
    fn results_are_capped_most_severe_first_with_a_note() {
        let issues: Vec<Issue> = (0..6)
            .map(|n| {
                let code = if n % 2 == 0 {
                    Code::UnannotatedCoordinationName
                } else {
                    Code::UnannotatedCoordination
                };
                issue(code, n)
            })
            .collect();
        let registry = crate::engine::default_registry();
        let doc: Value = serde_json::from_str(&sarif_capped(&issues, &registry, 4)).expect("JSON");
        let run = &doc["runs"][0];
        let texts: Vec<&str> = run["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|r| r["message"]["text"].as_str())
            .collect();
        assert_eq!(texts.len(), 4);
        for (t, n) in texts.iter().zip([0, 1, 3, 5]) {
            assert!(t.contains(&format!("finding {n}\n")), "{texts:?}");
        }
        let note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .expect("a note");
        assert!(
            note.starts_with("4 of 6 findings are in this run"),
            "{note}"
        );
        // Under the cap: every result, no note.
        let doc: Value = serde_json::from_str(&sarif(&issues, &registry)).expect("JSON");
        assert_eq!(doc["runs"][0]["results"].as_array().map(Vec::len), Some(6));
        assert!(doc["runs"][0].get("invocations").is_none());
    }
}
