//! Recognising distaudit's attributes and reading items' names, attributes and paths as
//! the source writes them. What an attribute means is the engine's; this file only finds it.

use crate::engine::{self, Finding};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt as _;
use syn::spanned::Spanned;

/// The attribute names of the `distaudit` runtime as one crate reaches it.
#[derive(Clone, Copy, Debug)]
pub struct Runtime<'a> {
    /// `distaudit`, or the name a renamed dependency has (`da`).
    pub name: &'a str,
    /// The names the module being read gives `coordination` (`use distaudit::coordination
    /// as coord;`).
    pub aliases: &'a [String],
}

impl<'a> Runtime<'a> {
    /// `#[coordination(..)]`, `#[distaudit::coordination(..)]`, `#[<renamed>::coordination]`
    /// or the module's alias: what the macro itself recognises, by the engine's own test.
    pub(super) fn is_coordination(self, attr: &syn::Attribute) -> bool {
        engine::is_coordination(attr, self.name, self.aliases)
    }

    /// The same runtime, in a module whose aliases are `aliases`.
    pub(super) fn in_module(self, aliases: &'a [String]) -> Runtime<'a> {
        Runtime {
            name: self.name,
            aliases,
        }
    }

    /// `#[distaudit::audit]` (or `#[audit]` imported, or `#[<renamed>::audit]`), raw
    /// identifiers read as their names.
    pub(super) fn is_audit(self, attr: &syn::Attribute) -> bool {
        let segs: Vec<String> = attr
            .path()
            .segments
            .iter()
            .map(|s| engine::ident_text(&s.ident))
            .collect();
        match segs.as_slice() {
            [n] => n == "audit",
            [krate, n] => n == "audit" && (krate == "distaudit" || krate == self.name),
            _ => false,
        }
    }
}

pub(super) fn path_is(path: &syn::Path, want: &[&str]) -> bool {
    path.segments.len() == want.len() && path.segments.iter().zip(want).all(|(s, w)| s.ident == w)
}

/// `#[cfg(test)]`, `#[test]` and friends: code that only tests run.
pub(super) fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let p = a.path();
        if p.segments
            .last()
            .is_some_and(|s| s.ident == "test" || s.ident == "bench")
        {
            return true;
        }
        path_is(p, &["cfg"])
            && a.meta.require_list().is_ok_and(|l| {
                let text = l.tokens.to_string();
                !text.trim_start().starts_with("not")
                    && text
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|w| w == "test")
            })
    })
}

/// The attributes of an item of any kind.
pub(super) fn attrs_of(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(x) => &x.attrs,
        syn::Item::Enum(x) => &x.attrs,
        syn::Item::ExternCrate(x) => &x.attrs,
        syn::Item::Fn(x) => &x.attrs,
        syn::Item::ForeignMod(x) => &x.attrs,
        syn::Item::Impl(x) => &x.attrs,
        syn::Item::Macro(x) => &x.attrs,
        syn::Item::Mod(x) => &x.attrs,
        syn::Item::Static(x) => &x.attrs,
        syn::Item::Struct(x) => &x.attrs,
        syn::Item::Trait(x) => &x.attrs,
        syn::Item::TraitAlias(x) => &x.attrs,
        syn::Item::Type(x) => &x.attrs,
        syn::Item::Union(x) => &x.attrs,
        syn::Item::Use(x) => &x.attrs,
        _ => &[],
    }
}

pub(super) fn attrs_mut_of(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(x) => &mut x.attrs,
        syn::Item::Enum(x) => &mut x.attrs,
        syn::Item::ExternCrate(x) => &mut x.attrs,
        syn::Item::Fn(x) => &mut x.attrs,
        syn::Item::ForeignMod(x) => &mut x.attrs,
        syn::Item::Impl(x) => &mut x.attrs,
        syn::Item::Macro(x) => &mut x.attrs,
        syn::Item::Mod(x) => &mut x.attrs,
        syn::Item::Static(x) => &mut x.attrs,
        syn::Item::Struct(x) => &mut x.attrs,
        syn::Item::Trait(x) => &mut x.attrs,
        syn::Item::TraitAlias(x) => &mut x.attrs,
        syn::Item::Type(x) => &mut x.attrs,
        syn::Item::Union(x) => &mut x.attrs,
        syn::Item::Use(x) => &mut x.attrs,
        _ => return None,
    })
}

pub(super) fn impl_item_attrs(item: &syn::ImplItem) -> &[syn::Attribute] {
    match item {
        syn::ImplItem::Const(x) => &x.attrs,
        syn::ImplItem::Fn(x) => &x.attrs,
        syn::ImplItem::Type(x) => &x.attrs,
        syn::ImplItem::Macro(x) => &x.attrs,
        _ => &[],
    }
}

pub(super) fn trait_item_attrs(item: &syn::TraitItem) -> &[syn::Attribute] {
    match item {
        syn::TraitItem::Const(x) => &x.attrs,
        syn::TraitItem::Fn(x) => &x.attrs,
        syn::TraitItem::Type(x) => &x.attrs,
        syn::TraitItem::Macro(x) => &x.attrs,
        _ => &[],
    }
}

pub(super) fn impl_item_attrs_mut(item: &mut syn::ImplItem) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::ImplItem::Const(x) => &mut x.attrs,
        syn::ImplItem::Fn(x) => &mut x.attrs,
        syn::ImplItem::Type(x) => &mut x.attrs,
        syn::ImplItem::Macro(x) => &mut x.attrs,
        _ => return None,
    })
}

pub(super) fn trait_item_attrs_mut(item: &mut syn::TraitItem) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::TraitItem::Const(x) => &mut x.attrs,
        syn::TraitItem::Fn(x) => &mut x.attrs,
        syn::TraitItem::Type(x) => &mut x.attrs,
        syn::TraitItem::Macro(x) => &mut x.attrs,
        _ => return None,
    })
}

/// The first `#[coordination]` of `node` split off: the annotation's arguments, the
/// item's tokens without that attribute (what the macro receives) and the attribute's
/// span (where a finding without a span of its own points, as rustc's call site does).
pub(super) fn split<T: ToTokens + Clone>(
    node: &T,
    existing: &[syn::Attribute],
    runtime: Runtime<'_>,
    attrs: impl Fn(&mut T) -> Option<&mut Vec<syn::Attribute>>,
) -> Option<(Result<TokenStream, Finding>, TokenStream, Span)> {
    // Most items carry no annotation: look before cloning.
    let pos = existing.iter().position(|a| runtime.is_coordination(a))?;
    let mut bare = node.clone();
    let attr = attrs(&mut bare)?.remove(pos);
    let args = engine::attribute_arguments(&attr.meta);
    Some((args, bare.to_token_stream(), attr.span()))
}

pub(super) fn path_of(module: &[String], name: &str) -> String {
    let mut parts: Vec<&str> = module.iter().map(String::as_str).collect();
    parts.push(name);
    parts.join("::")
}

/// The name and shape words of an item, for paths and reports.
pub(super) fn name_and_shape(item: &syn::Item) -> (String, &'static str) {
    use syn::Item;
    let shape = engine::shape_of(item);
    let name = match item {
        Item::Fn(f) => f.sig.ident.to_string(),
        Item::Struct(s) => s.ident.to_string(),
        Item::Enum(e) => e.ident.to_string(),
        Item::Trait(t) => t.ident.to_string(),
        Item::Impl(i) => impl_name(i),
        Item::Mod(m) => m.ident.to_string(),
        Item::Const(c) => c.ident.to_string(),
        Item::Static(s) => s.ident.to_string(),
        Item::Type(t) => t.ident.to_string(),
        Item::Union(u) => u.ident.to_string(),
        Item::Macro(m) => m
            .ident
            .as_ref()
            .map_or_else(|| shape.to_string(), ToString::to_string),
        _ => shape.to_string(),
    };
    (name, shape)
}

pub(super) fn impl_name(i: &syn::ItemImpl) -> String {
    engine::type_name(&i.self_ty).unwrap_or_else(|| "impl".to_string())
}

/// Methods of the standard traits (Display, From, Clone...) are plumbing, not decisions.
/// `Ord`/`PartialOrd`, `Drop` and `Iterator` are read: the order of a vote or a ballot
/// decides who leads, a lock guard's drop is its release, a backoff's `next` is its policy.
pub(super) fn is_plumbing(i: &syn::ItemImpl) -> bool {
    i.trait_.as_ref().is_some_and(|(p, _)| {
        p.segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "Display"
                    | "Debug"
                    | "From"
                    | "Into"
                    | "TryFrom"
                    | "Clone"
                    | "PartialEq"
                    | "Eq"
                    | "Hash"
                    | "Default"
                    | "Error"
                    | "Serialize"
                    | "Deserialize"
                    | "Serializer"
                    | "Deserializer"
                    | "Visitor"
                    | "FromStr"
                    | "AsRef"
                    | "AsMut"
                    | "Borrow"
                    | "Deref"
                    | "DerefMut"
                    | "IntoIterator"
                    | "DoubleEndedIterator"
                    | "ExactSizeIterator"
                    | "Extend"
                    | "FromIterator"
                    | "Index"
                    | "IndexMut"
                    | "ToTokens"
                    | "Parse"
                    | "Arbitrary"
                    | "Strategy"
                    | "ValueTree"
            )
        })
    })
}

/// `#[path = "x.rs"]` and `#[cfg_attr(cond, path = "x.rs")]`: every branch.
pub(super) fn path_attrs(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs {
        if path_is(a.path(), &["path"]) {
            if let syn::Meta::NameValue(nv) = &a.meta
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
            {
                out.push(s.value());
            }
        } else if path_is(a.path(), &["cfg_attr"])
            && let Ok(list) = a.meta.require_list()
        {
            let text = list.tokens.clone().into_iter().collect::<Vec<_>>();
            for w in text.windows(3) {
                if let (
                    proc_macro2::TokenTree::Ident(i),
                    proc_macro2::TokenTree::Punct(p),
                    proc_macro2::TokenTree::Literal(l),
                ) = (&w[0], &w[1], &w[2])
                    && i == "path"
                    && p.as_char() == '='
                    && let Ok(s) = syn::parse_str::<syn::LitStr>(&l.to_string())
                {
                    out.push(s.value());
                }
            }
        }
    }
    out
}

/// A path as written, identifiers only (no generic arguments), unraw'd: `::a::Trait`.
pub(super) fn written_path(path: &syn::Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|s| s.ident.unraw().to_string())
        .collect();
    format!(
        "{}{}",
        if path.leading_colon.is_some() {
            "::"
        } else {
            ""
        },
        segments.join("::")
    )
}

/// `module::r#Trait` with its identifiers unraw'd, as paths name them.
pub(super) fn unraw_path(path: &str) -> String {
    path.split("::")
        .map(|s| s.trim_start_matches("r#"))
        .collect::<Vec<_>>()
        .join("::")
}
