//! The machine and terminal outputs: rustc-like text, JSON (schema in SCHEMA.md) and
//! SARIF 2.1.0 ([`sarif`]), with the line-independent [`fingerprint`] of a finding that
//! SARIF and the baseline key it by.

pub mod fingerprint;
mod sarif;

pub use sarif::{MAX_RESULTS, sarif};

use crate::engine::Severity;
use crate::model::Issue;
use crate::workspace::Audit;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// The version of the JSON document; bumped on any incompatible change.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// Counts for the summary line and documents.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub block: usize,
    pub warn: usize,
    pub exempted: usize,
    pub baselined: usize,
}

impl Counts {
    #[must_use]
    pub fn of(issues: &[Issue], exempted: usize, baselined: usize) -> Counts {
        let n = |l| issues.iter().filter(|i| i.level == l).count();
        Counts {
            block: n(Severity::Block),
            warn: n(Severity::Warn),
            exempted,
            baselined,
        }
    }
}

/// Byte offset of a 1-based line and character column in `text`.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
            return start + col;
        }
        start += l.len();
    }
    text.len()
}

/// Rustc-like text: file, line, the source excerpt with the span underlined, code, why, fix.
#[must_use]
pub fn text(root: &Path, issues: &[Issue], summary: &str) -> String {
    let mut files = SimpleFiles::new();
    let mut ids: BTreeMap<String, Option<usize>> = BTreeMap::new();
    let config = term::Config::default();
    let mut out = String::new();
    for issue in issues {
        let severity = match issue.level {
            Severity::Block => codespan_reporting::diagnostic::Severity::Error,
            Severity::Warn => codespan_reporting::diagnostic::Severity::Warning,
        };
        let mut d = Diagnostic::new(severity)
            .with_code(issue.code.to_string())
            .with_message(format!(
                "[distaudit {} {}] {}",
                issue.code, issue.level, issue.what
            ));
        let mut notes = Vec::new();
        if let Some(item) = &issue.item {
            notes.push(format!("item: {item}"));
        }
        notes.push(format!("why: {}", issue.why));
        notes.push(format!("fix: {}", issue.fix));
        if let Some(file) = &issue.file {
            let id = *ids.entry(file.clone()).or_insert_with(|| {
                std::fs::read_to_string(root.join(file))
                    .ok()
                    .map(|t| files.add(file.clone(), t))
            });
            match (id, issue.region) {
                (Some(id), Some(r)) => {
                    let Ok(src) = files.get(id) else { continue };
                    let text = src.source();
                    let a = offset(text, r.line, r.column);
                    let b = offset(text, r.end_line, r.end_column).max(a);
                    d = d.with_labels(vec![Label::primary(id, a..b)]);
                }
                _ => notes.insert(0, format!("in {}", issue.location())),
            }
        } else {
            notes.insert(0, format!("in crate {}", issue.krate));
        }
        d = d.with_notes(notes);
        match term::emit_into_string(&config, &files, &d) {
            Ok(s) => out.push_str(&s),
            Err(_) => out.push_str(&format!(
                "{}: [distaudit {} {}] {}\n",
                issue.location(),
                issue.code,
                issue.level,
                issue.what
            )),
        }
        out.push('\n');
    }
    out.push_str(summary);
    out.push('\n');
    out
}

fn issue_json(i: &Issue) -> Value {
    json!({
        "code": i.code.to_string(),
        "severity": i.level.to_string(),
        "title": i.code.title(),
        "crate": i.krate,
        "item": i.item,
        "file": i.file,
        "line": i.region.map(|r| r.line),
        "column": i.region.map(|r| r.column),
        "end_line": i.region.map(|r| r.end_line),
        "end_column": i.region.map(|r| r.end_column),
        "what": i.what,
        "why": i.why,
        "fix": i.fix,
        "source": i.source,
        "family": i.family,
        "family_id": i.family_id,
        "patterns": i.patterns,
    })
}

/// The JSON document (see SCHEMA.md).
#[must_use]
pub fn json(audit: &Audit, issues: &[Issue], counts: Counts) -> String {
    let items: Vec<Value> = audit
        .items
        .iter()
        .map(|it| {
            json!({
                "crate": it.krate,
                "path": it.path,
                "file": it.file,
                "first_line": it.first_line,
                "last_line": it.last_line,
                "shape": it.shape,
                "patterns": it.model.pattern_ids(),
                "cites": it.model.cites_written,
                "implements": it.model.decisions,
                "checks": it.model.checks.iter().map(|c| json!({"kind": c.kind.name(), "written": c.written, "upholds": c.upholds.as_ref().map(crate::engine::Upholds::label)})).collect::<Vec<_>>(),
                "verify": it.model.verify,
                "test": it.model.test,
                "novel": it.model.novel,
            })
        })
        .collect();
    let doc = json!({
        "schema": "cargo-distaudit-report",
        "version": JSON_SCHEMA_VERSION,
        "tool": {"name": "cargo-distaudit", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "crates": audit.crates,
            "files": audit.files,
            "lines": audit.lines,
            "items": audit.items.len(),
            "block": counts.block,
            "warn": counts.warn,
            // Schema version 1 has the key; no code has severity INFO.
            "info": 0,
            "exempted": counts.exempted,
            "baselined": counts.baselined,
        },
        "findings": issues.iter().map(issue_json).collect::<Vec<_>>(),
        "items": items,
        "traceability": crate::trace::json(audit),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
