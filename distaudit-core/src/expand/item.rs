//! `#[coordination]` on one item: the item with its decision record and woven checks, its
//! warnings, and the tests it asks for. The model comes from [`crate::pipeline::item_tokens`].

use super::diagnostics::{errors, warnings};
use super::env::{Decided, Environment, Options};
use super::hosting::scope_guard;
use super::registry_report::registry_failure;
use super::tokens::{doc_attr, doc_tokens, insert_doc};
use super::{key_range, proptest, type_invariant, weave};
use crate::analyze::Audit;
use crate::diag::Finding;
use crate::item::{self, ident_text};
use crate::pipeline::{self, Analysis};
use crate::render;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use std::path::PathBuf;

/// The tokens that make the build depend on the project's `distaudit.toml` files.
fn registry_dependency(files: &[PathBuf]) -> TokenStream {
    files
        .iter()
        .filter_map(|p| p.to_str())
        .map(|p| {
            quote!(
                const _: &[u8] = ::core::include_bytes!(#p);
            )
        })
        .collect()
}

/// `#[cfg(test)] const _: () = { let _ = path; };` so a `verify` typo fails the test build,
/// and the same for `delegates(.., to)` in every build. Inside a function body the
/// delegation is a `let _ = path;` statement instead, so `to = "Self::method"` resolves (a
/// nested const cannot name `Self`).
fn verify_refs(audit: &Audit<'_>, in_body: bool) -> TokenStream {
    let verify = audit.verify.iter().map(|v| {
        let path = &v.path;
        quote_spanned!(v.id.span=> #[cfg(test)] const _: () = { let _ = #path; };)
    });
    let delegations = audit.delegations.iter().map(|d| {
        let path = &d.path;
        if in_body {
            quote_spanned!(d.to.span=> let _ = #path;)
        } else {
            quote_spanned!(d.to.span=> const _: () = { let _ = #path; };)
        }
    });
    verify.chain(delegations).collect()
}

/// `#[coordination(..)]` on any item.
#[must_use]
pub fn coordination(args: TokenStream, item: TokenStream, opts: &Options) -> TokenStream {
    coordination_at(args, item, opts, false)
}

/// `#[coordination(..)]` on a provided (default-bodied) method of an audited trait, as the
/// trait's `#[distaudit::audit]` hands it on: like the trait's required methods, it acts on
/// state only through the methods the impls provide, so the rules that ask a body for its
/// fence or cursor checks ask the impls, which carry them.
#[must_use]
pub fn provided(args: TokenStream, item: TokenStream, opts: &Options) -> TokenStream {
    coordination_at(args, item, opts, true)
}

fn coordination_at(
    args: TokenStream,
    item: TokenStream,
    opts: &Options,
    provided: bool,
) -> TokenStream {
    let env = match Environment::load(opts) {
        Ok(env) => env,
        Err(e) => {
            let err = registry_failure(&e, opts);
            return quote!(#item #err);
        }
    };
    let mut site = env.site(false, None);
    site.contract = provided;
    let opts = &env.decided(opts);
    // A function whose annotation weaves nothing and whose body names nothing a rule looks
    // for is analysed without its body: the body is never parsed, and passes through as
    // written.
    let split = item::FnTokens::split(&item);
    let lean = split
        .as_ref()
        .filter(|s| !pipeline::needs_body(&args, &s.body.stream()))
        .map(item::FnTokens::lean);
    let analysed = lean.clone().unwrap_or_else(|| item.clone());
    let (audit, subject, findings) =
        match pipeline::item_tokens(&env.registry, args, analysed, &site) {
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
    if findings.iter().any(Finding::blocks) {
        let err = errors(&findings);
        return quote!(#item #err);
    }
    let in_body = matches!(*subject, item::Subject::Fn(_));
    let extras = extras(&audit, &findings, &env.registry_files, in_body);
    match *subject {
        item::Subject::Fn(f) => {
            let test = audit.test.as_ref().map(|spec| {
                let name = format_ident!("distaudit_{}", ident_text(&f.sig.ident));
                let (guard, gate) = scope_guard(&name, spec.span, &audit.runtime);
                let tokens = proptest::free_fn_test(&f, spec, &name, &audit.runtime, Some(&gate));
                (format!("{name}::{name}"), quote!(#tokens #guard))
            });
            let test_name = test.as_ref().map(|(n, _)| n.as_str());
            let test_tokens = test.as_ref().map(|(_, t)| t.clone()).unwrap_or_default();
            let Some(split) = split else {
                // Not a function with a body after all: pass it through for rustc to judge.
                return quote!(#item #test_tokens);
            };
            let doc = doc_tokens(&render::decision_record(&audit, test_name));
            // The body is handed on as its own tokens, wrapped by the woven checks; only
            // whether it can leave early is read, from its tokens when they show it cannot.
            let exits_early = || {
                if lean.is_some() {
                    crate::exprs::body_may_exit_early(&split.body)
                } else {
                    crate::exprs::may_exit_early(&f.block)
                }
            };
            let woven = weave::weave_body(&f.sig, &split.body, exits_early, &audit, opts);
            // A body with nothing woven and nothing added stays the group it was.
            let body = (woven.is_some() || !extras.is_empty()).then(|| {
                let mut body = extras;
                body.extend(woven.unwrap_or_else(|| split.body.stream()));
                body
            });
            let item = split.rebuild(doc, body);
            quote!(#item #test_tokens)
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
pub(super) fn extras(
    audit: &Audit<'_>,
    findings: &[Finding],
    registry_files: &[PathBuf],
    in_body: bool,
) -> TokenStream {
    let warnings = warnings(findings, &audit.registry.allowed_warnings);
    let verify = verify_refs(audit, in_body);
    let dependency = registry_dependency(registry_files);
    quote!(#warnings #verify #dependency)
}

/// Docs, extras at the top of the body, and the woven checks.
pub(super) fn finish_fn(
    f: &mut syn::ItemFn,
    audit: &Audit<'_>,
    opts: &Decided,
    extras: &TokenStream,
    test_name: Option<&str>,
) {
    let doc = render::decision_record(audit, test_name);
    f.attrs.push(doc_attr(&doc));
    let block = &f.block;
    let Some(proc_macro2::TokenTree::Group(body)) = quote!(#block).into_iter().next() else {
        return;
    };
    let woven = weave::weave_body(
        &f.sig,
        &body,
        || crate::exprs::may_exit_early(block),
        audit,
        opts,
    );
    if woven.is_some() || !extras.is_empty() {
        // Handed on as tokens, not parsed back.
        let mut stream = extras.clone();
        stream.extend(woven.unwrap_or_else(|| body.stream()));
        f.block.stmts = vec![syn::Stmt::Item(syn::Item::Verbatim(stream))];
    }
}
