//! What a command produces: its output and exit code, and the report formats, each a
//! [`Writer`] over the same [`Report`]. A new format is a [`Format`] variant, its writer
//! and a golden test.

use crate::engine::Registry;
use crate::model::Issue;
use crate::report::{self, Counts};
use crate::workspace::Audit;
use clap::ValueEnum;

/// Exit codes: clean, a BLOCK (or a WARN under `--deny warnings`), could not run.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// What a command produced.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// The report formats.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
}

impl Format {
    /// The writer of this format.
    #[must_use]
    pub fn writer(self) -> &'static dyn Writer {
        match self {
            Format::Text => &Text,
            Format::Json => &Json,
            Format::Sarif => &Sarif,
            Format::Markdown => &Markdown,
        }
    }
}

/// Everything a report is written from.
pub struct Report<'a> {
    pub audit: &'a Audit,
    pub issues: &'a [Issue],
    pub counts: Counts,
    /// The one-line summary (`distaudit: 2 BLOCK, ..`).
    pub summary: &'a str,
    /// The registry the rules' help is taken from (SARIF).
    pub registry: &'a Registry,
}

/// One output format.
pub trait Writer {
    /// The report as this format writes it (stdout).
    fn write(&self, report: &Report<'_>) -> String;

    /// Whether the summary also goes to stderr (a format whose stdout is a document).
    fn summary_on_stderr(&self) -> bool {
        true
    }
}

/// rustc-like text, the summary last.
pub struct Text;
/// The JSON document of `SCHEMA.md`.
pub struct Json;
/// SARIF 2.1.0 for code scanning.
pub struct Sarif;
/// The reviewer's markdown report.
pub struct Markdown;

impl Writer for Text {
    fn write(&self, r: &Report<'_>) -> String {
        report::text(&r.audit.root, r.issues, r.summary)
    }

    fn summary_on_stderr(&self) -> bool {
        false
    }
}

impl Writer for Json {
    fn write(&self, r: &Report<'_>) -> String {
        report::json(r.audit, r.issues, r.counts)
    }
}

impl Writer for Sarif {
    fn write(&self, r: &Report<'_>) -> String {
        report::sarif(r.issues, r.registry)
    }
}

impl Writer for Markdown {
    fn write(&self, r: &Report<'_>) -> String {
        crate::markdown::report(r.audit, r.issues)
    }
}
