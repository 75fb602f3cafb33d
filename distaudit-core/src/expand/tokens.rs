//! Small token builders every emitter uses: the check gates, spans moved onto what the user
//! wrote, doc attributes, and a hash that is the same in every build.

use super::env::{Checks, Environment};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

/// The attribute that keeps statements out of builds with checks, the negation of [`gate`]:
/// `None` when checks always run.
pub(super) fn gate_off(checks: Checks) -> Option<TokenStream> {
    match checks {
        Checks::Always => None,
        Checks::DebugAndTest | Checks::Off => {
            Some(quote!(#[cfg(not(any(debug_assertions, test)))]))
        }
    }
}

/// The attribute that gates check statements: a built-in cfg for the default mode, nothing
/// when checks always run.
pub(super) fn gate(checks: Checks) -> TokenStream {
    match checks {
        Checks::Always => TokenStream::new(),
        Checks::DebugAndTest | Checks::Off => quote!(#[cfg(any(debug_assertions, test))]),
    }
}

/// `<runtime>::__private` with every span set to `span` (see [`at`]), built from the path's
/// syntax rather than by walking its tokens: once or twice per woven check.
pub(super) fn private_at(runtime: &syn::Path, span: Span) -> TokenStream {
    let mut path = runtime.clone();
    if let Some(colons) = &mut path.leading_colon {
        colons.spans = [span, span];
    }
    for mut pair in path.segments.pairs_mut() {
        pair.value_mut().ident.set_span(span);
        if let syn::punctuated::Pair::Punctuated(_, colons) = pair {
            colons.spans = [span, span];
        }
    }
    let private = syn::Ident::new("__private", span);
    quote_spanned!(span=> #path::#private)
}

/// `tokens` with every span set to `span` ([`crate::walk::respan`]).
pub(crate) use crate::walk::respan as at;

/// The text of tokens, one space between tokens, whatever spacing the source or a macro
/// gave them: what a hash of an item's identity reads.
pub(super) fn token_text(tokens: TokenStream, out: &mut String) {
    for t in tokens {
        match t {
            proc_macro2::TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Brace => ("{", "}"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push(' ');
                token_text(g.stream(), out);
                out.push_str(close);
            }
            other => out.push_str(&other.to_string()),
        }
        out.push(' ');
    }
}

/// FNV-1a: a hash that is the same in every build and on every platform (std's hashers
/// promise neither).
pub(super) fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// `#[doc = ".."]` as tokens, built directly: no syntax tree to print.
pub(super) fn doc_tokens(doc: &str) -> TokenStream {
    use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, TokenTree};
    let span = Span::call_site();
    let inner: TokenStream = [
        TokenTree::Ident(Ident::new("doc", span)),
        TokenTree::Punct(Punct::new('=', Spacing::Alone)),
        TokenTree::Literal(Literal::string(doc)),
    ]
    .into_iter()
    .collect();
    [
        TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Bracket, inner)),
    ]
    .into_iter()
    .collect()
}

/// `#[doc = ".."]`, built directly rather than parsed from tokens.
pub(super) fn doc_attr(doc: &str) -> syn::Attribute {
    let span = Span::call_site();
    syn::Attribute {
        pound_token: syn::Token![#](span),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(span),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Ident::new("doc", span).into(),
            eq_token: syn::Token![=](span),
            value: syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(doc, span)),
            }),
        }),
    }
}

/// The item's own tokens with the decision record after its leading attributes (so it
/// follows the user's docs): nothing of the item is re-printed.
pub(super) fn insert_doc(item: TokenStream, doc: &str) -> TokenStream {
    let mut tokens = item.into_iter().peekable();
    let mut out = TokenStream::new();
    loop {
        let is_attr =
            matches!(tokens.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '#');
        if !is_attr {
            break;
        }
        let mut probe = tokens.clone();
        probe.next();
        if !matches!(probe.peek(), Some(proc_macro2::TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Bracket)
        {
            break;
        }
        out.extend(tokens.next());
        out.extend(tokens.next());
    }
    out.extend(doc_tokens(doc));
    out.extend(tokens);
    out
}

/// Take `#[coordination]` (in any form) off `attrs`, for a macro that expands it itself,
/// keeping the user's `use` of the attribute from turning unused. Whether it is one, and
/// what it says, the engine has read already.
pub(super) fn strip_coordination(
    attrs: &mut Vec<syn::Attribute>,
    env: &Environment,
    uses: &mut TokenStream,
) {
    if let Some(pos) = attrs
        .iter()
        .position(|a| crate::attribute::is_coordination(a, &env.runtime, &env.aliases))
    {
        let attr = attrs.remove(pos);
        let path = attr.path();
        uses.extend(quote!(const _: () = { #[allow(unused_imports)] use #path as _; };));
    }
}
