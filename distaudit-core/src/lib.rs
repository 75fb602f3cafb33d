//! The audit engine of distaudit: the annotation model, every rule, and the rendering of
//! code, docs and diagnostics, over the registry, catalogue and diagnostics of
//! `distaudit-registry` (re-exported here as [`registry`], [`catalogue`], [`diag`] and
//! [`suggest`]; that crate has no syn, so a clean build compiles it beside syn). A plain
//! library: it never touches `proc_macro`, so the rules are unit-tested directly and
//! `cargo distaudit` reuses it whole.
//!
//! # Data flow
//!
//! Data flows one way:
//!
//! 1. **parse** ([`annotation`], [`item`]): tokens become an [`annotation::Annotation`]
//!    and an [`item::Subject`]; only form errors are found here.
//! 2. **analyze** ([`analyze`]): the annotation, the item and the [`registry::Registry`]
//!    become an [`analyze::Audit`], where every meaning is decided once: aliases, the
//!    evidence for each pattern, the decision and citation each check upholds, the
//!    anti-patterns that apply, the fields of each role, the runtime's path.
//! 3. **rules** ([`rules::RULES`]): the `Audit` (with the annotation and item for spans)
//!    becomes [`diag::Finding`]s.
//! 4. **emit** ([`expand`], [`render`]): the `Audit` becomes tokens (the woven function,
//!    `KeyRange` impls, property tests), docs and errors. Emitters read the `Audit` and
//!    decide nothing.
//!
//! The names code must know are typed in [`catalogue`]: [`catalogue::AntiPattern`],
//! the invariant-kind table [`catalogue::KINDS`], and [`catalogue::Role`]. Did-you-mean
//! lives in [`suggest`], for every message that proposes an id.
//!
//! # Contributing
//!
//! **Add an anti-pattern** (4 files):
//! 1. `../distaudit-registry/citations/anti_patterns.toml`: its statement, why, fix and
//!    sources;
//! 2. `../distaudit-registry/src/catalogue.rs`: one row of `anti_patterns!` (number, slug,
//!    code, severity, title);
//! 3. `src/rules/anti_patterns.rs`: its detector, pushing `Detected` in the `Scanner`;
//! 4. `tests/ui/fail/DA00NN-<slug>.rs` (with its `.stderr`): the case it refuses.
//!
//! Then list it in `anti_patterns = [..]` of the patterns it applies to (registry data).
//!
//! **Add an invariant kind** (5 files):
//! 1. `../distaudit-registry/src/catalogue.rs`: a `Kind` variant and its row in `KINDS`
//!    (name, what it checks, when it runs, the decision it upholds by default, what it
//!    needs of types);
//! 2. `src/expand/weave/kinds.rs`: its code, one function;
//! 3. `../src/runtime.rs` (the `distaudit` crate), when it reports through a new function;
//! 4. `../tests/invariants.rs`: a seeded bug it catches;
//! 5. `../tests/ui/pass/*.rs` or `../tests/ui/fail/*.rs`: the annotation it accepts or
//!    refuses.
//!
//! The docs table of kinds, the parser and the rules read the `KINDS` row.

pub mod analyze;
pub mod annotation;
pub mod attribute;
pub mod expand;
pub mod exprs;
pub mod item;
pub mod keys;
pub mod level;
pub mod locate;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod rules;
pub mod walk;

// The registry, the catalogue, the diagnostics and did-you-mean, built beside syn.
pub use distaudit_registry::{catalogue, diag, registry, suggest};
