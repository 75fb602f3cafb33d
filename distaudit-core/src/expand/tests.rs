//! Generated property tests: the woven-in checks are the oracle.

use crate::annotation::TestSpec;
use crate::exprs::pat_name;
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

fn params(f: &syn::ItemFn, spec: &TestSpec) -> Vec<Param> {
    let mut out = Vec::new();
    for (index, arg) in f.sig.inputs.iter().enumerate() {
        let FnArg::Typed(pt) = arg else { continue };
        let name = pat_name(&pt.pat);
        let binding = format_ident!("distaudit_arg_{}", index, span = Span::mixed_site());
        let (owned, pass) = match &*pt.ty {
            Type::Reference(r) => {
                let owned = match &*r.elem {
                    Type::Slice(s) => {
                        let elem = &s.elem;
                        quote!(::std::vec::Vec<#elem>)
                    }
                    Type::Path(p) if p.path.is_ident("str") => quote!(::std::string::String),
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
        let strategy = match spec.strategies.iter().find(|(p, _)| p.value == name) {
            Some((_, e)) => {
                let expr = &e.expr;
                quote!(#expr)
            }
            None => {
                quote_spanned!(pt.ty.span()=> ::distaudit::__private::proptest::arbitrary::any::<#owned>())
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
fn all_strategies(ps: &[Param]) -> TokenStream {
    if ps.is_empty() {
        return quote!(::distaudit::__private::proptest::strategy::Just(()));
    }
    let strategies = ps.iter().map(|p| &p.strategy);
    quote!((#(#strategies,)*))
}

fn prelude() -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use ::distaudit::__private::proptest;
        #[allow(unused_imports)]
        use ::distaudit::__private::proptest::prelude::*;
    }
}

fn call(f: &syn::ItemFn, call: TokenStream) -> TokenStream {
    if f.sig.asyncness.is_some() {
        quote!(let _ = ::distaudit::__private::block_on(#call);)
    } else {
        quote!(let _ = #call;)
    }
}

/// The test of a free function, beside it.
pub(super) fn free_fn_test(f: &syn::ItemFn, spec: &TestSpec, name: &syn::Ident) -> TokenStream {
    let ps = params(f, spec);
    let strategies = all_strategies(&ps);
    let bindings = ps.iter().map(|p| &p.binding);
    let passes = ps.iter().map(|p| &p.pass);
    let ident = &f.sig.ident;
    let cases = spec.cases.unwrap_or(DEFAULT_CASES);
    let prelude = prelude();
    let body = call(f, quote!(#ident(#(#passes),*)));
    quote! {
        #[cfg(test)]
        #[test]
        fn #name() {
            #prelude
            ::distaudit::__private::run_property(
                ::distaudit::__private::test_config(#cases, ::core::file!()),
                &#strategies,
                #[allow(unused_mut)]
                |(#(mut #bindings,)*)| { #body },
            );
        }
    }
}

/// The test of a method, hosted in the impl's sibling module by `#[distaudit::audit]`.
pub(super) fn method_test(f: &syn::ItemFn, spec: &TestSpec) -> TokenStream {
    let Some(init) = &spec.init else {
        return TokenStream::new();
    };
    let init = &init.expr;
    let ps = params(f, spec);
    let strategies = all_strategies(&ps);
    let bindings = ps.iter().map(|p| &p.binding);
    let passes = ps.iter().map(|p| &p.pass);
    let ident = &f.sig.ident;
    let cases = spec.cases.unwrap_or(DEFAULT_CASES);
    let steps = spec.steps.unwrap_or(DEFAULT_STEPS) as usize;
    let subject = format_ident!("distaudit_subject", span = Span::mixed_site());
    let calls = format_ident!("distaudit_calls", span = Span::mixed_site());
    let prelude = prelude();
    let body = call(f, quote!(#subject.#ident(#(#passes),*)));
    quote! {
        #[test]
        fn #ident() {
            #prelude
            ::distaudit::__private::run_property(
                ::distaudit::__private::test_config(#cases, ::core::file!()),
                &::distaudit::__private::proptest::collection::vec(#strategies, 1..=#steps),
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
