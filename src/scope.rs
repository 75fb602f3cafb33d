//! Where a generated test is defined. Rust runs `#[test]` only on functions it can name
//! from the crate root, so a test generated inside a function body never runs (rustc only
//! warns, `unnameable_test_items`). The macro cannot see where its item sits; this probe
//! lets the compiler tell it.
//!
//! Beside a tested item the macro emits a trait of its own with a by-value method on
//! [`ScopeProbe`], and, in a module nested in the item's scope, a call to that method. At
//! module level the nested module imports the trait (`use super::*`) and the call returns
//! [`ModuleLevel`]. Inside a function body the trait is local to the body, which a nested
//! module cannot see: the call falls back, by autoref, to [`InFunctionBody`], returns
//! [`FunctionBody`], and the bound of [`at_module_level`] fails with the message below.

/// The receiver of the probe's method, one type per probed item (`ID`, a hash of its name),
/// so the probes of several items in one module never compete for a call.
pub struct ScopeProbe<const ID: u64>;

/// The probe's answer when the generated test is at module level.
pub struct ModuleLevel;

/// The probe's answer when the generated test is inside a function body.
pub struct FunctionBody;

/// The fallback the probe reaches when the item's own trait is out of sight.
pub trait InFunctionBody {
    /// Always [`FunctionBody`].
    fn distaudit_scope(self) -> FunctionBody;
}

impl<const ID: u64> InFunctionBody for &ScopeProbe<ID> {
    fn distaudit_scope(self) -> FunctionBody {
        FunctionBody
    }
}

/// Implemented only by the answer at module level.
#[diagnostic::on_unimplemented(
    message = "[distaudit DA0052 BLOCK] `test` on an item inside a function body: its generated test would never run",
    label = "this item is defined inside a function",
    note = "why: Rust runs `#[test]` only on functions it can name from the crate root, and nothing outside a function body can name what is defined in it, so the test would be compiled and silently skipped",
    note = "fix: move the item (the function, or the type and its `#[distaudit::audit]` impl) out of the function body to module level, e.g. into a `#[cfg(test)] mod`, or drop `test`"
)]
pub trait AtModuleLevel {}

impl AtModuleLevel for ModuleLevel {}

/// Fails to compile, with the message above, unless the probe found the item at module
/// level.
pub fn at_module_level<T: AtModuleLevel>(_: T) {}
