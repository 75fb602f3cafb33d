//! From findings and the item to tokens: the item with its docs and woven checks, the
//! errors and warnings, the static assertions and the generated tests.

mod tests;
mod types;
mod weave;

use crate::annotation::{self, Annotation};
use crate::diag::{Code, Finding, Severity};
use crate::item::{self, Parsed, Subject};
use crate::registry::{Registry, RegistryError, project_registry};
use crate::render;
use crate::rules::{self, Context};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use std::path::PathBuf;

/// When the woven-in invariant checks run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checks {
    /// In debug builds and under `cfg(test)` (the default).
    DebugAndTest,
    /// Always, release builds included (feature `release-checks`).
    Always,
    /// Never: functions are emitted as written (feature `no-checks`).
    Off,
}

/// What the macro crate knows about the compilation, handed to the engine.
#[derive(Clone, Debug)]
pub struct Options {
    pub checks: Checks,
    /// Count passed checks for `distaudit::checks_passed()` (feature `stats`).
    pub stats: bool,
    /// The using crate's manifest directory (for `distaudit.toml`).
    pub manifest_dir: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            checks: Checks::DebugAndTest,
            stats: false,
            manifest_dir: None,
        }
    }
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

/// `#[cfg(test)] const _: () = { let _ = path; };` so a `verify` typo fails the test build.
fn verify_refs(annotation: &Annotation) -> TokenStream {
    annotation
        .verify
        .iter()
        .map(|v| {
            let path = &v.path;
            quote_spanned!(v.id.span=> #[cfg(test)] const _: () = { let _ = #path; };)
        })
        .collect()
}

/// The name of the generated test of a free function.
fn free_test_name(name: &str) -> String {
    format!("distaudit_{name}")
}

/// The module that hosts the tests of an impl's methods: `distaudit_<type>` for an inherent
/// impl, `distaudit_<type>_<trait>` for a trait impl, so both can be audited side by side.
fn host_module(imp: &syn::ItemImpl) -> syn::Ident {
    let mut name = item::type_name(&imp.self_ty);
    if let Some((path, _)) = &imp.trait_
        && let Some(last) = path.segments.last()
    {
        name = format!("{name}_{}", last.ident);
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

/// `#[coordination(..)]` on any item.
#[must_use]
pub fn coordination(args: TokenStream, item: TokenStream, opts: &Options) -> TokenStream {
    let (registry, registry_path) = match project_registry(opts.manifest_dir.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            let err = errors(&[registry_error(&e)]);
            return quote!(#item #err);
        }
    };
    let (annotation, mut findings) = annotation::parse(args);
    let subject = match item::parse(item.clone()) {
        Parsed::Supported(subject) => *subject,
        Parsed::Unsupported { shape, span, hint } => {
            findings.push(Finding::new(
                Code::UnsupportedItem,
                span,
                format!("#[coordination] is not supported on {shape}"),
                "the annotation goes on functions, methods, trait methods with default bodies, structs, enums, impl blocks, traits and inline modules",
                hint,
            ));
            let err = errors(&findings);
            return quote!(#item #err);
        }
        Parsed::Unparsed(e) => {
            findings.push(Finding::new(
                Code::UnsupportedItem,
                e.span(),
                format!("the annotated item does not parse: {e}"),
                "the annotation can only check an item it can read",
                "fix the syntax error; rustc reports it too",
            ));
            let err = errors(&findings);
            return quote!(#item #err);
        }
    };
    let ctx = Context {
        registry: &registry,
        annotation: &annotation,
        subject: &subject,
        hosted: false,
    };
    findings.extend(rules::check(&ctx));
    if findings.iter().any(|f| f.severity() == Severity::Block) {
        let err = errors(&findings);
        return quote!(#item #err);
    }
    let generated = Generated::new(&annotation, &findings, registry_path.as_ref());
    match subject {
        Subject::Fn(mut f) => {
            let test_name = annotation
                .test
                .as_ref()
                .map(|_| free_test_name(&f.sig.ident.to_string()));
            let test = annotation
                .test
                .as_ref()
                .map(|spec| {
                    tests::free_fn_test(
                        &f,
                        spec,
                        &format_ident!("{}", free_test_name(&f.sig.ident.to_string())),
                    )
                })
                .unwrap_or_default();
            let woven = opts.checks != Checks::Off && !annotation.invariants.is_empty();
            if !woven && generated.extras().is_empty() {
                // Nothing inside the function changes: pass its tokens through.
                let doc = render::decision_record(&registry, &annotation, test_name.as_deref());
                let item = insert_doc(item, &doc);
                return quote!(#item #test);
            }
            generated.finish_fn(
                &mut f,
                &annotation,
                &registry,
                opts,
                None,
                test_name.as_deref(),
            );
            quote!(#f #test)
        }
        other => {
            let extras = generated.extras();
            let doc = render::decision_record(&registry, &annotation, None);
            let typed = types::generate(&other, &annotation);
            let item = insert_doc(item, &doc);
            quote!(#item #typed #extras)
        }
    }
}

/// Everything added beside (or at the top of) an item.
struct Generated {
    warnings: TokenStream,
    verify: TokenStream,
    dependency: TokenStream,
}

impl Generated {
    fn new(annotation: &Annotation, findings: &[Finding], path: Option<&PathBuf>) -> Self {
        Generated {
            warnings: warnings(findings),
            verify: verify_refs(annotation),
            dependency: registry_dependency(path),
        }
    }

    fn extras(&self) -> TokenStream {
        let Generated {
            warnings,
            verify,
            dependency,
        } = self;
        quote!(#warnings #verify #dependency)
    }

    /// Docs, extras at the top of the body, and the woven checks.
    fn finish_fn(
        &self,
        f: &mut syn::ItemFn,
        annotation: &Annotation,
        registry: &Registry,
        opts: &Options,
        owner: Option<&str>,
        test_name: Option<&str>,
    ) {
        let doc = render::decision_record(registry, annotation, test_name);
        f.attrs.push(doc_attr(&doc));
        weave::weave(f, annotation, registry, opts, owner);
        let extras = self.extras();
        if !extras.is_empty() {
            // Handed on as tokens, not parsed back.
            let stmts = &f.block.stmts;
            let body = quote!(#extras #(#stmts)*);
            f.block.stmts = vec![syn::Stmt::Item(syn::Item::Verbatim(body))];
        }
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

/// Whether an attribute is `#[coordination(..)]` or `#[distaudit::coordination(..)]`.
fn is_coordination(attr: &syn::Attribute) -> bool {
    let segs: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    matches!(
        segs.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["coordination"] | ["distaudit", "coordination"]
    )
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
    let (registry, registry_path) = match project_registry(opts.manifest_dir.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            let err = errors(&[registry_error(&e)]);
            return quote!(#item #err);
        }
    };
    let parsed = syn::parse2::<syn::Item>(item.clone());
    let out = match parsed {
        Ok(syn::Item::Impl(i)) => {
            audit_impl(i, &registry, registry_path.as_ref(), opts, &mut findings)
        }
        Ok(syn::Item::Mod(mut m)) if m.content.is_some() => {
            let mut hosted = TokenStream::new();
            if let Some((_, items)) = &mut m.content {
                let taken = std::mem::take(items);
                for it in taken {
                    match it {
                        syn::Item::Impl(i) => {
                            let expanded = audit_impl(
                                i,
                                &registry,
                                registry_path.as_ref(),
                                opts,
                                &mut findings,
                            );
                            hosted.extend(expanded);
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
                "`#[distaudit::audit]` goes on an impl block or an inline module",
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
    registry: &Registry,
    registry_path: Option<&PathBuf>,
    opts: &Options,
    findings: &mut Vec<Finding>,
) -> TokenStream {
    let type_name = item::type_name(&imp.self_ty);
    let module = host_module(&imp);
    let mut test_fns = TokenStream::new();
    let mut siblings = TokenStream::new();
    for impl_item in &mut imp.items {
        let syn::ImplItem::Fn(method) = impl_item else {
            continue;
        };
        let Some(pos) = method.attrs.iter().position(is_coordination) else {
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
        let (annotation, mut found) = annotation::parse(args);
        let mut f = syn::ItemFn {
            attrs: method.attrs.clone(),
            vis: method.vis.clone(),
            modifiers: method.modifiers.clone(),
            sig: method.sig.clone(),
            block: Box::new(method.block.clone()),
        };
        let subject = Subject::Fn(f.clone());
        let ctx = Context {
            registry,
            annotation: &annotation,
            subject: &subject,
            hosted: true,
        };
        found.extend(rules::check(&ctx));
        if found.iter().any(|x| x.severity() == Severity::Block) {
            siblings.extend(errors(&found));
            continue;
        }
        let method_name = f.sig.ident.to_string();
        let test_name = annotation
            .test
            .as_ref()
            .map(|_| format!("{module}::{method_name}"));
        if let Some(spec) = &annotation.test {
            test_fns.extend(tests::method_test(&f, spec));
        }
        let generated = Generated::new(&annotation, &found, registry_path);
        let owner = format!("{type_name}::{method_name}");
        generated.finish_fn(
            &mut f,
            &annotation,
            registry,
            opts,
            Some(&owner),
            test_name.as_deref(),
        );
        method.attrs = f.attrs;
        method.block = *f.block;
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
