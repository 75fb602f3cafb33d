//! Where generated tests live: the module that hosts an audited impl's tests, named the
//! same in every build, and the probe that refuses a test Rust's harness could not run.

use super::tokens::{at, stable_hash, token_text};
use crate::attribute::is_coordination;
use crate::item::{self, ident_text};
use crate::level::ImplAudit;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

/// The module that hosts the tests of an impl's methods: `distaudit_<type>_<hash>` for an
/// inherent impl, `distaudit_<type>_<trait>_<hash>` for a trait impl. A type may have several
/// audited impls in one module, so the name carries a hash of what tells them apart: the
/// impl's header (generics, trait, self type) and the names of its annotated methods (two
/// inherent impls of one type cannot define the same method). The hash depends on tokens
/// only, so it is the same in every build; `cargo test distaudit_<type>` still selects them
/// all.
pub(super) fn host_module(
    imp: &syn::ItemImpl,
    model: &ImplAudit<'_>,
    runtime: &syn::Path,
    aliases: &[String],
) -> syn::Ident {
    let mut name = item::type_ident(&imp.self_ty)
        .map(ident_text)
        .unwrap_or_default();
    if let Some((path, _)) = &imp.trait_
        && let Some(last) = path.segments.last()
    {
        name = format!("{name}_{}", ident_text(&last.ident));
    }
    let mut snake = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 && !snake.ends_with('_') {
                snake.push('_');
            }
            snake.extend(ch.to_lowercase());
        } else {
            snake.push(ch);
        }
    }
    let path = imp.trait_.as_ref().map(|(path, _)| path);
    let generics = &imp.generics;
    let where_clause = &imp.generics.where_clause;
    let self_ty = &imp.self_ty;
    let mut identity = String::new();
    token_text(
        quote!(#generics #where_clause #path for #self_ty),
        &mut identity,
    );
    for (index, impl_item) in imp.items.iter().enumerate() {
        if let syn::ImplItem::Fn(f) = impl_item
            && (model.method_at(index).is_some()
                || f.attrs.iter().any(|a| is_coordination(a, runtime, aliases)))
        {
            identity.push(' ');
            identity.push_str(&ident_text(&f.sig.ident));
        }
    }
    format_ident!(
        "distaudit_{}_{:08x}",
        snake,
        stable_hash(&identity) & 0xffff_ffff
    )
}

/// Refuses a generated test that would never run: one defined inside a function body,
/// which the test harness cannot name. The macro cannot see where its item is, so it asks
/// the compiler (the scope probe the runtime's `scope` module provides): beside the hosting module it
/// puts a trait of its own, which a module nested in the same scope sees only at module
/// level; inside a function body the probe's call falls back to the runtime's answer,
/// whose unmet bound says what is wrong, spanned on `test`. In test builds the hosting
/// module's items also pass through a macro (`gate`) defined after the module and
/// re-exported by path, which only the module-level case can name, so a test inside a
/// function adds no unresolved names of its own to the error. Returns the tokens to put
/// after the hosting module, and the gate.
pub(super) fn scope_guard(
    module: &syn::Ident,
    span: Span,
    runtime: &syn::Path,
) -> (TokenStream, syn::Ident) {
    let private = quote!(#runtime::__private);
    let probe_trait = format_ident!("__distaudit_scope_of_{}", module);
    let gate = format_ident!("__distaudit_items_of_{}", module);
    let id = stable_hash(&ident_text(module));
    let call = at(
        &quote!(#private::at_module_level(#private::ScopeProbe::<#id>.distaudit_scope())),
        span,
    );
    let tokens = quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        trait #probe_trait {
            fn distaudit_scope(self) -> #private::ModuleLevel;
        }
        impl #probe_trait for #private::ScopeProbe<#id> {
            fn distaudit_scope(self) -> #private::ModuleLevel {
                #private::ModuleLevel
            }
        }
        const _: () = {
            #[allow(unused_imports)]
            mod distaudit_scope {
                use super::*;
                use #private::InFunctionBody as _;
                #[allow(dead_code)]
                fn probe() {
                    #call;
                }
            }
        };
        #[cfg(test)]
        #[doc(hidden)]
        #[allow(unused_macros)]
        macro_rules! #gate {
            ($($items:tt)*) => { $($items)* };
        }
        #[cfg(test)]
        #[allow(unused_imports)]
        use #gate;
    };
    (tokens, gate)
}
