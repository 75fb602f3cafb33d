//! What a body does, reduced to what the family detectors ask: the places it compares
//! (and which side is stored state), assigns and advances, the clocks it reads, the
//! remote effects it has, its loops, sleeps and fallible calls.

use super::words::{Words, macro_words, token_words, words_of};
use syn::visit::Visit;
use syn::{BinOp, Expr};

/// One comparison: `term > self.current_term`, `self.term.cmp(&other.term)`.
#[derive(Debug, Default)]
pub(super) struct Cmp {
    pub left: Words,
    pub right: Words,
    /// The side is the item's own state (`self.x`, `self.x.y`, `self.f()`).
    pub left_stored: bool,
    pub right_stored: bool,
    /// `<`, `>=`, `.cmp()`, `.gt()`, `.max()`: an order, not only an equality.
    pub ordering: bool,
    /// A side reads a clock (`Instant::now()`, `now`, `elapsed()`).
    pub timed: bool,
}

impl Cmp {
    fn words(&self) -> Words {
        let mut w = self.left.clone();
        w.extend(&self.right);
        w
    }

    /// Whether both sides carry one of `ws` and one side is the item's own state: a value
    /// from elsewhere held against the stored one.
    pub(super) fn token_against_stored<'w>(&self, ws: &[&'w str]) -> Option<&'w str> {
        if !(self.left_stored || self.right_stored) {
            return None;
        }
        ws.iter()
            .copied()
            .find(|w| self.left.has(w) && self.right.has(w))
    }
}

/// What a body does.
#[derive(Default, Debug)]
pub(super) struct Behaviour {
    pub cmps: Vec<Cmp>,
    /// Keys looked up (`map.get(k)`, `contains_key`): receiver and key words.
    pub lookups: Vec<Words>,
    pub assigned: Vec<Words>,
    pub advanced: Vec<Words>,
    /// Paths of struct literals built.
    pub built: Vec<Words>,
    /// Names of the methods and functions called, as written.
    pub calls: Vec<String>,
    pub loops: bool,
    pub sleeps: bool,
    pub grows_delay: bool,
    pub queue_bound: bool,
    /// `?`, `Err(..)` arms, `is_err()`: a call that may fail is handled.
    pub fallible: bool,
    /// `if`, `match`, `?` or a loop: the body decides something.
    pub branches: bool,
    /// A request built for, or sent to, another process (`json!`, `redis::cmd`, a
    /// conditional write, an awaited `send`/`query`/`patch`).
    pub remote: bool,
    /// Reads a clock (`now()`, `elapsed()`).
    pub clock: bool,
    /// Every identifier of the body (context for ambiguous nouns), macro tokens included.
    pub all: Words,
    /// Calls `fence(..)` or `compiler_fence(..)`: the memory kind.
    pub memory_fence: bool,
    /// The fields (`x.fence`) compared, assigned or advanced.
    pub touched_fields: Vec<Words>,
    /// Statements of the outermost block.
    pub statements: usize,
    /// Arithmetic on a time (`now + ttl`, `deadline - now`).
    pub time_arith: bool,
    /// Divides by two (`members.len() / 2 + 1`).
    pub halves: bool,
}

/// Calls whose awaited result comes from another process.
const REMOTE_CALLS: [&str; 22] = [
    "query_async",
    "query",
    "execute",
    "patch",
    "replace",
    "put_item",
    "update_item",
    "delete_item",
    "get_item",
    "transact_write_items",
    "invoke_async",
    "eval",
    "request",
    "send_request",
    "call",
    "create",
    "delete",
    "set_data",
    "exists",
    "get_children",
    "commit_offsets",
    "fetch_offsets",
];

/// Names of clock reads.
const CLOCK_WORDS: [&str; 6] = [
    "now",
    "elapsed",
    "now_utc",
    "now_millis",
    "timestamp",
    "instant",
];

fn is_clocky(w: &Words) -> bool {
    w.any(&CLOCK_WORDS) || w.has("time") && w.has("now")
}

/// Whether an expression is rooted at `self`: the item's own state.
pub(super) fn rooted_at_self(e: &Expr) -> bool {
    match e {
        Expr::Path(p) => p.path.is_ident("self"),
        Expr::Field(f) => rooted_at_self(&f.base),
        Expr::MethodCall(m) => rooted_at_self(&m.receiver),
        Expr::Reference(r) => rooted_at_self(&r.expr),
        Expr::Unary(u) => rooted_at_self(&u.expr),
        Expr::Paren(p) => rooted_at_self(&p.expr),
        Expr::Index(i) => rooted_at_self(&i.expr),
        Expr::Try(t) => rooted_at_self(&t.expr),
        Expr::Await(a) => rooted_at_self(&a.base),
        Expr::Group(g) => rooted_at_self(&g.expr),
        _ => false,
    }
}

impl Behaviour {
    pub(super) fn of(block: &syn::Block) -> Behaviour {
        let mut b = Behaviour {
            statements: block.stmts.len(),
            ..Behaviour::default()
        };
        b.visit_block(block);
        // `atomic::fence(..)` is a memory fence, not a fencing token.
        if b.memory_fence {
            b.all.words.retain(|w| w != "fence");
        }
        b
    }

    fn compare(&mut self, left: &Expr, right: &Expr, ordering: bool) {
        let (lw, rw) = (token_words(left), token_words(right));
        if lw.has("len") && rw.any(&["capacity", "max", "limit", "bound", "budget"])
            || rw.has("len") && lw.any(&["capacity", "max", "limit", "bound", "budget"])
        {
            self.queue_bound = true;
        }
        let timed = is_clocky(&lw) || is_clocky(&rw);
        self.cmps.push(Cmp {
            left_stored: rooted_at_self(left),
            right_stored: rooted_at_self(right),
            left: lw,
            right: rw,
            ordering,
            timed,
        });
        self.touch(left);
        self.touch(right);
    }

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

    pub(super) fn compared(&self) -> impl Iterator<Item = Words> + '_ {
        self.cmps.iter().map(Cmp::words)
    }

    pub(super) fn compares_any(&self, words: &[&str]) -> bool {
        self.compared().any(|w| w.any(words)) || self.lookups.iter().any(|w| w.any(words))
    }

    pub(super) fn touches(set: &[Words], words: &[&str]) -> bool {
        set.iter().any(|w| w.any(words))
    }

    pub(super) fn calls_any(&self, names: &[&str]) -> bool {
        self.calls.iter().any(|c| {
            names
                .iter()
                .any(|n| c == n || words_of(c).first().is_some_and(|w| w == n))
        })
    }

    fn method(&mut self, m: &syn::ExprMethodCall) {
        let name = m.method.to_string();
        match name.as_str() {
            "next" | "succ" | "increment" | "fetch_add" | "checked_add" | "saturating_add"
            | "wrapping_add" => {
                self.advanced.push(token_words(&m.receiver));
            }
            "cmp" | "partial_cmp" | "gt" | "lt" | "ge" | "le" | "max" | "min" => {
                if let Some(a) = m.args.first() {
                    self.compare(&m.receiver, a, true);
                }
            }
            "contains"
            | "contains_key"
            | "range"
            | "binary_search"
            | "binary_search_by"
            | "binary_search_by_key"
            | "partition_point"
            | "get"
            | "get_mut"
            | "entry"
            | "remove"
            | "insert"
            | "exists"
            | "get_item" => {
                let mut w = token_words(&m.receiver);
                if let Some(a) = m.args.first() {
                    w.extend(&token_words(a));
                }
                self.lookups.push(w);
            }
            "pow" | "checked_pow" | "saturating_pow" | "checked_mul" | "saturating_mul"
            | "mul_f64" | "mul_f32" => {
                self.grows_delay = true;
            }
            "sleep" | "sleep_until" | "delay" => self.sleeps = true,
            "is_err" | "is_ok" | "map_err" | "or_else" => self.fallible = true,
            "elapsed" | "duration_since" | "signed_duration_since" => self.clock = true,
            "await" => {}
            _ => {}
        }
        if REMOTE_CALLS.contains(&name.as_str()) {
            self.remote = true;
        }
        self.calls.push(name);
    }

    fn call(&mut self, c: &syn::ExprCall) {
        let path = token_words(&c.func);
        if path.any(&["sleep", "sleep_until", "delay_for"]) {
            self.sleeps = true;
        }
        if is_clocky(&path) {
            self.clock = true;
        }
        if let Expr::Path(p) = &*c.func {
            let segs: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if segs
                .last()
                .is_some_and(|s| s == "sync_channel" || s == "bounded")
            {
                self.queue_bound = true;
            }
            if segs.first().is_some_and(|s| s == "redis") && segs.last().is_some_and(|s| s == "cmd")
            {
                self.remote = true;
            }
            if let Some(last) = segs.last() {
                if last == "fence" || last == "compiler_fence" {
                    self.memory_fence = true;
                }
                if last == "Err" {
                    self.fallible = true;
                }
                self.calls.push(last.clone());
            }
        }
    }
}

impl<'ast> Visit<'ast> for Behaviour {
    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::Binary(b) => match b.op {
                BinOp::Lt(_) | BinOp::Le(_) | BinOp::Gt(_) | BinOp::Ge(_) => {
                    self.compare(&b.left, &b.right, true);
                }
                BinOp::Eq(_) | BinOp::Ne(_) => self.compare(&b.left, &b.right, false),
                BinOp::AddAssign(_) => {
                    self.advanced.push(token_words(&b.left));
                    self.touch(&b.left);
                }
                BinOp::MulAssign(_) | BinOp::ShlAssign(_) => {
                    self.grows_delay = true;
                    self.advanced.push(token_words(&b.left));
                }
                BinOp::Add(_) | BinOp::Sub(_) => {
                    let (l, r) = (token_words(&b.left), token_words(&b.right));
                    if is_clocky(&l) || is_clocky(&r) {
                        self.time_arith = true;
                    }
                }
                BinOp::Div(_) => {
                    // `n / 2 + 1`: half, a majority when what is counted is voters.
                    if matches!(&*b.right, Expr::Lit(l) if l.lit.to_token_stream_text() == "2") {
                        self.halves = true;
                    }
                }
                _ => {}
            },
            Expr::Assign(a) => {
                self.touch(&a.left);
                let right = token_words(&a.right);
                if right.any(&["next", "succ", "increment", "checked", "saturating", "max"])
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
            Expr::MethodCall(m) => self.method(m),
            Expr::Call(c) => self.call(c),
            Expr::Struct(s) => self.built.push(token_words(&s.path)),
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => {
                self.loops = true;
                self.branches = true;
            }
            Expr::If(_) | Expr::Match(_) => self.branches = true,
            Expr::Try(_) => {
                self.fallible = true;
                self.branches = true;
            }
            Expr::Await(a) => {
                if let Expr::MethodCall(m) = &*a.base
                    && matches!(m.method.to_string().as_str(), "send" | "send_with_retry")
                    && !token_words(&m.receiver).any(&["tx", "sender", "chan", "channel"])
                {
                    self.remote = true;
                }
            }
            Expr::Macro(m) => self.mac(&m.mac),
            _ => {}
        }
        syn::visit::visit_expr(self, e);
    }

    fn visit_stmt_macro(&mut self, m: &'ast syn::StmtMacro) {
        self.mac(&m.mac);
        syn::visit::visit_stmt_macro(self, m);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        let w = token_words(&m.expr);
        self.cmps.push(Cmp {
            left_stored: rooted_at_self(&m.expr),
            timed: is_clocky(&w),
            left: w,
            ..Cmp::default()
        });
        for arm in &m.arms {
            if quote::ToTokens::to_token_stream(&arm.pat)
                .to_string()
                .contains("Err")
            {
                self.fallible = true;
            }
        }
        syn::visit::visit_expr_match(self, m);
    }

    fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
        self.all.words.extend(words_of(&i.to_string()));
    }
}

impl Behaviour {
    fn mac(&mut self, m: &syn::Macro) {
        let name = crate::engine::macro_name(m);
        let mut w = Words::default();
        macro_words(&m.tokens, &mut w);
        match name.as_str() {
            // A request body for another process.
            "json" | "doc" => self.remote = true,
            "select" => {
                self.branches = true;
                if w.any(&["sleep", "tick", "interval", "timeout"]) {
                    self.sleeps = true;
                }
            }
            _ => {}
        }
        if w.any(&["sleep", "tick"]) && name == "select" {
            self.loops = true;
        }
        self.all.extend(&w);
    }
}

/// The text of a literal, for small checks.
trait LitText {
    fn to_token_stream_text(&self) -> String;
}

impl LitText for syn::Lit {
    fn to_token_stream_text(&self) -> String {
        quote::ToTokens::to_token_stream(self).to_string()
    }
}
