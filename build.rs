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
    // DA0052 as the engine words it, for the macro that refuses generated tests in a
    // build without the test machinery (`src/lib.rs`).
    let refused = distaudit_core::rules::test_feature_off().message();
    write(
        "require_test_feature.rs",
        format!(
            "/// Refuses generated tests without the `proptest` feature (DA0052).\n\
             #[macro_export]\n#[doc(hidden)]\nmacro_rules! __require_test_feature {{\n    \
             ($($tokens:tt)*) => {{\n        #[cfg(test)]\n        \
             ::core::compile_error!({refused:?});\n    }};\n}}\n"
        ),
    );
    println!("cargo::rerun-if-changed=build.rs");
}
