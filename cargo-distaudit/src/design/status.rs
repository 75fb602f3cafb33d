//! The life of a design record, as the ADR conventions (Nygard's records, MADR) write it: a
//! status of proposed, accepted, rejected, deprecated or superseded, and a superseded
//! record names its successor. The status is read from a `### Status` section, a
//! `| **Status** | .. |` row or a `Status: ..` line of the record, else from the
//! document's front matter (`status: ..`, MADR).

use super::{Document, Record};
use crate::engine::Code;
use crate::model::Issue;
use std::path::Path;

/// The statuses a record may have.
pub const STATUSES: [&str; 5] = [
    "proposed",
    "accepted",
    "rejected",
    "deprecated",
    "superseded",
];

/// A record's status as written, with the 0-based line of the document it is on.
#[derive(Debug, PartialEq, Eq)]
pub struct Status {
    pub line: usize,
    /// Lower case, markup removed: `superseded by [0005](0005-leases.md)`.
    pub text: String,
}

fn plain(s: &str) -> String {
    s.replace(['*', '_', '|'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value of a `Status: x` / `- **Status**: x` / `| **Status** | x |` line, if it is one.
fn status_field(line: &str) -> Option<String> {
    let t = plain(line.trim_start_matches(['-', ' ']));
    let lower = t.to_ascii_lowercase();
    let rest = lower.strip_prefix("status")?;
    let value = rest.trim_start_matches([':', ' ']).trim();
    (!value.is_empty() && (rest.starts_with(':') || line.contains('|')))
        .then(|| t[t.len() - value.len()..].to_string())
}

/// The status in the document's YAML front matter, with its line.
fn front_matter(lines: &[&str]) -> Option<Status> {
    if lines.first().map(|l| l.trim()) != Some("---") {
        return None;
    }
    lines
        .iter()
        .enumerate()
        .skip(1)
        .take_while(|(_, l)| l.trim() != "---")
        .find_map(|(k, l)| {
            let v = l.strip_prefix("status:")?;
            Some(Status {
                line: k,
                text: v.trim().trim_matches(['"', '\'']).to_string(),
            })
        })
}

impl Record<'_> {
    /// The record's status, if it states one (or its document's front matter does).
    pub(super) fn status(&self, document: &[&str]) -> Option<Status> {
        let mut in_section = false;
        for (k, l) in self.body.iter().enumerate() {
            let line = self.start + k;
            if l.starts_with("### ") {
                in_section = l
                    .trim_start_matches('#')
                    .trim()
                    .eq_ignore_ascii_case("status");
                continue;
            }
            if in_section && !l.trim().is_empty() {
                return Some(Status {
                    line,
                    text: plain(l),
                });
            }
            if let Some(v) = status_field(l) {
                return Some(Status { line, text: v });
            }
        }
        front_matter(document)
    }

    /// The issues of the record's status: one that is no ADR status, or a superseded record
    /// whose successor is not named or cannot be found.
    pub(super) fn lint_status(&self, document: &[&str], issues: &mut Vec<Issue>) {
        let Some(status) = self.status(document) else {
            return;
        };
        let lower = status.text.to_ascii_lowercase();
        let Some(word) = STATUSES.iter().find(|s| lower.starts_with(**s)) else {
            issues.push(self.doc.drift(
                Code::DocUnknownStatus,
                status.line + 1,
                format!("the record's status \"{}\" is not an ADR status", status.text),
                "a reader and the linter tell a binding decision from a proposal or a replaced one only by its status",
                &format!("write one of: {}; a replaced record says `Superseded by <its successor>`", STATUSES.join(", ")),
            ));
            return;
        };
        if *word != "superseded" {
            return;
        }
        let successor = status.text[word.len()..]
            .trim()
            .trim_start_matches("by ")
            .trim_start_matches("By ")
            .trim();
        if let Some(problem) = self.successor_problem(successor) {
            issues.push(self.doc.drift(
                Code::DocSupersededWithoutSuccessor,
                status.line + 1,
                format!("the record is superseded, but {problem}"),
                "a superseded decision is only safe to ignore when the reader can find the decision that replaced it",
                "write `Superseded by [<successor>](<its file>)`, or name a record of this document by its topic",
            ));
        }
    }

    /// Why `successor` does not name a record that can be found, if it does not.
    fn successor_problem(&self, successor: &str) -> Option<String> {
        if successor.is_empty() {
            return Some("it names no successor".into());
        }
        let dir = Path::new(self.doc.file).parent().unwrap_or(Path::new("."));
        if let Some(target) = link_target(successor) {
            let file = target.split('#').next().unwrap_or_default();
            if file.is_empty() || file.contains("://") || dir.join(file).is_file() {
                return None;
            }
            return Some(format!("its successor `{file}` does not exist"));
        }
        let wanted = successor.to_ascii_lowercase();
        let topics = self
            .doc
            .text
            .lines()
            .filter_map(|l| l.strip_prefix("## Distributed Systems Decision:"))
            .map(|t| t.trim().to_ascii_lowercase());
        let files = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_ascii_lowercase());
        let number: String = wanted.chars().filter(char::is_ascii_digit).collect();
        let found = topics
            .into_iter()
            .any(|t| !t.is_empty() && (t.contains(&wanted) || wanted.contains(&t)))
            || (!number.is_empty() && files.into_iter().any(|f| f.starts_with(&number)));
        (!found).then(|| {
            format!("its successor \"{successor}\" is neither a record of this document nor a file beside it")
        })
    }
}

/// The target of the first markdown link in `text`.
fn link_target(text: &str) -> Option<&str> {
    let open = text.find("](")?;
    let rest = &text[open + 2..];
    rest.find(')').map(|close| rest[..close].trim())
}

impl Document<'_> {
    /// An issue of the document at 1-based `line` with its own why.
    pub(super) fn drift(
        &self,
        code: Code,
        line: usize,
        what: String,
        why: &str,
        fix: &str,
    ) -> Issue {
        let mut issue = self.issue(code, line, what, fix);
        issue.why = why.to_string();
        issue
    }
}

#[cfg(test)]
mod tests {
    use super::super::lint;

    fn codes(file: &str, text: &str) -> Vec<(String, usize, String)> {
        let registry = crate::engine::default_registry();
        lint(&registry, file, text)
            .iter()
            .filter(|i| i.code.number() >= 77)
            .map(|i| {
                (
                    i.code.to_string(),
                    i.region.map_or(0, |r| r.line),
                    i.what.clone(),
                )
            })
            .collect()
    }

    const BODY: &str = "### Locked Decisions Check\n- [x] No conflict\n### Anti-Pattern Check\n### Decision Record\n| Field | Detail |\n";

    /// Accepted, proposed and deprecated records are fine; a superseded one must name a
    /// successor that exists: a record of the document, or a file beside it.
    #[test]
    fn a_superseded_record_names_its_successor() {
        let doc = |status: &str| {
            format!(
                "## Distributed Systems Decision: leases\n### Status\n{status}\n{BODY}\n## Distributed Systems Decision: fenced leases\n{BODY}"
            )
        };
        for fine in [
            "Accepted",
            "Proposed",
            "Deprecated",
            "Superseded by fenced leases",
        ] {
            assert!(codes("d.md", &doc(fine)).is_empty(), "{fine}");
        }
        let found = codes("d.md", &doc("Superseded"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "DA0078");
        assert_eq!(found[0].1, 3);
        assert!(found[0].2.contains("names no successor"), "{found:?}");
        let found = codes("d.md", &doc("Superseded by [0009](0009-gone.md)"));
        assert!(
            found[0].2.contains("`0009-gone.md` does not exist"),
            "{found:?}"
        );
        let found = codes("d.md", &doc("Replaced"));
        assert_eq!(found[0].0, "DA0077");
        // A table row and MADR front matter are statuses too.
        let row =
            format!("## Distributed Systems Decision: x\n{BODY}| **Status** | superseded |\n");
        assert_eq!(codes("d.md", &row)[0].0, "DA0078");
        let front = format!(
            "---\nstatus: superseded by ADR-0042\n---\n## Distributed Systems Decision: x\n{BODY}"
        );
        let found = codes("d.md", &front);
        assert_eq!(
            (found[0].0.as_str(), found[0].1),
            ("DA0078", 2),
            "{found:?}"
        );
    }
}
