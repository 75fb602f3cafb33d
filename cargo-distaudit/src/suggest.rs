//! Migration aid: free-text references in doc comments matched to registry ids, and the
//! `#[coordination(..)]` line proposed for the item.

use crate::engine::{self, Registry};
use crate::error::CliError;
use crate::families::{self, Candidate};
use crate::output::{EXIT_CLEAN, Output};
use crate::workspace::{self, Selection};
use std::fmt::Write as _;

/// A registry id matched to a reference, with a confidence in [0, 1].
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub id: String,
    pub confidence: f64,
    /// The id is a backend's (`backend = ".."`), not a citation's.
    pub backend: bool,
}

/// The confidence a match needs to be proposed.
pub const MIN_CONFIDENCE: f64 = 0.6;

/// The reference without its lead-in (`Reference:`, `See`, `cf.`): what names the work.
fn what_names_the_work(text: &str) -> &str {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    for lead in [
        "references:",
        "reference:",
        "ref:",
        "see also",
        "see",
        "cf.",
    ] {
        if lower.starts_with(lead) {
            return t[lead.len()..].trim_start_matches([':', ' ']);
        }
    }
    t
}

/// Match one free-text reference against the registry, best first: a DOI or a URL the
/// registry has for a work (its page, its DOI, a preprint its note gives) is certain; a
/// system the work introduces named in the text (`the Raft spec`, `the SWIM protocol`) is
/// near-certain when one work introduces it; otherwise the engine's ranking by authors,
/// title words, venue, year, note and URL (the same that proposes ids for a misspelled
/// `cite`). A URL under a backend's site names the backend (`zookeeper`).
#[must_use]
pub fn match_reference(registry: &Registry, text: &str) -> Vec<Match> {
    use crate::engine::{known_names, known_urls, mentions_url};
    let exact: Vec<Match> = registry
        .citations
        .iter()
        .filter(|c| mentions_url(text, &known_urls(c)))
        .map(|c| Match {
            id: c.id.clone(),
            confidence: 1.0,
            backend: false,
        })
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let backends: Vec<Match> = registry
        .backends
        .iter()
        .filter(|b| !b.url.is_empty() && mentions_url(text, &known_urls_of_site(&b.url)))
        .map(|b| Match {
            id: b.id.clone(),
            confidence: 1.0,
            backend: true,
        })
        .collect();
    if !backends.is_empty() {
        return backends;
    }
    let named: Vec<&engine::Citation> = registry
        .citations
        .iter()
        .filter(|c| known_names(c).iter().any(|n| names_word(text, n)))
        .collect();
    if let [only] = named.as_slice() {
        return vec![Match {
            id: only.id.clone(),
            confidence: 0.9,
            backend: false,
        }];
    }
    engine::rank_citations(registry, what_names_the_work(text))
        .into_iter()
        .filter(|(_, score)| *score >= MIN_CONFIDENCE)
        .map(|(c, score)| Match {
            id: c.id.clone(),
            confidence: score.min(0.99),
            backend: false,
        })
        .collect()
}

/// A backend's site as a URL prefix.
fn known_urls_of_site(url: &str) -> Vec<String> {
    vec![
        url.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_ascii_lowercase(),
    ]
}

/// Whether `name` occurs in `text` as a whole word (`Raft` in "the Raft spec", not in
/// "async-raft" or "Rafters"), case as written; a spelt-out Greek letter also matches.
fn names_word(text: &str, name: &str) -> bool {
    let text = text.replace('φ', "phi");
    let lower_name = name.to_lowercase();
    let (hay, needle) = if name.contains(' ') {
        (text.to_lowercase(), lower_name.as_str())
    } else {
        (text.clone(), name)
    };
    hay.match_indices(needle).any(|(i, m)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + m.len()..].chars().next();
        let boundary =
            |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '-' && c != '_');
        boundary(before) && boundary(after)
    })
}

/// A `[[citation]]` stub for a reference the registry does not have, with what the
/// reference text itself says (title, authors, year, venue, URL); the rest is left to fill
/// in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stub {
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<u16>,
    pub venue: String,
    pub url: String,
    pub patterns: Vec<String>,
    /// `src/x.rs:12`: the doc line of the reference.
    pub at: String,
}

/// The first `http(s)://` URL of a text, without trailing punctuation.
fn url_in(text: &str) -> Option<String> {
    let i = text.find("http://").or_else(|| text.find("https://"))?;
    let url: String = text[i..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | '>' | '"' | '\'' | ']'))
        .collect();
    Some(url.trim_end_matches(['.', ',', ';']).to_string())
}

/// Whether a piece of a reference reads as a person's name (`Smith`, `J. Smith`), not a
/// bracket, a URL or a phrase.
fn is_name(a: &str) -> bool {
    let words: Vec<&str> = a.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && !a.contains(['[', ']', '(', ')', '/', ':', '`'])
        && words.iter().all(|w| {
            let letters = w
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '-'))
                && w.chars().any(char::is_lowercase)
                || w.len() <= 2;
            letters
                && (w.chars().next().is_some_and(char::is_uppercase) || *w == "van" || *w == "de")
        })
}

impl Stub {
    /// Read what a free-text reference says: `Smith & Jones, "Title" (Venue 2031)`.
    #[must_use]
    pub fn of(reference: &str, patterns: &[&str], at: &str) -> Stub {
        let url = url_in(reference).unwrap_or_default();
        let cleaned = strip_links(reference);
        let text = what_names_the_work(&cleaned).replace(['\u{201c}', '\u{201d}'], "\"");
        let (before, title, after) = match text.split_once('"') {
            Some((b, rest)) => match rest.split_once('"') {
                Some((t, a)) => (b.to_string(), t.trim().to_string(), a.to_string()),
                None => (b.to_string(), rest.trim().to_string(), String::new()),
            },
            None => match text.split_once('(') {
                Some((b, a)) => (b.to_string(), String::new(), a.to_string()),
                None => (text.clone(), String::new(), String::new()),
            },
        };
        let year = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| w.len() == 4)
            .filter_map(|w| w.parse::<u16>().ok())
            .rfind(|y| (1900..=2100).contains(y));
        let authors: Vec<String> = before
            .replace(" and ", "&")
            .replace("et al.", "")
            .split(['&', ',', ';'])
            .map(|a| a.trim().trim_end_matches('.').trim().to_string())
            .filter(|a| is_name(a))
            .collect();
        let venue = after
            .split_once('(')
            .map_or(after.as_str(), |(_, v)| v)
            .split(')')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .filter(|w| Some(*w) != year.map(|y| y.to_string()).as_deref())
            .collect::<Vec<_>>()
            .join(" ")
            .trim_matches([',', ' '])
            .to_string();
        Stub {
            id: stub_id(&authors, year, &title, &text),
            title: if title.is_empty() {
                text.trim().to_string()
            } else {
                title
            },
            authors,
            year,
            venue,
            url,
            patterns: patterns.iter().map(|p| (*p).to_string()).collect(),
            at: at.to_string(),
        }
    }

    /// The `[[citation]]` table.
    #[must_use]
    pub fn toml(&self) -> String {
        let quoted = |v: &[String]| {
            v.iter()
                .map(|x| format!("\"{}\"", x.replace('"', "'")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let url = if self.url.is_empty() {
            "url = \"\"  # required: where the work can be read".to_string()
        } else {
            format!("url = \"{}\"", self.url.replace('"', "%22"))
        };
        format!(
            "[[citation]]\nid = \"{}\"\nlevel = 0  # set the evidence level: 5 formally verified ... 1 textbook\nkind = \"paper\"  # paper, book, blog, docs, spec or whitepaper\ntitle = \"{}\"\nauthors = [{}]{}\nyear = {}\nvenue = \"{}\"\n{url}\npatterns = [{}]\nnote = \"referenced at {}\"\n",
            self.id,
            self.title.replace('"', "'"),
            quoted(&self.authors),
            if self.authors.is_empty() {
                "  # fill in: who wrote it"
            } else {
                ""
            },
            self.year
                .map_or_else(|| "0  # unknown".to_string(), |y| y.to_string()),
            self.venue.replace('"', "'"),
            quoted(&self.patterns),
            self.at
        )
    }
}

/// An id of lowercase letters, digits and hyphens: the surnames and year, or the title's
/// first words when no author is named (`zookeeper-recipes-and-solutions`).
fn stub_id(authors: &[String], year: Option<u16>, title: &str, text: &str) -> String {
    let slug = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let surname = |a: &String| slug(a.rsplit(' ').next().unwrap_or(a));
    let mut parts: Vec<String> = match authors {
        [a, b] => vec![surname(a), surname(b)],
        [a, ..] => vec![surname(a)],
        [] => {
            let source = if title.is_empty() { text } else { title };
            source
                .split(|c: char| !c.is_alphanumeric())
                .map(slug)
                .filter(|w| w.len() > 2 && !w.starts_with("http") && w != "www" && w != "com")
                .take(3)
                .collect()
        }
    };
    if let Some(y) = year {
        parts.push(y.to_string());
    }
    parts.retain(|p| !p.is_empty());
    if parts.is_empty() {
        "reference".into()
    } else {
        parts.join("-")
    }
}

/// A doc text without intra-doc links (`[`Foo`]`, `[x](crate::y)`, `[x](Self::z)`): they
/// point into the code, not at a work. A link to a URL keeps its URL.
fn strip_links(doc: &str) -> String {
    let mut out = String::new();
    let mut rest = doc;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(j) = after.find(']') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let label = &after[..j];
        let tail = &after[j + 1..];
        if let Some(target) = tail.strip_prefix('(')
            && let Some(k) = target.find(')')
        {
            let link = &target[..k];
            if link.starts_with("http") {
                out.push_str(label);
                out.push_str(" (");
                out.push_str(link);
                out.push(')');
            } else if !label.starts_with('`') {
                out.push_str(label);
            }
            rest = &target[k + 1..];
        } else {
            // `[`Foo`]` or `[Foo]`: a link into the code.
            if !label.starts_with('`') && !label.contains("::") {
                out.push_str(label);
            }
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// A free-text reference in a doc comment line, if it has one: a lead-in (`See`,
/// `Reference:`, `cf.`), a URL or DOI, a bare citation (a year with `et al.`, a quoted
/// title or a registry author's surname), or a system a registry work introduces (`the
/// Raft spec`). Intra-doc links are not references.
#[must_use]
pub fn reference_in(doc: &str) -> Option<String> {
    reference_in_with(doc, &[], &[])
}

fn reference_in_with(doc: &str, surnames: &[String], names: &[String]) -> Option<String> {
    let t = strip_links(doc.trim());
    let t = t.trim();
    let lower = t.to_ascii_lowercase();
    let words = t
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    let starts = ["reference:", "references:", "see ", "ref:", "cf. "];
    let year = t
        .split(|c: char| !c.is_ascii_digit())
        .any(|w| w.len() == 4 && w.parse::<u16>().is_ok_and(|y| (1950..=2100).contains(&y)));
    let bare_citation = year
        && (lower.contains("et al")
            || t.matches('"').count() >= 2
            || surnames.iter().any(|s| names_word(t, s)));
    // A link to a crate's API docs is not a work.
    let work_url = url_in(t).is_some_and(|u| !u.contains("docs.rs/") && !u.contains("crates.io/"));
    // A system named as the work it comes from ("the Raft spec", "the SWIM protocol"), or
    // by a phrase that is the work's title.
    const AS_WORK: [&str; 12] = [
        "spec",
        "specification",
        "paper",
        "protocol",
        "algorithm",
        "§",
        "section",
        "described",
        "design",
        "thesis",
        "dissertation",
        "recipe",
    ];
    let as_work = AS_WORK.iter().any(|w| lower.contains(w));
    let named = names
        .iter()
        .any(|n| names_word(t, n) && (as_work || n.contains(' ')));
    let found = (starts.iter().any(|s| lower.starts_with(s)) && words >= 3)
        || lower.contains("doi.org/")
        || lower.contains("10.1145/")
        || work_url
        || bare_citation
        || named;
    found.then(|| t.to_string())
}

/// One reference of an item's docs: its line and its text (a `Reference:` block's
/// following lines joined to it).
#[derive(Clone, Debug)]
struct DocRef {
    line: usize,
    text: String,
}

/// The doc lines of an item, each with its line.
fn doc_lines(attrs: &[syn::Attribute]) -> Vec<(usize, String)> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some((s.span().start().line, s.value())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// What the registry lets `suggest` recognise in prose: authors' surnames and system names.
struct Vocabulary {
    surnames: Vec<String>,
    names: Vec<String>,
}

impl Vocabulary {
    fn of(registry: &Registry) -> Vocabulary {
        let mut surnames = Vec::new();
        let mut names = Vec::new();
        for c in &registry.citations {
            for a in &c.authors {
                if let Some(s) = a.rsplit(' ').next()
                    && s.len() > 2
                {
                    surnames.push(s.to_string());
                }
            }
            names.extend(crate::engine::known_names(c));
        }
        surnames.sort();
        surnames.dedup();
        names.sort();
        names.dedup();
        Vocabulary { surnames, names }
    }

    /// The references of an item's docs. A `Reference:`/`References:` line opens a block:
    /// the lines under it up to a blank line are read as its references, each on its own.
    fn references(&self, attrs: &[syn::Attribute]) -> Vec<DocRef> {
        let mut out = Vec::new();
        let mut in_block = false;
        for (line, text) in doc_lines(attrs) {
            let trimmed = text.trim();
            let lower = trimmed.to_ascii_lowercase();
            if trimmed.is_empty() {
                in_block = false;
                continue;
            }
            let opens = ["reference", "references", "# references", "see also"]
                .iter()
                .any(|h| lower.trim_end_matches(':') == *h);
            if opens {
                in_block = true;
                continue;
            }
            let item = trimmed.trim_start_matches(['*', '-', ' ']);
            let hit = reference_in_with(item, &self.surnames, &self.names).or_else(|| {
                // Under a `References` heading, a line that starts like a title or a
                // name is one reference; a sentence's continuation is not.
                let starts_upper = item.chars().next().is_some_and(char::is_uppercase);
                (in_block && starts_upper && item.split_whitespace().count() >= 3)
                    .then(|| strip_links(item))
            });
            if let Some(text) = hit {
                out.push(DocRef { line, text });
            }
        }
        out
    }
}

/// One proposal: the item (or module), the line to annotate, the annotation, the matches.
#[derive(Debug)]
struct Proposal {
    file: std::path::PathBuf,
    shown: String,
    /// The item's keyword line (where the annotation goes), or the first doc line of a
    /// module's inner docs.
    line: usize,
    indent: String,
    annotation: String,
    notes: Vec<String>,
    /// Module docs (`//!`): advice only, nothing is inserted.
    inner: bool,
}

/// What `suggest` gathers over a workspace.
#[derive(Default)]
struct Gathered {
    proposals: Vec<Proposal>,
    stubs: Vec<Stub>,
}

/// The file being read, for the proposals of its items.
struct FileCtx<'a> {
    registry: &'a Registry,
    vocabulary: &'a Vocabulary,
    file: &'a std::path::Path,
    shown: &'a str,
    text: &'a str,
    runtime: &'a str,
    aliases: &'a [String],
    attr_path: &'a str,
}

impl FileCtx<'_> {
    /// One item's docs: its references matched, a proposal when one names a registry work
    /// or backend, a stub for each that names none.
    fn visit(
        &self,
        out: &mut Gathered,
        attrs: &[syn::Attribute],
        candidate: Option<Candidate<'_>>,
        line: usize,
        inner: bool,
    ) {
        if attrs
            .iter()
            .any(|a| engine::is_coordination(a, self.runtime, self.aliases))
        {
            return;
        }
        let refs = self.vocabulary.references(attrs);
        if refs.is_empty() {
            return;
        }
        let detections = candidate.as_ref().map(families::detect).unwrap_or_default();
        let family_patterns: Vec<&str> = detections
            .iter()
            .flat_map(|d| d.family.patterns().iter().copied())
            .filter(|p| self.registry.pattern(p).is_some())
            .collect();
        let mut cites: Vec<String> = Vec::new();
        let mut backends: Vec<String> = Vec::new();
        let mut notes = Vec::new();
        for r in &refs {
            let m = match_reference(self.registry, &r.text);
            match m.first() {
                Some(best) => {
                    notes.push(format!(
                        "\"{}\" -> {} (confidence {:.2})",
                        r.text.replace('"', "'"),
                        best.id,
                        best.confidence
                    ));
                    let into = if best.backend {
                        &mut backends
                    } else {
                        &mut cites
                    };
                    if !into.contains(&best.id) {
                        into.push(best.id.clone());
                    }
                }
                None => {
                    notes.push(format!(
                        "\"{}\" -> no registry match; stub below",
                        r.text.replace('"', "'")
                    ));
                    let stub = Stub::of(
                        &r.text,
                        &family_patterns,
                        &format!("{}:{}", self.shown, r.line),
                    );
                    out.stubs.push(stub);
                }
            }
        }
        if cites.is_empty() && backends.is_empty() {
            return;
        }
        let pattern = self.pattern_for(&detections, &cites, &backends);
        let args: String = cites
            .iter()
            .map(|c| format!(", cite = \"{c}\""))
            .chain(backends.iter().map(|b| format!(", backend = \"{b}\"")))
            .collect();
        let at = if inner { refs[0].line } else { line };
        let indent: String = self
            .text
            .lines()
            .nth(at.saturating_sub(1))
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        out.proposals.push(Proposal {
            file: self.file.to_path_buf(),
            shown: self.shown.to_string(),
            line: at,
            indent,
            annotation: format!("#[{}(pattern = \"{pattern}\"{args})]", self.attr_path),
            notes,
            inner,
        });
    }

    /// The detector's family, where a cited work supports one of its patterns; else the
    /// first pattern the best-matched work (or the backend's first source) supports.
    fn pattern_for(
        &self,
        detections: &[families::Detection],
        cites: &[String],
        backends: &[String],
    ) -> String {
        let registry = self.registry;
        let works: Vec<&engine::Citation> = cites
            .iter()
            .chain(
                backends
                    .iter()
                    .filter_map(|b| registry.backends.iter().find(|x| &x.id == b))
                    .flat_map(|b| b.sources.iter()),
            )
            .filter_map(|c| registry.citation(c))
            .collect();
        detections
            .iter()
            .flat_map(|d| d.family.patterns().iter().copied())
            .find(|p| works.iter().any(|c| c.supports(p)))
            .map(str::to_string)
            .or_else(|| {
                works.first().and_then(|c| {
                    c.patterns
                        .iter()
                        .find(|p| registry.pattern(p).is_some())
                        .cloned()
                })
            })
            .unwrap_or_else(|| "<pattern>".into())
    }

    /// Every item of a list, nested modules, impls and traits included.
    fn items(&self, out: &mut Gathered, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Fn(x) => self.visit(
                    out,
                    &x.attrs,
                    Some(Candidate::Fn {
                        sig: &x.sig,
                        block: &x.block,
                        self_ty: None,
                        module: None,
                    }),
                    x.sig.fn_token.span.start().line,
                    false,
                ),
                syn::Item::Struct(x) => self.visit(
                    out,
                    &x.attrs,
                    Some(Candidate::Struct(x)),
                    x.struct_token.span.start().line,
                    false,
                ),
                syn::Item::Enum(x) => self.visit(
                    out,
                    &x.attrs,
                    Some(Candidate::Enum(x)),
                    x.enum_token.span.start().line,
                    false,
                ),
                syn::Item::Trait(t) => {
                    self.visit(
                        out,
                        &t.attrs,
                        Some(Candidate::Trait(t)),
                        t.trait_token.span.start().line,
                        false,
                    );
                    for ti in &t.items {
                        if let syn::TraitItem::Fn(m) = ti {
                            self.visit(
                                out,
                                &m.attrs,
                                None,
                                m.sig.fn_token.span.start().line,
                                false,
                            );
                        }
                    }
                }
                syn::Item::Impl(i) => {
                    for ii in &i.items {
                        if let syn::ImplItem::Fn(m) = ii {
                            self.visit(
                                out,
                                &m.attrs,
                                Some(Candidate::Fn {
                                    sig: &m.sig,
                                    block: &m.block,
                                    self_ty: None,
                                    module: None,
                                }),
                                m.sig.fn_token.span.start().line,
                                false,
                            );
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    self.visit(out, &m.attrs, None, m.mod_token.span.start().line, false);
                    if let Some((_, inner)) = &m.content {
                        self.items(out, inner);
                    }
                }
                _ => {}
            }
        }
    }
}

/// `cargo distaudit suggest`.
///
/// # Errors
/// When the workspace cannot be read.
pub fn run(sel: &Selection, diff: bool, write: bool) -> Result<Output, CliError> {
    let (root, packages) = workspace::packages(sel)?;
    let mut gathered = Gathered::default();
    for p in &packages {
        let registry = crate::engine::project_registry(&p.manifest_dir)
            .unwrap_or_else(|_| crate::engine::default_registry());
        let vocabulary = Vocabulary::of(&registry);
        let runtime = engine::runtime_name(Some(&p.manifest_dir));
        let mut files = Vec::new();
        collect_rs(&p.manifest_dir.join("src"), &mut files);
        files.sort();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let Ok(parsed) = syn::parse_file(&text) else {
                continue;
            };
            let shown = workspace::shown(&root, &f);
            // The name the file's root brings the attribute into scope by (its alias, or
            // `coordination`); without one, the path is spelled out.
            let attr_path = engine::coordination_in_scope_as(&parsed.items, &runtime)
                .unwrap_or_else(|| format!("{runtime}::coordination"));
            let aliases = engine::coordination_aliases(&parsed.items, &runtime);
            let ctx = FileCtx {
                registry: &registry,
                vocabulary: &vocabulary,
                file: &f,
                shown: &shown,
                text: &text,
                runtime: &runtime,
                aliases: &aliases,
                attr_path: &attr_path,
            };
            // The file's own docs (`//!`): the module's references.
            ctx.visit(&mut gathered, &parsed.attrs, None, 1, true);
            ctx.items(&mut gathered, &parsed.items);
        }
    }
    unique_stub_ids(&mut gathered.stubs);
    let mut stdout = render_proposals(&gathered.proposals);
    apply(&root, &gathered.proposals, diff, write, &mut stdout)?;
    render_stubs(&gathered.stubs, &mut stdout);
    Ok(Output {
        stdout,
        stderr: if write {
            String::new()
        } else {
            "distaudit suggest: nothing written (use --write)\n".into()
        },
        code: EXIT_CLEAN,
    })
}

/// Stubs of the same work referenced twice become one; different works whose ids collide
/// get `-b`, `-c`, ... so every id is unique.
fn unique_stub_ids(stubs: &mut Vec<Stub>) {
    let mut seen: Vec<(String, String)> = Vec::new();
    stubs.retain(|s| {
        let key = (s.title.to_lowercase(), s.url.clone());
        if seen
            .iter()
            .any(|(_, k)| *k == format!("{}|{}", key.0, key.1))
        {
            return false;
        }
        seen.push((s.id.clone(), format!("{}|{}", key.0, key.1)));
        true
    });
    let mut used: Vec<String> = Vec::new();
    for s in stubs.iter_mut() {
        let base = s.id.clone();
        let mut n = 0u8;
        while used.contains(&s.id) {
            n += 1;
            s.id = format!("{base}-{}", char::from(b'a' + n));
        }
        used.push(s.id.clone());
    }
}

fn render_proposals(proposals: &[Proposal]) -> String {
    let mut stdout = String::new();
    for p in proposals {
        let _ = writeln!(stdout, "{}:{}: {}", p.shown, p.line, p.annotation);
        if p.inner {
            let _ = writeln!(
                stdout,
                "    (module docs: annotate the items of this module that implement the work)"
            );
        }
        for n in &p.notes {
            let _ = writeln!(stdout, "    {n}");
        }
    }
    stdout
}

/// Insert the annotations of item proposals (not module docs) just above each item's
/// keyword line, below its docs and attributes: as a diff, in place, or both.
fn apply(
    root: &std::path::Path,
    proposals: &[Proposal],
    diff: bool,
    write: bool,
    stdout: &mut String,
) -> Result<(), CliError> {
    let mut by_file: std::collections::BTreeMap<&std::path::Path, Vec<&Proposal>> =
        std::collections::BTreeMap::new();
    for p in proposals.iter().filter(|p| !p.inner) {
        by_file.entry(p.file.as_path()).or_default().push(p);
    }
    for (file, props) in by_file {
        let Ok(old) = std::fs::read_to_string(file) else {
            continue;
        };
        let mut lines: Vec<String> = old.lines().map(str::to_string).collect();
        let mut sorted = props.clone();
        sorted.sort_by_key(|p| std::cmp::Reverse(p.line));
        for p in sorted {
            let mut at = p.line.saturating_sub(1);
            while at > 0 && lines[at - 1].trim_start().starts_with("#[") {
                at -= 1;
            }
            lines.insert(at, format!("{}{}", p.indent, p.annotation));
        }
        let new = lines.join("\n") + if old.ends_with('\n') { "\n" } else { "" };
        if diff {
            let shown = workspace::shown(root, file);
            let d = similar::TextDiff::from_lines(&old, &new);
            let _ = write!(
                stdout,
                "{}",
                d.unified_diff()
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
            );
        }
        if write {
            std::fs::write(file, new).map_err(|source| CliError::Write {
                path: file.to_path_buf(),
                source,
            })?;
        }
    }
    Ok(())
}

fn render_stubs(stubs: &[Stub], stdout: &mut String) {
    if stubs.is_empty() {
        return;
    }
    let _ = writeln!(
        stdout,
        "\n### Suggested Reference Addition\n| Title | Authors / Source | Year | Why It Matters |\n|-------|------------------|------|----------------|"
    );
    for s in stubs {
        let _ = writeln!(
            stdout,
            "| {} | {} | {} | cited at {} with no registry entry |",
            s.title.replace('|', "/"),
            if s.authors.is_empty() {
                s.url.clone()
            } else {
                s.authors.join(", ")
            },
            s.year.map(|y| y.to_string()).unwrap_or_default(),
            s.at
        );
    }
    let _ = writeln!(
        stdout,
        "\n# Add to distaudit.toml, then check every field against the work itself:"
    );
    for s in stubs {
        let _ = writeln!(stdout, "{}", s.toml());
    }
}

fn collect_rs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gray_cheriton_reference_matches() {
        let reg = crate::engine::default_registry();
        let m = match_reference(&reg, "Reference: Gray & Cheriton, \"Leases\" (SOSP 1989)");
        assert_eq!(m[0].id, "gray-cheriton-1989");
        assert!(m[0].confidence > 0.7);
        let m = match_reference(&reg, "See Kleppmann 2016");
        assert_eq!(m[0].id, "kleppmann-2016");
        let m = match_reference(&reg, "https://doi.org/10.1145/74850.74870");
        assert_eq!(m[0].id, "gray-cheriton-1989");
        assert!((m[0].confidence - 1.0).abs() < f64::EPSILON);
    }

    #[test]
    fn stub_reads_the_reference() {
        let s = Stub::of(
            "See Smith & Jones, \"Quorum Widgets\" (WidgetConf 2031)",
            &["failure-detection"],
            "src/a.rs:3",
        );
        assert_eq!(s.id, "smith-jones-2031");
        assert_eq!(s.title, "Quorum Widgets");
        assert_eq!(s.authors, ["Smith", "Jones"]);
        assert_eq!(s.year, Some(2031));
        assert_eq!(s.venue, "WidgetConf");
        assert!(s.toml().contains("patterns = [\"failure-detection\"]"));
    }

    #[test]
    fn systems_preprints_and_backends_are_matched() {
        let reg = crate::engine::default_registry();
        let m = match_reference(&reg, "This type implements the full Raft spec.");
        assert_eq!(m[0].id, "ongaro-ousterhout-2014");
        assert!(m[0].confidence < 1.0, "a name is not certain");
        let m = match_reference(&reg, "see [the paper](https://raft.github.io/raft.pdf)");
        assert_eq!(m[0].id, "ongaro-ousterhout-2014");
        let m = match_reference(
            &reg,
            "See https://zookeeper.apache.org/doc/current/recipes.html",
        );
        assert!(m[0].backend && m[0].id == "zookeeper", "{m:?}");
        // A name in passing is not a reference; named as the work's protocol it is.
        assert!(reference_in_with("Runs on top of SWIM.", &[], &["SWIM".into()]).is_none());
        assert!(
            reference_in_with("Implements the SWIM protocol.", &[], &["SWIM".into()]).is_some()
        );
    }

    #[test]
    fn stubs_paste_as_they_are() {
        let s = Stub::of(
            "See [ZOOKEEPER-91](https://issues.example.org/ZOOKEEPER-91) for the race.",
            &[],
            "src/a.rs:7",
        );
        assert!(s.authors.iter().all(|a| !a.contains('[')), "{s:?}");
        assert_eq!(s.url, "https://issues.example.org/ZOOKEEPER-91");
        assert!(s.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !s.id.is_empty());
        assert!(
            s.toml()
                .contains("url = \"https://issues.example.org/ZOOKEEPER-91\"")
        );
        let mut two = vec![
            Stub::of("Smith, \"A\" (C 2031)", &[], "x:1"),
            Stub::of("Smith, \"B\" (C 2031)", &[], "x:2"),
        ];
        unique_stub_ids(&mut two);
        assert_ne!(two[0].id, two[1].id);
        // Intra-doc links are code, not references.
        assert!(reference_in("See [`Client::lock`] and [`Self::release`].").is_none());
    }

    #[test]
    fn doc_lines_with_references() {
        assert!(reference_in("Reference: Gray & Cheriton, SOSP 1989").is_some());
        assert!(reference_in("The lease of a worker.").is_none());
    }
}
