//! The data distaudit judges by, with no syntax tree in sight: the citation
//! [`registry`] (model, loading, validation), the [`catalogue`] of typed names, the
//! diagnostic codes and findings of [`diag`], and did-you-mean in [`suggest`].
//!
//! A crate of its own so that a user's clean build compiles it while syn compiles: it
//! needs only proc-macro2 (spans), quote, toml and strsim. `distaudit-core` re-exports
//! every module at the same path (`distaudit_core::registry`, ..), so the engine and
//! `cargo distaudit` name them as before.

pub mod catalogue;
pub mod diag;
pub mod registry;
pub mod suggest;
