#![doc = include_str!("../README.md")]
//!
//! # Guide
#![doc = include_str!("../docs/guide.md")]
//!
//! # Invariant kinds table
//!
#![doc = include_str!(concat!(env!("OUT_DIR"), "/kinds.md"))]
//!
//! # Diagnostic codes
//!
#![doc = include_str!(concat!(env!("OUT_DIR"), "/codes.md"))]
//!
//! # The registry
//!
#![doc = include_str!(concat!(env!("OUT_DIR"), "/registry.md"))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` on nightly: label the items behind a feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod keys;
#[cfg(feature = "proptest")]
mod machine;
#[allow(missing_docs)]
mod runtime;
mod scope;

#[doc(hidden)]
pub use distaudit_macros::{__contract_impl, __provided};
pub use distaudit_macros::{audit, coordination};
pub use keys::{KeyRange, LexKey, disjoint, tiles};
pub use runtime::{checks_passed, count_checks};

/// The proptest that generated tests use, for writing `strategy(..)` helpers without a
/// second dependency (its version moves with distaudit's). With the `proptest` feature,
/// which belongs in `[dev-dependencies]`.
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub use proptest;

/// What test code needs, with the `proptest` feature (enable it in `[dev-dependencies]`).
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod testing {
    /// `use distaudit::testing::prelude::*;` brings `proptest` itself and everything of
    /// `proptest::prelude` (`any`, `Just`, `Strategy`, `prop_oneof!`, `proptest!`, ..) into
    /// scope, for the `strategy(..)` helpers of generated tests and hand-written tests alike.
    pub mod prelude {
        #[doc(no_inline)]
        pub use ::proptest;
        #[doc(no_inline)]
        pub use ::proptest::prelude::*;
    }
}

/// What generated code uses. Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    /// The driver of generated state-machine tests.
    #[cfg(feature = "proptest")]
    pub mod machine {
        pub use crate::machine::*;
    }
    pub use crate::runtime::*;
    pub use crate::scope::*;
    #[cfg(feature = "proptest")]
    pub use ::proptest;
    pub use ::static_assertions;
    // Generated tests name owned buffers through these, so a `no_std` crate's tests work.
    pub use ::std::string::String;
    pub use ::std::vec::Vec;
}

// Checks, in the generated tests, that the test machinery is on: expands to the tokens it
// is given with the `proptest` feature, and to one error that names the fix without it
// (so a user sees that error, not a cascade of unresolved `proptest` paths).
#[cfg(feature = "proptest")]
#[macro_export]
#[doc(hidden)]
macro_rules! __require_test_feature {
    ($($tokens:tt)*) => { $($tokens)* };
}

// Checks, in the generated tests, that the test machinery is on: expands to the tokens it
// is given with the `proptest` feature, and to one error that names the fix without it
// (so a user sees that error, not a cascade of unresolved `proptest` paths). The error is
// under the user crate's `cfg(test)`: `cargo build` never sees it, wherever the caller puts
// its own `#[cfg(test)]`.
// (The error's text is the engine's DA0052, written by the build script.)
#[cfg(not(feature = "proptest"))]
include!(concat!(env!("OUT_DIR"), "/require_test_feature.rs"));
