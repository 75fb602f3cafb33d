//! Reading registry files: TOML into the model, with file and line on every error, parsed
//! once per process.

use super::validate::validate;
use super::{
    AntiPatternEntry, Backend, Checks, Citation, DecisionStatus, EvidenceKind, EvidenceLevel,
    EvidenceLink, Exemption, LockedDecision, Origin, Pattern, Registry, Relaxation, SetAside,
    Topic,
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

/// The registry as seen from a crate: the default, then the workspace's `distaudit.toml`
/// (at the root of the workspace the crate is a member of, when that is not the crate's own
/// directory), then the crate's own `distaudit.toml`, each extending the one before. Returns
/// the files read too, so generated code can depend on them. Parsed once per content per
/// process.
///
/// # Errors
/// A malformed project file, or one that shadows an id of a file before it.
pub fn project_registry(
    manifest_dir: Option<&Path>,
) -> Result<(Arc<Registry>, Vec<PathBuf>), RegistryError> {
    /// Parsed project registries by their files, with the texts they were parsed from.
    type Cache = Mutex<BTreeMap<Vec<PathBuf>, (Vec<String>, Arc<Registry>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    static DEFAULT_ARC: OnceLock<Arc<Registry>> = OnceLock::new();

    let default = default_registry().map_err(Clone::clone)?;
    let default_arc = || Arc::clone(DEFAULT_ARC.get_or_init(|| Arc::new(default.clone())));
    let Some(dir) = manifest_dir else {
        return Ok((default_arc(), Vec::new()));
    };
    let mut layers: Vec<(PathBuf, String, Layer)> = Vec::new();
    if let Some(root) = workspace_root(dir) {
        let path = root.join(PROJECT_FILE);
        if let Some(text) = read_project_file(&path)? {
            layers.push((path, text, Layer::Workspace));
        }
    }
    let own = dir.join(PROJECT_FILE);
    if let Some(text) = read_project_file(&own)? {
        layers.push((own, text, Layer::Crate));
    }
    if layers.is_empty() {
        return Ok((default_arc(), Vec::new()));
    }
    let paths: Vec<PathBuf> = layers.iter().map(|(p, _, _)| p.clone()).collect();
    let texts: Vec<String> = layers.iter().map(|(_, t, _)| t.clone()).collect();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((cached, registry)) = cache.get(&paths)
        && *cached == texts
    {
        return Ok((Arc::clone(registry), paths));
    }
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut files: Vec<(&str, &str, Layer)> = DEFAULT_FILES
        .iter()
        .map(|(n, t)| (*n, *t, Layer::Default))
        .collect();
    for ((_, text, layer), name) in layers.iter().zip(&shown) {
        files.push((name.as_str(), text.as_str(), *layer));
    }
    let registry = Arc::new(parse_layers(&files)?);
    cache.insert(paths.clone(), (texts, Arc::clone(&registry)));
    Ok((registry, paths))
}

/// The root of the workspace `dir` is a member of, when it is an ancestor of `dir` (a
/// crate that is its own workspace root reads its file once, as the crate's): the nearest
/// ancestor whose `Cargo.toml` declares `[workspace]`.
fn workspace_root(dir: &Path) -> Option<PathBuf> {
    let declares_workspace = |manifest: &Path| {
        std::fs::read_to_string(manifest).is_ok_and(|text| {
            text.lines().any(|l| {
                let l = l.trim();
                l == "[workspace]" || l.starts_with("[workspace.")
            })
        })
    };
    if declares_workspace(&dir.join("Cargo.toml")) {
        return None;
    }
    dir.ancestors()
        .skip(1)
        .find(|a| declares_workspace(&a.join("Cargo.toml")))
        .map(Path::to_path_buf)
}

/// Where a registry file sits: the embedded defaults, a workspace's file (shared by its
/// members), or a crate's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Default,
    Workspace,
    Crate,
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

/// Parse and validate a set of files; the last one is the crate's own file when
/// `with_project`, the others default files.
///
/// # Errors
/// The first problem found, with its file and line.
pub fn parse_files(files: &[(&str, &str)], with_project: bool) -> Result<Registry, RegistryError> {
    let last = files.len().saturating_sub(1);
    let layered: Vec<(&str, &str, Layer)> = files
        .iter()
        .enumerate()
        .map(|(index, (name, text))| {
            let layer = if with_project && index == last {
                Layer::Crate
            } else {
                Layer::Default
            };
            (*name, *text, layer)
        })
        .collect();
    parse_layers(&layered)
}

/// Parse and validate files in order, each of its layer.
///
/// # Errors
/// The first problem found, with its file and line.
pub fn parse_layers(files: &[(&str, &str, Layer)]) -> Result<Registry, RegistryError> {
    let mut registry = Registry::default();
    for (name, text, layer) in files {
        let source = Source {
            name,
            lines: Lines::new(text),
            project: *layer != Layer::Default,
            layer: *layer,
        };
        let anti_patterns_before = registry.anti_patterns.len();
        let exemptions_before = registry.exemptions.len();
        let evidence_before = registry.evidence.len();
        // Every table is read before any is judged by the file it is in: a malformed
        // table is reported before a well-formed one in the wrong file.
        let own = read_file(text, &source, &mut registry)?;
        if source.project
            && let Some(a) = registry.anti_patterns.get(anti_patterns_before)
        {
            return Err(source.error(
                a.origin.line,
                format!(
                    "the {} anti-patterns are fixed by distaudit; a project file may add \
                     citations, patterns, topics, decisions and backends",
                    crate::catalogue::AntiPattern::count_in_words()
                ),
            ));
        }
        if source.layer != Layer::Crate
            && let Some(e) = registry.exemptions.get(exemptions_before)
        {
            return Err(source.error(
                e.origin.line,
                "`[[exempt]]` belongs in a crate's distaudit.toml: an exemption names items of one crate",
            ));
        }
        if source.layer != Layer::Crate
            && let Some(e) = registry.evidence.get(evidence_before)
        {
            return Err(source.error(
                e.origin.line,
                "`[[evidence]]` belongs in a crate's distaudit.toml",
            ));
        }
        if let Some(mode) = own.mode {
            let line = source.line(mode.span().start);
            if !source.project {
                return Err(source.error(line, "`[checks]` belongs in a crate's distaudit.toml"));
            }
            registry.checks = Some(match mode.get_ref().as_str() {
                "debug" => Checks::DebugAndTest,
                "always" => Checks::Always,
                "off" => Checks::Off,
                other => {
                    return Err(source.error(
                        line,
                        format!(
                            "`[checks] mode = \"{other}\"`: the modes are \"debug\" (debug builds and tests, the default), \"always\" (release builds too) and \"off\" (functions emitted as written)"
                        ),
                    ));
                }
            });
        }
        for code in own.allow {
            let line = source.line(code.span().start);
            let wanted = code.into_inner();
            let found = crate::diag::Code::all()
                .into_iter()
                .find(|c| c.to_string() == wanted);
            match found {
                _ if !source.project => {
                    return Err(
                        source.error(line, "`[warnings]` belongs in a crate's distaudit.toml")
                    );
                }
                Some(c) if c.severity() == crate::diag::Severity::Warn => {
                    registry.allowed_warnings.push(c);
                }
                Some(c) => {
                    return Err(source.error(
                        line,
                        format!(
                            "`{c}` is a BLOCK code: only WARN codes can be allowed; fix what it reports, or use `allow(..)` on the item for an anti-pattern"
                        ),
                    ));
                }
                None => {
                    return Err(source.error(
                        line,
                        format!(
                            "`[warnings] allow` names \"{wanted}\", which is not a distaudit code (codes look like \"DA0010\")"
                        ),
                    ));
                }
            }
        }
    }
    validate(&registry)?;
    Ok(registry)
}

/// The file being read: its name as errors show it, its lines, and whether it is the
/// crate's own file.
struct Source<'a> {
    name: &'a str,
    lines: Lines,
    /// A workspace's or a crate's file, not the defaults.
    project: bool,
    layer: Layer,
}

impl Source<'_> {
    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.lines.of(offset)
    }

    /// Where an entry whose key is at `span` comes from.
    fn origin(&self, span: std::ops::Range<usize>) -> Origin {
        Origin {
            file: self.name.to_string(),
            line: self.line(span.start),
            project: self.project,
        }
    }

    fn error(&self, line: usize, message: impl Into<String>) -> RegistryError {
        RegistryError {
            file: self.name.to_string(),
            line,
            message: message.into(),
        }
    }
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

/// The tables of one kind (`[[citation]]`), each checked for its fields; errors name the
/// table by its key.
fn tables<'t, 'i>(
    root: &Fields<'t, 'i>,
    key: &'static str,
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
        .map(|item| Fields::new(item, key, known))
        .collect()
}

/// The tables only a crate's own file may have, as written: whether they are allowed is
/// decided once the whole file has been read.
struct ProjectTables {
    /// `[checks] mode`.
    mode: Option<Spanned<String>>,
    /// `[warnings] allow`.
    allow: Vec<Spanned<String>>,
}

/// Read one file's entries into `registry`, each with its origin.
fn read_file(
    text: &str,
    source: &Source<'_>,
    registry: &mut Registry,
) -> Result<ProjectTables, RegistryError> {
    let doc = toml::de::DeTable::parse(text).map_err(|e| {
        source.error(
            e.span().map_or(0, |s| source.line(s.start)),
            e.message().trim(),
        )
    })?;
    let root = Spanned::new(doc.span(), Value::Table(doc.into_inner()));
    read_root(&root, source, registry).map_err(|e| source.error(source.line(e.at), e.message))
}

/// Reads one file's tables kind by kind onto `registry`; returns the tables only a crate's
/// own file may have, as written.
fn read_root(
    root: &Spanned<Value<'_>>,
    source: &Source<'_>,
    registry: &mut Registry,
) -> Read<ProjectTables> {
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
            "set_aside",
            "evidence",
            "checks",
            "warnings",
        ],
    )?;
    // Fields are read in the order they are listed: with several problems, the first
    // one reported stays the same.
    read_each(&root, source, &mut registry.citations)?;
    read_each(&root, source, &mut registry.patterns)?;
    read_each(&root, source, &mut registry.topics)?;
    read_each(&root, source, &mut registry.decisions)?;
    read_each(&root, source, &mut registry.anti_patterns)?;
    read_each(&root, source, &mut registry.backends)?;
    read_each(&root, source, &mut registry.exemptions)?;
    read_each(&root, source, &mut registry.set_aside)?;
    read_each(&root, source, &mut registry.evidence)?;
    let mode = match root.get("checks") {
        None => None,
        Some(v) => Some(Fields::new(v, "checks", &["mode"])?.spanned_str("mode")?),
    };
    let allow = match root.get("warnings") {
        None => Vec::new(),
        Some(v) => Fields::new(v, "warnings", &["allow"])?.required_list("allow")?,
    };
    Ok(ProjectTables { mode, allow })
}

/// An entry of the registry, read from its own kind of table (`[[citation]]`, ...).
trait Entry: Sized {
    /// The key of its tables: `citation` for `[[citation]]`.
    const KEY: &'static str;
    /// The fields its table may have.
    const FIELDS: &'static [&'static str];
    /// The entry a table holds, with its origin in `source`.
    fn read(table: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self>;
}

/// Reads every table of `T`'s kind in the file, pushing each entry onto `into` as it is
/// read; the first problem stops the reading.
fn read_each<T: Entry>(root: &Fields<'_, '_>, source: &Source<'_>, into: &mut Vec<T>) -> Read<()> {
    for table in tables(root, T::KEY, T::FIELDS)? {
        into.push(T::read(&table, source)?);
    }
    Ok(())
}

impl Entry for Citation {
    const KEY: &'static str = "citation";
    const FIELDS: &'static [&'static str] = &[
        "id", "level", "kind", "title", "authors", "year", "venue", "doi", "url", "patterns",
        "note",
    ];

    /// A `[[citation]]` table as a citation.
    fn read(c: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        let id = c.spanned_str("id")?;
        Ok(Citation {
            origin: source.origin(id.span()),
            id: id.into_inner(),
            level: EvidenceLevel(
                c.opt_int("level", "a level from 1 to 5")?
                    .ok_or_else(|| c.missing("level"))?,
            ),
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
    }
}

impl Entry for Pattern {
    const KEY: &'static str = "pattern";
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "summary",
        "safety",
        "liveness",
        "violation",
        "decisions",
        "anti_patterns",
        "relax",
        "forbidden_by",
        "aliases",
    ];

    /// A `[[pattern]]` table as a pattern: held to every anti-pattern but those it relaxes,
    /// each with a reason and a citation (read first).
    fn read(p: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        if let Some(old) = p.get("anti_patterns") {
            return Err(RawError {
                at: old.span().start,
                message: format!(
                    "`anti_patterns = [..]` is gone: every coordination pattern is held to the {} anti-patterns; relax one only with a reason and a citation, `relax = [{{ anti_pattern = \"wall_clock\", reason = \"..\", cite = \"..\" }}]`",
                    AntiPattern::count_in_words()
                ),
            });
        }
        let mut relaxed = Vec::new();
        for r in tables(p, "relax", &["anti_pattern", "reason", "cite"])? {
            relaxed.push(Relaxation {
                anti_pattern: anti_pattern_of(&r.spanned_str("anti_pattern")?)?,
                reason: r.str("reason")?,
                cite: r.str("cite")?,
            });
        }
        let anti_patterns = AntiPattern::ALL
            .iter()
            .copied()
            .filter(|a| !relaxed.iter().any(|r| r.anti_pattern == *a))
            .collect();
        let id = p.spanned_str("id")?;
        Ok(Pattern {
            origin: source.origin(id.span()),
            id: id.into_inner(),
            name: p.str("name")?,
            summary: p.str("summary")?,
            safety: p.str("safety")?,
            liveness: p.str("liveness")?,
            violation: p.str_or_empty("violation")?,
            decisions: p.strings("decisions")?,
            anti_patterns,
            relaxed,
            forbidden_by: p.opt_str("forbidden_by")?.map(Spanned::into_inner),
            aliases: p.strings("aliases")?,
        })
    }
}

impl Entry for Topic {
    const KEY: &'static str = "topic";
    const FIELDS: &'static [&'static str] = &["id", "name", "summary"];

    /// A `[[topic]]` table as a topic tag.
    fn read(t: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        let id = t.spanned_str("id")?;
        Ok(Topic {
            origin: source.origin(id.span()),
            id: id.into_inner(),
            name: t.str("name")?,
            summary: t.str("summary")?,
        })
    }
}

impl Entry for LockedDecision {
    const KEY: &'static str = "decision";
    const FIELDS: &'static [&'static str] = &[
        "id",
        "title",
        "statement",
        "rationale",
        "sources",
        "patterns",
        "status",
        "superseded_by",
        "refines",
    ];

    /// A `[[decision]]` table as a locked decision.
    fn read(d: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        let status = match d.opt_str("status")? {
            None => DecisionStatus::default(),
            Some(s) => DecisionStatus::from_name(s.get_ref()).ok_or_else(|| RawError {
                at: s.span().start,
                message: format!(
                    "decision status \"{}\": the statuses are \"proposed\", \"accepted\", \"deprecated\" and \"superseded\"",
                    s.get_ref()
                ),
            })?,
        };
        let id = d.spanned_str("id")?;
        Ok(LockedDecision {
            status,
            superseded_by: d.opt_str("superseded_by")?.map(Spanned::into_inner),
            refines: d.strings("refines")?,
            origin: source.origin(id.span()),
            id: id.into_inner(),
            title: d.str("title")?,
            statement: d.str("statement")?,
            rationale: d.str("rationale")?,
            sources: d.strings("sources")?,
            patterns: d.strings("patterns")?,
        })
    }
}

impl Entry for AntiPatternEntry {
    const KEY: &'static str = "anti_pattern";
    const FIELDS: &'static [&'static str] =
        &["slug", "title", "statement", "why", "fix", "sources"];

    /// An `[[anti_pattern]]` table as the entry of one of the fixed anti-patterns.
    fn read(a: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        let slug = a.spanned_str("slug")?;
        Ok(AntiPatternEntry {
            origin: source.origin(slug.span()),
            anti_pattern: anti_pattern_of(&slug)?,
            title: a.str("title")?,
            statement: a.str("statement")?,
            why: a.str("why")?,
            fix: a.str("fix")?,
            sources: a.strings("sources")?,
        })
    }
}

impl Entry for Backend {
    const KEY: &'static str = "backend";
    const FIELDS: &'static [&'static str] = &[
        "id", "name", "protocol", "kind", "url", "sources", "summary",
    ];

    /// A `[[backend]]` table as a proven consensus backend.
    fn read(b: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        let id = b.spanned_str("id")?;
        Ok(Backend {
            origin: source.origin(id.span()),
            id: id.into_inner(),
            name: b.str("name")?,
            protocol: b.str("protocol")?,
            kind: b.str("kind")?,
            url: b.str("url")?,
            sources: b.strings("sources")?,
            summary: b.str("summary")?,
        })
    }
}

impl Entry for Exemption {
    const KEY: &'static str = "exempt";
    const FIELDS: &'static [&'static str] = &["item", "reason", "expires"];

    /// An `[[exempt]]` table as an item's exemption.
    fn read(e: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        let item = e.spanned_str("item")?;
        Ok(Exemption {
            origin: source.origin(item.span()),
            item: item.into_inner(),
            reason: e.str("reason")?,
            expires: e.opt_str("expires")?.map(Spanned::into_inner),
        })
    }
}

impl Entry for SetAside {
    const KEY: &'static str = "set_aside";
    const FIELDS: &'static [&'static str] = &["decision", "reason", "cite"];

    /// A `[[set_aside]]` table as a decision the project does not hold itself to.
    fn read(t: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        let decision = t.spanned_str("decision")?;
        Ok(SetAside {
            origin: source.origin(decision.span()),
            decision: decision.into_inner(),
            reason: t.str("reason")?,
            cite: t.str("cite")?,
        })
    }
}

impl Entry for EvidenceLink {
    const KEY: &'static str = "evidence";
    const FIELDS: &'static [&'static str] =
        &["id", "kind", "target", "covers", "items", "fingerprint"];

    /// An `[[evidence]]` table as a link to a spec, proof, model or test.
    fn read(e: &Fields<'_, '_>, source: &Source<'_>) -> Read<Self> {
        let id = e.spanned_str("id")?;
        let kind = e.spanned_str("kind")?;
        let kind = EvidenceKind::from_name(kind.get_ref()).ok_or_else(|| RawError {
            at: kind.span().start,
            message: format!(
                "unknown evidence kind `{}`, expected one of {}",
                kind.get_ref(),
                EvidenceKind::ALL
                    .iter()
                    .map(|k| format!("`{}`", k.name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })?;
        let target = e.str("target")?;
        let (file, name) = target.rsplit_once('#').unwrap_or((target.as_str(), ""));
        Ok(EvidenceLink {
            origin: source.origin(id.span()),
            id: id.into_inner(),
            kind,
            file: file.trim().to_string(),
            name: name.trim().to_string(),
            covers: e.strings("covers")?,
            items: e.strings("items")?,
            fingerprint: e.opt_str("fingerprint")?.map(Spanned::into_inner),
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
