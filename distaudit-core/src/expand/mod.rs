//! From the resolved model to tokens: the item with its docs and woven checks, the errors
//! and warnings, the static assertions and the generated tests. Wiring only: every meaning
//! comes from the [`Audit`]; every emitter reads it.

mod contract;
mod key_range;
mod proptest;
mod type_invariant;
mod weave;

use crate::analyze::{self, Analysis, Audit, Site};
use crate::diag::{Code, Finding, Severity};
use crate::item::{self, ident_text};
use crate::locate;
use crate::registry::{Registry, RegistryError, project_registry};
use crate::render;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::registry::Checks;
pub use contract::contract_impl;

/// What the macro crate knows about the compilation, handed to the engine.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A switch for the whole build (`--cfg distaudit_checks=".."` in `RUSTFLAGS`, for
    /// benchmarks), over the crate's own `[checks]` in `distaudit.toml`.
    pub checks: Option<Checks>,
    /// The using crate's manifest directory (for `distaudit.toml` and the runtime's name).
    pub manifest_dir: Option<PathBuf>,
}

/// The options with the check switch decided: the build's, else the crate's, else the
/// default.
#[derive(Clone, Debug)]
pub(crate) struct Decided {
    pub checks: Checks,
}

/// `tokens` with every span set to `span`: a path such as `::distaudit::__private` put
/// inside `quote_spanned!` keeps the span of the user's expression, so rustc's notes point
/// at what the user wrote, not at the attribute.
fn at(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut t| {
            if let proc_macro2::TokenTree::Group(g) = &t {
                let mut group = proc_macro2::Group::new(g.delimiter(), at(&g.stream(), span));
                group.set_span(span);
                t = proc_macro2::TokenTree::Group(group);
            } else {
                t.set_span(span);
            }
            t
        })
        .collect()
}

/// Findings as `compile_error!` invocations, each on its own span.
#[must_use]
pub fn errors(findings: &[Finding]) -> TokenStream {
    findings
        .iter()
        .filter(|f| f.severity() == Severity::Block)
        .map(|f| syn::Error::new(f.span, f.message()).to_compile_error())
        .collect()
}

/// Warnings through the deprecated-item technique: a real, spanned warning on stable.
fn warnings(findings: &[Finding]) -> TokenStream {
    findings
        .iter()
        .filter(|f| f.severity() == Severity::Warn)
        .map(|f| {
            let note = f.message();
            let name = format_ident!(
                "distaudit_{}",
                f.code.to_string().to_ascii_lowercase(),
                span = f.span
            );
            let use_site = quote_spanned!(f.span=> #name);
            quote! {
                const _: () = {
                    #[deprecated(note = #note)]
                    #[allow(non_camel_case_types)]
                    struct #name;
                    let _ = #use_site;
                };
            }
        })
        .collect()
}

fn registry_error(e: &RegistryError) -> Finding {
    Finding::new(
        Code::Registry,
        Span::call_site(),
        format!("the registry cannot be loaded: {e}"),
        "every annotation is checked against the registry, so a broken registry stops the build rather than letting code through unchecked",
        format!("fix {} at line {}", e.file, e.line),
    )
}

/// The tokens that make the build depend on the project's `distaudit.toml`.
fn registry_dependency(path: Option<&PathBuf>) -> TokenStream {
    match path.and_then(|p| p.to_str()) {
        Some(p) => quote!(
            const _: &[u8] = ::core::include_bytes!(#p);
        ),
        None => TokenStream::new(),
    }
}

/// `#[cfg(test)] const _: () = { let _ = path; };` so a `verify` typo fails the test build,
/// and the same for `delegates(.., to)` in every build.
fn verify_refs(audit: &Audit<'_>) -> TokenStream {
    let verify = audit.verify.iter().map(|v| {
        let path = &v.path;
        quote_spanned!(v.id.span=> #[cfg(test)] const _: () = { let _ = #path; };)
    });
    let delegations = audit.delegations.iter().map(|d| {
        let path = &d.path;
        quote_spanned!(d.to.span=> const _: () = { let _ = #path; };)
    });
    verify.chain(delegations).collect()
}

/// The module that hosts the tests of an impl's methods: `distaudit_<type>` for an inherent
/// impl, `distaudit_<type>_<trait>` for a trait impl, so both can be audited side by side.
fn host_module(imp: &syn::ItemImpl) -> syn::Ident {
    let mut name = item::type_ident(&imp.self_ty)
        .map(ident_text)
        .unwrap_or_default();
    if let Some((path, _)) = &imp.trait_
        && let Some(last) = path.segments.last()
    {
        name = format!("{name}_{}", ident_text(&last.ident));
    }
    let mut snake = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 && !snake.ends_with('_') {
                snake.push('_');
            }
            snake.extend(ch.to_lowercase());
        } else {
            snake.push(ch);
        }
    }
    format_ident!("distaudit_{}", snake)
}

/// The registry and the runtime's path, as seen from the crate being compiled.
struct Environment {
    registry: Arc<Registry>,
    registry_path: Option<PathBuf>,
    runtime: syn::Path,
}

impl Environment {
    /// The check switch: the build's, else the crate's `[checks]`, else the default.
    fn decided(&self, opts: &Options) -> Decided {
        Decided {
            checks: opts.checks.or(self.registry.checks).unwrap_or_default(),
        }
    }

    fn load(opts: &Options) -> Result<Self, RegistryError> {
        let (registry, registry_path) = project_registry(opts.manifest_dir.as_deref())?;
        Ok(Environment {
            registry,
            registry_path,
            runtime: locate::runtime_path(opts.manifest_dir.as_deref()),
        })
    }

    fn site(&self, hosted: bool, owner: Option<String>) -> Site {
        Site {
            hosted,
            owner,
            runtime: self.runtime.clone(),
        }
    }
}

/// `#[coordination(..)]` on any item.
#[must_use]
pub fn coordination(args: TokenStream, item: TokenStream, opts: &Options) -> TokenStream {
    let env = match Environment::load(opts) {
        Ok(env) => env,
        Err(e) => {
            let err = errors(&[registry_error(&e)]);
            return quote!(#item #err);
        }
    };
    let site = env.site(false, None);
    let opts = &env.decided(opts);
    let (audit, subject, findings) =
        match analyze::analyze_tokens(&env.registry, args, item.clone(), &site) {
            Analysis::Refused(findings) => {
                let err = errors(&findings);
                return quote!(#item #err);
            }
            Analysis::Ready {
                audit,
                subject,
                findings,
            } => (audit, subject, findings),
        };
    if findings.iter().any(|f| f.severity() == Severity::Block) {
        let err = errors(&findings);
        return quote!(#item #err);
    }
    let extras = extras(&audit, &findings, env.registry_path.as_ref());
    match *subject {
        item::Subject::Fn(mut f) => {
            let test = audit.test.as_ref().map(|spec| {
                let name = format_ident!("distaudit_{}", ident_text(&f.sig.ident));
                let tokens = proptest::free_fn_test(&f, spec, &name, &audit.runtime);
                (name.to_string(), tokens)
            });
            let test_name = test.as_ref().map(|(n, _)| n.as_str());
            let test_tokens = test.as_ref().map(|(_, t)| t.clone()).unwrap_or_default();
            let woven = opts.checks != Checks::Off && !audit.checks.is_empty();
            if !woven && extras.is_empty() {
                // Nothing inside the function changes: pass its tokens through.
                let doc = render::decision_record(&audit, test_name);
                let item = insert_doc(item, &doc);
                return quote!(#item #test_tokens);
            }
            finish_fn(&mut f, &audit, opts, &extras, test_name);
            quote!(#f #test_tokens)
        }
        other => {
            let doc = render::decision_record(&audit, None);
            let typed = key_range::generate(&other, &audit);
            let invariants = type_invariant::generate(&other, &audit);
            let item = insert_doc(item, &doc);
            quote!(#item #typed #invariants #extras)
        }
    }
}

/// Everything added beside (or at the top of) an item: warnings, `verify` references and
/// the dependency on the project registry.
fn extras(audit: &Audit<'_>, findings: &[Finding], registry_path: Option<&PathBuf>) -> TokenStream {
    let warnings = warnings(findings);
    let verify = verify_refs(audit);
    let dependency = registry_dependency(registry_path);
    quote!(#warnings #verify #dependency)
}

/// Docs, extras at the top of the body, and the woven checks.
fn finish_fn(
    f: &mut syn::ItemFn,
    audit: &Audit<'_>,
    opts: &Decided,
    extras: &TokenStream,
    test_name: Option<&str>,
) {
    let doc = render::decision_record(audit, test_name);
    f.attrs.push(doc_attr(&doc));
    weave::weave(f, audit, opts);
    if !extras.is_empty() {
        // Handed on as tokens, not parsed back.
        let stmts = &f.block.stmts;
        let body = quote!(#extras #(#stmts)*);
        f.block.stmts = vec![syn::Stmt::Item(syn::Item::Verbatim(body))];
    }
}

/// `#[doc = ".."]`, built directly rather than parsed from tokens.
fn doc_attr(doc: &str) -> syn::Attribute {
    let span = Span::call_site();
    syn::Attribute {
        pound_token: syn::Token![#](span),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(span),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Ident::new("doc", span).into(),
            eq_token: syn::Token![=](span),
            value: syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(doc, span)),
            }),
        }),
    }
}

/// The item's own tokens with the decision record after its leading attributes (so it
/// follows the user's docs): nothing of the item is re-printed.
fn insert_doc(item: TokenStream, doc: &str) -> TokenStream {
    let mut tokens = item.into_iter().peekable();
    let mut out = TokenStream::new();
    loop {
        let is_attr =
            matches!(tokens.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '#');
        if !is_attr {
            break;
        }
        let mut probe = tokens.clone();
        probe.next();
        if !matches!(probe.peek(), Some(proc_macro2::TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Bracket)
        {
            break;
        }
        out.extend(tokens.next());
        out.extend(tokens.next());
    }
    doc_attr(doc).to_tokens(&mut out);
    out.extend(tokens);
    out
}

/// Whether an attribute is `#[coordination(..)]` or `#[<runtime>::coordination(..)]`, where
/// the runtime is `distaudit` or the name the crate's manifest gives it.
fn is_coordination(attr: &syn::Attribute, runtime: &syn::Path) -> bool {
    let segs: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| ident_text(&s.ident))
        .collect();
    let crate_name = runtime.segments.last().map(|s| ident_text(&s.ident));
    match segs.as_slice() {
        [name] => name == "coordination",
        [krate, name] => {
            name == "coordination" && (krate == "distaudit" || Some(krate) == crate_name.as_ref())
        }
        _ => false,
    }
}

/// `#[distaudit::audit]` on an impl block or an inline module.
#[must_use]
pub fn audit(args: TokenStream, item: TokenStream, opts: &Options) -> TokenStream {
    let mut findings = Vec::new();
    if !args.is_empty() {
        findings.push(Finding::new(
            Code::Malformed,
            syn::spanned::Spanned::span(&args),
            "`#[distaudit::audit]` takes no arguments",
            "audit only gathers the #[coordination] annotations of an impl block or module",
            "write `#[distaudit::audit]`; put arguments on the #[coordination] annotations inside",
        ));
    }
    let env = match Environment::load(opts) {
        Ok(env) => env,
        Err(e) => {
            let err = errors(&[registry_error(&e)]);
            return quote!(#item #err);
        }
    };
    let decided = env.decided(opts);
    let impl_or_handoff =
        |i: syn::ItemImpl, findings: &mut Vec<Finding>| match contract::receives_contract(&i) {
            Some(path) => contract::hand_to_trait(&i, path, &env),
            None => audit_impl(i, &env, &decided, findings),
        };
    let out = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(syn::Item::Impl(i)) => impl_or_handoff(i, &mut findings),
        Ok(syn::Item::Trait(t)) => contract::audit_trait(t, &env, &mut findings),
        Ok(syn::Item::Mod(mut m)) if m.content.is_some() => {
            let mut hosted = TokenStream::new();
            if let Some((_, items)) = &mut m.content {
                for it in std::mem::take(items) {
                    match it {
                        syn::Item::Impl(i) => hosted.extend(impl_or_handoff(i, &mut findings)),
                        syn::Item::Trait(t) => {
                            hosted.extend(contract::audit_trait(t, &env, &mut findings));
                        }
                        other => hosted.extend(other.into_token_stream()),
                    }
                }
                // Handed on as tokens: the audited impls are not parsed back.
                *items = vec![syn::Item::Verbatim(hosted)];
            }
            m.into_token_stream()
        }
        Ok(other) => {
            findings.push(Finding::new(
                Code::UnsupportedItem,
                syn::spanned::Spanned::span(&other),
                "`#[distaudit::audit]` goes on an impl block, a trait or an inline module",
                "audit hosts the generated tests of methods, which Rust can only run from a module",
                "move `#[distaudit::audit]` to the impl block whose methods carry #[coordination]",
            ));
            item
        }
        Err(_) => item,
    };
    let err = errors(&findings);
    quote!(#out #err)
}

fn audit_impl(
    mut imp: syn::ItemImpl,
    env: &Environment,
    opts: &Decided,
    findings: &mut Vec<Finding>,
) -> TokenStream {
    let type_name = item::type_name(&imp.self_ty).unwrap_or_default();
    let module = host_module(&imp);
    let mut test_fns = TokenStream::new();
    let mut siblings = TokenStream::new();
    for impl_item in &mut imp.items {
        let syn::ImplItem::Fn(method) = impl_item else {
            continue;
        };
        let Some(pos) = method
            .attrs
            .iter()
            .position(|a| is_coordination(a, &env.runtime))
        else {
            continue;
        };
        let attr = method.attrs.remove(pos);
        // The attribute is consumed here; keep the user's `use` of it from turning unused.
        let path = attr.path();
        siblings.extend(quote!(const _: () = { #[allow(unused_imports)] use #path as _; };));
        let args = match &attr.meta {
            syn::Meta::List(list) => list.tokens.clone(),
            other => {
                findings.push(Finding::new(
                    Code::Malformed,
                    syn::spanned::Spanned::span(other),
                    "#[coordination] needs arguments",
                    "an annotation names at least its pattern and its evidence",
                    "write #[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]",
                ));
                continue;
            }
        };
        let mut f = syn::ItemFn {
            attrs: method.attrs.clone(),
            vis: method.vis.clone(),
            modifiers: method.modifiers.clone(),
            sig: method.sig.clone(),
            block: Box::new(method.block.clone()),
        };
        let method_name = f.sig.ident.to_string();
        let site = env.site(true, Some(format!("{type_name}::{method_name}")));
        let subject = item::Subject::Fn(f.clone());
        let (audit, found) = analyze::analyze(&env.registry, args, &subject, &site);
        if found.iter().any(|x| x.severity() == Severity::Block) {
            siblings.extend(errors(&found));
            continue;
        }
        let test_name = audit.test.as_ref().map(|spec| {
            test_fns.extend(proptest::method_test(&f, spec, &audit.runtime));
            format!("{module}::{method_name}")
        });
        let extras = extras(&audit, &found, env.registry_path.as_ref());
        finish_fn(&mut f, &audit, opts, &extras, test_name.as_deref());
        method.attrs = f.attrs;
        method.block = *f.block;
    }
    // The type's own invariants, after every method that changes or makes a value of it.
    for impl_item in &mut imp.items {
        if let syn::ImplItem::Fn(method) = impl_item {
            type_invariant::check_after(method, &imp.self_ty, &type_name, &env.runtime, opts);
        }
    }
    let host = if test_fns.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            #[cfg(test)]
            #[allow(non_snake_case)]
            mod #module {
                #[allow(unused_imports)]
                use super::*;
                #test_fns
            }
        }
    };
    quote!(#imp #host #siblings)
}

#[cfg(test)]
mod snapshot_tests;
