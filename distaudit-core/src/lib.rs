//! The audit engine of distaudit: the registry, the annotation model, every rule, and the
//! rendering of code, docs and diagnostics. A plain library: it never touches `proc_macro`,
//! so the rules are unit-tested directly and a CLI can reuse it whole.
//!
//! Data flows one way: tokens -> [`annotation::Annotation`] + [`item::Subject`] ->
//! [`diag::Finding`]s ([`rules::RULES`]) -> tokens ([`expand`]).

pub mod annotation;
pub mod diag;
pub mod expand;
pub mod exprs;
pub mod item;
pub mod keys;
pub mod registry;
pub mod render;
pub mod rules;
pub mod suggest;
