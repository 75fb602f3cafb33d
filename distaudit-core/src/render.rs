//! Rendering for people: the decision record in an item's rustdoc, and the registry and
//! diagnostic tables in the `distaudit` crate docs.

use crate::analyze::{Audit, Check, Evidence, PatternUse, When};
use crate::diag::Code;
use crate::registry::{Citation, EvidenceLevel, Registry};
use std::fmt::Write as _;

/// Text for a markdown table cell: pipes escaped, and `<`/`>` outside code spans escaped
/// so rustdoc does not read them as HTML tags.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('\n', " ")
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                part.replace('<', "&lt;").replace('>', "&gt;")
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// Text as a code span in a table cell: rustdoc does not read HTML inside code spans, so
/// only pipes are escaped (and a backtick inside widens the fence).
fn code(text: &str) -> String {
    let text = text.replace('|', "\\|").replace('\n', " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The registry-table form: every author, and the note that says what the work is for.
fn citation_line(c: &Citation) -> String {
    let line = citation_with_authors(c, &c.authors.join(", "));
    if c.note.is_empty() {
        line
    } else {
        // A URL in a note (a preprint, the authors' copy) is a link, not bare text.
        let note: Vec<String> = cell(&c.note)
            .split(' ')
            .map(|w| {
                let url = w.trim_end_matches([',', ';']);
                if url.starts_with("https://") || url.starts_with("http://") {
                    format!("<{url}>{}", &w[url.len()..])
                } else {
                    w.to_string()
                }
            })
            .collect();
        format!("{line} *{}*", note.join(" "))
    }
}

/// The item-level form: `Bacon et al.` rather than all seventeen authors (the registry
/// tables in the crate docs carry the full list).
fn short_citation_line(c: &Citation) -> String {
    // On the item: what names and ranks the work, with its link; the venue, year and pages
    // are in the registry table of the `distaudit` crate docs.
    format!(
        "[{}]({}): {}, *{}* (level {}, {})",
        c.id,
        c.link(),
        cell(&c.short_authors()),
        cell(&c.title),
        c.level.0,
        c.level.label()
    )
}

fn citation_with_authors(c: &Citation, authors: &str) -> String {
    let year = c.year.map(|y| format!(", {y}")).unwrap_or_default();
    format!(
        "level {} ({}): {}, *{}*, {}{year}. [{}]({})",
        c.level.0,
        c.level.label(),
        cell(authors),
        cell(&c.title),
        cell(&c.venue),
        c.id,
        c.link()
    )
}

/// The anchor of a pattern's row in the registry tables of the `distaudit` crate docs.
fn pattern_anchor(id: &str) -> String {
    format!("pattern-{id}")
}

/// A pattern's row on docs.rs, at this release: a URL rather than an intra-doc link, so it
/// resolves whatever the dependency is called and whatever the item's scope holds.
fn pattern_url(id: &str) -> String {
    format!(
        "https://docs.rs/distaudit/{}/distaudit/#{}",
        env!("CARGO_PKG_VERSION"),
        pattern_anchor(id)
    )
}

/// A row of the decision record: field, detail.
type Row = (String, String);

/// A row for each locked decision governing one of the item's patterns that the project set
/// aside: the reader sees that it is not enforced here, and why.
fn set_aside_rows(audit: &Audit<'_>) -> Vec<Row> {
    let reg = audit.registry;
    reg.set_aside
        .iter()
        .filter_map(|s| {
            let d = reg.decision(&s.decision)?;
            let governs = audit
                .patterns
                .iter()
                .any(|p| d.patterns.contains(&p.pattern.id));
            governs.then(|| {
                let cited = reg
                    .citation(&s.cite)
                    .map_or_else(|| s.cite.clone(), short_citation_line);
                (
                    "Decision set aside".into(),
                    format!(
                        "{} ({}) is set aside by this project: {} Following: {cited}",
                        d.id,
                        cell(&d.title),
                        cell(&s.reason)
                    ),
                )
            })
        })
        .collect()
}

/// The "Coordination audit" section of an annotated item.
#[must_use]
pub fn decision_record(audit: &Audit<'_>, test_name: Option<&str>) -> String {
    let mut rows: Vec<Row> = Vec::new();
    for p in &audit.patterns {
        pattern_rows(audit, p, &mut rows);
    }
    for c in &audit.citations {
        rows.push(("Provenance".into(), short_citation_line(c)));
    }
    for d in &audit.decisions {
        rows.push((
            "Decision upheld".into(),
            format!("{} ({}): {}", d.id, cell(&d.title), cell(&d.statement)),
        ));
    }
    rows.extend(set_aside_rows(audit));
    for check in &audit.checks {
        rows.push(check_row(audit, check));
    }
    for d in &audit.delegations {
        let to = &d.to.value;
        rows.push((
            "Delegates".into(),
            format!(
                "{} ({}) is checked by [`{}`]({to})",
                d.decision.id,
                cell(&d.decision.title),
                to.rsplit("::").next().unwrap_or(to)
            ),
        ));
    }
    if let Some(b) = audit.backend {
        rows.push((
            "Consensus backend".into(),
            format!("[{}]({}) ({})", b.name, b.url, cell(&b.protocol)),
        ));
    }
    for a in &audit.allows {
        rows.push((
            "Exception".into(),
            format!(
                "anti-pattern {} `{}` allowed: {}",
                a.anti_pattern.number(),
                a.anti_pattern,
                cell(&a.justification.value)
            ),
        ));
    }
    rows.push(("Verification".into(), verification(audit, test_name)));

    let mut out = String::from("\n# Coordination audit\n\n| Field | Detail |\n|---|---|\n");
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {v} |");
    }
    out
}

/// Pushes the rows of one pattern: the pattern with its evidence when strong, a row of its
/// own for evidence that is not, and a project pattern's safety and liveness.
fn pattern_rows(audit: &Audit<'_>, p: &PatternUse<'_>, rows: &mut Vec<Row>) {
    let pat = p.pattern;
    // A pattern of the default registry links its text (summary, safety, liveness) in
    // the `distaudit` crate docs rather than repeating it on every item; a project's own
    // pattern has no page there, so its text stays here.
    let shared = !pat.origin.project;
    let what = if shared {
        format!("[what it is, safety, liveness]({})", pattern_url(&pat.id))
    } else {
        cell(&pat.summary)
    };
    // Strong evidence is said in the pattern's row; anything else has a row of its own.
    let weak = match p.evidence {
        Evidence::Cited(c) if c.level.is_strong() => None,
        Evidence::Cited(c) => Some(format!(
            "**WARN**: level {} ({}), weak evidence",
            c.level.0,
            c.level.label()
        )),
        Evidence::Novel => Some(format!(
            "**{}** (level {}): {}",
            EvidenceLevel::NOVEL_TITLE,
            EvidenceLevel::NOVEL.0,
            cell(audit.novel.as_ref().map_or("", |n| n.value.as_str()))
        )),
        Evidence::Missing => Some("none".into()),
    };
    let evidence = match (&weak, p.evidence) {
        (None, Evidence::Cited(c)) => format!(", evidence level {}", c.level.0),
        _ => String::new(),
    };
    rows.push((
        "Pattern".into(),
        format!("`{}` ({}){evidence}: {what}", pat.id, pat.name),
    ));
    if let Some(weak) = weak {
        rows.push((format!("Evidence for `{}`", pat.id), weak));
    }
    if !shared {
        rows.push((format!("Safety (`{}`)", pat.id), cell(&pat.safety)));
        rows.push((format!("Liveness (`{}`)", pat.id), cell(&pat.liveness)));
    }
}

/// The row of one check: what kind it is (a type invariant on a struct or enum), when it
/// runs, and the decisions it upholds.
/// What a check upholds and where it comes from, as every record words it: `upholds D2.3;
/// source bacon-2017`, `upholds the `fencing` rule; source burrows-2006`, and for a check
/// of no decision its citation as its source only (`source gray-cheriton-1989`): a check
/// upholds a decision or a pattern's rule, never a citation. `upholds` is the decision or
/// rule and whether it is a pattern's rule.
#[must_use]
pub fn check_basis(upholds: Option<(&str, bool)>, source: Option<&str>) -> String {
    let upholds = upholds.map(|(id, rule)| {
        if rule {
            format!("upholds the `{id}` rule")
        } else {
            format!("upholds {id}")
        }
    });
    let source = source.map(|s| format!("source {s}"));
    [upholds, source]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

fn check_row(audit: &Audit<'_>, check: &Check<'_>) -> Row {
    let is_type = matches!(audit.item.shape, "struct" | "enum");
    let (label, when) = match check.when {
        _ if is_type => (
            "Type invariant",
            "checked after every `&mut self` method and constructor of an impl carrying `#[distaudit::audit]`",
        ),
        When::Entry => (
            "Precondition",
            "checked on entry; a violation is the caller's",
        ),
        When::Success => ("Postcondition", "checked when the call succeeds"),
        When::EveryExit => ("Invariant", "checked on every exit"),
        When::EntryAndExit => ("Invariant", "checked on entry and on every exit"),
    };
    // A check's source is the decision it upholds and that decision's citation; a check
    // of no decision rests on its pattern's citation, which it does not "uphold".
    let source = check
        .citation
        .map(|c| c.id.clone())
        .or_else(|| check.novel.then(|| "novel".to_string()));
    let upholds = check.upholds.map(|u| match u {
        crate::analyze::Upholds::Decision(d) => (d.id.as_str(), false),
        crate::analyze::Upholds::PatternRule(p) => (p, true),
    });
    let basis = check_basis(upholds, source.as_deref());
    let upholds = if basis.is_empty() {
        basis
    } else {
        format!("; {basis}")
    };
    let from = audit
        .item
        .site
        .inherited
        .as_ref()
        .filter(|i| i.checks.contains(&check.index))
        .map(|i| format!("; from the contract of `{}`", i.from))
        .unwrap_or_default();
    (
        label.into(),
        format!(
            "{} ({when}{upholds}{from})",
            code(&check.invariant.written())
        ),
    )
}

/// What verifies the item: woven checks, the generated test `test_name`, `verify` tests,
/// or only the citation gate.
fn verification(audit: &Audit<'_>, test_name: Option<&str>) -> String {
    let mut verification: Vec<String> = Vec::new();
    if !audit.checks.is_empty() {
        verification.push("woven-in invariant checks".into());
    }
    if let Some(t) = test_name {
        verification.push(format!("generated property test `{t}`"));
    }
    for v in &audit.verify {
        verification.push(format!("test `{}`", v.id.value));
    }
    if verification.is_empty() {
        verification.push("citation gate only".into());
    }
    verification.join("; ")
}

/// `Gray & Cheriton 1989 ([gray-cheriton-1989](link))` for each id: the reader reaches the
/// work from the table.
fn linked_references(registry: &Registry, ids: &[String]) -> String {
    ids.iter()
        .map(|id| match registry.citation(id) {
            Some(c) => format!("{} ([{id}]({}))", cell(&c.who()), c.link()),
            None => cell(id),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The invariant kinds as a markdown table, from [`crate::catalogue::KINDS`].
#[must_use]
pub fn kinds_table() -> String {
    let mut out = String::from(
        "| kind | checks | runs | upholds by default | needs |\n|---|---|---|---|---|\n",
    );
    for k in crate::catalogue::KINDS {
        let written = if k.kind == crate::catalogue::Kind::Within {
            "`within(key = \"k\", range = \"r\")`".to_string()
        } else {
            format!("`{} = \"e\"`", k.name)
        };
        let runs = if k.success_only {
            "on `Ok`/`Some` exits"
        } else if k.kind == crate::catalogue::Kind::Holds {
            "on entry and every exit (success only if it names `ret`)"
        } else {
            "on every exit"
        };
        let upholds = match k.upholds {
            crate::catalogue::DefaultUpholds::Decision(d) => d.to_string(),
            crate::catalogue::DefaultUpholds::PatternRule(p) => format!("the `{p}` rule"),
            crate::catalogue::DefaultUpholds::Nothing => "what `upholds = \"..\"` names".into(),
        };
        let _ = writeln!(
            out,
            "| {written} | {} | {runs} | {upholds} | {} |",
            cell(k.checks),
            cell(k.needs)
        );
    }
    out
}

/// The diagnostic codes as a markdown table.
#[must_use]
pub fn codes_table(registry: &Registry) -> String {
    let mut out = String::from("| code | severity | diagnostic | upholds |\n|---|---|---|---|\n");
    for code in Code::all() {
        let mut upholds = code.upholds();
        if let Code::Anti(ap) = code
            && let Some(entry) = registry.anti_pattern(ap)
        {
            upholds = format!(
                "{upholds} `{ap}` ({})",
                linked_references(registry, &entry.sources)
            );
        }
        let _ = writeln!(
            out,
            "| `{code}` | {} | {} | {} |",
            code.severity(),
            code.title(),
            cell(&upholds)
        );
    }
    out
}

/// The whole registry as markdown tables.
#[must_use]
pub fn registry_tables(registry: &Registry) -> String {
    let mut out = String::new();
    out.push_str("## Patterns\n\nEvery coordination item is held to every anti-pattern; a pattern relaxes one only with a reason and a citation, shown here.\n\n| pattern | what it is | safety | liveness | locked decisions; anti-patterns relaxed |\n|---|---|---|---|---|\n");
    for p in &registry.patterns {
        let checked = if p.relaxed.is_empty() {
            "none relaxed".to_string()
        } else {
            p.relaxed
                .iter()
                .map(|r| {
                    let cited = registry
                        .citation(&r.cite)
                        .map_or_else(|| r.cite.clone(), short_citation_line);
                    format!(
                        "`{}` relaxed: {} ({cited})",
                        r.anti_pattern,
                        cell(&r.reason)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let decisions = if let Some(f) = &p.forbidden_by {
            format!("**forbidden by {f}**; {checked}")
        } else if p.decisions.is_empty() {
            format!("no locked decision; {checked}")
        } else {
            format!("{}; {checked}", p.decisions.join(", "))
        };
        let _ = writeln!(
            out,
            "| <a id=\"{}\"></a>`{}` | {} | {} | {} | {} |",
            pattern_anchor(&p.id),
            p.id,
            cell(&p.summary),
            cell(&p.safety),
            cell(&p.liveness),
            decisions
        );
    }
    out.push_str("\n## Citations by pattern\n\nStrongest evidence first, then oldest first.\n");
    for p in &registry.patterns {
        let _ = writeln!(out, "\n### `{}`: {}\n", p.id, p.name);
        for c in registry.citations_for(&p.id) {
            let _ = writeln!(out, "- `{}`: {}", c.id, citation_line(c));
        }
    }
    for t in &registry.topics {
        let _ = writeln!(out, "\n### topic `{}`: {}\n\n{}\n", t.id, t.name, t.summary);
        for c in registry.citations_for(&t.id) {
            let _ = writeln!(out, "- `{}`: {}", c.id, citation_line(c));
        }
    }
    out.push_str("\n## Locked decisions\n\nNo `allow`: they are locked.\n\n| id | decision | rationale | sources |\n|---|---|---|---|\n");
    for d in &registry.decisions {
        let _ = writeln!(
            out,
            "| `{}` | **{}**: {} | {} | {} |",
            d.id,
            cell(&d.title),
            cell(&d.statement),
            cell(&d.rationale),
            linked_references(registry, &d.sources)
        );
    }
    out.push_str("\n## Anti-patterns\n\n| # | `allow` key | prohibition | why | fix |\n|---|---|---|---|---|\n");
    for a in &registry.anti_patterns {
        let _ = writeln!(
            out,
            "| {} | `{}` | **{}**: {} | {} ({}) | {} |",
            a.anti_pattern.number(),
            a.anti_pattern,
            cell(&a.title),
            cell(&a.statement),
            cell(&a.why),
            linked_references(registry, &a.sources),
            cell(&a.fix)
        );
    }
    out.push_str("\n## Consensus backends (Decision A)\n\n| id | system | protocol | kind |\n|---|---|---|---|\n");
    for b in &registry.backends {
        let _ = writeln!(
            out,
            "| `{}` | [{}]({}): {} | {} | {} |",
            b.id,
            b.name,
            b.url,
            cell(&b.summary),
            cell(&b.protocol),
            b.kind
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::analyze::Site;
    use crate::pipeline::{Analysis, item_tokens as analyze_tokens};
    use quote::quote;

    fn record(args: proc_macro2::TokenStream) -> String {
        let registry = crate::registry::default_registry().expect("default registry");
        match analyze_tokens(
            registry,
            args,
            quote!(
                fn f() {}
            ),
            &Site::default(),
        ) {
            Analysis::Ready { audit, .. } => super::decision_record(&audit, None),
            Analysis::Refused(f) => panic!("refused: {f:?}"),
        }
    }

    /// Strong evidence is said in the pattern's row; weak evidence keeps a row of its own,
    /// marked; a citation names its id, link, title and level, not its venue.
    #[test]
    fn the_record_ranks_evidence_where_the_reader_looks() {
        let strong = record(quote!(pattern = "lease", cite = "gray-cheriton-1989"));
        assert!(
            strong.contains("| Pattern | `lease` (Lease), evidence level 4: ["),
            "{strong}"
        );
        assert!(!strong.contains("Evidence for"), "{strong}");
        assert!(
            strong.contains("| Provenance | [gray-cheriton-1989](https://doi.org/10.1145/74850.74870): Gray & Cheriton, *"),
            "{strong}"
        );
        assert!(strong.contains("(level 4, peer-reviewed) |"), "{strong}");
        assert!(!strong.contains("SOSP"), "{strong}");
        let weak = record(quote!(pattern = "lease", cite = "kleppmann-2016"));
        assert!(
            weak.contains("| Evidence for `lease` | **WARN**: level 2"),
            "{weak}"
        );
        assert!(!weak.contains("evidence level"), "{weak}");
    }

    /// Issue 21/23: a check's source is its decision and that decision's citation; a check
    /// with no decision names its citation as its source and upholds nothing.
    #[test]
    fn a_check_names_its_source_and_upholds_only_a_decision() {
        let registry = crate::registry::default_registry().expect("default registry");
        let audit = |args: proc_macro2::TokenStream| match analyze_tokens(
            registry,
            args,
            quote!(
                fn f(&mut self) {}
            ),
            &Site::default(),
        ) {
            Analysis::Ready { audit, .. } => super::decision_record(&audit, None),
            Analysis::Refused(f) => panic!("refused: {f:?}"),
        };
        let cursor = audit(quote!(
            pattern = "cursor",
            cite = "bacon-2017",
            invariant(monotonic = "self.last_key"),
            invariant(holds = "self.n > 0")
        ));
        assert!(
            cursor.contains("`monotonic(self.last_key)` (checked on every exit; upholds D2.3; source bacon-2017)"),
            "{cursor}"
        );
        assert!(
            cursor.contains(
                "`holds(self.n > 0)` (checked on entry and on every exit; source bacon-2017)"
            ),
            "{cursor}"
        );
        assert!(!cursor.contains("upholds bacon-2017"), "{cursor}");
    }
}
