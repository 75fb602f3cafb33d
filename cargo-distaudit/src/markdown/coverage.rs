//! Which annotated items a test runs, inferred from the source when no record of a test run
//! is given: the report says the coverage is inferred, and how each item is reached.
//!
//! A declared check runs whenever its item runs, so an item's checks are exercised when:
//! its own generated test runs it; the state-machine test of its audited impl does; it is a
//! trait contract and an audited impl's method that runs inherits it; it is a type
//! invariant and a method of an audited impl of the type runs; or a test (generated or
//! written by hand) calls it, directly or through other functions. Calls are matched by
//! name, so a name shared by two functions counts for both: an over-estimate the report
//! calls inferred.

use crate::engine::shapes;
use crate::model::CoordItem;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// How a test reaches an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exercised {
    /// Its own generated property test (`test`).
    OwnTest,
    /// The state-machine test of the audited impl of the type.
    StateMachine(String),
    /// A test named by `verify`.
    Verify(String),
    /// A trait contract: the audited impl method that inherits it runs.
    Inherited(String),
    /// A type invariant: checked after the method of an audited impl that runs.
    TypeInvariant(String),
    /// Called, directly or not, from this test or tested item.
    CalledFrom(String),
}

impl Exercised {
    /// How the report says it: `called from `X` (generated test)`.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Exercised::OwnTest => "its generated test".into(),
            Exercised::StateMachine(t) => format!("the state-machine test of `{t}`"),
            Exercised::Verify(t) => format!("`{t}` (named by `verify`)"),
            Exercised::Inherited(m) => format!("inherited by `{m}`, which a test runs"),
            Exercised::TypeInvariant(m) => format!("checked after `{m}`, which a test runs"),
            Exercised::CalledFrom(root) => format!("called from {root}"),
        }
    }
}

/// One function of the crate's source, as the inference needs it.
#[derive(Debug, Default)]
struct Function {
    name: String,
    /// The impl's type, or the trait, for an associated function.
    owner: Option<String>,
    /// The trait an impl implements.
    implements: Option<String>,
    /// In an impl under `#[distaudit::audit]`.
    audited: bool,
    /// In an impl whose `#[distaudit::audit(test(..))]` drives a state machine.
    state_machine: bool,
    /// A `#[test]` function, or any function of a `tests/` file.
    hand_test: Option<String>,
    calls: BTreeSet<String>,
}

/// The functions of one file.
struct Reader {
    file: String,
    in_tests_dir: bool,
    out: Vec<Function>,
    /// The enclosing impl: (type, trait, audited, state machine).
    host: Option<(Option<String>, Option<String>, bool, bool)>,
}

/// Whether an attribute is `#[distaudit::audit]` (or an `audit` in scope), and whether it
/// asks for a test.
fn audit_attribute(attrs: &[syn::Attribute]) -> Option<bool> {
    attrs.iter().find_map(|a| {
        let segments: Vec<String> = a
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let is_audit = matches!(segments.as_slice(), [n] if n == "audit")
            || matches!(segments.as_slice(), [_, n] if n == "audit");
        is_audit.then(|| names_test(&a.meta.to_token_stream()))
    })
}

fn names_test(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == "test",
        TokenTree::Group(g) => names_test(&g.stream()),
        _ => false,
    })
}

fn is_test_attribute(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().segments.last().is_some_and(|s| s.ident == "test"))
}

/// Every name called in `tokens`: an identifier followed by `(..)`, inside string literals
/// too (an annotation's check is written in one).
fn calls_in(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let mut previous: Option<String> = None;
    for t in tokens {
        match t {
            TokenTree::Ident(i) => previous = Some(i.to_string().trim_start_matches("r#").into()),
            TokenTree::Group(g) => {
                if g.delimiter() == Delimiter::Parenthesis
                    && let Some(name) = previous.take()
                {
                    out.insert(name);
                }
                calls_in(g.stream(), out);
            }
            TokenTree::Literal(l) => {
                let text = l.to_string();
                if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'))
                    && let Ok(parsed) = inner.replace("\\\"", "\"").parse::<TokenStream>()
                {
                    calls_in(parsed, out);
                }
                previous = None;
            }
            TokenTree::Punct(_) => previous = None,
        }
    }
}

impl Reader {
    fn function(&mut self, name: &syn::Ident, attrs: &[syn::Attribute], tokens: TokenStream) {
        let name = name.to_string().trim_start_matches("r#").to_string();
        let (owner, implements, audited, state_machine) = self.host.clone().unwrap_or_default();
        let hand_test = (self.in_tests_dir || is_test_attribute(attrs))
            .then(|| format!("`{}` in {}", name, self.file));
        let mut calls = BTreeSet::new();
        calls_in(tokens, &mut calls);
        self.out.push(Function {
            name,
            owner,
            implements,
            audited,
            state_machine,
            hand_test,
            calls,
        });
    }
}

impl<'ast> Visit<'ast> for Reader {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let host = self.host.take();
        self.function(&f.sig.ident, &f.attrs, f.to_token_stream());
        self.host = host;
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let audit = audit_attribute(&i.attrs);
        let ty = crate::engine::type_name(&i.self_ty);
        let implements = i
            .trait_
            .as_ref()
            .and_then(|(p, _)| p.segments.last().map(|s| s.ident.to_string()));
        let outer = self
            .host
            .replace((ty, implements, audit.is_some(), audit == Some(true)));
        syn::visit::visit_item_impl(self, i);
        self.host = outer;
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.function(&f.sig.ident, &f.attrs, f.to_token_stream());
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        let outer = self
            .host
            .replace((Some(t.ident.to_string()), None, false, false));
        syn::visit::visit_item_trait(self, t);
        self.host = outer;
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.function(&f.sig.ident, &f.attrs, f.to_token_stream());
    }
}

/// The `.rs` files under `dir`, sorted; `target` and hidden directories skipped.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The package directory of a file: its nearest ancestor with a `Cargo.toml`.
fn package_dir(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .find(|d| d.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

/// What the tests of one crate reach.
#[derive(Debug, Default)]
pub struct Coverage {
    functions: Vec<Function>,
    /// Function name -> the first test or tested item found to reach it.
    reached: BTreeMap<String, String>,
}

impl Coverage {
    /// Reads the package of `items` (under `root`) and follows the calls of its tests.
    #[must_use]
    pub fn infer(root: &Path, items: &[&CoordItem]) -> Coverage {
        let mut files: Vec<PathBuf> = Vec::new();
        let dirs: BTreeSet<PathBuf> = items
            .iter()
            .filter_map(|i| package_dir(&root.join(&i.file)))
            .collect();
        for d in &dirs {
            for sub in ["src", "tests"] {
                rust_files(&d.join(sub), &mut files);
            }
        }
        files.sort();
        files.dedup();
        let mut functions = Vec::new();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let Ok(parsed) = syn::parse_file(&text) else {
                continue;
            };
            let shown = crate::model::shown(root, &f);
            let mut reader = Reader {
                in_tests_dir: dirs.iter().any(|d| f.starts_with(d.join("tests"))),
                file: shown,
                out: Vec::new(),
                host: None,
            };
            reader.visit_file(&parsed);
            functions.extend(reader.out);
        }
        let mut coverage = Coverage {
            functions,
            reached: BTreeMap::new(),
        };
        coverage.follow(items);
        coverage
    }

    /// Breadth-first from every test: generated tests first (annotated items with `test`,
    /// state-machine impls), then tests written by hand.
    fn follow(&mut self, items: &[&CoordItem]) {
        let mut calls: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for f in &self.functions {
            calls
                .entry(f.name.as_str())
                .or_default()
                .extend(f.calls.iter().map(String::as_str));
        }
        let mut roots: Vec<(String, &str)> = Vec::new();
        for i in items.iter().filter(|i| i.model.test) {
            roots.push((format!("`{}` (generated test)", i.path), last(&i.path)));
        }
        for f in self.functions.iter().filter(|f| f.state_machine) {
            let owner = f.owner.as_deref().unwrap_or_default();
            roots.push((
                format!("`{owner}::{}` (state-machine test)", f.name),
                &f.name,
            ));
        }
        for f in &self.functions {
            if let Some(label) = &f.hand_test {
                roots.push((format!("the test {label}"), &f.name));
            }
        }
        let mut reached: BTreeMap<String, String> = BTreeMap::new();
        for (label, start) in roots {
            let mut queue: VecDeque<&str> =
                calls.get(start).into_iter().flatten().copied().collect();
            while let Some(name) = queue.pop_front() {
                if reached.contains_key(name) || !calls.contains_key(name) {
                    continue;
                }
                reached.insert(name.to_string(), label.clone());
                queue.extend(calls.get(name).into_iter().flatten().copied());
            }
        }
        self.reached = reached;
    }

    fn state_machine(&self, item: &CoordItem) -> Option<String> {
        let owner = item.scope.self_type.as_deref()?;
        self.functions
            .iter()
            .find(|f| {
                f.state_machine && f.name == last(&item.path) && f.owner.as_deref() == Some(owner)
            })
            .map(|_| owner.to_string())
    }

    /// Whether a function of an audited impl (`owner::name`) runs: tested or reached.
    fn runs(&self, f: &Function, items: &[&CoordItem]) -> bool {
        f.state_machine
            || self.reached.contains_key(&f.name)
            || items.iter().any(|i| {
                i.model.test
                    && last(&i.path) == f.name
                    && i.scope.self_type.as_deref() == f.owner.as_deref()
            })
    }

    /// How a test reaches `item`, if one does; `items` are the crate's annotated items.
    #[must_use]
    pub fn of(&self, item: &CoordItem, items: &[&CoordItem]) -> Option<Exercised> {
        if item.model.test {
            return Some(Exercised::OwnTest);
        }
        if let Some(t) = self.state_machine(item) {
            return Some(Exercised::StateMachine(t));
        }
        let name = last(&item.path);
        let owner_of = |f: &Function| format!("{}::{}", f.owner.as_deref().unwrap_or("_"), f.name);
        if item.shape == shapes::TRAIT_METHOD {
            let contract = parent(&item.path);
            if let Some(f) = self.functions.iter().find(|f| {
                f.audited
                    && f.name == name
                    && f.implements.as_deref() == Some(contract)
                    && self.runs(f, items)
            }) {
                return Some(Exercised::Inherited(owner_of(f)));
            }
        }
        // A type invariant is checked after the methods of its audited impls: a
        // state-machine transition first, else any that runs.
        let of_type = |f: &&Function| f.audited && f.owner.as_deref() == Some(name);
        if [shapes::STRUCT, shapes::ENUM].contains(&item.shape)
            && !item.model.checks.is_empty()
            && let Some(f) = self
                .functions
                .iter()
                .filter(of_type)
                .find(|f| f.state_machine)
                .or_else(|| {
                    self.functions
                        .iter()
                        .filter(of_type)
                        .find(|f| self.runs(f, items))
                })
        {
            return Some(Exercised::TypeInvariant(owner_of(f)));
        }
        if let Some(root) = self.reached.get(name) {
            return Some(Exercised::CalledFrom(root.clone()));
        }
        item.model
            .verify
            .first()
            .map(|v| Exercised::Verify(v.clone()))
    }
}

fn last(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

fn parent(path: &str) -> &str {
    let mut parts = path.rsplit("::");
    parts.next();
    parts.next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The annotated items of `text`, written as `src/lib.rs` of a package at `dir`.
    fn items_of(dir: &Path, text: &str) -> Vec<CoordItem> {
        std::fs::create_dir_all(dir.join("src")).expect("temp dir");
        std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"k\"\n").expect("manifest");
        std::fs::write(dir.join("src/lib.rs"), text).expect("source");
        let registry = crate::engine::default_registry();
        let ctx = crate::scan::FileContext::lib_rs(&registry, "k");
        crate::scan::scan_text(&ctx, text).items
    }

    /// A check runs when its item has a generated test, when a tested item calls it through
    /// a helper, or when a hand-written test calls it; an item nothing calls is not run.
    #[test]
    fn callees_of_tests_are_exercised() {
        let text = r#"
use distaudit::coordination;

#[coordination(pattern = "shard", cite = "chang-2006", invariant(holds = "ret > 0"), test)]
pub fn tested(x: u64) -> u64 { helper(x) + 1 }

fn helper(x: u64) -> u64 { validate(x) }

#[coordination(pattern = "shard", cite = "chang-2006", invariant(holds = "ret >= x"))]
pub fn validate(x: u64) -> u64 { x }

#[coordination(pattern = "shard", cite = "chang-2006", invariant(holds = "ret >= x"))]
pub fn orphan(x: u64) -> u64 { x }

#[coordination(pattern = "shard", cite = "chang-2006", invariant(holds = "ret >= x"))]
pub fn by_hand(x: u64) -> u64 { x }

#[cfg(test)]
mod tests {
    #[test]
    fn hand() { assert_eq!(super::by_hand(1), 1); }
}
"#;
        let dir = std::env::temp_dir().join(format!("distaudit-coverage-{}", std::process::id()));
        let items = items_of(&dir, text);
        let refs: Vec<&CoordItem> = items.iter().collect();
        let coverage = Coverage::infer(&dir, &refs);
        let _ = std::fs::remove_dir_all(&dir);
        let of = |name: &str| {
            let item = refs.iter().find(|i| i.path == name).expect(name);
            coverage.of(item, &refs)
        };
        assert_eq!(of("tested"), Some(Exercised::OwnTest));
        assert_eq!(
            of("validate"),
            Some(Exercised::CalledFrom("`tested` (generated test)".into()))
        );
        assert_eq!(
            of("by_hand"),
            Some(Exercised::CalledFrom(
                "the test `hand` in src/lib.rs".into()
            ))
        );
        assert_eq!(of("orphan"), None);
    }

    /// A check written in a string literal counts its calls too.
    #[test]
    fn calls_inside_check_strings_count() {
        let mut calls = BTreeSet::new();
        calls_in(
            quote::quote!(
                #[coordination(invariant(holds = "tiles(parent, &ret)"))]
                fn f() {
                    g(1);
                    x.h()
                }
            ),
            &mut calls,
        );
        let calls: Vec<&str> = calls.iter().map(String::as_str).collect();
        assert_eq!(calls, ["coordination", "f", "g", "h", "invariant", "tiles"]);
    }
}
