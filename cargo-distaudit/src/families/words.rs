//! Identifier words: how the detector reads names (`renew_lease` is `renew` + `lease`,
//! `OpId` and `op_id` are both the compound `opid`).

use syn::visit::Visit;

/// An identifier's words, lowercase, with the compounds coordination code writes as one
/// name (`op_id` and `OpId` are both `opid`).
#[derive(Clone, Debug, Default)]
pub struct Words {
    pub(super) words: Vec<String>,
}

impl Words {
    #[must_use]
    pub fn of(idents: &[String]) -> Words {
        let mut words = Vec::new();
        for i in idents {
            words.extend(words_of(i));
        }
        Words { words }
    }

    pub(super) fn extend(&mut self, other: &Words) {
        self.words.extend(other.words.iter().cloned());
    }

    /// Whether a word, or a compound of two adjacent words (`opid`), is present.
    pub(super) fn has(&self, w: &str) -> bool {
        self.words.iter().any(|x| x == w)
            || self.words.windows(2).any(|p| {
                p[0].len() + p[1].len() == w.len() && w.starts_with(&p[0]) && w.ends_with(&p[1])
            })
    }

    pub(super) fn any(&self, ws: &[&str]) -> bool {
        ws.iter().any(|w| self.has(w))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// `renew_lease` -> `["renew", "lease"]`; `FenceEpoch` -> `["fence", "epoch"]`.
#[must_use]
pub fn words_of(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in ident.trim_start_matches("r#").chars() {
        if ch == '_' || !ch.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        cur.extend(ch.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The identifier words of a syntax node, collected by walking it (no tokens are
/// rebuilt: a node's words are asked for often).
struct Idents(Words);

impl<'ast> Visit<'ast> for Idents {
    fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
        self.0.words.extend(words_of(&i.to_string()));
    }
}

/// A node the detector reads words from.
pub(super) trait Named {
    fn words(&self) -> Words;
}

macro_rules! named {
    ($($ty:ty => $visit:ident),* $(,)?) => {
        $(impl Named for $ty {
            fn words(&self) -> Words {
                let mut v = Idents(Words::default());
                v.$visit(self);
                v.0
            }
        })*
    };
}

named! {
    syn::Expr => visit_expr,
    syn::Type => visit_type,
    syn::FnArg => visit_fn_arg,
    syn::Path => visit_path,
    syn::Pat => visit_pat,
}

impl<T: Named> Named for Box<T> {
    fn words(&self) -> Words {
        (**self).words()
    }
}

pub(super) fn token_words(node: &impl Named) -> Words {
    node.words()
}

/// The words of a macro's tokens (`json!({ "holder": .. })`, `select! { .. }`): read as
/// identifiers and string contents, never parsed.
pub(super) fn macro_words(tokens: &proc_macro2::TokenStream, out: &mut Words) {
    for t in tokens.clone() {
        match t {
            proc_macro2::TokenTree::Ident(i) => out.words.extend(words_of(&i.to_string())),
            proc_macro2::TokenTree::Group(g) => macro_words(&g.stream(), out),
            proc_macro2::TokenTree::Literal(l) => {
                let s = l.to_string();
                if s.starts_with('"') {
                    out.words.extend(words_of(&s));
                }
            }
            proc_macro2::TokenTree::Punct(_) => {}
        }
    }
}

/// Words that make a `lock` a lease: a time to live, or an expiry others rely on.
pub(super) const TTL_WORDS: [&str; 10] = [
    "ttl",
    "expiration",
    "expiry",
    "expires",
    "expire",
    "validity",
    "px",
    "lease",
    "drift",
    "leaseduration",
];
