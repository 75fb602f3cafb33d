//! Locked decisions: D2.1-D2.5, D3.3, A and B. They have no `allow`.

use super::{Context, decision_why as why};
use crate::analyze::{Audit, Upholds};
use crate::annotation::Phase;
use crate::catalogue::{AntiPattern, Kind, PROVEN_BACKEND_DECISION, Role};
use crate::diag::{Code, Finding, Obligation};
use crate::item::Subject;
use crate::keys::{KeyType, classify};
use syn::spanned::Spanned;

fn key_type_findings(
    audit: &Audit<'_>,
    field: &syn::Field,
    role: &str,
    allow_option: bool,
) -> Vec<Finding> {
    match classify(&field.ty) {
        KeyType::Textual(name) | KeyType::Numeric(name) => vec![Finding::new(
            Code::NonByteKey,
            field.ty.span(),
            format!("the {role} key is `{name}`, not a lexicographically ordered byte string"),
            why(audit, "D3.3"),
            "use a byte string: `Box<[u8]>`, `Vec<u8>`, `[u8; N]`, or a newtype implementing `distaudit::LexKey`",
        )
        .on(&field.ty)],
        KeyType::Optional(_) if !allow_option => vec![Finding::new(
            Code::ShardBounds,
            field.ty.span(),
            format!(
                "the {role} bound is optional; a shard bound is a byte string where empty means unbounded"
            ),
            why(audit, "D2.2"),
            "store the bound as a byte string and use an empty one for an unbounded side",
        )
        .on(&field.ty)],
        _ => Vec::new(),
    }
}

pub(super) fn cursor_layers(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let audit = ctx.audit;
    let Subject::Struct(s) = ctx.subject else {
        return Vec::new();
    };
    let (Some(key_role), Some(token_role)) = (audit.role(Role::LastKey), audit.role(Role::Token))
    else {
        return Vec::new();
    };
    let fields = crate::item::struct_fields(s);
    let mut out = Vec::new();
    let key = crate::item::find_field(&fields, &key_role.field);
    let token = crate::item::find_field(&fields, &token_role.field);
    for (rf, found) in [(key_role, key.is_some()), (token_role, token.is_some())] {
        if !found {
            let layer = if rf.role == Role::LastKey {
                "key"
            } else {
                "token"
            };
            out.push(Finding::new(
                Code::CursorLayers,
                rf.renamed_at.unwrap_or_else(|| s.ident.span()),
                format!("cursor `{}` has no {layer} layer: no field `{}`", s.ident, rf.field),
                why(audit, "D2.1"),
                format!(
                    "add the field `{}` (or name the field that plays it with `fields({} = \"..\")`)",
                    rf.field, rf.role
                ),
            ));
        }
    }
    if let Some((_, f)) = key {
        out.extend(key_type_findings(audit, f, "cursor", true));
    }
    for (name, f) in &fields {
        if Some(name) == key.map(|k| &k.0) || Some(name) == token.map(|t| &t.0) {
            continue;
        }
        if classify(&f.ty).is_byte_string() {
            out.push(Finding::new(
                Code::CursorLayers,
                f.span(),
                format!("cursor `{}` has a third layer: `{name}` holds a byte string", s.ident),
                why(audit, "D2.1"),
                format!(
                    "a cursor is exactly a key (`{}`) and an opaque token (`{}`): fold `{name}` into the token",
                    key_role.field, token_role.field
                ),
            )
            .on(*f));
        }
    }
    out
}

pub(super) fn shard_bounds(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let audit = ctx.audit;
    let Subject::Struct(s) = ctx.subject else {
        return Vec::new();
    };
    let fields = crate::item::struct_fields(s);
    let mut out = Vec::new();
    if let Some(rf) = audit.role(Role::Range)
        && crate::item::find_field(&fields, &rf.field).is_none()
    {
        out.push(Finding::new(
            Code::ShardBounds,
            rf.renamed_at.unwrap_or_else(|| s.ident.span()),
            format!("`{}` carries no range: no field `{}`", s.ident, rf.field),
            why(audit, "D2.2"),
            "name the field that holds the shard's `KeyRange` with `fields(range = \"..\")`",
        ));
    }
    for role in [Role::Start, Role::End] {
        let Some(rf) = audit.role(role) else {
            continue;
        };
        match crate::item::find_field(&fields, &rf.field) {
            None => out.push(Finding::new(
                Code::ShardBounds,
                rf.renamed_at.unwrap_or_else(|| s.ident.span()),
                format!("shard `{}` has no {role} bound: no field `{}`", s.ident, rf.field),
                why(audit, "D2.2"),
                format!(
                    "a shard range holds its `start` and `end` as byte strings: add the field `{}`, or name it with `fields({role} = \"..\")`; a type that owns shards rather than being one keeps them in a field (a map, a `Vec`, a `KeyRange`), which needs no bound of its own",
                    rf.field
                ),
            )),
            Some((_, f)) => out.extend(key_type_findings(audit, f, role.name(), false)),
        }
    }
    out
}

pub(super) fn cursor_invariants(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let audit = ctx.audit;
    let Some(f) = ctx.subject.as_fn() else {
        return Vec::new();
    };
    // A trait's contract states no body: its impls, which inherit it, are checked.
    if !audit.has_pattern("cursor") || !audit.item.changes_state || audit.item.site.contract {
        return Vec::new();
    }
    // The key the user already checks elsewhere in this annotation, else a placeholder: a
    // check of a cursor decision, never one of another rule (a fence's `monotonic`).
    let key = audit
        .checks
        .iter()
        .find(|c| {
            matches!(
                c.invariant.kind,
                Kind::Monotonic | Kind::StrictlyIncreasing | Kind::NeverNone
            ) && matches!(c.upholds, Some(crate::analyze::Upholds::Decision(d)) if ["D2.3", "D2.4", "D2.5"].contains(&d.id.as_str()))
        })
        .and_then(|c| c.invariant.exprs().first().map(|e| e.text.value.clone()))
        .or_else(|| {
            audit
                .checks
                .iter()
                .find_map(|c| match &c.invariant.operands {
                    crate::annotation::Operands::KeyInRange { key, .. } => {
                        Some(key.text.value.clone())
                    }
                    crate::annotation::Operands::One(_) => None,
                })
        });
    let (key, hint) = match key {
        Some(k) => (k, ""),
        None => (
            "self.cursor.last_key".to_string(),
            ", naming your cursor's key",
        ),
    };
    let needed: [(&str, &[Kind], String); 3] = [
        (
            "D2.3",
            &[Kind::Monotonic, Kind::StrictlyIncreasing],
            format!("invariant(monotonic = \"{key}\")`{hint}"),
        ),
        (
            "D2.4",
            &[Kind::Within],
            format!(
                "invariant(within(key = \"{key}\", range = \"self.shard\"))`{hint} and the shard range that bounds it"
            ),
        ),
        (
            "D2.5",
            &[Kind::NeverNone],
            format!("invariant(never_none = \"{key}\")`{hint}"),
        ),
    ];
    needed
        .iter()
        .filter(|(id, kinds, _)| {
            // A check of another pattern's rule (a fence's `monotonic`) checks no cursor.
            let declared = audit.checks.iter().any(|c| {
                kinds.contains(&c.invariant.kind)
                    && !matches!(c.upholds, Some(crate::analyze::Upholds::PatternRule(_)))
            });
            !declared
                && !audit.delegates(id)
                && !audit.checks_decision(id)
                && audit.registry.set_aside(id).is_none()
        })
        .map(|(id, _, example)| {
            let finding = Finding::new(
                Code::CursorInvariantMissing,
                f.sig.ident.span(),
                format!("cannot verify {id} from this code: `{}` changes cursor state but declares no check for it", f.sig.ident),
                why(audit, id),
                format!("add `{example}; or, in an impl with `#[distaudit::audit]`, an invariant of its type that upholds {id} (checked after every method of its audited impls); or, where this item cannot see what the check needs, `delegates(decision = \"{id}\", to = \"<the annotated item that checks it>\")`"),
            );
            answerable(audit, finding, id)
        })
        .collect()
}

/// A method of an audited impl: its type's invariants may meet the obligation (the
/// attribute asks with a trait bound, `cargo distaudit` reads the type's annotation).
fn answerable(audit: &crate::analyze::Audit<'_>, finding: Finding, obligation: &str) -> Finding {
    let site = &audit.item.site;
    if !site.hosted || site.owner.is_none() {
        return finding;
    }
    match Obligation::of_id(obligation) {
        Some(o) => finding.answered_by_type(o),
        None => finding,
    }
}

/// What is said of a method of `ty` whose obligation its type does not meet either: the
/// message of the runtime's marker trait (`ChecksD23`, .., `ChecksFences`), with `{Self}`
/// as `ty`, so that `cargo distaudit` words it as rustc does.
#[must_use]
pub fn unmet_by_type(obligation: Obligation, ty: &str) -> String {
    let text = match obligation {
        Obligation::D23 => {
            "cannot verify D2.3 for a method of `{Self}`: it changes cursor state, and neither it nor the invariants of `{Self}` declare a check that upholds D2.3 (cursor monotonicity)"
        }
        Obligation::D24 => {
            "cannot verify D2.4 for a method of `{Self}`: it changes cursor state, and neither it nor the invariants of `{Self}` declare a check that upholds D2.4 (cursor within shard bounds)"
        }
        Obligation::D25 => {
            "cannot verify D2.5 for a method of `{Self}`: it changes cursor state, and neither it nor the invariants of `{Self}` declare a check that upholds D2.5 (checkpoints keep their key)"
        }
        Obligation::Fences => {
            "a method of `{Self}` changes fencing state, and neither it nor the invariants of `{Self}` declare a check on its epoch"
        }
    };
    text.replace("{Self}", ty)
}

/// The obligations an item's checks meet: a decision upheld (directly, or by a team
/// decision that refines it), and for fences a check that holds them against their entry
/// values.
#[must_use]
pub fn obligations_met(audit: &crate::analyze::Audit<'_>) -> Vec<Obligation> {
    Obligation::ALL
        .into_iter()
        .filter(|o| match o {
            Obligation::Fences => audit.checks.iter().any(is_fence_check),
            decision => audit.checks_decision(decision.id()),
        })
        .collect()
}

/// Whether a check holds a fence: upholds the fencing rule, or compares a value with its
/// entry value so that it may only stay or grow, or holds a fence's history.
fn is_fence_check(c: &crate::analyze::Check<'_>) -> bool {
    matches!(c.upholds, Some(Upholds::PatternRule("fencing")))
        || (c.invariant.phase != Phase::Requires
            && c.invariant
                .exprs()
                .iter()
                .any(|e| keeps_or_advances(&e.expr) || compares_with_history(&e.expr)))
}

pub(super) fn fence_invariant(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let audit = ctx.audit;
    let Some(f) = ctx.subject.as_fn() else {
        return Vec::new();
    };
    if !audit.has_pattern("fencing")
        || !audit.item.changes_state
        || audit.item.site.contract
        || audit.checks.iter().any(|c| {
            // A `monotonic` counts, unless it upholds a decision of another pattern only (a
            // cursor key's, D2.3).
            matches!(c.invariant.kind, Kind::Monotonic | Kind::StrictlyIncreasing)
                && !matches!(c.upholds, Some(Upholds::Decision(d))
                    if !d.patterns.is_empty() && !d.patterns.iter().any(|p| p == "fencing"))
        })
        || audit.checks.iter().any(is_fence_check)
    {
        return Vec::new();
    }
    let refs = audit
        .registry
        .citations_for("fencing")
        .iter()
        .take(3)
        .map(|c| c.reference())
        .collect::<Vec<_>>()
        .join("; ");
    let finding = Finding::new(
        Code::FenceInvariantMissing,
        f.sig.ident.span(),
        format!(
            "`{}` changes fencing state but declares no check on its epoch",
            f.sig.ident
        ),
        format!(
            "a fence epoch only protects if it never goes backwards and each grant gets a larger one ({refs})"
        ),
        "add `invariant(strictly_increasing = \"self.fence\")` on the function that issues epochs, or `invariant(monotonic = \"self.fence\")` on one that only observes them; or, in an impl with `#[distaudit::audit]`, an invariant of its type that holds the fences against their entry values (`holds = \"self.fence >= old(self.fence)\"`)",
    );
    vec![answerable(audit, finding, "fencing")]
}

/// An annotation that names a superseded decision (by `implements`, a check's `upholds`,
/// or `delegates`): the team replaced it, and the code should name its successor or say
/// that it still follows the old one.
pub(super) fn superseded_decisions(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let reg = ctx.audit.registry;
    let a = ctx.annotation;
    a.implements
        .iter()
        .chain(a.invariants.iter().filter_map(|i| i.upholds.as_ref()))
        .chain(a.delegations.iter().map(|d| &d.decision))
        .filter_map(|id| {
            let d = reg.decision(&id.value)?;
            let next = d.superseded_by.as_deref()?;
            (d.status == crate::registry::DecisionStatus::Superseded).then(|| {
                Finding::new(
                    Code::SupersededDecision,
                    id.span,
                    format!("`{}` is superseded by {next}", id.value),
                    format!(
                        "the team's decision records replace {} ({}) with {next}: code that names the old one either lags behind or follows it on purpose, and a reader cannot tell which",
                        d.id, d.title
                    ),
                    format!(
                        "name {next} instead; if this code deliberately still follows {}, say why in its docs and allow the warning for the crate (`[warnings] allow = [\"DA0056\"]` in distaudit.toml)",
                        d.id
                    ),
                )
            })
        })
        .collect()
}

/// Whether a check compares something with a value taken on entry (`old(..)`): a fence
/// known only from `ret` held against the shard's history (`old(self.fences.clone())
/// .get(&ret.shard).is_none_or(|f| ret.fence > *f)`) says what the fencing rule asks without
/// a counter kept for the check.
fn compares_with_history(expr: &syn::Expr) -> bool {
    use quote::ToTokens;
    let olds = crate::exprs::old_calls(expr);
    if olds.is_empty() {
        return false;
    }
    // A fence's history handed to a predicate (`self.never_decrease(&old(self.fences()))`):
    // what it compares is the fences on entry, whatever the predicate is called.
    if olds
        .iter()
        .filter_map(|o| o.arg.as_ref())
        .any(crate::analyze::names_a_fence)
    {
        return true;
    }
    let text = expr.to_token_stream().to_string();
    [" > ", " >= ", " == ", " < ", " <= "]
        .iter()
        .any(|op| text.contains(op))
}

/// Whether a check compares a value with its own entry value so that it may only stay or
/// grow (`x == old(x)`, `x >= old(x)`, `x > old(x)`, either way round): what "keeps the
/// fence" or "advances it" says about fencing state.
fn keeps_or_advances(expr: &syn::Expr) -> bool {
    let syn::Expr::Binary(b) = expr else {
        return false;
    };
    let old_of = |e: &syn::Expr| match e {
        syn::Expr::Call(c) if matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("old")) => {
            c.args.first().cloned()
        }
        _ => None,
    };
    let same = |old: Option<syn::Expr>, now: &syn::Expr| {
        old.is_some_and(|o| crate::exprs::same_syntax(&o, now))
    };
    match b.op {
        syn::BinOp::Eq(_) => same(old_of(&b.right), &b.left) || same(old_of(&b.left), &b.right),
        syn::BinOp::Ge(_) | syn::BinOp::Gt(_) => same(old_of(&b.right), &b.left),
        syn::BinOp::Le(_) | syn::BinOp::Lt(_) => same(old_of(&b.left), &b.right),
        _ => false,
    }
}

/// Whether a pattern of the item is governed by Decision A, so it must name a backend.
pub(crate) fn needs_backend(audit: &Audit<'_>) -> bool {
    audit.patterns.iter().any(|p| p.pattern.needs_backend())
}

pub(super) fn proven_backend(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let audit = ctx.audit;
    if !needs_backend(audit) || ctx.annotation.backend.is_some() {
        return Vec::new();
    }
    let Some(first) = audit.patterns.iter().find(|p| p.pattern.needs_backend()) else {
        return Vec::new();
    };
    let backends: Vec<String> = audit
        .registry
        .backends
        .iter()
        .map(|b| format!("\"{}\" ({})", b.id, b.protocol))
        .collect();
    let novel = audit.registry.anti_pattern(AntiPattern::NovelConsensus);
    vec![Finding::new(
        Code::Anti(AntiPattern::NovelConsensus),
        first.written.span,
        format!(
            "`{}` without `backend`: a hand-rolled leader election or consensus",
            first.written.value
        ),
        format!(
            "{}{}",
            why(audit, PROVEN_BACKEND_DECISION),
            novel
                .map(|a| format!(
                    "; anti-pattern {} ({}): {}",
                    a.anti_pattern.number(),
                    a.anti_pattern,
                    a.why
                ))
                .unwrap_or_default()
        ),
        format!(
            "delegate to a proven system and name it with `backend = \"..\"`: {}",
            backends.join(", ")
        ),
    )]
}

pub(super) fn no_gossip(ctx: &Context<'_, '_>) -> Vec<Finding> {
    ctx.audit
        .patterns
        .iter()
        .filter_map(|p| {
            let decision = p.pattern.forbidden_by.as_ref()?;
            let id = &p.written;
            let alias = if p.pattern.id == id.value {
                String::new()
            } else {
                format!(" (`{}` is {})", id.value, p.pattern.name)
            };
            Some(Finding::new(
                Code::GossipCoordination,
                id.span,
                format!("`{}` is forbidden for coordination{alias}", id.value),
                why(ctx.audit, decision),
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

    /// The fix names the key a cursor check already reads, never a fence's: a checkpoint
    /// that checks only its fence is shown the placeholder to fill in.
    #[test]
    fn the_cursor_fix_never_offers_a_fence_as_the_key() {
        let f = quote!(
            fn checkpoint(&mut self, lease: Lease, cursor: Vec<u8>) {}
        );
        let fenced = crate::rules::test_support::findings(
            quote!(
                pattern = "cursor",
                pattern = "fencing",
                cite = "bacon-2017",
                cite = "burrows-2006",
                invariant(monotonic = "self.fence_of(lease.shard)")
            ),
            f.clone(),
        );
        let fixes: Vec<&str> = fenced
            .iter()
            .filter(|x| x.code == Code::CursorInvariantMissing)
            .map(|x| x.fix.as_str())
            .collect();
        assert_eq!(fixes.len(), 3, "{fixes:?}");
        assert!(
            fixes
                .iter()
                .all(|fix| fix.contains("self.cursor.last_key") && !fix.contains("fence_of")),
            "{fixes:?}"
        );
        let keyed = crate::rules::test_support::findings(
            quote!(
                pattern = "cursor",
                cite = "bacon-2017",
                invariant(monotonic = "self.c.last_key")
            ),
            f,
        );
        assert!(
            keyed
                .iter()
                .filter(|x| x.code == Code::CursorInvariantMissing)
                .all(|x| x.fix.contains("\"self.c.last_key\"")),
            "{keyed:?}"
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
            f.clone(),
        );
        assert!(all.is_empty(), "{all:?}");
        let delegated = codes(
            quote!(
                pattern = "cursor",
                cite = "bacon-2017",
                invariant(monotonic = "self.c.last_key"),
                invariant(never_none = "self.c.last_key"),
                delegates(decision = "D2.4", to = "crate::Coordinator::checkpoint")
            ),
            f,
        );
        assert!(delegated.is_empty(), "{delegated:?}");
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
            [Code::Anti(crate::catalogue::AntiPattern::NovelConsensus)]
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

    /// Issue 21, workaround 1 and 2's second half: a bodyless trait method states the
    /// contract; it has no state to check, so the fence and cursor rules that ask a body
    /// for checks do not apply to it (they apply to the impls that inherit it).
    #[test]
    fn a_trait_contract_is_not_asked_for_a_body_s_checks() {
        let registry = crate::registry::default_registry().expect("default registry");
        let t: syn::ItemTrait = syn::parse_quote! {
            pub trait Leases {
                #[coordination(pattern = "fencing", cite = "burrows-2006")]
                fn acquire(&mut self, shard: u64, now: u64) -> u64;
                #[coordination(pattern = "cursor", cite = "bacon-2017")]
                fn checkpoint(&mut self, shard: u64, key: Vec<u8>);
            }
        };
        let model =
            crate::pipeline::audited_trait(registry, &t, &syn::parse_quote!(::distaudit), &[]);
        let found: Vec<Code> = model
            .contracts
            .iter()
            .flat_map(|c| c.findings.iter().map(|f| f.code))
            .collect();
        assert!(found.is_empty(), "{found:?}");
        // The same annotation on a method with a body still asks for its checks.
        assert_eq!(
            codes(
                quote!(pattern = "fencing", cite = "burrows-2006"),
                quote!(
                    fn acquire(&mut self, now: u64) -> u64 {
                        now
                    }
                )
            ),
            [Code::FenceInvariantMissing]
        );
    }

    /// Issue 21, workaround 2: a check that names a decision with `upholds` counts for it.
    #[test]
    fn a_check_that_upholds_a_decision_counts_for_it() {
        let found = codes(
            quote!(
                pattern = "cursor",
                cite = "bacon-2017",
                invariant(monotonic = "self.last_key"),
                invariant(within(key = "self.last_key", range = "self.shard")),
                ensures(holds = "self.last_key.is_some()", upholds = "D2.5")
            ),
            quote!(
                fn checkpoint(&mut self, key: Vec<u8>) {}
            ),
        );
        assert!(!found.contains(&Code::CursorInvariantMissing), "{found:?}");
        let without = codes(
            quote!(
                pattern = "cursor",
                cite = "bacon-2017",
                invariant(monotonic = "self.last_key"),
                invariant(within(key = "self.last_key", range = "self.shard")),
                ensures(holds = "self.last_key.is_some()")
            ),
            quote!(
                fn checkpoint(&mut self, key: Vec<u8>) {}
            ),
        );
        assert_eq!(without, [Code::CursorInvariantMissing], "D2.5 is not named");
    }

    /// Issue 21, workaround 3: keeping the fence, said as a check, satisfies the fencing
    /// rule; a check that only reads the fence on exit does not.
    #[test]
    fn keeping_the_fence_said_as_a_check_satisfies_the_fencing_rule() {
        let fenced = |check: proc_macro2::TokenStream| {
            codes(
                quote!(pattern = "fencing", cite = "burrows-2006", #check),
                quote!(
                    fn renew(&mut self, shard: u64, now: u64) {}
                ),
            )
        };
        for keeps in [
            quote!(ensures(
                holds = "self.fence_of(shard) == old(self.fence_of(shard))"
            )),
            quote!(ensures(
                holds = "old(self.fence_of(shard)) == self.fence_of(shard)"
            )),
            quote!(invariant(
                holds = "self.fence_of(shard) >= old(self.fence_of(shard))"
            )),
            quote!(ensures(holds = "old(self.fence) < self.fence")),
            // The replica's W9: the fences' history handed to the team's own predicate.
            quote!(invariant(
                holds = "self.never_decrease(&old(self.fences()))",
                upholds = "D2.2"
            )),
        ] {
            assert!(fenced(keeps.clone()).is_empty(), "{keeps}");
        }
        // A `monotonic` on a cursor key is the cursor's check, not the fence's.
        let cursor_only = codes(
            quote!(
                pattern = "fencing",
                pattern = "cursor",
                cite = "burrows-2006",
                cite = "bacon-2017",
                invariant(monotonic = "self.cursor_key(shard)"),
                invariant(within(key = "self.cursor_key(shard)", range = "self.shard")),
                invariant(never_none = "self.cursor_key(shard)")
            ),
            quote!(
                fn checkpoint(&mut self, shard: u64, now: u64) {}
            ),
        );
        assert_eq!(
            cursor_only,
            [Code::FenceInvariantMissing],
            "{cursor_only:?}"
        );
        assert_eq!(
            fenced(quote!(ensures(holds = "self.fence_of(shard) > 0"))),
            [Code::FenceInvariantMissing]
        );
        // Workaround 4: a fence known only from `ret`, held against the shard's history.
        let history = codes(
            quote!(
                pattern = "fencing",
                cite = "burrows-2006",
                ensures(
                    holds =
                        "old(self.fences.clone()).get(&ret.0).is_none_or(|before| ret.1 > *before)"
                )
            ),
            quote!(
                fn grant(&mut self, shard: u32) -> (u32, u64) {
                    (shard, 1)
                }
            ),
        );
        assert!(history.is_empty(), "{history:?}");
    }

    /// Issue 21: a team's decision that `refines` a locked one (their S5, "cursors never
    /// regress", refines D2.3) is counted for it, so the check is not written twice; an
    /// unknown id in `refines` is refused with the closest one.
    #[test]
    fn a_check_of_a_team_decision_counts_for_the_decisions_it_refines() {
        use crate::registry::{DEFAULT_FILES, parse_files};
        let team = "[[decision]]\nid = \"S5\"\ntitle = \"Cursors never regress\"\n\
                    statement = \"s\"\nrationale = \"r\"\nsources = [\"bacon-2017\"]\n\
                    patterns = [\"cursor\"]\nrefines = [\"D2.3\"]\n";
        let mut files = DEFAULT_FILES.to_vec();
        files.push(("distaudit.toml", team));
        let registry = parse_files(&files, true).expect("the team's registry");
        let checkpoint = quote!(
            fn checkpoint(&mut self, key: Vec<u8>) {}
        );
        let found = crate::rules::test_support::findings_in(
            &registry,
            quote!(
                pattern = "cursor",
                cite = "bacon-2017",
                invariant(
                    holds = "self.cursors_never_regress(&old(self.cursors()))",
                    upholds = "S5"
                ),
                invariant(within(key = "self.c.last_key", range = "self.shard")),
                invariant(never_none = "self.c.last_key")
            ),
            checkpoint,
        );
        assert!(found.is_empty(), "{found:?}");
        let mut files = DEFAULT_FILES.to_vec();
        let typo = team.replace("D2.3", "D2.33");
        files.push(("distaudit.toml", &typo));
        let e = parse_files(&files, true).expect_err("an unknown refined decision");
        assert!(
            e.message
                .contains("refines \"D2.33\", which is not another decision")
                && e.message.contains("did you mean \"D2.3\"?"),
            "{e}"
        );
    }

    /// The runtime's marker traits say what `unmet_by_type` says, so rustc and `cargo
    /// distaudit` word an unmet obligation alike.
    #[test]
    fn the_runtime_s_marker_traits_word_unmet_obligations_as_the_engine() {
        let runtime = include_str!("../../../src/runtime.rs");
        for o in crate::diag::Obligation::ALL {
            let text = super::unmet_by_type(o, "{Self}");
            assert!(runtime.contains(&text), "src/runtime.rs lacks: {text}");
            // The names the expansion writes are the runtime's.
            let marker = format!("pub trait {} {{}}", o.marker());
            let ask = format!(
                "pub const fn {}<T: ?Sized + {}>() {{}}",
                o.ask(),
                o.marker()
            );
            assert!(runtime.contains(&marker), "src/runtime.rs lacks: {marker}");
            assert!(runtime.contains(&ask), "src/runtime.rs lacks: {ask}");
            assert_eq!(crate::diag::Obligation::of_id(o.id()), Some(o));
        }
    }

    /// Issue 21 (the replica's second workaround): a coordinator that keeps a cursor per
    /// shard carries `pattern = "cursor"` without being asked for a key and a token layer of
    /// its own; a cursor type still is.
    #[test]
    fn a_type_that_owns_cursors_is_not_asked_for_layers() {
        let cursor = |item| codes(quote!(pattern = "cursor", cite = "bacon-2017"), item);
        assert!(
            cursor(quote!(
                struct Coordinator {
                    records: std::collections::BTreeMap<ShardKey, ShardRecord>,
                    epoch: u64,
                }
            ))
            .is_empty()
        );
        assert_eq!(
            cursor(quote!(
                struct Cursor {
                    last_key: Option<Box<[u8]>>,
                }
            )),
            [Code::CursorLayers]
        );
    }

    /// Issue 21, workaround 5: a coordinator that owns shards carries `pattern = "shard"`
    /// without being asked for bounds of its own; a type that is neither a range nor an owner
    /// is told both ways out.
    #[test]
    fn a_type_that_owns_shards_is_not_asked_for_bounds() {
        let shard = |item| codes(quote!(pattern = "shard", cite = "bacon-2017"), item);
        for owner in [
            quote!(
                struct Coordinator {
                    shards: std::collections::HashMap<u64, Record>,
                    epoch: u64,
                }
            ),
            quote!(
                struct Plan {
                    children: Vec<Spec>,
                }
            ),
            quote!(
                struct Split {
                    left: KeyRange,
                    right: KeyRange,
                }
            ),
        ] {
            assert!(shard(owner.clone()).is_empty(), "{owner}");
        }
        let neither = crate::rules::test_support::findings(
            quote!(pattern = "shard", cite = "bacon-2017"),
            quote!(
                struct Counter {
                    n: u64,
                }
            ),
        );
        assert_eq!(neither.len(), 2, "{neither:?}");
        assert!(
            neither[0].fix.contains("a type that owns shards"),
            "{}",
            neither[0].fix
        );
    }
}
