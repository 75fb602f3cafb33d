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

mod keys;
#[allow(missing_docs)]
mod runtime;

pub use distaudit_macros::{audit, coordination};
pub use keys::{KeyRange, LexKey};
pub use runtime::checks_passed;

/// The proptest that generated tests use, for writing `strategy(..)` helpers without a
/// second dependency (its version moves with distaudit's).
pub use proptest;

/// What generated code uses. Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::runtime::*;
    pub use ::proptest;
    pub use ::static_assertions;
    // Generated tests name owned buffers through these, so a `no_std` crate's tests work.
    pub use ::std::string::String;
    pub use ::std::vec::Vec;
}
