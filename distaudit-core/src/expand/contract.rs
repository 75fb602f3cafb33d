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

use super::{
    Decided, Environment, audit_impl, doc_attr, errors, is_coordination, take_coordination,
};
use crate::analyze;
use crate::annotation::Phase;
use crate::diag::{Finding, Severity};
use crate::item::{self, ident_text};
use crate::render;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};

/// Traits of the standard library: an impl of one is audited on its own (they carry no
/// contract, and have no macro of their name to hand the impl to).
const STD_TRAITS: &[&str] = &[
    "Clone",
    "Copy",
    "Debug",
    "Display",
    "Default",
    "Drop",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Borrow",
    "BorrowMut",
    "Deref",
    "DerefMut",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "FromIterator",
    "Future",
    "Error",
    "Read",
    "Write",
    "Seek",
    "BufRead",
    "Send",
    "Sync",
    "Unpin",
    "FromStr",
    "ToString",
    "Index",
    "IndexMut",
    "Add",
    "Sub",
    "Mul",
    "Div",
    "Rem",
    "Neg",
    "Not",
    "Fn",
    "FnMut",
    "FnOnce",
];

/// Whether an impl is of a trait whose contract it must receive: a trait that is not one of
/// the standard library's.
pub(super) fn receives_contract(imp: &syn::ItemImpl) -> Option<&syn::Path> {
    let (path, _) = imp.trait_.as_ref()?;
    let last = path.segments.last()?;
    (!STD_TRAITS.contains(&ident_text(&last.ident).as_str())).then_some(path)
}

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
    quote!(#macro_path! { @distaudit_v1 runtime(#runtime) audit(#audit_args) #imp })
}

/// A deterministic identity of a contract: a hash of the trait's name, so it stays the same
/// while the contract is edited (the id shows in rustc's note on a forgotten impl).
fn contract_id(name: &str) -> u64 {
    super::stable_hash(name)
}

/// `#[distaudit::audit]` on a trait.
pub(super) fn audit_trait(
    mut t: syn::ItemTrait,
    env: &Environment,
    findings: &mut Vec<Finding>,
) -> TokenStream {
    let mut contract = TokenStream::new();
    let mut uses = TokenStream::new();
    for trait_item in &mut t.items {
        let syn::TraitItem::Fn(method) = trait_item else {
            continue;
        };
        // A method with a default body is annotated in place, as ever.
        if method.default.is_some() {
            continue;
        }
        let Some(taken) = take_coordination(
            &mut method.attrs,
            &env.runtime,
            &env.aliases,
            &mut uses,
            findings,
        ) else {
            // No contract, but its docs travel: an impl method that gets a decision record
            // keeps showing the trait's docs.
            let sig = &method.sig;
            let docs = method.attrs.iter().filter(|a| a.path().is_ident("doc"));
            contract.extend(quote!(#(#docs)* #sig;));
            continue;
        };
        let Some((args, at)) = taken else { continue };
        let as_fn = syn::ItemFn {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            modifiers: method.modifiers.clone(),
            sig: method.sig.clone(),
            block: Box::new(syn::parse_quote!({})),
        };
        let mut site = env.site(true, Some(format!("{}::{}", t.ident, method.sig.ident)));
        site.anchor = Some(at);
        let (audit, found) = analyze::analyze(
            &env.registry,
            args.clone(),
            &item::Subject::Fn(as_fn),
            &site,
        );
        if found.iter().any(|f| f.severity() == Severity::Block) {
            findings.extend(found);
            continue;
        }
        // The docs travel as the user wrote them; the impl renders its own record.
        let sig = &method.sig;
        let docs: Vec<syn::Attribute> = method
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .cloned()
            .collect();
        let doc = render::decision_record(&audit, None);
        method.attrs.push(doc_attr(&format!(
            "{doc}\nEvery implementation carries these checks: its impl has `#[distaudit::audit]`."
        )));
        let args = &args;
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
struct ContractInput {
    id: syn::LitInt,
    methods: Vec<syn::TraitItemFn>,
    audit_args: TokenStream,
    imp: syn::ItemImpl,
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

/// The checks of an annotation (`invariant`, `ensures`, `requires`), without its patterns
/// and citations, for adding to an impl method's own annotation.
fn checks_only(args: &TokenStream) -> TokenStream {
    let Ok(entries) = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        args.clone(),
    ) else {
        return TokenStream::new();
    };
    let kept = entries.into_iter().filter(|m| {
        [Phase::Invariant, Phase::Ensures, Phase::Requires]
            .iter()
            .any(|p| m.path().is_ident(p.argument()))
    });
    quote!(#(#kept),*)
}

/// The annotation an impl method expands with when it receives its trait's contract
/// (`contract`, the trait method's arguments): its own annotation (`own`) with the
/// contract's checks added, or the contract's whole annotation when it has none. The
/// contract's tokens take the method's name as their span (`at`): through the trait's
/// macro they carry that macro's hygiene, and a finding about them is the method's. One
/// decision for the attribute and `cargo distaudit`.
#[must_use]
pub fn with_contract(own: Option<&TokenStream>, contract: &TokenStream, at: Span) -> TokenStream {
    let inherited = super::at(contract, at);
    match own {
        Some(mine) => {
            let checks = checks_only(&inherited);
            if checks.is_empty() {
                mine.clone()
            } else {
                quote!(#mine, #checks)
            }
        }
        None => inherited,
    }
}

/// `__contract_impl! { id(N) contract { .. } impl Trait for T { .. } }`: weave the trait's
/// checks into the impl's methods, then audit the impl as any other.
#[must_use]
pub fn contract_impl(input: TokenStream, opts: &super::Options) -> TokenStream {
    let parsed = match syn::parse2::<ContractInput>(input) {
        Ok(p) => p,
        Err(e) => return e.to_compile_error(),
    };
    let env = match Environment::load(opts) {
        Ok(env) => env,
        Err(e) => {
            let imp = &parsed.imp;
            let err = super::registry_report::registry_failure(&e, opts);
            return quote!(#imp #err);
        }
    };
    let decided: Decided = env.decided(opts);
    let ContractInput {
        id,
        methods,
        audit_args,
        mut imp,
    } = parsed;
    let (machine_test, mut findings) = crate::annotation::parse_audit(audit_args);
    for contract in &methods {
        let Some(method) = imp.items.iter_mut().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == contract.sig.ident => Some(f),
            _ => None,
        }) else {
            continue;
        };
        let trait_docs = || -> Vec<syn::Attribute> {
            contract
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect()
        };
        let Some(syn::Meta::List(list)) = contract
            .attrs
            .iter()
            .find(|a| is_coordination(a, &env.runtime, &env.aliases))
            .map(|a| &a.meta)
        else {
            // No contract: only the docs. A record added to an undocumented method would
            // otherwise replace the trait's docs in rustdoc.
            let annotated = method
                .attrs
                .iter()
                .any(|a| is_coordination(a, &env.runtime, &env.aliases));
            if annotated && !method.attrs.iter().any(|a| a.path().is_ident("doc")) {
                method.attrs.splice(0..0, trait_docs());
            }
            continue;
        };
        let (theirs, ours) = (
            crate::rules::audit::parameter_names(&contract.sig),
            crate::rules::audit::parameter_names(&method.sig),
        );
        let spans: Vec<Span> = method
            .sig
            .inputs
            .iter()
            .filter(|a| matches!(a, syn::FnArg::Typed(_)))
            .map(syn::spanned::Spanned::span)
            .collect();
        if let Some(renamed) = crate::rules::audit::contract_parameters(
            &method.sig.ident.to_string(),
            &theirs,
            &ours,
            &spans,
            method.sig.ident.span(),
        ) {
            findings.push(renamed);
            continue;
        }
        // The trait's docs stay visible when the impl has none of its own.
        if !method.attrs.iter().any(|a| a.path().is_ident("doc")) {
            method.attrs.splice(0..0, trait_docs());
        }
        // Through the trait's macro, the contract's tokens carry that macro's hygiene:
        // `self` and the parameters would not resolve. Give them the impl method's own.
        let at = method.sig.ident.span();
        match method
            .attrs
            .iter_mut()
            .find(|a| is_coordination(a, &env.runtime, &env.aliases))
        {
            Some(own) => {
                if let syn::Meta::List(own_list) = &mut own.meta {
                    own_list.tokens = with_contract(Some(&own_list.tokens), &list.tokens, at);
                }
            }
            // Named through the runtime: the impl's module need not import the attribute.
            None => method.attrs.push({
                let runtime = &env.runtime;
                let inherited = with_contract(None, &list.tokens, at);
                syn::parse_quote!(#[#runtime::coordination(#inherited)])
            }),
        }
    }
    let self_ty = &imp.self_ty;
    let (impl_g, _, where_c) = imp.generics.split_for_impl();
    let runtime = &env.runtime;
    let marker = quote! {
        #[doc(hidden)]
        impl #impl_g #runtime::__private::Audited<#id> for #self_ty #where_c {}
    };
    let audited = audit_impl(imp, &env, &decided, machine_test.as_ref(), &mut findings);
    let err = errors(&findings);
    quote!(#audited #marker #err)
}
