//! Type invariants: `invariant(..)` on a struct or enum becomes an impl of
//! `TypeInvariant`, and `#[distaudit::audit]` on an impl checks it after every `&mut self`
//! method and every constructor returning `Self` (found, where the type is concrete, by a
//! probe that costs nothing for types without invariants).

use super::env::{Checks, Decided};
use super::tokens::{doc_attr, gate, private_at};
use crate::analyze::Audit;
use crate::annotation::Operands;
use crate::item::{Subject, ident_text};
use crate::level::{ImplAudit, InvariantSite, Shape, Wrapped, shape};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

/// `impl TypeInvariant for T`, when the type's annotation states invariants.
pub(super) fn generate(subject: &Subject, audit: &Audit<'_>) -> TokenStream {
    let (ident, generics) = match subject {
        Subject::Struct(s) => (&s.ident, &s.generics),
        Subject::Enum(e) => (&e.ident, &e.generics),
        _ => return TokenStream::new(),
    };
    if audit.checks.is_empty() {
        return TokenStream::new();
    }
    let runtime = &audit.runtime;
    let private = quote!(#runtime::__private);
    let m = Span::mixed_site();
    let after = format_ident!("distaudit_after", span = m);
    let type_name = ident_text(ident);
    let mut checks = TokenStream::new();
    let mut history = TokenStream::new();
    // Checks that read the call's logical time, by the type it is declared with: run after
    // the methods that take a `now` of that type (`TypeInvariantAt<N>`).
    let mut at: Vec<(String, syn::Type, Span, TokenStream)> = Vec::new();
    for (index, check) in audit.checks.iter().enumerate() {
        let site = format_ident!("DISTAUDIT_TYPE_SITE_{}", index, span = m);
        let written = check.invariant.written();
        let upholds = check.label();
        let span = check.invariant.span;
        let report_at = private_at(runtime, span);
        let static_site = quote! {
            static #site: #private::Site = #private::Site {
                module: ::core::module_path!(),
                item: #type_name,
                invariant: #written,
                upholds: #upholds,
            };
        };
        // What a failure says, as the woven checks word it: a comparison shows both sides,
        // `within` the key and the range (by fingerprint), any other condition "false".
        let check_code = match &check.operands {
            Operands::One(e) => match super::weave::comparison(&e.expr) {
                Some((left, op, right)) => {
                    let l = format_ident!("distaudit_left", span = m);
                    let r = format_ident!("distaudit_right", span = m);
                    let held = format_ident!("distaudit_held", span = m);
                    quote! {
                        match (&(#left), &(#right)) {
                            (#l, #r) => {
                                let #held: bool = *#l #op *#r;
                                if !#held {
                                    #report_at::violated_type(&#site, #after, &#private::sides_detail(
                                        "false", #l, #private::probe(#l).describer(),
                                        #r, #private::probe(#r).describer(),
                                    ))
                                }
                            }
                        }
                    }
                }
                None => {
                    // Bound to a `bool` first: a non-`bool` expression is reported on the
                    // literal.
                    let expr = &e.expr;
                    let held = format_ident!("distaudit_held", span = m);
                    let bool_ty = quote_spanned!(e.text.span=> bool);
                    quote! {
                        let #held: #bool_ty = #expr;
                        if !#held {
                            #report_at::violated_type(&#site, #after, "false")
                        }
                    }
                }
            },
            Operands::KeyInRange { key, range } => {
                let (k, r) = (&key.expr, &range.expr);
                let key_bytes = {
                    let (span, private) = (key.text.span, private_at(runtime, key.text.span));
                    quote_spanned!(span=> #private::WithinKey::within_key(&(#k)))
                };
                let range_bounds = {
                    let (span, private) = (range.text.span, private_at(runtime, range.text.span));
                    quote_spanned!(span=> #private::WithinRange::within_range(&(#r)))
                };
                let detail = format_ident!("distaudit_detail", span = m);
                quote! {
                    if let ::core::option::Option::Some(#detail) = #private::outside(#key_bytes, #range_bounds) {
                        #report_at::violated_type(&#site, #after, &#detail)
                    }
                }
            }
        };
        // A check that names `old(..)` compares with the value on entry: it runs in the
        // closure the entry returns, on the value after the call (`self` renamed to it).
        if let Some(now) = &check.invariant.now {
            let this = format_ident!("distaudit_this", span = m);
            let code = crate::walk::rename_self(quote!({ #static_site #check_code }), &this);
            let ty = &now.ty;
            let key = quote!(#ty).to_string();
            match at.iter_mut().find(|(k, ..)| *k == key) {
                Some((.., group)) => group.extend(code),
                None => at.push((key, now.ty.clone(), now.text.span, code)),
            }
        } else if check.names_old() {
            let this = format_ident!("distaudit_this", span = m);
            history.extend(crate::walk::rename_self(
                quote!({ #static_site #check_code }),
                &this,
            ));
        } else {
            checks.extend(quote!({ #static_site #check_code }));
        }
    }
    let this = format_ident!("distaudit_this", span = m);
    let snapshot_all: Vec<TokenStream> = audit
        .olds
        .iter()
        .map(|old| {
            let (local, expr) = (&old.local, &old.expr);
            let private = private_at(runtime, old.span);
            quote_spanned!(old.span=> let #local = #private::Snapshot::snapshot(&(#expr));)
        })
        .collect();
    let snapshots = snapshot_all.iter().filter(|_| !history.is_empty());
    let (impl_g, ty_g, where_c) = generics.split_for_impl();
    // What the type's checks uphold for the methods of its audited impls.
    let met = crate::rules::obligations_met(audit).into_iter().map(|o| {
        let marker = syn::Ident::new(o.marker(), Span::call_site());
        quote! {
            #[doc(hidden)]
            impl #impl_g #private::#marker for #ident #ty_g #where_c {}
        }
    });
    // The closure keeps the entry values, never `&self`: `use<..>` names the impl's
    // generics and no lifetime of the borrow.
    let captured = generics.params.iter().map(|p| match p {
        syn::GenericParam::Lifetime(l) => {
            let l = &l.lifetime;
            quote!(#l)
        }
        syn::GenericParam::Type(t) => {
            let t = &t.ident;
            quote!(#t)
        }
        syn::GenericParam::Const(c) => {
            let c = &c.ident;
            quote!(#c)
        }
    });
    let captured: Vec<TokenStream> = captured.collect();
    // One impl per type of `now`: its closure runs the history checks and those reading
    // `now` (bound to a copy of the call's, taken on entry).
    let at_impls = at.iter().map(|(_, ty, span, group)| {
        let given = format_ident!("distaudit_now", span = m);
        let now = syn::Ident::new("now", *span);
        quote! {
            #[doc(hidden)]
            impl #impl_g #private::TypeInvariantAt<#ty> for #ident #ty_g #where_c {
                #[allow(clippy::nonminimal_bool, clippy::semicolon_if_nothing_returned, unused_variables)]
                fn distaudit_entry_at(&self, #given: &#ty) -> impl ::core::ops::FnOnce(&Self, &'static str) + use<#(#captured),*> {
                    let #now: #ty = ::core::clone::Clone::clone(#given);
                    #(#snapshot_all)*
                    move |#this: &Self, #after: &'static str| {
                        #history
                        #group
                    }
                }
            }
        }
    });
    quote! {
        #(#met)*
        #(#at_impls)*
        #[doc(hidden)]
        impl #impl_g #private::TypeInvariant for #ident #ty_g #where_c {
            #[allow(clippy::nonminimal_bool)]
            fn distaudit_check_type(&self, #after: &'static str) {
                #checks
            }
            #[allow(clippy::nonminimal_bool, clippy::semicolon_if_nothing_returned, unused_variables)]
            fn distaudit_entry(&self) -> impl ::core::ops::FnOnce(&Self, &'static str) + use<#(#captured),*> {
                #(#snapshots)*
                move |#this: &Self, #after: &'static str| {
                    #history
                }
            }
        }
    }
}

/// The statements a method of an audited impl asks its type with, one per obligation its
/// own annotation leaves to the type (`type_checks_d23::<Self>();`), spanned on its name.
pub(super) fn ask_type(
    method: &mut syn::ImplItemFn,
    obligations: &[crate::diag::Obligation],
    runtime: &syn::Path,
) {
    if obligations.is_empty() {
        return;
    }
    let span = method.sig.ident.span();
    let private = private_at(runtime, span);
    let asks: TokenStream = obligations
        .iter()
        .map(|o| {
            let f = syn::Ident::new(o.ask(), span);
            quote_spanned!(span=> #private::#f::<Self>();)
        })
        .collect();
    let stmts = std::mem::take(&mut method.block.stmts);
    method.block.stmts = vec![syn::Stmt::Item(syn::Item::Verbatim(
        quote!(#asks #(#stmts)*),
    ))];
}

/// Weave the type-invariant check into one method of an audited impl.
pub(super) fn check_after(
    method: &mut syn::ImplItemFn,
    site: InvariantSite,
    model: &ImplAudit<'_>,
    runtime: &syn::Path,
    opts: &Decided,
) {
    if opts.checks == Checks::Off {
        return;
    }
    let type_name = &model.type_name;
    let shape = shape(&method.sig, &model.self_ty);
    // A method that returns a future it has not run (one `#[async_trait]` rewrote) would be
    // checked before its body: no check is woven, and a type with invariants gets DA0055
    // (its own checks are refused with the fix).
    if site == InvariantSite::NotInConst {
        method.attrs.push(doc_attr(
            "\nThe type's invariants are not checked after this `const fn`: a const context cannot run the check.",
        ));
        return;
    }
    if site == InvariantSite::LostToAsyncTrait {
        // Not silently: a type with invariants gets DA0055 from rustc, on the method's name.
        let span = method.sig.ident.span();
        let private = private_at(runtime, span);
        let warn = quote_spanned!(span=> #private::TypeProbe::<Self>::new().after_async_trait(););
        let stmts = std::mem::take(&mut method.block.stmts);
        method.block.stmts = vec![syn::Stmt::Item(syn::Item::Verbatim(
            quote!(#warn #(#stmts)*),
        ))];
        return;
    }
    if matches!(shape, Shape::Other) {
        return;
    }
    let m = Span::mixed_site();
    let result = format_ident!("distaudit_value", span = m);
    let value = format_ident!("distaudit_new", span = m);
    let private = quote!(#runtime::__private);
    let after = format!("{type_name}::{}", ident_text(&method.sig.ident));
    let gate = gate(opts.checks);
    let check = |target: TokenStream| quote!(#private::TypeProbe::<Self>::new().check_type(#target, #after););
    let entry = format_ident!("distaudit_entry", span = m);
    // A method that takes the call's logical time passes it: the type's invariants that read
    // `now` (of that type) are checked after it.
    let probe = match crate::level::now_parameter(&method.sig) {
        Some(now) => quote!(#private::TypeProbeAt::<Self, _>::new(&#now)),
        None => quote!(#private::TypeProbe::<Self>::new()),
    };
    let take_entry = matches!(shape, Shape::MutatesSelf)
        .then(|| quote!(#gate let #entry = #probe.entry(&*self);));
    let after_call = match shape {
        Shape::MutatesSelf => {
            let c = check(quote!(&*self));
            quote!(#c #entry(&*self, #after);)
        }
        Shape::Constructs(Wrapped::Plain) => check(quote!(&#result)),
        Shape::Constructs(Wrapped::Result) => {
            let c = check(quote!(#value));
            quote!(if let ::core::result::Result::Ok(#value) = &#result { #c })
        }
        Shape::Constructs(Wrapped::Option) => {
            let c = check(quote!(#value));
            quote!(if let ::core::option::Option::Some(#value) = &#result { #c })
        }
        Shape::Other => return,
    };
    let block = &method.block;
    let block = quote!(#block);
    let run = crate::exprs::may_exit_early(&method.block)
        .then(|| super::weave::run_body(&method.sig, &block, &private, &TokenStream::new()));
    let call = super::weave::bind_body(&quote!(let #result), &block, run, &gate, opts.checks);
    // A unit method ends on a statement, as clippy's pedantic lints ask of code that
    // expands from the user's own trait macro.
    let tail = if matches!(method.sig.output, syn::ReturnType::Default)
        && method.sig.asyncness.is_none()
    {
        quote!(#[allow(clippy::let_unit_value)] let () = #result;)
    } else {
        quote!(#result)
    };
    let body = quote! {
        #take_entry
        #call
        #gate
        { #after_call }
        #tail
    };
    method.block.stmts = vec![syn::Stmt::Item(syn::Item::Verbatim(body))];
}
