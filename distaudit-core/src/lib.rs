//! The audit engine of distaudit: the annotation model, every rule, and the rendering of
//! code, docs and diagnostics, over the registry, catalogue and diagnostics of
//! `distaudit-registry` (re-exported here as [`registry`], [`catalogue`], [`diag`] and
//! [`suggest`]; that crate has no syn, so a clean build compiles it beside syn). A plain
//! library: it never touches `proc_macro`, so the rules are unit-tested directly and
//! `cargo distaudit` reuses it whole.
//!
//! # Data flow
//!
//! Data flows one way, and [`pipeline`] calls each stage in turn (no stage calls the next):
//!
//! 1. **parse** ([`annotation`], [`item`]): tokens become an [`annotation::Annotation`]
//!    and an [`item::Subject`]; only form errors are found here.
//! 2. **analyze** ([`analyze`], [`level`]): the annotation, the item and the
//!    [`registry::Registry`] become an [`analyze::Audit`], where every meaning of one item
//!    is decided once: aliases, the evidence for each pattern, the decision and citation
//!    each check upholds, the anti-patterns that apply, the fields of each role, the
//!    runtime's path. The level above it, what `#[distaudit::audit]` decides for a whole
//!    impl or trait (the contract each method receives, whether and at which type a test
//!    can build receivers, the state-machine plan, delegations inside the impl, where the
//!    type's invariants are checked), is a [`level::ImplAudit`] or [`level::TraitAudit`].
//! 3. **rules** ([`rules::RULES`] for an item, [`rules::IMPL_RULES`] for an impl): the
//!    models become [`diag::Finding`]s.
//! 4. **emit** ([`expand`], [`render`]): the models become tokens (the woven function,
//!    `KeyRange` impls, property tests), docs and errors. Emitters read the models and
//!    decide nothing. `cargo distaudit` is the other reader of the same models.
//!
//! The names code must know are typed in [`catalogue`]: [`catalogue::AntiPattern`],
//! the invariant-kind table [`catalogue::KINDS`], [`catalogue::Role`] and the reviewer's
//! ordering checklist [`catalogue::ORDERING_CHECKS`]; the annotation's own keywords are
//! [`annotation::ARGUMENT_TABLE`]. Did-you-mean lives in [`suggest`], for every message
//! that proposes an id.
//!
//! # Contributing
//!
//! Each task below is a short list of files; paths are from the repository root.
//!
//! **Add an anti-pattern** (4 files):
//! 1. `distaudit-registry/citations/anti_patterns.toml`: its statement, why, fix and
//!    sources;
//! 2. `distaudit-registry/src/catalogue.rs`: one row of `anti_patterns!` (number, slug,
//!    code, severity, title);
//! 3. `distaudit-core/src/rules/anti_patterns.rs`: its detector;
//! 4. `tests/ui/fail/DA00NN-<slug>.rs` (with its `.stderr`): the case it refuses.
//!
//! It applies to the patterns whose registry entry lists it (data, in the same toml).
//!
//! **Add an invariant kind** (4 files):
//! 1. `distaudit-registry/src/catalogue.rs`: a `Kind` variant and its row in `KINDS` (name,
//!    what it checks, when it runs, the decision it upholds by default, what it needs of
//!    types); the parser, the rules and the docs' table read the row;
//! 2. `distaudit-core/src/expand/weave/kinds.rs`: its code, one function;
//! 3. `tests/invariants.rs`: a seeded bug it catches;
//! 4. `tests/ui/pass/*.rs` or `tests/ui/fail/*.rs`: an annotation it accepts or refuses.
//!
//! (A kind that reports through a runtime function none of the others uses also adds that
//! function to `src/runtime.rs`.)
//!
//! **Add a coordination family to `cargo distaudit`** (3 files):
//! 1. `cargo-distaudit/src/families/`: one row of the family table (name, JSON id, registry
//!    patterns, nouns, verbs, state words) and its behaviour detector;
//! 2. `cargo-distaudit/tests/detectors.rs`: a minimal case it finds, and one it leaves;
//! 3. `bench/corpus/labels.tsv`: labelled items of the family in the real-code corpus.
//!
//! **Add an output format to `cargo distaudit`** (4 files):
//! 1. `cargo-distaudit/src/output.rs`: a `Format` variant and its `Writer`;
//! 2. the writer's own file beside it (as `report.rs`, `markdown.rs`);
//! 3. `cargo-distaudit/tests/cli.rs`: a golden test of the format;
//! 4. `cargo-distaudit/tests/golden/`: the golden output.

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
