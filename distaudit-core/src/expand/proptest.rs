//! Generated tests: every one is a state machine run by `distaudit::__private::machine`,
//! with the woven checks and the type's invariants as the oracle.
//!
//! - a free function: one call per case, on no receiver;
//! - a method with `test`: `steps` calls of it per case, on a receiver built by `init`;
//! - an impl with `#[distaudit::audit(test(..))]`: every method with `test`, interleaved.
//!
//! A failure shrinks to the shortest sequence and prints it as calls with named arguments,
//! each described by the runtime as woven checks describe values (`__arg!`: never a key's
//! bytes); a run where fewer than 5% of the calls were accepted fails as vacuous (unless
//! `vacuous_ok`).

mod attacks;

use crate::annotation::TestSpec;
use crate::exprs::pat_ident;
use crate::item::ident_text;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Type};

/// Default number of cases per generated test.
pub const DEFAULT_CASES: u32 = 256;
/// Default number of calls per case for methods.
pub const DEFAULT_STEPS: u32 = 32;

/// One parameter of a call: the enum field that holds it, its owned type, the strategy
/// of its values, and how the call passes it.
struct Field {
    name: syn::Ident,
    ty: TokenStream,
    strategy: TokenStream,
    pass: TokenStream,
    /// `from_state("f")`: the function of the receiver its value is drawn from at the step.
    from_state: Option<TokenStream>,
    /// `view(.., with = "f")`: the field holds the owner, and `f(&owner)` is the value the
    /// call takes (what the steps read a cursor's position from).
    view: Option<TokenStream>,
}

/// One kind of call: a method or a function, with its fields.
pub(super) struct CallKind {
    /// The variant: the function's own identifier.
    name: syn::Ident,
    fields: Vec<Field>,
    /// The call, given the fields bound by name and the receiver `distaudit_sut`.
    call: TokenStream,
}

/// How a field generated in an owned type is passed to the call.
enum Passed {
    /// As it is.
    Value,
    /// Borrowed: `&field`, `&mut field`.
    Ref { by_mut: bool },
    /// An `Option` of a borrow: `field.as_deref()` for a slice or `str` (generated as `Vec`
    /// or `String`), `field.as_ref()` / `as_mut()` for anything else.
    OptionRef { deref: bool, by_mut: bool },
}

/// Owned types stand for borrowed ones: `&[T]` is a `Vec<T>`, `&str` a `String`, `&T` a
/// `T`, and `Option<&T>` an `Option` of those (an elided lifetime inside a type's arguments
/// would have no lifetime to take in a generated struct); a lifetime in a type (a view
/// built by a strategy) becomes `'static`.
fn owned(ty: &Type, private: &TokenStream) -> (TokenStream, Passed) {
    match ty {
        Type::Reference(r) => {
            let (inner, _) = owned_referent(&r.elem, private);
            (
                inner,
                Passed::Ref {
                    by_mut: r.mutability.is_some(),
                },
            )
        }
        Type::Path(p)
            if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "Option") =>
        {
            let inner = p.path.segments.last().and_then(|s| match &s.arguments {
                syn::PathArguments::AngleBracketed(a) if a.args.len() == 1 => match &a.args[0] {
                    syn::GenericArgument::Type(Type::Reference(r)) => Some(r),
                    _ => None,
                },
                _ => None,
            });
            match inner {
                Some(r) => {
                    let (inner, deref) = owned_referent(&r.elem, private);
                    (
                        quote!(::core::option::Option<#inner>),
                        Passed::OptionRef {
                            deref,
                            by_mut: r.mutability.is_some(),
                        },
                    )
                }
                None => (statics(ty), Passed::Value),
            }
        }
        other => (statics(other), Passed::Value),
    }
}

/// The owned type generated for what a reference points at, and whether it derefs to it
/// (`Vec<T>` for `[T]`, `String` for `str`).
fn owned_referent(elem: &Type, private: &TokenStream) -> (TokenStream, bool) {
    match elem {
        Type::Slice(s) => {
            let elem = &s.elem;
            (quote!(#private::Vec<#elem>), true)
        }
        Type::Path(p) if p.path.is_ident("str") => (quote!(#private::String), true),
        other => (statics(other), false),
    }
}

/// `ty` with every lifetime made `'static`.
fn statics(ty: &Type) -> TokenStream {
    let ty = crate::walk::lifetimes_static(ty);
    quote!(#ty)
}

/// The call kind of a function or method with `test`.
pub(super) fn call_kind(
    f: &syn::ItemFn,
    spec: &TestSpec,
    runtime: &syn::Path,
    concrete: &dyn Fn(&Type) -> Type,
) -> CallKind {
    let private = quote!(#runtime::__private);
    let mut fields = Vec::new();
    for arg in &f.sig.inputs {
        let FnArg::Typed(pt) = arg else { continue };
        let Some(ident) = pat_ident(&pt.pat) else {
            continue;
        };
        let name = ident_text(ident);
        let mut field = ident.clone();
        field.set_span(proc_macro2::Span::call_site());
        // A borrowed view drawn as its owner: the call holds the owner and passes its view.
        if let Some(v) = spec
            .views
            .iter()
            .find(|v| v.param.value.trim_start_matches("r#") == name)
        {
            let (owner, with) = (&v.owner, &v.with.expr);
            // Owners drawn by a strategy, or from the state with theirs (`otherwise`, else
            // any owner) up front.
            let strategy = match &v.strategy {
                Some(e) => {
                    let expr = &e.expr;
                    quote!(#expr)
                }
                None => quote!(#private::any_value::<#owner>()),
            };
            let from_state = v.from_state.as_ref().map(|f| {
                let function = &f.expr;
                quote!(#function)
            });
            let pass = match &*pt.ty {
                Type::Reference(r) if r.mutability.is_some() => quote!(&mut (#with)(&#field)),
                Type::Reference(_) => quote!(&(#with)(&#field)),
                _ => quote!((#with)(&#field)),
            };
            fields.push(Field {
                name: field,
                ty: quote!(#owner),
                strategy,
                pass,
                from_state,
                view: Some(quote!(#with)),
            });
            continue;
        }
        let (ty, passed) = owned(&concrete(&pt.ty), &private);
        let state = spec
            .from_state
            .iter()
            .find(|s| s.param.value.trim_start_matches("r#") == name);
        let given = spec
            .strategies
            .iter()
            .find(|(p, _)| p.value.trim_start_matches("r#") == name)
            .map(|(_, e)| e)
            .or_else(|| state.and_then(|s| s.otherwise.as_ref()));
        let strategy = match given {
            Some(e) => {
                let expr = &e.expr;
                quote!(#expr)
            }
            None => {
                let private = crate::expand::at(&private, pt.ty.span());
                quote_spanned!(pt.ty.span()=> #private::any_value::<#ty>())
            }
        };
        let pass = match passed {
            Passed::Value => quote!(#field),
            Passed::Ref { by_mut: true } => quote!(&mut #field),
            Passed::Ref { by_mut: false } => quote!(&#field),
            Passed::OptionRef {
                deref: true,
                by_mut: true,
            } => quote!(#field.as_deref_mut()),
            Passed::OptionRef {
                deref: true,
                by_mut: false,
            } => quote!(#field.as_deref()),
            Passed::OptionRef { by_mut: true, .. } => quote!(#field.as_mut()),
            Passed::OptionRef { by_mut: false, .. } => quote!(#field.as_ref()),
        };
        let from_state = state.map(|s| {
            let function = &s.function.expr;
            quote!(#function)
        });
        fields.push(Field {
            name: field,
            ty,
            strategy,
            pass,
            from_state,
            view: None,
        });
    }
    let ident = &f.sig.ident;
    let passes = fields.iter().map(|p| &p.pass);
    let sut = format_ident!("distaudit_sut");
    let call = if f.sig.receiver().is_some() {
        quote!(#sut.#ident(#(#passes),*))
    } else {
        quote!(#ident(#(#passes),*))
    };
    let call = if f.sig.asyncness.is_some() {
        quote!(#private::block_on(#call))
    } else {
        call
    };
    CallKind {
        name: ident.clone(),
        fields,
        call,
    }
}

/// What the machine runs on, and how a test of it is named and sized.
pub(super) struct MachineSpec<'a> {
    /// The receiver's type (`()` for a free function) and how to build one.
    pub sut: TokenStream,
    pub init: TokenStream,
    /// Whether the type's invariants are checked after `init` and every call.
    pub type_invariants: bool,
    pub cases: u32,
    pub steps: u32,
    pub vacuous_ok: bool,
    /// The module and the test inside it (none for a piece another machine runs).
    pub module: &'a syn::Ident,
    pub test: Option<&'a syn::Ident>,
    /// The pieces (keys of trait names, each spanned where it is named) whose calls the test
    /// interleaves with its own (`with = "<Trait>"`).
    pub joins: Vec<(u64, proc_macro2::Span)>,
    pub runtime: &'a syn::Path,
    /// The macro the module's items pass through, when the module is where the item's
    /// scope is probed (see [`super::hosting::scope_guard`]).
    pub gate: Option<&'a syn::Ident>,
}

impl<'a> MachineSpec<'a> {
    /// The machine of an audited impl's `test(..)` on `sut`, built by `init`: the type's
    /// invariants are checked, and the module and the test share the name `name`.
    pub fn audited(
        spec: &crate::annotation::TestSpec,
        sut: TokenStream,
        init: &crate::annotation::ExprArg,
        name: &'a syn::Ident,
        runtime: &'a syn::Path,
    ) -> Self {
        let init = &init.expr;
        MachineSpec {
            sut,
            init: quote!(#init),
            type_invariants: true,
            cases: spec.cases.unwrap_or(DEFAULT_CASES),
            steps: spec.steps.unwrap_or(DEFAULT_STEPS),
            vacuous_ok: spec.vacuous_ok,
            module: name,
            test: Some(name),
            joins: spec
                .with
                .iter()
                .map(|w| (crate::level::piece_key(&w.value), w.span))
                .collect(),
            runtime,
            gate: None,
        }
    }
}

/// A module holding the enum of calls, its `Machine` impl and the `#[test]` that runs it;
/// with `attacks`, the state machine's attacking steps too.
pub(super) fn machine(
    spec: &MachineSpec<'_>,
    kinds: &[CallKind],
    attacks: Option<&crate::level::AttackPlan>,
) -> TokenStream {
    let attacks = attacks.and_then(|plan| attacks::items(plan, kinds, spec.runtime));
    let runtime = spec.runtime;
    let private = quote!(#runtime::__private);
    let sut = format_ident!("distaudit_sut");
    let mut variants: Vec<TokenStream> = kinds
        .iter()
        .map(|k| {
            let name = &k.name;
            let fields = k.fields.iter().map(|f| {
                let (n, t) = (&f.name, &f.ty);
                quote!(#n: #t)
            });
            quote!(#name { #(#fields),* })
        })
        .collect();
    let mut debug_arms: Vec<TokenStream> = kinds
        .iter()
        .map(|k| {
            let name = &k.name;
            let shown = ident_text(name);
            let names: Vec<&syn::Ident> = k.fields.iter().map(|f| &f.name).collect();
            let labels = names.iter().map(|n| ident_text(n));
            quote! {
                Call::#name { #(#names),* } => machine::call(
                    f,
                    #shown,
                    &[#((#labels, &#runtime::__arg!(#names))),*],
                )
            }
        })
        .collect();
    let (mut strategy, mut apply) = plain_strategy_and_apply(kinds, runtime);
    if let Some(a) = attacks {
        variants.push(a.variant);
        debug_arms.push(a.debug_arm);
        strategy = a.strategy;
        apply = a.functions;
    }
    let resolve = resolve(kinds);
    let check_type = if spec.type_invariants {
        quote! {
            fn check_type(#sut: &Self::Sut) {
                #private::TypeProbe::<Self::Sut>::new().check_type(#sut, "a call");
            }
        }
    } else {
        TokenStream::new()
    };
    let methods = u32::try_from(kinds.len()).unwrap_or(u32::MAX);
    let (module, sut_ty, init) = (spec.module, &spec.sut, &spec.init);
    let (cases, steps, vacuous_ok) = (spec.cases, spec.steps as usize, spec.vacuous_ok);
    let test_fn = spec.test.map(|test| {
        let test_name = ident_text(test);
        let run = joined(quote!(Call), &spec.joins, sut_ty);
        quote! {
            #[test]
            fn #test() {
                machine::run::<#run>(#cases, 1..=#steps, #vacuous_ok, ::core::file!(), #test_name);
            }
        }
    });
    let items = quote! {
                #[derive(Clone)]
                pub enum Call { #(#variants),* }

                impl ::core::fmt::Debug for Call {
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        match self { #(#debug_arms),* }
                    }
                }

                impl machine::Machine for Call {
                    type Sut = #sut_ty;
                    fn init() -> Self::Sut {
                        #init
                    }
                    #check_type
                    fn strategy() -> proptest::strategy::BoxedStrategy<Self> {
                        #strategy
                    }
                    fn methods() -> u32 {
                        #methods
                    }
                    #apply
                    #resolve
                }

                #test_fn
    };
    let items = match spec.gate {
        Some(gate) => quote!(#gate! { #items }),
        None => items,
    };
    quote! {
        #runtime::__require_test_feature! {
            #[cfg(test)]
            #[allow(non_snake_case, non_camel_case_types, unused_variables, clippy::all, clippy::pedantic)]
            mod #module {
                #[allow(unused_imports)]
                use super::*;
                #[allow(unused_imports)]
                use #private::{machine, proptest, proptest::prelude::*};

                #items
            }
        }
    }
}

/// The machine a test runs: its own calls, joined with each piece's (`Join<Call, Join<P1,
/// P2>>`), each piece found by the key of its trait's name and spanned where it is named.
fn joined(own: TokenStream, joins: &[(u64, proc_macro2::Span)], sut: &TokenStream) -> TokenStream {
    let pieces: Vec<TokenStream> = joins
        .iter()
        .map(|(key, span)| {
            // The type too: rustc reports a missing piece on it, which should be the name.
            let sut = crate::walk::respan(sut, *span);
            quote::quote_spanned!(*span=> <#sut as machine::Piece<#key>>::Call)
        })
        .collect();
    let Some((last, rest)) = pieces.split_last() else {
        return own;
    };
    let others = rest
        .iter()
        .rev()
        .fold(last.clone(), |inner, p| quote!(machine::Join<#p, #inner>));
    quote!(machine::Join<#own, #others>)
}

/// The `strategy()` body and the `apply` of a machine without attacking steps: each call
/// drawn alike, applied and judged.
fn plain_strategy_and_apply(kinds: &[CallKind], runtime: &syn::Path) -> (TokenStream, TokenStream) {
    let sut = format_ident!("distaudit_sut");
    let strategies: Vec<TokenStream> = kinds
        .iter()
        .map(|k| {
            let name = &k.name;
            let names: Vec<&syn::Ident> = k.fields.iter().map(|f| &f.name).collect();
            let strategy = k.fields.iter().map(|f| &f.strategy);
            if names.is_empty() {
                quote!(proptest::strategy::Just(Call::#name {}))
            } else {
                quote!((#(#strategy,)*).prop_map(|(#(#names,)*)| Call::#name { #(#names),* }))
            }
        })
        .collect();
    let strategy = quote!(proptest::prop_oneof![#(#strategies),*].boxed());
    let apply_arms = kinds.iter().map(|k| {
        let name = &k.name;
        let names: Vec<&syn::Ident> = k.fields.iter().map(|f| &f.name).collect();
        let call = &k.call;
        quote! {
            #[allow(unused_mut)]
            Call::#name { #(mut #names),* } => #runtime::__outcome!(#call)
        }
    });
    let apply = quote! {
        fn apply(&self, #sut: &mut Self::Sut) -> machine::Outcome {
            let _ = &#sut;
            match ::core::clone::Clone::clone(self) { #(#apply_arms),* }
        }
    };
    (strategy, apply)
}

/// `Machine::resolve`, when a parameter reads the state: each such parameter drawn, at
/// its step, by `machine::from_state` from what its function offers on the receiver.
fn resolve(kinds: &[CallKind]) -> TokenStream {
    let sut = format_ident!("distaudit_sut");
    let arms: Vec<TokenStream> = kinds
        .iter()
        .filter(|k| k.fields.iter().any(|f| f.from_state.is_some()))
        .map(|k| {
            let name = &k.name;
            let draws = k.fields.iter().zip(0u64..).filter_map(|(f, salt)| {
                let (field, function) = (&f.name, f.from_state.as_ref()?);
                Some(quote! {
                    drawn |= machine::from_state(#field, pick, #salt, || #function(#sut));
                })
            });
            let names = k
                .fields
                .iter()
                .filter(|f| f.from_state.is_some())
                .map(|f| &f.name);
            quote!(Call::#name { #(#names,)* .. } => { #(#draws)* })
        })
        .collect();
    if arms.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[allow(unreachable_patterns)]
        fn resolve(&self, #sut: &Self::Sut, pick: u64) -> ::core::option::Option<Self> {
            let mut call = ::core::clone::Clone::clone(self);
            let mut drawn = false;
            match &mut call {
                #(#arms)*
                _ => {}
            }
            if drawn { ::core::option::Option::Some(call) } else { ::core::option::Option::None }
        }
    }
}

/// The test of a free function: one call per case, beside the function.
pub(super) fn free_fn_test(
    f: &syn::ItemFn,
    spec: &TestSpec,
    name: &syn::Ident,
    runtime: &syn::Path,
    gate: Option<&syn::Ident>,
) -> TokenStream {
    let kind = call_kind(f, spec, runtime, &Type::clone);
    machine(
        &MachineSpec {
            sut: quote!(()),
            init: quote!(()),
            type_invariants: false,
            cases: spec.cases.unwrap_or(DEFAULT_CASES),
            steps: 1,
            vacuous_ok: spec.vacuous_ok,
            module: name,
            test: Some(name),
            joins: Vec::new(),
            runtime,
            gate,
        },
        &[kind],
        None,
    )
}
