//! Why a command could not run (exit code 2): one typed error per cause, each with the
//! message the user sees.

use std::path::PathBuf;

/// A command that could not run.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read the workspace with `cargo metadata`: {0}")]
    Metadata(#[from] cargo_metadata::Error),
    #[error("package `{package}` is not a member of the workspace at {}", root.display())]
    NotAMember { package: String, root: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} does not exist", .0.display())]
    Missing(PathBuf),
    #[error("cannot read the baseline {}: {source}", path.display())]
    ReadBaseline {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the baseline {} is not a distaudit baseline: {source}", path.display())]
    NotABaseline {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot write the baseline: {0}")]
    Serialize(#[from] serde_json::Error),
    #[error(transparent)]
    Registry(#[from] crate::engine::RegistryError),
    #[error("{}:{line} is not a line of a coverage record (written with DISTAUDIT_COVERAGE set): {message}", path.display())]
    NotACoverageRecord {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("no annotated item `{wanted}`; nearest: {nearest}")]
    NoSuchItem { wanted: String, nearest: String },
}
