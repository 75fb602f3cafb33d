//! What generated code calls at run time. Reached only through `distaudit::__private`.

use crate::{KeyRange, LexKey};
use std::fmt::{Debug, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where a check lives and what it upholds; one `static` per generated check.
#[derive(Debug)]
pub struct Site {
    /// The module path of the item (`module_path!()`).
    pub module: &'static str,
    /// The item's name (`checkpoint`), or `Type::method` when the macro knows the type.
    pub item: &'static str,
    /// The invariant as written: `monotonic(self.last_key)`.
    pub invariant: &'static str,
    /// The decision and citation it upholds: `D2.3, bacon-2017`.
    pub upholds: &'static str,
}

/// Report a violated invariant. `owner` is `type_name::<Self>()` for methods whose type the
/// macro could not see.
#[cold]
#[inline(never)]
#[track_caller]
pub fn violated(site: &Site, owner: Option<&str>, detail: &str) -> ! {
    let path = match owner {
        Some(owner) => format!("{owner}::{}", site.item),
        None => format!("{}::{}", site.module, site.item),
    };
    panic!(
        "distaudit: invariant {} violated in {path} ({}): {detail}",
        site.invariant, site.upholds
    )
}

static CHECKS: AtomicU64 = AtomicU64::new(0);

/// Count one evaluated check (generated only with the `stats` feature).
#[inline]
pub fn count_check() {
    CHECKS.fetch_add(1, Ordering::Relaxed);
}

/// How many invariant checks have run and passed in this process (with the `stats` feature).
pub fn checks_passed() -> u64 {
    CHECKS.load(Ordering::Relaxed)
}

/// An owned snapshot of the value on entry.
#[inline]
pub fn snapshot<T: Clone>(value: &T) -> T {
    value.clone()
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

/// Wraps a value so that trait methods can pick the most specific way to read it.
pub struct Wrap<'a, T: ?Sized>(pub &'a T);

/// Chooses, where `T` is concrete, how a failure report describes a `T`: by autoref
/// specialisation, most specific first (a byte key, an optional byte key, `Debug`,
/// nothing). Only the chosen function pointer crosses into the cold report.
pub struct Probe<T: ?Sized>(std::marker::PhantomData<fn(&T)>);

impl<T: ?Sized> Probe<T> {
    /// A probe for the type of `value`.
    #[must_use]
    pub fn of(_value: &T) -> Self {
        Probe(std::marker::PhantomData)
    }
}

/// A byte key: length and fingerprint.
pub trait DescribeKey<T: ?Sized> {
    fn describer(&self) -> fn(&T) -> String;
}
impl<T: LexKey + ?Sized> DescribeKey<T> for &&&Probe<T> {
    fn describer(&self) -> fn(&T) -> String {
        |v| fingerprint(v.key_bytes())
    }
}

/// An optional byte key.
pub trait DescribeOptKey<T: ?Sized> {
    fn describer(&self) -> fn(&T) -> String;
}
impl<K: LexKey> DescribeOptKey<Option<K>> for &&Probe<Option<K>> {
    fn describer(&self) -> fn(&Option<K>) -> String {
        |v| match v {
            Some(k) => format!("Some({})", fingerprint(k.key_bytes())),
            None => "None".to_string(),
        }
    }
}

/// Anything with `Debug`: the fingerprint of its debug form.
pub trait DescribeDebug<T: ?Sized> {
    fn describer(&self) -> fn(&T) -> String;
}
impl<T: Debug + ?Sized> DescribeDebug<T> for &Probe<T> {
    fn describer(&self) -> fn(&T) -> String {
        |v| fingerprint(format!("{v:?}").as_bytes())
    }
}

/// Anything else.
pub trait DescribeOpaque<T: ?Sized> {
    fn describer(&self) -> fn(&T) -> String;
}
impl<T: ?Sized> DescribeOpaque<T> for Probe<T> {
    fn describer(&self) -> fn(&T) -> String {
        |_| "<value without Debug>".to_string()
    }
}

/// `value` as length and short hash, chosen where its type is concrete.
#[macro_export]
#[doc(hidden)]
macro_rules! __describer {
    ($value:expr) => {{
        #[allow(unused_imports)]
        use $crate::__private::{
            DescribeDebug as _, DescribeKey as _, DescribeOpaque as _, DescribeOptKey as _,
        };
        (&&&&$crate::__private::Probe::of($value)).describer()
    }};
}

/// Report a failed comparison of entry and exit values (monotonic, strictly_increasing).
#[cold]
#[inline(never)]
#[track_caller]
pub fn violated_compare<T: ?Sized>(
    site: &Site,
    owner: Option<&str>,
    what: &str,
    before: &T,
    after: &T,
    describe: fn(&T) -> String,
) -> ! {
    violated(
        site,
        owner,
        &format!(
            "{what}: before {}, after {}",
            describe(before),
            describe(after)
        ),
    )
}

/// Report a key outside its range.
#[cold]
#[inline(never)]
#[track_caller]
pub fn violated_within<K: ?Sized>(
    site: &Site,
    owner: Option<&str>,
    key: &K,
    describe: fn(&K) -> String,
    range: Option<(&[u8], &[u8])>,
) -> ! {
    violated(
        site,
        owner,
        &format!("key {} outside {}", describe(key), describe_range(range)),
    )
}

/// A key as bytes, if it is one (or `Some` of one).
pub trait KeyOf<'a> {
    fn da_key(&self) -> Option<&'a [u8]>;
}
impl<'a, T: LexKey + ?Sized> KeyOf<'a> for &Wrap<'a, T> {
    fn da_key(&self) -> Option<&'a [u8]> {
        Some(self.0.key_bytes())
    }
}
/// An optional key.
pub trait OptKeyOf<'a> {
    fn da_key(&self) -> Option<&'a [u8]>;
}
impl<'a, T: LexKey> OptKeyOf<'a> for Wrap<'a, Option<T>> {
    fn da_key(&self) -> Option<&'a [u8]> {
        self.0.as_ref().map(LexKey::key_bytes)
    }
}
/// A range, if it is one (or `Some` of one).
pub trait RangeOf<'a> {
    fn da_range(&self) -> Option<(&'a [u8], &'a [u8])>;
}
impl<'a, T: KeyRange + ?Sized> RangeOf<'a> for &Wrap<'a, T> {
    fn da_range(&self) -> Option<(&'a [u8], &'a [u8])> {
        Some((self.0.start_key(), self.0.end_key()))
    }
}
/// An optional range.
pub trait OptRangeOf<'a> {
    fn da_range(&self) -> Option<(&'a [u8], &'a [u8])>;
}
impl<'a, T: KeyRange> OptRangeOf<'a> for Wrap<'a, Option<T>> {
    fn da_range(&self) -> Option<(&'a [u8], &'a [u8])> {
        self.0.as_ref().map(|r| (r.start_key(), r.end_key()))
    }
}

/// `start <= key < end` (empty bounds unbounded); `None` when either side is `None`.
#[must_use]
pub fn within(key: Option<&[u8]>, range: Option<(&[u8], &[u8])>) -> Option<bool> {
    let (key, (start, end)) = (key?, range?);
    Some(key >= start && (end.is_empty() || key < end))
}

/// Describe a range by its bounds' fingerprints.
#[must_use]
pub fn describe_range(range: Option<(&[u8], &[u8])>) -> String {
    match range {
        Some((s, e)) => format!("[{}, {})", fingerprint(s), fingerprint(e)),
        None => "None".to_string(),
    }
}

/// Poll a future to completion on the current thread (generated tests of `async` items).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
}

/// Runs the body closure with its return type fixed, so `?` inside converts as in the item.
#[inline(always)]
pub fn call<R, F: FnOnce() -> R>(body: F) -> R {
    body()
}

/// Types an `async` body's output, so `?` inside converts as in the item.
#[inline(always)]
pub fn typed_future<R, F: std::future::Future<Output = R>>(body: F) -> F {
    body
}

/// The proptest configuration of a generated test.
#[must_use]
pub fn test_config(cases: u32, source_file: &'static str) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        source_file: Some(source_file),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::SourceParallel("proptest-regressions"),
        )),
        ..proptest::test_runner::Config::default()
    }
}

/// Run a generated property test; panic with proptest's report (minimal failing input).
#[track_caller]
pub fn run_property<S: proptest::strategy::Strategy>(
    config: proptest::test_runner::Config,
    strategy: &S,
    test: impl Fn(S::Value),
) {
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(strategy, |value| {
        test(value);
        Ok(())
    });
    if let Err(e) = result {
        panic!("distaudit property test failed: {e}\n{runner}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_without_raw_bytes() {
        let key: Box<[u8]> = Box::from(&b"secret"[..]);
        let shown = crate::__describer!(&key)(&key);
        assert!(shown.starts_with("len 6 #"), "{shown}");
        assert!(!shown.contains("secret"));
        let some = Some(key.clone());
        assert!(crate::__describer!(&some)(&some).starts_with("Some(len 6"));
        assert_eq!(crate::__describer!(&None::<Vec<u8>>)(&None), "None");
        assert!(crate::__describer!(&7_u64)(&7).starts_with("len 1 #"));
        struct Opaque;
        assert_eq!(
            crate::__describer!(&Opaque)(&Opaque),
            "<value without Debug>"
        );
    }

    #[test]
    fn fingerprints_of_short_keys_differ() {
        let shown: std::collections::BTreeSet<String> =
            (b'a'..=b'z').map(|b| fingerprint(&[b])).collect();
        assert_eq!(shown.len(), 26, "{shown:?}");
    }

    #[test]
    fn within_is_half_open_and_skips_none() {
        assert_eq!(within(Some(b"b"), Some((b"a", b"c"))), Some(true));
        assert_eq!(within(Some(b"c"), Some((b"a", b"c"))), Some(false));
        assert_eq!(within(Some(b"z"), Some((b"a", b""))), Some(true));
        assert_eq!(within(None, Some((b"a", b"c"))), None);
    }
}
