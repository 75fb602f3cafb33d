//! The workspace: which packages to audit (cargo_metadata), their targets, and every source
//! file reached from each target's root through `mod` declarations, read in parallel.

use crate::adopt;
use crate::engine::{self, Code, MIN_JUSTIFICATION_WORDS, Registry, RegistryError};
use crate::error::CliError;
pub use crate::model::shown;
use crate::model::{CoordItem, Issue, Region, Source};
use crate::scan::ChildModule;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which packages: cargo's usual selection flags.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub workspace: bool,
    pub exclude: Vec<String>,
}

/// A package to audit.
#[derive(Clone, Debug)]
pub struct Package {
    pub name: String,
    pub manifest_dir: PathBuf,
    /// `(root file, is test/bench/example code)`.
    pub roots: Vec<(PathBuf, bool)>,
    /// The crates it depends on, by the names its code uses (a rename, `-` as `_`).
    pub dependencies: Vec<String>,
}

/// The packages of the workspace that the selection names.
///
/// # Errors
/// When cargo metadata cannot be read or a `-p` names no member: the run cannot go on.
pub fn packages(sel: &Selection) -> Result<(PathBuf, Vec<Package>), CliError> {
    packages_and_context(sel).map(|(root, selected, _)| (root, selected))
}

/// [`packages`], and the members of the workspace the selection leaves out that a selected
/// package depends on (directly or through other members): the audit reads their trait
/// contracts, which the selected impls receive, and reports nothing of theirs.
///
/// # Errors
/// As [`packages`].
pub fn packages_and_context(
    sel: &Selection,
) -> Result<(PathBuf, Vec<Package>, Vec<Package>), CliError> {
    let mut cmd = cargo_metadata::MetadataCommand::new();
    cmd.no_deps();
    if let Some(p) = &sel.manifest_path {
        cmd.manifest_path(p);
    }
    let meta = cmd.exec()?;
    let root: PathBuf = meta.workspace_root.clone().into();
    let members: BTreeSet<_> = meta.workspace_members.iter().collect();
    let default_members: BTreeSet<_> = meta.workspace_default_members.iter().collect();
    for p in &sel.packages {
        if !meta
            .packages
            .iter()
            .any(|k| k.name.as_str() == p && members.contains(&k.id))
        {
            return Err(CliError::NotAMember {
                package: p.clone(),
                root,
            });
        }
    }
    // The package of the manifest (given, or found from the current directory up), as
    // cargo selects it; a virtual manifest means the default members.
    let manifest = match &sel.manifest_path {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir().ok().and_then(|d| {
            d.ancestors()
                .map(|a| a.join("Cargo.toml"))
                .find(|m| m.is_file())
        }),
    };
    let manifest = manifest.and_then(|m| m.canonicalize().ok());
    let here = meta
        .packages
        .iter()
        .find(|k| {
            members.contains(&k.id)
                && Some(PathBuf::from(k.manifest_path.clone()).canonicalize().ok())
                    == Some(manifest.clone())
        })
        .map(|k| k.id.clone());
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for pkg in &meta.packages {
        if !members.contains(&pkg.id) {
            continue;
        }
        let name = pkg.name.to_string();
        let chosen = if !sel.packages.is_empty() {
            sel.packages.contains(&name)
        } else if sel.workspace {
            true
        } else {
            match &here {
                Some(id) => *id == pkg.id,
                None => default_members.is_empty() || default_members.contains(&pkg.id),
            }
        };
        let chosen = chosen && !sel.exclude.contains(&name);
        let manifest_dir: PathBuf = pkg
            .manifest_path
            .parent()
            .map(Into::into)
            .unwrap_or_default();
        let mut roots: Vec<(PathBuf, bool)> = Vec::new();
        for t in &pkg.targets {
            let test_like = t.kind.iter().any(|k| {
                matches!(
                    k,
                    cargo_metadata::TargetKind::Test
                        | cargo_metadata::TargetKind::Bench
                        | cargo_metadata::TargetKind::Example
                )
            });
            let path: PathBuf = t.src_path.clone().into();
            if !roots.iter().any(|(p, _)| *p == path) {
                roots.push((path, test_like));
            }
        }
        // Libraries and binaries first: a file reached from both is audited as theirs.
        roots.sort_by_key(|(_, t)| *t);
        let dependencies = pkg
            .dependencies
            .iter()
            .map(|d| d.rename.as_deref().unwrap_or(&d.name).replace('-', "_"))
            .collect();
        let package = Package {
            name,
            manifest_dir,
            roots,
            dependencies,
        };
        if chosen {
            out.push(package);
        } else {
            left_out.push(package);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    // The left-out members the selection reaches through dependencies.
    let mut context: Vec<Package> = Vec::new();
    let mut reach: Vec<String> = out.iter().flat_map(|p| p.dependencies.clone()).collect();
    while let Some(name) = reach.pop() {
        if let Some(at) = left_out
            .iter()
            .position(|p| p.name.replace('-', "_") == name)
        {
            let p = left_out.remove(at);
            reach.extend(p.dependencies.iter().cloned());
            context.push(p);
        }
    }
    context.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((root, out, context))
}

/// What the audit of the selected packages found.
#[derive(Debug, Default)]
pub struct Audit {
    pub root: PathBuf,
    pub crates: Vec<String>,
    pub issues: Vec<Issue>,
    pub items: Vec<CoordItem>,
    pub files: usize,
    pub lines: usize,
    /// Per crate: its registry loaded (false: a broken `distaudit.toml`).
    pub registries: BTreeMap<String, Arc<Registry>>,
    /// The `[[evidence]]` links checked, and a test run's record when one was given.
    pub evidence: crate::evidence::Evidence,
}

/// Every `delegates(decision, to)` the attribute does not verify itself (the engine's
/// [`engine::PathTarget::Elsewhere`]: any target outside the item's own
/// `#[distaudit::audit]` impl): the target must be an annotated item of the crate with a
/// check that upholds the decision. The engine reads the path, from the item's module.
///
/// A path into a crate the package depends on but this audit does not cover (outside the
/// workspace, or not selected) is reported as unverified, not as a target without
/// `#[coordination]`: the audit cannot know.
pub(crate) fn delegations(items: &[crate::model::CoordItem], packages: &[Package]) -> Vec<Issue> {
    // Item paths as a path names them: `r#match` is `match`.
    let unraw = |path: &str| -> Vec<String> {
        path.split("::")
            .map(|s| s.trim_start_matches("r#").to_string())
            .collect()
    };
    let paths: Vec<Vec<String>> = items.iter().map(|t| unraw(&t.path)).collect();
    let mut out = Vec::new();
    for item in items {
        for (decision, to, region) in &item.model.delegations {
            let engine::PathTarget::Elsewhere(candidates) = item.scope.target(to) else {
                // Within its own audited impl: the attribute verifies it, and the scan with it.
                continue;
            };
            let in_crate = |krate: &str, candidate: &[String]| {
                items
                    .iter()
                    .zip(&paths)
                    .find(|(t, p)| t.krate == krate && p.as_slice() == candidate)
                    .map(|(t, _)| t)
            };
            // In the item's own crate; else, for `other_crate::path`, in that crate when it
            // is one of the audited workspace's (named as Rust writes it: `-` as `_`).
            let target = candidates
                .iter()
                .find_map(|candidate| in_crate(&item.krate, candidate))
                .or_else(|| {
                    let (first, rest) = engine::in_other_crate(to)?;
                    let other = items
                        .iter()
                        .map(|t| t.krate.as_str())
                        .find(|k| *k != item.krate && k.replace('-', "_") == first)?;
                    in_crate(other, &rest)
                });
            let target_checks = target.map(|t| t.model.checks_decision(decision));
            // A dependency of the package that no audited crate is.
            let unread = || {
                let (first, _) = engine::in_other_crate(to)?;
                let depends = packages
                    .iter()
                    .find(|p| p.name == item.krate)
                    .is_some_and(|p| p.dependencies.contains(&first));
                let audited = items.iter().any(|t| t.krate.replace('-', "_") == first);
                (depends && !audited).then_some(first)
            };
            let verdict = match (target_checks, unread()) {
                (None, Some(krate)) => Some(engine::DelegationTarget::NotAudited(krate)),
                (checks, _) => engine::delegation_verdict(checks),
            };
            if let Some(verdict) = verdict {
                let f = engine::delegation_finding(
                    decision,
                    to,
                    verdict,
                    proc_macro2::Span::call_site(),
                );
                out.push(Issue::from_finding(
                    &f,
                    &item.krate,
                    Some(&item.path),
                    &item.file,
                    *region,
                    Source::Annotation,
                ));
            }
        }
    }
    out
}

pub(crate) fn missing_module(root: &Path, krate: &str, from: &Path, child: &ChildModule) -> Issue {
    let tried: Vec<String> = child.candidates.iter().map(|c| shown(root, c)).collect();
    Issue::new(
        Code::SourceUnreadable,
        krate,
        Some(&shown(root, from)),
        child.region,
        format!(
            "module `{}` has no file: tried {}",
            child.module.join("::"),
            tried.join(", ")
        ),
        "the audit follows `mod` declarations to read every file of the crate".into(),
        "create the file or fix the `#[path]` attribute".into(),
        Source::Input,
    )
}

/// The crate's registry: the default plus its `distaudit.toml`. An `[[exempt]]` entry the
/// loader refuses is reported (DA0063) and left out, so the rest of the file still
/// counts; any other error in the file is reported (DA0014) and the crate's annotated
/// items are not checked.
pub(crate) fn load_registry(root: &Path, p: &Package) -> (Option<Arc<Registry>>, Vec<Issue>) {
    let err = match engine::project_registry(&p.manifest_dir) {
        Ok(r) => return (Some(r), Vec::new()),
        Err(e) => e,
    };
    let mut issues = Vec::new();
    let path = p.manifest_dir.join("distaudit.toml");
    let Ok(mut text) = std::fs::read_to_string(&path) else {
        return (None, vec![registry_issue(root, &p.name, &err)]);
    };
    let mut err = err;
    loop {
        let table = adopt::exempt_tables(&text)
            .into_iter()
            .find(|(from, to)| (*from..=*to).contains(&err.line));
        let Some((from, to)) = table else {
            issues.push(registry_issue(root, &p.name, &err));
            return (None, issues);
        };
        issues.push(Issue::new(
            Code::BadExemption,
            &p.name,
            Some(&shown(root, Path::new(&err.file))),
            Region::line(Some(&text), err.line),
            format!("this [[exempt]] entry is refused: {}", err.message),
            "an exemption is a reviewed decision: it names the item by its path, says why in words a reviewer can check, and may expire; the macro refuses the whole distaudit.toml while it is malformed".into(),
            format!("write item = \"module::path::name\", reason = \"<at least {MIN_JUSTIFICATION_WORDS} words>\", and optionally expires = \"YYYY-MM-DD\"; the entry was left out and the rest of the file used"),
            Source::Input,
        ));
        text = adopt::blank_lines(&text, from, to);
        match engine::registry_from_text(&err.file, &text) {
            Ok(r) => return (Some(Arc::new(r)), issues),
            Err(e) => err = e,
        }
    }
}

fn registry_issue(root: &Path, krate: &str, e: &RegistryError) -> Issue {
    let file = shown(root, Path::new(&e.file));
    // The attribute's DA0014 says why and how to fix it; the path is shown from the
    // workspace root.
    let attribute = engine::registry_error(&RegistryError {
        file: file.clone(),
        ..e.clone()
    });
    Issue::new(
        Code::Registry,
        krate,
        Some(&file),
        Region::line(std::fs::read_to_string(&e.file).ok().as_deref(), e.line),
        format!(
            "the registry cannot be loaded: {}; the annotated items of this crate were not checked, the rest of it was audited",
            e.message
        ),
        attribute.why,
        attribute.fix,
        Source::Input,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI's DA0014 gives the attribute's fix, with the path from the workspace root: a
    /// line when the problem has one, the file as a whole when it has none.
    #[test]
    fn a_registry_issue_says_what_the_attribute_says() {
        let root = Path::new("/ws");
        let at = |line| RegistryError {
            file: "/ws/core/distaudit.toml".into(),
            line,
            message: "broken".into(),
        };
        let issue = registry_issue(root, "core", &at(7));
        assert_eq!(issue.fix, "fix core/distaudit.toml at line 7");
        assert_eq!(issue.why, engine::registry_error(&at(7)).why);
        let whole = registry_issue(root, "core", &at(0));
        assert!(!whole.fix.contains("line"), "{}", whole.fix);
        assert!(
            whole.fix.starts_with("fix core/distaudit.toml"),
            "{}",
            whole.fix
        );
    }
}
