//! The registry: citations, patterns, locked decisions, anti-patterns and consensus
//! backends. The default data is embedded from `citations/` at build time; a crate adds its
//! own with `distaudit.toml` at its manifest root.

mod evidence;
mod load;
mod validate;

pub use evidence::{EvidenceKind, EvidenceLink, MIN_FINGERPRINT_DIGITS};
pub use load::{
    DEFAULT_FILES, Layer, RegistryError, default_registry, parse_files, parse_layers,
    project_registry,
};
pub use validate::parse_date;

use crate::catalogue::AntiPattern;
use std::fmt;

/// How strong a piece of evidence is: 5 formally verified, 4 peer-reviewed, 3 battle-tested
/// system, 2 industry whitepaper, 1 textbook, 0 novel (no reference exists).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EvidenceLevel(pub u8);

impl EvidenceLevel {
    /// Level 0: a design with no reference, admitted only with `novel` and `verify`.
    pub const NOVEL: EvidenceLevel = EvidenceLevel(0);

    /// What level 0 is called wherever a record shows it.
    pub const NOVEL_TITLE: &'static str = "NOVEL/UNJUSTIFIED";

    /// A provenance line of level 0 with its reason: `Level 0 — NOVEL/UNJUSTIFIED: ..`.
    #[must_use]
    pub fn novel_provenance(reason: &str) -> String {
        format!("Level {} — {}: {reason}", Self::NOVEL.0, Self::NOVEL_TITLE)
    }

    /// What the level means, in words.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self.0 {
            5 => "formally verified",
            4 => "peer-reviewed",
            3 => "battle-tested system",
            2 => "industry whitepaper",
            1 => "textbook",
            _ => "novel",
        }
    }

    /// Levels 3 and up pass quietly.
    #[must_use]
    pub fn is_strong(self) -> bool {
        self.0 >= 3
    }
}

impl fmt::Display for EvidenceLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "level {} ({})", self.0, self.label())
    }
}

/// Which file an entry came from, for messages and docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file, as shown to users (`citations/citations.toml`, `/path/distaudit.toml`).
    pub file: String,
    /// 1-based line of the entry's id.
    pub line: usize,
    /// Whether the entry comes from the user's `distaudit.toml`.
    pub project: bool,
}

/// Words that end an organisation's name, never a person's.
const ORGANISATION_WORDS: [&str; 18] = [
    "authors",
    "contributors",
    "community",
    "company",
    "consortium",
    "corporation",
    "corp.",
    "developers",
    "foundation",
    "group",
    "inc.",
    "inc",
    "institute",
    "labs",
    "llc",
    "project",
    "services",
    "team",
];

/// Name particles that a person's name may hold in lower case (`van der Holst`).
const NAME_PARTICLES: [&str; 12] = [
    "van", "von", "der", "den", "de", "da", "del", "di", "du", "la", "le", "ter",
];

/// Whether an author entry names an organisation rather than a person: its last word is one
/// an organisation's name ends with, or a word of it is lower case and not a name particle
/// (`etcd Authors`). A one-word entry is shown whole either way.
fn is_organisation(author: &str) -> bool {
    let words: Vec<&str> = author.split_whitespace().collect();
    let last = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    ORGANISATION_WORDS.contains(&last.as_str())
        || words.iter().any(|w| {
            w.chars().next().is_some_and(char::is_lowercase)
                && !NAME_PARTICLES.contains(&w.to_lowercase().as_str())
        })
}

/// A published work, system documentation or specification that evidence can point to.
#[derive(Clone, Debug)]
pub struct Citation {
    pub id: String,
    pub level: EvidenceLevel,
    /// `paper`, `book`, `blog`, `docs`, `spec` or `whitepaper`.
    pub kind: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<u16>,
    pub venue: String,
    pub doi: Option<String>,
    pub url: String,
    /// Pattern ids and topic tags the work supports.
    pub patterns: Vec<String>,
    pub note: String,
    pub origin: Origin,
}

impl Citation {
    /// Whether the work supports `pattern`.
    #[must_use]
    pub fn supports(&self, pattern: &str) -> bool {
        self.patterns.iter().any(|p| p == pattern)
    }

    /// `Gray & Cheriton 1989`, or the title for a work without a year: how references name
    /// a work in messages and tables.
    #[must_use]
    pub fn who(&self) -> String {
        match self.year {
            Some(y) => format!("{} {y}", self.short_authors()),
            None => self.title.clone(),
        }
    }

    /// `Gray & Cheriton`, `Corbett et al.`: the short author form used in messages. An
    /// organisation (`Amazon Web Services`, `etcd Authors`) is named as written.
    #[must_use]
    pub fn short_authors(&self) -> String {
        let surname = |a: &String| {
            if is_organisation(a) {
                a.clone()
            } else {
                a.rsplit(' ').next().unwrap_or(a).to_string()
            }
        };
        match self.authors.as_slice() {
            [] => String::new(),
            [one] => surname(one),
            [a, b] => format!("{} & {}", surname(a), surname(b)),
            [a, ..] => format!("{} et al.", surname(a)),
        }
    }

    /// `Gray & Cheriton 1989, "Leases: ..." (level 4, peer-reviewed)`.
    #[must_use]
    pub fn reference(&self) -> String {
        let year = self.year.map(|y| format!(" {y}")).unwrap_or_default();
        format!(
            "{}{}, \"{}\" (level {}, {})",
            self.short_authors(),
            year,
            self.title,
            self.level.0,
            self.level.label()
        )
    }

    /// The DOI link when there is one, else the URL.
    #[must_use]
    pub fn link(&self) -> String {
        match &self.doi {
            Some(doi) => format!("https://doi.org/{doi}"),
            None => self.url.clone(),
        }
    }
}

/// A coordination pattern an item can embody.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub safety: String,
    pub liveness: String,
    /// What concretely breaks when code implementing the pattern is wrong (for reports).
    pub violation: String,
    /// Locked decisions that govern the pattern.
    pub decisions: Vec<String>,
    /// The anti-patterns checked on items that embody the pattern: all of them but those
    /// the pattern relaxes.
    pub anti_patterns: Vec<AntiPattern>,
    /// The prohibitions the pattern relaxes, each with its reason and citation (a retry's
    /// backoff reads a clock: for liveness only).
    pub relaxed: Vec<Relaxation>,
    /// The locked decision that forbids the pattern for coordination, if any.
    pub forbidden_by: Option<String>,
    /// Other names that mean this pattern (`epidemic` for `gossip`).
    pub aliases: Vec<String>,
    pub origin: Origin,
}

/// A prohibition a pattern relaxes: which, why, and the work that says so.
#[derive(Clone, Debug)]
pub struct Relaxation {
    pub anti_pattern: AntiPattern,
    pub reason: String,
    /// A citation id of the registry.
    pub cite: String,
}

impl Pattern {
    /// Whether Decision A governs the pattern, so an item embodying it names the proven
    /// system it delegates consensus to (`backend = ".."`). The one home of that predicate:
    /// the attribute's DA0019/DA0035 and `cargo distaudit lint-docs` ask it.
    #[must_use]
    pub fn needs_backend(&self) -> bool {
        self.decisions
            .iter()
            .any(|d| d == crate::catalogue::PROVEN_BACKEND_DECISION)
    }
}

/// A tag citations carry that is not a pattern (`formal-spec`, `network-faults`).
#[derive(Clone, Debug)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub origin: Origin,
}

/// A locked architectural decision: never contradicted, no `allow`.
#[derive(Clone, Debug)]
pub struct LockedDecision {
    pub id: String,
    pub title: String,
    pub statement: String,
    pub rationale: String,
    /// Citation ids that ground the decision.
    pub sources: Vec<String>,
    /// Pattern ids the decision governs.
    pub patterns: Vec<String>,
    /// Where the decision stands, as decision records have it (`accepted` unless said).
    pub status: DecisionStatus,
    /// The decision that replaces it, when superseded.
    pub superseded_by: Option<String>,
    /// The decisions it makes precise (a team's "cursors never regress" refines D2.3): a
    /// check that upholds it counts for them too.
    pub refines: Vec<String>,
    pub origin: Origin,
}

/// Where a locked decision stands, in the terms architecture decision records use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DecisionStatus {
    Proposed,
    #[default]
    Accepted,
    Deprecated,
    Superseded,
}

impl DecisionStatus {
    /// The status written as `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<DecisionStatus> {
        Some(match name {
            "proposed" => DecisionStatus::Proposed,
            "accepted" => DecisionStatus::Accepted,
            "deprecated" => DecisionStatus::Deprecated,
            "superseded" => DecisionStatus::Superseded,
            _ => return None,
        })
    }
}

/// The registry's text for one anti-pattern of the catalogue.
#[derive(Clone, Debug)]
pub struct AntiPatternEntry {
    pub anti_pattern: AntiPattern,
    pub title: String,
    pub statement: String,
    pub why: String,
    pub fix: String,
    pub sources: Vec<String>,
    pub origin: Origin,
}

/// A proven consensus system an item may delegate leader election or consensus to.
#[derive(Clone, Debug)]
pub struct Backend {
    pub id: String,
    pub name: String,
    pub protocol: String,
    /// `service` or `library`.
    pub kind: String,
    pub url: String,
    pub sources: Vec<String>,
    pub summary: String,
    pub origin: Origin,
}

/// `[[exempt]]` in a crate's `distaudit.toml`: an item `cargo distaudit` does not report,
/// with the reason a reviewer reads, until an optional expiry date.
#[derive(Clone, Debug)]
pub struct Exemption {
    /// `module::path::name` from the crate root.
    pub item: String,
    pub reason: String,
    /// `YYYY-MM-DD`: from that day on the finding returns.
    pub expires: Option<String>,
    pub origin: Origin,
}

/// `[[set_aside]]` in a workspace's or crate's `distaudit.toml`: a default locked decision the
/// team does not hold itself to (a membership layer built on SWIM sets aside Decision B),
/// with the written reason and the citation that support doing so. The rules that enforce
/// it are silent; the docs and the audit show that it was set aside.
#[derive(Clone, Debug)]
pub struct SetAside {
    /// The decision's id (`B`).
    pub decision: String,
    pub reason: String,
    /// The citation id of the work the team follows instead.
    pub cite: String,
    pub origin: Origin,
}

/// When the woven-in checks run, for the crate being compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Checks {
    /// In debug builds and under `cfg(test)` (the default).
    #[default]
    DebugAndTest,
    /// Always, release builds included.
    Always,
    /// Never: functions are emitted exactly as written.
    Off,
}

/// The whole registry, validated.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    pub citations: Vec<Citation>,
    pub patterns: Vec<Pattern>,
    pub topics: Vec<Topic>,
    pub decisions: Vec<LockedDecision>,
    pub anti_patterns: Vec<AntiPatternEntry>,
    pub backends: Vec<Backend>,
    /// Exemptions of the project file (the attribute ignores them; the crate-wide audit
    /// reads them).
    pub exemptions: Vec<Exemption>,
    /// Default decisions the project sets aside, each with its reason and citation.
    pub set_aside: Vec<SetAside>,
    /// `[[evidence]]` links of the project file: specs, proofs, models and tests that are
    /// evidence for decisions and checks (the attribute ignores them; `cargo distaudit`
    /// checks them).
    pub evidence: Vec<EvidenceLink>,
    /// `[checks] mode = ".."` of the project file: this crate's check switch (per crate, so
    /// no dependency can turn another crate's checks off).
    pub checks: Option<Checks>,
    /// `[warnings] allow = ["DA0010", ..]` of the project file: WARN codes this crate does
    /// not want as compiler warnings (`cargo distaudit` still reports them).
    pub allowed_warnings: Vec<crate::diag::Code>,
}

/// The anti-patterns that apply to code embodying `patterns`: the union of their lists,
/// sorted and without repeats.
#[must_use]
pub fn anti_patterns_of<'p>(patterns: impl IntoIterator<Item = &'p Pattern>) -> Vec<AntiPattern> {
    let mut out: Vec<AntiPattern> = patterns
        .into_iter()
        .flat_map(|p| p.anti_patterns.iter().copied())
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Registry {
    /// How the project set the decision aside, if it did.
    #[must_use]
    pub fn set_aside(&self, decision: &str) -> Option<&SetAside> {
        self.set_aside.iter().find(|s| s.decision == decision)
    }

    #[must_use]
    pub fn citation(&self, id: &str) -> Option<&Citation> {
        self.citations.iter().find(|c| c.id == id)
    }

    /// The pattern with this id or alias.
    #[must_use]
    pub fn pattern(&self, id: &str) -> Option<&Pattern> {
        self.patterns
            .iter()
            .find(|p| p.id == id || p.aliases.iter().any(|a| a == id))
    }

    #[must_use]
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    #[must_use]
    pub fn decision(&self, id: &str) -> Option<&LockedDecision> {
        self.decisions.iter().find(|d| d.id == id)
    }

    #[must_use]
    pub fn anti_pattern(&self, anti_pattern: AntiPattern) -> Option<&AntiPatternEntry> {
        self.anti_patterns
            .iter()
            .find(|a| a.anti_pattern == anti_pattern)
    }

    #[must_use]
    pub fn backend(&self, id: &str) -> Option<&Backend> {
        self.backends.iter().find(|b| b.id == id)
    }

    /// The citations supporting `pattern`, strongest evidence first, then oldest first.
    #[must_use]
    pub fn citations_for(&self, pattern: &str) -> Vec<&Citation> {
        let mut found: Vec<&Citation> = self
            .citations
            .iter()
            .filter(|c| c.supports(pattern))
            .collect();
        sort_evidence(&mut found);
        found
    }

    /// `"gray-cheriton-1989" (level 4), "burrows-2006" (level 4), ...` for messages.
    #[must_use]
    pub fn list_citations_for(&self, pattern: &str, max: usize) -> String {
        list_citations(&self.citations_for(pattern), max)
    }

    /// A short `Author Year` reference for a citation id, or the id itself.
    #[must_use]
    pub fn short_reference(&self, id: &str) -> String {
        match self.citation(id) {
            Some(c) => format!("{} [{id}]", c.who()),
            None => id.to_string(),
        }
    }

    /// `Ongaro & Ousterhout 2014 [ongaro-ousterhout-2014]; ...` for a list of citation ids.
    #[must_use]
    pub fn short_references(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|id| self.short_reference(id))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Strongest evidence first, then oldest first (the origin of the idea), then id.
pub fn sort_evidence(citations: &mut [&Citation]) {
    citations.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(a.year.unwrap_or(u16::MAX).cmp(&b.year.unwrap_or(u16::MAX)))
            .then(a.id.cmp(&b.id))
    });
}

/// `"a" (level 4), "b" (level 3)` for the first `max` citations.
#[must_use]
pub fn list_citations(citations: &[&Citation], max: usize) -> String {
    let mut parts: Vec<String> = citations
        .iter()
        .take(max)
        .map(|c| format!("\"{}\" (level {})", c.id, c.level.0))
        .collect();
    if citations.len() > max {
        parts.push(format!("and {} more", citations.len() - max));
    }
    parts.join(", ")
}

/// The least a justification must say: a few real words.
pub const MIN_JUSTIFICATION_WORDS: usize = 3;

/// The number of real words (two letters or more) in a justification.
#[must_use]
pub fn justification_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(authors: &[&str]) -> String {
        Citation {
            id: "x-2000".into(),
            level: EvidenceLevel(3),
            kind: "docs".into(),
            title: "T".into(),
            authors: authors.iter().map(ToString::to_string).collect(),
            year: Some(2000),
            venue: String::new(),
            doi: None,
            url: String::new(),
            patterns: Vec::new(),
            note: String::new(),
            origin: Origin {
                file: String::new(),
                line: 1,
                project: false,
            },
        }
        .short_authors()
    }

    /// People are named by surname; an organisation as written, alone or first of several.
    #[test]
    fn organisations_render_as_written() {
        assert_eq!(by(&["Amazon Web Services"]), "Amazon Web Services");
        assert_eq!(by(&["etcd Authors"]), "etcd Authors");
        assert_eq!(by(&["TigerBeetle"]), "TigerBeetle");
        assert_eq!(
            by(&["Cary G. Gray", "David R. Cheriton"]),
            "Gray & Cheriton"
        );
        assert_eq!(by(&["Marcel van der Holst"]), "Holst");
        assert_eq!(
            by(&["Apache Software Foundation", "Jay Kreps"]),
            "Apache Software Foundation & Kreps"
        );
        assert_eq!(
            by(&["Fay Chang", "Jeffrey Dean", "Sanjay Ghemawat"]),
            "Chang et al."
        );
    }

    /// Every author of the default registry that is an organisation is one: no person is
    /// taken for one.
    #[test]
    fn the_default_registry_has_two_organisations() {
        let Ok(registry) = default_registry() else {
            panic!("the default registry loads")
        };
        let mut organisations: Vec<&str> = registry
            .citations
            .iter()
            .flat_map(|c| c.authors.iter())
            .map(String::as_str)
            .filter(|a| is_organisation(a))
            .collect();
        organisations.sort_unstable();
        organisations.dedup();
        assert_eq!(organisations, ["Amazon Web Services", "etcd Authors"]);
    }
}
