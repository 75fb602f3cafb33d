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

pub mod adopt;
pub mod cli;
pub mod design;
pub mod engine;
pub mod error;
pub mod families;
pub mod markdown;
pub mod model;
pub mod output;
pub mod reading;
pub mod region;
pub mod report;
pub mod scan;
pub mod suggest;
pub mod workspace;

pub use scan::audit_source;
