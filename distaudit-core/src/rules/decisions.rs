//! Locked decisions: D2.1-D2.5, D3.3, A and B. They have no `allow`.

use super::Context;
use crate::annotation::InvariantKind;
use crate::diag::{Code, Finding};
use crate::item::{Subject, changes_state};
use crate::keys::{KeyType, classify};
use proc_macro2::Span;
use syn::spanned::Spanned;

/// `D2.1 (Two-layer cursor): statement. Sources: ...`.
fn why(ctx: &Context<'_>, id: &str) -> String {
    match ctx.registry.decision(id) {
        Some(d) => format!(
            "locked decision {} ({}): {} Sources: {}",
            d.id,
            d.title,
            d.statement,
            ctx.registry.short_references(&d.sources)
        ),
        None => format!("locked decision {id}"),
    }
}

fn struct_fields(s: &syn::ItemStruct) -> Vec<(String, &syn::Field)> {
    s.fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                f.ident
                    .as_ref()
                    .map_or_else(|| i.to_string(), ToString::to_string),
                f,
            )
        })
        .collect()
}

/// The span a role is named at: the `fields(..)` value if renamed, else the struct name.
fn role_span(ctx: &Context<'_>, role: &str, fallback: Span) -> Span {
    ctx.annotation
        .fields
        .iter()
        .find(|f| f.role.value == role)
        .map_or(fallback, |f| f.field.span)
}

fn key_type_findings(
    ctx: &Context<'_>,
    field: &syn::Field,
    role: &str,
    allow_option: bool,
) -> Vec<Finding> {
    match classify(&field.ty) {
        KeyType::Textual(name) | KeyType::Numeric(name) => vec![Finding::new(
            Code::NonByteKey,
            field.ty.span(),
            format!("the {role} key is `{name}`, not a lexicographically ordered byte string"),
            why(ctx, "D3.3"),
            "use a byte string: `Box<[u8]>`, `Vec<u8>`, `[u8; N]`, or a newtype implementing `distaudit::LexKey`",
        )],
        KeyType::Optional(_) if !allow_option => vec![Finding::new(
            Code::ShardBounds,
            field.ty.span(),
            format!(
                "the {role} bound is optional; a shard bound is a byte string where empty means unbounded"
            ),
            why(ctx, "D2.2"),
            "store the bound as a byte string and use an empty one for an unbounded side",
        )],
        _ => Vec::new(),
    }
}

pub(super) fn cursor_layers(ctx: &Context<'_>) -> Vec<Finding> {
    let Subject::Struct(s) = ctx.subject else {
        return Vec::new();
    };
    if !ctx.has_pattern("cursor") {
        return Vec::new();
    }
    let key_name = ctx.annotation.field_for("last_key", "last_key");
    let token_name = ctx.annotation.field_for("token", "token");
    let fields = struct_fields(s);
    let mut out = Vec::new();
    let key = fields.iter().find(|(n, _)| *n == key_name);
    let token = fields.iter().find(|(n, _)| *n == token_name);
    for (role, name, found) in [
        ("key", &key_name, key.is_some()),
        ("token", &token_name, token.is_some()),
    ] {
        if !found {
            let role_id = if role == "key" { "last_key" } else { "token" };
            out.push(Finding::new(
                Code::CursorLayers,
                role_span(ctx, role_id, s.ident.span()),
                format!("cursor `{}` has no {role} layer: no field `{name}`", s.ident),
                why(ctx, "D2.1"),
                format!("add the field `{name}` (or name the field that plays it with `fields({role_id} = \"..\")`)"),
            ));
        }
    }
    if let Some((_, f)) = key {
        out.extend(key_type_findings(ctx, f, "cursor", true));
    }
    for (name, f) in &fields {
        if *name == key_name || *name == token_name {
            continue;
        }
        if classify(&f.ty).is_byte_string() {
            out.push(Finding::new(
                Code::CursorLayers,
                f.span(),
                format!("cursor `{}` has a third layer: `{name}` holds a byte string", s.ident),
                why(ctx, "D2.1"),
                format!("a cursor is exactly a key (`{key_name}`) and an opaque token (`{token_name}`): fold `{name}` into the token"),
            ));
        }
    }
    out
}

pub(super) fn shard_bounds(ctx: &Context<'_>) -> Vec<Finding> {
    let Subject::Struct(s) = ctx.subject else {
        return Vec::new();
    };
    if !ctx.has_pattern("shard") {
        return Vec::new();
    }
    let fields = struct_fields(s);
    let mut out = Vec::new();
    for role in ["start", "end"] {
        let name = ctx.annotation.field_for(role, role);
        match fields.iter().find(|(n, _)| *n == name) {
            None => out.push(Finding::new(
                Code::ShardBounds,
                role_span(ctx, role, s.ident.span()),
                format!("shard `{}` has no {role} bound: no field `{name}`", s.ident),
                why(ctx, "D2.2"),
                format!("add the field `{name}` holding a byte string, or name the field with `fields({role} = \"..\")`"),
            )),
            Some((_, f)) => out.extend(key_type_findings(ctx, f, role, false)),
        }
    }
    out
}

fn declares(ctx: &Context<'_>, pred: fn(&InvariantKind) -> bool) -> bool {
    ctx.annotation.invariants.iter().any(|i| pred(&i.kind))
}

pub(super) fn cursor_invariants(ctx: &Context<'_>) -> Vec<Finding> {
    let Some(f) = ctx.subject.as_fn() else {
        return Vec::new();
    };
    if !ctx.has_pattern("cursor") || !changes_state(&f.sig) {
        return Vec::new();
    }
    type Needed = (&'static str, fn(&InvariantKind) -> bool, &'static str);
    let needed: [Needed; 3] = [
        (
            "D2.3",
            |k| {
                matches!(
                    k,
                    InvariantKind::Monotonic(_) | InvariantKind::StrictlyIncreasing(_)
                )
            },
            "invariant(monotonic = \"self.cursor.last_key\")",
        ),
        (
            "D2.4",
            |k| matches!(k, InvariantKind::Within { .. }),
            "invariant(within(key = \"self.cursor.last_key\", range = \"self.shard\"))",
        ),
        (
            "D2.5",
            |k| matches!(k, InvariantKind::NeverNone(_)),
            "invariant(never_none = \"self.cursor.last_key\")",
        ),
    ];
    needed
        .iter()
        .filter(|(_, pred, _)| !declares(ctx, *pred))
        .map(|(id, _, example)| {
            Finding::new(
                Code::CursorInvariantMissing,
                f.sig.ident.span(),
                format!("cannot verify {id} from this code: `{}` changes cursor state but declares no check for it", f.sig.ident),
                why(ctx, id),
                format!("add `{example}`, naming your cursor's key and shard range"),
            )
        })
        .collect()
}

pub(super) fn fence_invariant(ctx: &Context<'_>) -> Vec<Finding> {
    let Some(f) = ctx.subject.as_fn() else {
        return Vec::new();
    };
    if !ctx.has_pattern("fencing") || !changes_state(&f.sig) {
        return Vec::new();
    }
    if declares(ctx, |k| {
        matches!(
            k,
            InvariantKind::Monotonic(_) | InvariantKind::StrictlyIncreasing(_)
        )
    }) {
        return Vec::new();
    }
    let refs = ctx
        .registry
        .citations_for("fencing")
        .iter()
        .take(3)
        .map(|c| c.reference())
        .collect::<Vec<_>>()
        .join("; ");
    vec![Finding::new(
        Code::FenceInvariantMissing,
        f.sig.ident.span(),
        format!(
            "`{}` changes fencing state but declares no check on its epoch",
            f.sig.ident
        ),
        format!(
            "a fence epoch only protects if it never goes backwards and each grant gets a larger one ({refs})"
        ),
        "add `invariant(strictly_increasing = \"self.fence\")` on the function that issues epochs, or `invariant(monotonic = \"self.fence\")` on one that only observes them",
    )]
}

pub(super) fn proven_backend(ctx: &Context<'_>) -> Vec<Finding> {
    let patterns: Vec<_> = ctx
        .annotation
        .patterns
        .iter()
        .filter(|id| {
            ctx.registry
                .pattern(&id.value)
                .is_some_and(|p| p.decisions.iter().any(|d| d == "A"))
        })
        .collect();
    if patterns.is_empty() || ctx.annotation.backend.is_some() {
        return Vec::new();
    }
    let backends: Vec<String> = ctx
        .registry
        .backends
        .iter()
        .map(|b| format!("\"{}\" ({})", b.id, b.protocol))
        .collect();
    let novel = ctx.registry.anti_pattern("novel_consensus");
    vec![Finding::new(
        Code::CustomConsensus,
        patterns[0].span,
        format!(
            "`{}` without `backend`: a hand-rolled leader election or consensus",
            patterns[0].value
        ),
        format!(
            "{}{}",
            why(ctx, "A"),
            novel
                .map(|a| format!("; anti-pattern {} ({}): {}", a.number, a.slug, a.why))
                .unwrap_or_default()
        ),
        format!(
            "delegate to a proven system and name it with `backend = \"..\"`: {}",
            backends.join(", ")
        ),
    )]
}

pub(super) fn no_gossip(ctx: &Context<'_>) -> Vec<Finding> {
    ctx.annotation
        .patterns
        .iter()
        .filter_map(|id| {
            let p = ctx.registry.pattern(&id.value)?;
            let decision = p.forbidden_by.as_ref()?;
            let alias = if p.id == id.value { String::new() } else { format!(" (`{}` is {})", id.value, p.name) };
            Some(Finding::new(
                Code::GossipCoordination,
                id.span,
                format!("`{}` is forbidden for coordination{alias}", id.value),
                why(ctx, decision),
                "coordinate with leases and fencing tokens: `pattern = \"lease\", pattern = \"fencing\"`, cite e.g. \"gray-cheriton-1989\" and \"burrows-2006\"",
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::rules::test_support::codes;
    use quote::quote;

    fn cursor(item: proc_macro2::TokenStream) -> Vec<Code> {
        codes(quote!(pattern = "cursor", cite = "bacon-2017"), item)
    }

    #[test]
    fn d2_1_cursor_has_two_layers() {
        assert!(
            cursor(quote!(
                struct C {
                    last_key: Option<Box<[u8]>>,
                    token: Option<Box<[u8]>>,
                    n: u64,
                }
            ))
            .is_empty()
        );
        assert_eq!(
            cursor(quote!(
                struct C {
                    last_key: Box<[u8]>,
                }
            )),
            [Code::CursorLayers]
        );
        assert_eq!(
            cursor(quote!(
                struct C {
                    token: Vec<u8>,
                }
            )),
            [Code::CursorLayers]
        );
        assert_eq!(
            cursor(quote!(
                struct C {
                    last_key: Vec<u8>,
                    token: Vec<u8>,
                    extra: Option<Vec<u8>>,
                }
            )),
            [Code::CursorLayers]
        );
        assert_eq!(
            cursor(quote!(
                struct C {
                    last_key: String,
                    token: Vec<u8>,
                }
            )),
            [Code::NonByteKey]
        );
        let renamed = codes(
            quote!(
                pattern = "cursor",
                cite = "bacon-2017",
                fields(last_key = "resume", token = "opaque")
            ),
            quote!(
                struct C {
                    resume: Vec<u8>,
                    opaque: [u8; 16],
                }
            ),
        );
        assert!(renamed.is_empty(), "{renamed:?}");
    }

    #[test]
    fn d2_2_and_d3_3_shard_bounds_are_bytes() {
        let shard = |item| codes(quote!(pattern = "shard", cite = "bacon-2017"), item);
        assert!(
            shard(quote!(
                struct S {
                    start: Box<[u8]>,
                    end: Box<[u8]>,
                }
            ))
            .is_empty()
        );
        assert_eq!(
            shard(quote!(
                struct S {
                    start: Box<[u8]>,
                }
            )),
            [Code::ShardBounds]
        );
        assert_eq!(
            shard(quote!(
                struct S {
                    start: String,
                    end: u64,
                }
            )),
            [Code::NonByteKey, Code::NonByteKey]
        );
        assert_eq!(
            shard(quote!(
                struct S {
                    start: Option<Box<str>>,
                    end: &'static [u8],
                }
            )),
            [Code::NonByteKey]
        );
        assert_eq!(
            shard(quote!(
                struct S {
                    start: Option<Vec<u8>>,
                    end: Vec<u8>,
                }
            )),
            [Code::ShardBounds]
        );
        // Newtypes are left to the static LexKey assertion.
        assert!(
            shard(quote!(
                struct S {
                    start: Key,
                    end: Key,
                }
            ))
            .is_empty()
        );
    }

    #[test]
    fn d2_3_to_d2_5_cursor_functions_declare_their_checks() {
        let f = quote!(
            fn checkpoint(&mut self, key: &[u8]) {}
        );
        assert_eq!(cursor(f.clone()), [Code::CursorInvariantMissing; 3]);
        let all = codes(
            quote!(
                pattern = "cursor",
                cite = "bacon-2017",
                invariant(monotonic = "self.c.last_key"),
                invariant(within(key = "self.c.last_key", range = "self.shard")),
                invariant(never_none = "self.c.last_key")
            ),
            f,
        );
        assert!(all.is_empty(), "{all:?}");
        assert!(
            cursor(quote!(
                fn peek(&self) -> u8 {
                    0
                }
            ))
            .is_empty()
        );
    }

    #[test]
    fn fencing_functions_check_their_epoch() {
        let f = quote!(
            fn acquire(&mut self) {}
        );
        let fenced = |args| codes(args, f.clone());
        assert_eq!(
            fenced(quote!(pattern = "fencing", cite = "burrows-2006")),
            [Code::FenceInvariantMissing]
        );
        assert!(
            fenced(quote!(
                pattern = "fencing",
                cite = "burrows-2006",
                invariant(strictly_increasing = "self.fence")
            ))
            .is_empty()
        );
    }

    #[test]
    fn decision_a_needs_a_backend() {
        let f = quote!(
            fn elect(&mut self) {}
        );
        assert_eq!(
            codes(
                quote!(pattern = "leader-election", cite = "burrows-2006"),
                f.clone()
            ),
            [Code::CustomConsensus]
        );
        assert!(
            codes(
                quote!(
                    pattern = "leader-election",
                    cite = "burrows-2006",
                    backend = "etcd"
                ),
                f
            )
            .is_empty()
        );
    }

    #[test]
    fn decision_b_forbids_gossip_by_pattern_not_by_name() {
        let f = quote!(
            fn spread(&self) {}
        );
        assert_eq!(
            codes(quote!(pattern = "gossip", cite = "demers-1987"), f.clone()),
            [Code::GossipCoordination]
        );
        assert_eq!(
            codes(quote!(pattern = "epidemic", cite = "demers-1987"), f),
            [Code::GossipCoordination]
        );
        assert!(
            codes(
                quote!(pattern = "lease", cite = "gray-cheriton-1989"),
                quote!(
                    fn gossip_coordination_lease(&self) {}
                )
            )
            .is_empty()
        );
    }
}
