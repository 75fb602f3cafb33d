//! Evidence beyond citations: the `[[evidence]]` links of each crate's `distaudit.toml`
//! checked against their targets (COVERED, OUTDATED, ORPHANED, with DA0086 and DA0087), and
//! the record of a test run's evaluated checks ([`measured`]). The traceability table
//! (`crate::trace`) reads both.

pub mod measured;
pub mod target;

use crate::engine::Code;
// The registry's model of a link: a type, not a call into the engine.
use crate::engine::EvidenceLink;
use crate::model::{CoordItem, Issue, Region, Source, shown};
use crate::workspace::Audit;
use std::fmt::Write as _;
use std::path::Path;
use target::Gone;

/// What a checked link is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkState {
    /// The target exists and its fingerprint is the recorded one.
    Covered,
    /// The target exists, and its text changed since the fingerprint was recorded (or none
    /// was ever recorded): re-confirm by recording the current one.
    Outdated,
    /// The target is gone.
    Orphaned,
}

impl LinkState {
    /// `COVERED`, as reports write it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            LinkState::Covered => "COVERED",
            LinkState::Outdated => "OUTDATED",
            LinkState::Orphaned => "ORPHANED",
        }
    }
}

/// One `[[evidence]]` link, checked.
#[derive(Clone, Debug)]
pub struct CheckedLink {
    pub link: EvidenceLink,
    /// The crates whose registry has it (more than one for a workspace-wide file).
    pub crates: Vec<String>,
    /// The `distaudit.toml` that names it, from the workspace root.
    pub registry_file: String,
    /// The target's file, from the workspace root.
    pub file: String,
    pub state: LinkState,
    /// The target's fingerprint now, when it exists.
    pub current: Option<String>,
    /// Why it is ORPHANED.
    pub gone: Option<String>,
}

impl CheckedLink {
    /// The target as shown: `specs/Spec.tla#Op`, from the workspace root.
    #[must_use]
    pub fn target(&self) -> String {
        format!("{}#{}", self.file, self.link.name)
    }

    /// Whether it is level-5 evidence for what it covers: a machine-checked artefact that
    /// exists and whose text is the one confirmed.
    #[must_use]
    pub fn level_five(&self) -> bool {
        self.link.kind.machine_checked() && self.state == LinkState::Covered
    }

    /// `model-checked (TLA+) by `specs/S.tla#Op``.
    #[must_use]
    pub fn described(&self) -> String {
        format!("{} by `{}`", self.link.kind.verb(), self.target())
    }
}

/// What `cargo distaudit` knows beyond the annotations: the checked links, and the record
/// of a test run when one was given (`--coverage`).
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub links: Vec<CheckedLink>,
    pub coverage: Option<measured::Record>,
}

impl Evidence {
    /// The links a crate's registry has.
    pub fn of_crate<'a>(&'a self, krate: &'a str) -> impl Iterator<Item = &'a CheckedLink> {
        self.links
            .iter()
            .filter(move |l| l.crates.iter().any(|c| c == krate))
    }
}

/// Check one link: find its target, take its fingerprint, compare.
#[must_use]
pub fn check_link(root: &Path, link: &EvidenceLink, krate: &str) -> CheckedLink {
    let registry_path = Path::new(&link.origin.file);
    let base = registry_path.parent().unwrap_or(root);
    let path = base.join(&link.file);
    let found = std::fs::read_to_string(&path)
        .map_err(|e| Gone::NoFile(e.kind().to_string()))
        .and_then(|text| target::locate(link.kind, &text, &link.name));
    let (state, current, gone) = match found {
        Err(g) => (LinkState::Orphaned, None, Some(g.describe(link.kind))),
        Ok(text) => {
            let now = target::fingerprint(link.kind, &text);
            let same = link
                .fingerprint
                .as_deref()
                .is_some_and(|f| target::matches(f, &now));
            let state = if same {
                LinkState::Covered
            } else {
                LinkState::Outdated
            };
            (state, Some(now), None)
        }
    };
    CheckedLink {
        link: link.clone(),
        crates: vec![krate.to_string()],
        registry_file: shown(root, registry_path),
        file: shown(root, &normalised(&path)),
        state,
        current,
        gone,
    }
}

/// A path without `.` and `..` components where they can be folded away.
fn normalised(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Every link of every audited crate's registry, checked once (a file several crates
/// share lists them all).
#[must_use]
pub fn check(audit: &Audit) -> Vec<CheckedLink> {
    let mut out: Vec<CheckedLink> = Vec::new();
    for (krate, registry) in &audit.registries {
        for link in &registry.evidence {
            let same = |c: &&mut CheckedLink| {
                c.link.id == link.id && c.link.origin.file == link.origin.file
            };
            if let Some(known) = out.iter_mut().find(same) {
                known.crates.push(krate.clone());
            } else {
                out.push(check_link(&audit.root, link, krate));
            }
        }
    }
    out
}

/// DA0086 for an ORPHANED link or one naming an item that is not annotated, DA0087 for an
/// OUTDATED one: at the link's line in its `distaudit.toml`.
#[must_use]
pub fn issues(root: &Path, links: &[CheckedLink], items: &[CoordItem]) -> Vec<Issue> {
    let mut out = Vec::new();
    for c in links {
        let text = std::fs::read_to_string(root.join(&c.registry_file)).ok();
        let at = Region::line(text.as_deref(), c.link.origin.line);
        let issue = |code, what: String, why: String, fix: String| {
            Issue::new(
                code,
                &c.crates[0],
                Some(&c.registry_file),
                at,
                what,
                why,
                fix,
                Source::Input,
            )
        };
        if let Some(i) = state_issue(c) {
            out.push(issue(i.0, i.1, i.2, i.3));
        }
        for item in &c.link.items {
            let annotated = items
                .iter()
                .any(|i| c.crates.contains(&i.krate) && i.path == *item);
            if !annotated {
                out.push(issue(
                    Code::EvidenceOrphaned,
                    format!(
                        "evidence `{}` covers item `{item}`, which is not an annotated item of crate `{}`",
                        c.link.id, c.crates[0]
                    ),
                    "a link says whose checks its artefact is evidence for; one naming an item that is gone or was renamed vouches for nothing the audit can show".into(),
                    format!(
                        "write the item's path from the crate root as the report's Inline Audit shows it (`module::Type::method`), or remove it from `items` of `{}`",
                        c.link.id
                    ),
                ));
            }
        }
    }
    out
}

/// The code, what, why and fix of a link's state, when it is not COVERED.
fn state_issue(c: &CheckedLink) -> Option<(Code, String, String, String)> {
    let covers = covered_words(&c.link);
    let kind = c.link.kind.name();
    match c.state {
        LinkState::Covered => None,
        LinkState::Orphaned => Some((
            Code::EvidenceOrphaned,
            format!(
                "evidence `{}` ({kind}) is ORPHANED: target `{}` {}",
                c.link.id,
                c.target(),
                c.gone.as_deref().unwrap_or("is gone")
            ),
            format!(
                "the link is how a reviewer sees that {covers} rest on an artefact the team keeps; a link to nothing claims evidence that is not there"
            ),
            format!(
                "point `target` at where it lives now and record the fingerprint `cargo distaudit evidence` prints, or remove the link and say what else is evidence for {covers}"
            ),
        )),
        LinkState::Outdated => {
            let now = c.current.as_deref().unwrap_or_default();
            let what = match &c.link.fingerprint {
                Some(f) => format!(
                    "evidence `{}` ({kind}) is OUTDATED: target `{}` changed since fingerprint {f} was recorded (now {now})",
                    c.link.id,
                    c.target()
                ),
                None => format!(
                    "evidence `{}` ({kind}) is OUTDATED: target `{}` has no recorded fingerprint, so no one has confirmed it (now {now})",
                    c.link.id,
                    c.target()
                ),
            };
            Some((
                Code::EvidenceOutdated,
                what,
                format!(
                    "a changed spec, proof or test may no longer say what {covers} need; the link counts as evidence again once someone has read the change and confirmed it"
                ),
                format!(
                    "read `{}`, and when it still is evidence for {covers}, set `fingerprint = \"{now}\"` in the `[[evidence]]` entry `{}`",
                    c.target(),
                    c.link.id
                ),
            ))
        }
    }
}

/// `S1, D2.3 and the checks of `x``, for messages.
fn covered_words(link: &EvidenceLink) -> String {
    let mut parts: Vec<String> = link.covers.clone();
    parts.extend(link.items.iter().map(|i| format!("the checks of `{i}`")));
    parts.join(", ")
}

/// `cargo distaudit evidence`: each link, its state and current fingerprint, and what to
/// paste to re-confirm the ones that need it.
#[must_use]
pub fn listing(links: &[CheckedLink]) -> String {
    let mut out = String::new();
    if links.is_empty() {
        out.push_str("no [[evidence]] links in the audited crates' distaudit.toml\n");
        return out;
    }
    for c in links {
        let _ = writeln!(
            out,
            "{:<9} {} ({}) {} -> covers {}",
            c.state.name(),
            c.link.id,
            c.link.kind.name(),
            c.target(),
            covered_words(&c.link)
        );
        match (&c.current, c.state) {
            (Some(now), LinkState::Covered) => {
                let _ = writeln!(out, "          fingerprint = \"{now}\" (as recorded)");
            }
            (Some(now), _) => {
                let _ = writeln!(
                    out,
                    "          fingerprint = \"{now}\"   # paste into {}:{} once the change is read",
                    c.registry_file, c.link.origin.line
                );
            }
            (None, _) => {
                let _ = writeln!(
                    out,
                    "          {}",
                    c.gone.as_deref().unwrap_or("the target is gone")
                );
            }
        }
    }
    let count = |s| links.iter().filter(|l| l.state == s).count();
    let _ = writeln!(
        out,
        "distaudit evidence: {} COVERED, {} OUTDATED, {} ORPHANED ({} level 5)",
        count(LinkState::Covered),
        count(LinkState::Outdated),
        count(LinkState::Orphaned),
        links.iter().filter(|l| l.level_five()).count()
    );
    out
}

/// `cargo distaudit evidence`: the listing on stdout; exit 1 when a link is ORPHANED (or
/// OUTDATED under `--deny warnings`).
#[must_use]
pub fn command_output(
    audit: &Audit,
    issues: &[Issue],
    deny_warnings: bool,
) -> crate::output::Output {
    let fails = issues.iter().any(|i| {
        i.code == Code::EvidenceOrphaned || (deny_warnings && i.code == Code::EvidenceOutdated)
    });
    crate::output::Output {
        stdout: listing(&audit.evidence.links),
        stderr: String::new(),
        code: if fails {
            crate::output::EXIT_FINDINGS
        } else {
            crate::output::EXIT_CLEAN
        },
    }
}

#[cfg(test)]
mod tests;
