//! Did-you-mean, in one place: every message that proposes a name or an id is built here.
//!
//! Names from a short fixed list (arguments, kinds, roles, anti-patterns, parameters) are
//! matched by spelling. Citation ids are matched by what people remember of a work: its
//! authors, title words, venue, year, the systems its note or URL names, as well as the
//! id's letters. So `cite = "chubby"` finds `burrows-2006` and `cite = "raft"` finds
//! `ongaro-ousterhout-2014`.

use crate::registry::{Citation, Registry, list_citations, sort_evidence};

/// The longest user value a message echoes whole.
const SHOWN_CHARS: usize = 60;

/// A value as a message echoes it: cut at a readable length (a 100 KB id is not repeated).
#[must_use]
pub fn shown(value: &str) -> String {
    if value.chars().count() <= SHOWN_CHARS {
        value.to_string()
    } else {
        let cut: String = value.chars().take(SHOWN_CHARS).collect();
        format!("{cut}... ({} characters)", value.chars().count())
    }
}

/// How names are quoted in a message: `name` for Rust-side names, "id" for ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    Backtick,
    Double,
}

impl Quote {
    fn wrap(self, s: &str) -> String {
        match self {
            Quote::Backtick => format!("`{s}`"),
            Quote::Double => format!("\"{s}\""),
        }
    }
}

/// Spelling similarity of two names, 0 to 1.
fn spelling(a: &str, b: &str) -> f64 {
    strsim::normalized_damerau_levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

/// The candidates ordered by spelling similarity to `unknown`, most similar first (ties
/// keep the input order).
#[must_use]
pub fn nearest<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| (spelling(unknown, c), i, c))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

/// The single candidate close enough in spelling to be what the user meant.
#[must_use]
pub fn did_you_mean<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (spelling(unknown, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
        .filter(|c| *c != unknown)
}

/// `"a", "b", "c"`.
#[must_use]
pub fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| Quote::Double.wrap(id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lists at most this many names; longer lists show the nearest ones.
const LIST_ALL_UP_TO: usize = 14;
const NEAREST_SHOWN: usize = 4;

/// The fix line for an unknown name from a fixed list: `did you mean `x`? <label>: a, b`.
/// Short lists are shown whole, long ones as the nearest few.
#[must_use]
pub fn one_of(unknown: &str, candidates: &[&str], label: &str, quote: Quote) -> String {
    let list = |names: &[&str]| {
        names
            .iter()
            .map(|n| quote.wrap(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let shown = if candidates.len() <= LIST_ALL_UP_TO {
        format!("{label}: {}", list(candidates))
    } else {
        let near = nearest(unknown, candidates.iter().copied());
        format!("nearest {label}: {}", list(&near[..NEAREST_SHOWN]))
    };
    match did_you_mean(unknown, candidates.iter().copied()) {
        Some(m) => format!("did you mean {}? {shown}", quote.wrap(m)),
        None => shown,
    }
}

/// Words that tell works apart: lowercase, alphanumeric, no filler.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    const FILLER: [&str; 24] = [
        "a", "an", "the", "of", "and", "for", "in", "on", "to", "with", "at", "by", "from", "is",
        "its", "how", "why", "what", "do", "we", "it", "as", "or", "pp",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !FILLER.contains(&w.as_str()))
}

/// What a user may remember of a work, with how much each kind of memory counts.
fn memories(c: &Citation) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    let mut add = |text: &str, weight: f64| {
        for w in words(text) {
            out.push((w, weight));
        }
    };
    add(&c.id, 1.0);
    for a in &c.authors {
        add(a, 1.0);
    }
    add(&c.title, 0.9);
    add(&c.venue, 0.85);
    add(&c.note, 0.75);
    let host_and_path = c
        .url
        .split("://")
        .nth(1)
        .unwrap_or(&c.url)
        .replace(['.', '/'], " ");
    add(&host_and_path, 0.7);
    out
}

/// How well one remembered word matches a work, 0 to 1.
fn word_score(word: &str, memories: &[(String, f64)]) -> f64 {
    let is_year = word.len() == 4 && word.chars().all(|c| c.is_ascii_digit());
    memories
        .iter()
        .map(|(m, weight)| {
            let similarity = if m == word {
                1.0
            } else if is_year {
                // A year off by a transposition is still a hint, but a weak one.
                if spelling(word, m) >= 0.75 { 0.5 } else { 0.0 }
            } else if word.len() >= 4
                && (m.starts_with(word) || word.starts_with(m.as_str()))
                && m.len() >= 4
            {
                0.85
            } else if word.len() >= 4 {
                let s = spelling(word, m);
                if s >= 0.75 { s * 0.8 } else { 0.0 }
            } else {
                0.0
            };
            similarity * weight
        })
        .fold(0.0, f64::max)
}

/// How well `query` names the work `c`, 0 to 1: the best of the id's spelling and the
/// mean match of the query's words against what is remembered of the work.
#[must_use]
pub fn citation_score(query: &str, c: &Citation) -> f64 {
    let by_id = spelling(query, &c.id);
    let query_words: Vec<String> = words(query).collect();
    if query_words.is_empty() {
        return by_id;
    }
    let mem = memories(c);
    let by_memory =
        query_words.iter().map(|w| word_score(w, &mem)).sum::<f64>() / query_words.len() as f64;
    by_id.max(by_memory)
}

/// The works `query` most plausibly names, best first, with their scores.
#[must_use]
pub fn citations<'r>(registry: &'r Registry, query: &str) -> Vec<(&'r Citation, f64)> {
    let mut scored: Vec<(&Citation, f64)> = registry
        .citations
        .iter()
        .map(|c| (c, citation_score(query, c)))
        .filter(|(_, s)| *s > 0.0)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    scored
}

/// The score a work needs to be proposed as what the user meant.
const MEANT: f64 = 0.6;

/// The fix line for an unknown citation id on an item whose (known) patterns are
/// `patterns`: what the user probably meant (saying so when it does not support the
/// item's patterns), similar ids, and the citations that do support each pattern.
#[must_use]
pub fn citation_fix(registry: &Registry, unknown: &str, patterns: &[&str]) -> String {
    let ranked = citations(registry, unknown);
    let mut parts = Vec::new();
    let mut meant = None;
    if let Some((best, score)) = ranked.first()
        && *score >= MEANT
    {
        let supports_item = patterns.is_empty() || patterns.iter().any(|p| best.supports(p));
        let year = best.year.map(|y| format!(" {y}")).unwrap_or_default();
        let mut line = format!(
            "did you mean \"{}\" ({}{year}, \"{}\")?",
            best.id,
            best.short_authors(),
            best.title
        );
        if !supports_item {
            let theirs = best
                .patterns
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let ours = patterns
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            line.push_str(&format!(" It supports {theirs}, not {ours};"));
        }
        meant = Some(line);
    }
    let mut similar: Vec<&Citation> = ranked.iter().take(NEAREST_SHOWN).map(|(c, _)| *c).collect();
    sort_evidence(&mut similar);
    parts.push(format!(
        "similar ids: {}",
        list_citations(&similar, NEAREST_SHOWN)
    ));
    for p in patterns {
        parts.push(format!(
            "citations for `{p}`: {}",
            registry.list_citations_for(p, NEAREST_SHOWN)
        ));
    }
    parts.push("or add the work to distaudit.toml".into());
    match meant {
        Some(line) => format!("{line} {}", parts.join("; ")),
        None => parts.join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meant(query: &str) -> String {
        let reg = crate::registry::default_registry().expect("default registry");
        citations(reg, query)[0].0.id.clone()
    }

    #[test]
    fn finds_the_near_miss() {
        let ids = ["gray-cheriton-1989", "burrows-2006", "kleppmann-2016"];
        assert_eq!(
            did_you_mean("gray-cheriton-1998", ids),
            Some("gray-cheriton-1989")
        );
        assert_eq!(did_you_mean("zzzz", ids), None);
        assert_eq!(nearest("burows-2006", ids)[0], "burrows-2006");
    }

    #[test]
    fn finds_works_by_what_people_remember() {
        assert_eq!(meant("gray-cheriton-1998"), "gray-cheriton-1989");
        assert_eq!(meant("chubby"), "burrows-2006");
        assert_eq!(meant("raft"), "ongaro-ousterhout-2014");
        assert!(
            meant("jepsen").starts_with("kingsbury-"),
            "{}",
            meant("jepsen")
        );
        assert!(meant("stripe-idempotency").starts_with("leach-2017"));
        assert_eq!(meant("lamport clocks"), "lamport-1978");
        let reg = crate::registry::default_registry().expect("default registry");
        assert!(citations(reg, "zzzzqq").iter().all(|(_, s)| *s < MEANT));
    }

    #[test]
    fn says_when_the_meant_work_does_not_support_the_pattern() {
        let reg = crate::registry::default_registry().expect("default registry");
        let fix = citation_fix(reg, "jepsen", &["lease"]);
        assert!(fix.starts_with("did you mean \"kingsbury-"), "{fix}");
        assert!(fix.contains(", not `lease`;"), "{fix}");
        assert!(fix.contains("citations for `lease`"), "{fix}");
        let fix = citation_fix(reg, "chubby", &["lease"]);
        assert!(!fix.contains(", not `lease`"), "{fix}");
        assert!(
            fix.starts_with("did you mean \"burrows-2006\" (Burrows 2006, \"The Chubby"),
            "{fix}"
        );
    }

    #[test]
    fn short_lists_whole_long_lists_nearest() {
        assert_eq!(
            one_of("tset", &["test", "cite"], "arguments", Quote::Backtick),
            "did you mean `test`? arguments: `test`, `cite`"
        );
        let many: Vec<String> = (0..20).map(|i| format!("name{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(one_of("zz", &many, "ids", Quote::Double).starts_with("nearest ids: "));
    }
}

/// The names a work is known by in prose: the system a title introduces (`SWIM: ...`,
/// `ZooKeeper: ...`) and the one its note names first (`Raft; ...`), for `suggest` to
/// recognise "the Raft spec" or "the SWIM protocol" in a doc comment. Greek letters are
/// spelt out (`φ Accrual` is also `phi Accrual`).
#[must_use]
pub fn known_names(c: &Citation) -> Vec<String> {
    let mut names = Vec::new();
    // A title's head names a system when it is spelt like one (`SWIM`, `ZooKeeper`,
    // `FoundationDB`), not a common noun (`Leases`, `Sagas`).
    let system = |s: &str| {
        let s = s.trim();
        let caps = s.chars().filter(|ch| ch.is_uppercase()).count();
        (s.split_whitespace().count() == 1 && s.len() >= 3 && caps >= 2).then(|| s.to_string())
    };
    if let Some((head, _)) = c.title.split_once(':') {
        names.extend(system(head));
    }
    // The note's first words name the system when they are one capitalised word (`Raft`).
    if let Some(head) = c.note.split([';', ',']).next() {
        let head = head.trim();
        if head.split_whitespace().count() == 1
            && head.len() >= 3
            && head.chars().next().is_some_and(char::is_uppercase)
        {
            names.push(head.to_string());
        }
    }
    // "The φ Accrual Failure Detector": the phrase itself names the work.
    if c.title.contains('φ') {
        let t = c.title.trim_start_matches("The ").replace('φ', "phi");
        names.push(t);
    }
    names
}

/// Every URL a work can be read at: its `url`, its DOI, and URLs its note gives (a
/// preprint, the authors' copy).
#[must_use]
pub fn known_urls(c: &Citation) -> Vec<String> {
    let mut urls = Vec::new();
    let bare = |u: &str| {
        u.trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_ascii_lowercase()
    };
    if !c.url.is_empty() {
        urls.push(bare(&c.url));
    }
    if let Some(d) = &c.doi {
        urls.push(d.to_ascii_lowercase());
    }
    for w in c.note.split_whitespace() {
        if w.starts_with("http") {
            urls.push(bare(w.trim_end_matches([',', ';', ')'])));
        }
    }
    urls
}

/// Whether a reference's text holds one of `urls` (compared without scheme and `www.`).
#[must_use]
pub fn mentions_url(text: &str, urls: &[String]) -> bool {
    let lower = text
        .to_ascii_lowercase()
        .replace("https://", "")
        .replace("http://", "")
        .replace("www.", "");
    urls.iter()
        .any(|u| !u.is_empty() && lower.contains(u.as_str()))
}

#[cfg(test)]
mod known_tests {
    use super::*;

    fn work(title: &str, note: &str, url: &str) -> Citation {
        let r = crate::registry::default_registry().expect("the default registry loads");
        let mut c = r.citations[0].clone();
        c.title = title.into();
        c.note = note.into();
        c.url = url.into();
        c.doi = None;
        c
    }

    #[test]
    fn a_works_system_names_and_urls() {
        let c = work(
            "SWIM: Scalable Membership",
            "probe-based",
            "https://doi.org/10.1/x",
        );
        assert_eq!(known_names(&c), ["SWIM"]);
        let c = work(
            "In Search of X",
            "Raft; no DOI; preprint https://raft.example/raft.pdf",
            "",
        );
        assert_eq!(known_names(&c), ["Raft"]);
        assert!(mentions_url(
            "see [it](https://raft.example/raft.pdf)",
            &known_urls(&c)
        ));
        let c = work("The φ Accrual Failure Detector", "continuous suspicion", "");
        assert_eq!(known_names(&c), ["phi Accrual Failure Detector"]);
        // A common noun is no name.
        let c = work("Leases: An Efficient Mechanism", "origin of leases", "");
        assert!(known_names(&c).is_empty());
    }
}
