//! Reading an argument list: its entries (`name = "value"`, `name(..)`, a stray literal),
//! their names and spans, string values and expressions, and the finding for bad form.

use super::{ExprArg, Id};
use crate::diag::{Code, Finding};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Lit, Meta, Token};

pub(super) const GRAMMAR: &str =
    "#[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]";

pub(super) fn malformed(span: Span, what: impl Into<String>, fix: impl Into<String>) -> Finding {
    Finding::new(
        Code::Malformed,
        span,
        what,
        "an annotation is a list of `name = \"value\"` arguments and `name(..)` groups (see the distaudit docs)",
        fix,
    )
}

/// One entry of an argument list: a meta item, or a literal where a name was expected.
#[allow(clippy::large_enum_variant)]
pub(super) enum Entry {
    Meta(Meta),
    Lit(Lit),
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(Lit) {
            input.parse().map(Entry::Lit)
        } else {
            input.parse().map(Entry::Meta)
        }
    }
}

pub(super) fn entries(tokens: TokenStream) -> syn::Result<Vec<Entry>> {
    if let Some(read) = entries_by_segment(&tokens) {
        return Ok(read);
    }
    // The general reading, which also words every error.
    Punctuated::<Entry, Token![,]>::parse_terminated
        .parse2(tokens)
        .map(|p| p.into_iter().collect())
}

/// The entries read one comma-separated segment at a time: `name = literal` (a gate's
/// `pattern = "..", cite = ".."`) and `name(..)` built as syn would parse them but without
/// its parser (for `name = literal`, its expression parser is most of the cost of reading
/// such an entry), and any other segment parsed by syn alone. `None` when a segment is empty or does not read as one entry (a comma
/// inside a closure or generic arguments splits a value): the caller then reads the whole
/// list as before, so what is accepted and every error are unchanged.
pub(super) fn entries_by_segment(tokens: &TokenStream) -> Option<Vec<Entry>> {
    use proc_macro2::{Spacing, TokenTree};
    let mut out = Vec::new();
    let mut segment: Vec<TokenTree> = Vec::new();
    let mut trees = tokens.clone().into_iter().peekable();
    while trees.peek().is_some() {
        segment.clear();
        for tree in trees.by_ref() {
            if matches!(&tree, TokenTree::Punct(p) if p.as_char() == ',' && p.spacing() == Spacing::Alone)
            {
                break;
            }
            segment.push(tree);
        }
        out.push(match segment.as_slice() {
            [] => return None,
            [
                TokenTree::Ident(name),
                TokenTree::Punct(eq),
                TokenTree::Literal(lit),
            ] if eq.as_char() == '=' && eq.spacing() == Spacing::Alone => {
                Entry::Meta(Meta::NameValue(syn::MetaNameValue {
                    path: name.clone().into(),
                    eq_token: Token![=](eq.span()),
                    value: Expr::Lit(syn::ExprLit {
                        attrs: Vec::new(),
                        lit: Lit::new(lit.clone()),
                    }),
                }))
            }
            // `name(..)` (`invariant(..)`, `ensures(..)`): syn keeps a list's tokens as they
            // are, so this is its reading too.
            [TokenTree::Ident(name), TokenTree::Group(list)]
                if list.delimiter() == proc_macro2::Delimiter::Parenthesis =>
            {
                Entry::Meta(Meta::List(syn::MetaList {
                    path: name.clone().into(),
                    delimiter: syn::MacroDelimiter::Paren(syn::token::Paren {
                        span: list.delim_span(),
                    }),
                    tokens: list.stream(),
                }))
            }
            _ => syn::parse2::<Entry>(segment.iter().cloned().collect()).ok()?,
        });
    }
    Some(out)
}

/// Where an argument's name is: its identifier's span when it is one (syn's `Spanned` prints
/// the path to tokens to join its ends, for every entry).
pub(super) fn path_span(path: &syn::Path) -> Span {
    match path.get_ident() {
        Some(ident) => ident.span(),
        None => path.span(),
    }
}

/// An argument's name: its single identifier (raw identifiers unraw'd, keywords such as
/// `crate` included), or the path as written when it has several segments.
pub(super) fn name_of(path: &syn::Path) -> String {
    match path.get_ident() {
        Some(ident) => ident.unraw().to_string(),
        None => path
            .segments
            .iter()
            .map(|s| s.ident.unraw().to_string())
            .collect::<Vec<_>>()
            .join("::"),
    }
}

/// `name = "value"` with a non-empty string value.
pub(super) fn string_value(meta: &Meta, findings: &mut Vec<Finding>) -> Option<Id> {
    let name = name_of(meta.path());
    let nv = match meta {
        Meta::NameValue(nv) => nv,
        Meta::Path(p) => {
            findings.push(malformed(
                p.span(),
                format!("`{name}` needs a value"),
                format!("write `{name} = \"...\"`"),
            ));
            return None;
        }
        Meta::List(l) => {
            findings.push(malformed(
                l.path.span(),
                format!("`{name}` takes a value, not a list"),
                format!("write `{name} = \"...\"`, once per value"),
            ));
            return None;
        }
    };
    lit_str(&nv.value, &name, findings)
}

pub(super) fn lit_str(value: &Expr, name: &str, findings: &mut Vec<Finding>) -> Option<Id> {
    match value {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            let v = s.value();
            if v.trim().is_empty() {
                findings.push(malformed(
                    s.span(),
                    format!("`{name}` is empty"),
                    format!("give `{name}` a value, or remove it"),
                ));
                None
            } else {
                Some(Id {
                    value: v,
                    span: s.span(),
                })
            }
        }
        other => {
            let shown = crate::suggest::shown(&other.to_token_stream().to_string());
            // What to put between the quotes: the text of a byte or C string, an identifier
            // or number as written, else a placeholder.
            let inner = match other {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::ByteStr(b),
                    ..
                }) => String::from_utf8_lossy(&b.value()).into_owned(),
                Expr::Lit(syn::ExprLit {
                    lit: Lit::CStr(c), ..
                }) => c.value().to_string_lossy().into_owned(),
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Int(i), ..
                }) => i.to_string(),
                Expr::Path(p) if p.path.get_ident().is_some() => shown.clone(),
                _ => "<value>".to_string(),
            };
            findings.push(
                malformed(
                    other.span(),
                    format!("`{name}` takes a string literal, found `{shown}`"),
                    format!("write `{name} = \"{}\"`", crate::suggest::shown(&inner)),
                )
                .on(other),
            );
            None
        }
    }
}

pub(super) fn push_id(meta: &Meta, into: &mut Vec<Id>, findings: &mut Vec<Finding>) {
    if let Some(id) = string_value(meta, findings) {
        if into.iter().any(|x| x.value == id.value) {
            let name = name_of(meta.path());
            findings.push(Finding::new(
                Code::Duplicate,
                id.span,
                format!("`{name} = \"{}\"` is given twice", id.value),
                "a repeated id adds nothing and usually hides a typo elsewhere",
                "remove the repetition",
            ));
        } else {
            into.push(id);
        }
    }
}

/// The entries inside `name(..)`.
pub(super) fn list_items(
    meta: &Meta,
    findings: &mut Vec<Finding>,
    example: &str,
) -> Option<Vec<Entry>> {
    let name = name_of(meta.path());
    let Meta::List(list) = meta else {
        findings.push(malformed(
            meta.path().span(),
            format!("`{name}` takes a list"),
            format!("write {example}"),
        ));
        return None;
    };
    match entries(list.tokens.clone()) {
        Ok(items) if items.is_empty() => {
            findings.push(malformed(
                list.path.span(),
                format!("`{name}(..)` is empty"),
                format!("write {example}"),
            ));
            None
        }
        Ok(items) => Some(items),
        Err(e) => {
            findings.push(malformed(
                e.span(),
                format!("cannot read `{name}(..)`: {e}"),
                format!("write {example}"),
            ));
            None
        }
    }
}

pub(super) fn entry_span(item: &Entry) -> Span {
    match item {
        Entry::Meta(m) => m.span(),
        Entry::Lit(l) => l.span(),
    }
}

pub(super) fn name_value(
    item: &Entry,
    findings: &mut Vec<Finding>,
    example: &str,
) -> Option<(Id, Id)> {
    match item {
        Entry::Meta(Meta::NameValue(nv)) => {
            let key = name_of(&nv.path);
            let value = lit_str(&nv.value, &key, findings)?;
            Some((
                Id {
                    value: key,
                    span: nv.path.span(),
                },
                value,
            ))
        }
        other => {
            findings.push(malformed(
                entry_span(other),
                "expected `name = \"value\"` here",
                format!("write {example}"),
            ));
            None
        }
    }
}

pub(super) fn expr_arg(id: Id, findings: &mut Vec<Finding>) -> Option<ExprArg> {
    match syn::LitStr::new(&id.value, id.span).parse::<Expr>() {
        Ok(expr) => Some(ExprArg { text: id, expr }),
        Err(e) => {
            findings.push(Finding::new(
                Code::BadInvariant,
                id.span,
                format!("`{}` is not a Rust expression: {e}", id.value),
                "invariant and test arguments are Rust expressions over `self`, the parameters and `ret`",
                "write an expression such as `self.fence` or `self.records.get(&shard).map(|r| r.fence)`",
            ));
            None
        }
    }
}
