//! A registry that cannot be loaded is a problem of the whole crate, not of one item: it is
//! reported once per compilation, not once per annotated item.
//!
//! rustc and clippy-driver compile one crate per process, and expand its items in source
//! order: there the first annotated item reports the error in full (which fails the build)
//! and every later item is passed through with nothing added. A long-lived host
//! (rust-analyzer's proc-macro server, which keeps the macro loaded across edits and
//! expands items in whatever order the editor asks for them) has no "first item" that
//! stays first, so there every annotated item reports the error: each file shows it where
//! it is read. The macro crate says which host it runs in ([`Options::host`]).

use super::diagnostics::{errors, registry_error};
use super::env::{Host, Options};
use crate::registry::RegistryError;
use proc_macro2::TokenStream;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

impl Host {
    /// The host a macro runs in, by the name of the process's executable (`exe`, as
    /// `std::env::current_exe` gives it): rustc and clippy-driver compile one crate per
    /// process; any other executable (rust-analyzer's proc-macro server, a test binary) is
    /// [`Host::Other`]. Only the file name counts, without its directories or a `.exe`.
    #[must_use]
    pub fn of_exe(exe: &Path) -> Host {
        match exe.file_stem().and_then(std::ffi::OsStr::to_str) {
            Some("rustc" | "clippy-driver") => Host::Compiler,
            _ => Host::Other,
        }
    }
}

/// The `compile_error!` for a registry that cannot be loaded, or nothing when this
/// compilation has reported the same error already.
pub(crate) fn registry_failure(e: &RegistryError, opts: &Options) -> TokenStream {
    if opts.host == Host::Compiler && !first_report(opts.manifest_dir.clone(), e) {
        return TokenStream::new();
    }
    errors(&[registry_error(e)])
}

/// Whether this process has not reported `e` for the crate at `dir` yet (and now has).
fn first_report(dir: Option<PathBuf>, e: &RegistryError) -> bool {
    /// The errors reported so far: the crate's manifest directory and the error's text.
    type Reported = Mutex<BTreeSet<(Option<PathBuf>, String)>>;
    static REPORTED: OnceLock<Reported> = OnceLock::new();
    REPORTED
        .get_or_init(|| Mutex::new(BTreeSet::new()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert((dir, e.to_string()))
}

#[cfg(test)]
mod tests {
    use crate::expand::diagnostics::registry_error;
    use crate::expand::env::Host;
    use crate::registry::RegistryError;
    use std::path::Path;

    /// The compilers that compile one crate per process, by name, wherever they are
    /// installed, with Windows' `.exe` too.
    #[test]
    fn rustc_and_clippy_driver_are_compilers() {
        for exe in [
            "rustc",
            "clippy-driver",
            "/home/u/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc",
            "/usr/local/bin/clippy-driver",
            "rustc.exe",
            "clippy-driver.exe",
        ] {
            assert_eq!(Host::of_exe(Path::new(exe)), Host::Compiler, "{exe}");
        }
    }

    /// rust-analyzer's proc-macro server keeps the macro loaded across edits: every item
    /// reports a broken registry there. So does any executable that is not a compiler.
    #[test]
    fn rust_analyzer_and_other_executables_are_other_hosts() {
        for exe in [
            "/home/u/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/libexec/rust-analyzer-proc-macro-srv",
            "rust-analyzer-proc-macro-srv.exe",
            "/home/u/.cargo/bin/rust-analyzer",
            "/work/target/debug/deps/registry-0debdfbabd23be6d",
            "/opt/rustc/bin/cargo",
            "rustc-wrapper",
            "my-rustc",
            "",
        ] {
            assert_eq!(Host::of_exe(Path::new(exe)), Host::Other, "{exe}");
        }
    }

    /// A problem of the whole file names no line: "at line 0" sent users to a line that
    /// does not exist.
    #[test]
    fn a_whole_file_problem_names_no_line() {
        let whole = RegistryError {
            file: "distaudit.toml".into(),
            line: 0,
            message: "is a directory".into(),
        };
        let fix = registry_error(&whole).fix;
        assert!(!fix.contains("line"), "{fix}");
        assert!(fix.contains("distaudit.toml"), "{fix}");
        let at = RegistryError { line: 7, ..whole };
        assert_eq!(registry_error(&at).fix, "fix distaudit.toml at line 7");
    }
}
