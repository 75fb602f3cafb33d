//! What the audit reports: issues with a code, a severity, an item and a place, and the
//! coordination items the reports describe.

use crate::engine::{self, Code, Finding, ItemModel, Severity};
pub use crate::region::{Region, located};
use serde::Serialize;
use std::path::Path;

/// A path as issues show it: relative to the workspace root, `/`-separated.
#[must_use]
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Where an issue comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The annotation's own findings: the engine's.
    Annotation,
    /// The family detector, on code nobody annotated.
    Scan,
    /// An anti-pattern in code nobody annotated.
    AntiPattern,
    /// The user's input: a source file, a `distaudit.toml`, a baseline.
    Input,
    /// Exemptions and the baseline.
    Adoption,
    /// A design record (lint-docs).
    Document,
}

/// One problem, with everything every output format needs.
#[derive(Clone, Debug)]
pub struct Issue {
    pub code: Code,
    /// The code's engine severity: WARN fails the run under `--deny warnings`, BLOCK
    /// always does. The audit invents none of its own.
    pub level: Severity,
    /// The package name (or the document for lint-docs).
    pub krate: String,
    /// `module::path::Item`, crate-relative, when the issue belongs to an item.
    pub item: Option<String>,
    /// Relative to the workspace root, `/`-separated.
    pub file: Option<String>,
    pub region: Option<Region>,
    pub what: String,
    pub why: String,
    pub fix: String,
    pub source: Source,
    /// For uncited coordination code: the family (its name in reports, and its stable id
    /// for machine-readable output) and the registry patterns to consider.
    pub family: Option<String>,
    pub family_id: Option<String>,
    pub patterns: Vec<String>,
    /// An obligation of a method its type's invariants may meet (`D2.3`, `fencing`): kept
    /// only when the type's annotation does not meet it.
    pub answered_by_type: Option<distaudit_core::diag::Obligation>,
}

impl Issue {
    /// An issue from an engine finding, at its span (or at `fallback` when the finding
    /// has no location of its own).
    #[must_use]
    pub fn from_finding(
        f: &Finding,
        krate: &str,
        item: Option<&str>,
        file: &str,
        fallback: Option<Region>,
        source: Source,
    ) -> Issue {
        Issue {
            code: f.code,
            level: f.severity(),
            krate: krate.to_string(),
            item: item.map(str::to_string),
            file: Some(file.to_string()),
            region: Region::of(f.span.join(f.end).unwrap_or(f.span)).or(fallback),
            what: f.what.clone(),
            why: f.why.clone(),
            fix: f.fix.clone(),
            source,
            family: None,
            family_id: None,
            patterns: Vec::new(),
            answered_by_type: f.answered_by_type,
        }
    }

    /// An issue of one of the audit's own codes (DA0060-76), or of an input error.
    #[must_use]
    #[expect(
        clippy::too_many_arguments,
        reason = "every field of an issue, named at the call"
    )]
    pub fn new(
        code: Code,
        krate: &str,
        file: Option<&str>,
        region: Option<Region>,
        what: String,
        why: String,
        fix: String,
        source: Source,
    ) -> Issue {
        Issue {
            code,
            level: code.severity(),
            krate: krate.to_string(),
            item: None,
            file: file.map(str::to_string),
            region,
            what,
            why,
            fix,
            source,
            family: None,
            family_id: None,
            patterns: Vec::new(),
            answered_by_type: None,
        }
    }

    /// `file:line` for tables, or the crate when there is no file.
    #[must_use]
    pub fn location(&self) -> String {
        match (&self.file, &self.region) {
            (Some(f), Some(r)) => format!("{f}:{}", r.line),
            (Some(f), None) => f.clone(),
            _ => self.krate.clone(),
        }
    }

    /// The order of every report: crate, file, line, column, code.
    #[must_use]
    pub fn sort_key(&self) -> (String, String, Option<Region>, String, String) {
        (
            self.krate.clone(),
            self.file.clone().unwrap_or_default(),
            self.region,
            self.code.to_string(),
            self.what.clone(),
        )
    }
}

/// An annotated item, as the reports describe it.
#[derive(Clone, Debug)]
pub struct CoordItem {
    pub krate: String,
    pub path: String,
    pub file: String,
    pub first_line: usize,
    pub last_line: usize,
    /// `function`, `method`, `trait method`, `struct`, ...
    pub shape: &'static str,
    /// The engine's resolved model of its annotation.
    pub model: ItemModel,
    /// Whether the engine gave it a BLOCK.
    pub blocked: bool,
    /// Where it is written: what its `delegates(.., to)` paths are read from.
    pub scope: ItemScope,
}

/// Where an annotated item is written, as the engine reads a delegation path from it
/// ([`engine::PathScope`]), owned.
#[derive(Clone, Debug, Default)]
pub struct ItemScope {
    /// Its module, from the crate root.
    pub module: Vec<String>,
    /// For an associated item: its impl's type (or its trait), by name.
    pub self_type: Option<String>,
    /// Its impl's methods (unraw'd) when `#[distaudit::audit]` expands them together.
    pub audited_methods: Option<Vec<String>>,
}

impl ItemScope {
    /// The engine's target of `to` written here.
    #[must_use]
    pub fn target(&self, to: &str) -> engine::PathTarget {
        let methods: Option<Vec<&str>> = self
            .audited_methods
            .as_ref()
            .map(|m| m.iter().map(String::as_str).collect());
        engine::delegation_target(
            to,
            &engine::PathScope {
                module: &self.module,
                self_type: self.self_type.as_deref(),
                audited_methods: methods.as_deref(),
            },
        )
    }
}
