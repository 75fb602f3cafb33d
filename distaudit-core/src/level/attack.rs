//! The attacking steps of an impl's state machine, decided from the patterns of the tested
//! methods and the roles their parameters play: which steps the machine draws, which
//! parameter of each method carries the op id, the fence (and the lease it is part of) and
//! the time, and which steps cannot be formed (each a finding with its fix).
//!
//! A role comes from `roles(..)` on the method's `test(..)`, else from the audit's, else from
//! the parameter's name or type: an op id is a parameter named `op`, `op_id`, `request_id`,
//! `idempotency_key` or of a type named `OpId`, `OperationId`, `RequestId`,
//! `IdempotencyKey`; a fence one named `fence`, `epoch`, `fence_epoch`, `fencing_token` or of
//! a type `FenceEpoch`, `Fence`, `Epoch`, `FencingToken`; the time one named `now` or of a
//! type `LogicalTime`. A lease (a parameter named `lease` or of a type `Lease`) holds its
//! fence inside: its roles are named (`fence = "lease.fence"`), never guessed. A cursor is a
//! parameter named `cursor`, `key`, `checkpoint`, `position`, `offset`, `last_key` or of a type
//! `Cursor`, `CursorUpdate`, `Checkpoint`, `Offset`, or the one `roles(cursor = "..")` names
//! (an expression over it gives the ordered position: `cursor = "update.last_key"`). A
//! `shard` method's split key is `roles(split_at = "..")`, or, in a method named for a split,
//! a parameter named `split_at`, `split_key`, `at`, `mid`, `pivot`, `boundary` or of a type
//! `SplitKey`, `SplitPoint`.

use crate::annotation::TestSpec;
use crate::exprs::pat_ident;
use crate::item::ident_text;
use proc_macro2::Span;
use syn::spanned::Spanned;

/// An attacking step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AttackStep {
    /// An older fence after a newer one: refused, nothing changes.
    Fencing,
    /// An accepted call again with its op id: the recorded outcome, nothing changes.
    Replay,
    /// An accepted call's op id with another payload: refused, nothing changes.
    Conflict,
    /// The latest lease of a shard at its deadline: refused, nothing changes.
    Lease,
    /// A cursor below the last one accepted for its shard: refused, nothing changes.
    Cursor,
    /// A split at a key an accepted split made a bound: refused, nothing changes; or just
    /// past it: the woven checks judge.
    Split,
}

impl AttackStep {
    /// Every step, in the order a machine draws them.
    pub const ALL: [AttackStep; 6] = [
        AttackStep::Fencing,
        AttackStep::Replay,
        AttackStep::Conflict,
        AttackStep::Lease,
        AttackStep::Cursor,
        AttackStep::Split,
    ];

    /// The pattern whose violation scenario it is.
    #[must_use]
    pub fn pattern(self) -> &'static str {
        match self {
            AttackStep::Fencing => "fencing",
            AttackStep::Replay | AttackStep::Conflict => "idempotency",
            AttackStep::Lease => "lease",
            AttackStep::Cursor => "cursor",
            AttackStep::Split => "shard",
        }
    }

    /// As written in `without = ".."`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            AttackStep::Fencing => "fencing",
            AttackStep::Replay => "replay",
            AttackStep::Conflict => "conflict",
            AttackStep::Lease => "lease",
            AttackStep::Cursor => "cursor",
            AttackStep::Split => "split",
        }
    }
}

/// What a method presents to prove it holds a shard: the parameter, and the expressions
/// over it that give the fence, the shard and the time it lapses.
#[derive(Clone)]
pub struct CarrierRoles {
    /// The parameter (the field of the call).
    pub param: syn::Ident,
    /// Its type, as written (`&Lease`, `u64`).
    pub ty: syn::Type,
    pub fence: syn::Expr,
    pub shard: Option<syn::Expr>,
    pub expires: Option<syn::Expr>,
}

/// The cursor a method checkpoints: the parameter, the ordered position read from it, and
/// the shard it belongs to (read from the method's carrier, or from the cursor itself).
#[derive(Clone)]
pub struct CursorRoles {
    pub param: syn::Ident,
    pub position: syn::Expr,
    /// The shard, and the parameter its expression starts from.
    pub shard: Option<(syn::Ident, syn::Expr)>,
    /// `roles(range = "..")`: the shard's key range, read from the receiver (`self`) and the
    /// parameters after the call; the cursor step then also presents cursors outside it.
    pub range: Option<syn::Expr>,
}

/// How a method's result carries a value of a carrier's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returned {
    /// `Result<T, _>`: the `Ok` value.
    Result,
    /// `Option<T>`: the `Some` value.
    Option,
    /// `T` itself.
    Bare,
}

/// A method's result that issues a carrier: how it is wrapped, and the roles to read it with
/// (those of a method that presents one of its type).
#[derive(Clone)]
pub struct Issues {
    pub returned: Returned,
    pub roles: CarrierRoles,
    /// Where in the successful value the carrier is (`roles(issued = "ret.lease")`), when
    /// it is not the value itself.
    pub via: Option<syn::Expr>,
}

/// The roles of one tested method's parameters.
#[derive(Clone, Default)]
pub struct MethodRoles {
    pub op: Option<syn::Expr>,
    pub carrier: Option<CarrierRoles>,
    pub cursor: Option<CursorRoles>,
    /// The parameter a `shard` method splits at.
    pub split_at: Option<syn::Ident>,
    pub now: Option<syn::Ident>,
    /// The parameters that are none of the above (and not read by them): what a conflict
    /// changes.
    pub payload: Vec<syn::Ident>,
    pub issues: Option<Issues>,
    /// The steps this method takes part in as the call a step makes.
    pub steps: Vec<AttackStep>,
    /// Whether an accepted call of it may move the deadline of the lease it presents without
    /// issuing a new one (a `renew` returning a status): the lease step leaves that lease be.
    pub extends: bool,
    /// Whether an accepted call of it may merge shards (named `merge`, `join`, `coalesce`):
    /// the split step forgets the bounds it knew.
    pub merges: bool,
}

/// A step that cannot be formed, for a finding.
pub struct Unformed {
    pub step: AttackStep,
    pub span: Span,
    pub what: String,
    pub fix: String,
}

/// The attacking steps of a state machine.
#[derive(Default)]
pub struct AttackPlan {
    /// The steps drawn (formed by at least one method, not turned off).
    pub steps: Vec<AttackStep>,
    /// The roles of each tested method, in the order of [`super::TestPlan::tested`].
    pub methods: Vec<MethodRoles>,
    pub unformed: Vec<Unformed>,
}

impl AttackPlan {
    /// Whether the machine draws any step.
    #[must_use]
    pub fn any(&self) -> bool {
        !self.steps.is_empty()
    }
}

const OP_NAMES: &[&str] = &[
    "op",
    "op_id",
    "operation_id",
    "request_id",
    "idempotency_key",
];
const OP_TYPES: &[&str] = &["OpId", "OperationId", "RequestId", "IdempotencyKey"];
const FENCE_NAMES: &[&str] = &["fence", "epoch", "fence_epoch", "fencing_token"];
const FENCE_TYPES: &[&str] = &["FenceEpoch", "Fence", "Epoch", "FencingToken"];
const LEASE_NAMES: &[&str] = &["lease"];
const LEASE_TYPES: &[&str] = &["Lease"];
const CURSOR_NAMES: &[&str] = &[
    "cursor",
    "key",
    "new_cursor",
    "checkpoint",
    "position",
    "offset",
    "last_key",
];
const CURSOR_TYPES: &[&str] = &["Cursor", "CursorUpdate", "Checkpoint", "Offset"];
/// Method names that may merge shards (and so take a split bound away).
const MERGE_NAMES: &[&str] = &["merge", "join", "coalesce"];
const SPLIT_NAMES: &[&str] = &["split_at", "split_key", "at", "mid", "pivot", "boundary"];
const SPLIT_TYPES: &[&str] = &["SplitKey", "SplitPoint"];
const NOW_NAMES: &[&str] = &["now"];
/// Method names that may move a presented lease's deadline.
const EXTEND_NAMES: &[&str] = &[
    "renew",
    "extend",
    "heartbeat",
    "keep_alive",
    "keepalive",
    "refresh",
];
const NOW_TYPES: &[&str] = &["LogicalTime"];

/// One typed parameter: its name and type.
struct Param {
    ident: syn::Ident,
    ty: syn::Type,
}

/// The last segment of a type's path, through references (`&Lease` is `Lease`).
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Reference(r) => type_name(&r.elem),
        syn::Type::Path(p) => p.path.segments.last().map(|s| ident_text(&s.ident)),
        _ => None,
    }
}

/// A type through references, for comparing a carrier's type with a result's.
fn owned_text(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Reference(r) => owned_text(&r.elem),
        other => quote::quote!(#other).to_string(),
    }
}

fn matches(p: &Param, names: &[&str], types: &[&str]) -> bool {
    names.contains(&ident_text(&p.ident).as_str())
        || type_name(&p.ty).is_some_and(|t| types.contains(&t.as_str()))
}

/// The identifier an expression starts from (`lease` in `lease.fence()`).
fn root(expr: &syn::Expr) -> Option<&syn::Ident> {
    match expr {
        syn::Expr::Path(p) => p.path.get_ident(),
        syn::Expr::Field(f) => root(&f.base),
        syn::Expr::MethodCall(m) => root(&m.receiver),
        syn::Expr::Paren(p) => root(&p.expr),
        syn::Expr::Reference(r) => root(&r.expr),
        syn::Expr::Unary(u) => root(&u.expr),
        _ => None,
    }
}

/// The identifiers an expression starts from: one, or one per element of a tuple
/// (`(run, op_id)`, an op id scoped by its run).
fn roots(expr: &syn::Expr) -> Vec<&syn::Ident> {
    match expr {
        syn::Expr::Tuple(t) => t.elems.iter().flat_map(roots).collect(),
        syn::Expr::Paren(p) => roots(&p.expr),
        other => root(other).into_iter().collect(),
    }
}

/// The role `name` as written on the method's `test(..)`, else on the audit's.
fn written<'a>(
    name: &str,
    own: Option<&'a TestSpec>,
    machine: &'a TestSpec,
) -> Option<&'a syn::Expr> {
    let find = |spec: &'a TestSpec| {
        spec.roles
            .iter()
            .find(|(r, _)| r.value == name)
            .map(|(_, e)| &e.expr)
    };
    own.and_then(find).or_else(|| find(machine))
}

/// One tested method, as the plan reads it.
pub struct Tested<'a> {
    pub name: &'a str,
    pub sig: &'a syn::Signature,
    pub spec: Option<&'a TestSpec>,
    pub patterns: Vec<&'a str>,
}

/// The attacking steps of a machine over `tested`, whose own `test(..)` is `machine`.
#[must_use]
pub fn plan(tested: &[Tested<'_>], machine: &TestSpec) -> AttackPlan {
    let off = |step: AttackStep, own: Option<&TestSpec>| {
        let named = |s: &TestSpec| s.without.iter().any(|(w, _)| w.value == step.name());
        named(machine) || own.is_some_and(named)
    };
    let mut out = AttackPlan::default();
    for t in tested {
        let roles = method_roles(t, machine, &mut out.unformed);
        let mut steps = Vec::new();
        let has = |p: &str| t.patterns.contains(&p);
        if has("fencing") && roles.carrier.is_some() {
            steps.push(AttackStep::Fencing);
        }
        if has("idempotency") && roles.op.is_some() {
            steps.push(AttackStep::Replay);
            if !roles.payload.is_empty() {
                steps.push(AttackStep::Conflict);
            }
        }
        if has("lease")
            && roles.now.is_some()
            && roles.carrier.as_ref().is_some_and(|c| c.expires.is_some())
        {
            steps.push(AttackStep::Lease);
        }
        // Only a method that can change the receiver checkpoints (a `&self` query is no
        // checkpoint, whatever it answers).
        if has("cursor") && roles.cursor.is_some() && super::facts::mut_receiver(t.sig) {
            steps.push(AttackStep::Cursor);
        }
        if has("shard") && roles.split_at.is_some() && super::facts::mut_receiver(t.sig) {
            steps.push(AttackStep::Split);
        }
        steps.retain(|s| !off(*s, t.spec));
        out.methods.push(MethodRoles { steps, ..roles });
    }
    // A result of a carrier's type issues one: read it with that carrier's roles.
    let carriers: Vec<CarrierRoles> = out
        .methods
        .iter()
        .filter_map(|m| m.carrier.clone())
        .collect();
    for (t, m) in tested.iter().zip(&mut out.methods) {
        // `issued` reads one method's result: it is written on that method's own `test`.
        let own_issued = t.spec.and_then(|spec| {
            spec.roles
                .iter()
                .find(|(r, _)| r.value == "issued")
                .map(|(_, e)| &e.expr)
        });
        m.issues = issued(t.sig, &carriers, own_issued);
        let name = t.name.trim_start_matches("r#");
        m.extends = m.carrier.is_some()
            && m.issues.is_none()
            && EXTEND_NAMES.iter().any(|e| name.contains(e));
        m.merges = MERGE_NAMES.iter().any(|e| name.contains(e));
    }
    out.unformed.retain(|u| {
        !off(u.step, None)
            && !tested.iter().any(|t| {
                t.spec
                    .is_some_and(|s| s.without.iter().any(|(w, _)| w.value == u.step.name()))
            })
    });
    if let Some(u) = cursor_unformed(tested, &out.methods, machine)
        && !off(AttackStep::Cursor, None)
    {
        out.unformed.push(u);
    }
    for t in tested {
        if let Some(spec) = t.spec {
            out.unformed.extend(stray_roles(t.name, t.sig, spec));
        }
    }
    out.steps = AttackStep::ALL
        .into_iter()
        .filter(|s| out.methods.iter().any(|m| m.steps.contains(s)))
        .collect();
    out
}

/// The result of `sig`, if it is (in `Result`/`Option`, or bare) of a carrier's type.
fn issued(
    sig: &syn::Signature,
    carriers: &[CarrierRoles],
    via: Option<&syn::Expr>,
) -> Option<Issues> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let (returned, inner) = match ty.as_ref() {
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            let first = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                }),
                _ => None,
            };
            match (ident_text(&last.ident).as_str(), first) {
                ("Result", Some(t)) => (Returned::Result, t),
                ("Option", Some(t)) => (Returned::Option, t),
                _ => (Returned::Bare, ty.as_ref()),
            }
        }
        other => (Returned::Bare, other),
    };
    // A carrier inside the result (`Grant { lease, .. }`), named by the role over `ret`:
    // read with the roles of the one carrier the machine presents.
    if let Some(via) = via.filter(|e| root(e).is_some_and(|r| r == "ret")) {
        return carriers.first().map(|roles| Issues {
            returned,
            roles: roles.clone(),
            via: Some(via.clone()),
        });
    }
    let text = owned_text(inner);
    let roles = carriers.iter().find(|c| owned_text(&c.ty) == text)?;
    Some(Issues {
        returned,
        roles: roles.clone(),
        via: None,
    })
}

/// The roles of one method's parameters, with the findings of roles it cannot resolve.
fn method_roles(t: &Tested<'_>, machine: &TestSpec, unformed: &mut Vec<Unformed>) -> MethodRoles {
    let params: Vec<Param> = t
        .sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(pt) => Some(Param {
                ident: pat_ident(&pt.pat)?.clone(),
                ty: (*pt.ty).clone(),
            }),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let param = |ident: &syn::Ident| params.iter().find(|p| p.ident == *ident);
    let role = |name: &str| {
        written(name, t.spec, machine).filter(|e| {
            let rs = roots(e);
            !rs.is_empty() && rs.iter().all(|r| param(r).is_some())
        })
    };
    let by_type = |names: &[&str], types: &[&str]| params.iter().find(|p| matches(p, names, types));
    let path = |p: &Param| -> syn::Expr {
        let ident = &p.ident;
        syn::parse_quote!(#ident)
    };
    let op = role("op")
        .cloned()
        .or_else(|| by_type(OP_NAMES, OP_TYPES).map(path));
    let now = role("now")
        .and_then(root)
        .cloned()
        .or_else(|| by_type(NOW_NAMES, NOW_TYPES).map(|p| p.ident.clone()));
    let fence = role("fence")
        .cloned()
        .or_else(|| by_type(FENCE_NAMES, FENCE_TYPES).map(path));
    let lease = by_type(LEASE_NAMES, LEASE_TYPES);
    let has = |p: &str| t.patterns.contains(&p);
    let carrier = fence.and_then(|fence| {
        let p = param(root(&fence)?)?;
        // Read from the carrier alone: an expression over another parameter is not one.
        let about = |e: &&syn::Expr| root(e) == Some(&p.ident);
        Some(CarrierRoles {
            param: p.ident.clone(),
            ty: p.ty.clone(),
            fence: fence.clone(),
            shard: role("shard").filter(about).cloned(),
            expires: role("expires").filter(about).cloned(),
        })
    });
    // Only a `cursor` method checkpoints one: elsewhere a `key` is payload.
    let cursor = role("cursor")
        .cloned()
        .or_else(|| by_type(CURSOR_NAMES, CURSOR_TYPES).map(path))
        .filter(|_| t.patterns.contains(&"cursor"))
        .and_then(|position| {
            let param = root(&position)?.clone();
            // Its shard: the carrier's, else a `shard` role over the cursor itself.
            let shard = match &carrier {
                Some(c) => c.shard.clone().map(|e| (c.param.clone(), e)),
                None => role("shard")
                    .filter(|e| root(e) == Some(&param))
                    .map(|e| (param.clone(), e.clone())),
            };
            Some(CursorRoles {
                param,
                position,
                shard,
                // Read from the receiver, so not rooted in a parameter as the others are.
                range: written("range", t.spec, machine)
                    .filter(|e| crate::exprs::names_ident(e, "self"))
                    .cloned(),
            })
        });
    // Only a `shard` method splits: its split key named by the role, or, in a method whose
    // name says it splits, by the parameter's name or type (`seek(at)` is no split).
    let splits = t.name.contains("split");
    let split_at = role("split_at")
        .and_then(root)
        .cloned()
        .or_else(|| {
            by_type(SPLIT_NAMES, SPLIT_TYPES)
                .filter(|_| splits)
                .map(|p| p.ident.clone())
        })
        .filter(|_| t.patterns.contains(&"shard"));
    let span = t.spec.map_or_else(|| t.sig.ident.span(), |s| s.span);
    if carrier.is_none()
        && has("fencing")
        && let Some(lease) = lease
    {
        let l = ident_text(&lease.ident);
        unformed.push(Unformed {
            step: AttackStep::Fencing,
            span: lease.ident.span(),
            what: format!(
                "the fencing step cannot present an older fence to `{}`: its parameter `{l}` holds the fence, and no role says where",
                t.name
            ),
            fix: format!(
                "name the fence and its shard on the audit's test: `roles(fence = \"{l}.fence\", shard = \"{l}.shard\")` (any expression over `{l}`), or turn the step off: `without = \"fencing\", because = \"..\"`"
            ),
        });
    }
    if op.is_none() && has("idempotency") {
        unformed.push(Unformed {
            step: AttackStep::Replay,
            span,
            what: format!(
                "the replay step cannot find the op id of `{}`: no parameter is named or typed as one",
                t.name
            ),
            fix: "name it: `test(.., roles(op = \"<parameter>\"))`, or turn the steps off: `without = \"replay\", because = \"..\"` and `without = \"conflict\", because = \"..\"`".to_string(),
        });
    }
    // A bare fence says nothing of time: only a lease is asked when it lapses.
    let is_lease = |c: &&CarrierRoles| lease.is_some_and(|l| l.ident == c.param);
    if has("lease")
        && now.is_some()
        && let Some(c) = carrier
            .as_ref()
            .filter(|c| c.expires.is_none())
            .filter(is_lease)
    {
        let l = ident_text(&c.param);
        unformed.push(Unformed {
            step: AttackStep::Lease,
            span,
            what: format!(
                "the lease step cannot tell when the lease `{l}` of `{}` lapses",
                t.name
            ),
            fix: format!(
                "name the first time at which it is lapsed: `roles(expires = \"{l}.deadline\")` (an expression over `{l}` of the type of `now`), or turn the step off: `without = \"lease\", because = \"..\"`"
            ),
        });
    }
    let mut read: Vec<&syn::Ident> = Vec::new();
    read.extend(op.as_ref().map(roots).unwrap_or_default());
    read.extend(carrier.as_ref().map(|c| &c.param));
    // A lease is what a call presents, never its payload, even without its roles.
    read.extend(lease.map(|l| &l.ident));
    read.extend(now.as_ref());
    read.extend(role("shard").and_then(root));
    read.extend(cursor.as_ref().map(|c| &c.param));
    read.extend(split_at.as_ref());
    let payload = params
        .iter()
        .map(|p| &p.ident)
        .filter(|i| !read.contains(i))
        .cloned()
        .collect();
    MethodRoles {
        op,
        carrier,
        cursor,
        split_at,
        now,
        payload,
        issues: None,
        steps: Vec::new(),
        extends: false,
        merges: false,
    }
}

/// The names of a signature's typed parameters, as written.
fn param_names(sig: &syn::Signature) -> Vec<String> {
    sig.inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(pt) => pat_ident(&pt.pat).map(ident_text),
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The cursor step, when a tested method is a `cursor` method with parameters but no method
/// of the machine has a cursor the step can find.
fn cursor_unformed(
    tested: &[Tested<'_>],
    methods: &[MethodRoles],
    machine: &TestSpec,
) -> Option<Unformed> {
    if methods
        .iter()
        .any(|m| m.steps.contains(&AttackStep::Cursor))
    {
        return None;
    }
    let (t, _) = tested.iter().zip(methods).find(|(t, m)| {
        super::facts::mut_receiver(t.sig)
            && t.patterns.contains(&"cursor")
            && !m.payload.is_empty()
            && !t
                .spec
                .is_some_and(|s| s.without.iter().any(|(w, _)| w.value == "cursor"))
    })?;
    let params = param_names(t.sig);
    let example = params.last().map_or("cursor", String::as_str);
    Some(Unformed {
        step: AttackStep::Cursor,
        span: t.spec.map_or(machine.span, |s| s.span),
        what: format!(
            "the cursor step cannot find the cursor `{}` checkpoints: no parameter ({}) is named or typed as one",
            t.name,
            params.join(", ")
        ),
        fix: format!(
            "name it on the audit's test: `roles(cursor = \"{example}\")` (or an expression over it that gives the ordered position, e.g. `cursor = \"{example}.last_key\"`), or turn the step off: `without = \"cursor\", because = \"..\"`"
        ),
    })
}

/// Where a role's expression cannot be read: `roles(..)` on a method's own `test(..)` that
/// names no parameter of it. The audit's roles apply to the methods that have the parameter.
fn stray_roles(name: &str, sig: &syn::Signature, spec: &TestSpec) -> Vec<Unformed> {
    let names = param_names(sig);
    spec.roles
        .iter()
        .filter(|(role, e)| {
            // `issued` reads the result: it starts from `ret`; `range` reads the receiver
            // (and the parameters) after the call.
            if role.value == "range" {
                return !crate::exprs::names_ident(&e.expr, "self");
            }
            let rs = roots(&e.expr);
            let from_ret = role.value == "issued" && rs.iter().all(|r| *r == "ret");
            !from_ret && (rs.is_empty() || rs.iter().any(|r| !names.contains(&ident_text(r))))
        })
        .map(|(role, e)| {
            if role.value == "range" {
                return Unformed {
                    step: AttackStep::Cursor,
                    span: e.expr.span(),
                    what: format!(
                        "`roles(range = \"{}\")` on `{name}` does not read the receiver",
                        e.text.value
                    ),
                    fix: "the range of the cursor's shard is read from `self` after the call, with the parameters: e.g. `range = \"self.range_of(lease.shard)\"`, any value whose type implements `distaudit::KeyRange` (or an `Option` of one)".to_string(),
                };
            }
            Unformed {
                step: AttackStep::Fencing,
                span: e.expr.span(),
                what: format!(
                    "`roles({} = \"{}\")` on `{name}` does not start from one of its parameters ({})",
                    role.value,
                    e.text.value,
                    names.join(", ")
                ),
                fix:
                    "write the role as an expression over one parameter, e.g. `fence = \"lease.fence\"`, or a tuple of parameters, e.g. `op = \"(run, op_id)\"`"
                        .to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::Subject;

    /// The test spec of `#[coordination(<args>)]` on `f`, and its findings.
    fn spec(args: &str, f: &syn::ItemFn) -> (TestSpec, Vec<crate::diag::Finding>) {
        let subject = Subject::Fn(f.clone());
        let (annotation, findings) = crate::analyze::read(args.parse().unwrap(), &subject);
        (annotation.test.unwrap(), findings)
    }

    fn tested<'a>(
        f: &'a syn::ItemFn,
        spec: Option<&'a TestSpec>,
        patterns: &[&'a str],
    ) -> Tested<'a> {
        Tested {
            name: "m",
            sig: &f.sig,
            spec,
            patterns: patterns.to_vec(),
        }
    }

    fn machine(test: &str) -> TestSpec {
        let f: syn::ItemFn = syn::parse_quote!(
            fn any() {}
        );
        spec(&format!("pattern = \"lease\", {test}"), &f).0
    }

    #[test]
    fn roles_come_from_names_and_types() {
        let f: syn::ItemFn = syn::parse_quote! {
            fn write(&mut self, now: LogicalTime, fence: u64, payload: u8, id: OpId) -> Result<(), E> {}
        };
        let plan = plan(
            &[tested(&f, None, &["fencing", "idempotency", "lease"])],
            &machine("test(init = \"S::new()\")"),
        );
        let m = &plan.methods[0];
        assert_eq!(
            m.now.as_ref().map(ToString::to_string).as_deref(),
            Some("now")
        );
        let op = m.op.as_ref().unwrap();
        assert_eq!(quote::quote!(#op).to_string(), "id");
        assert_eq!(m.carrier.as_ref().unwrap().param, "fence");
        assert_eq!(m.payload.len(), 1);
        assert_eq!(m.payload[0], "payload");
        // A bare fence says nothing of when it lapses: no lease step, and no finding for it.
        assert_eq!(
            plan.steps,
            [
                AttackStep::Fencing,
                AttackStep::Replay,
                AttackStep::Conflict
            ]
        );
        assert!(plan.unformed.is_empty());
    }

    #[test]
    fn a_lease_needs_its_roles_named_and_issued_leases_are_read_with_them() {
        let write: syn::ItemFn = syn::parse_quote! {
            fn write(&mut self, now: u64, lease: &Lease, op: OpId) -> Result<(), E> {}
        };
        let grant: syn::ItemFn = syn::parse_quote! {
            fn grant(&mut self, now: u64) -> Option<Lease> {}
        };
        let patterns = ["lease", "fencing", "idempotency"];
        let issuer = ["lease", "fencing"];
        let bare = plan(
            &[
                tested(&write, None, &patterns),
                tested(&grant, None, &issuer),
            ],
            &machine("test(init = \"S::new()\")"),
        );
        assert_eq!(bare.unformed.len(), 1);
        assert_eq!(bare.unformed[0].step, AttackStep::Fencing);
        assert!(
            bare.unformed[0]
                .fix
                .contains("roles(fence = \"lease.fence\"")
        );
        assert_eq!(bare.steps, [AttackStep::Replay]);
        let named = plan(
            &[
                tested(&write, None, &patterns),
                tested(&grant, None, &issuer),
            ],
            &machine(
                "test(init = \"S::new()\", roles(fence = \"lease.fence\", shard = \"lease.shard\"))",
            ),
        );
        // Now the lease step asks when the lease lapses.
        assert_eq!(named.unformed.len(), 1);
        assert_eq!(named.unformed[0].step, AttackStep::Lease);
        assert!(
            named.unformed[0]
                .fix
                .contains("expires = \"lease.deadline\"")
        );
        assert_eq!(
            named.methods[1].issues.as_ref().map(|i| i.returned),
            Some(Returned::Option)
        );
        let off = plan(
            &[tested(&write, None, &patterns)],
            &machine(
                "test(init = \"S::new()\", roles(fence = \"lease.fence\"), without = \"lease\", because = \"leases never lapse here\")",
            ),
        );
        assert!(off.unformed.is_empty());
        assert_eq!(off.steps, [AttackStep::Fencing, AttackStep::Replay]);
    }

    #[test]
    fn a_cursor_is_found_by_name_type_or_role_and_reads_its_shard_from_the_lease() {
        let by_name: syn::ItemFn = syn::parse_quote! {
            fn checkpoint(&mut self, now: u64, lease: Lease, cursor: Box<[u8]>) -> Result<(), E> {}
        };
        let roles = "test(init = \"S::new()\", roles(fence = \"lease.fence\", shard = \"lease.shard\", expires = \"lease.deadline\"))";
        let plan_of = |f: &syn::ItemFn, test: &str| {
            plan(
                &[tested(f, None, &["lease", "fencing", "cursor"])],
                &machine(test),
            )
        };
        let named = plan_of(&by_name, roles);
        let c = named.methods[0].cursor.as_ref().expect("a cursor");
        assert_eq!(c.param, "cursor");
        let (from, shard) = c.shard.as_ref().expect("the lease's shard");
        assert_eq!(from, "lease");
        assert_eq!(quote::quote!(#shard).to_string(), "lease . shard");
        assert!(named.steps.contains(&AttackStep::Cursor));
        // The cursor is never the payload.
        assert!(named.methods[0].payload.is_empty());
        let by_role: syn::ItemFn = syn::parse_quote! {
            fn advance(&mut self, update: Update) -> Result<(), E> {}
        };
        let role = plan_of(
            &by_role,
            "test(init = \"S::new()\", roles(cursor = \"update.last_key\"))",
        );
        let c = role.methods[0].cursor.as_ref().expect("a cursor by role");
        assert_eq!(c.param, "update");
        let position = &c.position;
        assert_eq!(quote::quote!(#position).to_string(), "update . last_key");
        assert!(role.unformed.is_empty());
        // Neither: reported once for the machine, with the role to write.
        let unknown = plan_of(&by_role, "test(init = \"S::new()\")");
        assert_eq!(unknown.unformed.len(), 1);
        assert_eq!(unknown.unformed[0].step, AttackStep::Cursor);
        assert!(
            unknown.unformed[0]
                .fix
                .contains("roles(cursor = \"update\")")
        );
        let off = plan_of(
            &by_role,
            "test(init = \"S::new()\", without = \"cursor\", because = \"updates are replayed from a log\")",
        );
        assert!(off.unformed.is_empty());
        assert!(!off.steps.contains(&AttackStep::Cursor));
    }

    /// `roles(range = "..")` gives the cursor step its shard's range, read from the
    /// receiver; one that does not read the receiver is refused, on the method's own test.
    #[test]
    fn a_cursor_range_reads_the_receiver() {
        let f: syn::ItemFn = syn::parse_quote! {
            fn checkpoint(&mut self, lease: Lease, cursor: Box<[u8]>) -> Result<(), E> {}
        };
        let with = |own: &str| {
            let (own, _) = spec(&format!("pattern = \"cursor\", {own}"), &f);
            let p = plan(
                &[tested(&f, Some(&own), &["cursor"])],
                &machine("test(init = \"S::new()\")"),
            );
            let range = p.methods[0]
                .cursor
                .as_ref()
                .and_then(|c| c.range.as_ref())
                .map(|r| quote::quote!(#r).to_string());
            (range, p.unformed)
        };
        let (range, unformed) = with("test(roles(range = \"self.range_of(lease.shard)\"))");
        assert_eq!(range.as_deref(), Some("self . range_of (lease . shard)"));
        assert!(unformed.is_empty());
        let (range, unformed) = with("test(roles(range = \"Span::whole()\"))");
        assert!(range.is_none());
        assert_eq!(unformed.len(), 1);
        assert!(unformed[0].what.contains("does not read the receiver"));
    }

    /// A `key` is a cursor only in a `cursor` method: elsewhere it stays the payload a
    /// conflict changes.
    #[test]
    fn a_key_is_a_cursor_only_where_the_method_checkpoints() {
        let f: syn::ItemFn = syn::parse_quote!(
            fn append(&mut self, key: u8, op: OpId) -> Option<usize> {}
        );
        let plan = plan(
            &[tested(&f, None, &["idempotency"])],
            &machine("test(init = \"S::new()\")"),
        );
        assert!(plan.methods[0].cursor.is_none());
        assert_eq!(plan.methods[0].payload.len(), 1);
        assert!(plan.steps.contains(&AttackStep::Conflict));
    }

    /// An op id scoped by its run is a tuple of parameters (issue 21: the first user's op
    /// ids are per run, and a global one made the conflict step cry wolf).
    #[test]
    fn an_op_id_may_be_a_tuple_of_parameters() {
        let f: syn::ItemFn = syn::parse_quote!(
            fn fail_run(&mut self, run: RunId, op_id: OpId, reason: u8) -> Result<(), E> {}
        );
        let plan = plan(
            &[tested(&f, None, &["idempotency"])],
            &machine("test(init = \"S::new()\", roles(op = \"(run, op_id)\"))"),
        );
        let op = plan.methods[0].op.as_ref().expect("the op id");
        assert_eq!(quote::quote!(#op).to_string(), "(run , op_id)");
        assert_eq!(plan.methods[0].payload.len(), 1);
        assert_eq!(plan.methods[0].payload[0], "reason");
        assert!(plan.unformed.is_empty());
    }

    /// A split key is found in a `shard` method named for a split, or by its role; a
    /// `seek(at)` is no split.
    #[test]
    fn a_split_key_is_found_only_where_the_method_splits() {
        let split: syn::ItemFn = syn::parse_quote!(
            fn split(&mut self, shard: u8, at: Vec<u8>) -> Result<(), E> {}
        );
        let seek: syn::ItemFn = syn::parse_quote!(
            fn seek(&mut self, at: Vec<u8>) -> Result<(), E> {}
        );
        let plan = plan(
            &[
                Tested {
                    name: "split",
                    ..tested(&split, None, &["shard"])
                },
                Tested {
                    name: "seek",
                    ..tested(&seek, None, &["shard"])
                },
            ],
            &machine("test(init = \"S::new()\")"),
        );
        assert!(plan.steps.contains(&AttackStep::Split));
        let at = plan.methods[0].split_at.as_ref().expect("the split key");
        assert_eq!(at, "at");
        assert!(plan.methods[1].split_at.is_none());
        let by_role: syn::ItemFn = syn::parse_quote!(
            fn divide(&mut self, boundary_key: Vec<u8>) -> Result<(), E> {}
        );
        let named = plan_of_one(
            &by_role,
            "test(init = \"S::new()\", roles(split_at = \"boundary_key\"))",
        );
        assert!(named.steps.contains(&AttackStep::Split));
    }

    fn plan_of_one(f: &syn::ItemFn, test: &str) -> AttackPlan {
        plan(&[tested(f, None, &["shard"])], &machine(test))
    }

    /// A lease returned inside a result (`Grant { lease, .. }`) is issued where the
    /// method's own test names it over `ret` (the replica's W12: its acquire returns a view).
    #[test]
    fn a_carrier_inside_a_result_is_issued_where_named() {
        let write: syn::ItemFn = syn::parse_quote! {
            fn write(&mut self, now: u64, lease: Lease) -> Result<(), E> {}
        };
        let acquire: syn::ItemFn = syn::parse_quote! {
            fn acquire(&mut self, now: u64) -> Result<Grant, E> {}
        };
        let f: syn::ItemFn = syn::parse_quote!(
            fn any() {}
        );
        let (own, _) = spec(
            "pattern = \"lease\", test(roles(issued = \"ret.lease\"))",
            &f,
        );
        let roles = "test(init = \"S::new()\", roles(fence = \"lease.fence\", expires = \"lease.deadline\"))";
        let lease = ["lease", "fencing"];
        let plan = plan(
            &[
                tested(&write, None, &lease),
                tested(&acquire, Some(&own), &lease),
            ],
            &machine(roles),
        );
        let issues = plan.methods[1]
            .issues
            .as_ref()
            .expect("acquire issues the lease");
        let via = issues.via.as_ref().expect("read from the result");
        assert_eq!(quote::quote!(#via).to_string(), "ret . lease");
        assert!(plan.methods[0].issues.is_none());
        assert!(
            plan.unformed.is_empty(),
            "an `issued` role starts from `ret`"
        );
    }

    #[test]
    fn an_idempotent_method_without_an_op_id_is_reported() {
        let f: syn::ItemFn = syn::parse_quote!(
            fn append(&mut self, key: u8) -> Option<usize> {}
        );
        let plan = plan(
            &[tested(&f, None, &["idempotency"])],
            &machine("test(init = \"S::new()\")"),
        );
        assert_eq!(plan.unformed.len(), 1);
        assert!(
            plan.unformed[0]
                .what
                .contains("cannot find the op id of `m`")
        );
        assert!(plan.steps.is_empty());
    }

    #[test]
    fn a_method_role_must_start_from_its_parameters() {
        let f: syn::ItemFn = syn::parse_quote!(
            fn write(&mut self, lease: Lease) -> Option<()> {}
        );
        let (own, _) = spec(
            "pattern = \"fencing\", test(roles(fence = \"grant.fence\"))",
            &f,
        );
        let plan = plan(
            &[tested(&f, Some(&own), &["fencing"])],
            &machine("test(init = \"S::new()\")"),
        );
        assert!(plan.unformed.iter().any(|u| {
            u.what
                .contains("does not start from one of its parameters (lease)")
        }),);
    }

    #[test]
    fn turning_a_step_off_needs_a_reason_in_words() {
        let f: syn::ItemFn = syn::parse_quote!(
            fn any() {}
        );
        let findings = |test: &str| spec(&format!("pattern = \"lease\", {test}"), &f).1;
        let missing = findings("test(without = \"replay\")");
        assert!(missing.iter().any(|f| f.what.contains("gives no reason")));
        let short = findings("test(without = \"replay\", because = \"dedup\")");
        assert!(short.iter().any(|f| f.what.contains("too short")));
        let unknown = findings("test(without = \"fencin\", because = \"a reason in words\")");
        assert!(
            unknown
                .iter()
                .any(|f| f.what.contains("did you mean `fencing`"))
        );
        assert!(
            findings("test(without = \"lease\", because = \"leases never lapse here\")").is_empty()
        );
    }
}
