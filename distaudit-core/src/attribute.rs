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

#[cfg(test)]
mod tests {
    use super::is_coordination;

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
