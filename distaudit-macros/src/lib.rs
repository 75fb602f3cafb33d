//! The attributes of distaudit. Thin by design: every decision is made by `distaudit-core`;
//! this crate only hands it the tokens and what cargo says about the build.

use distaudit_core::expand::{self, Checks, Host, Options};
use proc_macro::TokenStream;

fn options() -> Options {
    // A switch for the whole build, for benchmarks: `RUSTFLAGS='--cfg distaudit_checks="off"'`.
    // A crate's own switch is `[checks]` in its distaudit.toml; no cargo feature can leak
    // one crate's choice into another's.
    let checks = if cfg!(distaudit_checks = "off") {
        Some(Checks::Off)
    } else if cfg!(distaudit_checks = "always") {
        Some(Checks::Always)
    } else {
        None
    };
    Options {
        checks,
        manifest_dir: std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from),
        // The process the macro runs in; an executable that cannot be named is the
        // engine's default host.
        host: std::env::current_exe()
            .map(|exe| Host::of_exe(&exe))
            .unwrap_or_default(),
    }
}

/// Audit a coordination item: see the `distaudit` crate docs.
#[proc_macro_attribute]
pub fn coordination(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::coordination(args.into(), item.into(), &options()).into()
}

/// Expand the `#[coordination]` methods of an impl block (or the impls of an inline module)
/// together, and host their generated property tests in a sibling `#[cfg(test)]` module.
#[proc_macro_attribute]
pub fn audit(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::audit(args.into(), item.into(), &options()).into()
}

/// `#[coordination]` on a provided method of an audited trait. Generated code only: the
/// trait's `#[distaudit::audit]` writes it in place of the method's `#[coordination]`.
#[doc(hidden)]
#[proc_macro_attribute]
pub fn __provided(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::provided(args.into(), item.into(), &options()).into()
}

/// Weave a trait's contract into an impl of it. Generated code only: called by the macro
/// that `#[distaudit::audit]` on a trait emits.
#[doc(hidden)]
#[proc_macro]
pub fn __contract_impl(input: TokenStream) -> TokenStream {
    expand::contract_impl(input.into(), &options()).into()
}
