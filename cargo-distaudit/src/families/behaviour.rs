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
    /// A side is a constant (`Version(3, 5, 0)`, `MAX_LEN`, a literal): nothing presented.
    pub left_const: bool,
    pub right_const: bool,
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
        // A stored value held against a constant is a setting or a protocol version, not a
        // token presented by someone else.
        if (self.left_stored && self.right_const) || (self.right_stored && self.left_const) {
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
    /// Values one step from another (`offset + 1`, `committed - 1`).
    pub stepped: Vec<Words>,
    /// Places advanced that are the item's own state (`self.offset += n`, or through a
    /// local bound to it), not a local counter.
    pub advanced_stored: Vec<Words>,
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
    /// A `&self` method changes its own state through interior mutability (`self.x.lock()`,
    /// `self.n.fetch_add(..)`, `self.x.borrow_mut()`).
    pub interior: bool,
    /// Locals bound in the body: their name, the words of their type and initialiser, and
    /// whether they derive from the item's own state.
    pub(super) locals: Vec<(String, Words, bool)>,
    /// Fields of struct literals given the item's own state (`term: self.current_term`):
    /// the field's words.
    pub stamped: Vec<Words>,
    /// A `loop`/`while` repeats a fallible call when it fails (an `Err` arm that
    /// `continue`s).
    pub repeats_on_err: bool,
    /// The words of the handlers of `select!` arms whose future is a timer (`sleep`,
    /// `tick`, `timeout`): what happens when time passes with nothing received.
    pub timer_handlers: Vec<Words>,
    /// Calls that arm a timer (`submit_after`, `schedule`): their argument words.
    pub timers_armed: Vec<Words>,
    /// A time since something divided by an interval (`elapsed / mean_interval`).
    pub time_ratio: bool,
    /// The sleep's duration is computed (not a literal constant).
    pub computed_sleep: bool,
    /// On success of an awaited effect, the operation's id is recorded (`Ok(()) =>
    /// done.push(id)`): which operations took effect is remembered.
    pub records_outcome: bool,
    /// Releases something it names (`release(&self.id)`, `delete(path)`): a lock held
    /// under a key or a node, not a local mutex's argument-less `unlock()`.
    pub releases_named: bool,
    /// A write made conditional on the other side (`condition_expression(..)`,
    /// `if_match(..)`, `compare_and_swap(..)`): a compare-and-set decided remotely.
    pub conditional_write: bool,
    /// Assignments as (place, value) words.
    pub assigned_values: Vec<(Words, Words)>,
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

/// The local an expression reads through (`x.term`, `&x`, `x.lock()`), if any.
fn root_ident(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
        Expr::Field(f) => root_ident(&f.base),
        Expr::MethodCall(m) => root_ident(&m.receiver),
        Expr::Reference(r) => root_ident(&r.expr),
        Expr::Unary(u) => root_ident(&u.expr),
        Expr::Paren(p) => root_ident(&p.expr),
        Expr::Index(i) => root_ident(&i.expr),
        Expr::Try(t) => root_ident(&t.expr),
        Expr::Await(a) => root_ident(&a.base),
        Expr::Group(g) => root_ident(&g.expr),
        _ => None,
    }
}

/// Whether an expression is a constant: a literal, a `CONST`, or a constructor applied to
/// constants only (`Version(3, 5, 0)`).
fn is_const(e: &Expr) -> bool {
    match e {
        Expr::Lit(_) => true,
        Expr::Path(p) => p.path.segments.last().is_some_and(|s| {
            let t = s.ident.to_string();
            t.len() > 1
                && t.chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        }),
        Expr::Call(c) => !c.args.is_empty() && c.args.iter().all(is_const),
        Expr::Reference(r) => is_const(&r.expr),
        Expr::Paren(p) => is_const(&p.expr),
        Expr::Group(g) => is_const(&g.expr),
        Expr::Unary(u) => is_const(&u.expr),
        _ => false,
    }
}

/// Whether an expression mentions `self` anywhere.
fn mentions_self(e: &Expr) -> bool {
    struct Finds(bool);
    impl<'ast> Visit<'ast> for Finds {
        fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
            if i == "self" {
                self.0 = true;
            }
        }
        fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
            if p.path.is_ident("self") {
                self.0 = true;
            }
            syn::visit::visit_expr_path(self, p);
        }
    }
    let mut f = Finds(false);
    f.visit_expr(e);
    f.0
}

/// The identifiers a pattern binds.
fn bound_idents(p: &syn::Pat) -> Vec<String> {
    struct Binds(Vec<String>);
    impl<'ast> Visit<'ast> for Binds {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.0.push(p.ident.to_string());
            syn::visit::visit_pat_ident(self, p);
        }
    }
    let mut b = Binds(Vec::new());
    b.visit_pat(p);
    b.0
}

/// Whether an arm's body leaves the loop with its value (`return ..`, `break ..`), or
/// is the value of a `return match`.
fn leaves(e: &Expr) -> bool {
    match e {
        Expr::Return(_) | Expr::Break(_) => true,
        Expr::Block(b) => matches!(
            b.block.stmts.last(),
            Some(syn::Stmt::Expr(Expr::Return(_) | Expr::Break(_), _))
        ),
        _ => false,
    }
}

/// Whether a block (a loop's body) holds a `match` on a call with an `Err` arm that
/// starts the loop over while success leaves it: the call is repeated until it succeeds
/// (an accept loop that skips a failed connection goes on to the next one instead).
fn continues_on_err(block: &syn::Block) -> bool {
    struct Finds {
        found: bool,
        in_return: bool,
    }
    impl<'ast> Visit<'ast> for Finds {
        fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
            let was = std::mem::replace(&mut self.in_return, true);
            syn::visit::visit_expr_return(self, r);
            self.in_return = was;
        }
        fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
            let on_call = matches!(
                &*m.expr,
                Expr::Await(_) | Expr::Call(_) | Expr::MethodCall(_)
            );
            let again = |body: &Expr| {
                struct Cont(bool);
                impl<'ast> Visit<'ast> for Cont {
                    fn visit_expr_continue(&mut self, _: &'ast syn::ExprContinue) {
                        self.0 = true;
                    }
                    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
                }
                let mut c = Cont(false);
                c.visit_expr(body);
                c.0
            };
            let is_err = |a: &syn::Arm| {
                quote::ToTokens::to_token_stream(&a.pat)
                    .to_string()
                    .contains("Err")
            };
            let retried = m.arms.iter().any(|a| is_err(a) && again(&a.body));
            let success_leaves =
                self.in_return || m.arms.iter().any(|a| !is_err(a) && leaves(&a.body));
            if on_call && retried && success_leaves {
                self.found = true;
            }
            let was = std::mem::replace(&mut self.in_return, false);
            syn::visit::visit_expr_match(self, m);
            self.in_return = was;
        }
        // A loop inside is its own.
        fn visit_expr_loop(&mut self, _: &'ast syn::ExprLoop) {}
        fn visit_expr_while(&mut self, _: &'ast syn::ExprWhile) {}
        fn visit_expr_for_loop(&mut self, _: &'ast syn::ExprForLoop) {}
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut f = Finds {
        found: false,
        in_return: false,
    };
    f.visit_block(block);
    f.found
}

/// Whether an expression records an id (`ids.push(id)`, `seen.insert(key)`,
/// `log.record_success(id)`).
fn records_id(e: &Expr) -> bool {
    struct Finds(bool);
    impl<'ast> Visit<'ast> for Finds {
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            let name = Words::of(&[m.method.to_string()]);
            if name.any(&["push", "insert", "record", "mark", "ack"])
                && m.args
                    .iter()
                    .any(|a| token_words(a).any(&["id", "ids", "key", "opid"]))
            {
                self.0 = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
    }
    let mut f = Finds(false);
    f.visit_expr(e);
    f.0
}

/// One arm of a `select!`: `pattern = future => handler`.
struct SelectArm {
    future: Expr,
    handler: Expr,
}

/// The arms of a `tokio::select!`/`futures::select!` body, when it parses as one
/// (`biased;`, `, if cond` preconditions and an `else` arm allowed); `None` otherwise.
fn select_arms(tokens: &proc_macro2::TokenStream) -> Option<Vec<SelectArm>> {
    use syn::Token;
    use syn::parse::{ParseStream, Parser};
    let parse = |input: ParseStream<'_>| -> syn::Result<Vec<SelectArm>> {
        let mut arms = Vec::new();
        if input.peek(syn::Ident) && input.peek2(Token![;]) {
            input.parse::<syn::Ident>()?;
            input.parse::<Token![;]>()?;
        }
        while !input.is_empty() {
            let future: Expr = if input.peek(Token![else]) {
                input.parse::<Token![else]>()?;
                Expr::Verbatim(proc_macro2::TokenStream::new())
            } else {
                syn::Pat::parse_single(input)?;
                input.parse::<Token![=]>()?;
                let f: Expr = input.parse()?;
                if input.peek(Token![,]) && input.peek2(Token![if]) {
                    input.parse::<Token![,]>()?;
                    input.parse::<Token![if]>()?;
                    input.parse::<Expr>()?;
                }
                f
            };
            input.parse::<Token![=>]>()?;
            let handler: Expr = input.parse()?;
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            }
            arms.push(SelectArm { future, handler });
        }
        Ok(arms)
    };
    parse.parse2(tokens.clone()).ok()
}

/// Method calls that change a `&self` receiver's state through interior mutability.
const INTERIOR: [&str; 14] = [
    "lock",
    "write",
    "borrow_mut",
    "get_mut",
    "store",
    "swap",
    "fetch_add",
    "fetch_sub",
    "fetch_max",
    "fetch_update",
    "compare_exchange",
    "compare_exchange_weak",
    "try_lock",
    "replace",
];

impl Behaviour {
    /// A function's body, its parameters known as locals of their type (`term: Term` is a
    /// term presented by the caller).
    pub(super) fn of_fn(sig: &syn::Signature, block: &syn::Block) -> Behaviour {
        let mut locals = Vec::new();
        for input in &sig.inputs {
            if let syn::FnArg::Typed(pt) = input {
                let w = token_words(&*pt.ty);
                for name in bound_idents(&pt.pat) {
                    locals.push((name, w.clone(), false));
                }
            }
        }
        Self::read(block, locals)
    }

    fn read(block: &syn::Block, locals: Vec<(String, Words, bool)>) -> Behaviour {
        let mut b = Behaviour {
            statements: block.stmts.len(),
            locals,
            ..Behaviour::default()
        };
        b.visit_block(block);
        // `atomic::fence(..)` is a memory fence, not a fencing token.
        if b.memory_fence {
            b.all.words.retain(|w| w != "fence");
        }
        b
    }

    /// Whether an expression reads the item's own state, directly or through a local bound
    /// to it.
    fn stored(&self, e: &Expr) -> bool {
        rooted_at_self(e)
            || root_ident(e).is_some_and(|r| {
                self.locals
                    .iter()
                    .rev()
                    .find(|(n, _, _)| *n == r)
                    .is_some_and(|(_, _, s)| *s)
            })
    }

    /// An expression's words, with those of the local it reads through (its type and what
    /// it was bound to).
    fn side_words(&self, e: &Expr) -> Words {
        let mut w = token_words(e);
        if let Some(r) = root_ident(e)
            && let Some((_, lw, _)) = self.locals.iter().rev().find(|(n, _, _)| *n == r)
        {
            w.extend(lw);
        }
        w
    }

    fn bind(&mut self, pat: &syn::Pat, init: &Expr) {
        let stored = self.stored(init) || mentions_self(init);
        let mut w = self.side_words(init);
        if let syn::Pat::Type(pt) = pat {
            w.extend(&token_words(&*pt.ty));
        }
        for name in bound_idents(pat) {
            if name != "self" {
                self.locals.push((name, w.clone(), stored));
            }
        }
    }

    fn compare(&mut self, left: &Expr, right: &Expr, ordering: bool) {
        let (lw, rw) = (self.side_words(left), self.side_words(right));
        if lw.has("len") && rw.any(&["capacity", "max", "limit", "bound", "budget"])
            || rw.has("len") && lw.any(&["capacity", "max", "limit", "bound", "budget"])
        {
            self.queue_bound = true;
        }
        let timed = is_clocky(&lw) || is_clocky(&rw);
        self.cmps.push(Cmp {
            left_stored: self.stored(left),
            right_stored: self.stored(right),
            left_const: is_const(left),
            right_const: is_const(right),
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
                if self.stored(&m.receiver) {
                    self.advanced_stored.push(self.side_words(&m.receiver));
                }
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
            "sleep" | "sleep_until" | "delay" => {
                self.sleeps = true;
                if m.args
                    .first()
                    .is_some_and(|a| !is_const(a) && !const_duration(a))
                {
                    self.computed_sleep = true;
                }
            }
            "is_err" | "is_ok" | "map_err" | "or_else" => self.fallible = true,
            "elapsed" | "duration_since" | "signed_duration_since" => self.clock = true,
            "await" => {}
            _ => {}
        }
        if REMOTE_CALLS.contains(&name.as_str()) {
            self.remote = true;
        }
        let mw = Words::of(std::slice::from_ref(&name));
        if mw
            .words
            .first()
            .is_some_and(|w| ["release", "unlock", "delete"].contains(&w.as_str()))
            && !m.args.is_empty()
        {
            self.releases_named = true;
        }
        if mw.any(&["condition", "conditional", "precondition"])
            || matches!(
                name.as_str(),
                "if_match" | "if_none_match" | "compare_and_swap" | "compare_and_set" | "cas"
            )
        {
            self.conditional_write = true;
        }
        if INTERIOR.contains(&name.as_str()) && rooted_at_self(&m.receiver) {
            self.interior = true;
        }
        self.arms_timer(&name, m.args.iter());
        self.calls.push(name);
    }

    /// `runtime.submit_after(Timer::Probe(..), period)`, `schedule(..)`: a timer armed,
    /// with its argument words.
    fn arms_timer<'e>(&mut self, name: &str, args: impl Iterator<Item = &'e Expr>) {
        let w = Words::of(&[name.to_string()]);
        if w.any(&["after", "schedule", "timer"]) && !w.any(&["cancel", "clear", "remove"]) {
            let mut aw = Words::default();
            for a in args {
                aw.extend(&token_words(a));
            }
            self.timers_armed.push(aw);
        }
    }

    fn call(&mut self, c: &syn::ExprCall) {
        let path = token_words(&c.func);
        if path.any(&["sleep", "sleep_until", "delay_for"]) {
            self.sleeps = true;
            if c.args
                .first()
                .is_some_and(|a| !is_const(a) && !const_duration(a))
            {
                self.computed_sleep = true;
            }
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
                let last_name = last.clone();
                self.arms_timer(&last_name, c.args.iter());
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
                    if self.stored(&b.left) {
                        self.advanced_stored.push(self.side_words(&b.left));
                    }
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
                    // `consumed + 1`, `committed - 1`: the next position to read from the
                    // last one handled, or back.
                    if matches!(&*b.right, Expr::Lit(lit) if lit.lit.to_token_stream_text() == "1")
                    {
                        self.stepped.push(l);
                    }
                }
                BinOp::Div(_) if is_clocky(&self.side_words(&b.left)) => {
                    self.time_ratio = true;
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
                    if self.stored(&a.left) {
                        self.advanced_stored.push(self.side_words(&a.left));
                    }
                }
                if matches!(&*a.right, Expr::Binary(b) if matches!(b.op, BinOp::Mul(_) | BinOp::Shl(_)))
                {
                    self.grows_delay = true;
                }
                self.assigned_values
                    .push((token_words(&a.left), token_words(&a.right)));
                self.assigned.push(token_words(&a.left));
            }
            Expr::MethodCall(m) => self.method(m),
            Expr::Call(c) => self.call(c),
            Expr::Struct(s) => {
                self.built.push(token_words(&s.path));
                // A literal copying only its own state is a report of it (metrics); one
                // that carries something new under its own term is stamped.
                if s.fields.iter().any(|f| !self.stored(&f.expr)) {
                    for f in &s.fields {
                        if let syn::Member::Named(name) = &f.member
                            && self.stored(&f.expr)
                        {
                            self.stamped.push(Words::of(&[name.to_string()]));
                        }
                    }
                }
            }
            Expr::Loop(l) => {
                self.loops = true;
                self.branches = true;
                self.repeats_on_err |= continues_on_err(&l.body);
            }
            Expr::While(w) => {
                self.loops = true;
                self.branches = true;
                self.repeats_on_err |= continues_on_err(&w.body);
            }
            Expr::ForLoop(_) => {
                self.loops = true;
                self.branches = true;
            }
            Expr::Let(l) => self.bind(&l.pat, &l.expr),
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

    fn visit_local(&mut self, l: &'ast syn::Local) {
        // The initialiser first: the binding is in scope after it.
        if let Some(init) = &l.init {
            self.visit_expr(&init.expr);
            if let Some((_, e)) = &init.diverge {
                self.visit_expr(e);
            }
            self.bind(&l.pat, &init.expr);
        }
        self.visit_pat(&l.pat);
    }

    fn visit_stmt_macro(&mut self, m: &'ast syn::StmtMacro) {
        self.mac(&m.mac);
        syn::visit::visit_stmt_macro(self, m);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        // (The scrutinee's own words: a parameter's type says what it is, not what is
        // decided on it.)
        let w = token_words(&*m.expr);
        self.cmps.push(Cmp {
            left_stored: self.stored(&m.expr),
            timed: is_clocky(&w),
            left: w,
            ..Cmp::default()
        });
        let on_effect = matches!(&*m.expr, Expr::Await(_))
            || matches!(&*m.expr, Expr::Try(t) if matches!(&*t.expr, Expr::Await(_)));
        for arm in &m.arms {
            let pat = quote::ToTokens::to_token_stream(&arm.pat).to_string();
            if pat.contains("Err") {
                self.fallible = true;
            }
            if on_effect && pat.contains("Ok") && records_id(&arm.body) {
                self.records_outcome = true;
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
                // Read as code where the body parses as arms: the futures raced and what
                // each arm does.
                for arm in select_arms(&m.tokens).unwrap_or_default() {
                    let fw = token_words(&arm.future);
                    if fw.any(&[
                        "sleep",
                        "sleep_until",
                        "tick",
                        "timeout",
                        "interval",
                        "deadline",
                        "timer",
                    ]) {
                        let mut hw = token_words(&arm.handler);
                        hw.extend(&fw);
                        self.timer_handlers.push(hw);
                    }
                    self.visit_expr(&arm.future);
                    self.visit_expr(&arm.handler);
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

/// `Duration::from_secs(5)`: a constant pause.
fn const_duration(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => token_words(&c.func).has("duration") && c.args.iter().all(is_const),
        Expr::Reference(r) => const_duration(&r.expr),
        _ => false,
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
