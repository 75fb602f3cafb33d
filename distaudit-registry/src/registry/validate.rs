//! Registry integrity: run on every load, default and project alike.

use super::{Origin, Registry, RegistryError};
use crate::catalogue::AntiPattern;
use std::collections::BTreeMap;

/// Kinds of work a citation can be.
pub const CITATION_KINDS: [&str; 6] = ["paper", "book", "blog", "docs", "spec", "whitepaper"];

fn error(origin: &Origin, message: String) -> RegistryError {
    RegistryError {
        file: origin.file.clone(),
        line: origin.line,
        message,
    }
}

/// Check everything `contract.md` promises about the registry.
pub(super) fn validate(registry: &Registry) -> Result<(), RegistryError> {
    ids_unique(registry)?;
    citations(registry)?;
    patterns(registry)?;
    decisions(registry)?;
    anti_patterns(registry)?;
    exemptions(registry)?;
    set_aside(registry)?;
    super::evidence::validate(registry)?;
    backends(registry)
}

/// Ids are unique within each kind of entry, across files.
fn ids_unique(registry: &Registry) -> Result<(), RegistryError> {
    unique(
        "citation",
        registry.citations.iter().map(|c| (&c.id, &c.origin)),
    )?;
    unique(
        "pattern or topic",
        registry
            .patterns
            .iter()
            .map(|p| (&p.id, &p.origin))
            .chain(
                registry
                    .patterns
                    .iter()
                    .flat_map(|p| p.aliases.iter().map(|a| (a, &p.origin))),
            )
            .chain(registry.topics.iter().map(|t| (&t.id, &t.origin))),
    )?;
    unique(
        "decision",
        registry.decisions.iter().map(|d| (&d.id, &d.origin)),
    )?;
    let slugs: Vec<String> = registry
        .anti_patterns
        .iter()
        .map(|a| a.anti_pattern.slug().to_string())
        .collect();
    unique(
        "anti-pattern",
        slugs
            .iter()
            .zip(registry.anti_patterns.iter().map(|a| &a.origin)),
    )?;
    unique(
        "backend",
        registry.backends.iter().map(|b| (&b.id, &b.origin)),
    )?;

    Ok(())
}

/// An error unless the citation `id` exists.
fn citation_exists(
    registry: &Registry,
) -> impl Fn(&String, &Origin, &str) -> Result<(), RegistryError> + '_ {
    move |id: &String, origin: &Origin, what: &str| {
        if registry.citation(id).is_some() {
            Ok(())
        } else {
            Err(error(
                origin,
                format!("{what} names unknown citation \"{id}\""),
            ))
        }
    }
}

/// Every citation: id convention, level, kind, facts, links, what it supports.
fn citations(registry: &Registry) -> Result<(), RegistryError> {
    for c in &registry.citations {
        let o = &c.origin;
        check_citation_id(&c.id, c.year, &c.kind).map_err(|m| error(o, m))?;
        if !(1..=5).contains(&c.level.0) {
            return Err(error(
                o,
                format!(
                    "citation \"{}\" has level {}; registry levels are 1 (textbook) to 5 \
                     (formally verified); level 0 is `novel`, never a citation",
                    c.id, c.level.0
                ),
            ));
        }
        if !CITATION_KINDS.contains(&c.kind.as_str()) {
            return Err(error(
                o,
                format!(
                    "citation \"{}\" has kind \"{}\"; expected one of {}",
                    c.id,
                    c.kind,
                    CITATION_KINDS.join(", ")
                ),
            ));
        }
        for (field, value) in [("title", &c.title), ("venue", &c.venue)] {
            if value.trim().is_empty() {
                return Err(error(
                    o,
                    format!("citation \"{}\" has an empty {field}", c.id),
                ));
            }
        }
        if c.authors.is_empty() || c.authors.iter().any(|a| a.trim().is_empty()) {
            return Err(error(o, format!("citation \"{}\" needs its authors", c.id)));
        }
        check_url(&c.url).map_err(|m| error(o, format!("citation \"{}\": {m}", c.id)))?;
        if let Some(doi) = &c.doi
            && !(doi.starts_with("10.") && doi.contains('/') && !doi.contains(char::is_whitespace))
        {
            return Err(error(
                o,
                format!(
                    "citation \"{}\": DOI \"{doi}\" is not of the form 10.NNNN/suffix",
                    c.id
                ),
            ));
        }
        if c.patterns.is_empty() {
            return Err(error(
                o,
                format!("citation \"{}\" supports no pattern", c.id),
            ));
        }
        for p in &c.patterns {
            if registry.pattern(p).is_none() && registry.topic(p).is_none() {
                return Err(error(
                    o,
                    format!(
                        "citation \"{}\" names unknown pattern or topic \"{p}\"",
                        c.id
                    ),
                ));
            }
        }
    }

    Ok(())
}

/// Every pattern and topic: lexical id, a violation scenario, known decisions and anti-patterns, evidence.
/// A pattern relaxes a prohibition only with a reason a reviewer can check and a citation of
/// the registry, once each.
fn relaxations(registry: &Registry, p: &super::Pattern) -> Result<(), RegistryError> {
    let o = &p.origin;
    for (i, r) in p.relaxed.iter().enumerate() {
        let a = r.anti_pattern;
        if p.relaxed[..i].iter().any(|x| x.anti_pattern == a) {
            return Err(error(
                o,
                format!("pattern \"{}\" relaxes \"{a}\" twice", p.id),
            ));
        }
        if registry.citation(&r.cite).is_none() {
            return Err(error(
                o,
                format!(
                    "pattern \"{}\" relaxes \"{a}\" citing \"{}\", which is not in the registry",
                    p.id, r.cite
                ),
            ));
        }
        if super::justification_words(&r.reason) < super::MIN_JUSTIFICATION_WORDS {
            return Err(error(
                o,
                format!(
                    "pattern \"{}\" relaxes \"{a}\" with a reason that says too little: write at least {} words a reviewer can check",
                    p.id,
                    super::MIN_JUSTIFICATION_WORDS
                ),
            ));
        }
    }
    Ok(())
}

fn patterns(registry: &Registry) -> Result<(), RegistryError> {
    for p in &registry.patterns {
        let o = &p.origin;
        check_lexical(&p.id).map_err(|m| error(o, format!("pattern id \"{}\": {m}", p.id)))?;
        if !o.project && p.violation.trim().is_empty() {
            return Err(error(
                o,
                format!(
                    "pattern \"{}\" needs a `violation`: what concretely breaks when code gets it wrong",
                    p.id
                ),
            ));
        }
        for d in p.decisions.iter().chain(p.forbidden_by.iter()) {
            if registry.decision(d).is_none() {
                return Err(error(
                    o,
                    format!("pattern \"{}\" names unknown decision \"{d}\"", p.id),
                ));
            }
        }
        for a in &p.anti_patterns {
            if registry.anti_pattern(*a).is_none() {
                return Err(error(
                    o,
                    format!(
                        "pattern \"{}\" names anti-pattern \"{a}\", which the registry does not describe",
                        p.id
                    ),
                ));
            }
        }
        if registry.citations_for(&p.id).is_empty() {
            return Err(error(
                o,
                format!("pattern \"{}\" has no citation supporting it", p.id),
            ));
        }
        relaxations(registry, p)?;
    }

    for t in &registry.topics {
        check_lexical(&t.id)
            .map_err(|m| error(&t.origin, format!("topic id \"{}\": {m}", t.id)))?;
    }

    Ok(())
}

/// Every locked decision: id form, sources that exist, patterns that exist.
/// A superseded decision names the decision that replaces it, which exists and is not
/// itself; only a superseded decision names one.
fn superseding(registry: &Registry, d: &super::LockedDecision) -> Result<(), RegistryError> {
    let o = &d.origin;
    match (&d.superseded_by, d.status) {
        (None, super::DecisionStatus::Superseded) => Err(error(
            o,
            format!(
                "decision \"{}\" is superseded but names no successor: add `superseded_by = \"<id>\"`",
                d.id
            ),
        )),
        (Some(next), super::DecisionStatus::Superseded) => {
            if *next == d.id || registry.decision(next).is_none() {
                return Err(error(
                    o,
                    format!(
                        "decision \"{}\" is superseded by \"{next}\", which is not another decision of the registry",
                        d.id
                    ),
                ));
            }
            Ok(())
        }
        (Some(_), _) => Err(error(
            o,
            format!(
                "decision \"{}\" names `superseded_by` but its status is not \"superseded\"",
                d.id
            ),
        )),
        (None, _) => Ok(()),
    }
}

fn decisions(registry: &Registry) -> Result<(), RegistryError> {
    let citation_exists = citation_exists(registry);
    for d in &registry.decisions {
        let o = &d.origin;
        check_decision_id(&d.id).map_err(|m| error(o, m))?;
        superseding(registry, d)?;
        for refined in &d.refines {
            if *refined == d.id || registry.decision(refined).is_none() {
                let known = registry.decisions.iter().map(|d| d.id.as_str());
                let hint = crate::suggest::did_you_mean(refined, known)
                    .map_or_else(String::new, |k| format!("; did you mean \"{k}\"?"));
                return Err(error(
                    o,
                    format!(
                        "decision \"{}\" refines \"{refined}\", which is not another decision of the registry{hint}",
                        d.id
                    ),
                ));
            }
        }
        if d.sources.is_empty() {
            return Err(error(
                o,
                format!("decision \"{}\" has no source citation", d.id),
            ));
        }
        for s in &d.sources {
            citation_exists(s, o, &format!("decision \"{}\"", d.id))?;
        }
        for p in &d.patterns {
            if registry.pattern(p).is_none() {
                return Err(error(
                    o,
                    format!("decision \"{}\" names unknown pattern \"{p}\"", d.id),
                ));
            }
        }
    }

    Ok(())
}

/// The anti-patterns: sources that exist, and every one of the catalogue described.
fn anti_patterns(registry: &Registry) -> Result<(), RegistryError> {
    let citation_exists = citation_exists(registry);
    for a in &registry.anti_patterns {
        for s in &a.sources {
            citation_exists(
                s,
                &a.origin,
                &format!("anti-pattern \"{}\"", a.anti_pattern),
            )?;
        }
    }
    if let Some(first) = registry.anti_patterns.first() {
        let missing: Vec<&str> = AntiPattern::ALL
            .iter()
            .filter(|a| registry.anti_pattern(**a).is_none())
            .map(|a| a.slug())
            .collect();
        if !missing.is_empty() {
            return Err(error(
                &first.origin,
                format!(
                    "the registry must describe all {} anti-patterns; missing: {}",
                    AntiPattern::count_in_words(),
                    missing.join(", ")
                ),
            ));
        }
    }

    Ok(())
}

/// Every exemption: an item path, a reason of a few words, a real date.
/// A set-aside names a default decision, a known citation and a reason a reviewer can
/// check, and only a project's file sets one aside.
fn set_aside(registry: &Registry) -> Result<(), RegistryError> {
    for s in &registry.set_aside {
        let o = &s.origin;
        if !o.project {
            return Err(error(
                o,
                "`[[set_aside]]` belongs in a project's distaudit.toml".into(),
            ));
        }
        match registry.decision(&s.decision) {
            None => {
                return Err(error(
                    o,
                    format!(
                        "`[[set_aside]]` names \"{}\", which is not a locked decision",
                        s.decision
                    ),
                ));
            }
            Some(d) if d.origin.project => {
                return Err(error(
                    o,
                    format!(
                        "\"{}\" is the project's own decision: remove it rather than setting it aside",
                        s.decision
                    ),
                ));
            }
            Some(_) => {}
        }
        if registry.citation(&s.cite).is_none() {
            return Err(error(
                o,
                format!(
                    "setting aside \"{}\" cites \"{}\", which is not in the registry: cite the work the team follows instead (add it as a `[[citation]]`)",
                    s.decision, s.cite
                ),
            ));
        }
        if super::justification_words(&s.reason) < super::MIN_JUSTIFICATION_WORDS {
            return Err(error(
                o,
                format!(
                    "the reason for setting aside \"{}\" says too little: write at least {} words a reviewer can check",
                    s.decision,
                    super::MIN_JUSTIFICATION_WORDS
                ),
            ));
        }
        if registry
            .set_aside
            .iter()
            .filter(|x| x.decision == s.decision)
            .count()
            > 1
        {
            return Err(error(o, format!("\"{}\" is set aside twice", s.decision)));
        }
    }
    Ok(())
}

fn exemptions(registry: &Registry) -> Result<(), RegistryError> {
    for e in &registry.exemptions {
        let o = &e.origin;
        if e.item.trim().is_empty() || e.item.split("::").any(|s| s.trim().is_empty()) {
            return Err(error(
                o,
                format!(
                    "exemption item \"{}\" is not a path like \"module::Type::method\"",
                    e.item
                ),
            ));
        }
        if super::justification_words(&e.reason) < super::MIN_JUSTIFICATION_WORDS {
            return Err(error(
                o,
                format!(
                    "the reason for exempting \"{}\" says too little: write at least {} words a reviewer can check",
                    e.item,
                    super::MIN_JUSTIFICATION_WORDS
                ),
            ));
        }
        if let Some(date) = &e.expires {
            check_date(date).map_err(|m| error(o, format!("exemption \"{}\": {m}", e.item)))?;
        }
    }

    Ok(())
}

/// Every backend: lexical id, URL, sources that exist.
fn backends(registry: &Registry) -> Result<(), RegistryError> {
    let citation_exists = citation_exists(registry);
    for b in &registry.backends {
        let o = &b.origin;
        check_lexical(&b.id).map_err(|m| error(o, format!("backend id \"{}\": {m}", b.id)))?;
        check_url(&b.url).map_err(|m| error(o, format!("backend \"{}\": {m}", b.id)))?;
        for s in &b.sources {
            citation_exists(s, o, &format!("backend \"{}\"", b.id))?;
        }
    }
    Ok(())
}

fn unique<'a>(
    what: &str,
    entries: impl Iterator<Item = (&'a String, &'a Origin)>,
) -> Result<(), RegistryError> {
    let mut seen: BTreeMap<&str, &Origin> = BTreeMap::new();
    for (id, origin) in entries {
        if let Some(first) = seen.insert(id, origin) {
            let shadow = if origin.project && !first.project {
                "; a project registry may not shadow the default registry: choose another id"
            } else {
                ""
            };
            return Err(error(
                origin,
                format!(
                    "{what} id \"{id}\" is already defined at {}:{}{shadow}",
                    first.file, first.line
                ),
            ));
        }
    }
    Ok(())
}

/// Lowercase words (letters and digits) joined by single hyphens.
pub(crate) fn check_lexical(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err("ids are lowercase words of letters and digits joined by single hyphens".into())
    }
}

/// The citation id convention of `contract.md`: lexical, and a paper or book ends in its
/// year (a letter may follow for a second work); a trailing year must be the work's year.
pub(crate) fn check_citation_id(id: &str, year: Option<u16>, kind: &str) -> Result<(), String> {
    check_lexical(id).map_err(|m| format!("citation id \"{id}\": {m}"))?;
    let last = id.rsplit('-').next().unwrap_or(id);
    let digits: String = last.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &last[digits.len()..];
    let trailing_year = (digits.len() == 4 && suffix.len() <= 1 && id.contains('-'))
        .then(|| digits.parse::<u16>().ok())
        .flatten();
    match (trailing_year, year) {
        (Some(t), Some(y)) if t != y => Err(format!(
            "citation id \"{id}\" ends in {t} but the work's year is {y}"
        )),
        (Some(t), None) => Err(format!(
            "citation id \"{id}\" ends in {t} but the work has no year"
        )),
        (None, Some(y)) if matches!(kind, "paper" | "book") => Err(format!(
            "citation id \"{id}\": a {kind} id ends in its year ({y}), e.g. \"surname-{y}\""
        )),
        _ => Ok(()),
    }
}

/// `D2.3`, `A`, `B`, `SEC1`: an uppercase letter, then letters/digits, then `.N` parts.
pub(crate) fn check_decision_id(id: &str) -> Result<(), String> {
    let mut parts = id.split('.');
    let head = parts.next().unwrap_or("");
    let ok = head.starts_with(|c: char| c.is_ascii_uppercase())
        && head.chars().all(|c| c.is_ascii_alphanumeric())
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "decision id \"{id}\": decision ids are an uppercase letter and digits with \
             dotted numbers, like \"D2.3\" or \"A\""
        ))
    }
}

/// `YYYY-MM-DD` with a real month and day, as `(year, month, day)`: the one reading of
/// an exemption's expiry (the loader's check, and `cargo distaudit`'s comparison).
#[must_use]
pub fn parse_date(date: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&date.1) && (1..=31).contains(&date.2)).then_some(date)
}

/// `YYYY-MM-DD` with a real month and day.
pub(crate) fn check_date(date: &str) -> Result<(), String> {
    if parse_date(date).is_some() {
        Ok(())
    } else {
        Err(format!(
            "expiry \"{date}\" is not a date of the form YYYY-MM-DD"
        ))
    }
}

/// An absolute http(s) URL with a host.
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split('/').next().unwrap_or(""));
    match host {
        Some(h) if h.contains('.') && !url.contains(char::is_whitespace) && !h.starts_with('.') => {
            Ok(())
        }
        _ => Err(format!(
            "URL \"{url}\" is not an absolute http(s) URL with a host"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_ids_follow_the_convention() {
        assert!(check_citation_id("gray-cheriton-1989", Some(1989), "paper").is_ok());
        assert!(check_citation_id("leach-2017b", Some(2017), "blog").is_ok());
        assert!(check_citation_id("etcd-lease", None, "docs").is_ok());
        assert!(check_citation_id("kafka-kip-98", Some(2016), "spec").is_ok());
        assert!(check_citation_id("Gray-1989", Some(1989), "paper").is_err());
        assert!(check_citation_id("gray--1989", Some(1989), "paper").is_err());
        assert!(check_citation_id("gray_1989", Some(1989), "paper").is_err());
        assert!(check_citation_id("gray-1990", Some(1989), "paper").is_err());
        assert!(check_citation_id("gray-cheriton", Some(1989), "paper").is_err());
        assert!(check_citation_id("", None, "docs").is_err());
    }

    #[test]
    fn decision_ids() {
        for ok in ["D2.1", "D3.3", "A", "B", "D2.26"] {
            assert!(check_decision_id(ok).is_ok(), "{ok}");
        }
        for bad in ["d2.1", "D2.", "D-2", "", "2.1"] {
            assert!(check_decision_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert!(check_url("https://doi.org/10.1145/74850.74870").is_ok());
        assert!(check_url("http://www.usenix.org/x").is_ok());
        for bad in [
            "doi.org/x",
            "https://",
            "https://localhost/x",
            "https://a.b/x y",
            "ftp://a.b",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
