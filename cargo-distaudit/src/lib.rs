//! `cargo distaudit`: the crate-wide audit of distaudit.
//!
//! The attribute sees only the items it is written on; this subcommand reads every source
//! file of every target of a workspace, gives each annotated item exactly the findings the
//! attribute gives it (same engine, same codes, same text), reports coordination code
//! nobody annotated, finds the anti-patterns everywhere, and writes text, JSON, SARIF and
//! markdown reports.
//!
//! It reads source text: items produced by other macros (`macro_rules!` invocations,
//! derives, attribute macros other than distaudit's) are invisible to it.
//!
//! # Layout
//!
//! - [`reading`] reads a workspace's files ([`workspace`] finds the packages), in parallel;
//!   [`scan`] reads one file: it finds distaudit's attributes and hands each annotated
//!   item, audited impl and audited trait to the engine, and runs the [`families`]
//!   detectors on the rest. It reaches the engine only through [`engine`], which copies the
//!   engine's models into owned values and decides nothing itself.
//! - [`model`] holds what the reports read (issues, items), [`output`] the formats (one
//!   [`output::Writer`] each: [`report`] for text, JSON and SARIF, [`markdown`] for the
//!   reviewer's report), [`error`] why a command could not run.
//! - [`adopt`] (exemptions, baseline), [`design`] (design records) and [`suggest`]
//!   (annotations from free-text references) are the other commands; [`cli`] parses them.
//!
//! The files to touch to add a coordination family or an output format are listed in
//! `distaudit_core`'s crate docs, "Contributing".

pub mod adopt;
pub mod cli;
pub mod design;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod families;
pub mod markdown;
pub mod model;
pub mod output;
pub mod reading;
pub mod region;
pub mod report;
pub mod scan;
pub mod suggest;
pub mod trace;
pub mod workspace;

pub use scan::audit_source;
