//! What generated code calls at run time. Reached only through `distaudit::__private`.

use crate::{KeyRange, LexKey};
use std::sync::atomic::{AtomicU64, Ordering};

pub mod coverage;
mod describe;
pub use describe::*;

/// Where a check lives and what it upholds: a `static` per type invariant; woven checks
/// pass its four strings as arguments, and it is built only when one fails.
#[derive(Debug)]
pub struct Site {
    /// The module path of the item (`module_path!()`).
    pub module: &'static str,
    /// The item's name (`checkpoint`), `Type::method` when the macro knows the type, or the
    /// type's name for a type invariant.
    pub item: &'static str,
    /// The invariant as written: `monotonic(self.last_key)`.
    pub invariant: &'static str,
    /// The decision and citation it upholds: `D2.3, bacon-2017`.
    pub upholds: &'static str,
}

impl Site {
    /// The site a woven check passed as its four strings, built when the check fails.
    #[cold]
    fn of(
        module: &'static str,
        item: &'static str,
        invariant: &'static str,
        upholds: &'static str,
    ) -> Site {
        Site {
            module,
            item,
            invariant,
            upholds,
        }
    }
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
        "distaudit: invariant {} violated in {path}{}: {detail}",
        site.invariant,
        upheld(site)
    )
}

/// ` (D2.3, bacon-2017)`: what the check upholds, when it says; nothing otherwise.
fn upheld(site: &Site) -> String {
    if site.upholds.is_empty() {
        String::new()
    } else {
        format!(" ({})", site.upholds)
    }
}

/// The owner a woven check names where the macro writes the type into the item's name
/// itself, or there is no type: the message then shows the module path.
pub struct NoOwner;

/// The name of the owner type `O` for a violation message: `None` for [`NoOwner`]. (`()`
/// is a type like any other: `impl Trait for ()` is its owner.)
#[cold]
fn owner_of<O: ?Sized>() -> Option<&'static str> {
    let name = std::any::type_name::<O>();
    (name != std::any::type_name::<NoOwner>()).then_some(name)
}

static CHECKS: AtomicU64 = AtomicU64::new(0);

/// One passed woven check: counted when counting is on ([`count_checks`]), recorded when
/// `DISTAUDIT_COVERAGE` is set ([`coverage`]). With neither, one relaxed load. Called after
/// the failure branch, as the count was before the record existed: the check's fast path
/// keeps its shape (before it, the bench's `monotonic_u64` took a nanosecond more).
#[inline]
fn passed<O: ?Sized>(module: &'static str, item: &'static str, invariant: &'static str) {
    if coverage::FLAGS.load(Ordering::Relaxed) != 0 {
        count_or_record::<O>(module, item, invariant);
    }
}

/// One failed woven check, recorded before the panic reports it.
#[cold]
#[inline(never)]
fn failed<O: ?Sized>(module: &'static str, item: &'static str, invariant: &'static str) {
    if coverage::recording() {
        coverage::record(module, item, invariant, owner_of::<O>(), false);
    }
}

#[cold]
#[inline(never)]
fn count_or_record<O: ?Sized>(module: &'static str, item: &'static str, invariant: &'static str) {
    if coverage::flags() & coverage::COUNT != 0 {
        CHECKS.fetch_add(1, Ordering::Relaxed);
    }
    if coverage::recording() {
        coverage::record(module, item, invariant, owner_of::<O>(), true);
    }
}

/// Turn counting of passed checks on or off for this process (off by default: a check then
/// costs one relaxed load, the one the coverage record's switch shares).
pub fn count_checks(on: bool) {
    if on {
        coverage::FLAGS.fetch_or(coverage::COUNT, Ordering::Relaxed);
    } else {
        coverage::FLAGS.fetch_and(!coverage::COUNT, Ordering::Relaxed);
    }
}

/// How many invariant checks have run and passed in this process while counting was on.
pub fn checks_passed() -> u64 {
    CHECKS.load(Ordering::Relaxed)
}

/// An owned snapshot of the value on entry.
#[inline]
pub fn snapshot<T: Clone>(value: &T) -> T {
    value.clone()
}

/// The entry value `old(..)` reads: an owned copy, so the body may change the original.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0050 BLOCK] `old(..)` needs an owned copy of its value on entry, and `{Self}` is not `Clone`",
    label = "not `Clone`",
    note = "why: a check that names `old(..)` compares the value on exit with the value on entry, and the body may change or move the original in between, so the entry value is kept as an owned clone",
    note = "fix: take `old(..)` of a `Clone` part of the value (a field, `.len()`, `.map(|r| r.fence)`), or derive `Clone`"
)]
pub trait Snapshot {
    /// The owned copy.
    fn snapshot(&self) -> Self;
}

impl<T: Clone> Snapshot for T {
    #[inline]
    fn snapshot(&self) -> Self {
        self.clone()
    }
}

/// One check, out of line only when it fails: `after` above `before`
/// (`strictly_increasing`). Counts the check when it passes.
#[inline]
#[track_caller]
#[allow(clippy::too_many_arguments)]
pub fn increased<O: ?Sized, T: PartialOrd + ?Sized>(
    module: &'static str,
    item: &'static str,
    invariant: &'static str,
    upholds: &'static str,
    before: &T,
    after: &T,
    describe: Describer<T>,
) {
    let held = after > before;
    let site = [module, item, invariant, upholds];
    compared::<O, T>(held, "did not increase", site, before, after, describe);
}

/// `after` not below `before` (`monotonic`). Counts the check when it passes.
#[inline]
#[track_caller]
#[allow(clippy::too_many_arguments)]
pub fn not_decreased<O: ?Sized, T: PartialOrd + ?Sized>(
    module: &'static str,
    item: &'static str,
    invariant: &'static str,
    upholds: &'static str,
    before: &T,
    after: &T,
    describe: Describer<T>,
) {
    // Incomparable values (a NaN) come out as not held.
    let held = after >= before;
    let site = [module, item, invariant, upholds];
    compared::<O, T>(held, "regressed", site, before, after, describe);
}

/// The outcome of an ordering check; `site` is the module, item, invariant and upholds.
#[inline]
#[track_caller]
fn compared<O: ?Sized, T: ?Sized>(
    held: bool,
    what: &str,
    [module, item, invariant, upholds]: [&'static str; 4],
    before: &T,
    after: &T,
    describe: Describer<T>,
) {
    if !held {
        failed::<O>(module, item, invariant);
        let site = Site::of(module, item, invariant, upholds);
        violated_compare(&site, owner_of::<O>(), what, before, after, describe);
    }
    passed::<O>(module, item, invariant);
}

/// A value that was `Some` on entry is `Some` on exit (`never_none`).
#[inline]
#[track_caller]
pub fn stays_some<O: ?Sized>(
    module: &'static str,
    item: &'static str,
    invariant: &'static str,
    upholds: &'static str,
    was_some: bool,
    is_some: bool,
) {
    let held = !was_some || is_some;
    if !held {
        failed::<O>(module, item, invariant);
        let site = Site::of(module, item, invariant, upholds);
        violated(&site, owner_of::<O>(), "went from Some to None");
    }
    passed::<O>(module, item, invariant);
}

/// A condition (`holds`, `requires`, `ensures`) came out as `held`.
#[inline]
#[track_caller]
pub fn held<O: ?Sized>(
    module: &'static str,
    item: &'static str,
    invariant: &'static str,
    upholds: &'static str,
    held: bool,
    what: &str,
) {
    if !held {
        failed::<O>(module, item, invariant);
        let site = Site::of(module, item, invariant, upholds);
        violated(&site, owner_of::<O>(), what);
    }
    passed::<O>(module, item, invariant);
}

// A comparison (`holds`, `requires`, `ensures`): one helper per operator, which compares
// the two sides as the operator does (`a > b` is `PartialOrd::gt(&a, &b)`), so each side is
// evaluated once, as an argument, with no binding at the check site. The report shows
// both sides by the same rule as every value.
macro_rules! held_comparisons {
    ($($name:ident: $op:literal, $trait:ident::$method:ident;)*) => {$(
        #[doc = concat!("A comparison with `", $op, "` holds: `", stringify!($trait), "::",
            stringify!($method), "` of the two sides.")]
        #[inline]
        #[track_caller]
        #[allow(clippy::too_many_arguments)]
        pub fn $name<O: ?Sized, L: $trait<R> + ?Sized, R: ?Sized>(
            module: &'static str,
            item: &'static str,
            invariant: &'static str,
            upholds: &'static str,
            what: &str,
            left: Side<'_, L>,
            right: Side<'_, R>,
        ) {
            held_sides::<O, L, R>(
                module,
                item,
                invariant,
                upholds,
                $trait::$method(left.value, right.value),
                what,
                left.value,
                left.describe,
                right.value,
                right.describe,
            );
        }
    )*};
}
held_comparisons! {
    held_lt: "<", PartialOrd::lt;
    held_le: "<=", PartialOrd::le;
    held_gt: ">", PartialOrd::gt;
    held_ge: ">=", PartialOrd::ge;
    held_eq: "==", PartialEq::eq;
    held_ne: "!=", PartialEq::ne;
}

/// A comparison whose sides were bound and compared where the check is written, because
/// one side's type comes from the other (`self.cursor != None`): the result and both
/// sides, each with its describer chosen once the types are known.
#[inline]
#[track_caller]
#[allow(clippy::too_many_arguments)]
pub fn held_sides<O: ?Sized, L: ?Sized, R: ?Sized>(
    module: &'static str,
    item: &'static str,
    invariant: &'static str,
    upholds: &'static str,
    held: bool,
    what: &str,
    left: &L,
    describe_left: Describer<L>,
    right: &R,
    describe_right: Describer<R>,
) {
    if !held {
        failed::<O>(module, item, invariant);
        let site = Site::of(module, item, invariant, upholds);
        violated_sides(
            &site,
            owner_of::<O>(),
            what,
            left,
            describe_left,
            right,
            describe_right,
        );
    }
    passed::<O>(module, item, invariant);
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
    describe: Describer<T>,
) -> ! {
    violated(
        site,
        owner,
        &format!("{what}: {}", describe_change(before, after, describe)),
    )
}

/// Report a comparison (`holds`, `ensures`, `requires`) that came out false, with both
/// sides shown by the same rule as every value.
#[cold]
#[inline(never)]
#[track_caller]
pub fn violated_sides<L: ?Sized, R: ?Sized>(
    site: &Site,
    owner: Option<&str>,
    what: &str,
    left: &L,
    describe_left: Describer<L>,
    right: &R,
    describe_right: Describer<R>,
) -> ! {
    violated(
        site,
        owner,
        &sides_detail(what, left, describe_left, right, describe_right),
    )
}

/// What a failed comparison says: `what`, then both sides shown by the same rule as every
/// value. Woven checks and type invariants word it alike.
#[cold]
pub fn sides_detail<L: ?Sized, R: ?Sized>(
    what: &str,
    left: &L,
    describe_left: Describer<L>,
    right: &R,
    describe_right: Describer<R>,
) -> String {
    format!(
        "{what}: {}",
        describe_sides(left, describe_left, right, describe_right)
    )
}

/// Implemented, for a trait whose methods carry contracts, only by impls that received the
/// contract through `#[distaudit::audit]`: the trait requires it, so an impl that forgot the
/// attribute does not compile. It has no methods, so the trait stays dyn-compatible.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0053 BLOCK] `{Self}` implements a trait whose methods carry contracts, but the impl has no `#[distaudit::audit]`",
    label = "this impl does not carry the trait's checks",
    note = "why: the checks written on the trait's methods are the contract of every implementation, and only `#[distaudit::audit]` on the impl weaves them into its methods",
    note = "fix: put `#[distaudit::audit]` on the impl, so the trait's checks are woven into its methods"
)]
pub trait Audited<const CONTRACT: u64> {}

/// Implemented by the attribute for a type whose audited impl of a trait received the
/// trait's contract: what `#[distaudit::audit]` on a trait impl checks, so that an impl of a
/// trait that carries no `#[distaudit::audit]` (no contract to receive) is refused in
/// distaudit's words beside rustc's "cannot find macro".
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0053 BLOCK] `#[distaudit::audit]` on an impl of a trait for `{Self}` whose trait carries no `#[distaudit::audit]`: there is no contract to receive",
    label = "`{Self}` received no contract: its trait carries no `#[distaudit::audit]`",
    note = "why: an audited trait impl receives the checks written on the trait's methods from the trait's own `#[distaudit::audit]` (rustc's \"cannot find macro\" above is that hand-off failing)",
    note = "fix: put `#[distaudit::audit]` on the trait (it may state no checks yet), or, for a trait of another crate that is not audited, annotate the impl's methods without `#[distaudit::audit]` on the impl"
)]
pub trait Inherits<const CONTRACT: u64> {}

/// What a type's invariants uphold for the methods of its audited impls: implemented by the
/// type's annotation when one of its checks upholds D2.3 (directly, or through a team
/// decision that refines it). A method that changes cursor state and states no such check
/// asks for it.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0033 BLOCK] cannot verify D2.3 for a method of `{Self}`: it changes cursor state, and neither it nor the invariants of `{Self}` declare a check that upholds D2.3 (cursor monotonicity)",
    label = "this method changes cursor state without a check of D2.3",
    note = "why: locked decision D2.3: a cursor never moves backwards, so no key is skipped on resume",
    note = "fix: add `invariant(monotonic = \"<the cursor key>\")` to the method, or an invariant of `{Self}` that upholds D2.3, or one of a team decision with `refines = [\"D2.3\"]`"
)]
pub trait ChecksD23 {}

/// [`ChecksD23`], for D2.4 (a cursor stays inside its shard).
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0033 BLOCK] cannot verify D2.4 for a method of `{Self}`: it changes cursor state, and neither it nor the invariants of `{Self}` declare a check that upholds D2.4 (cursor within shard bounds)",
    label = "this method changes cursor state without a check of D2.4",
    note = "why: locked decision D2.4: a cursor's last key lies inside its shard's half-open range",
    note = "fix: add `invariant(within(key = \"..\", range = \"..\"))` to the method, or an invariant of `{Self}` that upholds D2.4, or one of a team decision with `refines = [\"D2.4\"]`"
)]
pub trait ChecksD24 {}

/// [`ChecksD23`], for D2.5 (a checkpoint never goes back to no key).
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0033 BLOCK] cannot verify D2.5 for a method of `{Self}`: it changes cursor state, and neither it nor the invariants of `{Self}` declare a check that upholds D2.5 (checkpoints keep their key)",
    label = "this method changes cursor state without a check of D2.5",
    note = "why: locked decision D2.5: once a cursor has a last key, every later checkpoint has one",
    note = "fix: add `invariant(never_none = \"<the cursor key>\")` to the method, or an invariant of `{Self}` that upholds D2.5, or one of a team decision with `refines = [\"D2.5\"]`"
)]
pub trait ChecksD25 {}

/// [`ChecksD23`], for fences: implemented when a check of the type holds the fences against
/// their entry values.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0034 BLOCK] a method of `{Self}` changes fencing state, and neither it nor the invariants of `{Self}` declare a check on its epoch",
    label = "this method changes fencing state without a check on its epoch",
    note = "why: a fence epoch only protects if it never goes backwards and each grant gets a larger one",
    note = "fix: add `invariant(strictly_increasing = \"self.fence\")` (or `monotonic`) to the method, or an invariant of `{Self}` that holds the fences against their entry values, e.g. `holds = \"self.fence >= old(self.fence)\"`"
)]
pub trait ChecksFences {}

/// The bound a method of an audited impl asks its type for (see [`ChecksD23`]).
#[inline(always)]
pub const fn type_checks_d23<T: ?Sized + ChecksD23>() {}
/// See [`ChecksD24`].
#[inline(always)]
pub const fn type_checks_d24<T: ?Sized + ChecksD24>() {}
/// See [`ChecksD25`].
#[inline(always)]
pub const fn type_checks_d25<T: ?Sized + ChecksD25>() {}
/// See [`ChecksFences`].
#[inline(always)]
pub const fn type_checks_fences<T: ?Sized + ChecksFences>() {}

/// A type whose annotation states invariants: checked after every `&mut self` method and
/// constructor in impls carrying `#[distaudit::audit]`. Implemented by the attribute.
pub trait TypeInvariant {
    /// Check every invariant of the type; `after` names the method that just returned.
    fn distaudit_check_type(&self, after: &'static str);
    /// Take what the type's two-state invariants (`old(..)`) need on entry to a `&mut self`
    /// method; the closure checks them on the value after it.
    fn distaudit_entry(&self) -> impl FnOnce(&Self, &'static str) + use<Self>;
}

/// A type whose invariants read the call's logical time (`invariant(holds = "..now..", now =
/// "LogicalTime")`): checked, with the rest of its two-state invariants, after each `&mut
/// self` method of its audited impls that takes a parameter `now: N`. Implemented by the
/// attribute, once per type of `now` its invariants name.
pub trait TypeInvariantAt<N: ?Sized> {
    /// Take what the checks need on entry, `now` among it; the closure checks them on the
    /// value after the method.
    fn distaudit_entry_at(&self, now: &N) -> impl FnOnce(&Self, &'static str) + use<Self, N>;
}

/// A [`TypeProbe`] in a method that takes `now: N`: where `T`'s invariants read a `now` of
/// type `N`, its entry takes it; else it derefs to the probe without it.
pub struct TypeProbeAt<'n, T: ?Sized, N: ?Sized> {
    probe: TypeProbe<T>,
    now: &'n N,
}

impl<'n, T: ?Sized, N: ?Sized> TypeProbeAt<'n, T, N> {
    /// A probe for `T` in a call whose logical time is `now`.
    #[must_use]
    #[inline(always)]
    pub fn new(now: &'n N) -> Self {
        TypeProbeAt {
            probe: TypeProbe::new(),
            now,
        }
    }
}

impl<T: ?Sized, N: ?Sized> std::ops::Deref for TypeProbeAt<'_, T, N> {
    type Target = TypeProbe<T>;
    #[inline(always)]
    fn deref(&self) -> &TypeProbe<T> {
        &self.probe
    }
}

impl<T: TypeInvariantAt<N> + ?Sized, N: ?Sized> TypeProbeAt<'_, T, N> {
    /// A type whose invariants read the call's `now`, on entry to a `&mut self` method.
    #[inline]
    pub fn entry(&self, value: &T) -> impl FnOnce(&T, &'static str) + use<T, N> {
        value.distaudit_entry_at(self.now)
    }
}

/// Chooses, where `T` is concrete, whether `T` has type invariants to check: by autoderef
/// specialisation, like [`probe`], so the call site imports nothing.
pub struct TypeProbe<T: ?Sized>(NoTypeInvariant<T>);

/// The fallback of [`TypeProbe`]: a type without invariants.
pub struct NoTypeInvariant<T: ?Sized>(std::marker::PhantomData<fn(&T)>);

impl<T: ?Sized> TypeProbe<T> {
    /// A probe for `T`.
    #[must_use]
    #[inline(always)]
    pub fn new() -> Self {
        TypeProbe(NoTypeInvariant(std::marker::PhantomData))
    }
}

impl<T: ?Sized> Default for TypeProbe<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ?Sized> std::ops::Deref for TypeProbe<T> {
    type Target = NoTypeInvariant<T>;
    #[inline(always)]
    fn deref(&self) -> &NoTypeInvariant<T> {
        &self.0
    }
}

impl<T: TypeInvariant + ?Sized> TypeProbe<T> {
    /// A type with invariants: check them.
    #[inline]
    pub fn check_type(&self, value: &T, after: &'static str) {
        if coverage::FLAGS.load(Ordering::Relaxed) != 0 && coverage::recording() {
            coverage::record_type(std::any::type_name::<T>());
        }
        value.distaudit_check_type(after);
    }

    /// A type with invariants, on entry to a `&mut self` method: what its two-state
    /// invariants compare the value after the method with.
    #[inline]
    pub fn entry(&self, value: &T) -> impl FnOnce(&T, &'static str) + use<T> {
        value.distaudit_entry()
    }
}

impl<T: ?Sized> NoTypeInvariant<T> {
    /// A type without invariants: nothing to check.
    #[inline(always)]
    pub fn check_type(&self, _: &T, _: &'static str) {}
    /// A type without invariants: nothing is taken on entry.
    #[inline(always)]
    pub fn entry(&self, _: &T) -> impl FnOnce(&T, &'static str) + use<T> {
        |_: &T, _: &'static str| {}
    }
    /// A type without invariants: nothing is lost after an `#[async_trait]` method.
    #[inline(always)]
    pub fn after_async_trait(&self) {}
}

impl<T: TypeInvariant + ?Sized> TypeProbe<T> {
    /// A type with invariants, in a method `#[async_trait]` rewrote before
    /// `#[distaudit::audit]` saw it: warned about, since the check would run before the body.
    #[deprecated(
        note = "[distaudit DA0055 WARN] the type's invariants are not checked after this method: `#[async_trait]` rewrote it before `#[distaudit::audit]` saw it, so it returns a future that has not run yet\n  = why: a type invariant is checked when a `&mut self` method or constructor returns; checked here it would run before the body\n  = fix: write `#[distaudit::audit]` above `#[async_trait]` on the impl, so distaudit sees the `async fn` first"
    )]
    #[inline(always)]
    pub fn after_async_trait(&self) {}
}

/// Report a violated type invariant.
#[cold]
#[inline(never)]
#[track_caller]
pub fn violated_type(site: &Site, after: &str, detail: &str) -> ! {
    if coverage::recording() {
        coverage::record(site.module, site.item, site.invariant, None, false);
    }
    panic!(
        "distaudit: type invariant {} of {}::{} violated after {after}{}: {detail}",
        site.invariant,
        site.module,
        site.item,
        upheld(site)
    )
}

/// Report a key outside its range, by its order against the bound it crossed (keys may
/// hold secrets).
#[cold]
#[inline(never)]
#[track_caller]
pub fn violated_within(site: &Site, owner: Option<&str>, key: &[u8], range: (&[u8], &[u8])) -> ! {
    violated(site, owner, &outside_detail(key, range))
}

/// What a key outside its range says: how it compares with the bound it crossed.
#[cold]
fn outside_detail(key: &[u8], range: (&[u8], &[u8])) -> String {
    explain_outside(key, range)
}

/// A type invariant's `within`: what the failure says when `key` is outside `range`;
/// `None` when it is inside, or either is absent.
#[must_use]
pub fn outside(key: Option<&[u8]>, range: Option<(&[u8], &[u8])>) -> Option<String> {
    match (key, range) {
        (Some(key), Some(range)) if within(Some(key), Some(range)) == Some(false) => {
            Some(outside_detail(key, range))
        }
        _ => None,
    }
}

/// A cursor type (`#[coordination(pattern = "cursor")]` with a `last_key`): the key its
/// position is, which the attacking cursor step of a state machine orders cursors by.
/// Implemented by the attribute.
pub trait CursorKey {
    /// The last key, `None` before any.
    fn distaudit_cursor_key(&self) -> Option<&[u8]>;
}

/// What `within` reads as its key: a byte key, or an `Option` of one (checked when `Some`).
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0032 BLOCK] `{Self}` is not a lexicographically ordered byte key (D3.3), so `within` cannot check it",
    label = "not a `distaudit::LexKey`, nor an `Option` of one",
    note = "why: locked decision D3.3: all key ranges use lexicographically ordered byte strings; text and integers do not sort like the keyspace",
    note = "fix: pass a `Box<[u8]>`, `Vec<u8>`, `&[u8]` or `[u8; N]` (or `Option` of one), e.g. add `.as_bytes()` to a text key, or implement `distaudit::LexKey` for a byte-string newtype"
)]
pub trait WithinKey {
    /// The key's bytes; `None` for `None`.
    fn within_key(&self) -> Option<&[u8]>;
}
impl<T: LexKey + ?Sized> WithinKey for T {
    #[inline]
    fn within_key(&self) -> Option<&[u8]> {
        Some(self.key_bytes())
    }
}
impl<T: LexKey> WithinKey for Option<T> {
    #[inline]
    fn within_key(&self) -> Option<&[u8]> {
        self.as_ref().map(LexKey::key_bytes)
    }
}

/// What `within` reads as its range: a [`KeyRange`], or an `Option` of one.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0031 BLOCK] `{Self}` is not a half-open key range (D2.2), so `within` cannot check a key against it",
    label = "not a `distaudit::KeyRange`, nor an `Option` of one",
    note = "why: locked decision D2.2: shard ranges are half-open [start, end) over byte keys",
    note = "fix: pass the shard itself (a type annotated `#[coordination(pattern = \"shard\", ..)]` or implementing `distaudit::KeyRange`), not a pair or a slice of bounds"
)]
pub trait WithinRange {
    /// The range's bounds; `None` for `None`.
    fn within_range(&self) -> Option<(&[u8], &[u8])>;
}
impl<T: KeyRange + ?Sized> WithinRange for T {
    #[inline]
    fn within_range(&self) -> Option<(&[u8], &[u8])> {
        Some((self.start_key(), self.end_key()))
    }
}
impl<T: KeyRange> WithinRange for Option<T> {
    #[inline]
    fn within_range(&self) -> Option<(&[u8], &[u8])> {
        self.as_ref().map(|r| (r.start_key(), r.end_key()))
    }
}

/// `key` inside `range` (`within`), when both are present. Counts the check when it passes.
#[inline]
#[track_caller]
pub fn key_within<O: ?Sized>(
    module: &'static str,
    item: &'static str,
    invariant: &'static str,
    upholds: &'static str,
    key: Option<&[u8]>,
    range: Option<(&[u8], &[u8])>,
) {
    if let (Some(key), Some(range)) = (key, range)
        && within(Some(key), Some(range)) == Some(false)
    {
        failed::<O>(module, item, invariant);
        let site = Site::of(module, item, invariant, upholds);
        violated_within(&site, owner_of::<O>(), key, range);
    }
    passed::<O>(module, item, invariant);
}

/// `start <= key < end` (empty bounds unbounded); `None` when either side is `None`.
#[must_use]
pub fn within(key: Option<&[u8]>, range: Option<(&[u8], &[u8])>) -> Option<bool> {
    let (key, (start, end)) = (key?, range?);
    Some(key >= start && (end.is_empty() || key < end))
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

/// What a generated test can make values of: anything proptest has `Arbitrary` for.
#[cfg(feature = "proptest")]
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0052 BLOCK] a generated test cannot make values of `{Self}`: it has no `proptest::arbitrary::Arbitrary`",
    label = "no `Arbitrary` values",
    note = "why: a generated property test calls the item with arbitrary values of each parameter, which proptest draws from the type's `Arbitrary` unless the annotation gives a strategy",
    note = "fix: give this parameter a strategy, e.g. `test(strategy(<parameter> = \"<proptest strategy>\"))`, or implement `Arbitrary` for the type"
)]
pub trait TestValue: proptest::arbitrary::Arbitrary {}

#[cfg(feature = "proptest")]
impl<T: proptest::arbitrary::Arbitrary> TestValue for T {}

/// The default strategy of a parameter without `strategy(..)`.
#[cfg(feature = "proptest")]
#[must_use]
pub fn any_value<T: TestValue>() -> proptest::arbitrary::StrategyFor<T> {
    proptest::arbitrary::any::<T>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `.side()` picks the level `.describer()` picks, and each operator's helper holds
    /// exactly when the operator does (a failing one panics with both sides).
    #[test]
    fn sides_and_operator_helpers() {
        let key: Box<[u8]> = Box::from(&b"secret"[..]);
        let side = probe(&key).side();
        assert!(side.describe.show(side.value).starts_with("len 6 #"));
        let opt = Some(key.clone());
        let side = probe(&opt).side();
        assert!(side.describe.show(side.value).starts_with("Some(len 6"));
        let side = probe(&7_u64).side();
        assert_eq!(side.describe.show(side.value), "7");
        struct Opaque;
        let side = probe(&Opaque).side();
        assert_eq!(side.describe.show(side.value), "<value without Debug>");

        type Helper = fn(
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &str,
            Side<'_, u64>,
            Side<'_, u64>,
        );
        type Operator = fn(&u64, &u64) -> bool;
        let helpers: [(&str, Helper, Operator); 6] = [
            ("<", held_lt::<NoOwner, u64, u64>, |a, b| a < b),
            ("<=", held_le::<NoOwner, u64, u64>, |a, b| a <= b),
            (">", held_gt::<NoOwner, u64, u64>, |a, b| a > b),
            (">=", held_ge::<NoOwner, u64, u64>, |a, b| a >= b),
            ("==", held_eq::<NoOwner, u64, u64>, |a, b| a == b),
            ("!=", held_ne::<NoOwner, u64, u64>, |a, b| a != b),
        ];
        for (op, helper, holds) in helpers {
            for (a, b) in [(1_u64, 2_u64), (2, 2), (3, 2)] {
                let failed = std::panic::catch_unwind(|| {
                    helper(
                        "m",
                        "item",
                        "inv",
                        "up",
                        "false",
                        probe(&a).side(),
                        probe(&b).side(),
                    );
                });
                assert_eq!(failed.is_ok(), holds(&a, &b), "{a} {op} {b}");
                if let Err(report) = failed {
                    let text = report.downcast_ref::<String>().cloned().unwrap_or_default();
                    assert!(
                        text.contains(&format!("false: left {a}, right {b}")),
                        "{text}"
                    );
                }
            }
        }
    }

    #[test]
    fn within_is_half_open_and_skips_none() {
        assert_eq!(within(Some(b"b"), Some((b"a", b"c"))), Some(true));
        assert_eq!(within(Some(b"c"), Some((b"a", b"c"))), Some(false));
        assert_eq!(within(Some(b"0"), Some((b"a", b"c"))), Some(false));
        assert_eq!(within(Some(b"a"), Some((b"a", b"c"))), Some(true));
        assert_eq!(within(Some(b"z"), Some((b"a", b""))), Some(true));
        assert_eq!(within(None, Some((b"a", b"c"))), None);
    }
}
