//! How failure reports show values: never the bytes of a key (keys may hold secrets), yet
//! enough to explain the failure. Woven checks, type invariants and the steps of generated
//! tests all describe values here, so they word them alike.

use crate::{KeyRange, LexKey};
use std::cmp::Ordering;
use std::ffi::OsStr;
use std::fmt::{Debug, Write as _};
use std::sync::OnceLock;

/// The environment variable that shows values in clear, in a local test run.
pub const REVEAL_VAR: &str = "DISTAUDIT_REVEAL";

/// Revealed byte strings print at most this many bytes, then their length.
const SHOWN_BYTES: usize = 32;

/// Whether failure reports show values in clear: only in test builds (the `proptest`
/// feature, a dev-dependency), only when `DISTAUDIT_REVEAL=1`, and never when `CI` is set,
/// so that no CI log holds a key. Read once per process.
#[must_use]
pub fn revealing() -> bool {
    static REVEAL: OnceLock<bool> = OnceLock::new();
    *REVEAL.get_or_init(|| {
        cfg!(feature = "proptest")
            && reveal_asked(
                std::env::var_os(REVEAL_VAR).as_deref(),
                std::env::var_os("CI").is_some(),
            )
    })
}

/// `DISTAUDIT_REVEAL=1`, outside CI.
fn reveal_asked(reveal: Option<&OsStr>, ci: bool) -> bool {
    !ci && reveal == Some(OsStr::new("1"))
}

/// A short, stable fingerprint: never the raw bytes (keys may hold secrets).
#[must_use]
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // FNV-1a leaves the top bits of short inputs alike; a final avalanche spreads them.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^= hash >> 33;
    let mut out = format!("len {} #", bytes.len());
    let _ = write!(out, "{:04x}..", hash >> 48);
    out
}

/// A byte key as a report shows it: length and fingerprint, or `b"k"` when revealing.
#[must_use]
pub fn key_text(bytes: &[u8]) -> String {
    if !revealing() {
        return fingerprint(bytes);
    }
    let shown = &bytes[..bytes.len().min(SHOWN_BYTES)];
    let mut out = format!("b\"{}\"", shown.escape_ascii());
    if bytes.len() > SHOWN_BYTES {
        let _ = write!(out, ".. ({} bytes)", bytes.len());
    }
    out
}

/// Describe a range by its bounds: `[len 1 #ab12.., len 1 #cd34..)`.
#[must_use]
pub fn describe_range(range: Option<(&[u8], &[u8])>) -> String {
    match range {
        Some((s, e)) => format!("[{}, {})", key_text(s), key_text(e)),
        None => "None".to_string(),
    }
}

/// How `subject` compares with `reference` (named `name`), without a byte of either:
/// `lower than before, first difference at byte 0`, `higher than before, extends it`,
/// `equal to before`.
fn order(subject: &[u8], reference: &[u8], name: &str) -> String {
    let relation = match subject.cmp(reference) {
        Ordering::Equal => return format!("equal to {name}"),
        Ordering::Less => "lower than",
        Ordering::Greater => "higher than",
    };
    let first_difference = subject.iter().zip(reference).position(|(s, r)| s != r);
    match first_difference {
        Some(at) => format!("{relation} {name}, first difference at byte {at}"),
        None if subject.len() < reference.len() => format!("{relation} {name}, a prefix of it"),
        None => format!("{relation} {name}, extends it"),
    }
}

/// The lengths of two byte strings, joined by `sep` (`len 3 -> 1`), or one when the strings
/// are equal.
fn lengths(first: &[u8], second: &[u8], sep: &str) -> String {
    if first == second {
        format!("len {}", first.len())
    } else {
        format!("len {} {sep} {}", first.len(), second.len())
    }
}

/// Two byte keys compared by a failed check, said by order: `lower than before, first
/// difference at byte 0, len 3 -> 1` (`after` against `before`).
#[must_use]
pub fn explain_change(before: &[u8], after: &[u8]) -> String {
    let mut out = format!(
        "{}, {}",
        order(after, before, "before"),
        lengths(before, after, "->")
    );
    if revealing() {
        let _ = write!(
            out,
            " (before {}, after {})",
            key_text(before),
            key_text(after)
        );
    }
    out
}

/// The two sides of a failed comparison of byte keys, said by order: `left lower than
/// right, first difference at byte 2, len 3 vs 5`.
#[must_use]
pub fn explain_sides(left: &[u8], right: &[u8]) -> String {
    let mut out = format!(
        "left {}, {}",
        order(left, right, "right"),
        lengths(left, right, "vs")
    );
    if revealing() {
        let _ = write!(out, " (left {}, right {})", key_text(left), key_text(right));
    }
    out
}

/// A key outside `[start, end)`, said by order against the bound it crossed: `key lower
/// than the range's start, first difference at byte 0, len 1 vs 2`.
#[must_use]
pub fn explain_outside(key: &[u8], (start, end): (&[u8], &[u8])) -> String {
    let (bound, name) = if key < start {
        (start, "the range's start")
    } else {
        (end, "the range's end")
    };
    let mut out = format!(
        "key {}, {}",
        order(key, bound, name),
        lengths(key, bound, "vs")
    );
    if revealing() {
        let _ = write!(
            out,
            " (key {}, range {})",
            key_text(key),
            describe_range(Some((start, end)))
        );
    }
    out
}

/// Whether a `Debug` form holds nothing that could be a key's bytes: a bare name
/// (`Parked`), an integer, or a name around one of these (`FenceEpoch(7)`,
/// `Some(Epoch(3))`). Lists, text and structs with fields do not qualify.
fn is_clear_form(shown: &str) -> bool {
    let Some(tokens) = clear_tokens(shown) else {
        return false;
    };
    matches!(clear_value(&tokens, 0), Some(end) if end == tokens.len())
}

/// The tokens of a `Debug` form that can hold no key: names, numbers and the punctuation
/// of structs, tuples and variants. `None` at the first other character (a quote, a `[`).
fn clear_tokens(shown: &str) -> Option<Vec<&str>> {
    let mut tokens = Vec::new();
    let mut rest = shown.trim();
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = rest.trim_start();
            continue;
        }
        let len = if "(){},:".contains(c) {
            1
        } else if c.is_alphanumeric() || c == '_' || c == '-' {
            rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '-'))
                .unwrap_or(rest.len())
        } else if rest.starts_with("..") {
            2
        } else {
            return None;
        };
        let (token, after) = rest.split_at(len);
        tokens.push(token);
        rest = after;
    }
    Some(tokens)
}

/// One value at `at`: a name or number, optionally followed by `( values )` or
/// `{ name: value, .. }`, or a tuple `( values )`. The position after it.
fn clear_value(tokens: &[&str], at: usize) -> Option<usize> {
    let word = |t: &str| {
        let digits = t.strip_prefix('-').unwrap_or(t);
        let number = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
        let name = t.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && t.chars().all(|c| c.is_alphanumeric() || c == '_');
        number || name
    };
    let mut at = at;
    let named = tokens.get(at).is_some_and(|t| word(t));
    if named {
        at += 1;
    }
    match tokens.get(at) {
        // A newtype or a one-field variant: `FenceEpoch(7)`, `Some(3)`. Several fields, or a
        // bare tuple, could spell bytes one number each, and are not shown.
        Some(&"(") if named => {
            let end = clear_value(tokens, at + 1)?;
            (tokens.get(end) == Some(&")")).then_some(end + 1)
        }
        Some(&"{") if named => clear_list(tokens, at + 1, "}", |tokens, at| {
            if tokens.get(at) == Some(&"..") {
                return Some(at + 1);
            }
            tokens.get(at).filter(|t| word(t))?;
            (tokens.get(at + 1) == Some(&":")).then_some(())?;
            clear_value(tokens, at + 2)
        }),
        _ if named => Some(at),
        _ => None,
    }
}

/// Items separated by commas up to `close` (a trailing comma allowed); after `close`.
fn clear_list(
    tokens: &[&str],
    mut at: usize,
    close: &str,
    item: impl Fn(&[&str], usize) -> Option<usize>,
) -> Option<usize> {
    loop {
        if tokens.get(at) == Some(&close) {
            return Some(at + 1);
        }
        at = item(tokens, at)?;
        match tokens.get(at) {
            Some(&",") => at += 1,
            Some(t) if *t == close => return Some(at + 1),
            _ => return None,
        }
    }
}

/// A `Debug` form as a report shows it: in clear when it cannot hold a key
/// ([`is_clear_form`]) or when revealing, else as its fingerprint.
fn debug_text(shown: String) -> String {
    if revealing() || is_clear_form(&shown) {
        shown
    } else {
        fingerprint(shown.as_bytes())
    }
}

/// A message the code under test wrote itself (a panic, an `unwrap`), with every quoted
/// text and every list of integers (how `Debug` prints bytes) replaced by its fingerprint:
/// distaudit does not know what it holds. Unchanged when revealing.
#[must_use]
pub fn redact_message(message: &str) -> String {
    if revealing() {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(['"', '[']) {
        let (before, from) = rest.split_at(at);
        out.push_str(byte_string_prefix(before, from).unwrap_or(before));
        if let Some((inner, after)) = quoted(from) {
            out.push_str(&fingerprint(inner.as_bytes()));
            rest = after;
        } else if let Some((bytes, after)) = integer_list(from) {
            out.push_str(&fingerprint(&bytes));
            rest = after;
        } else {
            out.push_str(&from[..1]);
            rest = &from[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `before` without the `b` of a byte string `b"..."` that `from` starts.
fn byte_string_prefix<'s>(before: &'s str, from: &str) -> Option<&'s str> {
    let head = before.strip_suffix('b').filter(|_| from.starts_with('"'))?;
    (!head.ends_with(|c: char| c.is_alphanumeric() || c == '_')).then_some(head)
}

/// `"text"` (with escapes) at the start of `s`: the text and what follows.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_prefix('"')?;
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some((&body[..at], &body[at + 1..])),
            _ => escaped = false,
        }
    }
    None
}

/// `[1, 2, 3]` at the start of `s`: its values as bytes (integers above 255 in their
/// decimal text) and what follows. `[]` and lists of anything else are not taken.
fn integer_list(s: &str) -> Option<(Vec<u8>, &str)> {
    let (list, after) = s.strip_prefix('[')?.split_once(']')?;
    let mut bytes = Vec::new();
    for item in list.split(',') {
        let item = item.trim();
        let digits = item.strip_prefix('-').unwrap_or(item);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        match item.parse::<u8>() {
            Ok(byte) => bytes.push(byte),
            Err(_) => bytes.extend_from_slice(item.as_bytes()),
        }
    }
    Some((bytes, after))
}

/// Values that are no secret, shown in clear: integers, `bool`, `char`, and `Option`s of
/// them (a fence epoch, a count, a flag).
pub trait ClearText {
    /// The value as shown in a violation message.
    fn clear_text(&self) -> String;
}

macro_rules! clear_text {
    ($($t:ty),*) => {$(
        impl ClearText for $t {
            fn clear_text(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
clear_text!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, bool
);

impl ClearText for char {
    fn clear_text(&self) -> String {
        format!("{self:?}")
    }
}

impl<T: ClearText> ClearText for Option<T> {
    fn clear_text(&self) -> String {
        match self {
            Some(v) => format!("Some({})", v.clear_text()),
            None => "None".to_string(),
        }
    }
}

impl<T: ClearText + ?Sized> ClearText for &T {
    fn clear_text(&self) -> String {
        (**self).clear_text()
    }
}

/// How a failure report shows a `T`, and, for a byte key, how to read its bytes so that two
/// keys are explained by their order. Chosen where `T` is concrete, by [`probe`].
pub struct Describer<T: ?Sized> {
    show: fn(&T) -> String,
    key: Option<KeyBytes<T>>,
}

/// The bytes of a byte key, `None` for an absent optional one.
type KeyBytes<T> = fn(&T) -> Option<&[u8]>;

impl<T: ?Sized> Clone for Describer<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Describer<T> {}

impl<T: ?Sized> Describer<T> {
    /// The value as a report shows it.
    #[must_use]
    pub fn show(&self, value: &T) -> String {
        (self.show)(value)
    }

    /// The value's bytes, when it is a present byte key.
    fn key_of<'v>(&self, value: &'v T) -> Option<&'v [u8]> {
        self.key.and_then(|key| key(value))
    }
}

/// A change from `before` to `after` that a check refused: by order when both are byte
/// keys, else both values as shown.
#[must_use]
pub fn describe_change<T: ?Sized>(before: &T, after: &T, describe: Describer<T>) -> String {
    match (describe.key_of(before), describe.key_of(after)) {
        (Some(before), Some(after)) => explain_change(before, after),
        _ => format!(
            "before {}, after {}",
            describe.show(before),
            describe.show(after)
        ),
    }
}

/// Two sides of a comparison that came out false: by order when both are byte keys, else
/// both values as shown.
#[must_use]
pub fn describe_sides<L: ?Sized, R: ?Sized>(
    left: &L,
    describe_left: Describer<L>,
    right: &R,
    describe_right: Describer<R>,
) -> String {
    match (describe_left.key_of(left), describe_right.key_of(right)) {
        (Some(left), Some(right)) => explain_sides(left, right),
        _ => format!(
            "left {}, right {}",
            describe_left.show(left),
            describe_right.show(right)
        ),
    }
}

// How a failure report describes a `T`, chosen where `T` is concrete by autoderef
// specialisation: `probe(&v).describer()` finds the first of these wrappers whose inherent
// `describer` has its bound met, most specific first. Inherent methods need no trait in
// scope, so a check site names one function and imports nothing; only the chosen function
// pointers cross into the cold report.

/// Anything: described without its value. Holds the value, so a probe is also one side
/// of a comparison ([`DescribeClear::side`]).
pub struct DescribeOpaque<'a, T: ?Sized>(&'a T);
/// Anything with `Debug`: in clear when its form cannot hold a key (a bare variant name, an
/// integer newtype), anything else as the fingerprint of its debug form.
pub struct DescribeDebug<'a, T: ?Sized>(DescribeOpaque<'a, T>);
/// A key range: its bounds, each as a byte key.
pub struct DescribeRange<'a, T: ?Sized>(DescribeDebug<'a, T>);
/// An optional byte key: `Some` of its fingerprint.
pub struct DescribeOptKey<'a, T: ?Sized>(DescribeRange<'a, T>);
/// A byte key: length and fingerprint.
pub struct DescribeKey<'a, T: ?Sized>(DescribeOptKey<'a, T>);
/// A value shown in clear ([`ClearText`]).
pub struct DescribeClear<'a, T: ?Sized>(DescribeKey<'a, T>);

/// The describer probe for the type of `value`: call `.describer()` on it, or `.side()`
/// for the value with its describer.
#[inline(always)]
#[must_use]
pub fn probe<T: ?Sized>(value: &T) -> DescribeClear<'_, T> {
    DescribeClear(DescribeKey(DescribeOptKey(DescribeRange(DescribeDebug(
        DescribeOpaque(value),
    )))))
}

impl<'a, T: ?Sized> DescribeOpaque<'a, T> {
    /// The probed value (reached from every level through `Deref`).
    #[inline(always)]
    #[must_use]
    pub fn value(&self) -> &'a T {
        self.0
    }
}

/// One side of a comparison: the value, and how a failure report shows it.
pub struct Side<'a, T: ?Sized> {
    pub(crate) value: &'a T,
    pub(crate) describe: Describer<T>,
}

macro_rules! describe_falls_back {
    ($($outer:ident => $inner:ident),*) => {$(
        impl<'a, T: ?Sized> std::ops::Deref for $outer<'a, T> {
            type Target = $inner<'a, T>;
            #[inline(always)]
            fn deref(&self) -> &$inner<'a, T> {
                &self.0
            }
        }
    )*};
}
describe_falls_back!(
    DescribeClear => DescribeKey,
    DescribeKey => DescribeOptKey,
    DescribeOptKey => DescribeRange,
    DescribeRange => DescribeDebug,
    DescribeDebug => DescribeOpaque
);

// Each level's `describer` and `side` have the same bound, so `.side()` picks the same
// level `.describer()` would.
macro_rules! side_of_level {
    ($($level:ident where $($bound:path)?),*) => {$(
        impl<'a, T: ?Sized $(+ $bound)?> $level<'a, T> {
            /// The value with this level's describer.
            #[inline(always)]
            #[must_use]
            pub fn side(&self) -> Side<'a, T> {
                Side { value: self.value(), describe: self.describer() }
            }
        }
    )*};
}
side_of_level!(
    DescribeClear where ClearText,
    DescribeKey where LexKey,
    DescribeRange where KeyRange,
    DescribeDebug where Debug,
    DescribeOpaque where
);

impl<'a, K: LexKey> DescribeOptKey<'a, Option<K>> {
    /// The value with its describer.
    #[inline(always)]
    #[must_use]
    pub fn side(&self) -> Side<'a, Option<K>> {
        Side {
            value: self.value(),
            describe: self.describer(),
        }
    }
}

impl<T: ClearText + ?Sized> DescribeClear<'_, T> {
    /// Shows the value in clear.
    #[must_use]
    pub fn describer(&self) -> Describer<T> {
        Describer {
            show: |v| v.clear_text(),
            key: None,
        }
    }
}

impl<T: LexKey + ?Sized> DescribeKey<'_, T> {
    /// Shows length and fingerprint; compares by order.
    #[must_use]
    pub fn describer(&self) -> Describer<T> {
        Describer {
            show: |v| key_text(v.key_bytes()),
            key: Some(|v| Some(v.key_bytes())),
        }
    }
}

impl<K: LexKey> DescribeOptKey<'_, Option<K>> {
    /// Shows `None`, or `Some` of length and fingerprint; compares two `Some` by order.
    #[must_use]
    pub fn describer(&self) -> Describer<Option<K>> {
        Describer {
            show: |v| match v {
                Some(k) => format!("Some({})", key_text(k.key_bytes())),
                None => "None".to_string(),
            },
            key: Some(|v| v.as_ref().map(LexKey::key_bytes)),
        }
    }
}

impl<T: KeyRange + ?Sized> DescribeRange<'_, T> {
    /// Shows both bounds as byte keys.
    #[must_use]
    pub fn describer(&self) -> Describer<T> {
        Describer {
            show: |v| describe_range(Some((v.start_key(), v.end_key()))),
            key: None,
        }
    }
}

impl<T: Debug + ?Sized> DescribeDebug<'_, T> {
    /// Shows a bare variant name or an integer newtype in clear, anything else as a
    /// fingerprint.
    #[must_use]
    pub fn describer(&self) -> Describer<T> {
        Describer {
            show: |v| debug_text(format!("{v:?}")),
            key: None,
        }
    }
}

impl<T: ?Sized> DescribeOpaque<'_, T> {
    /// Says there is nothing to show.
    #[must_use]
    pub fn describer(&self) -> Describer<T> {
        Describer {
            show: |_| "<value without Debug>".to_string(),
            key: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `probe` shows for `value`.
    fn shown<T: ?Sized>(value: &T, describe: Describer<T>) -> String {
        describe.show(value)
    }

    #[test]
    fn describes_without_raw_bytes() {
        let key: Box<[u8]> = Box::from(&b"secret"[..]);
        let text = shown(&key, probe(&key).describer());
        assert!(text.starts_with("len 6 #"), "{text}");
        assert!(!text.contains("secret"));
        let some = Some(key.clone());
        assert!(shown(&some, probe(&some).describer()).starts_with("Some(len 6"));
        assert_eq!(shown(&None, probe(&None::<Vec<u8>>).describer()), "None");
        assert_eq!(shown(&7, probe(&7_u64).describer()), "7");
        assert_eq!(shown(&Some(3), probe(&Some(3_u8)).describer()), "Some(3)");
        assert_eq!(shown(&true, probe(&true).describer()), "true");
        #[derive(Debug)]
        enum Status {
            Parked,
            Held(#[allow(dead_code)] u8),
            Named {
                #[allow(dead_code)]
                key: Vec<u8>,
            },
        }
        let parked = Status::Parked;
        assert_eq!(shown(&parked, probe(&parked).describer()), "Parked");
        let held = Status::Held(1);
        assert_eq!(shown(&held, probe(&held).describer()), "Held(1)");
        let named = Status::Named { key: b"k".to_vec() };
        let text = shown(&named, probe(&named).describer());
        assert!(
            text.starts_with("len 20 #") && !text.contains("107"),
            "{text}"
        );
        let text = String::from("secret");
        assert!(shown(&text, probe(&text).describer()).starts_with("len 8 #"));
        struct Opaque;
        assert_eq!(
            shown(&Opaque, probe(&Opaque).describer()),
            "<value without Debug>"
        );
    }

    #[test]
    fn integer_newtypes_print_in_clear_and_byte_holders_do_not() {
        #[derive(Debug)]
        struct FenceEpoch(#[allow(dead_code)] u64);
        #[derive(Debug)]
        struct Offset(#[allow(dead_code)] i32);
        #[derive(Debug)]
        struct Key(#[allow(dead_code)] Vec<u8>);
        let epoch = Some(FenceEpoch(7));
        assert_eq!(
            shown(&epoch, probe(&epoch).describer()),
            "Some(FenceEpoch(7))"
        );
        assert_eq!(
            shown(&Offset(-3), probe(&Offset(-3)).describer()),
            "Offset(-3)"
        );
        let key = Key(b"SECRET".to_vec());
        let text = shown(&key, probe(&key).describer());
        assert!(
            text.starts_with("len 29 #") && !text.contains("83"),
            "{text}"
        );
        // The replica's lease: integer newtypes in named fields, nested (issue 21: shrunk
        // sequences showed `len 133 #9dbc..` for it and said nothing).
        let lease = "Lease { shard: ShardKey { run: RunId(1), shard: 3 }, fence: FenceEpoch(2), deadline: LogicalTime(5) }";
        for form in [
            "A(B(1))",
            "Parked",
            "-1",
            "x_1(0)",
            "A { k: 1 }",
            lease,
            "A { k: B, .. }",
        ] {
            assert!(is_clear_form(form), "{form}");
        }
        for form in [
            "[1, 2]",
            "\"t\"",
            "A(1, 2)",
            "(1, 2)",
            "A { k: [1, 2] }",
            "A { k: \"s\" }",
            "A { k: (1, 2) }",
            "A(",
            "()",
            "A()",
            "1.5",
        ] {
            assert!(!is_clear_form(form), "{form}");
        }
    }

    #[test]
    fn ranges_show_their_bounds_as_keys() {
        struct Range(&'static [u8], &'static [u8]);
        impl KeyRange for Range {
            fn start_key(&self) -> &[u8] {
                self.0
            }
            fn end_key(&self) -> &[u8] {
                self.1
            }
        }
        let range = Range(b"a", b"m");
        let text = shown(&range, probe(&range).describer());
        assert!(
            text.starts_with("[len 1 #") && text.contains(", len 1 #") && text.ends_with(")"),
            "{text}"
        );
    }

    #[test]
    fn byte_keys_compare_by_order_without_their_bytes() {
        assert_eq!(
            explain_change(b"abc", b"b"),
            "higher than before, first difference at byte 0, len 3 -> 1"
        );
        assert_eq!(
            explain_change(b"bcd", b"a"),
            "lower than before, first difference at byte 0, len 3 -> 1"
        );
        assert_eq!(
            explain_change(b"abc", b"ab"),
            "lower than before, a prefix of it, len 3 -> 2"
        );
        assert_eq!(
            explain_change(b"ab", b"abc"),
            "higher than before, extends it, len 2 -> 3"
        );
        assert_eq!(explain_change(b"ab", b"ab"), "equal to before, len 2");
        assert_eq!(
            explain_sides(b"SECRET-A", b"SECRET-B"),
            "left lower than right, first difference at byte 7, len 8 vs 8"
        );
        assert_eq!(
            explain_outside(b"a", (b"b", b"m")),
            "key lower than the range's start, first difference at byte 0, len 1 vs 1"
        );
        assert_eq!(
            explain_outside(b"m", (b"b", b"m")),
            "key equal to the range's end, len 1"
        );
        assert_eq!(
            explain_outside(b"mm", (b"b", b"m")),
            "key higher than the range's end, extends it, len 2 vs 1"
        );
        let (a, b): (Box<[u8]>, Box<[u8]>) = (Box::from(&b"k2"[..]), Box::from(&b"k1"[..]));
        assert_eq!(
            describe_change(&a, &b, probe(&a).describer()),
            "lower than before, first difference at byte 1, len 2 -> 2"
        );
        let (some, none) = (Some(a.clone()), None);
        let text = describe_change(&some, &none, probe(&some).describer());
        assert!(
            text.starts_with("before Some(len 2 #") && text.ends_with(", after None"),
            "{text}"
        );
        assert_eq!(
            describe_sides(&*a, probe(&*a).describer(), &b, probe(&b).describer()),
            "left higher than right, first difference at byte 1, len 2 vs 2"
        );
        assert_eq!(
            describe_sides(
                &1_u8,
                probe(&1_u8).describer(),
                &2_u8,
                probe(&2_u8).describer()
            ),
            "left 1, right 2"
        );
    }

    #[test]
    fn messages_of_the_code_under_test_lose_their_data() {
        let message = "called `Result::unwrap()` on an `Err` value: Behind { key: [83, 69, 67] }";
        let redacted = redact_message(message);
        assert_eq!(
            redacted,
            format!(
                "called `Result::unwrap()` on an `Err` value: Behind {{ key: {} }}",
                fingerprint(b"SEC")
            )
        );
        let redacted =
            redact_message(r#"bad "SEC\"RET" and b"SECRET" at [] or [1, x] (at src/a.rs:1:2)"#);
        assert!(!redacted.contains("SEC"), "{redacted}");
        assert!(
            redacted.starts_with("bad len 8 #")
                && redacted.ends_with(" at [] or [1, x] (at src/a.rs:1:2)"),
            "{redacted}"
        );
        assert_eq!(redact_message("[300, 1]"), fingerprint(b"300\x01"));
        assert!(redact_message("verb\"x\"").starts_with("verblen 1 #"));
        assert_eq!(redact_message("unclosed \"quote"), "unclosed \"quote");
    }

    #[test]
    fn reveal_needs_the_switch_and_no_ci() {
        assert!(reveal_asked(Some(OsStr::new("1")), false));
        assert!(!reveal_asked(Some(OsStr::new("1")), true));
        assert!(!reveal_asked(Some(OsStr::new("0")), false));
        assert!(!reveal_asked(None, false));
    }

    #[test]
    fn fingerprints_of_short_keys_differ() {
        let shown: std::collections::BTreeSet<String> =
            (b'a'..=b'z').map(|b| fingerprint(&[b])).collect();
        assert_eq!(shown.len(), 26, "{shown:?}");
    }
}
