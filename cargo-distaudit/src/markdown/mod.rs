//! The implementation-mode report of `report-formats.md`, per crate, written for a reviewer
//! with ten minutes: a one-screen summary, each pattern's invariant, violation scenario and
//! references once, the inline audit as one row per item that refers to them, then the
//! Monotonicity & Ordering Check, Flags (one row per distinct finding) and Missing Coverage.
//! Cells come from the engine's resolved model of each annotation and from the registry,
//! never from invented text.

mod checklists;
pub mod coverage;

use crate::engine::{self, CheckModel, Registry, Severity};
use crate::model::{CoordItem, Issue};
use crate::workspace::Audit;
use coverage::{Coverage, Exercised};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Text for a markdown table cell: pipes escaped, one line.
pub(crate) fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `Type::method` or `module::function`: an item's path as the summary names it.
fn short(path: &str) -> String {
    let parts: Vec<&str> = path.rsplitn(3, "::").collect();
    match parts.as_slice() {
        [last, parent, ..] => format!("{parent}::{last}"),
        _ => path.to_string(),
    }
}

/// One crate's report: its items, registry, issues and inferred coverage.
struct CrateReport<'a> {
    krate: &'a str,
    registry: &'a Registry,
    items: Vec<&'a CoordItem>,
    flags: Vec<&'a Issue>,
    coverage: Coverage,
    /// The crate's `[[evidence]]` links, checked.
    links: Vec<&'a crate::evidence::CheckedLink>,
    /// What a test-run record says of the crate's checks, when one was given.
    measured: Option<crate::trace::MeasuredCounts>,
}

/// The report of every crate of the audit.
#[must_use]
pub fn report(audit: &Audit, issues: &[Issue]) -> String {
    let mut out = String::new();
    for krate in &audit.crates {
        let registry = audit
            .registries
            .get(krate)
            .cloned()
            .unwrap_or_else(engine::default_registry);
        let items: Vec<&CoordItem> = audit.items.iter().filter(|i| &i.krate == krate).collect();
        let measured = crate::trace::CrateTrace::of(audit, krate, &registry).measured_counts();
        let report = CrateReport {
            measured,
            krate,
            registry: &registry,
            coverage: Coverage::infer(&audit.root, &items),
            items,
            flags: issues.iter().filter(|i| &i.krate == krate).collect(),
            links: audit.evidence.of_crate(krate).collect(),
        };
        report.write(&mut out);
        crate::trace::markdown(&mut out, audit, krate);
    }
    out
}

impl CrateReport<'_> {
    fn write(&self, out: &mut String) {
        let _ = writeln!(out, "# Coordination audit: `{}`\n", self.krate);
        self.summary(out);
        self.patterns(out);
        let _ = writeln!(out, "## Inline Audit\n");
        if self.items.is_empty() {
            let _ = writeln!(out, "No annotated coordination items.\n");
        } else {
            self.inline_audit(out);
        }
        self.monotonicity(out);
        self.flags(out);
        self.missing_coverage(out);
    }

    /// How a test reaches each item, in item order.
    fn exercised(&self) -> Vec<Option<Exercised>> {
        self.items
            .iter()
            .map(|i| self.coverage.of(i, &self.items))
            .collect()
    }

    /// The one-screen summary: items, patterns, decisions and who upholds them, findings,
    /// coverage.
    fn summary(&self, out: &mut String) {
        let _ = writeln!(out, "## Summary\n");
        let mut shapes: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &self.items {
            *shapes.entry(i.shape).or_default() += 1;
        }
        let shapes: Vec<String> = shapes.iter().map(|(s, n)| format!("{n} {s}")).collect();
        let _ = writeln!(
            out,
            "- **Items**: {} annotated ({})",
            self.items.len(),
            if shapes.is_empty() {
                "none".into()
            } else {
                shapes.join(", ")
            }
        );
        let mut patterns: Vec<(String, usize)> = Vec::new();
        for id in self.items.iter().flat_map(|i| i.model.pattern_ids()) {
            match patterns.iter_mut().find(|(p, _)| *p == id) {
                Some((_, n)) => *n += 1,
                None => patterns.push((id, 1)),
            }
        }
        let patterns: Vec<String> = patterns.iter().map(|(p, n)| format!("{p} ({n})")).collect();
        let _ = writeln!(
            out,
            "- **Patterns** (items): {}",
            if patterns.is_empty() {
                "none".into()
            } else {
                patterns.join(", ")
            }
        );
        let _ = writeln!(out, "- **Decisions**: {}", self.decisions_upheld());
        let n = |l| self.flags.iter().filter(|f| f.level == l).count();
        let _ = writeln!(
            out,
            "- **Flags**: {} BLOCK, {} WARN",
            n(Severity::Block),
            n(Severity::Warn)
        );
        let _ = writeln!(out, "- **Coverage** {}\n", self.coverage_line());
    }

    /// `D2.3 by `Store::checkpoint`; D2.1 by no item`: the locked decisions this crate's
    /// patterns fall under or its items uphold.
    fn decisions_upheld(&self) -> String {
        let used: Vec<String> = self
            .items
            .iter()
            .flat_map(|i| i.model.pattern_ids())
            .collect();
        let parts: Vec<String> = self
            .registry
            .decisions
            .iter()
            .filter_map(|d| {
                let by: Vec<String> = self
                    .items
                    .iter()
                    .filter(|i| i.model.upholds(&d.id))
                    .map(|i| format!("`{}`", short(&i.path)))
                    .collect();
                if !by.is_empty() {
                    Some(format!("{} by {}", d.id, by.join(", ")))
                } else if d.patterns.iter().any(|p| used.contains(p)) {
                    Some(format!("{} by no item", d.id))
                } else {
                    None
                }
            })
            .collect();
        if parts.is_empty() {
            "none upheld or in question".into()
        } else {
            parts.join("; ")
        }
    }

    /// How many items with checks a test runs, and what is left for Missing Coverage.
    fn coverage_line(&self) -> String {
        let exercised = self.exercised();
        let with_checks: Vec<usize> = (0..self.items.len())
            .filter(|&k| !self.items[k].model.checks.is_empty())
            .collect();
        let run = with_checks
            .iter()
            .filter(|&&k| exercised[k].is_some())
            .count();
        let checks: usize = with_checks
            .iter()
            .map(|&k| self.items[k].model.checks.len())
            .sum();
        let unchecked = (0..self.items.len())
            .filter(|&k| checklists::checks_nothing(self.items[k]))
            .count();
        match &self.measured {
            Some(m) => format!(
                "(measured by the test run recorded in `{}`): {} of the {} declared checks \
                 evaluated ({} of them only on refused calls), {} by no test (see Coverage \
                 Measured by a Test Run); {unchecked} function(s) declare no check and no test",
                m.source,
                m.evaluated + m.only_refused,
                m.declared,
                m.only_refused,
                m.declared - m.evaluated - m.only_refused
            ),
            None => format!(
                "(inferred): {run} of the {} items that declare checks ({checks} check(s) in all) \
                 run under a test; {unchecked} function(s) declare no check and no test; no \
                 test-run record was read, so this is inferred from the annotations and the calls \
                 in the source (see Missing Coverage)",
                with_checks.len()
            ),
        }
    }

    /// Each pattern of the crate once: invariant, violation scenario, references.
    fn patterns(&self, out: &mut String) {
        let _ = writeln!(out, "## Patterns\n");
        let mut seen: Vec<&str> = Vec::new();
        for p in self.items.iter().flat_map(|i| &i.model.patterns) {
            if seen.contains(&p.id.as_str()) {
                continue;
            }
            seen.push(&p.id);
            let _ = writeln!(out, "**Pattern: {}** ({})", p.id, p.name);
            let _ = writeln!(out, "- **Invariant**: {}", p.safety);
            if !p.liveness.is_empty() {
                let _ = writeln!(out, "- **Liveness**: {}", p.liveness);
            }
            if !p.violation.is_empty() {
                let _ = writeln!(out, "- **Violation scenario**: {}", p.violation);
            }
            let _ = writeln!(out, "- **Reference**: {}\n", self.references(&p.id));
        }
        if seen.is_empty() {
            let _ = writeln!(out, "No pattern is named.\n");
        }
    }

    /// The works this crate's items cite that support `pattern`, strongest first.
    fn references(&self, pattern: &str) -> String {
        let mut cited: Vec<&engine::CitationModel> = Vec::new();
        for c in self
            .items
            .iter()
            .filter(|i| i.model.has_pattern(pattern))
            .flat_map(|i| &i.model.citations)
        {
            let supports = self
                .registry
                .citation(&c.id)
                .is_some_and(|r| r.supports(pattern));
            if supports && !cited.iter().any(|k| k.id == c.id) {
                cited.push(c);
            }
        }
        cited.sort_by_key(|c| std::cmp::Reverse(c.level));
        if cited.is_empty() {
            return "no cited work of the registry supports it".into();
        }
        cited
            .iter()
            .map(|c| c.provenance())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// One row per item: patterns, item, location, checks, evidence, verification.
    fn inline_audit(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "Invariant, violation scenario and references of each pattern: see Patterns.\n\n\
             | Pattern | Item | Location | Checks | Reference | Verification |\n\
             |---------|------|----------|--------|-----------|--------------|"
        );
        for (item, exercised) in self.items.iter().zip(self.exercised()) {
            let m = &item.model;
            let checks: Vec<String> = m.checks.iter().map(CheckModel::described).collect();
            let mut refs: Vec<String> = m
                .citations
                .iter()
                .map(|c| format!("`{}` (level {})", c.id, c.level))
                .collect();
            refs.extend(
                m.cites_written
                    .iter()
                    .filter(|id| !m.citations.iter().any(|c| &c.id == *id))
                    .map(|id| format!("`{id}` (not in the registry)")),
            );
            if let Some(n) = &m.novel {
                refs.push(engine::EvidenceLevel::novel_provenance(n));
            }
            let _ = writeln!(
                out,
                "| {} | `{}` ({}) | {}:{}-{} | {} | {} | {} |",
                cell(&m.joined(|p| &p.id, ", ")),
                item.path,
                item.shape,
                item.file,
                item.first_line,
                item.last_line,
                cell(&or_none(&checks, "none")),
                cell(&or_none(&refs, "none")),
                cell(&verification(item, exercised.as_ref()))
            );
        }
        let _ = writeln!(out);
    }
}

fn or_none(parts: &[String], none: &str) -> String {
    if parts.is_empty() {
        none.to_string()
    } else {
        parts.join("; ")
    }
}

/// What verifies an item: its declared tests, else how a test reaches it (inferred).
fn verification(item: &CoordItem, exercised: Option<&Exercised>) -> String {
    let m = &item.model;
    let mut parts: Vec<String> = Vec::new();
    if m.test {
        parts.push("generated property test".into());
    }
    parts.extend(m.verify.iter().map(|v| format!("`{v}`")));
    match exercised {
        Some(Exercised::OwnTest | Exercised::Verify(_)) | None => {}
        Some(e) => parts.push(format!("inferred: {}", e.describe())),
    }
    or_none(&parts, "none")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Kind, Upholds};

    fn check(upholds: Option<Upholds>, source: &str) -> CheckModel {
        CheckModel {
            kind: Kind::Holds,
            written: "holds(x)".into(),
            upholds,
            source: (!source.is_empty()).then(|| source.to_string()),
            label: String::new(),
        }
    }

    /// A decision is upheld; a citation is a source, never something upheld.
    #[test]
    fn a_check_without_a_decision_names_its_source() {
        let d = check(Some(Upholds::Decision("D2.3".into())), "bacon-2017");
        assert_eq!(
            CheckModel::described(&d),
            "`holds(x)` (upholds D2.3; source bacon-2017)"
        );
        let rule = check(Some(Upholds::PatternRule("fencing")), "burrows-2006");
        assert_eq!(
            CheckModel::described(&rule),
            "`holds(x)` (upholds the `fencing` rule; source burrows-2006)"
        );
        let none = check(None, "gray-cheriton-1989");
        assert_eq!(
            CheckModel::described(&none),
            "`holds(x)` (source gray-cheriton-1989)"
        );
        assert_eq!(CheckModel::described(&check(None, "")), "`holds(x)`");
    }

    fn weak(item: &str, line: usize) -> Issue {
        let mut i = Issue::new(
            engine::Code::WeakEvidence,
            "k",
            Some("src/lib.rs"),
            crate::model::Region::line(Some(&"x\n".repeat(line)), line),
            "the strongest evidence for `lease` is \"leach-2017\", level 2".into(),
            "why".into(),
            "fix".into(),
            crate::model::Source::Annotation,
        );
        i.item = Some(item.into());
        i
    }

    /// Findings that say the same of several items are one row that names them.
    #[test]
    fn flags_are_one_row_per_distinct_finding() {
        let issues = [weak("a::one", 3), weak("a::two", 7), weak("b::three", 9)];
        let registry = engine::default_registry();
        let report = CrateReport {
            krate: "k",
            registry: &registry,
            items: Vec::new(),
            flags: issues.iter().collect(),
            coverage: Coverage::default(),
            links: Vec::new(),
            measured: None,
        };
        let mut out = String::new();
        report.flags(&mut out);
        let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| WARN")).collect();
        assert_eq!(
            rows,
            [
                "| WARN | 3 places: `a::one` (src/lib.rs:3), `a::two` (src/lib.rs:7), `b::three` (src/lib.rs:9) | DA0010 the strongest evidence for `lease` is \"leach-2017\", level 2 |"
            ]
        );
    }
}
