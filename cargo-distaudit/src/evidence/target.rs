//! Finding an evidence link's target in its file, and the target's own text: a TLA+
//! operator's definition up to the next top-level definition, or a Rust function's item
//! text. The fingerprint is taken of that text with comments removed and whitespace
//! collapsed, so reformatting or rewording a comment does not make a link OUTDATED and any
//! other edit does.

use crate::engine::EvidenceKind;
use quote::ToTokens;
use sha2::{Digest, Sha256};

/// Why a link's target is not there (ORPHANED).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gone {
    /// The file does not exist or cannot be read.
    NoFile(String),
    /// The Rust file does not parse.
    Unparsable(String),
    /// Nothing of that name is defined in the file.
    NotDefined,
    /// Several functions end in that path.
    Ambiguous(Vec<String>),
    /// The function is there without what makes it a proof, model or test.
    NotEvidence(&'static str),
}

impl Gone {
    /// What an ORPHANED finding says after "target `x` ".
    #[must_use]
    pub fn describe(&self, kind: EvidenceKind) -> String {
        match self {
            Gone::NoFile(e) => format!("cannot be read: the file is gone ({e})"),
            Gone::Unparsable(e) => format!("cannot be read: the file does not parse ({e})"),
            Gone::NotDefined if kind == EvidenceKind::Tla => {
                "is gone: no top-level `Name ==` definition of it is left in the spec".into()
            }
            Gone::NotDefined => "is gone: no function of that name is left in the file".into(),
            Gone::Ambiguous(paths) => format!(
                "names {} functions ({}); a link names one",
                paths.len(),
                paths.join(", ")
            ),
            Gone::NotEvidence(what) => format!("is still there but {what}"),
        }
    }
}

/// The target's own text, as written, or why it is gone.
///
/// # Errors
/// [`Gone`] when the file has no such target.
pub fn locate(kind: EvidenceKind, text: &str, name: &str) -> Result<String, Gone> {
    match kind {
        EvidenceKind::Tla => tla_operator(text, name).ok_or(Gone::NotDefined),
        _ => rust_function(kind, text, name),
    }
}

/// The fingerprint of a target's text: the first 16 hex digits of the SHA-256 of the text
/// with comments removed and every run of whitespace made one space.
#[must_use]
pub fn fingerprint(kind: EvidenceKind, text: &str) -> String {
    let without = if kind == EvidenceKind::Tla {
        strip_tla_comments(text)
    } else {
        strip_rust_comments(text)
    };
    let normal = without.split_whitespace().collect::<Vec<_>>().join(" ");
    let digest = Sha256::digest(normal.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Whether a recorded fingerprint (16 to 64 hex digits) is the start of the current one's
/// digest, i.e. the same text.
#[must_use]
pub fn matches(recorded: &str, current: &str) -> bool {
    let n = recorded.len().min(current.len());
    n > 0 && recorded[..n] == current[..n]
}

// TLA+: a top-level definition starts a line, at its first column, with its name (after
// `LOCAL`), parameters in `(..)` or a function's `[..]`, then `==` (or `≜`).

/// The name a line defines at the top level, if it does.
fn tla_definition(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("LOCAL ").unwrap_or(line);
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, after) = rest.split_at(end);
    if name.is_empty() || !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        return None;
    }
    let after = after.trim_start();
    let after = match after.chars().next() {
        Some(open @ ('(' | '[')) => {
            let close = if open == '(' { ')' } else { ']' };
            after[after.find(close)? + 1..].trim_start()
        }
        _ => after,
    };
    (after.starts_with("==") || after.starts_with('≜')).then_some(name)
}

/// Keywords that start a top-level unit other than an operator definition.
const TLA_UNITS: [&str; 14] = [
    "VARIABLE",
    "VARIABLES",
    "CONSTANT",
    "CONSTANTS",
    "ASSUME",
    "ASSUMPTION",
    "AXIOM",
    "THEOREM",
    "LEMMA",
    "COROLLARY",
    "PROPOSITION",
    "INSTANCE",
    "EXTENDS",
    "RECURSIVE",
];

/// Whether a line ends the definition before it: another definition, another top-level
/// unit, a separator (`----`) or the module's end (`====`).
fn tla_boundary(line: &str) -> bool {
    tla_definition(line).is_some()
        || line.starts_with("----")
        || line.starts_with("====")
        || TLA_UNITS.iter().any(|k| {
            line.strip_prefix(k)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        })
}

/// The operator's definition: its line through the line before the next boundary.
fn tla_operator(text: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| tla_definition(l) == Some(name))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| tla_boundary(l))
        .map_or(lines.len(), |i| start + 1 + i);
    Some(lines[start..end].join("\n"))
}

/// TLA+ without its comments: `\* ..` to the end of the line, `(* .. *)` nested.
fn strip_tla_comments(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut depth, mut in_string) = (0, 0usize, false);
    while i < chars.len() {
        let (c, next) = (chars[i], chars.get(i + 1).copied());
        if depth == 0 && in_string {
            out.push(c);
            if c == '\\' && next.is_some() {
                out.push(chars[i + 1]);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '(' && next == Some('*') {
            depth += 1;
            i += 1;
        } else if depth > 0 && c == '*' && next == Some(')') {
            depth -= 1;
            i += 1;
            out.push(' ');
        } else if depth > 0 {
        } else if c == '\\' && next == Some('*') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            out.push('\n');
        } else {
            in_string = c == '"';
            out.push(c);
        }
        i += 1;
    }
    out
}

/// Rust without its comments (doc comments included), string and character literals kept
/// as written.
fn strip_rust_comments(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let (c, next) = (chars[i], chars.get(i + 1).copied());
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
            continue;
        }
        let literal_end = match c {
            '"' => string_end(&chars, i + 1, 0),
            'r' if matches!(next, Some('"' | '#')) && !ident_before(&chars, i) => {
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                (chars.get(i + 1 + hashes) == Some(&'"'))
                    .then(|| string_end(&chars, i + 2 + hashes, hashes))
                    .flatten()
            }
            // A character literal ('a', '\n'), not a lifetime ('a).
            '\'' if chars.get(i + 2) == Some(&'\'') => Some(i + 3),
            '\'' if next == Some('\\') => chars
                .get(i + 3..)
                .and_then(|rest| rest.iter().position(|c| *c == '\''))
                .map(|p| i + 4 + p),
            _ => None,
        };
        let end = literal_end.unwrap_or(i + 1).min(chars.len());
        out.extend(&chars[i..end]);
        i = end;
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// The index after the closing quote of a string that starts at `from` (after its `"`);
/// a raw string (`hashes` > 0 or `r".."`) has no escapes.
fn string_end(chars: &[char], from: usize, hashes: usize) -> Option<usize> {
    let raw = hashes > 0 || (from >= 2 && chars[from - 2] == 'r');
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' if !raw => i += 2,
            '"' if chars[i + 1..].iter().take(hashes).all(|c| *c == '#')
                && chars.len() >= i + 1 + hashes =>
            {
                return Some(i + 1 + hashes);
            }
            _ => i += 1,
        }
    }
    None
}

/// One function of a file: its path inside the file (`tests::zombie`, `Checker::s1`),
/// its attributes and body as text, and its place.
struct Function {
    path: Vec<String>,
    attrs: Vec<String>,
    body: String,
    tokens: proc_macro2::TokenStream,
}

fn collect(items: &[syn::Item], prefix: &[String], out: &mut Vec<Function>) {
    let named = |prefix: &[String], name: &syn::Ident| {
        let mut path = prefix.to_vec();
        path.push(name.to_string().trim_start_matches("r#").to_string());
        path
    };
    let text = |attrs: &[syn::Attribute]| -> Vec<String> {
        attrs
            .iter()
            .map(|a| a.meta.to_token_stream().to_string().replace(' ', ""))
            .collect()
    };
    for item in items {
        match item {
            syn::Item::Fn(f) => out.push(Function {
                path: named(prefix, &f.sig.ident),
                attrs: text(&f.attrs),
                body: f.block.to_token_stream().to_string().replace(' ', ""),
                tokens: f.to_token_stream(),
            }),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, &named(prefix, &m.ident), out);
                }
            }
            syn::Item::Impl(i) => {
                let owner = match &*i.self_ty {
                    syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                };
                let host: Vec<String> = prefix.iter().cloned().chain(owner).collect();
                for f in i.items.iter().filter_map(|it| match it {
                    syn::ImplItem::Fn(f) => Some(f),
                    _ => None,
                }) {
                    out.push(Function {
                        path: named(&host, &f.sig.ident),
                        attrs: text(&f.attrs),
                        body: f.block.to_token_stream().to_string().replace(' ', ""),
                        tokens: f.to_token_stream(),
                    });
                }
            }
            syn::Item::Trait(t) => {
                let host = named(prefix, &t.ident);
                for f in t.items.iter().filter_map(|it| match it {
                    syn::TraitItem::Fn(f) => f.default.as_ref().map(|b| (f, b)),
                    _ => None,
                }) {
                    out.push(Function {
                        path: named(&host, &f.0.sig.ident),
                        attrs: text(&f.0.attrs),
                        body: f.1.to_token_stream().to_string().replace(' ', ""),
                        tokens: f.0.to_token_stream(),
                    });
                }
            }
            _ => {}
        }
    }
}

/// Whether a function is what a link of `kind` needs, or what it lacks.
fn is_evidence(kind: EvidenceKind, f: &Function) -> Result<(), &'static str> {
    let attr = |needle: &str| f.attrs.iter().any(|a| a.contains(needle));
    let test_attr = f.attrs.iter().any(|a| {
        a == "test" || a.ends_with("::test") || a.starts_with("test(") || a.contains("::test(")
    });
    match kind {
        EvidenceKind::Kani if !attr("kani::proof") => {
            Err("has no `#[kani::proof]`: it is no longer a proof harness")
        }
        EvidenceKind::Test if !test_attr => Err("has no `#[test]`: it is no longer a test"),
        EvidenceKind::Loom if !f.body.contains("loom::model") => {
            Err("no longer calls `loom::model`: it is no longer a loom model")
        }
        EvidenceKind::Shuttle if !f.body.contains("shuttle::check_") => {
            Err("no longer calls `shuttle::check_*`: it is no longer a shuttle test")
        }
        _ => Ok(()),
    }
}

/// The function `name` of a Rust file, checked for its kind, as written.
fn rust_function(kind: EvidenceKind, text: &str, name: &str) -> Result<String, Gone> {
    let file = syn::parse_file(text).map_err(|e| {
        let at = e.span().start();
        Gone::Unparsable(format!("line {}: {e}", at.line))
    })?;
    let mut functions = Vec::new();
    collect(&file.items, &[], &mut functions);
    let wanted: Vec<&str> = name.split("::").map(str::trim).collect();
    let found: Vec<&Function> = functions
        .iter()
        .filter(|f| {
            f.path.len() >= wanted.len() && f.path[f.path.len() - wanted.len()..] == wanted[..]
        })
        .collect();
    let f = match found.as_slice() {
        [] => return Err(Gone::NotDefined),
        [one] => *one,
        many => {
            return Err(Gone::Ambiguous(
                many.iter()
                    .map(|f| format!("`{}`", f.path.join("::")))
                    .collect(),
            ));
        }
    };
    is_evidence(kind, f).map_err(Gone::NotEvidence)?;
    Ok(source_of(text, &f.tokens))
}

/// The source text from a token stream's first token through its last.
fn source_of(text: &str, tokens: &proc_macro2::TokenStream) -> String {
    let mut iter = tokens.clone().into_iter();
    let Some(first) = iter.next() else {
        return String::new();
    };
    let last = iter.last().unwrap_or_else(|| first.clone());
    let (start, end) = (first.span().start(), last.span().end());
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for line in start.line..=end.line {
        let Some(l) = lines.get(line - 1) else { break };
        let from = if line == start.line { start.column } else { 0 };
        let to = if line == end.line {
            end.column
        } else {
            usize::MAX
        };
        out.extend(l.chars().skip(from).take(to.saturating_sub(from)));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
