//! The implementation-mode report of `report-formats.md`, per crate: inline audit,
//! Monotonicity & Ordering Check, Flags, Missing Coverage. Cells come from the engine's
//! resolved model of each annotation and from the registry, never from invented text.

use crate::engine::{self, CheckModel, ORDERING_CHECKS, Registry, Upholds};
use crate::model::{CoordItem, Issue};
use crate::workspace::Audit;
use std::fmt::Write as _;

/// Text for a markdown table cell: pipes escaped, one line.
pub(crate) fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// What a property test of one check states: the kind's suggested verification, with the
/// check as written.
fn verification_of(c: &CheckModel) -> String {
    format!("{} (`{}`)", engine::verification(c.kind), c.written)
}

fn names(items: &[&CoordItem]) -> String {
    items
        .iter()
        .map(|i| format!("`{}`", i.path))
        .collect::<Vec<_>>()
        .join(", ")
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
        let flags: Vec<&Issue> = issues.iter().filter(|i| &i.krate == krate).collect();
        crate_report(&mut out, krate, &registry, &items, &flags);
        crate::trace::markdown(&mut out, audit, krate);
    }
    out
}

fn crate_report(
    out: &mut String,
    krate: &str,
    registry: &Registry,
    items: &[&CoordItem],
    flags: &[&Issue],
) {
    let _ = writeln!(out, "# Coordination audit: `{krate}`\n");
    let _ = writeln!(out, "## Inline Audit\n");
    if items.is_empty() {
        let _ = writeln!(out, "No annotated coordination items.\n");
    }
    for item in items {
        inline_block(out, item);
    }
    monotonicity(out, items, flags);
    let _ = writeln!(
        out,
        "### Flags\n| Severity | Location | Issue |\n|----------|----------|-------|"
    );
    for f in flags {
        let _ = writeln!(
            out,
            "| {} | {} | {} {} |",
            f.level,
            cell(&f.location()),
            f.code,
            cell(&f.what)
        );
    }
    let _ = writeln!(out);
    missing_coverage(out, registry, items);
}

fn inline_block(out: &mut String, item: &CoordItem) {
    let m = &item.model;
    let _ = writeln!(
        out,
        "**Pattern: {}** ({}:{}-{})",
        m.joined(|p| &p.id, ", "),
        item.file,
        item.first_line,
        item.last_line
    );
    let _ = writeln!(out, "- **Item**: `{}` ({})", item.path, item.shape);
    let mut invariants: Vec<String> = m
        .patterns
        .iter()
        .map(|p| format!("{}: {}", p.name, p.safety))
        .collect();
    invariants.extend(m.checks.iter().map(CheckModel::described));
    let _ = writeln!(
        out,
        "- **Invariant**: {}",
        if invariants.is_empty() {
            "none declared".into()
        } else {
            invariants.join("; ")
        }
    );
    let mut refs = m.provenance();
    refs.extend(
        m.cites_written
            .iter()
            .filter(|id| !m.citations.iter().any(|c| &c.id == *id))
            .map(|id| format!("`{id}` (not in the registry)")),
    );
    let _ = writeln!(
        out,
        "- **Reference**: {}",
        if refs.is_empty() {
            "none".into()
        } else {
            refs.join("; ")
        }
    );
    let scenarios: Vec<String> = m
        .patterns
        .iter()
        .filter(|p| !p.violation.is_empty())
        .map(|p| format!("{}: {}", p.id, p.violation))
        .collect();
    let _ = writeln!(
        out,
        "- **Violation scenario**: {}",
        if scenarios.is_empty() {
            "the registry gives no violation scenario for these patterns".into()
        } else {
            scenarios.join("; ")
        }
    );
    let mut verification: Vec<String> = Vec::new();
    if m.test {
        verification.extend(m.checks.iter().map(verification_of));
        if m.checks.is_empty() {
            verification.push("generated property test (`test`)".into());
        }
    }
    verification.extend(m.verify.iter().map(|v| format!("`{v}`")));
    let _ = writeln!(
        out,
        "- **Verification**: {}\n",
        if verification.is_empty() {
            "none declared".into()
        } else {
            verification.join("; ")
        }
    );
}

fn monotonicity(out: &mut String, items: &[&CoordItem], flags: &[&Issue]) {
    let _ = writeln!(out, "### Monotonicity & Ordering Check");
    for b in &ORDERING_CHECKS {
        let proving: Vec<&CoordItem> = items
            .iter()
            .copied()
            .filter(|i| {
                !i.blocked
                    && i.model.checks.iter().any(|c| match &c.upholds {
                        Some(Upholds::Decision(d)) => b.decisions.contains(&d.as_str()),
                        Some(Upholds::PatternRule(r)) => b.rule == Some(*r),
                        None => false,
                    })
            })
            .collect();
        let relevant = items.iter().any(|i| i.model.has_pattern(b.pattern))
            || flags
                .iter()
                .any(|f| f.patterns.iter().any(|p| p == b.pattern));
        let upholding = b
            .decisions
            .iter()
            .chain(&b.rule)
            .copied()
            .collect::<Vec<_>>()
            .join(" or ");
        if !proving.is_empty() {
            let _ = writeln!(
                out,
                "- [x] {}: checked at run time by checks upholding {upholding} on {}",
                b.label,
                names(&proving)
            );
        } else if relevant {
            let _ = writeln!(
                out,
                "- [ ] {}: BLOCK, no declared check of an item the engine accepts upholds {upholding}",
                b.label
            );
        } else {
            let _ = writeln!(
                out,
                "- [ ] {}: no `{}` code in this crate",
                b.label, b.pattern
            );
        }
    }
    let _ = writeln!(out);
}

fn missing_coverage(out: &mut String, registry: &Registry, items: &[&CoordItem]) {
    let _ = writeln!(
        out,
        "### Missing Coverage\n| Pattern | Invariant | Suggested Verification |\n|---------|-----------|------------------------|"
    );
    for item in items {
        let m = &item.model;
        let pats = m.joined(|p| &p.id, ", ");
        if m.test {
            continue;
        }
        // A type is verified through its methods: it needs a row only for checks of its own.
        let function = [
            engine::shapes::FUNCTION,
            engine::shapes::METHOD,
            engine::shapes::TRAIT_METHOD,
        ]
        .contains(&item.shape);
        if function && m.verify.is_empty() && m.checks.is_empty() {
            let safety = m.joined(|p| &p.safety, " ");
            let _ = writeln!(
                out,
                "| {} | `{}` (no `test`, no `verify`): {} | declare the invariant as a check and add `test`, or name a test with `verify` |",
                cell(&pats),
                item.path,
                cell(&safety)
            );
        }
        // A check that no generated test exercises (a `verify` test may, but nothing
        // here shows which checks it reaches).
        for c in &m.checks {
            let _ = writeln!(
                out,
                "| {} | `{}`: `{}` (no generated test exercises it) | {} |",
                cell(&pats),
                item.path,
                cell(&c.written),
                cell(&format!(
                    "{}: add `test` to the annotation",
                    engine::verification(c.kind)
                ))
            );
        }
    }
    let used: Vec<String> = items.iter().flat_map(|i| i.model.pattern_ids()).collect();
    for decision in &registry.decisions {
        if !decision.patterns.iter().any(|p| used.contains(p)) {
            continue;
        }
        if !items.iter().any(|i| i.model.upholds(&decision.id)) {
            let _ = writeln!(
                out,
                "| {} | {}: {} (no item upholds this locked decision) | an item that implements `{}` with a check that proves it |",
                cell(&decision.patterns.join(", ")),
                decision.id,
                cell(&decision.statement),
                decision.id
            );
        }
    }
    let _ = writeln!(out);
}
