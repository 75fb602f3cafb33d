//! Rendering for people: the decision record in an item's rustdoc, and the registry and
//! diagnostic tables in the `distaudit` crate docs.

use crate::annotation::Annotation;
use crate::diag::Code;
use crate::registry::{Citation, Registry, sort_evidence};
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

fn citation_line(c: &Citation) -> String {
    citation_with_authors(c, &c.authors.join(", "))
}

/// The item-level form: `Bacon et al.` rather than all seventeen authors (the registry
/// tables in the crate docs carry the full list).
fn short_citation_line(c: &Citation) -> String {
    citation_with_authors(c, &c.short_authors())
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

/// The "Coordination audit" section of an annotated item.
#[must_use]
pub fn decision_record(
    registry: &Registry,
    annotation: &Annotation,
    test_name: Option<&str>,
) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut cited: Vec<&Citation> = annotation
        .cites
        .iter()
        .filter_map(|c| registry.citation(&c.value))
        .collect();
    sort_evidence(&mut cited);
    for id in &annotation.patterns {
        let Some(p) = registry.pattern(&id.value) else {
            continue;
        };
        rows.push((
            "Pattern".into(),
            format!("`{}` ({}): {}", p.id, p.name, cell(&p.summary)),
        ));
        let best = cited.iter().find(|c| c.supports(&p.id));
        let level = match (best, &annotation.novel) {
            (Some(c), _) if c.level.is_strong() => {
                format!("level {} ({})", c.level.0, c.level.label())
            }
            (Some(c), _) => format!(
                "**WARN**: level {} ({}), weak evidence",
                c.level.0,
                c.level.label()
            ),
            (None, Some(n)) => format!("**NOVEL/UNJUSTIFIED** (level 0): {}", cell(&n.value)),
            (None, None) => "none".into(),
        };
        rows.push((format!("Evidence for `{}`", p.id), level));
        rows.push((format!("Safety (`{}`)", p.id), cell(&p.safety)));
        rows.push((format!("Liveness (`{}`)", p.id), cell(&p.liveness)));
    }
    for c in &cited {
        rows.push(("Provenance".into(), short_citation_line(c)));
    }
    for d in &annotation.implements {
        if let Some(d) = registry.decision(&d.value) {
            rows.push((
                "Decision upheld".into(),
                format!("{} ({}): {}", d.id, cell(&d.title), cell(&d.statement)),
            ));
        }
    }
    for inv in &annotation.invariants {
        rows.push((
            "Invariant".into(),
            format!("`{}` (checked on every call)", cell(&inv.written())),
        ));
    }
    if let Some(b) = annotation
        .backend
        .as_ref()
        .and_then(|b| registry.backend(&b.value))
    {
        rows.push((
            "Consensus backend".into(),
            format!("[{}]({}) ({})", b.name, b.url, cell(&b.protocol)),
        ));
    }
    for a in &annotation.allows {
        if let Some(ap) = registry.anti_pattern(&a.slug.value) {
            rows.push((
                "Exception".into(),
                format!(
                    "anti-pattern {} `{}` allowed: {}",
                    ap.number,
                    ap.slug,
                    cell(&a.justification.value)
                ),
            ));
        }
    }
    let mut verification: Vec<String> = Vec::new();
    if !annotation.invariants.is_empty() {
        verification.push("woven-in invariant checks".into());
    }
    if let Some(t) = test_name {
        verification.push(format!("generated property test `{t}`"));
    }
    for v in &annotation.verify {
        verification.push(format!("test `{}`", v.id.value));
    }
    if verification.is_empty() {
        verification.push("citation gate only".into());
    }
    rows.push(("Verification".into(), verification.join("; ")));

    let mut out = String::from("\n# Coordination audit\n\n| | |\n|---|---|\n");
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {v} |");
    }
    out
}

/// The diagnostic codes as a markdown table.
#[must_use]
pub fn codes_table(registry: &Registry) -> String {
    let mut out = String::from("| code | severity | diagnostic | upholds |\n|---|---|---|---|\n");
    for code in Code::ALL {
        let mut upholds = code.upholds().to_string();
        if let Some(slug) = anti_pattern_of(*code)
            && let Some(ap) = registry.anti_pattern(slug)
        {
            upholds = format!(
                "{upholds} `{slug}` ({})",
                registry.short_references(&ap.sources)
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

fn anti_pattern_of(code: Code) -> Option<&'static str> {
    Some(match code {
        Code::ClockSync => "clock_sync",
        Code::NoResponseIsFailure => "no_response_is_failure",
        Code::UnboundedQueue => "unbounded_queue",
        Code::WallClock => "wall_clock",
        Code::SilentDrop => "silent_drop",
        Code::NetworkReliability => "network_reliability",
        Code::CustomConsensus => "novel_consensus",
        _ => return None,
    })
}

/// The whole registry as markdown tables.
#[must_use]
pub fn registry_tables(registry: &Registry) -> String {
    let mut out = String::new();
    out.push_str("## Patterns\n\n| pattern | what it is | safety | liveness | decisions |\n|---|---|---|---|---|\n");
    for p in &registry.patterns {
        let decisions = if let Some(f) = &p.forbidden_by {
            format!("**forbidden by {f}**")
        } else {
            p.decisions.join(", ")
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
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
        let _ = writeln!(out, "\n### topic `{}`: {}\n", t.id, t.name);
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
            cell(&registry.short_references(&d.sources))
        );
    }
    out.push_str("\n## Anti-patterns\n\n| # | `allow` key | prohibition | why | fix |\n|---|---|---|---|---|\n");
    for a in &registry.anti_patterns {
        let _ = writeln!(
            out,
            "| {} | `{}` | **{}**: {} | {} ({}) | {} |",
            a.number,
            a.slug,
            cell(&a.title),
            cell(&a.statement),
            cell(&a.why),
            cell(&registry.short_references(&a.sources)),
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
