//! The report's checks of a crate as a whole: the Monotonicity & Ordering Check, the Flags
//! (one row per distinct finding, with the items it covers) and Missing Coverage.

use super::{CrateReport, cell, short};
use crate::engine::{self, ORDERING_CHECKS, OrderingCheck, Upholds};
use crate::model::{CoordItem, Issue};
use std::fmt::Write as _;

/// Findings that say the same thing of several places: one row.
struct FlagRow<'a> {
    first: &'a Issue,
    at: Vec<&'a Issue>,
}

impl CrateReport<'_> {
    pub(super) fn monotonicity(&self, out: &mut String) {
        let _ = writeln!(out, "### Monotonicity & Ordering Check");
        let exercised = self.exercised();
        for b in &ORDERING_CHECKS {
            let proving: Vec<usize> = (0..self.items.len())
                .filter(|&k| {
                    let i = self.items[k];
                    // A check upholding the box's decision or rule, or what the engine
                    // says the item's checks meet (a team decision that refines one, a
                    // fence held against its entry value).
                    !i.blocked
                        && (i.model.checks.iter().any(|c| match &c.upholds {
                            Some(Upholds::Decision(d)) => b.decisions.contains(&d.as_str()),
                            Some(Upholds::PatternRule(r)) => b.rule == Some(*r),
                            None => false,
                        }) || i
                            .model
                            .meets
                            .iter()
                            .any(|m| b.decisions.contains(&m.id()) || b.rule == Some(m.id())))
                })
                .collect();
            let relevant = self.items.iter().any(|i| i.model.has_pattern(b.pattern))
                || self
                    .flags
                    .iter()
                    .any(|f| f.patterns.iter().any(|p| p == b.pattern));
            let upholding = b
                .decisions
                .iter()
                .chain(&b.rule)
                .copied()
                .collect::<Vec<_>>()
                .join(" or ");
            let model_checked = self.model_checked(b);
            let model = if model_checked.is_empty() {
                String::new()
            } else {
                format!("; {}", model_checked.join(", "))
            };
            if !proving.is_empty() {
                let names = |run: bool| -> Vec<String> {
                    proving
                        .iter()
                        .filter(|&&k| exercised[k].is_some() == run)
                        .map(|&k| format!("`{}`", self.items[k].path))
                        .collect()
                };
                let unrun = names(false);
                let tests = if unrun.is_empty() {
                    "each runs under a test (inferred)".to_string()
                } else {
                    format!("no test runs {} (inferred)", unrun.join(", "))
                };
                let mut all = names(true);
                all.extend(unrun);
                let _ = writeln!(
                    out,
                    "- [x] {}: checked at run time by checks upholding {upholding} on {}; {tests}{model}",
                    b.label,
                    all.join(", ")
                );
            } else if relevant {
                let _ = writeln!(
                    out,
                    "- [ ] {}: BLOCK, no declared check of an item the engine accepts upholds {upholding}{model}",
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

    /// What model-checks a box: each covered, machine-checked `[[evidence]]` link (level 5)
    /// that covers one of the box's decisions or a decision governing its pattern, as
    /// `model-checked (TLA+) by `specs/S.tla#Op``, `proved (Kani) by ..`. A run-time check
    /// is never called either.
    fn model_checked(&self, b: &OrderingCheck) -> Vec<String> {
        self.links
            .iter()
            .filter(|l| l.level_five())
            .filter(|l| {
                l.link.covers.iter().any(|d| {
                    b.decisions.contains(&d.as_str())
                        || self
                            .registry
                            .decision(d)
                            .is_some_and(|d| d.patterns.iter().any(|p| p == b.pattern))
                })
            })
            .map(|l| l.described())
            .collect()
    }

    /// The crate's findings, one row per (severity, code, message): the message of a
    /// finding names its pattern and citation, so the items it covers share one row.
    pub(super) fn flags(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "### Flags\n| Severity | Location | Issue |\n|----------|----------|-------|"
        );
        let mut rows: Vec<FlagRow<'_>> = Vec::new();
        for f in &self.flags {
            match rows
                .iter_mut()
                .find(|r| r.first.code == f.code && r.first.what == f.what)
            {
                Some(r) => r.at.push(f),
                None => rows.push(FlagRow {
                    first: f,
                    at: vec![f],
                }),
            }
        }
        for r in &rows {
            let location = if let [one] = r.at.as_slice() {
                one.location()
            } else {
                let places: Vec<String> =
                    r.at.iter()
                        .map(|i| match &i.item {
                            Some(item) => format!("`{}` ({})", short(item), i.location()),
                            None => i.location(),
                        })
                        .collect();
                format!("{} places: {}", places.len(), places.join(", "))
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} {} |",
                r.first.level,
                cell(&location),
                r.first.code,
                cell(&r.first.what)
            );
        }
        let _ = writeln!(out);
    }

    pub(super) fn missing_coverage(&self, out: &mut String) {
        let how = if self.measured.is_some() {
            "A test-run record was read: the declared checks no test evaluated, or only on \
             refused calls, are listed under Coverage Measured by a Test Run. A record speaks \
             only for declared checks, so what follows is inferred from the source: an item's \
             checks count as exercised when its generated test or its impl's state-machine test \
             runs it, when it is a trait contract or type invariant of an audited impl whose \
             method runs, or when a test calls it (calls matched by name)."
        } else {
            "Inferred, without a test-run record: an item's checks count as exercised when its \
             generated test or its impl's state-machine test runs it, when it is a trait \
             contract or type invariant of an audited impl whose method runs, or when a test \
             calls it, directly or through other functions (calls matched by name)."
        };
        let _ = writeln!(
            out,
            "### Missing Coverage\n{how}\n\n\
             | Pattern | Invariant | Suggested Verification |\n\
             |---------|-----------|------------------------|"
        );
        let exercised = self.exercised();
        for (item, run) in self.items.iter().zip(&exercised) {
            item_gap(out, item, run.as_ref());
        }
        let used: Vec<String> = self
            .items
            .iter()
            .flat_map(|i| i.model.pattern_ids())
            .collect();
        for decision in &self.registry.decisions {
            if !decision.patterns.iter().any(|p| used.contains(p)) {
                continue;
            }
            if !self.items.iter().any(|i| i.model.upholds(&decision.id)) {
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
}

/// Whether an item is a function that declares no check, no `test` and no `verify`: a
/// type is verified through its methods, a function only through what it declares.
pub(super) fn checks_nothing(item: &CoordItem) -> bool {
    let m = &item.model;
    [
        engine::shapes::FUNCTION,
        engine::shapes::METHOD,
        engine::shapes::TRAIT_METHOD,
    ]
    .contains(&item.shape)
        && m.checks.is_empty()
        && !m.test
        && m.verify.is_empty()
}

/// The Missing Coverage row of one item, if it has a gap: checks no test runs, or a
/// function that declares nothing to check.
fn item_gap(out: &mut String, item: &CoordItem, run: Option<&super::Exercised>) {
    let m = &item.model;
    let pats = m.joined(|p| &p.id, ", ");
    if m.checks.is_empty() {
        // A trait's declaration that states its patterns and no check leaves the checks to
        // the impls that inherit it; one of them runs under a test, and any gap of its own
        // is that method's row.
        let inherited_and_run = item.shape == engine::shapes::TRAIT_METHOD
            && matches!(run, Some(super::Exercised::Inherited(_)));
        if checks_nothing(item) && !inherited_and_run {
            let how = match run {
                Some(e) => format!("{}, but it declares no check", e.describe()),
                None => "no `test`, no `verify`, no test calls it".into(),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` ({how}): {} | declare the invariant as a check and add `test`, or name a test with `verify` |",
                cell(&pats),
                item.path,
                cell(&m.joined(|p| &p.safety, " "))
            );
        }
        return;
    }
    if run.is_some() {
        return;
    }
    let checks: Vec<String> = m
        .checks
        .iter()
        .map(|c| format!("`{}`", c.written))
        .collect();
    let mut suggestions: Vec<&str> = m
        .checks
        .iter()
        .map(|c| engine::verification(c.kind))
        .collect();
    suggestions.sort_unstable();
    suggestions.dedup();
    let _ = writeln!(
        out,
        "| {} | `{}`: {} (no test runs it) | {}: add `test` to the annotation, or call it from a test |",
        cell(&pats),
        item.path,
        cell(&checks.join("; ")),
        cell(&suggestions.join("; "))
    );
}
