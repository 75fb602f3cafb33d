//! The arguments that name other things: `allow(..)` with its justification,
//! `delegates(..)`, `fields(..)` roles, `verify`, and `crate`.

use super::entries::*;
use super::{Allow, Annotation, Delegation, FieldRole, Id, Verify};
use crate::catalogue::Role;
use crate::diag::{Code, Finding};
use crate::suggest::{self, Quote};
use syn::Meta;
use syn::spanned::Spanned;

pub(super) fn parse_crate(meta: &Meta, findings: &mut Vec<Finding>) -> Option<(Id, syn::Path)> {
    let id = string_value(meta, findings)?;
    match syn::LitStr::new(&id.value, id.span).parse::<syn::Path>() {
        Ok(path) => Some((id, path)),
        Err(_) => {
            findings.push(malformed(
                id.span,
                format!("`crate = \"{}\"` is not a path", id.value),
                "name where distaudit is reachable, e.g. `crate = \"::my_facade::distaudit\"`",
            ));
            None
        }
    }
}

pub(super) fn parse_allow(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str =
        "`allow(wall_clock = \"metrics only: the reading never decides a lease\")`";
    let Some(items) = list_items(meta, findings, EXAMPLE) else {
        return;
    };
    for item in &items {
        if let Some((slug, justification)) = name_value(item, findings, EXAMPLE) {
            annotation.allows.push(Allow {
                slug,
                justification,
            });
        }
    }
}

pub(super) fn parse_delegates(
    meta: &Meta,
    annotation: &mut Annotation,
    findings: &mut Vec<Finding>,
) {
    const EXAMPLE: &str =
        "`delegates(decision = \"D2.4\", to = \"crate::coordinator::Coordinator::checkpoint\")`";
    let Some(items) = list_items(meta, findings, EXAMPLE) else {
        return;
    };
    let (mut decision, mut to) = (None, None);
    for item in &items {
        let Some((key, value)) = name_value(item, findings, EXAMPLE) else {
            continue;
        };
        let slot = match key.value.as_str() {
            "decision" => &mut decision,
            "to" => &mut to,
            _ => {
                findings.push(malformed(
                    key.span,
                    format!("`delegates` has no argument `{}`", key.value),
                    format!("write {EXAMPLE}"),
                ));
                continue;
            }
        };
        if slot.replace(value).is_some() {
            findings.push(malformed(
                key.span,
                format!("`{}` is given twice in `delegates(..)`", key.value),
                format!("write {EXAMPLE}"),
            ));
        }
    }
    match (decision, to) {
        (Some(decision), Some(to)) => {
            match syn::LitStr::new(&to.value, to.span).parse::<syn::Path>() {
                Ok(path) => annotation
                    .delegations
                    .push(Delegation { decision, to, path }),
                Err(_) => findings.push(malformed(
                    to.span,
                    format!("`to = \"{}\"` is not a path to an item", to.value),
                    format!("write {EXAMPLE}"),
                )),
            }
        }
        (decision, _) => findings.push(malformed(
            meta.path().span(),
            format!(
                "`delegates(..)` needs `{}`",
                if decision.is_none() { "decision" } else { "to" }
            ),
            format!("write {EXAMPLE}"),
        )),
    }
}

pub(super) fn parse_fields(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str = "`fields(start = \"key_range_start\", end = \"key_range_end\")`";
    let Some(items) = list_items(meta, findings, EXAMPLE) else {
        return;
    };
    for item in &items {
        let Some((role_id, field)) = name_value(item, findings, EXAMPLE) else {
            continue;
        };
        let Some(role) = Role::from_name(&role_id.value) else {
            findings.push(Finding::new(
                Code::BadFields,
                role_id.span,
                format!("`fields(..)` has no role `{}`", role_id.value),
                "cursor structs have the roles last_key and token (D2.1); shard structs start and end (D2.2), or range for a struct that carries a shard range",
                suggest::one_of(&role_id.value, &Role::names(), "roles", Quote::Backtick),
            ));
            continue;
        };
        if annotation.fields.iter().any(|f| f.role == role) {
            findings.push(Finding::new(
                Code::Duplicate,
                role_id.span,
                format!("role `{role}` is given twice in `fields(..)`"),
                "each role is played by exactly one field",
                "keep one",
            ));
        } else if syn::parse_str::<syn::Ident>(&field.value).is_err()
            && field.value.parse::<u32>().is_err()
        {
            findings.push(Finding::new(
                Code::BadFields,
                field.span,
                format!("`{}` is not a field name", field.value),
                "a role names one field of the struct",
                "write the field's name, e.g. `last_key = \"resume_after\"`",
            ));
        } else if let Some(other) = annotation
            .fields
            .iter()
            .find(|f| same_field(&f.field.value, &field.value))
        {
            findings.push(Finding::new(
                Code::BadFields,
                field.span,
                format!(
                    "field `{}` is named for both `{}` and `{role}`",
                    field.value, other.role
                ),
                "each role is played by its own field: a range whose start is its end is empty",
                "name a different field for one of the roles",
            ));
        } else {
            annotation.fields.push(FieldRole {
                role,
                role_span: role_id.span,
                field,
            });
        }
    }
}

/// Whether two field names written in `fields(..)` name the same field (`r#type` is `type`).
fn same_field(a: &str, b: &str) -> bool {
    a.trim_start_matches("r#") == b.trim_start_matches("r#")
}

/// `verify = "path::to::test"`: a test that checks the item, named as a path.
pub(super) fn parse_verify(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    if let Some(id) = string_value(meta, findings) {
        match syn::LitStr::new(&id.value, id.span).parse::<syn::Path>() {
            Ok(path) => annotation.verify.push(Verify { id, path }),
            Err(_) => findings.push(malformed(
                id.span,
                format!("`verify = \"{}\"` is not a path to a test function", id.value),
                "name the test as a path from this item's module, e.g. `verify = \"tests::lease_is_exclusive\"`",
            )),
        }
    }
}
