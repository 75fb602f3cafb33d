//! Drift of a document from the registry and the code: a range of decision ids that no
//! longer matches the registry (`S1-S7` where S1..S9 exist), and a `file:line` reference
//! whose line no longer defines or mentions the item named beside it. Any document can
//! drift, so these run over the whole text, records or not.

use super::Document;
use crate::engine::Code;
use crate::model::Issue;
use std::path::{Path, PathBuf};

/// An id as the registry writes decisions: capital letters, then numbers joined by dots
/// (`S7`, `D2.5`): its family (`S`, `D2.`) and its last number.
fn id_at(chars: &[char], start: usize) -> Option<(String, u32, usize)> {
    let mut k = start;
    while k < chars.len() && chars[k].is_ascii_uppercase() {
        k += 1;
    }
    if k == start || k == chars.len() || !chars[k].is_ascii_digit() {
        return None;
    }
    let mut last_start = k;
    loop {
        while k < chars.len() && chars[k].is_ascii_digit() {
            k += 1;
        }
        if k + 1 < chars.len() && chars[k] == '.' && chars[k + 1].is_ascii_digit() {
            k += 1;
            last_start = k;
        } else {
            break;
        }
    }
    let family: String = chars[start..last_start].iter().collect();
    let number: String = chars[last_start..k].iter().collect();
    Some((family, number.parse().ok()?, k))
}

/// Every range of ids in `line` (`S1-S7`, `S1..S7`, `D2.1–D2.5`, `S1-7`): family, first
/// and last number, written as.
fn ranges(line: &str) -> Vec<(String, u32, u32, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let boundary = k == 0 || !(chars[k - 1].is_alphanumeric() || chars[k - 1] == '.');
        let Some((family, first, end)) = boundary.then(|| id_at(&chars, k)).flatten() else {
            k += 1;
            continue;
        };
        let mut s = end;
        while s < chars.len() && chars[s] == ' ' {
            s += 1;
        }
        let sep = ["..", "-", "\u{2013}"].iter().find(|p| {
            chars[s..]
                .iter()
                .take(p.chars().count())
                .copied()
                .eq(p.chars())
        });
        let Some(sep) = sep else {
            k = end;
            continue;
        };
        let mut t = s + sep.chars().count();
        while t < chars.len() && chars[t] == ' ' {
            t += 1;
        }
        let last = match id_at(&chars, t) {
            Some((f, n, e)) if f == family => Some((n, e)),
            Some(_) => None,
            None => {
                let digits: String = chars[t..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                digits.parse().ok().map(|n| (n, t + digits.len()))
            }
        };
        match last {
            Some((last, e)) if e == chars.len() || !chars[e].is_alphanumeric() => {
                out.push((family, first, last, chars[k..e].iter().collect()));
                k = e;
            }
            _ => k = end,
        }
    }
    out
}

/// Whether `text` names `id` as a word.
fn mentions(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + id.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric() && c != '.')
            && after.is_none_or(|c| !c.is_alphanumeric() && c != '.')
    })
}

impl Document<'_> {
    /// The id ranges of the document that the registry's decisions no longer match.
    pub(super) fn lint_id_ranges(&self, issues: &mut Vec<Issue>) {
        for (k, line) in self.text.lines().enumerate() {
            for (family, first, last, written) in ranges(line) {
                let mut numbers: Vec<u32> = self
                    .registry
                    .decisions
                    .iter()
                    .filter_map(|d| d.id.strip_prefix(family.as_str())?.parse().ok())
                    .collect();
                numbers.sort_unstable();
                let (Some(&min), Some(&max)) = (numbers.first(), numbers.last()) else {
                    continue;
                };
                let unknown = [first, last].into_iter().find(|n| !numbers.contains(n));
                let short = last < max
                    && first == min
                    && !(last + 1..=max).any(|n| mentions(self.text, &format!("{family}{n}")));
                let problem = match unknown {
                    Some(n) => format!("{family}{n} is not a decision of the registry"),
                    None if short => format!("the registry's decisions go on to {family}{max}"),
                    None => continue,
                };
                issues.push(self.drift(
                    Code::DocStaleIdRange,
                    k + 1,
                    format!("\"{written}\" no longer matches the registry: {problem} (it has {family}{min}-{family}{max})"),
                    "a range written when there were fewer decisions silently leaves the newer ones out of what the document claims",
                    &format!("write \"{family}{min}-{family}{max}\", or list the ids the text means"),
                ));
            }
        }
    }
}

/// Every `path.rs:12` or `path.tla:12-20` reference in `line`: (path, first and last line,
/// character offset).
fn code_references(line: &str) -> Vec<(String, usize, usize, usize)> {
    let mut out = Vec::new();
    for ext in [".rs:", ".tla:"] {
        for (at, _) in line.match_indices(ext) {
            let start = line[..at]
                .rfind(|c: char| !(c.is_alphanumeric() || "_/.-".contains(c)))
                .map_or(0, |p| p + 1);
            let rest = &line[at + ext.len()..];
            let first: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let Ok(first_line) = first.parse::<usize>() else {
                continue;
            };
            let after = &rest[first.len()..];
            let last_line = after
                .strip_prefix('-')
                .map(|r| {
                    r.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                })
                .and_then(|d| d.parse().ok())
                .unwrap_or(first_line);
            let path = &line[start..at + ext.len() - 1];
            if !path.is_empty() && start < at {
                out.push((
                    path.to_string(),
                    first_line,
                    last_line.max(first_line),
                    start,
                ));
            }
        }
    }
    out
}

/// The item a reference is about: the backticked name nearest to it on its line, its last
/// path segment (`InMemory::acquire()` is `acquire`).
fn named_item(line: &str, at: usize) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    let mut offset = 0;
    for (k, part) in line.split('`').enumerate() {
        let here = offset;
        offset += part.len() + 1;
        if k % 2 == 0 || part.contains(".rs:") || part.contains(".tla:") {
            continue;
        }
        let name = part
            .trim_end_matches("()")
            .rsplit("::")
            .next()
            .unwrap_or_default()
            .trim();
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let distance = here.abs_diff(at);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, name.to_string()));
        }
    }
    best.map(|(_, n)| n)
}

/// The files a reference may mean: the path from the document's directory or one above it,
/// else every file of the project (the nearest directory above with a `Cargo.toml` or
/// `.git`) whose path ends with it.
fn resolve(doc_dir: &Path, path: &str) -> Vec<PathBuf> {
    let is_root = |d: &Path| d.join("Cargo.toml").is_file() || d.join(".git").exists();
    let root = doc_dir.ancestors().find(|d| is_root(d));
    // From the document's directory up to the project's root, no further.
    let mut upward = doc_dir.ancestors();
    let found = upward.find_map(|d| {
        let p = d.join(path);
        if p.is_file() {
            Some(Some(p))
        } else if Some(d) == root {
            Some(None)
        } else {
            None
        }
    });
    if let Some(Some(p)) = found {
        return vec![p];
    }
    let Some(root) = root else {
        return Vec::new();
    };
    let mut out = Vec::new();
    find_files(
        root,
        &format!("/{}", path.trim_start_matches("./")),
        &mut out,
    );
    out
}

fn find_files(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if name != "target" && !name.starts_with('.') {
                find_files(&p, suffix, out);
            }
        } else if p.to_string_lossy().replace('\\', "/").ends_with(suffix) {
            out.push(p);
        }
    }
}

/// Where `name` is defined (else first mentioned) in `text`, 1-based.
fn where_now(text: &str, name: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let defines = |l: &str| {
        [
            "fn ", "struct ", "enum ", "trait ", "type ", "const ", "static ", "mod ",
        ]
        .iter()
        .any(|k| mentions(l, &format!("{k}{name}")))
            || l.trim_start().starts_with(&format!("{name} =="))
            || l.trim_start().starts_with(&format!("{name}("))
    };
    lines
        .iter()
        .position(|l| defines(l))
        .or_else(|| lines.iter().position(|l| mentions(l, name)))
        .map(|k| k + 1)
}

impl Document<'_> {
    /// The `file:line` references whose line no longer holds the item named beside them.
    pub(super) fn lint_code_references(&self, issues: &mut Vec<Issue>) {
        let doc_dir = Path::new(self.file).parent().unwrap_or(Path::new("."));
        for (k, line) in self.text.lines().enumerate() {
            for (path, first, last, at) in code_references(line) {
                let name = named_item(line, at);
                let files = resolve(doc_dir, &path);
                let texts: Vec<String> = files
                    .iter()
                    .filter_map(|f| std::fs::read_to_string(f).ok())
                    .collect();
                let holds = |t: &String| {
                    let lines: Vec<&str> = t.lines().collect();
                    let span = lines.get(first.saturating_sub(1)..last.min(lines.len()));
                    match (&name, span) {
                        (_, None) => false,
                        (None, Some(s)) => !s.is_empty(),
                        (Some(n), Some(s)) => s.iter().any(|l| mentions(l, n)),
                    }
                };
                // A path found nowhere that names no item reads as an illustration
                // (`--> src/lib.rs:3:42`), not as a claim about this code.
                if texts.iter().any(holds) || (texts.is_empty() && name.is_none()) {
                    continue;
                }
                let reference = if first == last {
                    format!("{path}:{first}")
                } else {
                    format!("{path}:{first}-{last}")
                };
                let (what, fix) = match (&name, texts.first()) {
                    (_, None) => (
                        format!("`{reference}` points into a file that is not found"),
                        "correct the path, or name the item (`module::Item`) instead of a line"
                            .to_string(),
                    ),
                    (Some(n), Some(t)) => (
                        format!("`{reference}` no longer points at `{n}`"),
                        match where_now(t, n) {
                            Some(now) => format!(
                                "`{n}` is now at {path}:{now}; better, name the item (`module::{n}`), which does not move"
                            ),
                            None => format!("`{n}` is no longer in {path}: name what replaced it"),
                        },
                    ),
                    (None, Some(_)) => (
                        format!("`{reference}` is past the end of {path}"),
                        "point at a line that exists, or name the item instead of a line"
                            .to_string(),
                    ),
                };
                issues.push(self.drift(
                    Code::DocStaleCodeReference,
                    k + 1,
                    what,
                    "line numbers rot as the code changes: a reader following this one lands on other code than the document describes",
                    &fix,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_references_are_read() {
        assert_eq!(
            ranges("checks S1-S7 and D2.1–D2.5, S1..9; not X1-Y2 or pS1-S2"),
            [
                ("S".to_string(), 1, 7, "S1-S7".to_string()),
                ("D2.".to_string(), 1, 5, "D2.1–D2.5".to_string()),
                ("S".to_string(), 1, 9, "S1..9".to_string()),
            ]
        );
        let line = "| Acquire | `InMemory::acquire()` | src/in_memory.rs:413 |";
        let refs = code_references(line);
        assert_eq!(refs.len(), 1);
        assert_eq!(
            (refs[0].0.as_str(), refs[0].1, refs[0].2),
            ("src/in_memory.rs", 413, 413)
        );
        assert_eq!(named_item(line, refs[0].3).as_deref(), Some("acquire"));
        assert_eq!(code_references("see a.tla:3-9.")[0].2, 9);
    }

    fn drift(dir: &Path, text: &str, decisions: &[&str]) -> Vec<Issue> {
        let mut registry = (*crate::engine::default_registry()).clone();
        let template = registry.decisions[0].clone();
        for id in decisions {
            let mut d = template.clone();
            d.id = (*id).to_string();
            registry.decisions.push(d);
        }
        let file = dir.join("doc.md");
        let doc = Document {
            registry: &registry,
            file: &file.to_string_lossy(),
            text,
        };
        let mut issues = Vec::new();
        doc.lint_id_ranges(&mut issues);
        doc.lint_code_references(&mut issues);
        issues
    }

    /// "S1-S7" where the registry has S1..S9 is stale, until the document says S1-S9 or
    /// also names S8 and S9 as its own; a range past the registry is stale too.
    #[test]
    fn a_stale_id_range_is_found_and_goes_when_fixed() {
        let dir = std::env::temp_dir();
        let s: Vec<String> = (1..=9).map(|n| format!("S{n}")).collect();
        let s: Vec<&str> = s.iter().map(String::as_str).collect();
        let found = drift(&dir, "The checker holds S1-S7.\n", &s);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, Code::DocStaleIdRange);
        assert!(found[0].what.contains("\"S1-S7\""), "{}", found[0].what);
        assert!(found[0].fix.contains("S1-S9"), "{}", found[0].fix);
        assert!(drift(&dir, "The checker holds S1-S9.\n", &s).is_empty());
        assert!(drift(&dir, "S1-S7 are safety; S8 and S9 liveness.\n", &s).is_empty());
        assert_eq!(drift(&dir, "S1-S12\n", &s).len(), 1);
        // The default registry's D2.1-D2.5 is whole.
        assert!(drift(&dir, "No conflict with D2.1-D2.5\n", &[]).is_empty());
    }

    /// A `file:line` that no longer holds the named item is reported with where it is now.
    #[test]
    fn a_stale_code_reference_is_found() {
        let dir = std::env::temp_dir().join(format!("distaudit-drift-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).expect("temp dir");
        std::fs::write(dir.join("Cargo.toml"), "[package]\n").expect("manifest");
        std::fs::write(
            dir.join("src/in_memory.rs"),
            "// one\n// two\nfn release() {}\nfn acquire() {}\n",
        )
        .expect("source");
        let docs = dir.join("docs");
        std::fs::create_dir_all(&docs).expect("docs");
        let ok = drift(&docs, "`acquire` (in_memory.rs:4)\n", &[]);
        let moved = drift(&docs, "| Acquire | `acquire` | in_memory.rs:3 |\n", &[]);
        let gone = drift(&docs, "`acquire` at nowhere.rs:3\n", &[]);
        let past = drift(&docs, "see src/in_memory.rs:40\n", &[]);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(ok.is_empty(), "{ok:#?}");
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].code, Code::DocStaleCodeReference);
        assert_eq!(
            moved[0].what,
            "`in_memory.rs:3` no longer points at `acquire`"
        );
        assert!(
            moved[0]
                .fix
                .starts_with("`acquire` is now at in_memory.rs:4;"),
            "{}",
            moved[0].fix
        );
        assert!(gone[0].what.contains("not found"), "{gone:#?}");
        assert!(past[0].what.contains("past the end"), "{past:#?}");
    }
}
