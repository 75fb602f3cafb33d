//! From the resolved models to tokens: the item with its docs and woven checks, the errors
//! and warnings, the static assertions and the generated tests. Emitters only: every
//! meaning comes from an [`crate::analyze::Audit`] or a [`crate::level::ImplAudit`], which
//! [`crate::pipeline`] builds; each file here reads them and decides nothing.
//!
//! - [`item`](coordination): `#[coordination]` on one item;
//! - [`audit`]: `#[distaudit::audit]` on an impl, trait or inline module, and
//!   [`contract_impl`], an impl receiving its trait's contract (`contract`: the trait's side);
//! - `weave`, `type_invariant`, `key_range`, `proptest`: the code of checks and tests;
//! - `env`, `tokens`, `hosting`, `diagnostics`, `registry_report`: what they share.

mod audit;
mod contract;
mod diagnostics;
mod env;
mod hosting;
mod item;
mod key_range;
mod proptest;
mod registry_report;
mod tokens;
mod type_invariant;
mod weave;

pub use audit::{audit, contract_impl};
pub use diagnostics::{errors, registry_error};
pub use env::{Checks, Host, Options};
pub use item::{coordination, provided};
pub(crate) use tokens::at;

#[cfg(test)]
mod snapshot_tests;
