//! Contracts on traits: the checks written on a trait's required methods are woven into the
//! methods of every impl of it.
//!
//! A proc macro on an impl cannot see the trait's tokens, so the trait hands them over: its
//! `#[distaudit::audit]` emits a hidden `macro_rules!` under the trait's own name (macro
//! namespace: one `use` of the trait imports both). An impl's `#[distaudit::audit]` calls
//! `Trait! { .. }` with the impl, and the macro passes the contract and the impl to
//! [`contract_impl`]. The trait gains a method-less supertrait `Audited<ID>` that only that
//! path implements, so an impl that forgets the attribute does not compile, with an error
//! that says so, and the trait stays dyn-compatible.

use super::env::Environment;
use super::tokens::{doc_attr, stable_hash, strip_coordination};
use crate::attribute::is_coordination;
use crate::diag::Finding;
use crate::item::ident_text;
use crate::level::{ReceivedContract, parameter_names, renamed_parameter};
use crate::render;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};

/// `Trait! { @distaudit_v1 runtime(::distaudit) <impl> }`: hand an impl to its trait's
/// contract.
pub(super) fn hand_to_trait(
    imp: &syn::ItemImpl,
    trait_path: &syn::Path,
    env: &Environment,
    audit_args: &TokenStream,
) -> TokenStream {
    let mut macro_path = trait_path.clone();
    if let Some(last) = macro_path.segments.last_mut() {
        last.arguments = syn::PathArguments::None;
    }
    let runtime = &env.runtime;
    // Beside the hand-off, a check that it arrived: the contract's side implements
    // `Inherits<ID>` for the type. When the trait carries no `#[distaudit::audit]` there is
    // no macro to hand to (rustc: "cannot find macro"), and this says why, in our words,
    // spanned on the trait's name.
    let id = trait_path
        .segments
        .last()
        .map_or(0, |s| contract_id(&ident_text(&s.ident)));
    let self_ty = &imp.self_ty;
    let (impl_g, _, where_c) = imp.generics.split_for_impl();
    let span = trait_path
        .segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span());
    let inherits = quote::quote_spanned!(span=> #runtime::__private::Inherits<#id>);
    quote! {
        #macro_path! { @distaudit_v1 runtime(#runtime) audit(#audit_args) #imp }
        const _: () = {
            #[allow(dead_code, clippy::extra_unused_type_parameters)]
            fn distaudit_contract_received #impl_g () #where_c {
                fn received<T: ?::core::marker::Sized + #inherits>() {}
                received::<#self_ty>();
            }
        };
    }
}

/// A deterministic identity of a contract: a hash of the trait's name, so it stays the same
/// while the contract is edited (the id shows in rustc's note on a forgotten impl).
fn contract_id(name: &str) -> u64 {
    stable_hash(name)
}

/// `#[distaudit::audit]` on a trait: each contract method documented, the trait made to
/// require the audit of its impls, and the macro that hands them the contract.
pub(super) fn audit_trait(
    mut t: syn::ItemTrait,
    env: &Environment,
    findings: &mut Vec<Finding>,
) -> TokenStream {
    let model = crate::pipeline::audited_trait(&env.registry, &t, &env.runtime, &env.aliases);
    findings.extend(model.read_findings.iter().cloned());
    let mut contract = TokenStream::new();
    let mut uses = TokenStream::new();
    for (index, trait_item) in t.items.iter_mut().enumerate() {
        let syn::TraitItem::Fn(method) = trait_item else {
            continue;
        };
        // A method with a default body is annotated in place, through `__provided`: it
        // acts on state through the required methods, whose impls carry the checks.
        if method.default.is_some() {
            let runtime = &env.runtime;
            for attr in &mut method.attrs {
                if is_coordination(attr, runtime, &env.aliases)
                    && let syn::Meta::List(list) = &mut attr.meta
                {
                    list.path = syn::parse_quote!(#runtime::__provided);
                }
            }
            continue;
        }
        let annotated = method
            .attrs
            .iter()
            .any(|a| is_coordination(a, &env.runtime, &env.aliases));
        strip_coordination(&mut method.attrs, env, &mut uses);
        let sig = method.sig.clone();
        let docs: Vec<syn::Attribute> = method
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .cloned()
            .collect();
        let Some(c) = model.contract_at(index) else {
            // No contract, but its docs travel: an impl method that gets a decision record
            // keeps showing the trait's docs.
            if !annotated {
                contract.extend(quote!(#(#docs)* #sig;));
            }
            continue;
        };
        if !c.passed() {
            findings.extend(c.findings.iter().cloned());
            continue;
        }
        // The docs travel as the user wrote them; the impl renders its own record.
        let doc = render::decision_record(&c.audit, None);
        method.attrs.push(doc_attr(&format!(
            "{doc}\nEvery implementation carries these checks: its impl has `#[distaudit::audit]`."
        )));
        let args = &c.args;
        contract.extend(quote!(#(#docs)* #[coordination(#args)] #sig;));
    }
    let name = ident_text(&t.ident);
    let id = contract_id(&name);
    let runtime = &env.runtime;
    t.supertraits
        .push(syn::parse_quote!(#runtime::__private::Audited<#id>));
    if t.colon_token.is_none() {
        t.colon_token = Some(syn::Token![:](Span::call_site()));
    }
    let mangled = format_ident!("__distaudit_contract_{}_{:016x}", name, id);
    let trait_ident = &t.ident;
    let exported = matches!(t.vis, syn::Visibility::Public(_));
    let (export, reexport) = if exported {
        (
            quote!(#[macro_export]),
            quote!(#[doc(hidden)] pub use #mangled as #trait_ident;),
        )
    } else {
        (
            TokenStream::new(),
            quote!(#[allow(unused_imports)] pub(crate) use #mangled as #trait_ident;),
        )
    };
    quote! {
        #t
        #uses
        #[doc(hidden)]
        #export
        macro_rules! #mangled {
            (@distaudit_v1 runtime($($rt:tt)*) $($impl:tt)*) => {
                $($rt)*::__contract_impl! { id(#id) contract { #contract } $($impl)* }
            };
            ($($other:tt)*) => {
                ::core::compile_error! { "[distaudit DA0053 BLOCK] this trait's contract is handed to impls that carry `#[distaudit::audit]`; it is not a macro to call\n= why: `#[distaudit::audit]` on the trait defines this macro under the trait's name so that audited impls receive the contract's checks; its input is generated, not written\n= fix: remove this invocation, and put `#[distaudit::audit]` on the impl of the trait instead" }
            };
        }
        #reexport
    }
}

/// What `__contract_impl!` receives: the contract's id, its methods, the impl's own
/// `#[distaudit::audit(..)]` arguments, and the impl.
pub(super) struct ContractInput {
    pub id: syn::LitInt,
    pub methods: Vec<syn::TraitItemFn>,
    pub audit_args: TokenStream,
    pub imp: syn::ItemImpl,
}

impl Parse for ContractInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let _: syn::Ident = input.parse()?;
        let id_group;
        syn::parenthesized!(id_group in input);
        let id: syn::LitInt = id_group.parse()?;
        let _: syn::Ident = input.parse()?;
        let body;
        syn::braced!(body in input);
        let mut methods = Vec::new();
        while !body.is_empty() {
            methods.push(body.parse()?);
        }
        let _: syn::Ident = input.parse()?;
        let args;
        syn::parenthesized!(args in input);
        let audit_args: TokenStream = args.parse()?;
        let imp = input.parse()?;
        Ok(ContractInput {
            id,
            methods,
            audit_args,
            imp,
        })
    }
}

/// The contract a trait method hands its impls, when it states one.
pub(super) fn received(contract: &syn::TraitItemFn, env: &Environment) -> Option<ReceivedContract> {
    let attr = contract
        .attrs
        .iter()
        .find(|a| is_coordination(a, &env.runtime, &env.aliases))?;
    let syn::Meta::List(list) = &attr.meta else {
        return None;
    };
    Some(ReceivedContract {
        method: ident_text(&contract.sig.ident)
            .trim_start_matches("r#")
            .to_string(),
        params: parameter_names(&contract.sig),
        args: list.tokens.clone(),
    })
}

/// The trait's docs on each impl method that has none of its own, so a decision record
/// added to it does not replace them in rustdoc: on a method that receives the contract
/// (its parameters named as the trait's), or, where the trait states none, that is
/// annotated itself.
pub(super) fn trait_docs(methods: &[syn::TraitItemFn], imp: &mut syn::ItemImpl, env: &Environment) {
    for contract in methods {
        let Some(method) = imp.items.iter_mut().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == contract.sig.ident => Some(f),
            _ => None,
        }) else {
            continue;
        };
        if method.attrs.iter().any(|a| a.path().is_ident("doc")) {
            continue;
        }
        let wanted = match received(contract, env) {
            Some(c) => renamed_parameter(&c.params, &parameter_names(&method.sig)).is_none(),
            None => method
                .attrs
                .iter()
                .any(|a| is_coordination(a, &env.runtime, &env.aliases)),
        };
        if wanted {
            let docs = contract
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned();
            method.attrs.splice(0..0, docs);
        }
    }
}
