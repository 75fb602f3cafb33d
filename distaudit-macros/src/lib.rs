//! The attributes of distaudit. Thin by design: every decision is made by `distaudit-core`;
//! this crate only hands it the tokens and what cargo says about the build.

use distaudit_core::expand::{self, Checks, Options};
use proc_macro::TokenStream;

fn options() -> Options {
    let checks = if cfg!(feature = "no-checks") {
        Checks::Off
    } else if cfg!(feature = "release-checks") {
        Checks::Always
    } else {
        Checks::DebugAndTest
    };
    Options {
        checks,
        stats: cfg!(feature = "stats"),
        manifest_dir: std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from),
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
