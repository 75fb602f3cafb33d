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

/// Match one free-text reference against the registry, best first: a DOI or URL the
/// registry has is certain; otherwise the engine's ranking by authors, title words,
/// venue, year, note and URL (the same that proposes ids for a misspelled `cite`).
#[must_use]
pub fn match_reference(registry: &Registry, text: &str) -> Vec<Match> {
    let lower = text.to_ascii_lowercase();
    let exact: Vec<Match> = registry
        .citations
        .iter()
        .filter(|c| {
            c.doi
                .as_ref()
                .is_some_and(|d| lower.contains(&d.to_ascii_lowercase()))
                || (!c.url.is_empty() && lower.contains(&c.url.to_ascii_lowercase()))
        })
        .map(|c| Match {
            id: c.id.clone(),
            confidence: 1.0,
        })
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    engine::rank_citations(registry, what_names_the_work(text))
        .into_iter()
        .filter(|(_, score)| *score >= MIN_CONFIDENCE)
        .map(|(c, score)| Match {
            id: c.id.clone(),
            confidence: score.min(0.99),
        })
        .collect()
}

/// A `[[citation]]` stub for a reference the registry does not have, with what the
/// reference text itself says (title, authors, year, venue); the rest is left to fill in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stub {
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<u16>,
    pub venue: String,
    pub patterns: Vec<String>,
    /// `src/x.rs:12`.
    pub at: String,
}

impl Stub {
    /// Read what a free-text reference says: `Smith & Jones, "Title" (Venue 2031)`.
    #[must_use]
    pub fn of(reference: &str, patterns: &[&str], at: &str) -> Stub {
        let text = what_names_the_work(reference).replace(['\u{201c}', '\u{201d}'], "\"");
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
            .split(['&', ',', ';'])
            .map(|a| a.trim().trim_end_matches('.').trim().to_string())
            .filter(|a| !a.is_empty() && !a.chars().all(|c| c.is_ascii_digit()))
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
        let surname = |a: &String| {
            a.rsplit(' ')
                .next()
                .unwrap_or(a)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let mut id_parts: Vec<String> = match authors.as_slice() {
            [a, b] => vec![surname(a), surname(b)],
            [a, ..] => vec![surname(a)],
            [] => vec!["unknown".into()],
        };
        if let Some(y) = year {
            id_parts.push(y.to_string());
        }
        Stub {
            id: id_parts.join("-"),
            title: if title.is_empty() {
                text.trim().to_string()
            } else {
                title
            },
            authors,
            year,
            venue,
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
        format!(
            "[[citation]]\nid = \"{}\"\nlevel = 0  # set the evidence level: 5 formally verified ... 1 textbook\nkind = \"paper\"  # paper, book, blog, docs, spec or whitepaper\ntitle = \"{}\"\nauthors = [{}]\nyear = {}\nvenue = \"{}\"\nurl = \"\"  # required: where the work can be read\npatterns = [{}]\nnote = \"referenced at {}\"\n",
            self.id,
            self.title.replace('"', "'"),
            quoted(&self.authors),
            self.year
                .map_or_else(|| "0  # unknown".to_string(), |y| y.to_string()),
            self.venue.replace('"', "'"),
            quoted(&self.patterns),
            self.at
        )
    }
}

/// A free-text reference in a doc comment line, if it has one.
#[must_use]
pub fn reference_in(doc: &str) -> Option<String> {
    let t = doc.trim();
    let lower = t.to_ascii_lowercase();
    let starts = ["reference:", "references:", "see ", "ref:", "cf. "];
    if starts.iter().any(|s| lower.starts_with(s))
        || lower.contains("doi.org/")
        || lower.contains("10.1145/")
        || lower.contains("http")
    {
        return Some(t.to_string());
    }
    None
}

fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// One proposal: the item, its line, the annotation to add, the matches.
#[derive(Debug)]
struct Proposal {
    file: std::path::PathBuf,
    shown: String,
    line: usize,
    indent: String,
    annotation: String,
    notes: Vec<String>,
}

/// `cargo distaudit suggest`.
///
/// # Errors
/// When the workspace cannot be read.
pub fn run(sel: &Selection, diff: bool, write: bool) -> Result<Output, CliError> {
    let (root, packages) = workspace::packages(sel)?;
    let mut proposals = Vec::new();
    let mut stubs: Vec<Stub> = Vec::new();
    for p in &packages {
        let registry = crate::engine::project_registry(&p.manifest_dir)
            .unwrap_or_else(|_| crate::engine::default_registry());
        let runtime = engine::runtime_name(Some(&p.manifest_dir));
        let src = p.manifest_dir.join("src");
        let mut files = Vec::new();
        collect_rs(&src, &mut files);
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
            let mut visit = |attrs: &[syn::Attribute], candidate: Candidate<'_>, line: usize| {
                // Already annotated, as the audit sees it.
                if attrs
                    .iter()
                    .any(|a| engine::is_coordination(a, &runtime, &aliases))
                {
                    return;
                }
                let refs: Vec<String> = doc_lines(attrs)
                    .iter()
                    .filter_map(|d| reference_in(d))
                    .collect();
                if refs.is_empty() {
                    return;
                }
                let detections = families::detect(&candidate);
                let mut cites = Vec::new();
                let mut notes = Vec::new();
                for r in &refs {
                    let m = match_reference(&registry, r);
                    match m.first() {
                        Some(best) => {
                            notes.push(format!(
                                "\"{r}\" -> {} (confidence {:.2})",
                                best.id, best.confidence
                            ));
                            if !cites.contains(&best.id) {
                                cites.push(best.id.clone());
                            }
                        }
                        None => {
                            notes.push(format!("\"{r}\" -> no registry match; stub below"));
                            let family_patterns: Vec<&str> = detections
                                .iter()
                                .flat_map(|d| d.family.patterns().iter().copied())
                                .filter(|p| registry.pattern(p).is_some())
                                .collect();
                            stubs.push(Stub::of(r, &family_patterns, &format!("{shown}:{line}")));
                        }
                    }
                }
                if cites.is_empty() {
                    return;
                }
                // The detector's family, where a cited work supports one of its patterns;
                // else the first pattern the best-matched work supports.
                let supported = |p: &str| {
                    cites
                        .iter()
                        .filter_map(|c| registry.citation(c))
                        .any(|c| c.supports(p))
                };
                let pattern = detections
                    .iter()
                    .flat_map(|d| d.family.patterns().iter().copied())
                    .find(|p| supported(p))
                    .map(str::to_string)
                    .or_else(|| {
                        registry.citation(&cites[0]).and_then(|c| {
                            c.patterns
                                .iter()
                                .find(|p| registry.pattern(p).is_some())
                                .cloned()
                        })
                    })
                    .unwrap_or_else(|| "<pattern>".into());
                let cite_args: String = cites.iter().map(|c| format!(", cite = \"{c}\"")).collect();
                let indent: String = text
                    .lines()
                    .nth(line.saturating_sub(1))
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .collect();
                proposals.push(Proposal {
                    file: f.clone(),
                    shown: shown.clone(),
                    line,
                    indent,
                    annotation: format!("#[{attr_path}(pattern = \"{pattern}\"{cite_args})]"),
                    notes,
                });
            };
            for item in &parsed.items {
                match item {
                    syn::Item::Fn(x) => visit(
                        &x.attrs,
                        Candidate::Fn {
                            sig: &x.sig,
                            block: &x.block,
                            self_ty: None,
                            module: None,
                        },
                        x.sig.fn_token.span.start().line,
                    ),
                    syn::Item::Struct(x) => visit(
                        &x.attrs,
                        Candidate::Struct(x),
                        x.struct_token.span.start().line,
                    ),
                    syn::Item::Impl(i) => {
                        for ii in &i.items {
                            if let syn::ImplItem::Fn(m) = ii {
                                visit(
                                    &m.attrs,
                                    Candidate::Fn {
                                        sig: &m.sig,
                                        block: &m.block,
                                        self_ty: None,
                                        module: None,
                                    },
                                    m.sig.fn_token.span.start().line,
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut stdout = String::new();
    for p in &proposals {
        let _ = writeln!(stdout, "{}:{}: {}", p.shown, p.line, p.annotation);
        for n in &p.notes {
            let _ = writeln!(stdout, "    {n}");
        }
    }
    let mut by_file: std::collections::BTreeMap<&std::path::Path, Vec<&Proposal>> =
        std::collections::BTreeMap::new();
    for p in &proposals {
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
            // Insert just above the item's keyword line, below its docs and attributes.
            let mut at = p.line.saturating_sub(1);
            while at > 0 && lines[at - 1].trim_start().starts_with("#[") {
                at -= 1;
            }
            lines.insert(at, format!("{}{}", p.indent, p.annotation));
        }
        let new = lines.join("\n") + if old.ends_with('\n') { "\n" } else { "" };
        if diff {
            let shown = workspace::shown(&root, file);
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
    if !stubs.is_empty() {
        let _ = writeln!(
            stdout,
            "\n### Suggested Reference Addition\n| Title | Authors / Source | Year | Why It Matters |\n|-------|------------------|------|----------------|"
        );
        for s in &stubs {
            let _ = writeln!(
                stdout,
                "| {} | {} | {} | cited at {} with no registry entry |",
                s.title,
                s.authors.join(", "),
                s.year.map(|y| y.to_string()).unwrap_or_default(),
                s.at
            );
        }
        let _ = writeln!(
            stdout,
            "\n# Add to distaudit.toml, then check every field against the work itself:"
        );
        for s in &stubs {
            let _ = writeln!(stdout, "{}", s.toml());
        }
    }
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
    fn doc_lines_with_references() {
        assert!(reference_in("Reference: Gray & Cheriton, SOSP 1989").is_some());
        assert!(reference_in("The lease of a worker.").is_none());
    }
}
