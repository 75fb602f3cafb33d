//! What the expansion knows of the compilation: the options the macro crate hands over,
//! the registry and the runtime's path as seen from the crate being compiled, and the
//! check switch decided from them.

use crate::analyze::Site;
use crate::locate;
use crate::registry::{Registry, RegistryError, project_registry};
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::registry::Checks;

/// What the macro crate knows about the compilation, handed to the engine.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A switch for the whole build (`--cfg distaudit_checks=".."` in `RUSTFLAGS`, for
    /// benchmarks), over the crate's own `[checks]` in `distaudit.toml`.
    pub checks: Option<Checks>,
    /// The using crate's manifest directory (for `distaudit.toml` and the runtime's name).
    pub manifest_dir: Option<PathBuf>,
    /// The process expanding the macro: how often a problem of the whole crate is shown.
    pub host: Host,
}

/// The process that expands the macro.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Host {
    /// A compiler that compiles one crate per process, expanding each item once (rustc,
    /// clippy-driver): a problem of the whole crate is reported on the first item only.
    Compiler,
    /// Anything else (rust-analyzer's long-lived proc-macro server, a test calling the
    /// engine, an unknown host): every item reports it.
    #[default]
    Other,
}

/// The options with the check switch decided: the build's, else the crate's, else the
/// default.
#[derive(Clone, Debug)]
pub(crate) struct Decided {
    pub checks: Checks,
}

/// The registry and the runtime's path, as seen from the crate being compiled.
pub(super) struct Environment {
    pub registry: Arc<Registry>,
    /// The project files it was read from (the workspace's, the crate's): the build
    /// depends on them.
    pub registry_files: Vec<PathBuf>,
    pub runtime: syn::Path,
    /// Other names of `#[coordination]` in the audited code (`use ..::coordination as c;`).
    pub aliases: Vec<String>,
}

impl Environment {
    /// The check switch: the build's, else the crate's `[checks]`, else the default.
    pub fn decided(&self, opts: &Options) -> Decided {
        Decided {
            checks: opts.checks.or(self.registry.checks).unwrap_or_default(),
        }
    }

    pub fn load(opts: &Options) -> Result<Self, RegistryError> {
        let (registry, registry_files) = if opts.host == Host::Compiler {
            compiler_registry(opts.manifest_dir.as_deref())?
        } else {
            project_registry(opts.manifest_dir.as_deref())?
        };
        Ok(Environment {
            registry,
            registry_files,
            runtime: locate::runtime_path(opts.manifest_dir.as_deref()),
            aliases: Vec::new(),
        })
    }

    pub fn site(&self, hosted: bool, owner: Option<String>) -> Site {
        Site {
            hosted,
            owner,
            runtime: self.runtime.clone(),
            impl_init: false,
            anchor: None,
            aliases: self.aliases.clone(),
            contract: false,
            inherited: None,
        }
    }
}

/// A project registry as loaded, with the files it came from.
type Loaded = Result<(std::sync::Arc<crate::registry::Registry>, Vec<PathBuf>), RegistryError>;

/// The project registry for a compiler host, read once per manifest directory: a compiler
/// compiles one crate per process and the file cannot change under it (the build depends on
/// it through `include_bytes!`), so the file is not looked at again for every item. A
/// long-lived host ([`Host::Other`]) reads it per item, to see edits.
fn compiler_registry(dir: Option<&std::path::Path>) -> Loaded {
    type Cache = std::sync::Mutex<Vec<(Option<PathBuf>, Loaded)>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let key = dir.map(std::path::Path::to_path_buf);
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, loaded)) = cache.iter().find(|(k, _)| *k == key) {
        return loaded.clone();
    }
    let loaded = project_registry(dir);
    cache.push((key, loaded.clone()));
    loaded
}
