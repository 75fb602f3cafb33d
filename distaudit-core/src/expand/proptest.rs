//! Generated property tests: the woven-in checks are the oracle.

use crate::annotation::TestSpec;
use crate::exprs::pat_ident;
use crate::item::ident_text;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Type};

/// Default number of cases per generated test.
pub const DEFAULT_CASES: u32 = 256;
/// Default number of calls per case for methods.
pub const DEFAULT_STEPS: u32 = 32;

/// One parameter: its strategy, and how the generated value is passed.
struct Param {
    binding: syn::Ident,
    strategy: TokenStream,
    pass: TokenStream,
}

fn params(f: &syn::ItemFn, spec: &TestSpec, private: &TokenStream) -> Vec<Param> {
    let mut out = Vec::new();
    for (index, arg) in f.sig.inputs.iter().enumerate() {
        let FnArg::Typed(pt) = arg else { continue };
        let name = pat_ident(&pt.pat).map(ident_text).unwrap_or_default();
        let binding = format_ident!("distaudit_arg_{}", index, span = Span::mixed_site());
        let (owned, pass) = match &*pt.ty {
            Type::Reference(r) => {
                let owned = match &*r.elem {
                    Type::Slice(s) => {
                        let elem = &s.elem;
                        quote!(#private::Vec<#elem>)
                    }
                    Type::Path(p) if p.path.is_ident("str") => quote!(#private::String),
                    other => quote!(#other),
                };
                let pass = if r.mutability.is_some() {
                    quote!(&mut #binding)
                } else {
                    quote!(&#binding)
                };
                (owned, pass)
            }
            other => (quote!(#other), quote!(#binding)),
        };
        let strategy = match spec
            .strategies
            .iter()
            .find(|(p, _)| p.value.trim_start_matches("r#") == name)
        {
            Some((_, e)) => {
                let expr = &e.expr;
                quote!(#expr)
            }
            None => {
                let private = crate::expand::at(private, pt.ty.span());
                quote_spanned!(pt.ty.span()=> #private::any_value::<#owned>())
            }
        };
        out.push(Param {
            binding,
            strategy,
            pass,
        });
    }
    out
}

/// The strategy of all parameters together: a tuple, or `Just(())` when there are none.
fn all_strategies(ps: &[Param], private: &TokenStream) -> TokenStream {
    if ps.is_empty() {
        return quote!(#private::proptest::strategy::Just(()));
    }
    let strategies = ps.iter().map(|p| &p.strategy);
    quote!((#(#strategies,)*))
}

fn prelude(private: &TokenStream) -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use #private::proptest;
        #[allow(unused_imports)]
        use #private::proptest::prelude::*;
    }
}

fn call(f: &syn::ItemFn, call: TokenStream, private: &TokenStream) -> TokenStream {
    if f.sig.asyncness.is_some() {
        quote!(let _ = #private::block_on(#call);)
    } else {
        quote!(let _ = #call;)
    }
}

/// The test of a free function, beside it.
pub(super) fn free_fn_test(
    f: &syn::ItemFn,
    spec: &TestSpec,
    name: &syn::Ident,
    runtime: &syn::Path,
) -> TokenStream {
    let private = quote!(#runtime::__private);
    let ps = params(f, spec, &private);
    let strategies = all_strategies(&ps, &private);
    let bindings = ps.iter().map(|p| &p.binding);
    let passes = ps.iter().map(|p| &p.pass);
    let ident = &f.sig.ident;
    let cases = spec.cases.unwrap_or(DEFAULT_CASES);
    let prelude = prelude(&private);
    let body = call(f, quote!(#ident(#(#passes),*)), &private);
    quote! {
        #[cfg(test)]
        #[test]
        fn #name() {
            #runtime::__require_test_feature!();
            #prelude
            #private::run_property(
                #private::test_config(#cases, ::core::file!()),
                &#strategies,
                #[allow(unused_mut)]
                |(#(mut #bindings,)*)| { #body },
            );
        }
    }
}

/// The test of a method, hosted in the impl's sibling module by `#[distaudit::audit]`.
pub(super) fn method_test(f: &syn::ItemFn, spec: &TestSpec, runtime: &syn::Path) -> TokenStream {
    let Some(init) = &spec.init else {
        return TokenStream::new();
    };
    let private = quote!(#runtime::__private);
    let init = &init.expr;
    let ps = params(f, spec, &private);
    let strategies = all_strategies(&ps, &private);
    let bindings = ps.iter().map(|p| &p.binding);
    let passes = ps.iter().map(|p| &p.pass);
    let ident = &f.sig.ident;
    let cases = spec.cases.unwrap_or(DEFAULT_CASES);
    let steps = spec.steps.unwrap_or(DEFAULT_STEPS) as usize;
    let subject = format_ident!("distaudit_subject", span = Span::mixed_site());
    let calls = format_ident!("distaudit_calls", span = Span::mixed_site());
    let prelude = prelude(&private);
    let body = call(f, quote!(#subject.#ident(#(#passes),*)), &private);
    quote! {
        #[test]
        fn #ident() {
            #runtime::__require_test_feature!();
            #prelude
            #private::run_property(
                #private::test_config(#cases, ::core::file!()),
                &#private::proptest::collection::vec(#strategies, 1..=#steps),
                |#calls| {
                    #[allow(unused_mut)]
                    let mut #subject = #init;
                    #[allow(unused_mut)]
                    for (#(mut #bindings,)*) in #calls { #body }
                },
            );
        }
    }
}
