//! Renders the diagnostic table and the registry into the crate docs, from the engine itself,
//! so the docs cannot drift from what the macro enforces.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let registry = match distaudit_core::registry::default_registry() {
        Ok(r) => r,
        Err(e) => panic!("the default registry is broken: {e}"),
    };
    let write = |name: &str, text: String| {
        std::fs::write(out.join(name), text).unwrap_or_else(|e| panic!("writing {name}: {e}"));
    };
    write("codes.md", distaudit_core::render::codes_table(registry));
    write("kinds.md", distaudit_core::render::kinds_table());
    write(
        "registry.md",
        distaudit_core::render::registry_tables(registry),
    );
    println!("cargo::rerun-if-changed=build.rs");
}
