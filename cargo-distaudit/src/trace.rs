//! The traceability table of a crate, in the spirit of requirement-tracing tools: each
//! decision (the default registry's and the crate's own, `S1`..) against the items whose
//! checks uphold it or that implement it, those checks, the tests, and the specs and proofs
//! linked to it, with its state: COVERED, UNCOVERED, ORPHANED or OUTDATED. Beside it, the
//! crate's evidence links and, with a test run's record (`--coverage`), the checks that run
//! measured: evaluated by no test, or only in refused calls.
//!
//! [`markdown`] writes the section of the reviewer's report and [`json()`] the value of the
//! JSON document's `traceability` key (see SCHEMA.md); both read one [`CrateTrace`].

use crate::engine::{CheckModel, Code, Registry, Upholds};
use crate::evidence::measured::{CheckRun, Record};
use crate::evidence::{CheckedLink, LinkState};
use crate::model::CoordItem;
use crate::workspace::Audit;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// A decision's state in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceState {
    /// A check upholds it, or a confirmed link covers it, and no link of it is broken.
    Covered,
    /// Neither a check nor any evidence link.
    Uncovered,
    /// A link covering it changed since it was confirmed.
    Outdated,
    /// A link covering it points at nothing.
    Orphaned,
}

impl TraceState {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            TraceState::Covered => "COVERED",
            TraceState::Uncovered => "UNCOVERED",
            TraceState::Outdated => "OUTDATED",
            TraceState::Orphaned => "ORPHANED",
        }
    }
}

/// One declared check that upholds a decision, where it is, and how often it ran.
#[derive(Clone, Debug)]
pub struct TracedCheck<'a> {
    pub item: &'a CoordItem,
    pub check: &'a CheckModel,
    /// From the test run's record, when one was given.
    pub run: Option<CheckRun>,
}

/// One row: a decision and what traces to it.
#[derive(Clone, Debug)]
pub struct DecisionTrace<'a> {
    pub id: String,
    pub title: String,
    /// From the crate's own `distaudit.toml`.
    pub own: bool,
    /// Items that implement it or whose checks uphold it.
    pub items: Vec<&'a CoordItem>,
    pub checks: Vec<TracedCheck<'a>>,
    /// The codes by which the attribute refuses code that contradicts it (`DA0030` for
    /// D2.1), when an item the engine accepts upholds it: enforced at compile time.
    pub compile_time: Vec<Code>,
    /// `verify` tests and generated tests of those items.
    pub tests: Vec<String>,
    /// Links covering it: specs and proofs, then tests and simulations.
    pub links: Vec<&'a CheckedLink>,
    pub state: TraceState,
}

impl DecisionTrace<'_> {
    /// Level-5 evidence: a confirmed machine-checked artefact covers it.
    #[must_use]
    pub fn level_five(&self) -> bool {
        self.links.iter().any(|l| l.level_five())
    }
}

/// One crate's traceability.
pub struct CrateTrace<'a> {
    pub krate: &'a str,
    pub decisions: Vec<DecisionTrace<'a>>,
    /// Default decisions that govern none of the crate's patterns and that nothing covers.
    pub not_applicable: Vec<String>,
    pub links: Vec<&'a CheckedLink>,
    /// Every declared check of the crate with its run, when a record was given.
    pub measured: Option<(&'a Record, Vec<TracedCheck<'a>>)>,
}

fn upholds(check: &CheckModel, decision: &str) -> bool {
    matches!(&check.upholds, Some(Upholds::Decision(d)) if d == decision)
}

/// What a test-run record says of a crate's declared checks, in counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasuredCounts {
    /// The record's directory, as given.
    pub source: String,
    pub declared: usize,
    /// Evaluated at least once on an accepted call (or outside a state machine).
    pub evaluated: usize,
    /// Evaluated only on calls the receiver refused.
    pub only_refused: usize,
}

impl<'a> CrateTrace<'a> {
    /// The counts of the test-run record over the crate's declared checks, when one was
    /// given.
    #[must_use]
    pub fn measured_counts(&self) -> Option<MeasuredCounts> {
        let (record, checks) = self.measured.as_ref()?;
        let ran = |c: &&TracedCheck<'_>| c.run.as_ref().is_some_and(|r| r.evaluated > 0);
        let only_refused = checks
            .iter()
            .filter(ran)
            .filter(|c| c.run.as_ref().is_some_and(CheckRun::only_refused))
            .count();
        Some(MeasuredCounts {
            source: record.source.display().to_string(),
            declared: checks.len(),
            evaluated: checks.iter().filter(ran).count() - only_refused,
            only_refused,
        })
    }

    /// The trace of `krate` in `audit`.
    #[must_use]
    pub fn of(audit: &'a Audit, krate: &'a str, registry: &'a Registry) -> CrateTrace<'a> {
        let items: Vec<&CoordItem> = audit.items.iter().filter(|i| i.krate == krate).collect();
        let links: Vec<&CheckedLink> = audit.evidence.of_crate(krate).collect();
        let record = audit.evidence.coverage.as_ref();
        let run = |item: &CoordItem, check: &CheckModel| record.map(|r| r.check(item, check));
        let mut decisions = Vec::new();
        let mut not_applicable = Vec::new();
        for d in &registry.decisions {
            let upholding: Vec<&CoordItem> = items
                .iter()
                .copied()
                .filter(|i| i.model.upholds(&d.id))
                .collect();
            let covering: Vec<&CheckedLink> = links
                .iter()
                .copied()
                .filter(|l| l.link.covers.contains(&d.id))
                .collect();
            let governs = items
                .iter()
                .any(|i| d.patterns.iter().any(|p| i.model.has_pattern(p)));
            if !d.origin.project && !governs && upholding.is_empty() && covering.is_empty() {
                not_applicable.push(d.id.clone());
                continue;
            }
            let checks: Vec<TracedCheck> = upholding
                .iter()
                .flat_map(|i| {
                    i.model
                        .checks
                        .iter()
                        .filter(|c| upholds(c, &d.id))
                        .map(|c| TracedCheck {
                            item: i,
                            check: c,
                            run: run(i, c),
                        })
                })
                .collect();
            let mut tests: Vec<String> = Vec::new();
            for i in &upholding {
                tests.extend(i.model.verify.iter().map(|v| format!("`{v}`")));
                if i.model.test {
                    tests.push(format!("generated test of `{}`", i.path));
                }
                // A type's invariant is checked after the tested methods of its impls.
                let name = i.path.rsplit("::").next().unwrap_or(&i.path);
                let type_tested = [crate::engine::shapes::STRUCT, crate::engine::shapes::ENUM]
                    .contains(&i.shape)
                    && items
                        .iter()
                        .any(|m| m.model.test && m.scope.self_type.as_deref() == Some(name));
                if type_tested {
                    tests.push(format!(
                        "the generated tests of `{name}`'s methods (type invariant)"
                    ));
                }
            }
            let compile_time: Vec<Code> = if upholding.iter().any(|i| !i.blocked) {
                Code::all()
                    .into_iter()
                    .filter(|c| c.locked_decisions().contains(&d.id.as_str()))
                    .collect()
            } else {
                Vec::new()
            };
            let state = state_of(!checks.is_empty() || !compile_time.is_empty(), &covering);
            decisions.push(DecisionTrace {
                id: d.id.clone(),
                title: d.title.clone(),
                own: d.origin.project,
                items: upholding,
                checks,
                compile_time,
                tests,
                links: covering,
                state,
            });
        }
        let measured = record.map(|r| {
            let all = items
                .iter()
                .flat_map(|i| {
                    i.model.checks.iter().map(|c| TracedCheck {
                        item: i,
                        check: c,
                        run: Some(r.check(i, c)),
                    })
                })
                .collect();
            (r, all)
        });
        CrateTrace {
            krate,
            decisions,
            not_applicable,
            links,
            measured,
        }
    }
}

/// The worst link state wins; else a check (at run time or compile time) or a confirmed link
/// covers it.
fn state_of(checked: bool, links: &[&CheckedLink]) -> TraceState {
    if links.iter().any(|l| l.state == LinkState::Orphaned) {
        TraceState::Orphaned
    } else if links.iter().any(|l| l.state == LinkState::Outdated) {
        TraceState::Outdated
    } else if !checked && links.is_empty() {
        TraceState::Uncovered
    } else {
        TraceState::Covered
    }
}

/// Text for a markdown table cell: pipes escaped, one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A long list of items cut to its first three and a count.
fn few(mut parts: Vec<String>) -> Vec<String> {
    if parts.len() > 6 {
        let more = parts.len() - 3;
        parts.truncate(3);
        parts.push(format!("and {more} more"));
    }
    parts
}

fn or_dash(parts: &[String]) -> String {
    if parts.is_empty() {
        "—".into()
    } else {
        cell(&parts.join("; "))
    }
}

/// `×12` (or `never run`, `×3, only refused`) for a check with a record.
fn runs(run: Option<&CheckRun>) -> String {
    match run {
        None => String::new(),
        Some(r) if r.evaluated == 0 => " (never run)".into(),
        Some(r) if r.only_refused() => format!(" (×{}, only refused calls)", r.evaluated),
        Some(r) => format!(" (×{})", r.evaluated),
    }
}

fn link_cell(l: &CheckedLink) -> String {
    let level = if l.level_five() { ", level 5" } else { "" };
    format!(
        "`{}` {} ({}{level})",
        l.link.id,
        l.link.kind.verb(),
        l.state.name()
    )
}

/// The crate's section of the markdown report: the traceability table, the evidence links,
/// and the coverage a test run measured (or the line saying it is inferred).
pub fn markdown(out: &mut String, audit: &Audit, krate: &str) {
    let default;
    let registry = match audit.registries.get(krate) {
        Some(r) => r.as_ref(),
        None => {
            default = crate::engine::default_registry();
            default.as_ref()
        }
    };
    let t = CrateTrace::of(audit, krate, registry);
    let _ = writeln!(out, "### Traceability");
    if t.decisions.is_empty() {
        let _ = writeln!(
            out,
            "No decision applies: no item embodies a pattern a decision governs, and the crate's distaudit.toml has none of its own.\n"
        );
        links_markdown(out, &t);
        measured_markdown(out, &t);
        return;
    }
    let _ = writeln!(
        out,
        "| Decision | Upheld by | Checks | Tests | Specs & proofs | State |\n|----------|-----------|--------|-------|----------------|-------|"
    );
    for d in &t.decisions {
        let items = few(d.items.iter().map(|i| format!("`{}`", i.path)).collect());
        // One check written once for many items (an impl-wide or type-wide check) is one
        // entry; the JSON keeps every item.
        let mut checks: Vec<String> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for c in &d.checks {
            let written = c.check.written.as_str();
            if seen.contains(&written) {
                continue;
            }
            seen.push(written);
            let on: Vec<&TracedCheck<'_>> = d
                .checks
                .iter()
                .filter(|o| o.check.written == written)
                .collect();
            if let [one] = on.as_slice() {
                checks.push(format!(
                    "`{written}` on `{}`{}",
                    one.item.path,
                    runs(one.run.as_ref())
                ));
            } else {
                checks.push(format!("`{written}` on {} items", on.len()));
            }
        }
        if !d.compile_time.is_empty() {
            let codes: Vec<String> = d.compile_time.iter().map(ToString::to_string).collect();
            checks.push(format!("compile time: {}", codes.join(", ")));
        }
        let (specs, executable): (Vec<&CheckedLink>, Vec<&CheckedLink>) =
            d.links.iter().partition(|l| l.link.kind.machine_checked());
        let generated = d
            .tests
            .iter()
            .filter(|t| t.starts_with("generated test of "))
            .count();
        let mut tests: Vec<String> = if generated > 3 {
            let mut rest: Vec<String> = d
                .tests
                .iter()
                .filter(|t| !t.starts_with("generated test of "))
                .cloned()
                .collect();
            rest.insert(0, format!("the generated tests of {generated} items"));
            rest
        } else {
            d.tests.clone()
        };
        tests.extend(executable.iter().map(|l| link_cell(l)));
        let specs: Vec<String> = specs.iter().map(|l| link_cell(l)).collect();
        let own = if d.own { " (own)" } else { "" };
        let _ = writeln!(
            out,
            "| {}{own}: {} | {} | {} | {} | {} | {} |",
            d.id,
            cell(&d.title),
            or_dash(&items),
            or_dash(&checks),
            or_dash(&tests),
            or_dash(&specs),
            d.state.name()
        );
    }
    if !t.not_applicable.is_empty() {
        let _ = writeln!(
            out,
            "\nNot applicable here (no item embodies a pattern they govern): {}.",
            t.not_applicable.join(", ")
        );
    }
    let _ = writeln!(out);
    links_markdown(out, &t);
    measured_markdown(out, &t);
}

fn links_markdown(out: &mut String, t: &CrateTrace<'_>) {
    if t.links.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Evidence Links\n| Link | Kind | Target | Covers | State | Evidence |\n|------|------|--------|--------|-------|----------|"
    );
    for l in &t.links {
        let mut covers: Vec<String> = l.link.covers.clone();
        covers.extend(l.link.items.iter().map(|i| format!("`{i}`")));
        let evidence = if l.level_five() {
            "level 5 (formally verified) for what it covers"
        } else if l.link.kind.machine_checked() {
            "level 5 once COVERED"
        } else {
            "executable, not level 5"
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` | {} | {} | {} |",
            l.link.id,
            l.link.kind.name(),
            cell(&l.target()),
            cell(&covers.join(", ")),
            l.state.name(),
            evidence
        );
    }
    let _ = writeln!(out);
}

fn measured_markdown(out: &mut String, t: &CrateTrace<'_>) {
    let Some((record, checks)) = &t.measured else {
        let _ = writeln!(
            out,
            "Coverage is inferred, not measured: no test-run record was given (run the tests with `DISTAUDIT_COVERAGE=<dir>`, then `cargo distaudit --coverage <dir>`).\n"
        );
        return;
    };
    let evaluated = checks
        .iter()
        .filter(|c| c.run.as_ref().is_some_and(|r| r.evaluated > 0))
        .count();
    let _ = writeln!(
        out,
        "### Coverage Measured by a Test Run\nFrom `{}` ({} file(s)): {evaluated} of {} declared checks evaluated.\n",
        record.source.display(),
        record.files,
        checks.len()
    );
    let missing: Vec<&TracedCheck> = checks
        .iter()
        .filter(|c| {
            c.run
                .as_ref()
                .is_none_or(|r| r.evaluated == 0 || r.only_refused())
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "| Pattern | Invariant | Suggested Verification |\n|---------|-----------|------------------------|"
    );
    for c in missing {
        let pats = c.item.model.joined(|p| &p.id, ", ");
        let (what, fix) = match &c.run {
            Some(r) if r.only_refused() => (
                format!("evaluated only on refused calls ({}×)", r.evaluated),
                "a test step the receiver accepts: give the refused parameters a `strategy(..)` that lands in range",
            ),
            _ => (
                "evaluated by no test in the recorded run".to_string(),
                "add `test` to the annotation, or a test that calls the item",
            ),
        };
        let _ = writeln!(
            out,
            "| {} | `{}`: `{}` ({what}) | {}: {fix} |",
            cell(&pats),
            c.item.path,
            cell(&c.check.written),
            crate::engine::verification(c.check.kind)
        );
    }
    let _ = writeln!(out);
}

fn run_json(run: Option<&CheckRun>) -> Value {
    run.map_or(Value::Null, |r| {
        json!({
            "evaluated": r.evaluated,
            "failed": r.failed,
            "accepted": r.accepted,
            "refused": r.refused,
            "only_refused": r.only_refused(),
            "via": r.via,
        })
    })
}

fn link_json(l: &CheckedLink) -> Value {
    json!({
        "id": l.link.id,
        "kind": l.link.kind.name(),
        "target": l.target(),
        "covers": l.link.covers,
        "items": l.link.items,
        "state": l.state.name(),
        "machine_checked": l.link.kind.machine_checked(),
        "level": if l.level_five() { Some(5) } else { None },
        "fingerprint": l.link.fingerprint,
        "current_fingerprint": l.current,
        "gone": l.gone,
        "declared_in": format!("{}:{}", l.registry_file, l.link.origin.line),
    })
}

fn check_json(c: &TracedCheck<'_>) -> Value {
    json!({
        "item": c.item.path,
        "check": c.check.written,
        "run": run_json(c.run.as_ref()),
    })
}

/// The `traceability` value of the JSON document: one object per crate.
#[must_use]
pub fn json(audit: &Audit) -> Value {
    let default = crate::engine::default_registry();
    let crates: Vec<Value> = audit
        .crates
        .iter()
        .map(|krate| {
            let registry = audit
                .registries
                .get(krate)
                .map_or(default.as_ref(), |r| r.as_ref());
            let t = CrateTrace::of(audit, krate, registry);
            let decisions: Vec<Value> = t
                .decisions
                .iter()
                .map(|d| {
                    json!({
                        "id": d.id,
                        "title": d.title,
                        "own": d.own,
                        "state": d.state.name(),
                        "level": if d.level_five() { Some(5) } else { None },
                        "items": d.items.iter().map(|i| &i.path).collect::<Vec<_>>(),
                        "checks": d.checks.iter().map(check_json).collect::<Vec<_>>(),
                        "compile_time": d.compile_time.iter().map(ToString::to_string).collect::<Vec<_>>(),
                        "tests": d.tests,
                        "evidence": d.links.iter().map(|l| &l.link.id).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let coverage = match &t.measured {
                None => json!({"measured": false}),
                Some((record, checks)) => json!({
                    "measured": true,
                    "record": record.source.display().to_string(),
                    "files": record.files,
                    "checks": checks.iter().map(check_json).collect::<Vec<_>>(),
                }),
            };
            json!({
                "crate": krate,
                "decisions": decisions,
                "not_applicable": t.not_applicable,
                "links": t.links.iter().map(|l| link_json(l)).collect::<Vec<_>>(),
                "coverage": coverage,
            })
        })
        .collect();
    Value::Array(crates)
}
