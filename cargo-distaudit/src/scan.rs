//! Reading one source file: its annotated items get the engine's findings, the rest goes
//! through the family detector and the anti-pattern scan, and its `mod` declarations
//! lead to the next files.

use crate::engine::{self, AntiPattern, Finding, ItemModel, Placement, Registry};
use crate::families::{self, Candidate, Detection, Family};
use crate::model::{CoordItem, Issue, ItemScope, Region, Source};
use distaudit_core::diag::Code;
use distaudit_core::item::Subject;
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned;

/// The attribute names of the `distaudit` runtime as one crate reaches it.
#[derive(Clone, Copy, Debug)]
pub struct Runtime<'a> {
    /// `distaudit`, or the name a renamed dependency has (`da`).
    pub name: &'a str,
    /// The names the module being read gives `coordination` (`use distaudit::coordination
    /// as coord;`).
    pub aliases: &'a [String],
}

impl<'a> Runtime<'a> {
    /// `#[coordination(..)]`, `#[distaudit::coordination(..)]`, `#[<renamed>::coordination]`
    /// or the module's alias: what the macro itself recognises, by the engine's own test.
    fn is_coordination(self, attr: &syn::Attribute) -> bool {
        engine::is_coordination(attr, self.name, self.aliases)
    }

    /// The same runtime, in a module whose aliases are `aliases`.
    fn in_module(self, aliases: &'a [String]) -> Runtime<'a> {
        Runtime {
            name: self.name,
            aliases,
        }
    }

    /// `#[distaudit::audit]` (or `#[audit]` imported, or `#[<renamed>::audit]`), raw
    /// identifiers read as their names.
    fn is_audit(self, attr: &syn::Attribute) -> bool {
        let segs: Vec<String> = attr
            .path()
            .segments
            .iter()
            .map(|s| distaudit_core::item::ident_text(&s.ident))
            .collect();
        match segs.as_slice() {
            [n] => n == "audit",
            [krate, n] => n == "audit" && (krate == "distaudit" || krate == self.name),
            _ => false,
        }
    }
}

fn path_is(path: &syn::Path, want: &[&str]) -> bool {
    path.segments.len() == want.len() && path.segments.iter().zip(want).all(|(s, w)| s.ident == w)
}

/// `#[cfg(test)]`, `#[test]` and friends: code that only tests run.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let p = a.path();
        if p.segments
            .last()
            .is_some_and(|s| s.ident == "test" || s.ident == "bench")
        {
            return true;
        }
        path_is(p, &["cfg"])
            && a.meta.require_list().is_ok_and(|l| {
                let text = l.tokens.to_string();
                !text.trim_start().starts_with("not")
                    && text
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|w| w == "test")
            })
    })
}

/// The attributes of an item of any kind.
fn attrs_of(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(x) => &x.attrs,
        syn::Item::Enum(x) => &x.attrs,
        syn::Item::ExternCrate(x) => &x.attrs,
        syn::Item::Fn(x) => &x.attrs,
        syn::Item::ForeignMod(x) => &x.attrs,
        syn::Item::Impl(x) => &x.attrs,
        syn::Item::Macro(x) => &x.attrs,
        syn::Item::Mod(x) => &x.attrs,
        syn::Item::Static(x) => &x.attrs,
        syn::Item::Struct(x) => &x.attrs,
        syn::Item::Trait(x) => &x.attrs,
        syn::Item::TraitAlias(x) => &x.attrs,
        syn::Item::Type(x) => &x.attrs,
        syn::Item::Union(x) => &x.attrs,
        syn::Item::Use(x) => &x.attrs,
        _ => &[],
    }
}

fn attrs_mut_of(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(x) => &mut x.attrs,
        syn::Item::Enum(x) => &mut x.attrs,
        syn::Item::ExternCrate(x) => &mut x.attrs,
        syn::Item::Fn(x) => &mut x.attrs,
        syn::Item::ForeignMod(x) => &mut x.attrs,
        syn::Item::Impl(x) => &mut x.attrs,
        syn::Item::Macro(x) => &mut x.attrs,
        syn::Item::Mod(x) => &mut x.attrs,
        syn::Item::Static(x) => &mut x.attrs,
        syn::Item::Struct(x) => &mut x.attrs,
        syn::Item::Trait(x) => &mut x.attrs,
        syn::Item::TraitAlias(x) => &mut x.attrs,
        syn::Item::Type(x) => &mut x.attrs,
        syn::Item::Union(x) => &mut x.attrs,
        syn::Item::Use(x) => &mut x.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &syn::ImplItem) -> &[syn::Attribute] {
    match item {
        syn::ImplItem::Const(x) => &x.attrs,
        syn::ImplItem::Fn(x) => &x.attrs,
        syn::ImplItem::Type(x) => &x.attrs,
        syn::ImplItem::Macro(x) => &x.attrs,
        _ => &[],
    }
}

fn trait_item_attrs(item: &syn::TraitItem) -> &[syn::Attribute] {
    match item {
        syn::TraitItem::Const(x) => &x.attrs,
        syn::TraitItem::Fn(x) => &x.attrs,
        syn::TraitItem::Type(x) => &x.attrs,
        syn::TraitItem::Macro(x) => &x.attrs,
        _ => &[],
    }
}

fn impl_item_attrs_mut(item: &mut syn::ImplItem) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::ImplItem::Const(x) => &mut x.attrs,
        syn::ImplItem::Fn(x) => &mut x.attrs,
        syn::ImplItem::Type(x) => &mut x.attrs,
        syn::ImplItem::Macro(x) => &mut x.attrs,
        _ => return None,
    })
}

fn trait_item_attrs_mut(item: &mut syn::TraitItem) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::TraitItem::Const(x) => &mut x.attrs,
        syn::TraitItem::Fn(x) => &mut x.attrs,
        syn::TraitItem::Type(x) => &mut x.attrs,
        syn::TraitItem::Macro(x) => &mut x.attrs,
        _ => return None,
    })
}

/// The first `#[coordination]` of `node` split off: the annotation's arguments, the
/// item's tokens without that attribute (what the macro receives) and the attribute's
/// span (where a finding without a span of its own points, as rustc's call site does).
fn split<T: ToTokens + Clone>(
    node: &T,
    existing: &[syn::Attribute],
    runtime: Runtime<'_>,
    attrs: impl Fn(&mut T) -> Option<&mut Vec<syn::Attribute>>,
) -> Option<(Result<TokenStream, Finding>, TokenStream, Span)> {
    // Most items carry no annotation: look before cloning.
    let pos = existing.iter().position(|a| runtime.is_coordination(a))?;
    let mut bare = node.clone();
    let attr = attrs(&mut bare)?.remove(pos);
    let args = distaudit_core::annotation::attribute_arguments(&attr.meta);
    Some((args, bare.to_token_stream(), attr.span()))
}

/// A `mod name;` found in a file, to be read next.
#[derive(Clone, Debug)]
pub struct ChildModule {
    pub module: Vec<String>,
    /// Candidate files, in the order the compiler tries them (every `cfg_attr` branch of
    /// `#[path]` too: all are read).
    pub candidates: Vec<PathBuf>,
    /// Found through `#[path]`: the file then owns its directory, like a `mod.rs`.
    pub via_path: bool,
    pub test_only: bool,
    /// Declared under `#[cfg(..)]`: a missing file is then not an error.
    pub cfg_gated: bool,
    /// Where the declaration is, for the error when no candidate exists.
    pub region: Option<Region>,
}

/// An un-annotated function or type whose report waits for the crate-wide list of
/// annotated types (a method of an annotated type is covered by the type's record for
/// the families of its patterns).
#[derive(Clone, Debug)]
pub struct Pending {
    pub item: String,
    pub file: String,
    pub region: Option<Region>,
    pub self_ty: Option<String>,
    pub detections: Vec<Detection>,
    /// Anti-pattern issues, before applicability is decided.
    pub anti: Vec<(AntiPattern, Issue)>,
}

/// One annotated item and exactly the findings the attribute gives it.
#[derive(Clone, Debug)]
pub struct AnnotatedFindings {
    /// `module::Type::name` inside the file.
    pub path: String,
    /// The line of the `#[coordination]` attribute.
    pub attr_line: usize,
    pub findings: Vec<Finding>,
}

/// A required method of a trait under `#[distaudit::audit]` whose `#[coordination]` is the
/// contract of every audited impl: its checks read the parameters by these names.
#[derive(Clone, Debug)]
pub struct TraitContract {
    /// `module::Trait` in the crate, identifiers unraw'd.
    pub trait_path: String,
    pub method: String,
    pub params: Vec<Option<String>>,
    /// Its patterns (aliases resolved): each impl method embodies them.
    pub patterns: Vec<String>,
    /// Its arguments as written (`None` for `#[coordination = ..]`), which each impl
    /// method's annotation receives (the engine's `with_contract`).
    pub args: Option<String>,
}

/// The trait contracts of one crate, once all its files are read: what the second reading
/// of a file with audited trait impls expands their methods with, as the build does.
#[derive(Clone, Debug, Default)]
pub struct CrateContracts {
    /// Every trait of the crate (`module::Trait`, unraw'd).
    pub traits: Vec<String>,
    pub contracts: Vec<TraitContract>,
}

impl CrateContracts {
    /// The contract of `method` of the trait an impl in `module` names as `trait_path`:
    /// the first of the crate's traits the path can be, read as rustc reads it from the
    /// module outwards; when it names none of them (a trait brought in by a `use` line,
    /// which is not read), the crate's one trait with a contract of that name.
    #[must_use]
    pub fn of(&self, module: &[String], trait_path: &str, method: &str) -> Option<usize> {
        let scope = engine::PathScope {
            module,
            self_type: None,
            audited_methods: None,
        };
        let candidates = match engine::delegation_target(trait_path, &scope) {
            engine::PathTarget::Elsewhere(c) => c,
            engine::PathTarget::SameImpl(_) => Vec::new(),
        };
        let by_path = candidates
            .iter()
            .map(|c| c.join("::"))
            .find(|path| self.traits.contains(path));
        let trait_path = by_path.or_else(|| {
            let name = trait_path.rsplit("::").next().unwrap_or_default();
            let mut named: Vec<&str> = self
                .contracts
                .iter()
                .map(|c| c.trait_path.as_str())
                .filter(|p| p.rsplit("::").next() == Some(name))
                .collect();
            named.dedup();
            (named.len() == 1).then(|| named[0].to_string())
        })?;
        self.contracts
            .iter()
            .position(|c| c.trait_path == trait_path && c.method == method)
    }
}

/// A method of an impl of a trait under `#[distaudit::audit]`: it receives the trait's
/// contract for that method, if the trait has one.
#[derive(Clone, Debug)]
pub struct ContractImpl {
    /// The module the impl is written in.
    pub module: Vec<String>,
    /// The trait as the impl names it (`Clock`, `crate::time::Clock`), identifiers only.
    pub trait_path: String,
    /// `module::Type::method`.
    pub item: String,
    pub method: String,
    pub params: Vec<Option<String>>,
    /// Where each typed parameter is written, and the method's name.
    pub param_regions: Vec<Option<Region>>,
    pub method_region: Option<Region>,
    /// The file, as shown.
    pub file: String,
}

/// A method of an audited impl that `#[async_trait]` rewrote before the audit saw it, of a
/// shape a type invariant is checked after (`&mut self`, a constructor).
#[derive(Clone, Debug)]
pub struct AfterAsyncTrait {
    /// The impl's self type, by name.
    pub self_ty: String,
    /// `module::Type::method`.
    pub item: String,
    /// The method's name, where the build reports it.
    pub region: Option<Region>,
    pub file: String,
}

/// What one file yields.
#[derive(Default, Debug)]
pub struct FileScan {
    pub issues: Vec<Issue>,
    pub items: Vec<CoordItem>,
    pub pending: Vec<Pending>,
    /// Types annotated in this file, with their patterns (aliases resolved).
    pub annotated_types: Vec<(String, Vec<String>)>,
    /// Identifiers named in the declared checks of this file's annotated items: the
    /// helpers an invariant is written with are part of that item's audit.
    pub check_helpers: Vec<String>,
    pub children: Vec<ChildModule>,
    /// The traits of this file (`module::Trait`, unraw'd), its trait contracts, and the
    /// impl methods that receive one.
    pub traits: Vec<String>,
    pub contracts: Vec<TraitContract>,
    /// Structs and enums whose annotation states type invariants (the build implements
    /// `TypeInvariant` for them), by name.
    pub invariant_types: Vec<String>,
    /// Methods of audited impls that `#[async_trait]` rewrote first, after which a type
    /// invariant would be checked: DA0055 when the type has invariants.
    pub after_async_trait: Vec<AfterAsyncTrait>,
    pub contract_impls: Vec<ContractImpl>,
}

/// Everything the scan of one file needs to know.
pub struct FileContext<'a> {
    /// The crate's registry; `None` when its `distaudit.toml` is broken (annotated items
    /// are then not checked: the registry error says so).
    pub registry: Option<&'a Registry>,
    pub runtime: Runtime<'a>,
    pub krate: &'a str,
    /// Shown path, relative to the workspace root.
    pub shown: &'a str,
    pub path: &'a Path,
    /// The file's module path inside the crate.
    pub module: Vec<String>,
    /// Whether the file is a crate root, a `mod.rs` or a `#[path]` file (its children
    /// live beside it).
    pub owns_dir: bool,
    pub test_only: bool,
    /// The crate's trait contracts, on the second reading of a file whose audited trait
    /// impls receive one; `None` on the first.
    pub contracts: Option<&'a CrateContracts>,
}

/// Where an item sits, as the walk descends.
#[derive(Clone, Debug, Default)]
struct Scope {
    module: Vec<String>,
    test_only: bool,
    /// Inside an annotated module: its record covers the items (no uncited report).
    covered: bool,
    /// The directly enclosing inline module carries `#[distaudit::audit]`.
    audited_parent: bool,
    /// Names of the inline modules between the file and here (for `mod x;` inside them).
    inline: Vec<String>,
}

/// `#[distaudit::audit(..)]` of an impl.
struct ImplAudit {
    hosted: bool,
    /// Its `test(..)`: where, and whether it has `init`.
    test: Option<(Span, bool)>,
    attr_span: Span,
}

/// How an impl's methods are expanded and scanned.
struct Host {
    /// `#[distaudit::audit]` expands their annotations.
    hosted: bool,
    /// It builds receivers (`test(init = ..)`).
    impl_init: bool,
    test_only: bool,
    /// Un-annotated methods go through the family detector.
    candidates: bool,
    /// The `init` of the audit's own `test(..)`, which names the type a generic impl's
    /// tests build.
    test_init: Option<syn::Expr>,
}

/// The parts of one annotated item as split from the source.
struct Annotated {
    /// The attribute's arguments, or why it is not an annotation.
    args: Result<TokenStream, Finding>,
    tokens: TokenStream,
    attr_span: Span,
    placement: Placement,
    path: String,
    shape: &'static str,
    whole: Span,
    scope: ItemScope,
}

struct Walker<'a, 'c> {
    ctx: &'a FileContext<'c>,
    out: FileScan,
    annotated: Vec<AnnotatedFindings>,
    /// The aliases of `coordination` in the module being walked.
    aliases: Vec<String>,
    /// Beside `out.contract_impls`, their places as spans (a span stays on its thread).
    contract_spans: Vec<(Vec<Span>, Span)>,
    /// Beside `out.after_async_trait`, the methods' names as spans.
    after_async_spans: Vec<Span>,
}

fn path_of(module: &[String], name: &str) -> String {
    let mut parts: Vec<&str> = module.iter().map(String::as_str).collect();
    parts.push(name);
    parts.join("::")
}

/// The name and shape words of an item, for paths and reports.
fn name_and_shape(item: &syn::Item) -> (String, &'static str) {
    use syn::Item;
    match item {
        Item::Fn(f) => (f.sig.ident.to_string(), "function"),
        Item::Struct(s) => (s.ident.to_string(), "struct"),
        Item::Enum(e) => (e.ident.to_string(), "enum"),
        Item::Trait(t) => (t.ident.to_string(), "trait"),
        Item::Impl(i) => (impl_name(i), "impl block"),
        Item::Mod(m) => (m.ident.to_string(), "module"),
        Item::Const(c) => (c.ident.to_string(), "const"),
        Item::Static(s) => (s.ident.to_string(), "static"),
        Item::Type(t) => (t.ident.to_string(), "type alias"),
        Item::Union(u) => (u.ident.to_string(), "union"),
        Item::Macro(m) => (
            m.ident
                .as_ref()
                .map_or_else(|| "macro".to_string(), ToString::to_string),
            "macro",
        ),
        _ => ("item".to_string(), "item"),
    }
}

/// The impl as the macro receives it when `#[async_trait]` comes before the audit attribute:
/// every `async fn` gains `async_trait`'s lifetime. `None` in any other order.
fn async_trait_first(i: &syn::ItemImpl, runtime: Runtime<'_>) -> Option<syn::ItemImpl> {
    let at = |f: &dyn Fn(&syn::Attribute) -> bool| i.attrs.iter().position(f);
    let async_trait = at(&|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "async_trait")
    })?;
    let audit = at(&|a| runtime.is_audit(a))?;
    if async_trait > audit {
        return None;
    }
    let mut rewritten = i.clone();
    for item in &mut rewritten.items {
        if let syn::ImplItem::Fn(f) = item
            && f.sig.asyncness.is_some()
        {
            f.sig.generics.params.push(syn::parse_quote!('async_trait));
        }
    }
    Some(rewritten)
}

fn impl_name(i: &syn::ItemImpl) -> String {
    distaudit_core::item::type_name(&i.self_ty).unwrap_or_else(|| "impl".to_string())
}

/// Methods of the standard traits (Display, From, Ord...) are plumbing, not decisions.
fn is_plumbing(i: &syn::ItemImpl) -> bool {
    i.trait_.as_ref().is_some_and(|(p, _)| {
        p.segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "Display"
                    | "Debug"
                    | "From"
                    | "Into"
                    | "TryFrom"
                    | "Clone"
                    | "PartialEq"
                    | "Eq"
                    | "PartialOrd"
                    | "Ord"
                    | "Hash"
                    | "Default"
                    | "Drop"
                    | "Error"
                    | "Serialize"
                    | "Deserialize"
                    | "Serializer"
                    | "Deserializer"
                    | "Visitor"
                    | "FromStr"
                    | "AsRef"
                    | "AsMut"
                    | "Borrow"
                    | "Deref"
                    | "DerefMut"
                    | "Iterator"
                    | "IntoIterator"
                    | "DoubleEndedIterator"
                    | "ExactSizeIterator"
                    | "Extend"
                    | "FromIterator"
                    | "Index"
                    | "IndexMut"
                    | "ToTokens"
                    | "Parse"
                    | "Arbitrary"
                    | "Strategy"
                    | "ValueTree"
            )
        })
    })
}

impl Walker<'_, '_> {
    fn annotated(&mut self, a: Annotated) -> Option<ItemModel> {
        let registry = self.ctx.registry?;
        let analyzed = match a.args {
            Ok(args) => engine::analyze(
                registry,
                args,
                a.tokens,
                a.placement,
                self.ctx.runtime.name,
                &self.aliases,
            ),
            // `#[coordination = ..]`: refused as the attribute refuses it.
            Err(refused) => engine::Analyzed {
                findings: vec![refused],
                model: None,
            },
        };
        let fallback = Region::of(a.attr_span);
        let region = Region::of(a.whole);
        let blocked = analyzed
            .findings
            .iter()
            .any(|f| f.severity() == engine::Severity::Block);
        if let Some(model) = &analyzed.model {
            for c in &model.checks {
                self.out.check_helpers.extend(
                    c.written
                        .split(|ch: char| !ch.is_alphanumeric() && ch != '_')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                );
            }
            self.out.items.push(CoordItem {
                krate: self.ctx.krate.to_string(),
                path: a.path.clone(),
                file: self.ctx.shown.to_string(),
                first_line: region.map_or(0, |r| r.line),
                last_line: region.map_or(0, |r| r.end_line),
                shape: a.shape,
                model: model.clone(),
                blocked,
                scope: a.scope.clone(),
            });
        }
        for f in &analyzed.findings {
            self.out.issues.push(Issue::from_finding(
                f,
                self.ctx.krate,
                Some(&a.path),
                self.ctx.shown,
                fallback,
                Source::Annotation,
            ));
        }
        self.annotated.push(AnnotatedFindings {
            path: a.path,
            attr_line: fallback.map_or(0, |r| r.line),
            findings: analyzed.findings,
        });
        analyzed.model
    }

    fn items(&mut self, items: &[syn::Item], scope: &Scope) {
        // A module's `use .. as` reaches its own items only.
        let outer = std::mem::replace(
            &mut self.aliases,
            engine::coordination_aliases(items, self.ctx.runtime.name),
        );
        for item in items {
            self.item(item, scope);
        }
        self.aliases = outer;
    }

    fn item(&mut self, item: &syn::Item, scope: &Scope) {
        use syn::Item;
        let aliases = self.aliases.clone();
        let runtime = self.ctx.runtime.in_module(&aliases);
        let test_only = scope.test_only || is_test_only(attrs_of(item));
        let (name, shape) = name_and_shape(item);
        let path = path_of(&scope.module, &name);
        let mut model = None;
        let mut annotated = false;
        if let Some((args, tokens, attr_span)) = split(item, attrs_of(item), runtime, attrs_mut_of)
        {
            annotated = true;
            model = self.annotated(Annotated {
                args,
                tokens,
                attr_span,
                placement: Placement::default(),
                path: path.clone(),
                shape,
                whole: item.span(),
                scope: ItemScope {
                    module: scope.module.clone(),
                    ..ItemScope::default()
                },
            });
        }
        self.audit_placement(item, &path);
        let candidate = !annotated && !test_only && !scope.covered;
        match item {
            // A free function's module stands where a method's type would: `retry::delay`.
            Item::Fn(f) if candidate => {
                let module = scope.module.last().cloned();
                self.candidate_fn(Cow::Borrowed(f), path, module, false);
            }
            Item::Struct(s) => {
                if annotated {
                    self.annotate_type(&s.ident, model.as_ref());
                    self.invariant_type(&s.ident, model.as_ref());
                } else if candidate {
                    self.candidate_type(&Candidate::Struct(s), path, s.ident.span());
                }
            }
            Item::Enum(e) => {
                if annotated {
                    self.annotate_type(&e.ident, model.as_ref());
                    self.invariant_type(&e.ident, model.as_ref());
                } else if candidate {
                    self.candidate_type(&Candidate::Enum(e), path, e.ident.span());
                }
            }
            Item::Trait(t) => {
                if annotated {
                    self.annotate_type(&t.ident, model.as_ref());
                } else if candidate {
                    self.candidate_type(&Candidate::Trait(t), path.clone(), t.ident.span());
                }
                let audited = scope.audited_parent || t.attrs.iter().any(|a| runtime.is_audit(a));
                self.trait_items(t, &scope.module, test_only, candidate, audited);
            }
            Item::Impl(i) => {
                let audit = self.audit_of(&i.attrs, scope.audited_parent, &path);
                let methods_are_candidates = candidate && !is_plumbing(i);
                let host = Host {
                    hosted: audit.hosted,
                    impl_init: audit.test.is_some_and(|(_, init)| init),
                    test_only,
                    candidates: methods_are_candidates,
                    test_init: i
                        .attrs
                        .iter()
                        .find(|a| runtime.is_audit(a))
                        .and_then(|a| match &a.meta {
                            syn::Meta::List(l) => {
                                distaudit_core::annotation::parse_audit(l.tokens.clone()).0
                            }
                            _ => None,
                        })
                        .and_then(|t| t.init)
                        .map(|init| init.expr),
                };
                // `#[async_trait]` above distaudit's attribute rewrites each `async fn` before
                // the macro sees it; model that rewrite (its lifetime) so the engine's rule
                // for that order applies here as in the build.
                if audit.hosted
                    && let Some((trait_path, _)) = &i.trait_
                {
                    self.contract_impl_methods(i, trait_path, &scope.module);
                }
                let rewritten = async_trait_first(i, runtime);
                if let Some(r) = &rewritten
                    && audit.hosted
                {
                    self.after_async_trait(r, &scope.module);
                }
                let tested = self.impl_items(rewritten.as_ref().unwrap_or(i), &scope.module, &host);
                if let Some((span, init)) = audit.test {
                    let found = engine::machine_test_findings(span, init, tested);
                    self.attribute_findings(found, &path, audit.attr_span);
                }
            }
            Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                self.modules_in_macro(&m.mac.tokens, scope);
            }
            Item::Mod(m) => {
                let mut child = scope.clone();
                child.module.push(name.clone());
                child.test_only = test_only;
                child.covered = scope.covered || annotated;
                child.audited_parent = m.attrs.iter().any(|a| runtime.is_audit(a));
                match &m.content {
                    Some((_, items)) => {
                        child
                            .inline
                            .push(path_attrs(&m.attrs).into_iter().next().unwrap_or(name));
                        self.items(items, &child);
                    }
                    None => {
                        let (candidates, via_path) =
                            self.module_files(&name, &m.attrs, &scope.inline);
                        self.out.children.push(ChildModule {
                            candidates,
                            via_path,
                            module: child.module,
                            test_only,
                            cfg_gated: m.attrs.iter().any(|a| path_is(a.path(), &["cfg"])),
                            region: Region::of(m.ident.span()),
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// `mod name;` inside a `macro_rules!` body (serde declares its modules in a
    /// `crate_root!` macro): followed as a best effort, as if declared beside the file,
    /// one module up. A missing file is not reported: the guess may be wrong.
    fn modules_in_macro(&mut self, tokens: &TokenStream, scope: &Scope) {
        use proc_macro2::TokenTree;
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        for (i, t) in trees.iter().enumerate() {
            match t {
                TokenTree::Group(g) => self.modules_in_macro(&g.stream(), scope),
                TokenTree::Ident(kw) if kw == "mod" => {
                    let follows_dollar =
                        i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
                    if let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(semi))) =
                        (trees.get(i + 1), trees.get(i + 2))
                        && semi.as_char() == ';'
                        && !follows_dollar
                    {
                        let name = name.to_string();
                        let dir = self
                            .ctx
                            .path
                            .parent()
                            .unwrap_or(Path::new(""))
                            .to_path_buf();
                        let mut module = scope.module.clone();
                        module.pop();
                        module.push(name.clone());
                        self.out.children.push(ChildModule {
                            candidates: vec![
                                dir.join(format!("{name}.rs")),
                                dir.join(&name).join("mod.rs"),
                            ],
                            via_path: false,
                            module,
                            test_only: scope.test_only,
                            cfg_gated: true,
                            region: None,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// An annotated struct, enum or trait: its methods are covered by its record for the
    /// families of its patterns.
    /// A struct or enum whose annotation states checks: the build implements
    /// `TypeInvariant` for it.
    fn invariant_type(&mut self, ident: &syn::Ident, model: Option<&ItemModel>) {
        if model.is_some_and(|m| !m.checks.is_empty()) {
            self.out.invariant_types.push(ident.unraw().to_string());
        }
    }

    /// The methods of an audited impl, as `#[async_trait]` rewrote them, after which the
    /// type's invariants cannot be checked (the engine's `shape`): each a DA0055 if the type
    /// has invariants, decided once the crate is read.
    fn after_async_trait(&mut self, rewritten: &syn::ItemImpl, module: &[String]) {
        let ty = impl_name(rewritten);
        let base = path_of(module, &ty);
        for ii in &rewritten.items {
            let syn::ImplItem::Fn(f) = ii else { continue };
            if distaudit_core::rules::audit::type_invariant_lost_to_async_trait(
                &f.sig,
                &rewritten.self_ty,
            ) {
                self.out.after_async_trait.push(AfterAsyncTrait {
                    self_ty: ty.trim_start_matches("r#").to_string(),
                    item: format!("{base}::{}", f.sig.ident),
                    region: Region::of(f.sig.ident.span()),
                    file: self.ctx.shown.to_string(),
                });
                self.after_async_spans.push(f.sig.ident.span());
            }
        }
    }

    fn annotate_type(&mut self, ident: &syn::Ident, model: Option<&ItemModel>) {
        if let Some(m) = model {
            self.out
                .annotated_types
                .push((ident.to_string(), m.pattern_ids()));
        }
    }

    /// What `#[distaudit::audit]` is written on, judged by the engine's rule: an impl, a
    /// trait or an inline module, and `test(..)` only on an impl. The impl's own audit is
    /// read by [`Self::audit_of`].
    fn audit_placement(&mut self, item: &syn::Item, path: &str) {
        use distaudit_core::rules::audit::{AuditTarget, audit_target};
        let Some(attr) = attrs_of(item).iter().find(|a| self.ctx.runtime.is_audit(a)) else {
            return;
        };
        let target = match item {
            syn::Item::Impl(_) => return,
            syn::Item::Trait(_) => AuditTarget::Trait,
            syn::Item::Mod(m) if m.content.is_some() => AuditTarget::InlineModule,
            _ => AuditTarget::Other,
        };
        let args = match &attr.meta {
            syn::Meta::List(l) => l.tokens.clone(),
            _ => TokenStream::new(),
        };
        let test = engine::audit_attribute(args).test.map(|(span, _)| span);
        if let Some(f) = audit_target(target, test, attr.span()) {
            self.attribute_findings(vec![f], path, attr.span());
        }
    }

    /// `#[distaudit::audit(..)]` on an impl (or on its inline module): whether it hosts the
    /// methods' annotations, and its `test(..)`; its own findings are the impl's.
    fn audit_of(&mut self, attrs: &[syn::Attribute], parent: bool, path: &str) -> ImplAudit {
        let Some(attr) = attrs.iter().find(|a| self.ctx.runtime.is_audit(a)) else {
            return ImplAudit {
                hosted: parent,
                test: None,
                attr_span: Span::call_site(),
            };
        };
        let args = match &attr.meta {
            syn::Meta::List(l) => l.tokens.clone(),
            _ => TokenStream::new(),
        };
        let read = engine::audit_attribute(args);
        self.attribute_findings(read.findings, path, attr.span());
        ImplAudit {
            hosted: true,
            test: read.test,
            attr_span: attr.span(),
        }
    }

    /// Findings of `#[distaudit::audit]` itself, reported on the impl.
    fn attribute_findings(&mut self, findings: Vec<Finding>, path: &str, attr_span: Span) {
        if findings.is_empty() {
            return;
        }
        let fallback = Region::of(attr_span);
        for f in &findings {
            self.out.issues.push(Issue::from_finding(
                f,
                self.ctx.krate,
                Some(path),
                self.ctx.shown,
                fallback,
                Source::Annotation,
            ));
        }
        self.annotated.push(AnnotatedFindings {
            path: path.to_string(),
            attr_line: fallback.map_or(0, |r| r.line),
            findings,
        });
    }

    fn trait_items(
        &mut self,
        t: &syn::ItemTrait,
        module: &[String],
        test_only: bool,
        candidate: bool,
        audited: bool,
    ) {
        let aliases = self.aliases.clone();
        let runtime = self.ctx.runtime.in_module(&aliases);
        let trait_name = t.ident.to_string();
        let base = path_of(module, &trait_name);
        self.out.traits.push(unraw_path(&base));
        for ti in &t.items {
            let (name, whole) = match ti {
                syn::TraitItem::Fn(m) => (m.sig.ident.to_string(), m.span()),
                syn::TraitItem::Const(c) => (c.ident.to_string(), c.span()),
                syn::TraitItem::Type(ty) => (ty.ident.to_string(), ty.span()),
                _ => ("item".to_string(), ti.span()),
            };
            let path = format!("{base}::{name}");
            // Under `#[distaudit::audit]`, a required method's annotation is the contract of
            // every impl: the macro reads it as a function with an empty body, hosted.
            let contract = match ti {
                syn::TraitItem::Fn(m) if audited && m.default.is_none() => {
                    let as_fn = syn::ItemFn {
                        attrs: m.attrs.clone(),
                        vis: syn::Visibility::Inherited,
                        modifiers: m.modifiers.clone(),
                        sig: m.sig.clone(),
                        block: Box::new(syn::parse_quote!({})),
                    };
                    split(&as_fn, &as_fn.attrs, runtime, |f| Some(&mut f.attrs)).map(
                        |(args, _, span)| {
                            // The macro hands over the signature alone, without other attributes.
                            let mut bare = as_fn.clone();
                            bare.attrs.clear();
                            (args, bare.to_token_stream(), span)
                        },
                    )
                }
                _ => None,
            };
            let is_contract = contract.is_some();
            let placement = if contract.is_some() {
                Placement {
                    hosted: true,
                    owner: Some(format!("{}::{name}", t.ident)),
                    impl_init: false,
                }
            } else {
                Placement::default()
            };
            if let Some((args, tokens, attr_span)) =
                contract.or_else(|| split(ti, trait_item_attrs(ti), runtime, trait_item_attrs_mut))
            {
                let contract_args = args.as_ref().ok().map(ToString::to_string);
                let model = self.annotated(Annotated {
                    args,
                    tokens,
                    attr_span,
                    placement,
                    path,
                    shape: "trait method",
                    whole,
                    scope: ItemScope {
                        module: module.to_vec(),
                        self_type: Some(trait_name.clone()),
                        audited_methods: None,
                    },
                });
                if is_contract && let syn::TraitItem::Fn(m) = ti {
                    self.out.contracts.push(TraitContract {
                        trait_path: unraw_path(&base),
                        method: m.sig.ident.unraw().to_string(),
                        params: engine::parameter_names(&m.sig),
                        patterns: model
                            .map(|m| m.patterns.into_iter().map(|p| p.id).collect())
                            .unwrap_or_default(),
                        args: contract_args,
                    });
                }
                continue;
            }
            if let syn::TraitItem::Fn(m) = ti
                && let Some(block) = &m.default
                && candidate
                && !test_only
                && !is_test_only(&m.attrs)
            {
                let f = syn::ItemFn {
                    attrs: m.attrs.clone(),
                    vis: syn::Visibility::Inherited,
                    modifiers: m.modifiers.clone(),
                    sig: m.sig.clone(),
                    block: Box::new(block.clone()),
                };
                self.candidate_fn(Cow::Owned(f), path, Some(t.ident.to_string()), true);
            }
        }
    }

    /// The methods of an audited impl of `trait_path`, each of which receives the trait's
    /// contract for it (paired with the contracts once the crate is read).
    fn contract_impl_methods(
        &mut self,
        i: &syn::ItemImpl,
        trait_path: &syn::Path,
        module: &[String],
    ) {
        let trait_path = written_path(trait_path);
        let base = path_of(module, &impl_name(i));
        for ii in &i.items {
            let syn::ImplItem::Fn(f) = ii else { continue };
            let typed: Vec<Span> = f
                .sig
                .inputs
                .iter()
                .filter(|a| matches!(a, syn::FnArg::Typed(_)))
                .map(Spanned::span)
                .collect();
            self.out.contract_impls.push(ContractImpl {
                module: module.to_vec(),
                trait_path: trait_path.clone(),
                item: format!("{base}::{}", f.sig.ident),
                method: f.sig.ident.unraw().to_string(),
                params: engine::parameter_names(&f.sig),
                param_regions: typed.iter().map(|s| Region::of(*s)).collect(),
                method_region: Region::of(f.sig.ident.span()),
                file: self.ctx.shown.to_string(),
            });
            self.contract_spans.push((typed, f.sig.ident.span()));
        }
    }

    /// The methods of an impl; returns how many annotated methods carry `test` and pass
    /// (the ones a state-machine test interleaves).
    fn impl_items(&mut self, i: &syn::ItemImpl, module: &[String], host: &Host) -> usize {
        let mut tested = 0;
        let aliases = self.aliases.clone();
        let runtime = self.ctx.runtime.in_module(&aliases);
        let ty = impl_name(i);
        let base = path_of(module, &ty);
        let mut models: Vec<(String, ItemModel)> = Vec::new();
        // On the second reading, the contract each method of an audited trait impl receives
        // (none where a parameter is renamed: DA0019, and the build weaves nothing).
        let contracts = self.ctx.contracts;
        let received = match (contracts, &i.trait_) {
            (Some(contracts), Some((trait_path, _))) if host.hosted => {
                let trait_path = written_path(trait_path);
                Some(move |ii: &syn::ImplItem| -> Option<TokenStream> {
                    let syn::ImplItem::Fn(m) = ii else {
                        return None;
                    };
                    let method = m.sig.ident.unraw().to_string();
                    let c = &contracts.contracts[contracts.of(module, &trait_path, &method)?];
                    let ours = engine::parameter_names(&m.sig);
                    if engine::renamed_parameter(&c.params, &ours).is_some() {
                        return None;
                    }
                    c.args.as_ref()?.parse().ok()
                })
            }
            _ => None,
        };
        let item_scope = ItemScope {
            module: module.to_vec(),
            self_type: Some(ty.clone()),
            // The macro expands a hosted impl's methods together, and verifies a delegation
            // from one to another there.
            audited_methods: host.hosted.then(|| {
                i.items
                    .iter()
                    .filter_map(|ii| match ii {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.unraw().to_string()),
                        _ => None,
                    })
                    .collect()
            }),
        };
        // Whether a generated test can build this impl's receivers, by the engine's rule:
        // the audit's `init`, else the first method's, must name a generic impl's type.
        let test_of = |m: &syn::ImplItemFn| {
            m.attrs
                .iter()
                .find(|a| runtime.is_coordination(a))
                .and_then(|a| match &a.meta {
                    syn::Meta::List(l) => {
                        distaudit_core::annotation::parse(l.tokens.clone()).0.test
                    }
                    _ => None,
                })
        };
        let tests: Vec<(String, distaudit_core::annotation::TestSpec)> = i
            .items
            .iter()
            .filter_map(|ii| match ii {
                syn::ImplItem::Fn(m) => test_of(m).map(|t| (m.sig.ident.to_string(), t)),
                _ => None,
            })
            .collect();
        let first_init = tests
            .iter()
            .find_map(|(_, t)| t.init.as_ref().map(|i| i.expr.clone()));
        let can_test = distaudit_core::rules::audit::can_test(
            i,
            host.test_init.as_ref().or(first_init.as_ref()),
        );
        for ii in &i.items {
            let (name, whole) = match ii {
                syn::ImplItem::Fn(m) => (m.sig.ident.to_string(), m.span()),
                syn::ImplItem::Const(c) => (c.ident.to_string(), c.span()),
                syn::ImplItem::Type(t) => (t.ident.to_string(), t.span()),
                _ => ("item".to_string(), ii.span()),
            };
            let path = format!("{base}::{name}");
            let fn_item = |m: &syn::ImplItemFn| syn::ItemFn {
                attrs: m.attrs.clone(),
                vis: m.vis.clone(),
                modifiers: m.modifiers.clone(),
                sig: m.sig.clone(),
                block: Box::new(m.block.clone()),
            };
            // As the macro sees it: `#[distaudit::audit]` hands each method over as a
            // function; a lone `#[coordination]` receives the method's own tokens.
            let split_off = match ii {
                syn::ImplItem::Fn(m) if m.attrs.iter().any(|a| runtime.is_coordination(a)) => {
                    let f = fn_item(m);
                    split(&f, &f.attrs, runtime, |f| Some(&mut f.attrs))
                }
                syn::ImplItem::Fn(_) => None,
                _ => split(ii, impl_item_attrs(ii), runtime, impl_item_attrs_mut),
            };
            // A method that receives its trait's contract expands with it, as in the build.
            let split_off = match (ii, received.as_ref().and_then(|r| r(ii))) {
                (syn::ImplItem::Fn(m), Some(contract)) => {
                    let m: &syn::ImplItemFn = m;
                    let at = m.sig.ident.span();
                    match split_off {
                        Some((Ok(own), tokens, attr_span)) => Some((
                            Ok(engine::with_contract(Some(&own), &contract, at)),
                            tokens,
                            attr_span,
                        )),
                        Some(refused) => Some(refused),
                        None => Some((
                            Ok(engine::with_contract(None, &contract, at)),
                            fn_item(m).to_token_stream(),
                            at,
                        )),
                    }
                }
                _ => split_off,
            };
            if let Some((args, tokens, attr_span)) = split_off {
                let hosted = host.hosted && matches!(ii, syn::ImplItem::Fn(_));
                let before = self.annotated.len();
                let model = self.annotated(Annotated {
                    args,
                    tokens,
                    attr_span,
                    placement: Placement {
                        hosted,
                        owner: hosted.then(|| format!("{ty}::{name}")),
                        impl_init: hosted && host.impl_init,
                    },
                    path,
                    shape: "method",
                    whole,
                    scope: item_scope.clone(),
                });
                let passed = self.annotated[before..].iter().all(|a| {
                    a.findings
                        .iter()
                        .all(|f| f.severity() != engine::Severity::Block)
                });
                // As the macro: only for a method whose own annotation passed.
                if hosted
                    && passed
                    && !can_test
                    && let Some((_, spec)) = tests.iter().find(|(n, _)| *n == name)
                {
                    let f = distaudit_core::rules::audit::test_on_generic_impl(&name, spec.span);
                    self.attribute_findings(vec![f], &format!("{base}::{name}"), attr_span);
                }
                if let Some(m) = &model {
                    models.push((name.clone(), m.clone()));
                }
                if hosted && passed && model.is_some_and(|m| m.test) {
                    tested += 1;
                }
                continue;
            }
            if let syn::ImplItem::Fn(m) = ii
                && host.candidates
                && !host.test_only
                && !is_test_only(&m.attrs)
            {
                self.candidate_fn(Cow::Owned(fn_item(m)), path, Some(ty.clone()), true);
            }
        }
        if host.hosted {
            self.same_impl_delegations(i, &item_scope, &base, &models);
        }
        tested
    }

    /// A delegation to a method of the same audited impl is verified by the macro, so by
    /// this front end in the same place, with the engine's finding; the engine says which
    /// delegations those are.
    fn same_impl_delegations(
        &mut self,
        i: &syn::ItemImpl,
        scope: &ItemScope,
        base: &str,
        models: &[(String, ItemModel)],
    ) {
        for (_, model) in models {
            for (decision, to, region) in &model.delegations {
                let engine::PathTarget::SameImpl(method) = scope.target(to) else {
                    continue;
                };
                let target_checks = models
                    .iter()
                    .find(|(name, _)| name.trim_start_matches("r#") == method)
                    .map(|(_, m)| m.checks_decision(decision));
                if let Some(target) = engine::delegation_verdict(target_checks) {
                    let f = engine::delegation_finding(decision, to, target, Span::call_site());
                    let region = region.or_else(|| Region::of(i.span()));
                    self.out.issues.push(Issue::from_finding(
                        &f,
                        self.ctx.krate,
                        Some(base),
                        self.ctx.shown,
                        region,
                        Source::Annotation,
                    ));
                    self.annotated.push(AnnotatedFindings {
                        path: base.to_string(),
                        attr_line: region.map_or(0, |r| r.line),
                        findings: vec![f],
                    });
                }
            }
        }
    }

    /// An un-annotated function; `host` is its impl's type or trait (`method`), or its
    /// module.
    fn candidate_fn(
        &mut self,
        f: Cow<'_, syn::ItemFn>,
        path: String,
        host: Option<String>,
        method: bool,
    ) {
        let self_ty = host;
        let detections = families::detect(&Candidate::Fn {
            sig: &f.sig,
            block: &f.block,
            self_ty: if method { self_ty.as_deref() } else { None },
            module: if method { None } else { self_ty.as_deref() },
        });
        let mut anti = Vec::new();
        let ident = f.sig.ident.span();
        if let Some(registry) = self.ctx.registry {
            // The engine scans a `Subject`, which owns its function: a method's is already a
            // copy, a free function's is cloned here.
            let subject = Subject::Fn(f.into_owned());
            for (ap, finding) in engine::anti_patterns(registry, &subject, &|_| true) {
                let issue = Issue::from_finding(
                    &finding,
                    self.ctx.krate,
                    Some(&path),
                    self.ctx.shown,
                    Region::of(ident),
                    Source::AntiPattern,
                );
                anti.push((ap, issue));
            }
        }
        if detections.is_empty() && anti.is_empty() {
            return;
        }
        self.out.pending.push(Pending {
            item: path,
            file: self.ctx.shown.to_string(),
            region: Region::of(ident),
            self_ty: if method { self_ty } else { None },
            detections,
            anti,
        });
    }

    fn candidate_type(&mut self, c: &Candidate<'_>, path: String, ident: Span) {
        let detections = families::detect(c);
        if detections.is_empty() {
            return;
        }
        self.out.pending.push(Pending {
            item: path,
            file: self.ctx.shown.to_string(),
            region: Region::of(ident),
            self_ty: None,
            detections,
            anti: Vec::new(),
        });
    }

    /// Where `mod name;` lives: `#[path]` (every `cfg_attr` branch too), else `name.rs`
    /// or `name/mod.rs` beside the file (or in its own directory for a non-mod.rs file).
    fn module_files(
        &self,
        name: &str,
        attrs: &[syn::Attribute],
        inline: &[String],
    ) -> (Vec<PathBuf>, bool) {
        let file_dir = self
            .ctx
            .path
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let mut dir = file_dir.clone();
        if !self.ctx.owns_dir
            && let Some(stem) = self.ctx.path.file_stem()
        {
            dir.push(stem);
        }
        for d in inline {
            dir.push(d);
        }
        let by_path: Vec<PathBuf> = path_attrs(attrs)
            .into_iter()
            .map(|p| {
                // Outside inline modules `#[path]` is relative to the file's directory;
                // inside them, to the directory the inline modules stand for.
                if inline.is_empty() {
                    file_dir.join(&p)
                } else {
                    dir.join(&p)
                }
            })
            .collect();
        if by_path.is_empty() {
            (
                vec![
                    dir.join(format!("{name}.rs")),
                    dir.join(name).join("mod.rs"),
                ],
                false,
            )
        } else {
            (by_path, true)
        }
    }
}

/// `#[path = "x.rs"]` and `#[cfg_attr(cond, path = "x.rs")]`: every branch.
fn path_attrs(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs {
        if path_is(a.path(), &["path"]) {
            if let syn::Meta::NameValue(nv) = &a.meta
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
            {
                out.push(s.value());
            }
        } else if path_is(a.path(), &["cfg_attr"])
            && let Ok(list) = a.meta.require_list()
        {
            let text = list.tokens.clone().into_iter().collect::<Vec<_>>();
            for w in text.windows(3) {
                if let (
                    proc_macro2::TokenTree::Ident(i),
                    proc_macro2::TokenTree::Punct(p),
                    proc_macro2::TokenTree::Literal(l),
                ) = (&w[0], &w[1], &w[2])
                    && i == "path"
                    && p.as_char() == '='
                    && let Ok(s) = syn::parse_str::<syn::LitStr>(&l.to_string())
                {
                    out.push(s.value());
                }
            }
        }
    }
    out
}

fn unparsed(ctx: &FileContext<'_>, e: &syn::Error) -> Issue {
    // The tokenizer's own error says only that it failed; what fails it is a delimiter.
    let why = e.to_string();
    let why = if why == "cannot parse string into token stream" {
        "a delimiter (`(`, `[` or `{`) is not balanced".to_string()
    } else {
        why
    };
    Issue::new(
        Code::SourceUnreadable,
        ctx.krate,
        Some(ctx.shown),
        Region::of(e.span()),
        format!("this file does not parse, so nothing in it was audited: {why}"),
        "the audit reads source text; a file it cannot read could hide coordination code".into(),
        "fix the syntax error (cargo check shows it too); the rest of the workspace was audited"
            .into(),
        Source::Input,
    )
}

/// Scan one file's text. Parse errors become an issue with file and line.
#[must_use]
pub fn scan_text(ctx: &FileContext<'_>, text: &str) -> FileScan {
    match syn::parse_file(text) {
        Ok(file) => {
            let mut w = Walker {
                ctx,
                out: FileScan::default(),
                annotated: Vec::new(),
                aliases: Vec::new(),
                contract_spans: Vec::new(),
                after_async_spans: Vec::new(),
            };
            let scope = Scope {
                module: ctx.module.clone(),
                test_only: ctx.test_only,
                ..Scope::default()
            };
            w.items(&file.items, &scope);
            w.out
        }
        Err(e) => FileScan {
            issues: vec![unparsed(ctx, &e)],
            ..FileScan::default()
        },
    }
}

/// The engine's findings for every annotated item of one file's text, item by item:
/// what the macro reports when the file is compiled (`runtime` is the name the crate
/// reaches distaudit by). The consistency test compares the two front ends with it.
///
/// # Errors
/// When the file does not parse (the audit reports DA0062 for it).
pub fn audit_source(
    registry: &Registry,
    runtime: &str,
    file_text: &str,
) -> Result<Vec<AnnotatedFindings>, syn::Error> {
    let file = syn::parse_file(file_text)?;
    let walk = |contracts: Option<&CrateContracts>| {
        let ctx = FileContext {
            registry: Some(registry),
            runtime: Runtime {
                name: runtime,
                aliases: &[],
            },
            krate: "",
            shown: "",
            path: Path::new(""),
            module: Vec::new(),
            owns_dir: true,
            test_only: false,
            contracts,
        };
        let mut w = Walker {
            ctx: &ctx,
            out: FileScan::default(),
            annotated: Vec::new(),
            aliases: Vec::new(),
            contract_spans: Vec::new(),
            after_async_spans: Vec::new(),
        };
        w.items(&file.items, &Scope::default());
        (w.out, w.annotated, w.contract_spans, w.after_async_spans)
    };
    let (mut out, mut annotated, mut contract_spans, mut after_async_spans) = walk(None);
    // A trait's contract in this file reaches its impls here: read again with it, as the
    // build expands them.
    let contracts = CrateContracts {
        traits: out.traits.clone(),
        contracts: out.contracts.clone(),
    };
    if !contract_pairs(&contracts, &out.contract_impls).is_empty() {
        (out, annotated, contract_spans, after_async_spans) = walk(Some(&contracts));
    }
    // The finding where the attribute places it (the renamed parameter), on the method.
    for (n, param, mut f) in contract_renames(&contracts, &out.contract_impls) {
        let imp = &out.contract_impls[n];
        let (params, method) = &contract_spans[n];
        f.span = param
            .and_then(|i| params.get(i).copied())
            .unwrap_or(*method);
        annotated.push(AnnotatedFindings {
            path: imp.item.clone(),
            attr_line: imp.method_region.map_or(0, |r| r.line),
            findings: vec![f],
        });
    }
    for (n, after) in out.after_async_trait.iter().enumerate() {
        if out.invariant_types.contains(&after.self_ty) {
            annotated.push(AnnotatedFindings {
                path: after.item.clone(),
                attr_line: after.region.map_or(0, |r| r.line),
                findings: vec![engine::unchecked_after_async_trait(after_async_spans[n])],
            });
        }
    }
    Ok(annotated)
}

/// A path as written, identifiers only (no generic arguments), unraw'd: `::a::Trait`.
fn written_path(path: &syn::Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|s| s.ident.unraw().to_string())
        .collect();
    format!(
        "{}{}",
        if path.leading_colon.is_some() {
            "::"
        } else {
            ""
        },
        segments.join("::")
    )
}

/// `module::r#Trait` with its identifiers unraw'd, as paths name them.
fn unraw_path(path: &str) -> String {
    path.split("::")
        .map(|s| s.trim_start_matches("r#"))
        .collect::<Vec<_>>()
        .join("::")
}

/// Each audited impl method that names a parameter differently from the trait contract it
/// receives ([`contract_pairs`]; DA0019, the engine's `contract_parameters`): the impl's
/// index in `impls`, the index of the renamed parameter, and the finding (spanned nowhere:
/// the caller places it).
#[must_use]
pub fn contract_renames(
    contracts: &CrateContracts,
    impls: &[ContractImpl],
) -> Vec<(usize, Option<usize>, Finding)> {
    let mut out = Vec::new();
    for (n, c) in contract_pairs(contracts, impls) {
        let (imp, contract) = (&impls[n], &contracts.contracts[c]);
        let spans = vec![Span::call_site(); imp.params.len()];
        if let Some(f) = engine::contract_parameters(
            &imp.method,
            &contract.params,
            &imp.params,
            &spans,
            Span::call_site(),
        ) {
            out.push((
                n,
                engine::renamed_parameter(&contract.params, &imp.params),
                f,
            ));
        }
    }
    out
}

/// Each audited impl method paired with the trait contract it receives
/// ([`CrateContracts::of`]): (index in `impls`, index in `contracts.contracts`).
#[must_use]
pub fn contract_pairs(contracts: &CrateContracts, impls: &[ContractImpl]) -> Vec<(usize, usize)> {
    impls
        .iter()
        .enumerate()
        .filter_map(|(n, imp)| {
            contracts
                .of(&imp.module, &imp.trait_path, &imp.method)
                .map(|c| (n, c))
        })
        .collect()
}

/// What the whole crate knows once every file is read.
#[derive(Debug, Default)]
pub struct CrateFacts {
    /// Annotated types and their patterns.
    pub annotated_types: BTreeMap<String, Vec<String>>,
    /// Impl methods annotated through their trait's contract, and its patterns.
    pub contract_methods: BTreeMap<String, Vec<String>>,
    /// Identifiers used in declared checks.
    pub helpers: BTreeSet<String>,
}

/// Decide a pending item once the crate's annotated types are known: the uncited
/// coordination issues and the anti-patterns that apply.
#[must_use]
pub fn resolve(p: &Pending, krate: &str, registry: &Registry, facts: &CrateFacts) -> Vec<Issue> {
    let name = p.item.rsplit("::").next().unwrap_or(&p.item);
    let helper = facts.helpers.contains(name);
    let by_contract = facts.contract_methods.get(&p.item);
    let mut cover: Vec<String> = p
        .self_ty
        .as_ref()
        .and_then(|t| facts.annotated_types.get(t))
        .cloned()
        .unwrap_or_default();
    cover.extend(by_contract.into_iter().flatten().cloned());
    let covered_families: Vec<Family> = cover
        .iter()
        .flat_map(|pat| Family::of_pattern(pat))
        .collect();
    let reported: Vec<&Detection> = p
        .detections
        .iter()
        .filter(|d| !helper && by_contract.is_none() && !covered_families.contains(&d.family))
        .collect();
    let mut out = Vec::new();
    if let Some(first) = reported.first() {
        out.push(uncited(p, krate, registry, &reported, first));
    }
    // The anti-patterns that apply: the registry's lists for the patterns in play, or the
    // engine's set for code of no pattern.
    let mut in_play: Vec<String> = cover;
    for d in &p.detections {
        in_play.extend(d.family.patterns().iter().map(|s| (*s).to_string()));
    }
    let mut applies = distaudit_core::registry::anti_patterns_of(
        in_play.iter().filter_map(|pat| registry.pattern(pat)),
    );
    if applies.is_empty() {
        applies = AntiPattern::outside_any_pattern();
    }
    for (ap, issue) in &p.anti {
        if applies.contains(ap) {
            out.push(issue.clone());
        }
    }
    out
}

fn uncited(
    p: &Pending,
    krate: &str,
    registry: &Registry,
    reported: &[&Detection],
    first: &Detection,
) -> Issue {
    let families: Vec<&str> = reported.iter().map(|d| d.family.name()).collect();
    let mut patterns: Vec<String> = Vec::new();
    for d in reported {
        for pat in d.family.patterns() {
            if !patterns.iter().any(|x| x == pat) && registry.pattern(pat).is_some() {
                patterns.push((*pat).to_string());
            }
        }
    }
    let code = if reported.iter().any(|d| d.behaviour) {
        Code::UnannotatedCoordination
    } else {
        Code::UnannotatedCoordinationName
    };
    let how = if code == Code::UnannotatedCoordination {
        "its name and what its body does both match"
    } else {
        "its name matches (no behaviour confirms it: review it)"
    };
    let first_pattern = patterns.first().cloned().unwrap_or_else(|| "lease".into());
    // As many citations, worded as the attribute's DA0005 lists them.
    let cites = registry.list_citations_for(&first_pattern, 4);
    let mut issue = Issue::new(
        code,
        krate,
        Some(&p.file),
        p.region,
        format!(
            "`{}` looks like coordination code ({}) with no #[coordination] annotation: {how}; matched on {}",
            p.item,
            families.join("; "),
            first.evidence
        ),
        distaudit_core::rules::EVIDENCE_RULE.into(),
        format!(
            "annotate it: #[coordination(pattern = \"{first_pattern}\", cite = \"<id>\")] with the patterns to consider: {}; citations for `{first_pattern}`: {cites}. If it is not coordination, add an [[exempt]] entry with the reason to distaudit.toml",
            patterns
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Source::Scan,
    );
    issue.item = Some(p.item.clone());
    issue.family = Some(first.family.name().to_string());
    issue.patterns = patterns;
    issue
}
