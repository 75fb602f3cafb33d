//! Weaving invariant checks into a function: owned snapshots on entry, the original body
//! run as a closure (or `async` block) so every exit path comes back here, checks on exit.

use super::{Checks, Options};
use crate::annotation::{Annotation, ExprArg, InvariantKind};
use crate::exprs::{names_ident, pat_name};
use crate::item::{Returns, returns};
use crate::registry::Registry;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::{FnArg, ReturnType, Type};

/// The decision an invariant kind upholds by default.
fn default_decision(kind: &InvariantKind) -> &'static str {
    match kind {
        InvariantKind::Monotonic(_) => "D2.3",
        InvariantKind::StrictlyIncreasing(_) => "fencing",
        InvariantKind::NeverNone(_) => "D2.5",
        InvariantKind::Within { .. } => "D2.4",
        InvariantKind::Holds(_) => "",
    }
}

/// `D2.3, bacon-2017`: the decision (declared with `implements` when it matches) and the
/// strongest citation of the item.
fn upholds(kind: &InvariantKind, annotation: &Annotation, registry: &Registry) -> String {
    let default = default_decision(kind);
    let decision = annotation
        .implements
        .iter()
        .find(|d| d.value == default)
        .map(|d| d.value.clone())
        .or_else(|| (!default.is_empty()).then(|| default.to_string()))
        .or_else(|| annotation.implements.first().map(|d| d.value.clone()));
    // The citation shown is the strongest one that grounds this check: a source of its
    // decision, else one supporting the decision's patterns (or `fencing` for epochs),
    // else the item's strongest.
    let mut cites: Vec<_> = annotation
        .cites
        .iter()
        .filter_map(|c| registry.citation(&c.value))
        .collect();
    crate::registry::sort_evidence(&mut cites);
    let locked = decision.as_deref().and_then(|d| registry.decision(d));
    let governed: Vec<String> = match locked {
        Some(d) => d.patterns.clone(),
        None if default == "fencing" => vec!["fencing".to_string()],
        None => Vec::new(),
    };
    let sources: Vec<String> = locked.map(|d| d.sources.clone()).unwrap_or_default();
    let best = cites
        .iter()
        .find(|c| sources.contains(&c.id))
        .or_else(|| {
            cites
                .iter()
                .find(|c| governed.iter().any(|p| c.supports(p)))
        })
        .or_else(|| cites.first());
    let cite = best
        .map(|c| c.id.clone())
        .or_else(|| annotation.novel.as_ref().map(|_| "novel".to_string()));
    [decision, cite]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// The entry snapshot of an expression, shared by every check of the same expression.
#[allow(clippy::too_many_arguments)]
fn shared_snapshot(
    snapshots: &mut Vec<(String, syn::Ident)>,
    key: String,
    fresh: &syn::Ident,
    take: &TokenStream,
    on: &syn::Ident,
    guards_pat: &mut Vec<TokenStream>,
    guards_val: &mut Vec<TokenStream>,
) -> (syn::Ident, TokenStream) {
    if let Some((_, shared)) = snapshots.iter().find(|(k, _)| *k == key) {
        return (shared.clone(), TokenStream::new());
    }
    snapshots.push((key, fresh.clone()));
    guards_pat.push(quote!(::core::option::Option::Some(#fresh)));
    guards_val.push(quote!(#fresh));
    let snapshot = quote! {
        let #fresh = if #on { ::core::option::Option::Some(#take) } else { ::core::option::Option::None };
    };
    (fresh.clone(), snapshot)
}

/// Replace the ident `self` by `with` in an expression's tokens (for a consumed `self`).
fn replace_self(tokens: TokenStream, with: &syn::Ident) -> TokenStream {
    tokens
        .into_iter()
        .map(|t| match t {
            TokenTree::Ident(i) if i == "self" => TokenTree::Ident(with.clone()),
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), replace_self(g.stream(), with));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            other => other,
        })
        .collect()
}

/// The return type as a turbofish argument, or `None` when it cannot be written there.
fn return_type(output: &ReturnType) -> Option<TokenStream> {
    match output {
        ReturnType::Default => Some(quote!(())),
        ReturnType::Type(_, ty) => {
            let text = quote!(#ty).to_string();
            (!text.contains("impl ")).then(|| quote!(#ty))
        }
    }
}

/// Weave the annotation's invariants into `f`. `owner` is `Type::method` when known.
pub(super) fn weave(
    f: &mut syn::ItemFn,
    annotation: &Annotation,
    registry: &Registry,
    opts: &Options,
    owner: Option<&str>,
) {
    if opts.checks == Checks::Off || annotation.invariants.is_empty() {
        return;
    }
    let m = Span::mixed_site();
    let on = format_ident!("distaudit_on", span = m);
    let result = format_ident!("distaudit_ret", span = m);
    let ret = syn::Ident::new("ret", Span::call_site());
    let returns = returns(&f.sig);
    let receiver = f.sig.receiver().cloned();
    let by_value_self = receiver
        .as_ref()
        .is_some_and(|r| !matches!(r.kind, syn::ReceiverKind::Reference(..)));
    let self_copy = format_ident!("distaudit_self", span = Span::call_site());

    let item_name = owner.map_or_else(|| f.sig.ident.to_string(), str::to_string);
    let owner_expr = if owner.is_none() && receiver.is_some() {
        quote!(::core::option::Option::Some(
            ::core::any::type_name::<Self>()
        ))
    } else {
        quote!(::core::option::Option::None)
    };
    let count = if opts.stats {
        quote!(::distaudit::__private::count_check();)
    } else {
        TokenStream::new()
    };

    // Which expressions are evaluated on exit, and which parameters they name.
    let exit_exprs: Vec<&ExprArg> = annotation
        .invariants
        .iter()
        .flat_map(|i| i.exprs())
        .collect();
    let mut entry = TokenStream::new();
    let mut guards_pat = Vec::new();
    let mut guards_val = Vec::new();
    for arg in &f.sig.inputs {
        let FnArg::Typed(pt) = arg else { continue };
        let name = pat_name(&pt.pat);
        if name == "_" || matches!(&*pt.ty, Type::Reference(r) if r.mutability.is_some()) {
            continue;
        }
        if exit_exprs.iter().any(|e| names_ident(&e.expr, &name)) {
            let saved = format_ident!("distaudit_arg_{}", name, span = m);
            let ident = syn::Ident::new(&name, Span::call_site());
            entry.extend(quote! {
                let #saved = if #on { ::core::option::Option::Some(::core::clone::Clone::clone(&#ident)) } else { ::core::option::Option::None };
            });
            guards_pat.push(quote!(::core::option::Option::Some(#ident)));
            guards_val.push(quote!(#saved));
        }
    }
    let consumed_self = by_value_self && exit_exprs.iter().any(|e| e.expr_tokens_mention_self());
    if consumed_self {
        let saved = format_ident!("distaudit_arg_self", span = m);
        entry.extend(quote! {
            let #saved = if #on { ::core::option::Option::Some(::core::clone::Clone::clone(&self)) } else { ::core::option::Option::None };
        });
        guards_pat.push(quote!(::core::option::Option::Some(#self_copy)));
        guards_val.push(quote!(#saved));
    }
    let expr_tokens = |e: &ExprArg| -> TokenStream {
        let expr = &e.expr;
        let ts = quote!(#expr);
        if consumed_self {
            replace_self(ts, &self_copy)
        } else {
            ts
        }
    };

    // One snapshot per distinct expression: `monotonic` and `never_none` on the same key
    // share the entry clone.
    let mut snapshots: Vec<(String, syn::Ident)> = Vec::new();
    let mut exit_always = TokenStream::new();
    let mut exit_success = TokenStream::new();
    for (index, inv) in annotation.invariants.iter().enumerate() {
        let site = format_ident!("DISTAUDIT_SITE_{}", index, span = m);
        let written = inv.written();
        let up = upholds(&inv.kind, annotation, registry);
        let site_item = quote! {
            static #site: ::distaudit::__private::Site = ::distaudit::__private::Site {
                module: ::core::module_path!(),
                item: #item_name,
                invariant: #written,
                upholds: #up,
            };
        };
        let before = format_ident!("distaudit_before_{}", index, span = m);
        let after = format_ident!("distaudit_after", span = m);
        let names_ret = inv.exprs().iter().any(|e| names_ident(&e.expr, "ret"));
        // Spanned on the invariant: the panic's location is the annotation that failed.
        let inv_span = inv.span;
        let violated = |detail: TokenStream| quote_spanned!(inv_span=> ::distaudit::__private::violated(&#site, #owner_expr, &#detail));
        let (at_entry, at_exit) = match &inv.kind {
            InvariantKind::Monotonic(e) | InvariantKind::StrictlyIncreasing(e) => {
                let ex = &e.expr;
                // Spanned on the expression: a value that is not `Clone` or not
                // `PartialOrd` is reported on the string the user wrote.
                let es = e.text.span;
                let key = quote!(#ex).to_string();
                let take = quote_spanned!(es=> ::distaudit::__private::snapshot(&(#ex)));
                let (before, snapshot) = shared_snapshot(
                    &mut snapshots,
                    key,
                    &before,
                    &take,
                    &on,
                    &mut guards_pat,
                    &mut guards_val,
                );
                let now = expr_tokens(e);
                let (ok, what) = if matches!(inv.kind, InvariantKind::Monotonic(_)) {
                    (
                        quote_spanned!(es=> ::core::cmp::PartialOrd::ge(#after, &#before)),
                        "regressed",
                    )
                } else {
                    (
                        quote_spanned!(es=> ::core::cmp::PartialOrd::gt(#after, &#before)),
                        "did not increase",
                    )
                };
                let report = quote_spanned!(inv_span=> ::distaudit::__private::violated_compare(
                    &#site, #owner_expr, #what, &#before, #after, ::distaudit::__describer!(&#before)
                ));
                (
                    snapshot,
                    quote! {
                        #site_item
                        let #after = &(#now);
                        if !(#ok) { #report }
                        #count
                    },
                )
            }
            InvariantKind::NeverNone(e) => {
                // Only whether it was `Some` matters: snapshot a bool, not the value.
                let ex = &e.expr;
                let es = e.text.span;
                let key = format!("is_some {}", quote!(#ex));
                let take = quote_spanned!(es=> ::core::option::Option::is_some(&(#ex)));
                let (before, snapshot) = shared_snapshot(
                    &mut snapshots,
                    key,
                    &before,
                    &take,
                    &on,
                    &mut guards_pat,
                    &mut guards_val,
                );
                let now = expr_tokens(e);
                let report = violated(quote!("went from Some to None"));
                (
                    snapshot,
                    quote! {
                        #site_item
                        if #before && ::core::option::Option::is_none(&(#now)) { #report }
                        #count
                    },
                )
            }
            InvariantKind::Within { key, range } => {
                let (k, r) = (expr_tokens(key), expr_tokens(range));
                let key_v = format_ident!("distaudit_key", span = m);
                let range_v = format_ident!("distaudit_range", span = m);
                let key_b = format_ident!("distaudit_key_bytes", span = m);
                let range_b = format_ident!("distaudit_range_bounds", span = m);
                let key_call = quote_spanned!(key.text.span=> (&::distaudit::__private::Wrap(#key_v)).da_key());
                let range_call = quote_spanned!(range.text.span=> (&::distaudit::__private::Wrap(#range_v)).da_range());
                let report = quote_spanned!(inv_span=> ::distaudit::__private::violated_within(
                    &#site, #owner_expr, #key_v, ::distaudit::__describer!(#key_v), #range_b
                ));
                (
                    TokenStream::new(),
                    quote! {
                        #site_item
                        {
                            #[allow(unused_imports)]
                            use ::distaudit::__private::{KeyOf as _, OptKeyOf as _, OptRangeOf as _, RangeOf as _};
                            let #key_v = &(#k);
                            let #range_v = &(#r);
                            let #key_b = #key_call;
                            let #range_b = #range_call;
                            if ::distaudit::__private::within(#key_b, #range_b) == ::core::option::Option::Some(false) { #report }
                        }
                        #count
                    },
                )
            }
            InvariantKind::Holds(e) => {
                let now = expr_tokens(e);
                let ex = &e.expr;
                let entry_report = violated(quote!("false on entry"));
                let exit_report = violated(quote!("false on exit"));
                let at_entry = if names_ret {
                    TokenStream::new()
                } else {
                    quote! { if #on { #site_item if !(#ex) { #entry_report } #count } }
                };
                (
                    at_entry,
                    quote! { #site_item if !(#now) { #exit_report } #count },
                )
            }
        };
        entry.extend(at_entry);
        let success_only = names_ret || matches!(inv.kind, InvariantKind::StrictlyIncreasing(_));
        if success_only && matches!(returns, Returns::Result | Returns::Option) {
            exit_success.extend(at_exit);
        } else {
            exit_always.extend(at_exit);
        }
    }

    let block = &f.block;
    // A body that cannot leave early is run in place; otherwise as a closure (or an async
    // block) with the function's return type, so `return` and `?` come back here.
    let ty = return_type(&f.sig.output);
    let bind = match &ty {
        Some(ty) => quote!(let #result: #ty),
        None => quote!(let #result),
    };
    let call = if !crate::exprs::may_exit_early(block) {
        quote!(#bind = #block;)
    } else if f.sig.asyncness.is_some() {
        match &ty {
            Some(ty) => {
                quote!(#bind = ::distaudit::__private::typed_future::<#ty, _>(async #block).await;)
            }
            None => quote!(#bind = async #block.await;),
        }
    } else {
        match &ty {
            Some(ty) => quote!(#bind = ::distaudit::__private::call::<#ty, _>(|| #block);),
            None => quote!(#bind = ::distaudit::__private::call(|| #block);),
        }
    };
    let bind_ret = match returns {
        Returns::Unit => TokenStream::new(),
        Returns::Value => quote!(let #ret = &#result;),
        Returns::Result | Returns::Option => TokenStream::new(),
    };
    let success = match returns {
        Returns::Result if !exit_success.is_empty() => {
            quote!(if let ::core::result::Result::Ok(#ret) = &#result { #exit_success })
        }
        Returns::Option if !exit_success.is_empty() => {
            quote!(if let ::core::option::Option::Some(#ret) = &#result { #exit_success })
        }
        _ => exit_success,
    };
    let exit = quote! { #bind_ret #exit_always #success };
    let guarded = if guards_pat.is_empty() {
        quote!(if #on { #exit })
    } else {
        quote!(if let (#(#guards_pat,)*) = (#(#guards_val,)*) { #exit })
    };
    let on_value = match opts.checks {
        Checks::Always => quote!(true),
        _ => quote!(::core::cfg!(any(debug_assertions, test))),
    };
    // The new body is handed on as tokens: parsing it back would cost a second parse of
    // the user's whole body per item.
    let body = quote! {
        let #on: bool = #on_value;
        #entry
        #call
        #[allow(unused_variables, clippy::shadow_unrelated)]
        {
            #guarded
        }
        #result
    };
    f.block.stmts = vec![syn::Stmt::Item(syn::Item::Verbatim(body))];
}

trait MentionsSelf {
    fn expr_tokens_mention_self(&self) -> bool;
}

impl MentionsSelf for ExprArg {
    fn expr_tokens_mention_self(&self) -> bool {
        fn walk(ts: TokenStream) -> bool {
            ts.into_iter().any(|t| match t {
                TokenTree::Ident(i) => i == "self",
                TokenTree::Group(g) => walk(g.stream()),
                _ => false,
            })
        }
        let e = &self.expr;
        walk(quote!(#e))
    }
}
