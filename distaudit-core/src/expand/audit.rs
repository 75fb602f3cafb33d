//! `#[distaudit::audit]`: on an impl, a trait or an inline module. The level above the item
//! is resolved by [`crate::pipeline::audited_impl`]; this module emits tokens from the
//! [`ImplAudit`] it returns and decides nothing.

use super::contract::{self, ContractInput};
use super::diagnostics::errors;
use super::env::{Decided, Environment, Options};
use super::hosting::{host_module, scope_guard};
use super::item::{extras, finish_fn};
use super::proptest;
use super::registry_report::registry_failure;
use super::tokens::{doc_attr, strip_coordination};
use super::type_invariant;
use crate::annotation::{self, TestSpec};
use crate::diag::Finding;
use crate::item::ident_text;
use crate::level::{AuditTarget, ImplAudit, ImplInput, ReceivedContract};
use crate::pipeline;
use crate::rules;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};

/// `#[distaudit::audit]` on an impl block, a trait or an inline module.
#[must_use]
pub fn audit(args: TokenStream, item: TokenStream, opts: &Options) -> TokenStream {
    let (audit_args, mut findings) = annotation::parse_audit(args.clone());
    let machine_test = audit_args.test.clone();
    let mut env = match Environment::load(opts) {
        Ok(env) => env,
        Err(e) => {
            let err = registry_failure(&e, opts);
            return quote!(#item #err);
        }
    };
    let parsed = syn::parse2::<syn::Item>(item.clone());
    if let Ok(syn::Item::Mod(m)) = &parsed
        && let Some((_, items)) = &m.content
    {
        env.aliases = crate::attribute::aliases(items, &env.runtime);
    }
    let env = env;
    let decided = env.decided(opts);
    let impl_or_handoff =
        |i: syn::ItemImpl, test: Option<&TestSpec>, findings: &mut Vec<Finding>| {
            match crate::level::receives_contract(&i) {
                // The impl's arguments travel with it; the contract's side reads them.
                Some(path) => contract::hand_to_trait(&i, path, &env, &args),
                None => audit_impl(i, &env, &decided, test, &audit_args.checks, &[], findings),
            }
        };
    if let Ok(parsed) = &parsed {
        // On an item it does not go on, the finding points at the attribute to move.
        if let Some(refused) = rules::audit::audit_target(
            AuditTarget::of(parsed),
            machine_test.as_ref().map(|t| t.span),
            Span::call_site(),
        ) {
            findings.push(refused);
            let err = errors(&findings);
            return quote!(#item #err);
        }
    }
    let out = match parsed {
        Ok(syn::Item::Impl(i)) => impl_or_handoff(i, machine_test.as_ref(), &mut findings),
        Ok(syn::Item::Trait(t)) => contract::audit_trait(t, &env, &mut findings),
        Ok(syn::Item::Mod(mut m)) if m.content.is_some() => {
            let mut hosted = TokenStream::new();
            if let Some((_, items)) = &mut m.content {
                for it in std::mem::take(items) {
                    match it {
                        syn::Item::Impl(i) => {
                            hosted.extend(impl_or_handoff(i, None, &mut findings));
                        }
                        syn::Item::Trait(t) => {
                            hosted.extend(contract::audit_trait(t, &env, &mut findings));
                        }
                        other => hosted.extend(other.into_token_stream()),
                    }
                }
                // Handed on as tokens: the audited impls are not parsed back.
                *items = vec![syn::Item::Verbatim(hosted)];
            }
            m.into_token_stream()
        }
        // Refused above.
        Ok(_) | Err(_) => item,
    };
    let err = errors(&findings);
    quote!(#out #err)
}

/// `__contract_impl! { id(N) contract { .. } audit(..) impl Trait for T { .. } }`: the
/// impl with the contract of its trait's methods, audited as any other.
#[must_use]
pub fn contract_impl(input: TokenStream, opts: &Options) -> TokenStream {
    let parsed = match syn::parse2::<ContractInput>(input) {
        Ok(p) => p,
        Err(e) => return e.to_compile_error(),
    };
    let env = match Environment::load(opts) {
        Ok(env) => env,
        Err(e) => {
            let imp = &parsed.imp;
            let err = registry_failure(&e, opts);
            return quote!(#imp #err);
        }
    };
    let decided = env.decided(opts);
    let ContractInput {
        id,
        methods,
        audit_args,
        mut imp,
    } = parsed;
    let (audit_args, mut findings) = annotation::parse_audit(audit_args);
    let machine_test = audit_args.test.clone();
    let received: Vec<ReceivedContract> = methods
        .iter()
        .filter_map(|c| contract::received(c, &env))
        .collect();
    contract::trait_docs(&methods, &mut imp, &env);
    let self_ty = &imp.self_ty;
    let (impl_g, _, where_c) = imp.generics.split_for_impl();
    let runtime = &env.runtime;
    let marker = quote! {
        #[doc(hidden)]
        impl #impl_g #runtime::__private::Audited<#id> for #self_ty #where_c {}
        #[doc(hidden)]
        impl #impl_g #runtime::__private::Inherits<#id> for #self_ty #where_c {}
    };
    let audited = audit_impl(
        imp,
        &env,
        &decided,
        machine_test.as_ref(),
        &audit_args.checks,
        &received,
        &mut findings,
    );
    let err = errors(&findings);
    quote!(#audited #marker #err)
}

/// The impl with each annotated method woven and documented, its tests hosted in a module
/// beside it, and the errors of methods that did not pass.
fn audit_impl(
    mut imp: syn::ItemImpl,
    env: &Environment,
    opts: &Decided,
    machine_test: Option<&TestSpec>,
    impl_checks: &TokenStream,
    contracts: &[ReceivedContract],
    findings: &mut Vec<Finding>,
) -> TokenStream {
    let input = ImplInput {
        imp: &imp,
        machine_test,
        runtime: &env.runtime,
        aliases: &env.aliases,
        contracts,
        impl_checks,
    };
    let (model, found) = pipeline::audited_impl(&env.registry, &input);
    findings.extend(found);
    let module = host_module(&imp, &model, &env.runtime, &env.aliases);
    let mut siblings = TokenStream::new();
    let tests = Tests::emit(&model, &module, env, &mut siblings);
    for (index, impl_item) in imp.items.iter_mut().enumerate() {
        let syn::ImplItem::Fn(method) = impl_item else {
            continue;
        };
        strip_coordination(&mut method.attrs, env, &mut siblings);
        if let Some(m) = model.method_at(index).filter(|m| m.passed()) {
            let mut f = m.function().clone();
            let names = tests.names.get(&index).map(|n| n.join("`, `"));
            let extras = extras(&m.audit, &m.findings, &env.registry_files, true);
            finish_fn(&mut f, &m.audit, opts, &extras, names.as_deref());
            method.attrs = f.attrs;
            method.block = *f.block;
            let asked: Vec<crate::diag::Obligation> = m
                .findings
                .iter()
                .filter_map(|f| f.answered_by_type)
                .collect();
            type_invariant::ask_type(method, &asked, &env.runtime);
        }
        // The target of a verified delegation names who leaves the decision to it.
        for line in model.left_to(&ident_text(&method.sig.ident)) {
            method.attrs.push(doc_attr(&format!("\n{line}")));
        }
    }
    // The type's own invariants, after every method that changes or makes a value of it.
    for (index, site) in &model.invariant_sites {
        if let Some(syn::ImplItem::Fn(method)) = imp.items.get_mut(*index) {
            type_invariant::check_after(method, *site, &model, &env.runtime, opts);
        }
    }
    let host = match model.plan.first_test {
        Some(span) if !tests.machines.is_empty() => {
            let (guard, gate) = scope_guard(&module, span, &env.runtime);
            let machines = &tests.machines;
            quote! {
                #[cfg(test)]
                #[allow(non_snake_case)]
                mod #module {
                    #[allow(unused_imports)]
                    use super::*;
                    #gate! { #machines }
                }
                #guard
            }
        }
        _ => TokenStream::new(),
    };
    quote!(#imp #host #siblings)
}

/// The generated tests of an audited impl, and the names each method's record gives.
struct Tests {
    machines: TokenStream,
    /// By the method's index in the impl's items.
    names: std::collections::BTreeMap<usize, Vec<String>>,
}

impl Tests {
    /// Each tested method's own machine (when its `test` has `init`) and the impl's
    /// state machine over all of them; the errors of methods that did not pass go to
    /// `siblings`.
    fn emit(
        model: &ImplAudit<'_>,
        module: &syn::Ident,
        env: &Environment,
        siblings: &mut TokenStream,
    ) -> Tests {
        let mut tests = Tests {
            machines: TokenStream::new(),
            names: std::collections::BTreeMap::new(),
        };
        for m in model.methods.iter().filter(|m| !m.passed()) {
            siblings.extend(errors(&m.findings));
        }
        let impl_init = model
            .machine_test
            .as_ref()
            .is_some_and(|t| t.init.is_some());
        let sut = &model.plan.sut;
        let mut kinds = Vec::new();
        for &n in &model.plan.tested {
            let m = &model.methods[n];
            let Some(spec) = &m.audit.test else { continue };
            let f = m.function();
            let kind = proptest::call_kind(f, spec, &m.audit.runtime, &|t| {
                crate::walk::substitute(t, &model.plan.type_args)
            });
            let names = tests.names.entry(m.index).or_default();
            if let Some(init) = &spec.init {
                let machine = proptest::MachineSpec::audited(
                    spec,
                    quote!(#sut),
                    init,
                    &f.sig.ident,
                    &m.audit.runtime,
                );
                let one = proptest::machine(&machine, std::slice::from_ref(&kind), None);
                tests.machines.extend(one);
                names.push(format!("{module}::{}", f.sig.ident));
            }
            if impl_init {
                names.push(format!("{module}::state_machine"));
            }
            kinds.push(kind);
        }
        let state_machine = format_ident!("state_machine");
        let hosted = if let Some(spec) = &model.plan.machine
            && let Some(init) = &spec.init
        {
            let machine = proptest::MachineSpec::audited(
                spec,
                quote!(#sut),
                init,
                &state_machine,
                &env.runtime,
            );
            tests.machines.extend(proptest::machine(
                &machine,
                &kinds,
                Some(&model.plan.attacks),
            ));
            true
        } else {
            false
        };
        if let Some(trait_name) = &model.plan.piece {
            tests.machines.extend(piece(
                trait_name,
                hosted.then_some(&state_machine),
                &kinds,
                model,
                &env.runtime,
            ));
        }
        tests
    }
}

/// A trait impl's calls as a piece another impl's state machine may interleave
/// (`with = "<Trait>"`): its own state machine's calls, or a machine of them without a test.
fn piece(
    trait_name: &str,
    hosted: Option<&syn::Ident>,
    kinds: &[proptest::CallKind],
    model: &ImplAudit<'_>,
    runtime: &syn::Path,
) -> TokenStream {
    let sut = &model.plan.sut;
    let key = crate::level::piece_key(trait_name);
    let piece = format_ident!("piece");
    let (module, items) = match hosted {
        Some(module) => (module, TokenStream::new()),
        None => {
            let unbuilt = format!(
                "distaudit: the calls of `impl {trait_name} for {}` are run by the state machine that names it in `with`, which builds the receiver",
                model.type_name
            );
            let spec = proptest::MachineSpec {
                sut: quote!(#sut),
                init: quote!(::core::unreachable!(#unbuilt)),
                type_invariants: true,
                cases: 1,
                steps: 1,
                vacuous_ok: true,
                module: &piece,
                test: None,
                joins: Vec::new(),
                runtime,
                gate: None,
            };
            (
                &piece,
                proptest::machine(&spec, kinds, Some(&model.plan.attacks)),
            )
        }
    };
    quote! {
        #items
        #runtime::__require_test_feature! {
            #[cfg(test)]
            #[allow(private_interfaces)]
            impl #runtime::__private::machine::Piece<#key> for #sut {
                type Call = #module::Call;
            }
        }
    }
}
