//! Code generated for typed structs: `KeyRange` for shards, `LexKey` assertions for keys.

use crate::annotation::Annotation;
use crate::item::Subject;
use crate::keys::{KeyType, classify};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// Whether a type mentions one of the struct's generic parameters (then it cannot be named
/// outside the impl, and the impl's `where` clause carries the check instead).
fn mentions_generics(ty: &syn::Type, generics: &syn::Generics) -> bool {
    let text = quote!(#ty).to_string();
    generics.params.iter().any(|p| match p {
        syn::GenericParam::Type(t) => text
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| t.ident == w),
        syn::GenericParam::Lifetime(l) => text.contains(&l.lifetime.to_string()),
        syn::GenericParam::Const(c) => text
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| c.ident == w),
    })
}

fn field<'a>(s: &'a syn::ItemStruct, name: &str) -> Option<(syn::Member, &'a syn::Field)> {
    s.fields.iter().enumerate().find_map(|(i, f)| {
        let matches = f
            .ident
            .as_ref()
            .map_or_else(|| i.to_string() == name, |id| id == name);
        matches.then(|| {
            let member = match &f.ident {
                Some(id) => syn::Member::Named(id.clone()),
                None => syn::Member::Unnamed(syn::Index::from(i)),
            };
            (member, f)
        })
    })
}

/// A static assertion that `ty` is a `LexKey` (D3.3), spanned on the type.
fn assert_lex_key(ty: &syn::Type) -> TokenStream {
    quote_spanned!(ty.span()=> ::distaudit::__private::static_assertions::assert_impl_all!(#ty: ::distaudit::LexKey);)
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

pub(super) fn generate(subject: &Subject, annotation: &Annotation) -> TokenStream {
    let Subject::Struct(s) = subject else {
        return TokenStream::new();
    };
    let has = |p: &str| annotation.patterns.iter().any(|id| id.value == p);
    let mut out = TokenStream::new();
    if has("cursor")
        && let Some((_, f)) = field(s, &annotation.field_for("last_key", "last_key"))
    {
        let key = unwrap_option(&f.ty);
        if !mentions_generics(key, &s.generics) && classify(key) != KeyType::Bytes {
            out.extend(assert_lex_key(key));
        }
    }
    if has("shard") {
        let start = field(s, &annotation.field_for("start", "start"));
        let end = field(s, &annotation.field_for("end", "end"));
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
                    predicates.push(quote_spanned!(ty.span()=> #ty: ::distaudit::LexKey));
                }
            }
            let start_call =
                quote_spanned!(sf.ty.span()=> ::distaudit::LexKey::key_bytes(&self.#sm));
            let end_call = quote_spanned!(ef.ty.span()=> ::distaudit::LexKey::key_bytes(&self.#em));
            let where_clause = if predicates.is_empty() {
                TokenStream::new()
            } else {
                quote!(where #(#predicates),*)
            };
            out.extend(quote! {
                impl #impl_g ::distaudit::KeyRange for #name #ty_g #where_clause {
                    fn start_key(&self) -> &[u8] {
                        #start_call
                    }
                    fn end_key(&self) -> &[u8] {
                        #end_call
                    }
                }
            });
        }
    }
    out
}
