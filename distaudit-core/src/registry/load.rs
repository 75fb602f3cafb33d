//! Reading registry files: TOML into the model, with file and line on every error, parsed
//! once per process.

use super::validate::validate;
use super::{
    AntiPatternEntry, Backend, Checks, Citation, EvidenceLevel, Exemption, LockedDecision, Origin,
    Pattern, Registry, Topic,
};
use crate::catalogue::AntiPattern;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use toml::Spanned;

/// A registry file that cannot be used: which file, which line, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryError {
    pub file: String,
    /// 1-based; 0 when the problem is not tied to a line (an unreadable file).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for RegistryError {}

/// The default registry files, embedded at build time (editing one rebuilds the engine).
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    (
        "citations/citations.toml",
        include_str!("../../citations/citations.toml"),
    ),
    (
        "citations/patterns.toml",
        include_str!("../../citations/patterns.toml"),
    ),
    (
        "citations/decisions.toml",
        include_str!("../../citations/decisions.toml"),
    ),
    (
        "citations/anti_patterns.toml",
        include_str!("../../citations/anti_patterns.toml"),
    ),
    (
        "citations/backends.toml",
        include_str!("../../citations/backends.toml"),
    ),
];

/// The name of a crate's own registry file, at its manifest root.
pub const PROJECT_FILE: &str = "distaudit.toml";

/// The default registry, parsed and validated once per process.
///
/// # Errors
/// When the embedded data is broken (a registry integrity test keeps that from shipping).
pub fn default_registry() -> Result<&'static Registry, &'static RegistryError> {
    static DEFAULT: OnceLock<Result<Registry, RegistryError>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| parse_files(DEFAULT_FILES, false))
        .as_ref()
}

/// The registry as seen from a crate: the default plus `distaudit.toml` in `manifest_dir`
/// when there is one. Returns the file's path too, so generated code can depend on it.
/// Parsed once per file content per process.
///
/// # Errors
/// A malformed project file, or one that shadows a default id.
pub fn project_registry(
    manifest_dir: Option<&Path>,
) -> Result<(Arc<Registry>, Option<PathBuf>), RegistryError> {
    /// Parsed project registries by file, with the text they were parsed from.
    type Cache = Mutex<BTreeMap<PathBuf, (String, Arc<Registry>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    static DEFAULT_ARC: OnceLock<Arc<Registry>> = OnceLock::new();

    let default = default_registry().map_err(Clone::clone)?;
    let default_arc = || Arc::clone(DEFAULT_ARC.get_or_init(|| Arc::new(default.clone())));
    let Some(dir) = manifest_dir else {
        return Ok((default_arc(), None));
    };
    let path = dir.join(PROJECT_FILE);
    let Some(text) = read_project_file(&path)? else {
        return Ok((default_arc(), None));
    };
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((cached_text, registry)) = cache.get(&path)
        && *cached_text == text
    {
        return Ok((Arc::clone(registry), Some(path)));
    }
    let shown = path.display().to_string();
    let mut files: Vec<(&str, &str)> = DEFAULT_FILES.to_vec();
    files.push((shown.as_str(), text.as_str()));
    let registry = Arc::new(parse_files(&files, true)?);
    cache.insert(path.clone(), (text, Arc::clone(&registry)));
    Ok((registry, Some(path)))
}

/// The project file's text, `None` when there is none. A path that is there but cannot be
/// used (a directory, a dangling or looping symlink, unreadable, not UTF-8) is an error, never
/// a silent fall back to the default registry.
fn read_project_file(path: &Path) -> Result<Option<String>, RegistryError> {
    let error = |line: usize, message: String| RegistryError {
        file: path.display().to_string(),
        line,
        message,
    };
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(error(0, format!("cannot be examined: {e}"))),
        Ok(_) => {}
    }
    let meta = std::fs::metadata(path).map_err(|e| {
        error(
            0,
            format!(
                "is a symbolic link that does not lead to a file ({e}): fix or remove the link"
            ),
        )
    })?;
    if meta.is_dir() {
        return Err(error(
            0,
            format!("is a directory; the project registry is a TOML file named {PROJECT_FILE}"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| error(0, format!("cannot be read: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
            Err(error(
                line,
                format!("is not UTF-8 text: byte {at} (line {line}) is not valid UTF-8"),
            ))
        }
    }
}

/// Parse and validate a set of files; the last one is the project file when `with_project`.
///
/// # Errors
/// The first problem found, with its file and line.
pub fn parse_files(files: &[(&str, &str)], with_project: bool) -> Result<Registry, RegistryError> {
    let mut registry = Registry::default();
    let last = files.len().saturating_sub(1);
    for (index, (name, text)) in files.iter().enumerate() {
        let project = with_project && index == last;
        let lines = Lines::new(text);
        let line_of = |_: &str, offset: usize| lines.of(offset);
        let raw = RawFile::read(text).map_err(|(at, message)| RegistryError {
            file: (*name).to_string(),
            line: at.map_or(0, |at| line_of(text, at)),
            message,
        })?;
        if project && !raw.anti_pattern.is_empty() {
            return Err(RegistryError {
                file: (*name).to_string(),
                line: line_of(text, raw.anti_pattern[0].slug.span().start),
                message: "the seven anti-patterns are fixed by distaudit; a project file may add \
                          citations, patterns, topics, decisions and backends"
                    .into(),
            });
        }
        let origin = |span: std::ops::Range<usize>| Origin {
            file: (*name).to_string(),
            line: line_of(text, span.start),
            project,
        };
        for c in raw.citation {
            registry.citations.push(Citation {
                origin: origin(c.id.span()),
                id: c.id.into_inner(),
                level: EvidenceLevel(c.level),
                kind: c.kind,
                title: c.title,
                authors: c.authors,
                year: c.year,
                venue: c.venue,
                doi: c.doi,
                url: c.url,
                patterns: c.patterns,
                note: c.note,
            });
        }
        for p in raw.pattern {
            registry.patterns.push(Pattern {
                origin: origin(p.id.span()),
                id: p.id.into_inner(),
                name: p.name,
                summary: p.summary,
                safety: p.safety,
                liveness: p.liveness,
                violation: p.violation,
                decisions: p.decisions,
                anti_patterns: p.anti_patterns,
                forbidden_by: p.forbidden_by,
                aliases: p.aliases,
            });
        }
        for t in raw.topic {
            registry.topics.push(Topic {
                origin: origin(t.id.span()),
                id: t.id.into_inner(),
                name: t.name,
                summary: t.summary,
            });
        }
        for d in raw.decision {
            registry.decisions.push(LockedDecision {
                origin: origin(d.id.span()),
                id: d.id.into_inner(),
                title: d.title,
                statement: d.statement,
                rationale: d.rationale,
                sources: d.sources,
                patterns: d.patterns,
            });
        }
        for a in raw.anti_pattern {
            registry.anti_patterns.push(AntiPatternEntry {
                origin: origin(a.slug.span()),
                anti_pattern: a.slug.into_inner(),
                title: a.title,
                statement: a.statement,
                why: a.why,
                fix: a.fix,
                sources: a.sources,
            });
        }
        if !project && let Some(e) = raw.exempt.first() {
            return Err(RegistryError {
                file: (*name).to_string(),
                line: line_of(text, e.item.span().start),
                message: "`[[exempt]]` belongs in a crate's distaudit.toml".into(),
            });
        }
        if let Some(checks) = raw.checks {
            let line = line_of(text, checks.mode.span().start);
            if !project {
                return Err(RegistryError {
                    file: (*name).to_string(),
                    line,
                    message: "`[checks]` belongs in a crate's distaudit.toml".into(),
                });
            }
            registry.checks = Some(match checks.mode.get_ref().as_str() {
                "debug" => Checks::DebugAndTest,
                "always" => Checks::Always,
                "off" => Checks::Off,
                other => {
                    return Err(RegistryError {
                        file: (*name).to_string(),
                        line,
                        message: format!(
                            "`[checks] mode = \"{other}\"`: the modes are \"debug\" (debug builds and tests, the default), \"always\" (release builds too) and \"off\" (functions emitted as written)"
                        ),
                    });
                }
            });
        }
        if let Some(w) = raw.warnings {
            for code in w.allow {
                let line = line_of(text, code.span().start);
                let wanted = code.into_inner();
                let found = crate::diag::Code::all()
                    .into_iter()
                    .find(|c| c.to_string() == wanted);
                match found {
                    _ if !project => {
                        return Err(RegistryError {
                            file: (*name).to_string(),
                            line,
                            message: "`[warnings]` belongs in a crate's distaudit.toml".into(),
                        });
                    }
                    Some(c) if c.severity() == crate::diag::Severity::Warn => {
                        registry.allowed_warnings.push(c);
                    }
                    Some(c) => {
                        return Err(RegistryError {
                            file: (*name).to_string(),
                            line,
                            message: format!(
                                "`{c}` is a BLOCK code: only WARN codes can be allowed; fix what it reports, or use `allow(..)` on the item for an anti-pattern"
                            ),
                        });
                    }
                    None => {
                        return Err(RegistryError {
                            file: (*name).to_string(),
                            line,
                            message: format!(
                                "`[warnings] allow` names \"{wanted}\", which is not a distaudit code (codes look like \"DA0010\")"
                            ),
                        });
                    }
                }
            }
        }
        for e in raw.exempt {
            registry.exemptions.push(Exemption {
                origin: origin(e.item.span()),
                item: e.item.into_inner(),
                reason: e.reason,
                expires: e.expires,
            });
        }
        for b in raw.backend {
            registry.backends.push(Backend {
                origin: origin(b.id.span()),
                id: b.id.into_inner(),
                name: b.name,
                protocol: b.protocol,
                kind: b.kind,
                url: b.url,
                sources: b.sources,
                summary: b.summary,
            });
        }
    }
    validate(&registry)?;
    Ok(registry)
}

/// Byte offsets to 1-based lines, from one scan of the text (a registry of thousands of
/// entries asks for thousands of lines).
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub(crate) fn new(text: &str) -> Self {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// 1-based line of a byte offset.
    pub(crate) fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|newline| *newline < offset) + 1
    }
}

// The file's tables, read from toml's spanned document by hand rather than by serde's
// derive: the registry is the only thing the engine deserialises, and serde_derive was a
// second proc-macro build in every user's dependency tree. Each table refuses unknown
// fields and names a missing or mistyped one, at its line.

type Value<'i> = toml::de::DeValue<'i>;
type Table<'i> = toml::de::DeTable<'i>;

/// One table of a file, and where it is, for errors.
struct Fields<'t, 'i> {
    table: &'t Table<'i>,
    /// The table's byte range in the file.
    span: std::ops::Range<usize>,
    /// `citation`, `checks`, ...: how an error names the table.
    what: &'static str,
}

/// A problem in a file at a byte offset, before the file's name and line are added.
struct RawError {
    at: usize,
    message: String,
}

type Read<T> = Result<T, RawError>;

impl<'t, 'i> Fields<'t, 'i> {
    fn new(value: &'t Spanned<Value<'i>>, what: &'static str, known: &[&str]) -> Read<Self> {
        let Value::Table(table) = value.get_ref() else {
            return Err(RawError {
                at: value.span().start,
                message: format!(
                    "invalid type: {}, expected a `{what}` table",
                    value.get_ref().type_str()
                ),
            });
        };
        for key in table.keys() {
            if !known.contains(&key.get_ref().as_ref()) {
                let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                return Err(RawError {
                    at: key.span().start,
                    message: format!(
                        "unknown field `{}` in `{what}`, expected one of {}",
                        key.get_ref(),
                        expected.join(", ")
                    ),
                });
            }
        }
        Ok(Fields {
            table,
            span: value.span(),
            what,
        })
    }

    fn get(&self, key: &str) -> Option<&'t Spanned<Value<'i>>> {
        self.table.get(key)
    }

    fn missing(&self, key: &str) -> RawError {
        RawError {
            at: self.span.start,
            message: format!("missing field `{key}` in `{}`", self.what),
        }
    }

    fn mistyped(&self, key: &str, value: &Spanned<Value<'_>>, expected: &str) -> RawError {
        RawError {
            at: value.span().start,
            message: format!(
                "invalid type for `{key}` in `{}`: {}, expected {expected}",
                self.what,
                value.get_ref().type_str()
            ),
        }
    }

    fn opt_str(&self, key: &str) -> Read<Option<Spanned<String>>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref().as_str() {
                Some(text) => Ok(Some(Spanned::new(v.span(), text.to_string()))),
                None => Err(self.mistyped(key, v, "a string")),
            },
        }
    }

    fn spanned_str(&self, key: &str) -> Read<Spanned<String>> {
        self.opt_str(key)?.ok_or_else(|| self.missing(key))
    }

    fn str(&self, key: &str) -> Read<String> {
        Ok(self.spanned_str(key)?.into_inner())
    }

    fn str_or_empty(&self, key: &str) -> Read<String> {
        Ok(self
            .opt_str(key)?
            .map(Spanned::into_inner)
            .unwrap_or_default())
    }

    fn list(&self, key: &str) -> Read<Vec<Spanned<String>>> {
        let Some(v) = self.get(key) else {
            return Ok(Vec::new());
        };
        let Some(items) = v.get_ref().as_array() else {
            return Err(self.mistyped(key, v, "a list of strings"));
        };
        items
            .iter()
            .map(|item| match item.get_ref().as_str() {
                Some(text) => Ok(Spanned::new(item.span(), text.to_string())),
                None => Err(self.mistyped(key, item, "a string")),
            })
            .collect()
    }

    fn strings(&self, key: &str) -> Read<Vec<String>> {
        Ok(self
            .list(key)?
            .into_iter()
            .map(Spanned::into_inner)
            .collect())
    }

    fn required_list(&self, key: &str) -> Read<Vec<Spanned<String>>> {
        if self.get(key).is_none() {
            return Err(self.missing(key));
        }
        self.list(key)
    }

    fn opt_int<T: TryFrom<i64>>(&self, key: &str, expected: &str) -> Read<Option<T>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        v.get_ref()
            .as_integer()
            .and_then(|i| i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok())
            .and_then(|i| T::try_from(i).ok())
            .map(Some)
            .ok_or_else(|| self.mistyped(key, v, expected))
    }
}

/// The tables of one kind (`[[citation]]`), each checked for its fields.
fn tables<'t, 'i>(
    root: &Fields<'t, 'i>,
    key: &str,
    what: &'static str,
    known: &[&str],
) -> Read<Vec<Fields<'t, 'i>>> {
    let Some(v) = root.get(key) else {
        return Ok(Vec::new());
    };
    let Some(items) = v.get_ref().as_array() else {
        return Err(root.mistyped(key, v, &format!("an array of `[[{key}]]` tables")));
    };
    items
        .iter()
        .map(|item| Fields::new(item, what, known))
        .collect()
}

struct RawFile {
    citation: Vec<RawCitation>,
    pattern: Vec<RawPattern>,
    topic: Vec<RawTopic>,
    decision: Vec<RawDecision>,
    anti_pattern: Vec<RawAntiPattern>,
    backend: Vec<RawBackend>,
    exempt: Vec<RawExempt>,
    checks: Option<RawChecks>,
    warnings: Option<RawWarnings>,
}

impl RawFile {
    fn read(text: &str) -> Result<Self, (Option<usize>, String)> {
        let doc = toml::de::DeTable::parse(text)
            .map_err(|e| (e.span().map(|s| s.start), e.message().trim().to_string()))?;
        let root_value = Spanned::new(doc.span(), Value::Table(doc.into_inner()));
        Self::from_root(&root_value).map_err(|e| (Some(e.at), e.message))
    }

    fn from_root(root: &Spanned<Value<'_>>) -> Read<Self> {
        let root = Fields::new(
            root,
            "registry file",
            &[
                "citation",
                "pattern",
                "topic",
                "decision",
                "anti_pattern",
                "backend",
                "exempt",
                "checks",
                "warnings",
            ],
        )?;
        let citation = tables(
            &root,
            "citation",
            "citation",
            &[
                "id", "level", "kind", "title", "authors", "year", "venue", "doi", "url",
                "patterns", "note",
            ],
        )?
        .iter()
        .map(|c| {
            Ok(RawCitation {
                id: c.spanned_str("id")?,
                level: c
                    .opt_int("level", "a level from 1 to 5")?
                    .ok_or_else(|| c.missing("level"))?,
                kind: c.str("kind")?,
                title: c.str("title")?,
                authors: c
                    .required_list("authors")?
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                year: c.opt_int("year", "a year")?,
                venue: c.str("venue")?,
                doi: c.opt_str("doi")?.map(Spanned::into_inner),
                url: c.str("url")?,
                patterns: c
                    .required_list("patterns")?
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                note: c.str_or_empty("note")?,
            })
        })
        .collect::<Read<_>>()?;
        let pattern = tables(
            &root,
            "pattern",
            "pattern",
            &[
                "id",
                "name",
                "summary",
                "safety",
                "liveness",
                "violation",
                "decisions",
                "anti_patterns",
                "forbidden_by",
                "aliases",
            ],
        )?
        .iter()
        .map(|p| {
            let anti_patterns = p
                .list("anti_patterns")?
                .into_iter()
                .map(|slug| anti_pattern_of(&slug))
                .collect::<Read<_>>()?;
            Ok(RawPattern {
                id: p.spanned_str("id")?,
                name: p.str("name")?,
                summary: p.str("summary")?,
                safety: p.str("safety")?,
                liveness: p.str("liveness")?,
                violation: p.str_or_empty("violation")?,
                decisions: p.strings("decisions")?,
                anti_patterns,
                forbidden_by: p.opt_str("forbidden_by")?.map(Spanned::into_inner),
                aliases: p.strings("aliases")?,
            })
        })
        .collect::<Read<_>>()?;
        let topic = tables(&root, "topic", "topic", &["id", "name", "summary"])?
            .iter()
            .map(|t| {
                Ok(RawTopic {
                    id: t.spanned_str("id")?,
                    name: t.str("name")?,
                    summary: t.str("summary")?,
                })
            })
            .collect::<Read<_>>()?;
        let decision = tables(
            &root,
            "decision",
            "decision",
            &[
                "id",
                "title",
                "statement",
                "rationale",
                "sources",
                "patterns",
            ],
        )?
        .iter()
        .map(|d| {
            Ok(RawDecision {
                id: d.spanned_str("id")?,
                title: d.str("title")?,
                statement: d.str("statement")?,
                rationale: d.str("rationale")?,
                sources: d.strings("sources")?,
                patterns: d.strings("patterns")?,
            })
        })
        .collect::<Read<_>>()?;
        let anti_pattern = tables(
            &root,
            "anti_pattern",
            "anti_pattern",
            &["slug", "title", "statement", "why", "fix", "sources"],
        )?
        .iter()
        .map(|a| {
            let slug = a.spanned_str("slug")?;
            Ok(RawAntiPattern {
                slug: Spanned::new(slug.span(), anti_pattern_of(&slug)?),
                title: a.str("title")?,
                statement: a.str("statement")?,
                why: a.str("why")?,
                fix: a.str("fix")?,
                sources: a.strings("sources")?,
            })
        })
        .collect::<Read<_>>()?;
        let backend = tables(
            &root,
            "backend",
            "backend",
            &[
                "id", "name", "protocol", "kind", "url", "sources", "summary",
            ],
        )?
        .iter()
        .map(|b| {
            Ok(RawBackend {
                id: b.spanned_str("id")?,
                name: b.str("name")?,
                protocol: b.str("protocol")?,
                kind: b.str("kind")?,
                url: b.str("url")?,
                sources: b.strings("sources")?,
                summary: b.str("summary")?,
            })
        })
        .collect::<Read<_>>()?;
        let exempt = tables(&root, "exempt", "exempt", &["item", "reason", "expires"])?
            .iter()
            .map(|e| {
                Ok(RawExempt {
                    item: e.spanned_str("item")?,
                    reason: e.str("reason")?,
                    expires: e.opt_str("expires")?.map(Spanned::into_inner),
                })
            })
            .collect::<Read<_>>()?;
        let checks = match root.get("checks") {
            None => None,
            Some(v) => {
                let c = Fields::new(v, "checks", &["mode"])?;
                Some(RawChecks {
                    mode: c.spanned_str("mode")?,
                })
            }
        };
        let warnings = match root.get("warnings") {
            None => None,
            Some(v) => {
                let w = Fields::new(v, "warnings", &["allow"])?;
                Some(RawWarnings {
                    allow: w.required_list("allow")?,
                })
            }
        };
        Ok(RawFile {
            citation,
            pattern,
            topic,
            decision,
            anti_pattern,
            backend,
            exempt,
            checks,
            warnings,
        })
    }
}

/// An anti-pattern by its slug, or the error that lists the slugs.
fn anti_pattern_of(slug: &Spanned<String>) -> Read<AntiPattern> {
    AntiPattern::from_slug(slug.get_ref()).ok_or_else(|| RawError {
        at: slug.span().start,
        message: format!(
            "unknown anti-pattern `{}`, expected one of {}",
            slug.get_ref(),
            AntiPattern::slugs()
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

struct RawWarnings {
    allow: Vec<Spanned<String>>,
}

struct RawChecks {
    mode: Spanned<String>,
}

struct RawExempt {
    item: Spanned<String>,
    reason: String,
    expires: Option<String>,
}

struct RawCitation {
    id: Spanned<String>,
    level: u8,
    kind: String,
    title: String,
    authors: Vec<String>,
    year: Option<u16>,
    venue: String,
    doi: Option<String>,
    url: String,
    patterns: Vec<String>,
    note: String,
}

struct RawPattern {
    id: Spanned<String>,
    name: String,
    summary: String,
    safety: String,
    liveness: String,
    violation: String,
    decisions: Vec<String>,
    anti_patterns: Vec<AntiPattern>,
    forbidden_by: Option<String>,
    aliases: Vec<String>,
}

struct RawTopic {
    id: Spanned<String>,
    name: String,
    summary: String,
}

struct RawDecision {
    id: Spanned<String>,
    title: String,
    statement: String,
    rationale: String,
    sources: Vec<String>,
    patterns: Vec<String>,
}

struct RawAntiPattern {
    slug: Spanned<AntiPattern>,
    title: String,
    statement: String,
    why: String,
    fix: String,
    sources: Vec<String>,
}

struct RawBackend {
    id: Spanned<String>,
    name: String,
    protocol: String,
    kind: String,
    url: String,
    sources: Vec<String>,
    summary: String,
}
