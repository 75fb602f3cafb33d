//! The contract traits: lexicographic byte keys and half-open key ranges.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

/// A byte string ordered lexicographically: the only key type for shard ranges and cursors
/// (decision D3.3).
///
/// Implemented for `[u8]`, `[u8; N]`, `Vec<u8>`, `Box<[u8]>`, `Rc<[u8]>`, `Arc<[u8]>`,
/// `Cow<[u8]>` and references to these. A newtype opts in by implementing it. `String`,
/// `str` and integers never implement it: text and numbers do not sort like the keyspace.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0032 BLOCK] `{Self}` is not a lexicographically ordered byte key (D3.3)",
    label = "not a `distaudit::LexKey`",
    note = "why: locked decision D3.3: all key ranges use lexicographically ordered byte strings; text and integers do not sort like the keyspace",
    note = "fix: use `Box<[u8]>`, `Vec<u8>` or `[u8; N]`, or implement `distaudit::LexKey` for a byte-string newtype"
)]
pub trait LexKey {
    /// The key's bytes, compared lexicographically.
    fn key_bytes(&self) -> &[u8];
}

impl LexKey for [u8] {
    fn key_bytes(&self) -> &[u8] {
        self
    }
}

impl<const N: usize> LexKey for [u8; N] {
    fn key_bytes(&self) -> &[u8] {
        self
    }
}

impl LexKey for Vec<u8> {
    fn key_bytes(&self) -> &[u8] {
        self
    }
}

impl LexKey for Box<[u8]> {
    fn key_bytes(&self) -> &[u8] {
        self
    }
}

impl LexKey for Rc<[u8]> {
    fn key_bytes(&self) -> &[u8] {
        self
    }
}

impl LexKey for Arc<[u8]> {
    fn key_bytes(&self) -> &[u8] {
        self
    }
}

impl LexKey for Cow<'_, [u8]> {
    fn key_bytes(&self) -> &[u8] {
        self
    }
}

impl<T: LexKey + ?Sized> LexKey for &T {
    fn key_bytes(&self) -> &[u8] {
        (**self).key_bytes()
    }
}

impl<T: LexKey + ?Sized> LexKey for &mut T {
    fn key_bytes(&self) -> &[u8] {
        (**self).key_bytes()
    }
}

/// A half-open range `[start, end)` of byte keys (decision D2.2); an empty bound is
/// unbounded on that side. `#[coordination(pattern = "shard")]` implements it for a struct.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0031 BLOCK] `{Self}` is not a half-open key range (D2.2)",
    label = "not a `distaudit::KeyRange`",
    note = "why: locked decision D2.2: shard ranges are half-open [start, end) over byte keys",
    note = "fix: annotate the range type with `#[coordination(pattern = \"shard\", cite = ..)]`, or implement `distaudit::KeyRange`"
)]
pub trait KeyRange {
    /// The inclusive start; empty means unbounded below.
    fn start_key(&self) -> &[u8];
    /// The exclusive end; empty means unbounded above.
    fn end_key(&self) -> &[u8];
    /// `start <= key < end`, with empty bounds unbounded.
    fn contains_key(&self, key: &[u8]) -> bool {
        let end = self.end_key();
        key >= self.start_key() && (end.is_empty() || key < end)
    }
}

impl<T: KeyRange + ?Sized> KeyRange for &T {
    fn start_key(&self) -> &[u8] {
        (**self).start_key()
    }
    fn end_key(&self) -> &[u8] {
        (**self).end_key()
    }
}

impl<T: KeyRange + ?Sized> KeyRange for Box<T> {
    fn start_key(&self) -> &[u8] {
        (**self).start_key()
    }
    fn end_key(&self) -> &[u8] {
        (**self).end_key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct R(&'static [u8], &'static [u8]);
    impl KeyRange for R {
        fn start_key(&self) -> &[u8] {
            self.0
        }
        fn end_key(&self) -> &[u8] {
            self.1
        }
    }

    #[test]
    fn half_open_with_unbounded_ends() {
        let r = R(b"b", b"d");
        assert!(!r.contains_key(b"a"));
        assert!(r.contains_key(b"b"));
        assert!(r.contains_key(b"c\xff"));
        assert!(!r.contains_key(b"d"));
        assert!(R(b"", b"").contains_key(b""));
        assert!(R(b"", b"b").contains_key(b"a"));
        assert!(R(b"b", b"").contains_key(b"zzzz"));
        assert!(!R(b"b", b"").contains_key(b"a"));
    }
}
