//! What the exit checks need saved on entry: the parameters they name (a body may move
//! them) and a receiver taken by value. Saved values are bound back under their own names
//! by the guard around the exit checks, so the user's expressions read them unchanged.

use crate::analyze::Audit;
use crate::exprs::{names_ident, pat_ident};
use crate::item::ident_text;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use syn::{FnArg, Type};

/// The entry code that saves inputs, and how the exit binds them back.
pub(super) struct Saved {
    pub entry: TokenStream,
    /// `(name the checks read, local holding the saved value)`.
    binds: Vec<(TokenStream, syn::Ident)>,
    /// The name a consumed `self` is read from on exit.
    consumed_self: Option<syn::Ident>,
}

impl Saved {
    /// `let key = distaudit_arg_key;` for each saved input, at the top of the exit code.
    pub fn rebind(&self) -> TokenStream {
        self.binds
            .iter()
            .map(|(name, slot)| quote!(let #name = #slot;))
            .collect()
    }

    /// An expression as evaluated on exit: a consumed `self` is read from its clone.
    pub fn exit_tokens(&self, expr: &syn::Expr) -> TokenStream {
        let tokens = quote!(#expr);
        match &self.consumed_self {
            Some(with) => replace_self(tokens, with),
            None => tokens,
        }
    }
}

/// Save, on entry, each parameter an exit check names (cloned, when checks are on) and a
/// by-value receiver that one names.
pub(super) fn save_inputs(sig: &syn::Signature, audit: &Audit<'_>, gate: &TokenStream) -> Saved {
    let m = Span::mixed_site();
    let exprs = exit_exprs(audit);
    let mut saved = Saved {
        entry: TokenStream::new(),
        binds: Vec::new(),
        consumed_self: None,
    };
    for arg in &sig.inputs {
        let FnArg::Typed(pt) = arg else { continue };
        let Some(param) = pat_ident(&pt.pat) else {
            continue;
        };
        let name = ident_text(param);
        if matches!(&*pt.ty, Type::Reference(r) if r.mutability.is_some())
            || !exprs.iter().any(|e| names_ident(e, &name))
        {
            continue;
        }
        let slot = format_ident!("distaudit_arg_{}", name, span = m);
        let mut bound = param.clone();
        bound.set_span(Span::call_site());
        saved.entry.extend(quote! {
            #gate
            let #slot = ::core::clone::Clone::clone(&#bound);
        });
        saved.binds.push((quote!(#bound), slot));
    }
    let by_value_self = sig
        .receiver()
        .is_some_and(|r| !matches!(r.kind, syn::ReceiverKind::Reference(..)));
    if by_value_self && exprs.iter().any(|e| mentions_self(quote!(#e))) {
        let slot = format_ident!("distaudit_arg_self", span = m);
        let copy = format_ident!("distaudit_self", span = Span::call_site());
        saved.entry.extend(quote! {
            #gate
            let #slot = ::core::clone::Clone::clone(&self);
        });
        saved.binds.push((quote!(#copy), slot));
        saved.consumed_self = Some(copy);
    }
    saved
}

/// `let p = &mut *p;` for each `&mut` parameter an exit check reads.
pub(super) fn reborrows(sig: &syn::Signature, audit: &Audit<'_>) -> TokenStream {
    let exprs = exit_exprs(audit);
    sig.inputs
        .iter()
        .filter_map(|arg| {
            let FnArg::Typed(pt) = arg else { return None };
            let param = pat_ident(&pt.pat)?;
            let is_mut_ref = matches!(&*pt.ty, Type::Reference(r) if r.mutability.is_some());
            let named = exprs.iter().any(|e| names_ident(e, &ident_text(param)));
            (is_mut_ref && named).then(|| {
                let mut p = param.clone();
                p.set_span(Span::call_site());
                quote!(let #p = &mut *#p;)
            })
        })
        .collect()
}

/// What is evaluated on exit: the operands of every check that runs then, with `old(..)`
/// already replaced (its argument is read on entry).
fn exit_exprs<'a>(audit: &'a Audit<'_>) -> Vec<&'a syn::Expr> {
    audit
        .checks
        .iter()
        .filter(|c| c.when != crate::analyze::When::Entry)
        .flat_map(super::check_exprs)
        .collect()
}

fn mentions_self(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == "self",
        TokenTree::Group(g) => mentions_self(g.stream()),
        _ => false,
    })
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
