//! The annotated item: which shape it is, and the facts rules need about it.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{FnArg, Item, ReturnType, Type};

/// An identifier's name without the `r#` of a raw identifier: what generated names are
/// built from (`format_ident!("distaudit_{}", ..)` panics on `r#match`).
#[must_use]
pub fn ident_text(ident: &syn::Ident) -> String {
    ident.unraw().to_string()
}

pub use crate::walk::mentions_impl_trait;

/// An item the annotation supports.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub enum Subject {
    /// A free function, a method, or a trait method with a default body.
    Fn(syn::ItemFn),
    Struct(syn::ItemStruct),
    Enum(syn::ItemEnum),
    Impl(syn::ItemImpl),
    Trait(syn::ItemTrait),
    /// An inline module.
    Mod(syn::ItemMod),
}

/// What the attribute was put on.
#[cfg_attr(test, derive(Debug))]
pub enum Parsed {
    Supported(Box<Subject>),
    /// A shape the annotation does not support, with its name in words.
    Unsupported {
        shape: &'static str,
        span: Span,
        hint: &'static str,
    },
    /// Tokens that are not an item at all; rustc reports the syntax error itself.
    Unparsed(syn::Error),
}

/// A function's tokens, split once into what precedes its body and the body's brace group,
/// so the attribute can analyse the function without its body, add to its attributes and
/// wrap its body without walking or re-printing the tokens again.
#[derive(Clone, Debug)]
pub struct FnTokens {
    /// The outer attributes (`#` and its bracket group, in pairs).
    attrs: Vec<proc_macro2::TokenTree>,
    /// Visibility, qualifiers and signature.
    signature: Vec<proc_macro2::TokenTree>,
    /// The body.
    pub body: proc_macro2::Group,
}

impl FnTokens {
    /// Split a function item; `None` for anything else (a type, an impl, a bodiless fn).
    #[must_use]
    pub fn split(item: &TokenStream) -> Option<Self> {
        use proc_macro2::{Delimiter, TokenTree};
        let mut trees: Vec<TokenTree> = item.clone().into_iter().collect();
        let Some(TokenTree::Group(body)) = trees.pop() else {
            return None;
        };
        if body.delimiter() != Delimiter::Brace {
            return None;
        }
        let mut attrs_end = 0;
        while matches!(trees.get(attrs_end), Some(TokenTree::Punct(p)) if p.as_char() == '#')
            && matches!(trees.get(attrs_end + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket)
        {
            attrs_end += 2;
        }
        let signature = trees.split_off(attrs_end);
        const OTHER_ITEMS: [&str; 9] = [
            "struct",
            "enum",
            "union",
            "impl",
            "trait",
            "mod",
            "type",
            "static",
            "macro_rules",
        ];
        // The words before `fn` (`pub`, `const`, `unsafe`, ..), each printed once.
        let mut is_fn = false;
        for tree in &signature {
            if let TokenTree::Ident(i) = tree {
                let word = i.to_string();
                if word == "fn" {
                    is_fn = true;
                    break;
                }
                if OTHER_ITEMS.contains(&word.as_str()) {
                    return None;
                }
            }
        }
        is_fn.then_some(FnTokens {
            attrs: trees,
            signature,
            body,
        })
    }

    /// The function with its body emptied and its doc comments left out: what is analysed
    /// when nothing the rules look for is in the body ([`crate::pipeline::needs_body`]).
    /// Analysing it gives the same findings as the whole function, without building a
    /// syntax tree of the body or reading the docs' text (no rule reads either, and syn
    /// parses each `#[doc = ".."]` through its expression parser).
    #[must_use]
    pub fn lean(&self) -> TokenStream {
        use proc_macro2::TokenTree;
        let mut empty = proc_macro2::Group::new(proc_macro2::Delimiter::Brace, TokenStream::new());
        empty.set_span(self.body.span());
        let is_doc = |attr: &TokenTree| {
            matches!(attr, TokenTree::Group(g)
                if matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc"))
        };
        let mut out = TokenStream::new();
        for pair in self.attrs.chunks(2) {
            if !pair.get(1).is_some_and(is_doc) {
                out.extend(pair.iter().cloned());
            }
        }
        out.extend(self.signature.iter().cloned());
        out.extend([TokenTree::Group(empty)]);
        out
    }

    /// The function with `added` after its own attributes (so a doc follows the user's) and
    /// `body` as the stream of its body, which keeps its span; `None` keeps the body group
    /// as written.
    #[must_use]
    pub fn rebuild(self, added: TokenStream, body: Option<TokenStream>) -> TokenStream {
        let group = match body {
            Some(body) => {
                let mut group = proc_macro2::Group::new(proc_macro2::Delimiter::Brace, body);
                group.set_span(self.body.span());
                group
            }
            None => self.body,
        };
        let mut out: TokenStream = self.attrs.into_iter().collect();
        out.extend(added);
        out.extend(self.signature);
        out.extend([proc_macro2::TokenTree::Group(group)]);
        out
    }
}

/// A struct's fields by name (`0`, `1`, .. in a tuple struct; a raw identifier by its name):
/// how the roles of `fields(..)` name them.
#[must_use]
pub fn struct_fields(s: &syn::ItemStruct) -> Vec<(String, &syn::Field)> {
    s.fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                f.ident.as_ref().map_or_else(|| i.to_string(), ident_text),
                f,
            )
        })
        .collect()
}

/// The field called `name` among `fields` (`r#type` matches `type`).
#[must_use]
pub fn find_field<'v, 'a>(
    fields: &'v [(String, &'a syn::Field)],
    name: &str,
) -> Option<&'v (String, &'a syn::Field)> {
    let name = name.trim_start_matches("r#");
    fields.iter().find(|(n, _)| n == name)
}

/// Classify the annotated item.
#[must_use]
pub fn parse(item: TokenStream) -> Parsed {
    // A trait method without a default body is not an `Item`.
    let bodyless = |tokens: TokenStream| {
        syn::parse2::<syn::TraitItemFn>(tokens)
            .ok()
            .filter(|f| f.default.is_none())
            .map(|f| Parsed::Unsupported {
                shape: "a trait method without a default body",
                span: f.sig.ident.span(),
                hint: "give the method a default body, or annotate the trait itself so the \
                       decision record covers every implementation",
            })
    };
    let parsed = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Verbatim(tokens)) => {
            if let Some(p) = bodyless(tokens.clone()) {
                return p;
            }
            Item::Verbatim(tokens)
        }
        Ok(parsed) => parsed,
        Err(e) => return bodyless(item).unwrap_or(Parsed::Unparsed(e)),
    };
    let unsupported = |shape, span, hint| Parsed::Unsupported { shape, span, hint };
    const MOVE: &str = "annotate the function, type or module that makes the coordination decision";
    match parsed {
        Item::Fn(f) => Parsed::Supported(Box::new(Subject::Fn(f))),
        Item::Struct(s) => Parsed::Supported(Box::new(Subject::Struct(s))),
        Item::Enum(e) => Parsed::Supported(Box::new(Subject::Enum(e))),
        Item::Impl(i) => Parsed::Supported(Box::new(Subject::Impl(i))),
        Item::Trait(t) => Parsed::Supported(Box::new(Subject::Trait(t))),
        Item::Mod(m) if m.content.is_some() => Parsed::Supported(Box::new(Subject::Mod(m))),
        Item::Mod(m) => unsupported(
            "an out-of-line module (`mod name;`)",
            m.ident.span(),
            "annotate the items inside the module's file, or write the module inline",
        ),
        Item::Const(c) => unsupported("a `const` item", c.const_token.span, MOVE),
        Item::Static(s) => unsupported("a `static` item", s.static_token.span, MOVE),
        Item::Macro(m) => unsupported(
            "a macro definition or invocation",
            m.mac.path.span(),
            "annotate the functions the macro expands to, or the module that holds them",
        ),
        Item::Type(t) => unsupported("a type alias", t.type_token.span, MOVE),
        Item::Use(u) => unsupported("a `use` item", u.use_token.span, MOVE),
        Item::Union(u) => unsupported("a union", u.union_token.span, MOVE),
        other => unsupported("this kind of item", other.span(), MOVE),
    }
}

impl Subject {
    /// The item's name.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Subject::Fn(f) => f.sig.ident.to_string(),
            Subject::Struct(s) => s.ident.to_string(),
            Subject::Enum(e) => e.ident.to_string(),
            Subject::Impl(i) => type_name(&i.self_ty).unwrap_or_default(),
            Subject::Trait(t) => t.ident.to_string(),
            Subject::Mod(m) => m.ident.to_string(),
        }
    }

    /// `function`, `struct`, ...: for messages.
    #[must_use]
    pub fn shape(&self) -> &'static str {
        match self {
            Subject::Fn(_) => shapes::FUNCTION,
            Subject::Struct(_) => shapes::STRUCT,
            Subject::Enum(_) => shapes::ENUM,
            Subject::Impl(_) => shapes::IMPL,
            Subject::Trait(_) => shapes::TRAIT,
            Subject::Mod(_) => shapes::MODULE,
        }
    }

    /// The item's outer attributes (those left after the one being expanded).
    #[must_use]
    pub fn attrs(&self) -> &[syn::Attribute] {
        match self {
            Subject::Fn(f) => &f.attrs,
            Subject::Struct(s) => &s.attrs,
            Subject::Enum(e) => &e.attrs,
            Subject::Impl(i) => &i.attrs,
            Subject::Trait(t) => &t.attrs,
            Subject::Mod(m) => &m.attrs,
        }
    }

    /// The function, when the subject is one.
    #[must_use]
    pub fn as_fn(&self) -> Option<&syn::ItemFn> {
        match self {
            Subject::Fn(f) => Some(f),
            _ => None,
        }
    }
}

/// The words findings and reports call items by: one place for both front ends.
pub mod shapes {
    pub const FUNCTION: &str = "function";
    pub const STRUCT: &str = "struct";
    pub const ENUM: &str = "enum";
    pub const IMPL: &str = "impl block";
    pub const TRAIT: &str = "trait";
    pub const MODULE: &str = "module";
    pub const CONST: &str = "const";
    pub const STATIC: &str = "static";
    pub const TYPE_ALIAS: &str = "type alias";
    pub const UNION: &str = "union";
    pub const MACRO: &str = "macro";
    pub const METHOD: &str = "method";
    pub const TRAIT_METHOD: &str = "trait method";
    pub const OTHER: &str = "item";
}

/// What an item is, in [`shapes`]' words.
#[must_use]
pub fn shape_of(item: &syn::Item) -> &'static str {
    use syn::Item;
    match item {
        Item::Fn(_) => shapes::FUNCTION,
        Item::Struct(_) => shapes::STRUCT,
        Item::Enum(_) => shapes::ENUM,
        Item::Trait(_) => shapes::TRAIT,
        Item::Impl(_) => shapes::IMPL,
        Item::Mod(_) => shapes::MODULE,
        Item::Const(_) => shapes::CONST,
        Item::Static(_) => shapes::STATIC,
        Item::Type(_) => shapes::TYPE_ALIAS,
        Item::Union(_) => shapes::UNION,
        Item::Macro(_) => shapes::MACRO,
        _ => shapes::OTHER,
    }
}

/// The last path segment of a type, `Foo` for `crate::x::Foo<T>` (`r#Epochs` stays raw).
#[must_use]
pub fn type_name(ty: &Type) -> Option<String> {
    type_ident(ty).map(ToString::to_string)
}

/// The identifier of a type's last path segment.
#[must_use]
pub fn type_ident(ty: &Type) -> Option<&syn::Ident> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| &s.ident),
        Type::Reference(r) => type_ident(&r.elem),
        Type::Group(g) => type_ident(&g.elem),
        Type::Paren(p) => type_ident(&p.elem),
        _ => None,
    }
}

/// Whether the function can change state: `&mut self`, `mut self`, or a `&mut` parameter.
#[must_use]
pub fn changes_state(sig: &syn::Signature) -> bool {
    sig.inputs.iter().any(|arg| match arg {
        FnArg::Receiver(r) => {
            r.mutability.is_some()
                || matches!(&r.kind, syn::ReceiverKind::Reference(_, _, Some(_)))
                || matches!(&r.kind, syn::ReceiverKind::Typed(_, ty) if is_mut_ref(ty))
        }
        FnArg::Typed(pt) => is_mut_ref(&pt.ty),
    })
}

fn is_mut_ref(ty: &Type) -> bool {
    matches!(ty, Type::Reference(r) if r.mutability.is_some())
}

/// How a function returns, as far as `ret` is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// `()` or no return type: there is no `ret`.
    Unit,
    /// `Result<T, E>` (any path ending in `Result`): `ret` is the `Ok` value.
    Result,
    /// `Option<T>`: `ret` is the `Some` value.
    Option,
    /// Anything else: `ret` is the value.
    Value,
}

/// Classify the return type by its last path segment (aliases are not seen through).
#[must_use]
pub fn returns(sig: &syn::Signature) -> Returns {
    match &sig.output {
        ReturnType::Default => Returns::Unit,
        ReturnType::Type(_, ty) => match &**ty {
            Type::Tuple(t) if t.elems.is_empty() => Returns::Unit,
            Type::Path(p) => match p.path.segments.last() {
                Some(s) if s.ident == "Result" => Returns::Result,
                Some(s) if s.ident == "Option" => Returns::Option,
                _ => Returns::Value,
            },
            _ => Returns::Value,
        },
    }
}
