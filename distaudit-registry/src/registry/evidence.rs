//! `[[evidence]]` in a crate's `distaudit.toml`: a link from a decision (or an item's checks)
//! to a spec, proof, model, simulation invariant or test the team keeps, with the
//! fingerprint of the target's text when the link was last confirmed. The attribute reads
//! the table and ignores it; `cargo distaudit` checks every link.

use super::validate::check_lexical;
use super::{Origin, Registry, RegistryError};

/// What kind of artefact a link names, which says how its target is found and how strong
/// it is as evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EvidenceKind {
    /// A TLA+ operator, model-checked by TLC or proved by TLAPS: `Spec.tla#MutualExclusion`.
    Tla,
    /// A Kani proof harness: a function with `#[kani::proof]`.
    Kani,
    /// A loom model: a function that calls `loom::model`.
    Loom,
    /// A shuttle test: a function that calls `shuttle::check_*`.
    Shuttle,
    /// A simulation's invariant: a named function the simulator calls.
    Simulation,
    /// A test: a function with `#[test]` (or another `..::test` attribute).
    Test,
}

impl EvidenceKind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [EvidenceKind; 6] = [
        EvidenceKind::Tla,
        EvidenceKind::Kani,
        EvidenceKind::Loom,
        EvidenceKind::Shuttle,
        EvidenceKind::Simulation,
        EvidenceKind::Test,
    ];

    /// The spelling in `kind = ".."`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            EvidenceKind::Tla => "tla",
            EvidenceKind::Kani => "kani",
            EvidenceKind::Loom => "loom",
            EvidenceKind::Shuttle => "shuttle",
            EvidenceKind::Simulation => "simulation",
            EvidenceKind::Test => "test",
        }
    }

    /// The kind spelled `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<EvidenceKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether a tool checks the target exhaustively within its bounds (a model checker, a
    /// bounded prover, a schedule explorer): such a link, existing and confirmed, is
    /// level-5 evidence for what it covers. Tests and simulations sample executions: they
    /// are executable evidence, not a proof.
    #[must_use]
    pub fn machine_checked(self) -> bool {
        matches!(
            self,
            EvidenceKind::Tla | EvidenceKind::Kani | EvidenceKind::Loom | EvidenceKind::Shuttle
        )
    }

    /// How a report names what the tool does: `model-checked (TLA+)`, `tested`.
    #[must_use]
    pub fn verb(self) -> &'static str {
        match self {
            EvidenceKind::Tla => "model-checked (TLA+)",
            EvidenceKind::Kani => "proved (Kani)",
            EvidenceKind::Loom => "model-checked (loom)",
            EvidenceKind::Shuttle => "explored (shuttle)",
            EvidenceKind::Simulation => "simulated",
            EvidenceKind::Test => "tested",
        }
    }
}

/// One `[[evidence]]` entry.
#[derive(Clone, Debug)]
pub struct EvidenceLink {
    /// Unique in the file: `shard-fencing-mutex`.
    pub id: String,
    pub kind: EvidenceKind,
    /// The file, relative to the directory of the `distaudit.toml` that names it.
    pub file: String,
    /// What in the file: a TLA+ operator, or a function (`name`, or `module::name`,
    /// `Type::method` to tell two apart).
    pub name: String,
    /// Decision ids it is evidence for (`S1`, `D2.3`).
    pub covers: Vec<String>,
    /// Annotated items (`module::Type::method`) whose declared checks it is evidence for.
    pub items: Vec<String>,
    /// The fingerprint of the target's text when the link was last confirmed; `None` for
    /// a link never confirmed.
    pub fingerprint: Option<String>,
    pub origin: Origin,
}

impl EvidenceLink {
    /// `specs/ShardFencing.tla#MutualExclusion`, as written.
    #[must_use]
    pub fn target(&self) -> String {
        format!("{}#{}", self.file, self.name)
    }
}

/// The shortest fingerprint a link may record: 16 hex digits (64 bits).
pub const MIN_FINGERPRINT_DIGITS: usize = 16;

fn error(origin: &Origin, message: String) -> RegistryError {
    RegistryError {
        file: origin.file.clone(),
        line: origin.line,
        message,
    }
}

/// Every link: a lexical id, unique; a target of the form `path#name`; something covered,
/// and every decision it covers known; a fingerprint of hex digits.
pub(super) fn validate(registry: &Registry) -> Result<(), RegistryError> {
    for (index, link) in registry.evidence.iter().enumerate() {
        let o = &link.origin;
        check_lexical(&link.id)
            .map_err(|m| error(o, format!("evidence id \"{}\": {m}", link.id)))?;
        if let Some(first) = registry.evidence[..index].iter().find(|e| e.id == link.id) {
            return Err(error(
                o,
                format!(
                    "evidence id \"{}\" is already defined at {}:{}",
                    link.id, first.origin.file, first.origin.line
                ),
            ));
        }
        if link.file.trim().is_empty() || link.name.trim().is_empty() {
            return Err(error(
                o,
                format!(
                    "evidence \"{}\": `target` is a file and a name joined by `#`, like \"specs/ShardFencing.tla#MutualExclusion\" or \"tests/fencing.rs#zombie_is_rejected\"",
                    link.id
                ),
            ));
        }
        if link.covers.is_empty() && link.items.is_empty() {
            return Err(error(
                o,
                format!(
                    "evidence \"{}\" covers nothing: name the decisions it is evidence for (`covers = [\"S1\"]`) or the annotated items whose checks it covers (`items = [\"module::Type::method\"]`)",
                    link.id
                ),
            ));
        }
        for d in &link.covers {
            if registry.decision(d).is_none() {
                let known: Vec<&str> = registry.decisions.iter().map(|d| d.id.as_str()).collect();
                return Err(error(
                    o,
                    format!(
                        "evidence \"{}\" covers unknown decision \"{d}\"; the registry's decisions are {}",
                        link.id,
                        known.join(", ")
                    ),
                ));
            }
        }
        if let Some(f) = &link.fingerprint
            && (f.len() < MIN_FINGERPRINT_DIGITS
                || f.len() > 64
                || !f
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
        {
            return Err(error(
                o,
                format!(
                    "evidence \"{}\": fingerprint \"{f}\" is not {MIN_FINGERPRINT_DIGITS} to 64 lowercase hex digits; `cargo distaudit evidence` prints the one to record",
                    link.id
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{DEFAULT_FILES, parse_files};

    fn project(text: &str) -> Result<Registry, RegistryError> {
        let mut files = DEFAULT_FILES.to_vec();
        files.push(("distaudit.toml", text));
        parse_files(&files, true)
    }

    const OWN_DECISION: &str = r#"
[[decision]]
id = "S1"
title = "One owner per shard"
statement = "At most one node serves a shard at a time."
rationale = "Two owners would both write."
sources = ["gray-cheriton-1989"]
"#;

    #[test]
    fn a_link_is_read_with_its_target_split() {
        let r = project(&format!(
            "{OWN_DECISION}\n[[evidence]]\nid = \"shard-mutex\"\nkind = \"tla\"\ntarget = \"specs/Shard.tla#MutualExclusion\"\ncovers = [\"S1\", \"D2.3\"]\nfingerprint = \"0123456789abcdef\"\n"
        ))
        .expect("valid");
        let link = &r.evidence[0];
        assert_eq!(link.kind, EvidenceKind::Tla);
        assert_eq!(
            (link.file.as_str(), link.name.as_str()),
            ("specs/Shard.tla", "MutualExclusion")
        );
        assert_eq!(link.covers, ["S1", "D2.3"]);
        assert_eq!(link.origin.line, 10);
        assert!(link.kind.machine_checked() && !EvidenceKind::Test.machine_checked());
    }

    #[test]
    fn malformed_links_are_refused_at_their_line() {
        let cases = [
            ("kind = \"coq\"", "unknown evidence kind `coq`"),
            (
                "kind = \"tla\"\ncovers = [\"S9\"]",
                "covers unknown decision \"S9\"",
            ),
            ("kind = \"tla\"\ncovers = []", "covers nothing"),
            (
                "kind = \"tla\"\ncovers = [\"D2.3\"]\nfingerprint = \"xyz\"",
                "not 16 to 64",
            ),
        ];
        for (fields, expected) in cases {
            let target = "target = \"a.tla#Op\"";
            let text = format!("[[evidence]]\nid = \"x\"\n{target}\n{fields}\n");
            let e = project(&text).expect_err(expected);
            assert!(e.message.contains(expected), "{expected}: {e}");
            assert!(e.line >= 1, "{e}");
        }
        let no_name = project("[[evidence]]\nid = \"x\"\nkind = \"test\"\ntarget = \"tests/a.rs\"\ncovers = [\"A\"]\n")
            .expect_err("a target without #name");
        assert!(no_name.message.contains("joined by `#`"), "{no_name}");
        let twice = project("[[evidence]]\nid = \"x\"\nkind = \"test\"\ntarget = \"t.rs#a\"\ncovers = [\"A\"]\n[[evidence]]\nid = \"x\"\nkind = \"test\"\ntarget = \"t.rs#b\"\ncovers = [\"A\"]\n")
            .expect_err("a repeated id");
        assert!(twice.message.contains("already defined"), "{twice}");
        assert_eq!(twice.line, 7);
    }

    #[test]
    fn only_a_project_file_has_links() {
        let mut files = DEFAULT_FILES.to_vec();
        files.push((
            "extra.toml",
            "[[evidence]]\nid = \"x\"\nkind = \"test\"\ntarget = \"t.rs#a\"\ncovers = [\"A\"]\n",
        ));
        let e = parse_files(&files, false).expect_err("not a project file");
        assert!(
            e.message.contains("belongs in a crate's distaudit.toml"),
            "{e}"
        );
    }
}
