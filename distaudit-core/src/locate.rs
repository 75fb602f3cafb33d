//! Where generated code finds the `distaudit` crate: under the name the using crate's
//! `Cargo.toml` gives it. A dependency renamed with `da = { package = "distaudit" }` is
//! reached as `::da`; an annotation's `crate = ".."` overrides this for re-exports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
// Manifests are read with toml's spanned document, as the registry is: the engine needs no
// serde, so none reaches the user's build through the macro.
use toml::de::{DeTable, DeValue};

/// The package whose name is looked up.
const PACKAGE: &str = "distaudit";

/// The path generated code uses for the runtime, as seen from the crate at `manifest_dir`.
/// `::distaudit` when the manifest cannot be read or does not rename the dependency.
#[must_use]
pub fn runtime_path(manifest_dir: Option<&Path>) -> syn::Path {
    let name = manifest_dir.map_or_else(|| PACKAGE.to_string(), cached_name);
    // Built, not parsed: this runs once per annotated item.
    let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
    syn::Path {
        leading_colon: Some(syn::Token![::](proc_macro2::Span::call_site())),
        segments: std::iter::once(syn::PathSegment::from(ident)).collect(),
    }
}

/// Whether `name` can be written as `::name` (an identifier, not a keyword).
fn usable(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// The dependency's name, read once per manifest per process.
fn cached_name(dir: &Path) -> String {
    static CACHE: OnceLock<Mutex<BTreeMap<PathBuf, String>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache
        .entry(dir.to_path_buf())
        .or_insert_with(|| {
            // A key that is not a usable identifier (a keyword, say) falls back to the
            // package name.
            dependency_name(dir)
                .filter(|name| usable(name))
                .unwrap_or_else(|| PACKAGE.to_string())
        })
        .clone()
}

/// The key under which the manifest at `dir` depends on `distaudit`, in Rust form
/// (hyphens become underscores). `None` when it does not (or cannot be read).
#[must_use]
pub fn dependency_name(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let manifest = Manifest::parse(&text)?;
    if manifest.str_at(&["package", "name"]) == Some(PACKAGE) {
        // The package's own tests and examples reach it by its name.
        return Some(PACKAGE.to_string());
    }
    const SECTIONS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let root = manifest.root();
    let mut tables: Vec<&DeTable<'_>> = SECTIONS.iter().filter_map(|s| table(root, s)).collect();
    if let Some(targets) = table(root, "target") {
        for target in targets.values() {
            if let DeValue::Table(target) = target.get_ref() {
                tables.extend(SECTIONS.iter().filter_map(|s| table(target, s)));
            }
        }
    }
    let mut inherited: Option<Option<String>> = None;
    for deps in tables {
        for (key, spec) in deps {
            let key: &str = key.get_ref();
            let DeValue::Table(spec) = spec.get_ref() else {
                // `name = "1.0"`: the key is the package.
                if key == PACKAGE {
                    return Some(key.replace('-', "_"));
                }
                continue;
            };
            let package = match string(spec, "package") {
                Some(p) => Some(p.to_string()),
                None if matches!(
                    spec.get("workspace").map(|v| v.get_ref()),
                    Some(DeValue::Boolean(true))
                ) =>
                {
                    let ws = inherited.get_or_insert_with(|| workspace_manifest(dir));
                    ws.as_deref().and_then(Manifest::parse).and_then(|w| {
                        w.str_at(&["workspace", "dependencies", key, "package"])
                            .map(str::to_string)
                    })
                }
                None => None,
            };
            if package.as_deref().unwrap_or(key) == PACKAGE {
                return Some(key.replace('-', "_"));
            }
        }
    }
    None
}

/// A parsed manifest.
struct Manifest<'i>(toml::Spanned<DeTable<'i>>);

impl<'i> Manifest<'i> {
    fn parse(text: &'i str) -> Option<Self> {
        DeTable::parse(text).ok().map(Manifest)
    }

    fn root(&self) -> &DeTable<'i> {
        self.0.get_ref()
    }

    /// The string at a path of keys, each but the last naming a table.
    fn str_at(&self, path: &[&str]) -> Option<&str> {
        let (last, tables) = path.split_last()?;
        let mut here = self.root();
        for key in tables {
            here = table(here, key)?;
        }
        string(here, last)
    }
}

fn table<'t, 'i>(t: &'t DeTable<'i>, key: &str) -> Option<&'t DeTable<'i>> {
    match t.get(key)?.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

fn string<'t>(t: &'t DeTable<'_>, key: &str) -> Option<&'t str> {
    match t.get(key)?.get_ref() {
        DeValue::String(s) => Some(s),
        _ => None,
    }
}

/// The text of the nearest enclosing workspace root's manifest.
fn workspace_manifest(dir: &Path) -> Option<String> {
    let mut here = dir.parent();
    while let Some(d) = here {
        if let Ok(text) = std::fs::read_to_string(d.join("Cargo.toml"))
            && Manifest::parse(&text).is_some_and(|m| table(m.root(), "workspace").is_some())
        {
            return Some(text);
        }
        here = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(dir: &Path, text: &str) {
        std::fs::create_dir_all(dir).expect("dir");
        std::fs::write(dir.join("Cargo.toml"), text).expect("write");
    }

    #[test]
    fn finds_renamed_and_inherited_dependencies() {
        let root = std::env::temp_dir().join(format!("distaudit-locate-{}", std::process::id()));
        let plain = root.join("plain");
        manifest(
            &plain,
            "[package]\nname = \"a\"\n[dependencies]\ndistaudit = \"0.1\"\n",
        );
        assert_eq!(dependency_name(&plain).as_deref(), Some("distaudit"));
        let renamed = root.join("renamed");
        manifest(
            &renamed,
            "[package]\nname = \"a\"\n[dev-dependencies]\nda = { version = \"0.1\", package = \"distaudit\" }\n",
        );
        assert_eq!(dependency_name(&renamed).as_deref(), Some("da"));
        manifest(
            &root,
            "[workspace]\n[workspace.dependencies]\naudit-lib = { version = \"0.1\", package = \"distaudit\" }\n",
        );
        let member = root.join("member");
        manifest(
            &member,
            "[package]\nname = \"m\"\n[dependencies]\naudit-lib = { workspace = true }\n",
        );
        assert_eq!(dependency_name(&member).as_deref(), Some("audit_lib"));
        let none = root.join("none");
        manifest(&none, "[package]\nname = \"n\"\n");
        assert_eq!(dependency_name(&none), None);
        let path = runtime_path(Some(&renamed));
        assert_eq!(quote::quote!(#path).to_string(), ":: da");
        let _ = std::fs::remove_dir_all(&root);
    }
}
