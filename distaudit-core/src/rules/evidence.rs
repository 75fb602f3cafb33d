//! The citation gate: ids resolve, every pattern rests on evidence, levels are honoured.

use super::Context;
use crate::analyze::{Evidence, IdKind, PatternUse};
use crate::annotation::{Argument, Id, MIN_JUSTIFICATION_WORDS, justification_words};
use crate::catalogue::{AntiPattern, PROVEN_BACKEND_DECISION};
use crate::diag::{Code, Finding};
use crate::registry::Citation;
use crate::suggest::{self, Quote};

/// Why coordination code cites evidence: the why of DA0005 here and of DA0060/DA0061 in
/// `cargo distaudit`.
pub const EVIDENCE_RULE: &str = "every coordination decision traces to established literature, a battle-tested system or a formal spec (levels: 5 formally verified, 4 peer-reviewed, 3 battle-tested, 2 industry whitepaper, 1 textbook)";

pub(super) fn pattern_named(ctx: &Context<'_, '_>) -> Vec<Finding> {
    if ctx.annotation.wrote(Argument::Pattern) {
        return Vec::new();
    }
    let examples: Vec<&str> = ctx
        .audit
        .registry
        .patterns
        .iter()
        .filter(|p| p.forbidden_by.is_none())
        .take(5)
        .map(|p| p.id.as_str())
        .collect();
    vec![Finding::new(
        Code::MissingPattern,
        ctx.audit.item.site.anchor(),
        "the annotation names no pattern",
        "the pattern decides which evidence, decisions and checks apply",
        format!(
            "add `pattern = \"<id>\"`, e.g. `pattern = \"lease\"`; patterns: {}, ...",
            examples.join(", ")
        ),
    )]
}

/// Every id the model could not resolve, with what the user probably meant.
pub(super) fn ids_resolve(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let audit = ctx.audit;
    let reg = audit.registry;
    let patterns: Vec<&str> = audit
        .patterns
        .iter()
        .map(|p| p.pattern.id.as_str())
        .collect();
    let mut out = Vec::new();
    // Reported in the order the rules have always used: patterns, citations, decisions,
    // anti-patterns, backends.
    for kind in [
        IdKind::Pattern,
        IdKind::Citation,
        IdKind::Decision,
        IdKind::AntiPattern,
        IdKind::Backend,
    ] {
        for u in audit.unresolved.iter().filter(|u| u.kind == kind) {
            let id = &u.id;
            out.push(match kind {
                IdKind::Pattern => match reg.topic(&id.value) {
                    Some(topic) => Finding::new(
                        Code::UnknownPattern,
                        id.span,
                        format!("\"{}\" is a topic tag ({}), not a pattern", suggest::shown(&id.value), topic.name),
                        "topic tags classify citations; an item embodies patterns",
                        "name the coordination pattern the item implements, e.g. `pattern = \"lease\"`",
                    ),
                    None => {
                        let ids: Vec<&str> = reg.patterns.iter().map(|p| p.id.as_str()).collect();
                        Finding::new(
                            Code::UnknownPattern,
                            id.span,
                            format!("unknown pattern \"{}\"", suggest::shown(&id.value)),
                            "patterns come from the registry (citations/patterns.toml and distaudit.toml) so that each one carries its evidence and rules",
                            suggest::one_of(&id.value, &ids, "patterns", Quote::Double),
                        )
                    }
                },
                IdKind::Citation => Finding::new(
                    Code::UnknownCitation,
                    id.span,
                    format!("unknown citation \"{}\"", suggest::shown(&id.value)),
                    "citations come from the registry so that every one has verified facts and an evidence level",
                    suggest::citation_fix(reg, &id.value, &patterns),
                ),
                IdKind::Decision => {
                    let ids: Vec<&str> = reg.decisions.iter().map(|d| d.id.as_str()).collect();
                    Finding::new(
                        Code::UnknownDecision,
                        id.span,
                        format!("unknown locked decision \"{}\"", suggest::shown(&id.value)),
                        "`implements` and `upholds` name locked decisions; they come from the registry",
                        format!(
                            "{}; a project adds its own in distaudit.toml",
                            suggest::one_of(&id.value, &ids, "decisions", Quote::Double)
                        ),
                    )
                }
                IdKind::AntiPattern => {
                    let hint = if reg.decision(&id.value).is_some() {
                        " (locked decisions have no `allow`: they are locked)"
                    } else {
                        ""
                    };
                    Finding::new(
                        Code::BadAllow,
                        id.span,
                        format!(
                            "`{}` is not one of the {} anti-patterns{hint}",
                            suggest::shown(&id.value),
                            AntiPattern::count_in_words()
                        ),
                        "an exception names the prohibition it excuses",
                        suggest::one_of(&id.value, &AntiPattern::slugs(), "anti-patterns", Quote::Backtick),
                    )
                }
                IdKind::Backend => {
                    let ids: Vec<&str> = reg.backends.iter().map(|b| b.id.as_str()).collect();
                    Finding::new(
                        Code::UnknownBackend,
                        id.span,
                        format!("unknown consensus backend \"{}\"", suggest::shown(&id.value)),
                        format!(
                            "Decision {PROVEN_BACKEND_DECISION}: leader election and consensus are delegated to a proven system ({})",
                            reg.decision(PROVEN_BACKEND_DECISION)
                                .map(|d| reg.short_references(&d.sources))
                                .unwrap_or_default()
                        ),
                        suggest::one_of(&id.value, &ids, "backends", Quote::Double),
                    )
                }
            });
        }
    }
    out
}

/// The evidence of each pattern: uncited code, citations that support none of the item's
/// patterns, weak or novel evidence, and a `novel` no pattern needs.
pub(super) fn evidence(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let audit = ctx.audit;
    let a = ctx.annotation;
    let patterns: Vec<_> = audit
        .patterns
        .iter()
        .filter(|p| p.pattern.forbidden_by.is_none())
        .collect();
    if !a.wrote(Argument::Cite) && !a.wrote(Argument::Novel) {
        return vec![uncited(ctx, &patterns)];
    }
    let mut out = citation_mismatches(ctx, &patterns);
    let mut novel_used = false;
    let cited_any = !audit.citations.is_empty();
    for p in &patterns {
        let id = &p.pattern.id;
        match p.evidence {
            Evidence::Cited(c) if !c.level.is_strong() => out.push(weak_evidence(ctx, p, c)),
            Evidence::Cited(_) => {}
            Evidence::Novel => {
                let Some(novel) = &audit.novel else { continue };
                novel_used = true;
                out.extend(novel_design(ctx, id, novel));
            }
            // An unknown or malformed citation is the one problem when no known one is given.
            Evidence::Missing if cited_any => out.push(Finding::new(
                Code::PatternUnsupported,
                p.written.span,
                format!("no cited work supports `{id}`"),
                EVIDENCE_RULE,
                format!("cite one of {}", audit.registry.list_citations_for(id, 4)),
            )),
            Evidence::Missing => {}
        }
    }
    if let Some(novel) = &audit.novel
        && !novel_used
        && !patterns.is_empty()
    {
        out.push(Finding::new(
            Code::ArgumentNotApplicable,
            novel.span,
            "`novel` is given but every pattern is supported by a cited work",
            "`novel` marks a design with no reference (level 0); here the citations already ground it",
            "remove `novel`",
        ));
    }
    out
}

/// DA0005 for an annotation with neither `cite` nor `novel`: its fix lists citations for
/// each of the item's (allowed) `patterns`.
fn uncited(ctx: &Context<'_, '_>, patterns: &[&PatternUse<'_>]) -> Finding {
    let reg = ctx.audit.registry;
    let fix = if patterns.is_empty() {
        "add `cite = \"<citation-id>\"` naming the work the design follows".to_string()
    } else {
        patterns
            .iter()
            .map(|p| {
                format!(
                    "for `{}` cite one of {}",
                    p.pattern.id,
                    reg.list_citations_for(&p.pattern.id, 4)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
            + "; or, when no reference exists, `novel = \"<why>\"` with `verify = \"<test>\"`"
    };
    Finding::new(
        Code::Uncited,
        ctx.annotation
            .patterns
            .first()
            .map_or_else(|| ctx.audit.item.site.anchor(), |p| p.span),
        "uncited coordination code",
        EVIDENCE_RULE,
        fix,
    )
}

/// A finding for each cited work that supports none of the item's `patterns`, at its
/// `cite` id.
fn citation_mismatches(ctx: &Context<'_, '_>, patterns: &[&PatternUse<'_>]) -> Vec<Finding> {
    let reg = ctx.audit.registry;
    let mut out = Vec::new();
    for c in &ctx.audit.citations {
        if patterns.is_empty() || patterns.iter().any(|p| c.supports(&p.pattern.id)) {
            continue;
        }
        let Some(id) = ctx.annotation.cites.iter().find(|id| id.value == c.id) else {
            continue;
        };
        let wanted: Vec<String> = patterns
            .iter()
            .map(|p| {
                format!(
                    "for `{}`: {}",
                    p.pattern.id,
                    reg.list_citations_for(&p.pattern.id, 4)
                )
            })
            .collect();
        out.push(Finding::new(
            Code::CitationMismatch,
            id.span,
            format!(
                "\"{}\" supports {} but not {}",
                c.id,
                c.patterns
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                patterns
                    .iter()
                    .map(|p| format!("`{}`", p.pattern.id))
                    .collect::<Vec<_>>()
                    .join(" or "),
            ),
            format!("{}: {}", c.reference(), EVIDENCE_RULE),
            format!(
                "remove `cite = \"{}\"`, or cite a work that supports the item's pattern ({}); if the item also embodies {}, add that pattern",
                c.id,
                wanted.join("; "),
                c.patterns
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        ));
    }
    out
}

/// The warning that pattern `p` rests on `c`, a work below level 3, with the stronger works
/// the registry has for it.
fn weak_evidence(ctx: &Context<'_, '_>, p: &PatternUse<'_>, c: &Citation) -> Finding {
    let id = &p.pattern.id;
    let span = ctx
        .annotation
        .cites
        .iter()
        .find(|x| x.value == c.id)
        .map_or(p.written.span, |x| x.span);
    // Only works stronger than the one given: repeating it helps nobody.
    let stronger: Vec<&Citation> = ctx
        .audit
        .registry
        .citations_for(id)
        .into_iter()
        .filter(|s| s.level > c.level)
        .collect();
    Finding::new(
        Code::WeakEvidence,
        span,
        format!(
            "the strongest evidence for `{id}` is \"{}\", {}",
            c.id, c.level
        ),
        format!(
            "{}; levels 1-2 pass with this warning, 3 and up pass quietly",
            c.reference()
        ),
        format!(
            "add stronger evidence for `{id}`: {}",
            crate::registry::list_citations(&stronger, 4)
        ),
    )
}

/// The findings of pattern `id` resting on the `novel` design: always flagged, and a BLOCK
/// when no `verify` covers it.
fn novel_design(ctx: &Context<'_, '_>, id: &str, novel: &Id) -> Vec<Finding> {
    let mut out = vec![Finding::new(
        Code::NovelDesign,
        novel.span,
        format!(
            "`{id}` rests on a novel design (level 0): \"{}\"",
            novel.value
        ),
        "no novel protocols: a design without a reference is admitted only with a test that covers it, and stays flagged",
        format!(
            "replace it with a referenced design: {}",
            ctx.audit.registry.list_citations_for(id, 4)
        ),
    )];
    if ctx.audit.verify.is_empty() {
        out.push(Finding::new(
            Code::NovelWithoutVerify,
            novel.span,
            format!("`novel` without `verify`: nothing covers the novel design of `{id}`"),
            "no novel protocols: level 0 passes only with `verify` naming the test that covers it",
            "add `verify = \"<path::to::test_fn>\"`, a test resolved from this item's module",
        ));
    }
    out
}

pub(super) fn allows_justified(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let allows = &ctx.annotation.allows;
    for (i, allow) in allows.iter().enumerate() {
        if allows[..i].iter().any(|a| a.slug.value == allow.slug.value) {
            out.push(Finding::new(
                Code::Duplicate,
                allow.slug.span,
                format!("`allow({})` is given twice", allow.slug.value),
                "one exception per anti-pattern, with one justification",
                "merge the justifications into one",
            ));
            continue;
        }
        if AntiPattern::from_slug(&allow.slug.value).is_none() {
            continue; // reported as unresolved
        }
        if justification_words(&allow.justification.value) < MIN_JUSTIFICATION_WORDS {
            out.push(Finding::new(
                Code::BadAllow,
                allow.justification.span,
                format!("the justification for `allow({})` says too little", allow.slug.value),
                "an exception is read by reviewers in the item's docs; it must say why the prohibition does not apply",
                format!("write at least {MIN_JUSTIFICATION_WORDS} words, e.g. `allow({} = \"the reading only feeds metrics, never a lease decision\")`", allow.slug.value),
            ));
        }
    }
    out
}

/// A `backend` belongs to an item whose patterns Decision A governs.
pub(super) fn backend_applies(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let (Some(backend), Some(_)) = (&ctx.annotation.backend, ctx.audit.backend) else {
        return Vec::new();
    };
    if super::decisions::needs_backend(ctx.audit) {
        return Vec::new();
    }
    let governed = ctx
        .audit
        .registry
        .patterns
        .iter()
        .filter(|p| p.needs_backend())
        .map(|p| format!("`{}`", p.id))
        .collect::<Vec<_>>()
        .join(", ");
    vec![Finding::new(
        Code::ArgumentNotApplicable,
        backend.span,
        format!(
            "`backend` is given but no pattern of the item is governed by Decision {PROVEN_BACKEND_DECISION}"
        ),
        "a backend records which proven system an election or consensus item delegates to",
        format!("remove `backend`, or add the pattern the item embodies ({governed})"),
    )]
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::rules::test_support::{codes, findings};
    use quote::quote;

    fn f() -> proc_macro2::TokenStream {
        quote!(
            fn acquire(now: u64) {}
        )
    }

    #[test]
    fn strong_citation_passes_quietly() {
        assert!(codes(quote!(pattern = "lease", cite = "gray-cheriton-1989"), f()).is_empty());
    }

    #[test]
    fn unknown_ids_get_did_you_mean() {
        let found = findings(quote!(pattern = "lease", cite = "gray-cheriton-1998"), f());
        assert_eq!(found.len(), 1, "{found:?}"); // no cascade: the unknown id is the one problem
        assert_eq!(found[0].code, Code::UnknownCitation);
        assert!(
            found[0].fix.contains("did you mean \"gray-cheriton-1989\""),
            "{}",
            found[0].fix
        );
        let found = findings(quote!(pattern = "leese", cite = "gray-cheriton-1989"), f());
        assert_eq!(found[0].code, Code::UnknownPattern);
        assert!(found[0].fix.contains("did you mean \"lease\""));
        assert_eq!(
            codes(quote!(pattern = "formal-spec", cite = "newcombe-2015"), f()),
            [Code::UnknownPattern]
        );
    }

    #[test]
    fn uncited_lists_citations_strongest_first() {
        let found = findings(quote!(pattern = "lease"), f());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::Uncited);
        // level 5 first, then level 4 oldest first.
        let fix = &found[0].fix;
        let hawblitzel = fix.find("hawblitzel-2015").unwrap();
        let gray = fix.find("gray-cheriton-1989").unwrap();
        let burrows = fix.find("burrows-2006").unwrap();
        assert!(hawblitzel < gray && gray < burrows, "{fix}");
    }

    #[test]
    fn mismatched_citation_is_refused() {
        let found = findings(quote!(pattern = "cursor", cite = "gray-cheriton-1989"), f());
        let found: Vec<_> = found.iter().map(|x| x.code).collect();
        assert_eq!(found, [Code::CitationMismatch, Code::PatternUnsupported]);
        assert!(
            codes(
                quote!(
                    pattern = "lease",
                    pattern = "cursor",
                    cite = "gray-cheriton-1989",
                    cite = "bacon-2017"
                ),
                f()
            )
            .iter()
            .all(|c| *c != Code::CitationMismatch)
        );
        assert_eq!(
            codes(
                quote!(
                    pattern = "lease",
                    pattern = "cursor",
                    cite = "gray-cheriton-1989"
                ),
                f()
            ),
            [Code::PatternUnsupported]
        );
    }

    #[test]
    fn evidence_levels() {
        assert_eq!(
            codes(quote!(pattern = "fencing", cite = "kleppmann-2016"), f()),
            [Code::WeakEvidence]
        );
        assert!(
            codes(
                quote!(
                    pattern = "fencing",
                    cite = "kleppmann-2016",
                    cite = "burrows-2006"
                ),
                f()
            )
            .is_empty()
        );
        assert_eq!(
            codes(quote!(pattern = "lease", novel = "our own lease"), f()),
            [Code::NovelDesign, Code::NovelWithoutVerify]
        );
        assert_eq!(
            codes(
                quote!(
                    pattern = "lease",
                    novel = "our own lease",
                    verify = "tests::t"
                ),
                f()
            ),
            [Code::NovelDesign]
        );
        assert_eq!(
            codes(
                quote!(pattern = "lease", cite = "gray-cheriton-1989", novel = "x"),
                f()
            ),
            [Code::ArgumentNotApplicable]
        );
    }

    #[test]
    fn allows_need_a_known_slug_and_words() {
        assert_eq!(
            codes(
                quote!(
                    pattern = "retry",
                    cite = "bacon-2017",
                    allow(wall_clok = "the reading only paces retries")
                ),
                f()
            ),
            [Code::BadAllow]
        );
        assert_eq!(
            codes(
                quote!(
                    pattern = "retry",
                    cite = "bacon-2017",
                    allow(wall_clock = "ok")
                ),
                f()
            ),
            [Code::BadAllow, Code::UnusedAllow]
        );
        assert_eq!(
            codes(
                quote!(pattern = "retry", cite = "bacon-2017", allow(D2.3 = "x")),
                f()
            )[0],
            Code::Malformed
        );
    }

    #[test]
    fn decisions_and_backends_must_exist() {
        assert_eq!(
            codes(
                quote!(
                    pattern = "lease",
                    cite = "gray-cheriton-1989",
                    implements = "D2.33"
                ),
                f()
            ),
            [Code::UnknownDecision]
        );
        assert_eq!(
            codes(
                quote!(
                    pattern = "consensus",
                    cite = "ongaro-ousterhout-2014",
                    backend = "etdc"
                ),
                f()
            ),
            [Code::UnknownBackend]
        );
        assert_eq!(
            codes(
                quote!(
                    pattern = "lease",
                    cite = "gray-cheriton-1989",
                    backend = "etcd"
                ),
                f()
            ),
            [Code::ArgumentNotApplicable]
        );
    }
}
