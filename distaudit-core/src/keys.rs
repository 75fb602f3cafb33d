//! What a key's type is, as far as syntax can tell (D3.3).

use syn::{GenericArgument, PathArguments, Type};

/// A key type's classification. Types syntax cannot see through (aliases, newtypes) are
/// `Opaque` and are checked by a static `LexKey` assertion instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyType {
    /// `Vec<u8>`, `Box<[u8]>`, `[u8]`, `[u8; N]`, `Cow<[u8]>`, `Bytes`, references to these.
    Bytes,
    /// `String`, `str`, `char`, ...
    Textual(String),
    /// Integers and floats.
    Numeric(String),
    /// `Option<T>` around another key type.
    Optional(Box<KeyType>),
    /// Anything else.
    Opaque,
}

impl KeyType {
    /// A byte string, possibly inside `Option`.
    #[must_use]
    pub fn is_byte_string(&self) -> bool {
        match self {
            KeyType::Bytes => true,
            KeyType::Optional(inner) => inner.is_byte_string(),
            _ => false,
        }
    }
}

const TEXTUAL: [&str; 6] = ["String", "str", "char", "OsString", "OsStr", "PathBuf"];
const NUMERIC: [&str; 14] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64",
];

fn single_arg(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

fn is_u8(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("u8"))
}

/// Classify a key's type, looking through `Option`, `Box`, `Rc`, `Arc`, `Cow` and references.
#[must_use]
pub fn classify(ty: &Type) -> KeyType {
    match ty {
        Type::Reference(r) => classify(&r.elem),
        Type::Group(g) => classify(&g.elem),
        Type::Paren(p) => classify(&p.elem),
        Type::Slice(s) if is_u8(&s.elem) => KeyType::Bytes,
        Type::Array(a) if is_u8(&a.elem) => KeyType::Bytes,
        Type::Path(p) if p.qself.is_none() => {
            let Some(seg) = p.path.segments.last() else {
                return KeyType::Opaque;
            };
            let name = seg.ident.to_string();
            match name.as_str() {
                "Option" => single_arg(seg).map_or(KeyType::Opaque, |t| {
                    KeyType::Optional(Box::new(classify(t)))
                }),
                "Box" | "Rc" | "Arc" | "Cow" => single_arg(seg).map_or(KeyType::Opaque, classify),
                "Vec" => match single_arg(seg) {
                    Some(t) if is_u8(t) => KeyType::Bytes,
                    _ => KeyType::Opaque,
                },
                "Bytes" => KeyType::Bytes,
                n if TEXTUAL.contains(&n) => KeyType::Textual(n.to_string()),
                n if NUMERIC.contains(&n) => KeyType::Numeric(n.to_string()),
                _ => KeyType::Opaque,
            }
        }
        _ => KeyType::Opaque,
    }
    .flatten_textual()
}

impl KeyType {
    /// `Option<String>` is refused like `String`: report the inner textual/numeric type.
    fn flatten_textual(self) -> KeyType {
        match self {
            KeyType::Optional(inner) => match *inner {
                t @ (KeyType::Textual(_) | KeyType::Numeric(_)) => t,
                other => KeyType::Optional(Box::new(other)),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn classifies_keys() {
        let c = |t: Type| classify(&t);
        assert_eq!(c(parse_quote!(Box<[u8]>)), KeyType::Bytes);
        assert_eq!(c(parse_quote!(&'a [u8])), KeyType::Bytes);
        assert_eq!(c(parse_quote!([u8; 32])), KeyType::Bytes);
        assert_eq!(c(parse_quote!(std::borrow::Cow<'a, [u8]>)), KeyType::Bytes);
        assert_eq!(
            c(parse_quote!(Option<Vec<u8>>)),
            KeyType::Optional(Box::new(KeyType::Bytes))
        );
        assert_eq!(c(parse_quote!(String)), KeyType::Textual("String".into()));
        assert_eq!(
            c(parse_quote!(Option<Box<str>>)),
            KeyType::Textual("str".into())
        );
        assert_eq!(c(parse_quote!(&u64)), KeyType::Numeric("u64".into()));
        assert_eq!(c(parse_quote!(Vec<char>)), KeyType::Opaque);
        assert_eq!(c(parse_quote!(ShardKey)), KeyType::Opaque);
    }
}
