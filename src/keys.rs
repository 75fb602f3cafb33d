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

/// Whether `children`, in any order, tile `parent`: no gap and no overlap between them,
/// the first starting at the parent's start and the last ending at its end (an empty bound
/// unbounded, as in [`KeyRange`]). What a split's children must do (D2.2); write it as a
/// check on a type that holds them: `invariant(holds = "distaudit::tiles(&self.parent,
/// &self.children)")`. An empty set of children tiles nothing.
#[must_use]
pub fn tiles<P: KeyRange + ?Sized, C: KeyRange>(parent: &P, children: &[C]) -> bool {
    let mut sorted: Vec<&C> = children.iter().collect();
    sorted.sort_by(|a, b| a.start_key().cmp(b.start_key()));
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else {
        return false;
    };
    if first.start_key() != parent.start_key() || last.end_key() != parent.end_key() {
        return false;
    }
    sorted.windows(2).all(|pair| {
        let end = pair[0].end_key();
        !end.is_empty() && end == pair[1].start_key()
    }) && sorted.iter().all(|c| {
        let end = c.end_key();
        end.is_empty() || c.start_key() < end
    })
}

/// Whether no two of `ranges` share a key (half-open, empty bounds unbounded): shards owned
/// at one time never overlap. `invariant(holds = "distaudit::disjoint(&self.owned())")`.
#[must_use]
pub fn disjoint<R: KeyRange>(ranges: &[R]) -> bool {
    let mut sorted: Vec<&R> = ranges.iter().collect();
    sorted.sort_by(|a, b| a.start_key().cmp(b.start_key()));
    sorted.windows(2).all(|pair| {
        let end = pair[0].end_key();
        !end.is_empty() && end <= pair[1].start_key()
    })
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

    /// Issue 21, workaround 6: a plan holding a `Vec` of child ranges states that they tile
    /// the parent and do not overlap.
    #[test]
    fn children_tile_their_parent_and_do_not_overlap() {
        let parent = R(b"b", b"");
        assert!(tiles(&parent, &[R(b"m", b""), R(b"b", b"m")]));
        assert!(!tiles(&parent, &[R(b"b", b"m"), R(b"n", b"")]), "a gap");
        assert!(
            !tiles(&parent, &[R(b"b", b"n"), R(b"m", b"")]),
            "an overlap"
        );
        assert!(!tiles(&parent, &[R(b"c", b"")]), "starts late");
        assert!(!tiles(&parent, &[R(b"b", b"z")]), "ends early");
        assert!(
            !tiles(&parent, &[R(b"b", b""), R(b"b", b"")]),
            "twice the whole"
        );
        assert!(!tiles(&parent, &[] as &[R]));
        assert!(
            !tiles(
                &R(b"a", b"c"),
                &[R(b"a", b"b"), R(b"b", b"b"), R(b"b", b"c")]
            ),
            "an empty child"
        );
        assert!(disjoint(&[R(b"a", b"b"), R(b"c", b""), R(b"b", b"c")]));
        assert!(!disjoint(&[R(b"a", b"c"), R(b"b", b"d")]));
        assert!(
            !disjoint(&[R(b"a", b""), R(b"z", b"zz")]),
            "an unbounded end covers the rest"
        );
        assert!(disjoint(&[] as &[R]));
    }
}
