//! Which attributes are distaudit's `#[coordination]`: one decision for the attribute's
//! rules and every front end (the duplicate-annotation check, `cargo distaudit`'s scan
//! and `suggest`).

use crate::item::ident_text;

/// Whether an attribute is `#[coordination(..)]` or `#[<runtime>::coordination(..)]`, where
/// the runtime is `distaudit` or the name the crate reaches it by (the last segment of
/// `runtime`: `::distaudit`, a renamed dependency), or one of the `aliases`
/// (`use distaudit::coordination as coord;` seen in an audited module). Raw identifiers
/// count as their names (`r#coordination` is `coordination`); a leading `::` is allowed;
/// a longer path (`a::distaudit::coordination`) is not the attribute.
#[must_use]
pub fn is_coordination(attr: &syn::Attribute, runtime: &syn::Path, aliases: &[String]) -> bool {
    if let Some(alias) = attr.path().get_ident()
        && aliases.contains(&ident_text(alias))
    {
        return true;
    }
    let segs: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| ident_text(&s.ident))
        .collect();
    let crate_name = runtime.segments.last().map(|s| ident_text(&s.ident));
    match segs.as_slice() {
        [name] => name == "coordination",
        [krate, name] => {
            name == "coordination" && (krate == "distaudit" || Some(krate) == crate_name.as_ref())
        }
        _ => false,
    }
}

/// The names a module's `use` items give `coordination` (`use distaudit::coordination as
/// coord;`, `use ::distaudit::{coordination as c};`, through the runtime's own name when
/// the dependency is renamed): the `aliases` of [`is_coordination`] for that module's
/// items. A `use` reaches the items of its own module only, as in Rust.
#[must_use]
pub fn aliases(items: &[syn::Item], runtime: &syn::Path) -> Vec<String> {
    fn walk(tree: &syn::UseTree, crate_seen: bool, runtime: &str, out: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                let name = ident_text(&p.ident);
                let is_crate = name == "distaudit" || name == runtime;
                walk(&p.tree, is_crate, runtime, out);
            }
            syn::UseTree::Rename(r) if crate_seen && ident_text(&r.ident) == "coordination" => {
                out.push(ident_text(&r.rename));
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    walk(t, crate_seen, runtime, out);
                }
            }
            _ => {}
        }
    }
    let runtime = runtime
        .segments
        .last()
        .map(|s| ident_text(&s.ident))
        .unwrap_or_default();
    let mut out = Vec::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, false, &runtime, &mut out);
        }
    }
    out
}

/// The name a module's `use` items bring `coordination` into scope by, if any: its alias
/// (`use distaudit::coordination as coord;`), or `coordination` itself for a plain or glob
/// import from the runtime. What a suggested annotation is written with.
#[must_use]
pub fn in_scope_as(items: &[syn::Item], runtime: &syn::Path) -> Option<String> {
    if let Some(alias) = aliases(items, runtime).into_iter().next() {
        return Some(alias);
    }
    fn plain(tree: &syn::UseTree, crate_seen: bool, runtime: &str) -> bool {
        match tree {
            syn::UseTree::Path(p) => {
                let name = ident_text(&p.ident);
                plain(&p.tree, name == "distaudit" || name == runtime, runtime)
            }
            syn::UseTree::Name(n) => crate_seen && ident_text(&n.ident) == "coordination",
            syn::UseTree::Glob(_) => crate_seen,
            syn::UseTree::Group(g) => g.items.iter().any(|t| plain(t, crate_seen, runtime)),
            syn::UseTree::Rename(_) => false,
        }
    }
    let runtime = runtime
        .segments
        .last()
        .map(|s| ident_text(&s.ident))
        .unwrap_or_default();
    items
        .iter()
        .any(|item| matches!(item, syn::Item::Use(u) if plain(&u.tree, false, &runtime)))
        .then(|| "coordination".to_string())
}

#[cfg(test)]
mod tests {
    use super::{aliases, in_scope_as, is_coordination};

    /// The alias wins; a plain or glob import from the runtime is the name itself; an
    /// import of something else, or of another crate's `coordination`, is nothing.
    #[test]
    fn the_name_coordination_is_in_scope_by() {
        let runtime: syn::Path = syn::parse_quote!(::distaudit);
        let cases: [(syn::File, Option<&str>); 6] = [
            (
                syn::parse_quote!(
                    use distaudit::coordination as coord;
                ),
                Some("coord"),
            ),
            (
                syn::parse_quote!(
                    use distaudit::{audit, coordination};
                ),
                Some("coordination"),
            ),
            (
                syn::parse_quote!(
                    use ::distaudit::*;
                ),
                Some("coordination"),
            ),
            (
                syn::parse_quote!(
                    use distaudit::audit;
                ),
                None,
            ),
            (
                syn::parse_quote!(
                    use other::coordination;
                ),
                None,
            ),
            (
                syn::parse_quote!(
                    use std::fmt;
                    fn f() {}
                ),
                None,
            ),
        ];
        for (file, want) in cases {
            assert_eq!(in_scope_as(&file.items, &runtime).as_deref(), want);
        }
    }

    /// Renames of `coordination` from the runtime, in every `use` form; other renames,
    /// other crates' `coordination` and plain imports give no alias.
    #[test]
    fn aliases_are_renames_of_the_attribute_from_the_runtime() {
        let file: syn::File = syn::parse_quote! {
            use distaudit::coordination as coord;
            use ::distaudit::{audit, coordination as c};
            use dist::{r#coordination as renamed_dep};
            pub use distaudit::{self as da, coordination as re_exported};
            use other::coordination as not_ours;
            use distaudit::coordination;
            use distaudit::audit as coordination_audit;
            mod inner {
                use distaudit::coordination as not_here;
            }
        };
        let runtime: syn::Path = syn::parse_quote!(::dist);
        assert_eq!(
            aliases(&file.items, &runtime),
            ["coord", "c", "renamed_dep", "re_exported"]
        );
    }

    fn recognised(attr: syn::Attribute, runtime: syn::Path, aliases: &[&str]) -> bool {
        let aliases: Vec<String> = aliases.iter().map(ToString::to_string).collect();
        is_coordination(&attr, &runtime, &aliases)
    }

    #[test]
    fn the_attribute_by_its_name_or_through_the_runtime() {
        let default: syn::Path = syn::parse_quote!(::distaudit);
        let renamed: syn::Path = syn::parse_quote!(::dist);
        for attr in [
            syn::parse_quote!(#[coordination]),
            syn::parse_quote!(#[coordination(pattern = "lease")]),
            syn::parse_quote!(#[r#coordination(pattern = "lease")]),
            syn::parse_quote!(#[distaudit::coordination(pattern = "lease")]),
            syn::parse_quote!(#[::distaudit::coordination(pattern = "lease")]),
            syn::parse_quote!(#[distaudit::r#coordination(pattern = "lease")]),
        ] {
            assert!(recognised(attr, default.clone(), &[]));
        }
        // A renamed dependency, by the runtime's name; `distaudit::` still counts.
        assert!(recognised(
            syn::parse_quote!(#[dist::coordination(pattern = "lease")]),
            renamed.clone(),
            &[]
        ));
        assert!(recognised(
            syn::parse_quote!(#[distaudit::coordination(pattern = "lease")]),
            renamed,
            &[]
        ));
    }

    #[test]
    fn other_crates_attributes_and_longer_paths_are_not_it() {
        let default: syn::Path = syn::parse_quote!(::distaudit);
        for attr in [
            syn::parse_quote!(#[dist::coordination(pattern = "lease")]),
            syn::parse_quote!(#[other_crate::coordination]),
            syn::parse_quote!(#[a::distaudit::coordination]),
            syn::parse_quote!(#[coordination::audit]),
            syn::parse_quote!(#[distaudit::audit]),
            syn::parse_quote!(#[coord(pattern = "lease")]),
            syn::parse_quote!(#[test]),
        ] {
            assert!(!recognised(attr, default.clone(), &[]));
        }
    }

    #[test]
    fn an_alias_counts_where_the_module_declares_it() {
        let default: syn::Path = syn::parse_quote!(::distaudit);
        let coord: syn::Attribute = syn::parse_quote!(#[coord(pattern = "lease")]);
        assert!(recognised(coord.clone(), default.clone(), &["coord"]));
        assert!(recognised(
            syn::parse_quote!(#[r#coord(pattern = "lease")]),
            default.clone(),
            &["coord"]
        ));
        assert!(!recognised(coord, default.clone(), &["c"]));
        // An alias is a single name, never a path's last segment.
        assert!(!recognised(
            syn::parse_quote!(#[m::coord(pattern = "lease")]),
            default,
            &["coord"]
        ));
    }
}
