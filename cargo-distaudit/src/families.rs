//! The family detector: which coordination families an un-annotated item embodies, from
//! its names (the item, its parameters, fields and types, its impl's type) and what its
//! body does (a `fence` compared or incremented, a lease deadline checked, a map of shard
//! ranges kept).
//!
//! A family is *named* by its nouns (`lease`, `fence`, `shard`, ...) in the item's own name,
//! or by one of its verbs (`renew`, `split`, `advance`, ...) when the signature or the
//! impl's type carries the noun (`fn acquire(..) -> Result<Lease, _>`). A method of a
//! coordinator-like type (`Coordinator`, `Scheduler`, `Leader`, ...) is named by its host.
//! A name with a behaviour is a BLOCK (DA0060); a name alone on a function that can change
//! state, or on a type, is a WARN (DA0061). A parameter's type alone never names a
//! function: code that merely passes a `Cursor` around is not cursor code.
//!
//! Some nouns are ambiguous outside coordination: a `cursor` is also a parser's position
//! (syn's `Cursor`), so it names the cursor family only next to a key or checkpoint.

use syn::visit::Visit;
use syn::{BinOp, Expr};

/// The coordination families of the report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Lease,
    Fence,
    Cursor,
    Shard,
    Idempotency,
    StateMachine,
    FailureDetection,
    RetryBackpressure,
}

/// Types whose methods coordinate whatever they do: the roles of a coordination protocol.
const ROLES: [&str; 10] = [
    "coordinator",
    "coordination",
    "scheduler",
    "leader",
    "follower",
    "replica",
    "supervisor",
    "controller",
    "orchestrator",
    "grantor",
];

/// Words of a progress position: with them a `cursor` is a coordination cursor.
const KEY_CONTEXT: [&str; 6] = [
    "key",
    "checkpoint",
    "watermark",
    "resume",
    "progress",
    "lastkey",
];

/// Words next to which an `epoch` is a fencing token.
const FENCE_CONTEXT: [&str; 11] = [
    "fence", "fencing", "lease", "leader", "term", "token", "stale", "holder", "owner", "grant",
    "shard",
];

/// Words next to which a `shard` is a piece of a keyspace.
const SHARD_CONTEXT: [&str; 15] = [
    "key", "keys", "range", "start", "end", "keyspace", "split", "lease", "cursor", "fence",
    "worker", "spec", "run", "tenant", "status",
];

/// An identifier's words, lowercase, with the compounds coordination code writes as one
/// name (`op_id` and `OpId` are both `opid`).
#[derive(Clone, Debug, Default)]
pub struct Words {
    words: Vec<String>,
}

impl Words {
    #[must_use]
    pub fn of(idents: &[String]) -> Words {
        let mut words = Vec::new();
        for i in idents {
            words.extend(words_of(i));
        }
        Words { words }
    }

    fn extend(&mut self, other: &Words) {
        self.words.extend(other.words.iter().cloned());
    }

    /// Whether a word, or a compound of two adjacent words (`opid`), is present.
    fn has(&self, w: &str) -> bool {
        self.words.iter().any(|x| x == w)
            || self.words.windows(2).any(|p| {
                p[0].len() + p[1].len() == w.len() && w.starts_with(&p[0]) && w.ends_with(&p[1])
            })
    }

    fn any(&self, ws: &[&str]) -> bool {
        ws.iter().any(|w| self.has(w))
    }

    fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::Lease,
        Family::Fence,
        Family::Cursor,
        Family::Shard,
        Family::Idempotency,
        Family::StateMachine,
        Family::FailureDetection,
        Family::RetryBackpressure,
    ];

    /// The family's name in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Family::Lease => "lease acquire/renew/expire/revoke",
            Family::Fence => "epoch and fence checks",
            Family::Cursor => "cursor advancement and checkpoints",
            Family::Shard => "shard boundary operations and splits",
            Family::Idempotency => "idempotency keys and op ids",
            Family::StateMachine => "state-machine transitions",
            Family::FailureDetection => "failure detection and heartbeats",
            Family::RetryBackpressure => "retry, backoff and queue bounds",
        }
    }

    /// The registry patterns to consider for code of this family.
    #[must_use]
    pub fn patterns(self) -> &'static [&'static str] {
        match self {
            Family::Lease => &["lease", "fencing"],
            Family::Fence => &["fencing"],
            Family::Cursor => &["cursor"],
            Family::Shard => &["shard"],
            Family::Idempotency => &["idempotency"],
            Family::StateMachine => &["state-machine"],
            Family::FailureDetection => &["failure-detection", "lease"],
            Family::RetryBackpressure => &["retry", "backpressure"],
        }
    }

    /// The families a registry pattern covers (an annotated type covers its methods for
    /// these).
    #[must_use]
    pub fn of_pattern(pattern: &str) -> Vec<Family> {
        Family::ALL
            .into_iter()
            .filter(|f| {
                f.patterns().first() == Some(&pattern)
                    || (pattern == "fencing" && *f == Family::Lease)
                    || (pattern == "backpressure" && *f == Family::RetryBackpressure)
                    || (pattern == "lease" && *f == Family::FailureDetection)
            })
            .collect()
    }

    /// The nouns that name the family's things.
    fn nouns(self) -> &'static [&'static str] {
        match self {
            Family::Lease => &["lease", "leases", "leased", "leasing", "leaseholder"],
            Family::Fence => &["fence", "fences", "fencing"],
            Family::Cursor => &[
                "checkpoint",
                "checkpoints",
                "checkpointed",
                "checkpointing",
                "watermark",
                "watermarks",
                "lastkey",
                "resumetoken",
            ],
            Family::Shard => &["keyspace", "keyrange"],
            Family::Idempotency => &[
                "idempotency",
                "idempotent",
                "idempotence",
                "opid",
                "opids",
                "oplog",
                "payloadhash",
            ],
            Family::StateMachine => &["statemachine"],
            Family::FailureDetection => &[
                "heartbeat",
                "heartbeats",
                "suspect",
                "suspected",
                "suspicion",
                "accrual",
                "liveness",
                "failuredetector",
            ],
            Family::RetryBackpressure => &[
                "retry",
                "retries",
                "retrying",
                "backoff",
                "jitter",
                "backpressure",
                "circuitbreaker",
            ],
        }
    }

    /// The verbs of operations on the family's things: they name the family when the
    /// signature or the impl's type carries one of its nouns.
    fn verbs(self) -> &'static [&'static str] {
        match self {
            Family::Lease => &[
                "acquire",
                "renew",
                "release",
                "revoke",
                "expire",
                "grant",
                "claim",
                "steal",
                "extend",
                "lapse",
                "relinquish",
            ],
            Family::Fence => &["bump", "issue", "advance", "check", "validate", "reject"],
            Family::Cursor => &[
                "advance",
                "checkpoint",
                "commit",
                "resume",
                "seek",
                "rewind",
            ],
            Family::Shard => &[
                "split",
                "merge",
                "tile",
                "tiles",
                "rebalance",
                "assign",
                "partition",
                "carve",
            ],
            Family::Idempotency => &["lookup", "record", "replay", "dedupe", "remember"],
            Family::StateMachine => &[
                "transition",
                "complete",
                "park",
                "finish",
                "fail",
                "abort",
                "activate",
            ],
            Family::FailureDetection => &["expire", "suspect", "detect", "probe", "ping"],
            Family::RetryBackpressure => &[
                "offer", "enqueue", "post", "deliver", "push", "drain", "shed", "admit",
            ],
        }
    }

    /// What the family keeps as state: fields and compared or assigned places named so are
    /// its behaviour.
    fn state(self) -> &'static [&'static str] {
        match self {
            Family::Lease => &[
                "deadline",
                "expiry",
                "expires",
                "expiration",
                "ttl",
                "holder",
                "lease",
                "leases",
                "leased",
            ],
            Family::Fence => &["fence", "epoch", "fencing"],
            Family::Cursor => &[
                "key",
                "lastkey",
                "checkpoint",
                "watermark",
                "position",
                "progress",
            ],
            Family::Shard => &[
                "start", "end", "range", "bound", "bounds", "lower", "upper", "split", "keyspace",
            ],
            Family::Idempotency => &["op", "opid", "idempotency", "hash", "request", "dedup"],
            Family::StateMachine => &["state", "status", "phase"],
            Family::FailureDetection => &[
                "heartbeat",
                "seen",
                "suspect",
                "suspected",
                "phi",
                "missed",
                "deadline",
                "lapsed",
            ],
            Family::RetryBackpressure => &[
                "attempt", "attempts", "retries", "backoff", "delay", "capacity", "limit", "budget",
            ],
        }
    }

    /// Whether `name` (with `context`, the rest of the item's words) names the family.
    fn named_by(self, name: &Words, context: &Words) -> bool {
        if name.any(self.nouns()) {
            return true;
        }
        match self {
            // A parser's cursor is not a checkpoint: the noun counts next to a key.
            Family::Cursor => {
                name.any(&["cursor", "cursors"])
                    && (name.any(&KEY_CONTEXT) || context.any(&KEY_CONTEXT))
            }
            // An epoch is a fence next to a lease, a leader's term or a stale holder;
            // crossbeam's garbage-collection epoch is not.
            Family::Fence => {
                name.any(&["epoch", "epochs"])
                    && (name.any(&FENCE_CONTEXT) || context.any(&FENCE_CONTEXT))
            }
            // A lock's shard is not a keyspace shard: the noun counts next to keys, ranges
            // or the things a coordinator keeps per shard.
            Family::Shard if name.any(&["shard", "shards", "sharding"]) => {
                name.any(&SHARD_CONTEXT) || context.any(&SHARD_CONTEXT)
            }
            Family::Shard => name.has("key") && name.has("range"),
            // `Vec::dedup` is not idempotency: deduplicating requests or messages is.
            Family::Idempotency => {
                name.any(&["dedup", "dedupe", "deduplicate", "deduplication"])
                    && (name.any(&["op", "request", "message", "msg", "delivery", "payload"])
                        || context.any(&["opid", "request", "message", "payload", "idempotency"]))
            }
            // The states of an automaton are not a protocol's: the words count for the
            // roles of one (a coordinator, a worker, a shard's lifecycle).
            Family::StateMachine => {
                const PARTIES: [&str; 5] = ["worker", "shard", "lease", "peer", "tenant"];
                let parties = |w: &Words| w.any(&ROLES) || w.any(&PARTIES);
                (name.any(&["state", "status", "lifecycle", "phase"]) && parties(name))
                    || (name.any(&["transition", "transitions"])
                        && (parties(name) || parties(context)))
            }
            Family::RetryBackpressure => {
                const BOUND: [&str; 6] =
                    ["bound", "bounded", "capacity", "full", "limit", "budget"];
                name.any(&["queue", "mailbox", "inbox", "outbox"])
                    && (name.any(&BOUND) || context.any(&BOUND))
            }
            _ => false,
        }
    }

    fn named_by_verb(self, name: &Words, signature: &Words, host: &Words, context: &Words) -> bool {
        name.any(self.verbs())
            && (self.named_by(signature, context) || self.named_by(host, context))
    }
}

/// `renew_lease` -> `["renew", "lease"]`; `FenceEpoch` -> `["fence", "epoch"]`.
#[must_use]
pub fn words_of(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in ident.trim_start_matches("r#").chars() {
        if ch == '_' || !ch.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        cur.extend(ch.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The identifier words of a syntax node, collected by walking it (no tokens are
/// rebuilt: a node's words are asked for often).
struct Idents(Words);

impl<'ast> Visit<'ast> for Idents {
    fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
        self.0.words.extend(words_of(&i.to_string()));
    }
}

/// A node the detector reads words from.
trait Named {
    fn words(&self) -> Words;
}

macro_rules! named {
    ($($ty:ty => $visit:ident),* $(,)?) => {
        $(impl Named for $ty {
            fn words(&self) -> Words {
                let mut v = Idents(Words::default());
                v.$visit(self);
                v.0
            }
        })*
    };
}

named! {
    Expr => visit_expr,
    syn::Type => visit_type,
    syn::FnArg => visit_fn_arg,
    syn::Path => visit_path,
}

impl<T: Named> Named for Box<T> {
    fn words(&self) -> Words {
        (**self).words()
    }
}

fn token_words(node: &impl Named) -> Words {
    node.words()
}

/// What a body does, reduced to the words of the places it compares, assigns and
/// advances, the structs it builds and the methods it calls.
#[derive(Default, Debug)]
struct Behaviour {
    compared: Vec<Words>,
    assigned: Vec<Words>,
    advanced: Vec<Words>,
    /// Paths of struct literals built.
    built: Vec<Words>,
    /// Names of the methods and functions called, as written.
    calls: Vec<String>,
    looped_with_sleep: bool,
    grows_delay: bool,
    queue_bound: bool,
    /// Every identifier of the body (context for ambiguous nouns).
    all: Words,
    /// Calls `fence(..)` or `compiler_fence(..)`: the memory kind.
    memory_fence: bool,
    /// The fields (`x.fence`) compared, assigned or advanced: a field named for a family
    /// that the body decides on or changes is the family's name and behaviour at once.
    touched_fields: Vec<Words>,
}

impl<'ast> Visit<'ast> for Behaviour {
    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::Binary(b) => match b.op {
                BinOp::Lt(_)
                | BinOp::Le(_)
                | BinOp::Gt(_)
                | BinOp::Ge(_)
                | BinOp::Eq(_)
                | BinOp::Ne(_) => {
                    let mut w = token_words(&b.left);
                    w.extend(&token_words(&b.right));
                    if w.has("len") && w.any(&["capacity", "max", "limit", "bound", "budget"]) {
                        self.queue_bound = true;
                    }
                    self.compared.push(w);
                    self.touch(&b.left);
                    self.touch(&b.right);
                }
                BinOp::AddAssign(_) => {
                    self.advanced.push(token_words(&b.left));
                    self.touch(&b.left);
                }
                BinOp::MulAssign(_) | BinOp::ShlAssign(_) => {
                    self.grows_delay = true;
                    self.advanced.push(token_words(&b.left));
                }
                _ => {}
            },
            Expr::Assign(a) => {
                self.touch(&a.left);
                let right = token_words(&a.right);
                if right.any(&["next", "succ", "increment", "checked", "saturating"])
                    || matches!(&*a.right, Expr::Binary(b) if matches!(b.op, BinOp::Add(_)))
                {
                    self.advanced.push(token_words(&a.left));
                }
                if matches!(&*a.right, Expr::Binary(b) if matches!(b.op, BinOp::Mul(_) | BinOp::Shl(_)))
                {
                    self.grows_delay = true;
                }
                self.assigned.push(token_words(&a.left));
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                match name.as_str() {
                    "next" | "succ" | "increment" | "fetch_add" | "checked_add"
                    | "saturating_add" => {
                        self.advanced.push(token_words(&m.receiver));
                    }
                    "cmp" | "partial_cmp" | "max" | "min" | "contains" | "contains_key"
                    | "range" => {
                        let mut w = token_words(&m.receiver);
                        for a in &m.args {
                            w.extend(&token_words(a));
                        }
                        self.compared.push(w);
                    }
                    "insert" | "entry" | "get" | "get_mut" | "remove" => {
                        let mut w = token_words(&m.receiver);
                        if let Some(a) = m.args.first() {
                            w.extend(&token_words(a));
                        }
                        self.compared.push(w);
                    }
                    "pow" | "checked_pow" | "saturating_pow" | "checked_mul" | "saturating_mul" => {
                        self.grows_delay = true;
                    }
                    "sleep" => self.looped_with_sleep = true,
                    _ => {}
                }
                self.calls.push(name);
            }
            Expr::Call(c) => {
                let path = token_words(&c.func);
                if path.has("sleep") {
                    self.looped_with_sleep = true;
                }
                if let Expr::Path(p) = &*c.func {
                    let segs: Vec<String> = p
                        .path
                        .segments
                        .iter()
                        .map(|s| s.ident.to_string())
                        .collect();
                    if segs.ends_with(&["sync_channel".to_string()])
                        || segs.last().is_some_and(|s| s == "bounded")
                    {
                        self.queue_bound = true;
                    }
                    if let Some(last) = segs.last() {
                        if last == "fence" || last == "compiler_fence" {
                            self.memory_fence = true;
                        }
                        self.calls.push(last.clone());
                    }
                }
            }
            Expr::Struct(s) => self.built.push(token_words(&s.path)),
            _ => {}
        }
        syn::visit::visit_expr(self, e);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        self.compared.push(token_words(&m.expr));
        syn::visit::visit_expr_match(self, m);
    }

    fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
        self.all.words.extend(words_of(&i.to_string()));
    }
}

impl Behaviour {
    /// Record the fields an expression reads (`self.fence`, `lease.deadline`).
    fn touch(&mut self, e: &Expr) {
        struct Fields<'b>(&'b mut Vec<Words>);
        impl<'ast> Visit<'ast> for Fields<'_> {
            fn visit_expr_field(&mut self, f: &'ast syn::ExprField) {
                if let syn::Member::Named(name) = &f.member {
                    self.0.push(Words::of(&[name.to_string()]));
                }
                syn::visit::visit_expr_field(self, f);
            }
        }
        Fields(&mut self.touched_fields).visit_expr(e);
    }

    /// Whether the body decides on or changes a field named for the family's state (a
    /// `fence`, a `lease`, a `checkpoint`; a `next_shard` counter is an id, not a range).
    fn touches_family_field(&self, family: Family, context: &Words) -> bool {
        self.touched_fields.iter().any(|f| match family {
            Family::Shard => f.any(family.nouns()),
            _ => family.named_by(f, context),
        })
    }

    fn of(block: &syn::Block) -> Behaviour {
        let mut b = Behaviour::default();
        b.visit_block(block);
        // `atomic::fence(..)` is a memory fence, not a fencing token.
        if b.memory_fence {
            b.all.words.retain(|w| w != "fence");
        }
        b
    }

    fn touches(set: &[Words], words: &[&str]) -> bool {
        set.iter().any(|w| w.any(words))
    }

    fn calls_any(&self, names: &[&str]) -> bool {
        self.calls.iter().any(|c| {
            names
                .iter()
                .any(|n| c == n || words_of(c).first().is_some_and(|w| w == n))
        })
    }

    /// Whether the body does what the family does. A function that cannot change state
    /// shows it only by deciding something (a comparison, a bound): building a view of a
    /// shard or calling a lease's `is_live` decides nothing by itself.
    fn shows(&self, family: Family, mutates: bool) -> bool {
        let state = family.state();
        if !mutates {
            return match family {
                Family::RetryBackpressure => {
                    self.grows_delay || self.looped_with_sleep || self.queue_bound
                }
                _ => Self::touches(&self.compared, state) || Self::touches(&self.advanced, state),
            };
        }
        let compared = Self::touches(&self.compared, state);
        let assigned = Self::touches(&self.assigned, state);
        let advanced = Self::touches(&self.advanced, state);
        match family {
            Family::Lease => {
                compared
                    || assigned
                    || Self::touches(&self.built, &["lease", "holder"])
                    || self.calls_any(&["grant", "renew", "revoke", "acquire", "is_live"])
            }
            Family::Fence => compared || advanced || assigned,
            Family::Cursor => compared || assigned || advanced,
            Family::Shard => {
                compared
                    || Self::touches(&self.built, &["shard", "range"])
                    || self.calls_any(&["split", "split_at", "tiles", "merge"])
            }
            Family::Idempotency => compared,
            Family::StateMachine => (assigned || Self::touches(&self.built, state)) && compared,
            Family::FailureDetection => compared || assigned,
            Family::RetryBackpressure => {
                self.grows_delay
                    || self.looped_with_sleep
                    || self.queue_bound
                    || compared
                    || self.calls_any(&["offer", "try_send", "try_push"])
            }
        }
    }
}

/// One family the item embodies, and how sure the detector is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    pub family: Family,
    /// A name and a behaviour both match (BLOCK); otherwise only a name (WARN).
    pub behaviour: bool,
    /// What matched, for the message.
    pub evidence: String,
}

/// What the detector looks at in an item.
pub enum Candidate<'a> {
    /// A function or method; `self_ty` is the impl's type (or the trait) for a method,
    /// `module` the enclosing module for a free function (`retry::delay`).
    Fn {
        sig: &'a syn::Signature,
        block: &'a syn::Block,
        self_ty: Option<&'a str>,
        module: Option<&'a str>,
    },
    Struct(&'a syn::ItemStruct),
    Enum(&'a syn::ItemEnum),
    /// A trait: its method signatures are what it does.
    Trait(&'a syn::ItemTrait),
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

fn signature_words(sig: &syn::Signature) -> Words {
    let mut signature = Words::default();
    for input in &sig.inputs {
        signature.extend(&token_words(input));
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        signature.extend(&token_words(ty));
    }
    signature
}

fn detect_fn(
    sig: &syn::Signature,
    block: &syn::Block,
    self_ty: Option<&str>,
    module: Option<&str>,
) -> Vec<Detection> {
    let mut out = Vec::new();
    if is_accessor(sig, block) {
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
    let behaviour = Behaviour::of(block);
    let mut context = signature.clone();
    context.extend(&behaviour.all);
    let mutates = distaudit_core::item::changes_state(sig);
    for family in Family::ALL {
        // `self.fence += 1`, `if now < lease.deadline`: a field of the family's, changed or
        // decided on.
        let by_field = behaviour.touches_family_field(family, &context);
        let acts = behaviour.shows(family, mutates) || by_field;
        let by_name = family.named_by(&own, &context);
        let by_verb = family.named_by_verb(&own, &signature, &host, &context);
        let by_host = !host.is_empty() && family.named_by(&host, &context);
        let confirmed =
            acts && (by_name || by_verb || by_host || by_field || (role_host && mutates));
        let named_only = (by_name || by_verb) && !acts && mutates;
        if confirmed || named_only {
            let evidence = if by_name {
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
            };
            out.push(Detection {
                family,
                behaviour: acts,
                evidence,
            });
        }
    }
    out
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
    if is_ignored_type(&ident) {
        return out;
    }
    let own = Words::of(&[ident]);
    let fields = fields(s);
    let mut context = Words::default();
    for (n, t) in &fields {
        context.extend(n);
        context.extend(t);
    }
    let named_fields = matches!(s.fields, syn::Fields::Named(_));
    let role = own.any(&ROLES);
    for family in Family::ALL {
        let named = family.named_by(&own, &context);
        // The state a type keeps is its behaviour: a collection of the family's things (a
        // map of shard ranges, an op log), or fields named for the family's state (a
        // lease's holder and deadline, a queue's capacity).
        let keeps_collection = fields.iter().any(|(_, ty)| ty.any(&COLLECTIONS));
        let keeps_state = fields.iter().any(|(name, _)| name.any(family.state()));
        // A bound is a queue's only if there is a queue: a value carrying a capacity is not.
        let keeps = match family {
            Family::RetryBackpressure => keeps_collection && keeps_state,
            _ => keeps_collection || keeps_state,
        };
        if named {
            out.push(Detection {
                family,
                behaviour: named_fields && keeps,
                evidence: format!("struct `{}`", s.ident),
            });
        } else if role && named_fields {
            // A coordinator-like type keeping the family's things in its fields.
            let holds = fields
                .iter()
                .any(|(name, ty)| family.named_by(name, &context) || family.named_by(ty, &context));
            if holds {
                out.push(Detection {
                    family,
                    behaviour: true,
                    evidence: format!("struct `{}` and its fields", s.ident),
                });
            }
        }
    }
    out
}

fn detect_enum(e: &syn::ItemEnum) -> Vec<Detection> {
    let mut out = Vec::new();
    let ident = e.ident.to_string();
    if is_ignored_type(&ident) {
        return out;
    }
    let own = Words::of(&[ident]);
    let context = Words::of(
        &e.variants
            .iter()
            .map(|v| v.ident.to_string())
            .collect::<Vec<_>>(),
    );
    for family in Family::ALL {
        if family.named_by(&own, &context) {
            out.push(Detection {
                family,
                behaviour: family == Family::StateMachine && e.variants.len() >= 2,
                evidence: format!("enum `{}`", e.ident),
            });
        }
    }
    out
}

fn detect_trait(t: &syn::ItemTrait) -> Vec<Detection> {
    let mut out = Vec::new();
    let own = Words::of(&[t.ident.to_string()]);
    let host = own.clone();
    let methods: Vec<&syn::TraitItemFn> = t
        .items
        .iter()
        .filter_map(|i| match i {
            syn::TraitItem::Fn(f) => Some(f),
            _ => None,
        })
        .collect();
    let mut context = Words::default();
    for m in &methods {
        context.extend(&Words::of(&[m.sig.ident.to_string()]));
        context.extend(&signature_words(&m.sig));
    }
    for family in Family::ALL {
        // Its operations are what a trait does: methods named for the family.
        let operations = methods
            .iter()
            .filter(|m| {
                let name = Words::of(&[m.sig.ident.to_string()]);
                let signature = signature_words(&m.sig);
                family.named_by(&name, &signature)
                    || family.named_by_verb(&name, &signature, &host, &signature)
            })
            .count();
        let named = family.named_by(&own, &context) || own.any(&ROLES);
        if operations >= 2 || (named && operations == 1) {
            out.push(Detection {
                family,
                behaviour: operations >= 2,
                evidence: format!("trait `{}` and its methods", t.ident),
            });
        }
    }
    out
}

/// Error types, ids, handles, views and settings: vocabulary, not coordination decisions.
fn is_ignored_type(name: &str) -> bool {
    [
        "Error", "Err", "Id", "Kind", "Builder", "Config", "Options", "Conflict", "View", "Info",
        "Stats", "Metrics", "Summary",
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

fn is_field_read(e: &Expr) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fn_detect(src: &str, self_ty: Option<&str>) -> Vec<Detection> {
        let f: syn::ItemFn = syn::parse_str(src).expect("test fn parses");
        detect(&Candidate::Fn {
            sig: &f.sig,
            block: &f.block,
            self_ty,
            module: None,
        })
    }

    fn families(d: &[Detection]) -> Vec<(Family, bool)> {
        d.iter().map(|d| (d.family, d.behaviour)).collect()
    }

    #[test]
    fn words_split_snake_and_camel() {
        assert_eq!(words_of("renew_lease"), ["renew", "lease"]);
        assert_eq!(words_of("FenceEpoch"), ["fence", "epoch"]);
        assert_eq!(words_of("HTTPRetry"), ["httpretry"]);
        assert!(Words::of(&["OpLog".into()]).has("oplog"));
        assert!(Words::of(&["op_id".into()]).has("opid"));
    }

    #[test]
    fn renew_lease_with_deadline_check_blocks() {
        let d = fn_detect(
            "fn renew_lease(&mut self, now: u64) -> bool { if now < self.deadline { self.deadline = now + 5; true } else { false } }",
            None,
        );
        assert_eq!(d[0].family, Family::Lease);
        assert!(d[0].behaviour);
    }

    #[test]
    fn a_lease_verb_with_a_lease_in_the_signature_names_the_family() {
        let d = fn_detect(
            "fn acquire(&mut self, now: u64) -> Result<Lease, E> { if let Some(h) = self.holder.filter(|h| h.is_live(now)) { return Err(E); } self.grant(now) }",
            Some("Table"),
        );
        assert_eq!(families(&d), [(Family::Lease, true)]);
        // The verb alone is not enough: acquiring a mutex is not a lease.
        assert!(
            fn_detect(
                "fn acquire(&mut self) -> Guard { self.lock.acquire() }",
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn fence_compared_blocks_and_name_alone_warns() {
        let d = fn_detect(
            "fn check_fence(&self, presented: u64) -> bool { presented == self.fence }",
            None,
        );
        assert!(d.iter().any(|d| d.family == Family::Fence && d.behaviour));
        let d = fn_detect("fn log_fence(&mut self) { println!(\"hi\"); }", None);
        assert!(d.iter().any(|d| d.family == Family::Fence && !d.behaviour));
        // Read-only and named only: decides nothing.
        assert!(fn_detect("fn log_fence(&self) { println!(\"hi\"); }", None).is_empty());
    }

    #[test]
    fn epoch_increment_on_host_type_counts() {
        let d = fn_detect(
            "fn bump(&mut self) { self.fence += 1; }",
            Some("FenceClock"),
        );
        assert!(d.iter().any(|d| d.family == Family::Fence && d.behaviour));
        // Without the confirming body, the impl's name alone says nothing; a verb of the
        // family on it is a name to review.
        assert!(fn_detect("fn tick(&mut self) { self.n += 1; }", Some("FenceClock")).is_empty());
        assert_eq!(
            families(&fn_detect(
                "fn bump(&mut self) { self.n += 1; }",
                Some("FenceClock")
            )),
            [(Family::Fence, false)]
        );
        // An epoch is a fence next to a lease or a token; a collector's epoch is not, even
        // beside a memory fence.
        assert!(
            fn_detect(
                "fn try_advance(&self, guard: &Guard) -> Epoch { let e = self.epoch.load(); atomic::fence(Ordering::SeqCst); if e == self.local_epoch { self.epoch.store(e.successor()); } e }",
                Some("Global")
            )
            .is_empty()
        );
        assert_eq!(
            families(&fn_detect(
                "fn check_epoch(&self, lease: &Lease) -> bool { lease.epoch == self.epoch }",
                None
            )),
            [(Family::Fence, true)]
        );
    }

    #[test]
    fn methods_of_a_coordinator_that_change_state_and_act_block() {
        let d = fn_detect(
            "fn create_run(&mut self, points: &[Box<[u8]>]) -> Run { let specs = split_at(&Spec::whole(), points); Run { specs } }",
            Some("InMemoryCoordinator"),
        );
        assert_eq!(families(&d), [(Family::Shard, true)]);
        // A read-only query of a coordinator decides nothing.
        assert!(
            fn_detect(
                "fn run_shards(&self, run: u32) -> Vec<u32> { self.runs.get(&run).cloned().unwrap_or_default() }",
                Some("InMemoryCoordinator")
            )
            .is_empty()
        );
    }

    #[test]
    fn a_module_names_its_free_functions_but_plays_no_role() {
        let f: syn::ItemFn = syn::parse_str(
            "fn delay_ms(attempt: u32) -> u64 { 100u64.saturating_mul(1 << attempt.min(10)) }",
        )
        .expect("parses");
        let in_module = |module| {
            families(&detect(&Candidate::Fn {
                sig: &f.sig,
                block: &f.block,
                self_ty: None,
                module: Some(module),
            }))
        };
        assert_eq!(in_module("backoff"), [(Family::RetryBackpressure, true)]);
        assert!(in_module("util").is_empty());
        // A method of a coordinator that changes state and acts is coordination; a free
        // function of a module called `coordinator` is not for that alone.
        let g: syn::ItemFn = syn::parse_str(
            "fn tenant_record(shards: &mut Map, lease: &Lease) -> Result<u8, E> { let r = shards.get_mut(&lease.shard)?; if r.tenant != lease.tenant { return Err(E); } Ok(0) }",
        )
        .expect("parses");
        let d = detect(&Candidate::Fn {
            sig: &g.sig,
            block: &g.block,
            self_ty: None,
            module: Some("coordinator"),
        });
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn a_field_of_the_family_changed_names_it() {
        let d = fn_detect(
            "fn acquire(&mut self, now: u64) -> Result<u64, ()> { self.fence += 1; Ok(self.fence) }",
            Some("Memory"),
        );
        assert_eq!(families(&d), [(Family::Fence, true)]);
        // An id counter is not a range.
        let d = fn_detect(
            "fn new_shard(&mut self, r: Record) -> u64 { let id = self.next_shard; self.next_shard += 1; id }",
            Some("Table"),
        );
        assert!(d.iter().all(|d| !d.behaviour), "{d:?}");
    }

    #[test]
    fn a_parser_cursor_is_not_a_checkpoint() {
        // syn's buffer cursor: no key, no checkpoint.
        assert!(
            fn_detect(
                "fn skip(mut cursor: Cursor) -> Option<Cursor> { if cursor.eof() { return None; } cursor = cursor.next(); Some(cursor) }",
                Some("Cursor")
            )
            .is_empty()
        );
        let s: syn::ItemStruct =
            syn::parse_str("struct Cursor { ptr: *const Entry, scope: *const Entry }")
                .expect("parses");
        assert!(detect(&Candidate::Struct(&s)).is_empty());
        // A scan cursor: a key layer.
        let s: syn::ItemStruct = syn::parse_str(
            "struct Cursor { last_key: Option<Box<[u8]>>, token: Option<Box<[u8]>> }",
        )
        .expect("parses");
        assert_eq!(
            families(&detect(&Candidate::Struct(&s))),
            [(Family::Cursor, true)]
        );
        let d = fn_detect(
            "fn check_advance(current: &Cursor, next: &Cursor) -> Result<(), E> { let key = next.last_key(); if current.last_key().is_some_and(|old| key < old) { return Err(E); } Ok(()) }",
            None,
        );
        assert_eq!(families(&d), [(Family::Cursor, true)]);
    }

    #[test]
    fn accessor_is_not_coordination() {
        assert!(
            fn_detect(
                "fn fence(&self) -> FenceEpoch { self.fence }",
                Some("Lease")
            )
            .is_empty()
        );
    }

    #[test]
    fn backoff_loop_is_retry() {
        let d = fn_detect(
            "fn with_retry(op: impl Fn() -> bool) { let mut delay = 1; loop { if op() { return; } std::thread::sleep(d(delay)); delay *= 2; } }",
            None,
        );
        assert!(
            d.iter()
                .any(|d| d.family == Family::RetryBackpressure && d.behaviour)
        );
    }

    #[test]
    fn structs_keep_state() {
        let s: syn::ItemStruct = syn::parse_str(
            "struct ShardTable { ranges: BTreeMap<Vec<u8>, ShardRange>, start: Vec<u8> }",
        )
        .expect("parses");
        let d = detect(&Candidate::Struct(&s));
        assert!(d.iter().any(|d| d.family == Family::Shard && d.behaviour));
        // A bounded queue: a collection and a capacity.
        let s: syn::ItemStruct =
            syn::parse_str("struct WorkQueue<T> { items: VecDeque<T>, capacity: usize }")
                .expect("parses");
        assert_eq!(
            families(&detect(&Candidate::Struct(&s))),
            [(Family::RetryBackpressure, true)]
        );
        let s: syn::ItemStruct =
            syn::parse_str("struct JobQueue<T> { items: VecDeque<T> }").expect("parses");
        assert!(
            detect(&Candidate::Struct(&s)).is_empty(),
            "unbounded: the anti-pattern's job"
        );
        let s: syn::ItemStruct =
            syn::parse_str("struct OpLog { entries: VecDeque<OpEntry> }").expect("parses");
        assert_eq!(
            families(&detect(&Candidate::Struct(&s))),
            [(Family::Idempotency, true)]
        );
        // A coordinator keeping shards and a fence counter.
        let s: syn::ItemStruct = syn::parse_str(
            "struct InMemoryCoordinator { shards: BTreeMap<ShardId, ShardRecord>, fence_clock: FenceEpoch, next_run: u32 }",
        )
        .expect("parses");
        assert_eq!(
            families(&detect(&Candidate::Struct(&s))),
            [(Family::Fence, true), (Family::Shard, true)]
        );
        // A newtype named for the family: a name only.
        let s: syn::ItemStruct = syn::parse_str("struct FenceEpoch(pub u64);").expect("parses");
        assert_eq!(
            families(&detect(&Candidate::Struct(&s))),
            [(Family::Fence, false)]
        );
        // A lock's shard is not a keyspace's.
        let s: syn::ItemStruct =
            syn::parse_str("struct Shard { lock: RwLock<()>, write_guard: UnsafeCell<u8> }")
                .expect("parses");
        assert!(detect(&Candidate::Struct(&s)).is_empty());
        // Fields alone do not make a struct coordination.
        let s: syn::ItemStruct =
            syn::parse_str("struct Report { lease: Lease, cursor: Cursor }").expect("parses");
        assert!(detect(&Candidate::Struct(&s)).is_empty());
    }

    #[test]
    fn a_trait_of_coordination_operations() {
        let t: syn::ItemTrait = syn::parse_str(
            "trait Backend { fn acquire(&mut self, now: u64) -> Result<Lease, E>; fn renew(&mut self, lease: &Lease) -> Result<Lease, E>; fn name(&self) -> String; }",
        )
        .expect("parses");
        assert_eq!(
            families(&detect(&Candidate::Trait(&t))),
            [(Family::Lease, true)]
        );
        let t: syn::ItemTrait =
            syn::parse_str("trait Parse { fn parse(input: ParseStream) -> Result<Self>; }")
                .expect("parses");
        assert!(detect(&Candidate::Trait(&t)).is_empty());
    }

    #[test]
    fn state_enum_of_worker_is_state_machine() {
        let e: syn::ItemEnum =
            syn::parse_str("enum WorkerState { Idle, Scanning, Done }").expect("parses");
        let d = detect(&Candidate::Enum(&e));
        assert!(
            d.iter()
                .any(|d| d.family == Family::StateMachine && d.behaviour)
        );
    }

    #[test]
    fn ordinary_code_is_not_flagged() {
        assert!(fn_detect("fn parse_ident(input: &str) -> usize { if input.len() < 3 { 0 } else { input.len() } }", None).is_empty());
        let e: syn::ItemEnum =
            syn::parse_str("enum LeaseError { Expired, Stale }").expect("parses");
        assert!(detect(&Candidate::Enum(&e)).is_empty());
    }
}
