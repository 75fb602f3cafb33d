//! Delegation paths: `delegates(decision = .., to = "..")` read as the Rust path it is and
//! resolved from where the delegating item is written, for every front end.
//!
//! The attribute reads `to` as a [`syn::Path`] (`annotation::parse_delegates`) and makes
//! the build resolve it; it verifies a target itself only when it is a method of the same
//! `#[distaudit::audit]` impl ([`same_impl_method`]). Every other target is verified by
//! `cargo distaudit`, which sees the whole crate but not its `use` lines: [`target`] says
//! which of the two checks a delegation and, for the crate-wide audit, the crate-relative
//! item paths it may name. Generic arguments (`Cursor::<u8>::checkpoint`) name no other
//! item and are dropped; raw identifiers (`r#match`) name the item `match`.

use syn::ext::IdentExt;

/// A delegation path as written, read as rustc reads it: whether it starts with `::` (an
/// external crate), and its segments' identifiers, raw ones unraw'd, generic arguments
/// dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemPath {
    pub leading_colon: bool,
    pub segments: Vec<String>,
}

impl ItemPath {
    /// The identifiers of a parsed path.
    #[must_use]
    pub fn of(path: &syn::Path) -> ItemPath {
        ItemPath {
            leading_colon: path.leading_colon.is_some(),
            segments: path
                .segments
                .iter()
                .map(|s| s.ident.unraw().to_string())
                .collect(),
        }
    }
}

/// `to` read as the attribute reads it (a [`syn::Path`]); `None` when it is not a path
/// (the attribute refuses it).
#[must_use]
pub fn read(to: &str) -> Option<ItemPath> {
    syn::parse_str::<syn::Path>(to)
        .ok()
        .map(|p| ItemPath::of(&p))
}

/// The method that `to` names when it is one of `methods` of the impl of `type_name`
/// (`Self::checkpoint`, `Cursor::checkpoint`, `Cursor::<u8>::checkpoint`,
/// `self::Cursor::checkpoint`, `Self::r#type`); `None` for a path elsewhere or one that does
/// not parse. A path from elsewhere (`crate::cursor::Cursor::checkpoint`,
/// `super::Cursor::checkpoint`) is not read as this impl even when its last segments match:
/// the attribute cannot know the module it expands in, so another module's `Cursor` would
/// pass for this one. `cargo distaudit`, which knows the module, verifies those.
#[must_use]
pub fn same_impl_method<'m>(to: &str, type_name: &str, methods: &[&'m str]) -> Option<&'m str> {
    let path = read(to)?;
    let (owner, method) = match (path.leading_colon, path.segments.as_slice()) {
        (false, [owner, method]) => (owner, method),
        (false, [this, owner, method]) if this == "self" && owner != "Self" => (owner, method),
        _ => return None,
    };
    if owner != "Self" && owner != unraw(type_name) {
        return None;
    }
    methods.iter().copied().find(|m| unraw(m) == method)
}

/// Where a delegating item is written.
#[derive(Clone, Copy, Debug, Default)]
pub struct PathScope<'a> {
    /// Its module, from the crate root (`["staging", "flush"]`; empty at the root).
    pub module: &'a [String],
    /// For an associated item: its impl's self type (or its trait) by name, as the paths of
    /// the impl's items carry it (`module::Type::method`).
    pub self_type: Option<&'a str>,
    /// The methods of its impl when the attribute expands them together (the impl, or the
    /// inline module around it, carries `#[distaudit::audit]`); `None` otherwise.
    pub audited_methods: Option<&'a [&'a str]>,
}

/// Who verifies a delegation, and what its path may name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathTarget {
    /// A method of the delegating item's own `#[distaudit::audit]` impl: the attribute
    /// verifies it (and `cargo distaudit` with it, where the attribute does).
    SameImpl(String),
    /// Any other target, verified by `cargo distaudit`: the crate-relative paths (segments,
    /// unraw'd) it may name, most likely first. Empty when it names nothing in this crate
    /// (`::other::item`, `super` above the crate root, `Self` outside an impl).
    Elsewhere(Vec<Vec<String>>),
}

/// Read `to`, written on an item in `scope`, as rustc resolves it.
///
/// - `crate::a::b` is `a::b`; `self::a` is `a` in the item's module; each `super::` goes
///   one module up; `Self::m` is `m` of the item's impl (its module's `Type::m`).
/// - A relative path (`store::Cursor::update`, `Cursor::<u8>::update`) is tried in the
///   item's module first, then in each enclosing module and at the crate root: its first
///   segment may come from a `use` line, which a reader of paths does not see.
#[must_use]
pub fn target(to: &str, scope: &PathScope<'_>) -> PathTarget {
    if let (Some(ty), Some(methods)) = (scope.self_type, scope.audited_methods)
        && let Some(m) = same_impl_method(to, ty, methods)
    {
        return PathTarget::SameImpl(unraw(m).to_string());
    }
    let Some(path) = read(to) else {
        return PathTarget::Elsewhere(Vec::new());
    };
    PathTarget::Elsewhere(candidates(&path, scope))
}

/// `to` read as a path into another crate: its first segment (the crate's name as Rust
/// writes it, `gossip_contracts`) and the path inside it (`Cursor::advance`). `None` for a
/// path that cannot leave its crate (`crate::`, `self::`, `super::`, `Self::`) or has no
/// second segment. Whether the first segment is a crate is for the caller to know.
#[must_use]
pub fn in_other_crate(to: &str) -> Option<(String, Vec<String>)> {
    let path = read(to)?;
    let (first, rest) = path.segments.split_first()?;
    if rest.is_empty() || matches!(first.as_str(), "crate" | "self" | "super" | "Self") {
        return None;
    }
    Some((first.clone(), rest.to_vec()))
}

fn candidates(path: &ItemPath, scope: &PathScope<'_>) -> Vec<Vec<String>> {
    if path.leading_colon {
        return Vec::new();
    }
    let module: Vec<String> = scope.module.iter().map(|m| unraw(m).to_string()).collect();
    let segments = &path.segments;
    let within = |prefix: &[String], rest: &[String]| -> Vec<String> {
        prefix.iter().chain(rest).cloned().collect()
    };
    let Some(first) = segments.first() else {
        return Vec::new();
    };
    let found = match first.as_str() {
        "crate" => vec![segments[1..].to_vec()],
        "self" | "super" => {
            let start = usize::from(first == "self");
            let ups = segments[start..]
                .iter()
                .take_while(|s| *s == "super")
                .count();
            match module.len().checked_sub(ups) {
                Some(keep) => vec![within(&module[..keep], &segments[start + ups..])],
                None => Vec::new(),
            }
        }
        "Self" => match scope.self_type {
            Some(ty) => {
                let mut owner = module.clone();
                owner.push(unraw(ty).to_string());
                vec![within(&owner, &segments[1..])]
            }
            None => Vec::new(),
        },
        _ => (0..=module.len())
            .rev()
            .map(|keep| within(&module[..keep], segments))
            .collect(),
    };
    // A keyword left inside the path (`crate::a::super::b`) or nothing after the anchor
    // names no item.
    found
        .into_iter()
        .filter(|c| {
            !c.is_empty()
                && !c
                    .iter()
                    .any(|s| matches!(s.as_str(), "crate" | "self" | "super" | "Self"))
        })
        .collect()
}

fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::{PathScope, PathTarget, in_other_crate, read, same_impl_method, target};

    /// A path that may name another crate's item splits into the crate and the path in it;
    /// one that cannot leave its crate does not.
    #[test]
    fn a_path_into_another_crate_splits_at_its_first_segment() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
        assert_eq!(
            in_other_crate("gossip_contracts::Cursor::<u8>::advance"),
            Some(("gossip_contracts".to_string(), s(&["Cursor", "advance"])))
        );
        assert_eq!(
            in_other_crate("::r#contracts::fence"),
            Some(("contracts".to_string(), s(&["fence"])))
        );
        for local in [
            "crate::a::b",
            "self::a",
            "super::a",
            "Self::m",
            "checkpoint",
            "not a path",
        ] {
            assert_eq!(in_other_crate(local), None, "{local}");
        }
    }

    fn module(m: &[&str]) -> Vec<String> {
        m.iter().map(ToString::to_string).collect()
    }

    fn names(to: &str, scope: &PathScope<'_>) -> Vec<String> {
        match target(to, scope) {
            PathTarget::Elsewhere(c) => c.iter().map(|c| c.join("::")).collect(),
            PathTarget::SameImpl(m) => vec![format!("same impl: {m}")],
        }
    }

    #[test]
    fn crate_paths_are_read_from_the_root() {
        let m = module(&["store"]);
        let at = PathScope {
            module: &m,
            ..PathScope::default()
        };
        assert_eq!(names("crate::checkpoint", &at), ["checkpoint"]);
        assert_eq!(
            names("crate::store::Cursor::update", &at),
            ["store::Cursor::update"]
        );
        assert!(names("crate", &at).is_empty());
    }

    #[test]
    fn super_goes_one_module_up_per_segment() {
        let m = module(&["staging", "flush"]);
        let at = PathScope {
            module: &m,
            ..PathScope::default()
        };
        assert_eq!(names("super::super::checkpoint", &at), ["checkpoint"]);
        assert_eq!(
            names("super::Staging::admit", &at),
            ["staging::Staging::admit"]
        );
        assert_eq!(
            names("self::super::Staging::admit", &at),
            ["staging::Staging::admit"]
        );
        // Above the crate root: rustc refuses it, and it names nothing here.
        assert!(names("super::super::super::checkpoint", &at).is_empty());
        assert!(names("crate::staging::super::checkpoint", &at).is_empty());
    }

    #[test]
    fn self_is_the_items_own_module() {
        let m = module(&["staging", "flush"]);
        let at = PathScope {
            module: &m,
            ..PathScope::default()
        };
        assert_eq!(names("self::flush", &at), ["staging::flush::flush"]);
        let root = PathScope::default();
        assert_eq!(names("self::checkpoint", &root), ["checkpoint"]);
    }

    #[test]
    fn raw_identifiers_name_the_item_without_r_hash() {
        let m = module(&["r#match"]);
        let at = PathScope {
            module: &m,
            ..PathScope::default()
        };
        assert_eq!(names("self::r#type", &at), ["match::type"]);
        assert_eq!(names("crate::r#match::r#fn", &at), ["match::fn"]);
        assert_eq!(
            read("r#match::r#type").map(|p| p.segments),
            Some(vec!["match".to_string(), "type".to_string()])
        );
    }

    #[test]
    fn generic_arguments_name_no_other_item() {
        let m = module(&["staging", "flush"]);
        let at = PathScope {
            module: &m,
            ..PathScope::default()
        };
        assert_eq!(
            names("super::Staging::<u8>::admit", &at),
            ["staging::Staging::admit"]
        );
        assert_eq!(
            names("crate::Staging::<Vec<u8>, 3>::admit::<u8>", &at),
            ["Staging::admit"]
        );
    }

    #[test]
    fn a_relative_path_is_tried_here_then_outwards() {
        let m = module(&["a", "b"]);
        let at = PathScope {
            module: &m,
            ..PathScope::default()
        };
        assert_eq!(
            names("store::record", &at),
            ["a::b::store::record", "a::store::record", "store::record"]
        );
        assert_eq!(names("::other::record", &at), Vec::<String>::new());
    }

    #[test]
    fn self_type_is_the_impls_type_in_its_module() {
        let m = module(&["store"]);
        let outside = PathScope {
            module: &m,
            self_type: Some("Cursor"),
            audited_methods: None,
        };
        assert_eq!(names("Self::update", &outside), ["store::Cursor::update"]);
        assert_eq!(
            names("Self::<u8>::r#update", &outside),
            ["store::Cursor::update"]
        );
        let free = PathScope {
            module: &m,
            ..PathScope::default()
        };
        assert!(names("Self::update", &free).is_empty());
    }

    #[test]
    fn a_method_of_the_same_audited_impl_is_the_attributes_to_verify() {
        let m = module(&["staging"]);
        let methods = ["stage", "admit", "note"];
        let hosted = PathScope {
            module: &m,
            self_type: Some("Staging"),
            audited_methods: Some(&methods),
        };
        for to in [
            "Self::admit",
            "Staging::admit",
            "Staging::<u8>::admit",
            "self::Staging::admit",
            "Self::r#admit",
        ] {
            assert_eq!(
                target(to, &hosted),
                PathTarget::SameImpl("admit".into()),
                "{to}"
            );
        }
        // A path from elsewhere may name another module's `Staging`: the attribute cannot
        // tell, so it is read as a path, and this one names this impl's method.
        assert_eq!(
            names("crate::staging::Staging::admit", &hosted),
            ["staging::Staging::admit"]
        );
        assert_eq!(
            names("crate::other::Staging::admit", &hosted),
            ["other::Staging::admit"]
        );
        // Not a method of the impl, or not this impl: elsewhere.
        assert_eq!(
            names("Self::missing", &hosted),
            ["staging::Staging::missing"]
        );
        assert_eq!(names("crate::checkpoint", &hosted), ["checkpoint"]);
        // The same paths in an impl the attribute sees method by method.
        let alone = PathScope {
            audited_methods: None,
            ..hosted
        };
        assert_eq!(
            names("crate::staging::Staging::admit", &alone),
            ["staging::Staging::admit"]
        );
        assert_eq!(names("Self::admit", &alone), ["staging::Staging::admit"]);
    }

    /// `Self::m`, `Type::m` (turbofish allowed) and `self::Type::m` name a method of this
    /// impl; another type, a missing method, a bare name and a path from elsewhere do not.
    #[test]
    fn same_impl_method_reads_a_path_not_text() {
        let methods = ["checkpoint", "type"];
        assert_eq!(
            same_impl_method("Self::checkpoint", "Cursor", &methods),
            Some("checkpoint")
        );
        assert_eq!(
            same_impl_method("Cursor::checkpoint", "Cursor", &methods),
            Some("checkpoint")
        );
        assert_eq!(
            same_impl_method("self::Cursor::checkpoint", "Cursor", &methods),
            Some("checkpoint")
        );
        assert_eq!(
            same_impl_method("Other::checkpoint", "Cursor", &methods),
            None
        );
        assert_eq!(same_impl_method("Self::missing", "Cursor", &methods), None);
        // From elsewhere: possibly another module's `Cursor`, left to `cargo distaudit`.
        assert_eq!(
            same_impl_method("crate::cursor::Cursor::checkpoint", "Cursor", &methods),
            None
        );
        assert_eq!(
            same_impl_method("::cursor::Cursor::checkpoint", "Cursor", &methods),
            None
        );
        assert_eq!(
            same_impl_method("Cursor::<u8>::checkpoint", "Cursor", &methods),
            Some("checkpoint")
        );
        assert_eq!(
            same_impl_method("Self::checkpoint::<u8>", "Cursor", &methods),
            Some("checkpoint")
        );
        assert_eq!(
            same_impl_method("Self::r#type", "r#Cursor", &methods),
            Some("type")
        );
        assert_eq!(same_impl_method("Self::", "Cursor", &methods), None);
        assert_eq!(same_impl_method("checkpoint", "Cursor", &methods), None);
    }
}
