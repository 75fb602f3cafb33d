//! Code generated for typed structs: `KeyRange` for shards, `LexKey` assertions for keys.

use crate::analyze::Audit;
use crate::catalogue::Role;
use crate::expand::at;
use crate::item::Subject;
use crate::keys::{KeyType, classify};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// Whether a type mentions one of the struct's generic parameters (then it cannot be named
/// outside the impl, and the impl's `where` clause carries the check instead).
fn mentions_generics(ty: &syn::Type, generics: &syn::Generics) -> bool {
    let mut idents = Vec::new();
    let mut lifetimes = Vec::new();
    for p in &generics.params {
        match p {
            syn::GenericParam::Type(t) => idents.push(&t.ident),
            syn::GenericParam::Const(c) => idents.push(&c.ident),
            syn::GenericParam::Lifetime(d) => lifetimes.push(&d.lifetime.ident),
        }
    }
    crate::walk::mentions_any(ty, &idents, &lifetimes)
}

/// Whether `ty` names a type or const parameter of `generics` (lifetimes aside).
fn mentions_type_params(ty: &syn::Type, generics: &syn::Generics) -> bool {
    let idents: Vec<&syn::Ident> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(&t.ident),
            syn::GenericParam::Const(c) => Some(&c.ident),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    crate::walk::mentions_any(ty, &idents, &[])
}

/// The field called `name`, with how to access it (`self.start`, `self.0`).
fn field<'a>(s: &'a syn::ItemStruct, name: &str) -> Option<(syn::Member, &'a syn::Field)> {
    let fields = crate::item::struct_fields(s);
    let (position, f) = crate::item::find_field(&fields, name)?;
    let member = match &f.ident {
        Some(id) => syn::Member::Named(id.clone()),
        None => syn::Member::Unnamed(syn::Index::from(position.parse::<usize>().ok()?)),
    };
    Some((member, *f))
}

/// A static assertion that `ty` is a `LexKey` (D3.3), spanned on the type.
fn assert_lex_key(ty: &syn::Type, runtime: &syn::Path) -> TokenStream {
    let runtime = at(&quote!(#runtime), ty.span());
    quote_spanned!(ty.span()=> #runtime::__private::static_assertions::assert_impl_all!(#ty: #runtime::LexKey);)
}

/// The inner type of `Option<T>`, or the type itself.
fn unwrap_option(ty: &syn::Type) -> &syn::Type {
    if let syn::Type::Path(p) = ty
        && let Some(seg) = p.path.segments.last()
        && seg.ident == "Option"
        && let syn::PathArguments::AngleBracketed(a) = &seg.arguments
        && let Some(syn::GenericArgument::Type(inner)) = a.args.first()
    {
        return inner;
    }
    ty
}

pub(super) fn generate(subject: &Subject, audit: &Audit<'_>) -> TokenStream {
    let Subject::Struct(s) = subject else {
        return TokenStream::new();
    };
    let runtime = &audit.runtime;
    let mut out = TokenStream::new();
    if let Some(key) = audit.role(Role::LastKey)
        && let Some((member, f)) = field(s, &key.field)
    {
        let key = unwrap_option(&f.ty);
        if !mentions_generics(key, &s.generics) && classify(key) != KeyType::Bytes {
            out.extend(assert_lex_key(key, runtime));
        }
        // The position the attacking cursor step orders cursors by: for every lifetime a
        // borrowed cursor (`CursorUpdate<'a>`) has, not for type parameters.
        if !mentions_type_params(key, &s.generics) {
            let name = &s.ident;
            let (impl_g, ty_g, where_c) = s.generics.split_for_impl();
            out.extend(quote! {
                #[doc(hidden)]
                impl #impl_g #runtime::__private::CursorKey for #name #ty_g #where_c {
                    fn distaudit_cursor_key(&self) -> ::core::option::Option<&[u8]> {
                        #runtime::__private::WithinKey::within_key(&self.#member)
                    }
                }
            });
        }
    }
    if let Some(range) = audit.role(Role::Range)
        && let Some((_, f)) = field(s, &range.field)
        && !mentions_generics(&f.ty, &s.generics)
    {
        // A carried range is checked to be a `KeyRange` (D2.2), spanned on its type.
        let ty = &f.ty;
        let runtime = at(&quote!(#runtime), ty.span());
        out.extend(quote_spanned!(ty.span()=> #runtime::__private::static_assertions::assert_impl_all!(#ty: #runtime::KeyRange);));
    }
    let start = audit.role(Role::Start).and_then(|r| field(s, &r.field));
    let end = audit.role(Role::End).and_then(|r| field(s, &r.field));
    if let (Some((sm, sf)), Some((em, ef))) = (start, end) {
        let name = &s.ident;
        let (impl_g, ty_g, where_c) = s.generics.split_for_impl();
        let mut predicates: Vec<TokenStream> = where_c
            .map(|w| w.predicates.iter().map(|p| quote!(#p)).collect())
            .unwrap_or_default();
        for f in [sf, ef] {
            let ty = &f.ty;
            // Concrete types are checked by the impl itself (its calls are spanned on the
            // field types), generic ones by a where clause: one error, on the type.
            if mentions_generics(ty, &s.generics) {
                let runtime = at(&quote!(#runtime), ty.span());
                predicates.push(quote_spanned!(ty.span()=> #ty: #runtime::LexKey));
            }
        }
        let call = |ty: &syn::Type, member: &syn::Member| {
            let runtime = at(&quote!(#runtime), ty.span());
            quote_spanned!(ty.span()=> #runtime::LexKey::key_bytes(&self.#member))
        };
        let start_call = call(&sf.ty, &sm);
        let end_call = call(&ef.ty, &em);
        let where_clause = if predicates.is_empty() {
            TokenStream::new()
        } else {
            quote!(where #(#predicates),*)
        };
        out.extend(quote! {
            impl #impl_g #runtime::KeyRange for #name #ty_g #where_clause {
                fn start_key(&self) -> &[u8] {
                    #start_call
                }
                fn end_key(&self) -> &[u8] {
                    #end_call
                }
            }
        });
    }
    out
}
