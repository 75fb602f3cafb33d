//! Detection per item kind: a function by its names and behaviour, a struct by the state
//! it keeps, an enum as a protocol's states. Shapes that decide nothing (getters, setters,
//! one-line delegations, message, config and diagnostics types) are not coordination
//! items: the coordination is where the decision is made.

use super::behaviour::Behaviour;
use super::detectors::{Act, Facts};
use super::family::Family;
use super::table::ROLES;
use super::words::{Words, token_words};
use super::{Candidate, Detection};

pub(super) fn signature_words(sig: &syn::Signature) -> Words {
    let mut signature = Words::default();
    for input in &sig.inputs {
        signature.extend(&token_words(input));
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        signature.extend(&token_words(ty));
    }
    // The bounds say what the parameters are (`C: redis::aio::ConnectionLike`).
    for p in sig.generics.type_params() {
        for b in &p.bounds {
            if let syn::TypeParamBound::Trait(t) = b {
                signature.extend(&token_words(&t.path));
            }
        }
    }
    if let Some(w) = &sig.generics.where_clause {
        for pred in &w.predicates {
            if let syn::WherePredicate::Type(t) = pred {
                for b in &t.bounds {
                    if let syn::TypeParamBound::Trait(t) = b {
                        signature.extend(&token_words(&t.path));
                    }
                }
            }
        }
    }
    signature
}

/// The families an item embodies, strongest first.
#[must_use]
pub fn detect(candidate: &Candidate<'_>) -> Vec<Detection> {
    let mut out = match candidate {
        Candidate::Fn {
            sig,
            block,
            self_ty,
            module,
        } => detect_fn(sig, block, *self_ty, *module),
        Candidate::Struct(s) => detect_struct(s),
        Candidate::Enum(e) => detect_enum(e),
        Candidate::Trait(t) => detect_trait(t),
    };
    out.sort_by_key(|d| (!d.behaviour, d.family));
    out
}

/// A body that decides nothing: no branch, loop, comparison or remote effect, and at most
/// one statement, or one field set (`with_jitter`, `set_retry_max_attempts`,
/// `fn report(&mut self) { self.window.report() }`).
fn decides_nothing(b: &Behaviour) -> bool {
    // Computing a time or arming a timer acts, however short.
    let plain = !b.branches
        && !b.loops
        && b.cmps.is_empty()
        && b.advanced.is_empty()
        && !b.time_arith
        && b.timers_armed.is_empty();
    // One statement is a delegation even when it reaches another process: the callee
    // decides. Two are a setter, unless they build something.
    plain
        && (b.statements <= 1
            || (!b.remote && b.assigned.len() <= 1 && b.built.is_empty() && b.statements <= 2))
}

/// `fn is_empty(&self) -> bool { self.ring.len() == 0 }`: a one-expression question about
/// the item's own state, with no clock and no argument, decides nothing for anyone.
fn is_query(sig: &syn::Signature, b: &Behaviour) -> bool {
    let by_ref = sig.inputs.len() == 1
        && matches!(sig.inputs.first(), Some(syn::FnArg::Receiver(_)))
        && !crate::engine::changes_state(sig);
    by_ref && b.statements == 1 && !b.loops && !b.remote && !b.clock && !b.branches
}

/// `match self.state { Leader => self.run_leader(), Follower => self.run_follower() }`,
/// alone or as the body of the run loop: a dispatch to the handlers, where the decisions
/// are.
fn is_dispatch(block: &syn::Block) -> bool {
    use syn::{Expr, Stmt};
    fn is_call(e: &Expr) -> bool {
        match e {
            Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_) => true,
            Expr::Await(a) => is_call(&a.base),
            Expr::Try(t) => is_call(&t.expr),
            Expr::Return(r) => r.expr.as_deref().is_none_or(is_call),
            Expr::Block(b) => match b.block.stmts.as_slice() {
                [Stmt::Expr(e, _)] => is_call(e),
                [] => true,
                _ => false,
            },
            Expr::Tuple(t) => t.elems.is_empty(),
            _ => false,
        }
    }
    fn dispatches(stmts: &[Stmt]) -> bool {
        let Some(last) = stmts.last() else {
            return false;
        };
        // What comes before the match only stops the loop (`if halted { return; }`).
        let before_ok = stmts[..stmts.len() - 1].iter().all(|s| match s {
            Stmt::Expr(Expr::If(i), _) => i.else_branch.is_none(),
            Stmt::Macro(_) => true,
            _ => false,
        });
        let last_ok = match last {
            Stmt::Expr(Expr::Match(m), _) => {
                m.arms.len() >= 2 && m.arms.iter().all(|a| is_call(&a.body))
            }
            Stmt::Expr(Expr::Loop(l), _) => dispatches(&l.body.stmts),
            Stmt::Expr(Expr::While(w), _) => dispatches(&w.body.stmts),
            _ => false,
        };
        before_ok && last_ok
    }
    dispatches(&block.stmts)
}

/// Whether the function can change state: through `&mut self` or an owned receiver, or
/// remotely (a request sent from a `&self` method).
fn can_change(sig: &syn::Signature, b: &Behaviour) -> bool {
    crate::engine::changes_state(sig) || b.remote || b.interior || acts_through_connection(sig)
}

/// A function handed connections to another process (`conns: &[Connection]`,
/// `client: &Client`) acts there through them.
fn acts_through_connection(sig: &syn::Signature) -> bool {
    sig.inputs.iter().any(|i| match i {
        syn::FnArg::Typed(pt) => {
            let w = token_words(&*pt.pat);
            w.any(&["connection", "connections", "conn", "conns"])
                || token_words(&*pt.ty).any(&["connection", "connectionlike"])
        }
        syn::FnArg::Receiver(_) => false,
    })
}

/// `fn drop(&mut self) { self.client.unlock(&self.key) }`: a guard's drop that releases
/// what it holds by name (a key, an id, a node) is the release, however short; a local
/// mutex's `unlock()` names nothing.
fn releases_on_drop(sig: &syn::Signature, b: &Behaviour, self_ty: Option<&str>) -> bool {
    let held = ["lock", "lease", "guard", "locking"];
    sig.ident == "drop"
        && b.releases_named
        && (b.all.any(&held) || self_ty.is_some_and(|t| Words::of(&[t.to_string()]).any(&held)))
}

/// `fn set_leader(&mut self, u: Update) { match u { A => self.x = Some(1), B => self.x =
/// None } }`: the caller decided; a match on an argument whose arms only assign sets it.
fn is_setter_match(block: &syn::Block) -> bool {
    use syn::{Expr, Stmt};
    fn assigns_only(e: &Expr) -> bool {
        match e {
            Expr::Assign(_) => true,
            Expr::Block(b) => b.block.stmts.iter().all(|s| match s {
                Stmt::Expr(e, _) => assigns_only(e),
                _ => false,
            }),
            _ => false,
        }
    }
    let mut matched = false;
    let ok = block.stmts.iter().all(|s| match s {
        Stmt::Expr(Expr::MethodCall(m), _) => m.args.is_empty() && m.method == "clear",
        Stmt::Expr(Expr::Match(m), _) => {
            matched = true;
            matches!(&*m.expr, Expr::Path(p) if !p.path.is_ident("self"))
                && m.arms.iter().all(|a| assigns_only(&a.body))
        }
        _ => false,
    });
    ok && matched
}

/// `fn clear(&mut self) { self.a = None; self.b.clear(); self.n = 0; }`: fields put back to
/// empty between rounds decide nothing.
fn is_reset(block: &syn::Block) -> bool {
    use syn::{Expr, Stmt};
    fn empty_value(e: &Expr) -> bool {
        match e {
            Expr::Lit(_) => true,
            Expr::Path(p) => p.path.is_ident("None"),
            Expr::Call(c) => c.args.is_empty(),
            Expr::MethodCall(m) => m.args.is_empty() && m.method == "default",
            _ => false,
        }
    }
    !block.stmts.is_empty()
        && block.stmts.iter().all(|s| match s {
            Stmt::Expr(Expr::Assign(a), _) => empty_value(&a.right),
            Stmt::Expr(Expr::MethodCall(m), _) => m.args.is_empty() && m.method == "clear",
            _ => false,
        })
}

fn detect_fn(
    sig: &syn::Signature,
    block: &syn::Block,
    self_ty: Option<&str>,
    module: Option<&str>,
) -> Vec<Detection> {
    let mut out = Vec::new();
    // The methods of a settings or message type configure or carry; they decide nothing.
    if is_accessor(sig, block) || self_ty.is_some_and(is_ignored_type) {
        return out;
    }
    let behaviour = Behaviour::of_fn(sig, block);
    if (decides_nothing(&behaviour) && !releases_on_drop(sig, &behaviour, self_ty))
        || is_query(sig, &behaviour)
        || is_dispatch(block)
        || is_reset(block)
        || is_setter_match(block)
    {
        return out;
    }
    let own = Words::of(&[sig.ident.to_string()]);
    let signature = signature_words(sig);
    // The impl's type names a method; a module names its free functions, but a module
    // called `coordinator` is no role: it holds helpers of every kind.
    let host = self_ty
        .or(module)
        .map_or_else(Words::default, |t| Words::of(&[t.to_string()]));
    let role_host = self_ty.is_some() && host.any(&ROLES);
    let mut context = signature.clone();
    context.extend(&behaviour.all);
    if behaviour.remote {
        context.words.push("remote".into());
    }
    let mut names = own.clone();
    names.extend(&host);
    names.extend(&signature);
    let mutates = can_change(sig, &behaviour);
    let reads = own.words.first().is_some_and(|w| {
        [
            "get", "fetch", "list", "describe", "load", "read", "find", "lookup",
        ]
        .contains(&w.as_str())
    }) && own.words.len() > 1;
    for family in Family::ALL {
        let facts = Facts {
            b: &behaviour,
            mutates,
            names: &names,
            own: &own,
            context: &context,
            family,
        };
        let act = (family.row().behaviour)(&facts);
        // `self.fence += 1`, `if now < lease.deadline`: a field of the family's, changed or
        // decided on.
        let by_field = behaviour.touched_fields.iter().any(|f| match family {
            Family::Shard => f.any(family.nouns()),
            _ => family.named_by(f, &context),
        });
        let by_name = family.named_by(&own, &context);
        let by_verb = family.named_by_verb(&own, &signature, &host, &context);
        let by_host = !host.is_empty() && family.named_by(&host, &context);
        let named = by_name || by_verb || by_host || by_field;
        let (confirmed, evidence) = match &act {
            Act::Decides(what) => (true, format!("`{}`, which {what}", sig.ident)),
            // A read (`fetch_offsets`, `get_lease`) shows the family's state without
            // deciding on it; only a decision of its own makes it coordination.
            Act::Supports if reads => (false, String::new()),
            Act::Supports if named || (role_host && mutates) => (
                true,
                name_evidence(sig, self_ty, by_name, by_verb, by_field),
            ),
            _ => (
                false,
                name_evidence(sig, self_ty, by_name, by_verb, by_field),
            ),
        };
        let named_only = (by_name || by_verb) && !act.any() && mutates && !reads;
        if confirmed || named_only {
            out.push(Detection {
                family,
                behaviour: confirmed,
                evidence,
                note: lock_note(family, &names, &context),
            });
        }
    }
    out
}

fn name_evidence(
    sig: &syn::Signature,
    self_ty: Option<&str>,
    by_name: bool,
    by_verb: bool,
    by_field: bool,
) -> String {
    if by_name {
        format!("the name `{}`", sig.ident)
    } else if by_verb {
        format!("the name `{}` and its signature", sig.ident)
    } else if by_field {
        format!(
            "`{}` deciding on or changing a field of the family",
            sig.ident
        )
    } else {
        format!("`{}` on `{}`", sig.ident, self_ty.unwrap_or_default())
    }
}

/// A lock with a time to live and no fencing token: safe only while every holder pauses
/// less than the TTL (Kleppmann's critique of Redlock).
fn lock_note(family: Family, names: &Words, context: &Words) -> Option<&'static str> {
    let lock = names.any(&["lock", "locks", "redlock"]);
    let ttl = names.any(&super::words::TTL_WORDS) || context.any(&super::words::TTL_WORDS);
    let fenced = names.any(&["fence", "fencing", "token"]) || context.any(&["fence", "fencing"]);
    (family == Family::Lease && lock && ttl && !fenced).then_some(
        "a lock with a time to live and no fencing token: a holder that pauses past the TTL still believes it holds the lock while another acquires it (kleppmann-2016); pass a fencing token the protected resource checks",
    )
}

/// Field names and types of a struct.
fn fields(s: &syn::ItemStruct) -> Vec<(Words, Words)> {
    s.fields
        .iter()
        .map(|f| {
            let name = f
                .ident
                .as_ref()
                .map_or_else(Words::default, |i| Words::of(&[i.to_string()]));
            (name, token_words(&f.ty))
        })
        .collect()
}

const COLLECTIONS: [&str; 9] = [
    "map", "set", "vec", "deque", "heap", "list", "queue", "log", "table",
];

fn detect_struct(s: &syn::ItemStruct) -> Vec<Detection> {
    let mut out = Vec::new();
    let ident = s.ident.to_string();
    // A newtype carries a value; messages, settings and diagnostics decide nothing.
    if is_ignored_type(&ident) || !matches!(s.fields, syn::Fields::Named(_)) {
        return out;
    }
    let own = Words::of(&[ident]);
    let fields = fields(s);
    let mut context = Words::default();
    for (n, t) in &fields {
        context.extend(n);
        context.extend(t);
    }
    // A wrapper around one field (a role's view of a core) keeps nothing of its own.
    let role = own.any(&ROLES) && fields.len() > 1;
    for family in Family::ALL {
        let named = family.named_by(&own, &context);
        // The state a type keeps is its behaviour: a collection of the family's things (a
        // map of shard ranges, an op log), or fields named for the family's state (a
        // lease's holder and deadline, a queue's capacity).
        let keeps_collection = fields.iter().any(|(_, ty)| ty.any(&COLLECTIONS));
        // One field named for the family's state is a value (a partition and its offset);
        // state is kept in two (a holder and its deadline), in a field named for the
        // family itself (a `last_key`, a `checkpoint`), or in a collection.
        let state_fields = fields
            .iter()
            .filter(|(name, _)| name.any(family.state()))
            .count();
        let noun_field = fields.iter().any(|(name, _)| name.any(family.nouns()));
        // A bound is a queue's only if there is a queue: a value carrying a capacity is not.
        let keeps = match family {
            Family::RetryBackpressure => keeps_collection && state_fields >= 1,
            _ => keeps_collection || state_fields >= 2 || noun_field,
        };
        if named {
            // A type named for the family that keeps nothing of it is vocabulary.
            if keeps {
                out.push(Detection {
                    family,
                    behaviour: true,
                    evidence: format!("struct `{}`", s.ident),
                    note: None,
                });
            }
        } else if role {
            // A coordinator-like type keeping the family's things in its fields.
            let holds = fields
                .iter()
                .any(|(name, ty)| family.named_by(name, &context) || family.named_by(ty, &context));
            if holds {
                out.push(Detection {
                    family,
                    behaviour: true,
                    evidence: format!("struct `{}` and its fields", s.ident),
                    note: None,
                });
            }
        }
    }
    out
}

fn detect_enum(e: &syn::ItemEnum) -> Vec<Detection> {
    let ident = e.ident.to_string();
    if is_ignored_type(&ident) {
        return Vec::new();
    }
    let own = Words::of(&[ident]);
    let context = Words::of(
        &e.variants
            .iter()
            .map(|v| v.ident.to_string())
            .collect::<Vec<_>>(),
    );
    // An enum is a protocol's states (a worker's, a shard's); other enums name options.
    let family = Family::StateMachine;
    if family.named_by(&own, &context) && e.variants.len() >= 2 {
        return vec![Detection {
            family,
            behaviour: true,
            evidence: format!("enum `{}`", e.ident),
            note: None,
        }];
    }
    Vec::new()
}

fn detect_trait(t: &syn::ItemTrait) -> Vec<Detection> {
    // An interface decides nothing: its implementations do, and are read as methods.
    // A trait with default bodies has them read as methods too.
    let _ = t;
    Vec::new()
}

/// Error types, ids, handles, views, settings, messages and diagnostics: vocabulary,
/// not coordination decisions.
fn is_ignored_type(name: &str) -> bool {
    [
        "Error",
        "Err",
        "Id",
        "Kind",
        "Builder",
        "Config",
        "Options",
        "Conflict",
        "View",
        "Info",
        "Stats",
        "Metrics",
        "Summary",
        "Params",
        "Settings",
        "Diagnostics",
        "Request",
        "Response",
        "Message",
        "Msg",
        "Event",
        "Key",
        "Token",
        "Reason",
        "Seek",
        "Layer",
        "Start",
        "Args",
        "Style",
        "Bar",
        "Debug",
        "Iterator",
        "Display",
    ]
    .iter()
    .any(|suffix| name.ends_with(suffix))
}

/// `fn fence(&self) -> FenceEpoch { self.fence }`: reading a field decides nothing.
fn is_accessor(sig: &syn::Signature, block: &syn::Block) -> bool {
    let by_ref = sig.inputs.len() == 1
        && matches!(sig.inputs.first(), Some(syn::FnArg::Receiver(r)) if r.mutability.is_none());
    let simple = match block.stmts.as_slice() {
        [syn::Stmt::Expr(e, None)] => is_field_read(e),
        _ => false,
    };
    by_ref && simple
}

fn is_field_read(e: &syn::Expr) -> bool {
    use syn::Expr;
    match e {
        Expr::Field(_) | Expr::Path(_) => true,
        Expr::Reference(r) => is_field_read(&r.expr),
        Expr::MethodCall(m) => {
            m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "clone" | "as_ref" | "as_deref" | "copied" | "cloned" | "as_slice" | "len"
                )
                && is_field_read(&m.receiver)
        }
        _ => false,
    }
}
