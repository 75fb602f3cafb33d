//! The citation gate: ids exist, every pattern rests on evidence, levels are honoured.

use super::Context;
use crate::annotation::MIN_JUSTIFICATION_WORDS;
use crate::diag::{Code, Finding};
use crate::registry::{Citation, list_citations, sort_evidence};
use crate::suggest;
use proc_macro2::Span;

const EVIDENCE_RULE: &str = "every coordination decision traces to established literature, a battle-tested system or a formal spec (levels: 5 formally verified, 4 peer-reviewed, 3 battle-tested, 2 industry whitepaper, 1 textbook)";

pub(super) fn patterns_known(ctx: &Context<'_>) -> Vec<Finding> {
    let reg = ctx.registry;
    let mut out = Vec::new();
    if ctx.annotation.patterns.is_empty() {
        out.push(Finding::new(
            Code::MissingPattern,
            Span::call_site(),
            "the annotation names no pattern",
            "the pattern decides which evidence, decisions and checks apply",
            "add `pattern = \"<id>\"`, e.g. `pattern = \"lease\"`; patterns: lease, fencing, cursor, shard, idempotency, ...",
        ));
    }
    for id in &ctx.annotation.patterns {
        if reg.pattern(&id.value).is_some() {
            continue;
        }
        if let Some(topic) = reg.topic(&id.value) {
            out.push(Finding::new(
                Code::UnknownPattern,
                id.span,
                format!(
                    "\"{}\" is a topic tag ({}), not a pattern",
                    id.value, topic.name
                ),
                "topic tags classify citations; an item embodies patterns",
                "name the coordination pattern the item implements, e.g. `pattern = \"lease\"`",
            ));
            continue;
        }
        let ids: Vec<&str> = reg.patterns.iter().map(|p| p.id.as_str()).collect();
        let near = suggest::nearest(&id.value, ids.iter().copied());
        let mean = suggest::did_you_mean(&id.value, ids.iter().copied());
        out.push(Finding::new(
            Code::UnknownPattern,
            id.span,
            format!("unknown pattern \"{}\"", id.value),
            "patterns come from the registry (citations/patterns.toml and distaudit.toml) so that each one carries its evidence and rules",
            match mean {
                Some(m) => format!("did you mean \"{m}\"? nearest patterns: {}", suggest::quoted(&near[..near.len().min(4)])),
                None => format!("nearest patterns: {}", suggest::quoted(&near[..near.len().min(4)])),
            },
        ));
    }
    out
}

/// Nearest citations to an unknown id: the closest few by spelling, strongest first.
fn nearest_citations<'r>(ctx: &Context<'r>, unknown: &str) -> Vec<&'r Citation> {
    let reg = ctx.registry;
    let ids = suggest::nearest(unknown, reg.citations.iter().map(|c| c.id.as_str()));
    let mut near: Vec<&Citation> = ids
        .iter()
        .take(4)
        .filter_map(|id| reg.citation(id))
        .collect();
    sort_evidence(&mut near);
    near
}

pub(super) fn citations_known(ctx: &Context<'_>) -> Vec<Finding> {
    let reg = ctx.registry;
    let mut out = Vec::new();
    for id in &ctx.annotation.cites {
        if reg.citation(&id.value).is_some() {
            continue;
        }
        let mean = suggest::did_you_mean(&id.value, reg.citations.iter().map(|c| c.id.as_str()));
        let mut fix = match mean {
            Some(m) => format!(
                "did you mean \"{m}\"? nearest ids: {}",
                list_citations(&nearest_citations(ctx, &id.value), 4)
            ),
            None => format!(
                "nearest ids: {}",
                list_citations(&nearest_citations(ctx, &id.value), 4)
            ),
        };
        for p in ctx.known_patterns() {
            fix.push_str(&format!(
                "; citations for `{}`: {}",
                p.id,
                reg.list_citations_for(&p.id, 4)
            ));
        }
        fix.push_str("; or add the work to distaudit.toml");
        out.push(Finding::new(
            Code::UnknownCitation,
            id.span,
            format!("unknown citation \"{}\"", id.value),
            "citations come from the registry so that every one has verified facts and an evidence level",
            fix,
        ));
    }
    out
}

pub(super) fn evidence(ctx: &Context<'_>) -> Vec<Finding> {
    let reg = ctx.registry;
    let a = ctx.annotation;
    let patterns: Vec<_> = ctx
        .known_patterns()
        .into_iter()
        .filter(|p| p.forbidden_by.is_none())
        .collect();
    let mut out = Vec::new();
    if a.cites.is_empty() && a.novel.is_none() {
        let fix = if patterns.is_empty() {
            "add `cite = \"<citation-id>\"` naming the work the design follows".to_string()
        } else {
            patterns
                .iter()
                .map(|p| {
                    format!(
                        "for `{}` cite one of {}",
                        p.id,
                        reg.list_citations_for(&p.id, 4)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
                + "; or, when no reference exists, `novel = \"<why>\"` with `verify = \"<test>\"`"
        };
        out.push(Finding::new(
            Code::Uncited,
            a.patterns.first().map_or_else(Span::call_site, |p| p.span),
            "uncited coordination code",
            EVIDENCE_RULE,
            fix,
        ));
        return out;
    }
    let cited: Vec<(&crate::annotation::Id, &Citation)> = a
        .cites
        .iter()
        .filter_map(|id| reg.citation(&id.value).map(|c| (id, c)))
        .collect();
    for (id, c) in &cited {
        if !patterns.is_empty() && !patterns.iter().any(|p| c.supports(&p.id)) {
            let wanted: Vec<String> = patterns
                .iter()
                .map(|p| format!("for `{}`: {}", p.id, reg.list_citations_for(&p.id, 4)))
                .collect();
            out.push(Finding::new(
                Code::CitationMismatch,
                id.span,
                format!(
                    "\"{}\" supports {} but not {}",
                    c.id,
                    c.patterns.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                    patterns.iter().map(|p| format!("`{}`", p.id)).collect::<Vec<_>>().join(" or "),
                ),
                format!("{}: {}", c.reference(), EVIDENCE_RULE),
                format!("cite a work that supports the item's pattern ({}), or add the pattern it supports", wanted.join("; ")),
            ));
        }
    }
    let mut novel_used = false;
    for p in &patterns {
        let span = a
            .patterns
            .iter()
            .find(|id| reg.pattern(&id.value).is_some_and(|q| q.id == p.id))
            .map_or_else(Span::call_site, |id| id.span);
        let best = cited
            .iter()
            .filter(|(_, c)| c.supports(&p.id))
            .max_by(|x, y| x.1.level.cmp(&y.1.level).then(y.1.year.cmp(&x.1.year)));
        match best {
            Some((id, c)) if !c.level.is_strong() => out.push(Finding::new(
                Code::WeakEvidence,
                id.span,
                format!(
                    "the strongest evidence for `{}` is \"{}\", {}",
                    p.id, c.id, c.level
                ),
                format!(
                    "{}; levels 1-2 pass with this warning, 3 and up pass quietly",
                    c.reference()
                ),
                format!(
                    "add stronger evidence for `{}`: {}",
                    p.id,
                    reg.list_citations_for(&p.id, 4)
                ),
            )),
            Some(_) => {}
            None => match &a.novel {
                Some(novel) => {
                    novel_used = true;
                    out.push(Finding::new(
                        Code::NovelDesign,
                        novel.span,
                        format!("`{}` rests on a novel design (level 0): \"{}\"", p.id, novel.value),
                        "no novel protocols: a design without a reference is admitted only with a test that covers it, and stays flagged",
                        format!("replace it with a referenced design: {}", reg.list_citations_for(&p.id, 4)),
                    ));
                    if a.verify.is_empty() {
                        out.push(Finding::new(
                            Code::NovelWithoutVerify,
                            novel.span,
                            format!("`novel` without `verify`: nothing covers the novel design of `{}`", p.id),
                            "no novel protocols: level 0 passes only with `verify` naming the test that covers it",
                            "add `verify = \"<path::to::test_fn>\"`, a test resolved from this item's module",
                        ));
                    }
                }
                None if !cited.is_empty() || a.cites.is_empty() => out.push(Finding::new(
                    Code::PatternUnsupported,
                    span,
                    format!("no cited work supports `{}`", p.id),
                    EVIDENCE_RULE,
                    format!("cite one of {}", reg.list_citations_for(&p.id, 4)),
                )),
                None => {}
            },
        }
    }
    if let Some(novel) = &a.novel
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

pub(super) fn decisions_known(ctx: &Context<'_>) -> Vec<Finding> {
    let reg = ctx.registry;
    ctx.annotation
        .implements
        .iter()
        .filter(|id| reg.decision(&id.value).is_none())
        .map(|id| {
            let ids: Vec<&str> = reg.decisions.iter().map(|d| d.id.as_str()).collect();
            let near = suggest::nearest(&id.value, ids.iter().copied());
            Finding::new(
                Code::UnknownDecision,
                id.span,
                format!("unknown locked decision \"{}\"", id.value),
                "`implements` records which locked decisions the item upholds; they come from the registry",
                match suggest::did_you_mean(&id.value, ids.iter().copied()) {
                    Some(m) => format!("did you mean \"{m}\"? nearest: {}", suggest::quoted(&near[..near.len().min(4)])),
                    None => format!("decisions: {}; a project adds its own in distaudit.toml", suggest::quoted(&ids)),
                },
            )
        })
        .collect()
}

pub(super) fn allows_valid(ctx: &Context<'_>) -> Vec<Finding> {
    let reg = ctx.registry;
    let mut out = Vec::new();
    let slugs: Vec<&str> = reg.anti_patterns.iter().map(|a| a.slug.as_str()).collect();
    for (i, allow) in ctx.annotation.allows.iter().enumerate() {
        if ctx.annotation.allows[..i]
            .iter()
            .any(|a| a.slug.value == allow.slug.value)
        {
            out.push(Finding::new(
                Code::Duplicate,
                allow.slug.span,
                format!("`allow({})` is given twice", allow.slug.value),
                "one exception per anti-pattern, with one justification",
                "merge the justifications into one",
            ));
            continue;
        }
        if reg.anti_pattern(&allow.slug.value).is_none() {
            let hint = if reg.decision(&allow.slug.value).is_some() {
                " (locked decisions have no `allow`: they are locked)".to_string()
            } else {
                String::new()
            };
            out.push(Finding::new(
                Code::BadAllow,
                allow.slug.span,
                format!(
                    "`{}` is not one of the seven anti-patterns{hint}",
                    allow.slug.value
                ),
                "an exception names the prohibition it excuses",
                match suggest::did_you_mean(&allow.slug.value, slugs.iter().copied()) {
                    Some(m) => format!("did you mean `{m}`? anti-patterns: {}", slugs.join(", ")),
                    None => format!("anti-patterns: {}", slugs.join(", ")),
                },
            ));
            continue;
        }
        let words = allow
            .justification
            .value
            .split_whitespace()
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .count();
        if words < MIN_JUSTIFICATION_WORDS {
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

pub(super) fn backend_known(ctx: &Context<'_>) -> Vec<Finding> {
    let reg = ctx.registry;
    let Some(backend) = &ctx.annotation.backend else {
        return Vec::new();
    };
    let ids: Vec<&str> = reg.backends.iter().map(|b| b.id.as_str()).collect();
    if reg.backend(&backend.value).is_none() {
        return vec![Finding::new(
            Code::UnknownBackend,
            backend.span,
            format!("unknown consensus backend \"{}\"", backend.value),
            format!(
                "Decision A: leader election and consensus are delegated to a proven system ({})",
                reg.short_references(
                    &reg.decision("A")
                        .map(|d| d.sources.clone())
                        .unwrap_or_default()
                )
            ),
            match suggest::did_you_mean(&backend.value, ids.iter().copied()) {
                Some(m) => format!("did you mean \"{m}\"? backends: {}", suggest::quoted(&ids)),
                None => format!("backends: {}", suggest::quoted(&ids)),
            },
        )];
    }
    if !ctx.has_pattern("consensus") && !ctx.has_pattern("leader-election") {
        return vec![Finding::new(
            Code::ArgumentNotApplicable,
            backend.span,
            "`backend` is given but the item's patterns include neither `consensus` nor `leader-election`",
            "a backend records which proven system an election or consensus item delegates to",
            "remove `backend`, or add the pattern the item embodies",
        )];
    }
    Vec::new()
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
