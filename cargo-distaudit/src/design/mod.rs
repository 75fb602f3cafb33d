//! Design mode: the decision record of an item (`record`), and the linter of design
//! records written by hand (`lint-docs`): their format and evidence here, their status
//! ([`status`]) and their drift from the registry and the code (`drift`).

mod drift;
pub mod status;

use crate::engine::{AntiPattern, Code, ItemModel, PROVEN_BACKEND_DECISION, Registry};
use crate::error::CliError;
use crate::markdown::cell;
use crate::model::{CoordItem, Issue, Region, Source};
use crate::workspace::Audit;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn joined(parts: Vec<String>, empty: &str) -> String {
    if parts.is_empty() {
        empty.to_string()
    } else {
        parts.join("; ")
    }
}

/// The design-mode record of an annotated item, filled from the engine's model of its
/// annotation, the registry, and the issues of the run (`issues`: the audit's, after
/// exemptions and baseline).
///
/// # Errors
/// When no annotated item has that path.
pub fn record(audit: &Audit, issues: &[Issue], wanted: &str) -> Result<String, CliError> {
    let item = annotated_item(audit, wanted)?;
    let registry = audit
        .registries
        .get(&item.krate)
        .cloned()
        .unwrap_or_else(crate::engine::default_registry);
    let m = &item.model;
    let mut out = String::new();
    let topic = m.joined(|p| &p.name, ", ");
    let _ = writeln!(
        out,
        "## Distributed Systems Decision: {topic} (`{}`)\n",
        item.path
    );
    // The run's issues on this item.
    let own: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.krate == item.krate && i.item.as_deref() == Some(item.path.as_str()))
        .collect();
    write_locked_decisions_check(&mut out, m, &registry, &own);
    write_anti_pattern_check(&mut out, m, &own);
    write_decision_table(&mut out, m, &topic);
    if m.novel.is_some() || m.citations.is_empty() {
        let _ = writeln!(out, "\n{NOVEL_WARNING}");
    }
    let _ = writeln!(
        out,
        "\n### Alternatives Considered\n| Alternative | Why Rejected | Reference |\n|-------------|--------------|-----------|"
    );
    let _ = writeln!(out, "\n### Open Questions\nnone recorded");
    Ok(out)
}

/// The annotated item `wanted` names (with or without its crate), or the error that names
/// the nearest paths.
fn annotated_item<'a>(audit: &'a Audit, wanted: &str) -> Result<&'a CoordItem, CliError> {
    let wanted = wanted.trim_start_matches("crate::");
    audit
        .items
        .iter()
        .find(|i| i.path == wanted || format!("{}::{}", i.krate, i.path) == wanted)
        .ok_or_else(|| {
            let paths: Vec<&str> = audit.items.iter().map(|i| i.path.as_str()).collect();
            let near = crate::engine::nearest(wanted, paths.iter().copied());
            CliError::NoSuchItem {
                wanted: wanted.to_string(),
                nearest: near
                    .iter()
                    .take(3)
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
}

/// Writes the "Locked Decisions Check": a ticked box when nothing conflicts, else one
/// unticked box per forbidden pattern and per conflicting BLOCK in `own`.
fn write_locked_decisions_check(
    out: &mut String,
    m: &ItemModel,
    registry: &Registry,
    own: &[&Issue],
) {
    let _ = writeln!(out, "### Locked Decisions Check");
    let forbidden: Vec<&str> = m
        .patterns
        .iter()
        .filter_map(|p| p.forbidden_by.as_deref())
        .collect();
    // A BLOCK of a code that enforces a locked decision is a conflict with it; the item's
    // other BLOCKs (evidence, anti-patterns, form) have sections of their own.
    let conflicts: Vec<&Issue> = own
        .iter()
        .copied()
        .filter(|i| {
            i.level == crate::engine::Severity::Block && !i.code.locked_decisions().is_empty()
        })
        .collect();
    if forbidden.is_empty() && conflicts.is_empty() {
        // Every locked decision of the crate's registry, its own included.
        let ids: Vec<&str> = registry.decisions.iter().map(|d| d.id.as_str()).collect();
        let _ = writeln!(
            out,
            "- [x] No conflict with the locked decisions {}",
            ids.join(", ")
        );
        return;
    }
    for f in &forbidden {
        let _ = writeln!(
            out,
            "- [ ] Conflicts with Decision {f}\n  Resolution required: replace the pattern with one the decision allows"
        );
    }
    for c in &conflicts {
        let _ = writeln!(
            out,
            "- [ ] Conflicts with Decision {}: {} ({} at {})\n  Resolution required: {}",
            c.code.locked_decisions().join(", "),
            c.what,
            c.code,
            c.location(),
            c.fix
        );
    }
}

/// Writes the "Anti-Pattern Check": per anti-pattern, whether the annotation allows it,
/// the run found it (`own`), the item's patterns put it in force, or it was not checked.
fn write_anti_pattern_check(out: &mut String, m: &ItemModel, own: &[&Issue]) {
    let _ = writeln!(out, "\n### Anti-Pattern Check");
    for ap in AntiPattern::ALL {
        let line = ap.checklist_line();
        let found: Vec<&Issue> = own
            .iter()
            .copied()
            .filter(|i| i.code.number() == ap.code_number())
            .collect();
        if m.allows.contains(ap) {
            let _ = writeln!(
                out,
                "- [ ] {line}\n  Resolution: allowed by the annotation (`allow({})`)",
                ap.slug()
            );
        } else if let Some(first) = found.first() {
            let at: Vec<String> = found.iter().map(|i| i.location()).collect();
            let _ = writeln!(
                out,
                "- [ ] {line}\n  Resolution required: {} at {}; {}",
                first.code,
                at.join(", "),
                first.fix
            );
        } else if m.anti_patterns.contains(ap) {
            let _ = writeln!(out, "- [x] {line}");
        } else {
            let _ = writeln!(
                out,
                "- [ ] {line}\n  Resolution: not checked in this item: its patterns ({}) relax `{}`, with the registry's reason and citation",
                m.pattern_ids().join(", "),
                ap.slug()
            );
        }
    }
}

/// Writes the "Decision Record" table: problem, approach (`topic` and backend),
/// provenance, fit, trade-offs, invariants and verification.
fn write_decision_table(out: &mut String, m: &ItemModel, topic: &str) {
    let _ = writeln!(
        out,
        "\n### Decision Record\n| Field | Detail |\n|-------|--------|"
    );
    let problem = m.joined(|p| &p.summary, " ");
    let _ = writeln!(out, "| **Problem** | {} |", cell(&problem));
    let mut approach = topic.to_string();
    if let Some(b) = &m.backend {
        let _ = write!(approach, " (backend `{b}`)");
    }
    let _ = writeln!(out, "| **Approach** | {} |", cell(&approach));
    let _ = writeln!(
        out,
        "| **Provenance** | {} |",
        cell(&joined(
            m.provenance(),
            &crate::engine::EvidenceLevel::novel_provenance("no citation")
        ))
    );
    let _ = writeln!(
        out,
        "| **Fit** | {} |",
        cell(&joined(
            m.decisions
                .iter()
                .map(|d| format!("implements {d}"))
                .collect(),
            "not recorded in the annotation"
        ))
    );
    let _ = writeln!(out, "| **Trade-offs** | not recorded in the annotation |");
    let safety = m.joined(|p| &p.safety, " ");
    let _ = writeln!(out, "| **Safety invariant** | {} |", cell(&safety));
    let liveness = m.joined(|p| &p.liveness, " ");
    let _ = writeln!(out, "| **Liveness invariant** | {} |", cell(&liveness));
    let mut verification: Vec<String> = m
        .checks
        .iter()
        .map(|c| format!("check {}", c.described()))
        .collect();
    if m.test {
        verification.push("generated property test".into());
    }
    verification.extend(m.verify.iter().map(|v| format!("test `{v}`")));
    let _ = writeln!(
        out,
        "| **Verification** | {} |",
        cell(&joined(verification, "none declared"))
    );
}

/// The warning block a NOVEL record carries.
pub const NOVEL_WARNING: &str = "> **Warning: NOVEL/UNJUSTIFIED.** This decision has no reference at levels 1-5. It needs a second reviewer, property tests of every invariant, and a search for a proven pattern that could replace it.";

/// Lint every markdown file named or found under the directories named.
///
/// # Errors
/// When a path cannot be read.
pub fn lint_paths(registry: &Registry, paths: &[PathBuf]) -> Result<Vec<Issue>, CliError> {
    let mut files = Vec::new();
    for p in paths {
        collect_md(p, &mut files)?;
    }
    files.sort();
    let mut issues = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|source| CliError::Read {
            path: f.clone(),
            source,
        })?;
        issues.extend(lint(registry, &f.to_string_lossy(), &text));
    }
    Ok(issues)
}

fn collect_md(p: &Path, out: &mut Vec<PathBuf>) -> Result<(), CliError> {
    if p.is_dir() {
        let entries = std::fs::read_dir(p).map_err(|source| CliError::Read {
            path: p.to_path_buf(),
            source,
        })?;
        for e in entries.flatten() {
            collect_md(&e.path(), out)?;
        }
    } else if p.is_file() {
        if p.extension().is_some_and(|e| e == "md") || !out.contains(&p.to_path_buf()) {
            out.push(p.to_path_buf());
        }
    } else {
        return Err(CliError::Missing(p.to_path_buf()));
    }
    Ok(())
}

fn looks_like_id(id: &str) -> bool {
    id.len() > 3
        && id.contains('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The citation ids in a text: tokens between backticks or square brackets (a markdown
/// link's text included) that look like ids.
fn ids_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        let id = s.trim().trim_matches('`').trim();
        if looks_like_id(id) && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    };
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            push(part);
        }
    }
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { break };
        push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// `(stated level, ids)` for each `;`-separated part of a provenance line: a level is
/// stated for the ids that follow it.
fn provenance_claims(line: &str) -> Vec<(Option<u32>, Vec<String>)> {
    let mut level = None;
    line.split(';')
        .map(|part| {
            if let Some(after) = part.split("Level ").nth(1) {
                level = after.chars().next().and_then(|c| c.to_digit(10));
            }
            (level, ids_in(part))
        })
        .collect()
}

/// Whether `text` (lowercase) names a word or phrase, at word boundaries.
fn names(text: &str, phrase: &str) -> bool {
    let phrase = phrase.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let boundary = |i: usize| i >= bytes.len() || !bytes[i].is_ascii_alphanumeric();
    text.match_indices(&phrase)
        .any(|(i, _)| (i == 0 || boundary(i - 1)) && boundary(i + phrase.len()))
}

/// The locked decisions an approach contradicts: a pattern the registry forbids
/// (gossip: Decision B), or a pattern governed by Decision A without a proven backend
/// named.
fn contradicted(registry: &Registry, approach: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let backend_named = registry
        .backends
        .iter()
        .any(|b| names(approach, &b.id) || names(approach, &b.name));
    for p in &registry.patterns {
        let mentioned = std::iter::once(&p.id)
            .chain(std::iter::once(&p.name))
            .chain(p.aliases.iter())
            .any(|n| names(approach, n) || names(approach, &n.replace('-', " ")));
        if !mentioned {
            continue;
        }
        if let Some(d) = &p.forbidden_by {
            out.push((d.clone(), format!("the record proposes {}", p.id)));
        }
        // The macro's direction: the pattern's own `decisions` say it needs a backend
        // (a project pattern may name Decision A, whose list in the default data cannot
        // name it).
        if p.needs_backend() && !backend_named {
            out.push((
                PROVEN_BACKEND_DECISION.to_string(),
                format!("the record proposes {} without a proven backend", p.id),
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Lint one document: each design record in it, and the whole text for drift.
#[must_use]
pub fn lint(registry: &Registry, file: &str, text: &str) -> Vec<Issue> {
    let doc = Document {
        registry,
        file,
        text,
    };
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("## Distributed Systems Decision"))
        .map(|(i, _)| i)
        .collect();
    let mut issues = Vec::new();
    for start in starts {
        let end = lines[start + 1..]
            .iter()
            .position(|l| l.starts_with("## "))
            .map_or(lines.len(), |p| start + 1 + p);
        let record = Record {
            doc: &doc,
            start,
            body: &lines[start..end],
        };
        record.lint(&mut issues);
        record.lint_status(&lines, &mut issues);
    }
    doc.lint_id_ranges(&mut issues);
    doc.lint_code_references(&mut issues);
    issues
}

/// A design-record document under lint: the registry it is checked against, its name and
/// its text.
struct Document<'a> {
    registry: &'a Registry,
    file: &'a str,
    text: &'a str,
}

impl Document<'_> {
    /// The issue of `code` at 1-based `line` of the document.
    fn issue(&self, code: Code, line: usize, what: String, fix: &str) -> Issue {
        Issue::new(
            code,
            self.file,
            Some(self.file),
            Region::line(Some(self.text), line),
            what,
            "design records follow the design-mode format of the report formats, checked against the registry".into(),
            fix.into(),
            Source::Document,
        )
    }
}

/// One record of a document: from its `## Distributed Systems Decision` heading (0-based
/// line `start`) to the next `## ` heading.
struct Record<'a> {
    doc: &'a Document<'a>,
    start: usize,
    body: &'a [&'a str],
}

impl Record<'_> {
    /// Pushes the record's issues, in order: missing sections, then line by line
    /// (provenance, checklist boxes), then the NOVEL warning, then the alternatives.
    fn lint(&self, issues: &mut Vec<Issue>) {
        for required in [
            "Locked Decisions Check",
            "Anti-Pattern Check",
            "Decision Record",
        ] {
            if self.section(required).is_none() {
                issues.push(self.doc.issue(
                    Code::DocMissingSection,
                    self.start + 1,
                    format!("the record has no `### {required}` section"),
                    "add the section of the design-mode format",
                ));
            }
        }
        let approach = self
            .body
            .iter()
            .find(|l| l.contains("**Approach**"))
            .map(|l| l.to_ascii_lowercase())
            .unwrap_or_default();
        let conflicts = contradicted(self.doc.registry, &approach);
        let mut novel = false;
        for (k, l) in self.body.iter().enumerate() {
            let line = self.start + k + 1;
            if l.contains("**Provenance**") {
                if l.contains("NOVEL") || l.contains("Level 0") {
                    novel = true;
                }
                self.provenance(line, l, issues);
            }
            self.checklist_box(k, &conflicts, issues);
        }
        if novel
            && !self
                .body
                .iter()
                .any(|l| l.contains("NOVEL") && l.trim_start().starts_with('>'))
        {
            issues.push(self.doc.issue(
                Code::DocNovelWithoutWarning,
                self.start + 1,
                "a NOVEL record without its warning block".into(),
                "add the warning block: a second reviewer, property tests of every invariant, a look for a proven pattern",
            ));
        }
        if let Some(s) = self.section("Alternatives Considered") {
            self.alternatives(s, issues);
        }
    }

    /// The index in the body of the `### ` heading that contains `name`.
    fn section(&self, name: &str) -> Option<usize> {
        self.body
            .iter()
            .position(|l| l.starts_with("### ") && l.contains(name))
    }

    /// Pushes an issue for each id of the provenance line `l` (at `line`) the registry
    /// lacks, or whose stated level is not the registry's.
    fn provenance(&self, line: usize, l: &str, issues: &mut Vec<Issue>) {
        for (stated, ids) in provenance_claims(l) {
            for id in ids {
                match self.doc.registry.citation(&id) {
                    None => issues.push(self.doc.issue(
                        Code::DocUnknownId,
                        line,
                        format!("provenance cites `{id}`, which is not in the registry"),
                        "use a registry id (see the distaudit docs), or add the work to distaudit.toml",
                    )),
                    Some(c) => {
                        if let Some(s) = stated
                            && u32::from(c.level.0) != s
                        {
                            issues.push(self.doc.issue(
                                Code::DocWrongLevel,
                                line,
                                format!("provenance states Level {s} for `{id}`; the registry has level {}", c.level.0),
                                "state the registry's level",
                            ));
                        }
                    }
                }
            }
        }
    }

    /// Pushes the issues of the body's line `k` as a checklist box: a ticked "no conflict"
    /// the approach's `conflicts` contradict, or an unticked box without a resolution.
    fn checklist_box(&self, k: usize, conflicts: &[(String, String)], issues: &mut Vec<Issue>) {
        let l = self.body[k];
        let line = self.start + k + 1;
        let trimmed = l.trim_start();
        if trimmed.starts_with("- [x]") && trimmed.contains("No conflict with") {
            for (decision, why) in conflicts {
                issues.push(self.doc.issue(
                    Code::DocChecklistContradiction,
                    line,
                    format!("{why}, yet ticks \"no conflict\" with Decision {decision}"),
                    "untick the box and state the resolution the locked decision requires (for Decision B: leases + fencing instead of gossip; for Decision A: a proven consensus backend)",
                ));
            }
        }
        if trimmed.starts_with("- [ ]") {
            let next = self.body.get(k + 1).map_or("", |n| n.trim_start());
            if !next.to_ascii_lowercase().starts_with("resolution")
                && !l.to_ascii_lowercase().contains("resolution")
            {
                issues.push(self.doc.issue(
                    Code::DocUnresolvedBox,
                    line,
                    format!(
                        "an unticked box without a resolution line: {}",
                        trimmed.trim_start_matches("- [ ]").trim()
                    ),
                    "add an indented `Resolution: ..` line after it",
                ));
            }
        }
    }

    /// Pushes an issue for each row of the "Alternatives Considered" table (heading at body
    /// index `s`) that cites nothing or cites an id the registry lacks.
    fn alternatives(&self, s: usize, issues: &mut Vec<Issue>) {
        for (k, l) in self.body[s + 1..].iter().enumerate() {
            if l.starts_with("### ") {
                break;
            }
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            if cells.len() < 5
                || cells[1].is_empty()
                || cells[1].starts_with('-')
                || cells[1] == "Alternative"
            {
                continue;
            }
            let line = self.start + s + k + 2;
            if cells[3].is_empty() {
                issues.push(self.doc.issue(
                    Code::DocUncitedAlternative,
                    line,
                    format!("the alternative \"{}\" carries no citation", cells[1]),
                    "name the work that shows why it was rejected",
                ));
                continue;
            }
            for id in ids_in(cells[3]) {
                if self.doc.registry.citation(&id).is_none() {
                    issues.push(self.doc.issue(
                        Code::DocUnknownId,
                        line,
                        format!("the alternative cites `{id}`, which is not in the registry"),
                        "use a registry id",
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_backticks_and_brackets() {
        assert_eq!(
            ids_in("Level 4: Gray [`gray-cheriton-1989`], see [burrows-2006](https://x) and `x`"),
            ["gray-cheriton-1989", "burrows-2006"]
        );
        assert_eq!(
            provenance_claims("Level 4: `aa-1`; Level 2: `bb-2`, `cc-3`"),
            [
                (Some(4), vec!["aa-1".to_string()]),
                (Some(2), vec!["bb-2".to_string(), "cc-3".to_string()])
            ]
        );
    }

    /// The record of the annotated items of `text` (one file, crate `k`), item by item.
    fn records(text: &str) -> Vec<(String, String)> {
        let registry = crate::engine::default_registry();
        let ctx = crate::scan::FileContext::lib_rs(&registry, "k");
        let scan = crate::scan::scan_text(&ctx, text);
        let audit = Audit {
            crates: vec!["k".into()],
            items: scan.items,
            ..Audit::default()
        };
        audit
            .items
            .iter()
            .map(|i| {
                let r = record(&audit, &scan.issues, &i.path).expect("a record");
                (i.path.clone(), r)
            })
            .collect()
    }

    /// The Anti-Pattern Check block of a record.
    fn anti_pattern_check(record: &str) -> Vec<&str> {
        record
            .lines()
            .skip_while(|l| *l != "### Anti-Pattern Check")
            .skip(1)
            .take_while(|l| !l.starts_with("###"))
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// A box is ticked only for an anti-pattern the engine checks in the item (its
    /// patterns list it) and did not find there; one it found is unticked with the fix, one
    /// the annotation allows says so, and one not checked for the item's patterns says that.
    #[test]
    fn the_anti_pattern_check_shows_what_the_engine_decided() {
        let text = r#"
use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
pub fn expired(deadline: std::time::Instant) -> bool {
    std::time::Instant::now() > deadline
}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989",
               allow(wall_clock = "the deadline only paces a log line here"))]
pub fn log_expiry(deadline: std::time::Instant) -> bool {
    std::time::Instant::now() > deadline
}
"#;
        let records = records(text);
        let check = |path: &str| {
            let (_, r) = records.iter().find(|(p, _)| p == path).expect(path);
            anti_pattern_check(r).join("\n")
        };
        // Every prohibition holds for a lease item (issue 21): each is ticked but the one found.
        let expired = check("expired");
        let expected = [
            "- [x] No novel consensus protocols".to_string(),
            "- [x] No clock synchronization assumptions".to_string(),
            "- [x] No conflating \"no response\" with \"failure\"".to_string(),
            "- [x] No unbounded queues".to_string(),
            "- [ ] No wall-clock timeouts for correctness\n  Resolution required: DA0045 at src/lib.rs:6".to_string(),
            "- [x] No silent work drops".to_string(),
            "- [x] No network reliability assumptions".to_string(),
        ];
        let got: Vec<&str> = expired.split("\n- ").collect();
        assert_eq!(got.len(), 7, "{expired}");
        for (g, e) in got.iter().zip(&expected) {
            let e = e.trim_start_matches("- ");
            let g = g.trim_start_matches("- ");
            assert!(g.starts_with(e), "expected `{e}`, got `{g}` in\n{expired}");
        }
        let allowed = check("log_expiry");
        assert!(
            allowed.contains(
                "- [ ] No wall-clock timeouts for correctness\n  Resolution: allowed by the annotation (`allow(wall_clock)`)"
            ),
            "{allowed}"
        );
        assert!(
            allowed.contains("- [x] No clock synchronization assumptions"),
            "{allowed}"
        );
    }

    /// The Locked Decisions Check names a conflict only for a BLOCK that enforces a locked
    /// decision (a shard without half-open bounds: D2.2); an item blocked for another reason
    /// (an anti-pattern) has no conflict with the locked decisions.
    #[test]
    fn the_locked_decisions_check_lists_only_decision_conflicts() {
        let text = r#"
use distaudit::coordination;

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Shard {
    pub owner: u64,
}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
pub fn expired(deadline: std::time::Instant) -> bool {
    std::time::Instant::now() > deadline
}
"#;
        let records = records(text);
        let locked = |path: &str| {
            let (_, r) = records.iter().find(|(p, _)| p == path).expect(path);
            r.lines()
                .skip_while(|l| *l != "### Locked Decisions Check")
                .skip(1)
                .take_while(|l| !l.starts_with("###"))
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let shard = locked("Shard");
        assert!(
            shard.starts_with("- [ ] Conflicts with Decision D2.2: ")
                && shard.contains("(DA0031 at src/lib.rs:")
                && shard.contains("Resolution required: "),
            "{shard}"
        );
        let expired = locked("expired");
        assert!(
            expired.starts_with("- [x] No conflict with the locked decisions"),
            "{expired}"
        );
    }

    #[test]
    fn approach_contradictions_come_from_the_registry() {
        let reg = crate::engine::default_registry();
        let d: Vec<String> = contradicted(&reg, "| **approach** | gossip membership |")
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(d, ["B"]);
        let d: Vec<String> = contradicted(&reg, "| **approach** | our own leader election |")
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(d, ["A"]);
        assert!(contradicted(&reg, "| **approach** | leader election on etcd |").is_empty());
        assert!(contradicted(&reg, "| **approach** | leases with fencing |").is_empty());
    }
}
