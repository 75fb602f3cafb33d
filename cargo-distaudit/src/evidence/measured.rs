//! Coverage measured, not inferred: the record a test run leaves with
//! `DISTAUDIT_COVERAGE=<directory>` (one JSON-lines file per process, written by the
//! runtime), summed over its files and matched to the annotated items' declared checks.
//!
//! A site of the record names a check by the module (`module_path!()`), the item as the
//! woven code names it (`Type::method` or `method`, with the type's name as `owner` where
//! the code had only `Self`) and the check as written, which is how the report names it
//! too. A trait's contract runs in the impls that inherit it: a site of the same method name
//! and check counts for the trait's method. A type's invariants are recorded together, by
//! the type's name.

use crate::engine::{CheckModel, shapes};
use crate::error::CliError;
use crate::model::CoordItem;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One line of a record file.
#[derive(Clone, Debug, Deserialize)]
struct Line {
    module: String,
    item: String,
    check: Option<String>,
    owner: Option<String>,
    evaluated: u64,
    failed: u64,
    accepted: u64,
    refused: u64,
}

/// How often a check ran in the recorded test run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckRun {
    pub evaluated: u64,
    pub failed: u64,
    /// Evaluations in calls of a generated state-machine test that the receiver accepted.
    pub accepted: u64,
    /// Evaluations in calls it refused (an `Err`, a `None`).
    pub refused: u64,
    /// Where an inherited contract ran: the impls' methods, by path.
    pub via: Vec<String>,
}

impl CheckRun {
    /// Evaluated, and every time in a refused call: the accepting path never ran it.
    #[must_use]
    pub fn only_refused(&self) -> bool {
        self.evaluated > 0 && self.refused == self.evaluated
    }

    fn add(&mut self, line: &Line) {
        self.evaluated += line.evaluated;
        self.failed += line.failed;
        self.accepted += line.accepted;
        self.refused += line.refused;
    }
}

/// One site, summed over the record's files: the crate (as Rust names it) and the path
/// from its root.
#[derive(Clone, Debug)]
struct Site {
    krate: String,
    path: Vec<String>,
    /// `None`: a type's invariants, together.
    check: Option<String>,
    run: CheckRun,
}

/// A test run's record, read.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// The file or directory it was read from, as given.
    pub source: PathBuf,
    /// How many files (processes) it holds.
    pub files: usize,
    sites: Vec<Site>,
}

/// `a::b::C<u8>` as segments without generics.
fn segments(path: &str) -> Vec<String> {
    let mut depth = 0;
    let plain: String = path
        .chars()
        .filter(|c| {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                _ => return depth == 0,
            }
            false
        })
        .collect();
    plain
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Line {
    /// The crate and the path from its root of the item the line is about.
    fn site(&self) -> Option<(String, Vec<String>)> {
        let mut path = match (&self.owner, &self.check) {
            (Some(owner), _) => segments(owner),
            (None, _) => segments(&self.module),
        };
        if path.is_empty() {
            return None;
        }
        let krate = path.remove(0);
        if self.check.is_some() {
            let item = segments(&self.item);
            // `Type::method` where the owner is the type already: the method alone.
            let skip = usize::from(self.owner.is_some() && item.len() > 1);
            path.extend(item.into_iter().skip(skip));
        }
        Some((krate, path))
    }
}

impl Record {
    /// Read a record: a directory of `*.jsonl` files, or one file.
    ///
    /// # Errors
    /// When it cannot be read, or a line is not a record's line.
    pub fn read(path: &Path) -> Result<Record, CliError> {
        let files: Vec<PathBuf> = if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|source| CliError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect();
            files.sort();
            files
        } else if path.is_file() {
            vec![path.to_path_buf()]
        } else {
            return Err(CliError::Missing(path.to_path_buf()));
        };
        let mut by_site: BTreeMap<(String, Vec<String>, Option<String>), CheckRun> =
            BTreeMap::new();
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|source| CliError::Read {
                path: file.clone(),
                source,
            })?;
            for (n, raw) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let line: Line =
                    serde_json::from_str(raw).map_err(|e| CliError::NotACoverageRecord {
                        path: file.clone(),
                        line: n + 1,
                        message: e.to_string(),
                    })?;
                if let Some((krate, site)) = line.site() {
                    by_site
                        .entry((krate, site, line.check.clone()))
                        .or_default()
                        .add(&line);
                }
            }
        }
        Ok(Record {
            source: path.to_path_buf(),
            files: files.len(),
            sites: by_site
                .into_iter()
                .map(|((krate, path, check), run)| Site {
                    krate,
                    path,
                    check,
                    run,
                })
                .collect(),
        })
    }

    /// How often `check` of `item` ran: its own site; for a trait method's contract, the
    /// impls' methods of the same name that ran it; for a type, its invariants' runs.
    #[must_use]
    pub fn check(&self, item: &CoordItem, check: &CheckModel) -> CheckRun {
        let krate = item.krate.replace('-', "_");
        let path = segments(&item.path);
        let is_type =
            ![shapes::FUNCTION, shapes::METHOD, shapes::TRAIT_METHOD].contains(&item.shape);
        let mut run = CheckRun::default();
        for site in &self.sites {
            let same_item = site.krate == krate && site.path == path;
            let same_check = site.check.as_deref() == Some(check.written.as_str());
            let counts = if is_type {
                same_item && (site.check.is_none() || same_check)
            } else if same_check && item.shape == shapes::TRAIT_METHOD {
                // Inherited by an impl's method of the same name, in any crate.
                let inherited = !same_item && site.path.last() == path.last();
                if inherited {
                    run.via
                        .push(format!("{}::{}", site.krate, site.path.join("::")));
                }
                same_item || inherited
            } else {
                same_item && same_check
            };
            if counts {
                let failed_alone = is_type && site.check.is_some();
                if failed_alone {
                    // A type invariant's failure: its evaluation is counted with the type's.
                    run.failed += site.run.failed;
                } else {
                    run.evaluated += site.run.evaluated;
                    run.failed += site.run.failed;
                    run.accepted += site.run.accepted;
                    run.refused += site.run.refused;
                }
            }
        }
        run
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(module: &str, item: &str, check: Option<&str>, owner: Option<&str>) -> Line {
        Line {
            module: module.into(),
            item: item.into(),
            check: check.map(Into::into),
            owner: owner.map(Into::into),
            evaluated: 1,
            failed: 0,
            accepted: 0,
            refused: 0,
        }
    }

    #[test]
    fn a_site_is_named_from_the_crate_root() {
        let cases = [
            (
                line("app::shard", "Shard::split", Some("c"), None),
                "app",
                "shard::Shard::split",
            ),
            (line("app", "fence", Some("c"), None), "app", "fence"),
            (
                line("app::m", "advance", Some("c"), Some("app::m::Epoch<u8>")),
                "app",
                "m::Epoch::advance",
            ),
            (
                line("app::m", "Epoch::advance", Some("c"), Some("app::m::Epoch")),
                "app",
                "m::Epoch::advance",
            ),
            (
                line("", "", None, Some("app::shard::Shard")),
                "app",
                "shard::Shard",
            ),
        ];
        for (l, krate, path) in cases {
            let (k, p) = l.site().expect("a site");
            assert_eq!(
                (k.as_str(), p.join("::")),
                (krate, path.to_string()),
                "{l:?}"
            );
        }
    }

    #[test]
    fn only_refused_means_every_evaluation_was_in_a_refused_call() {
        let run = |evaluated, accepted, refused| CheckRun {
            evaluated,
            accepted,
            refused,
            ..CheckRun::default()
        };
        assert!(run(3, 0, 3).only_refused());
        assert!(
            !run(3, 0, 2).only_refused(),
            "one ran outside a state machine"
        );
        assert!(!run(3, 1, 2).only_refused());
        assert!(!run(0, 0, 0).only_refused());
    }
}
