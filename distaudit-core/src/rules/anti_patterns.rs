//! The anti-pattern detectors, run over the bodies of annotated items (by the attribute)
//! and of all code (by `cargo distaudit`). Which anti-patterns apply to an item is the
//! registry's list for its patterns, resolved in [`crate::analyze`].
//!
//! Calls are matched by the path as written: the attribute cannot see the module's `use`
//! lines, so `use std::sync::mpsc::channel as make; make()` is not recognised (documented in
//! the crate docs, with the other known misses).

use super::Context;
use crate::catalogue::AntiPattern;
use crate::diag::{Code, Finding};
use crate::item::Subject;
use crate::registry::Registry;
use crate::walk::{self, Hooks, Walk};
use proc_macro2::Span;
use quote::ToTokens;
use syn::{Expr, Pat, Stmt};

/// One anti-pattern occurrence in a body, before `allow` is applied.
#[derive(Clone, Debug)]
pub struct Detected {
    pub anti_pattern: AntiPattern,
    /// The first token of what was found.
    pub span: Span,
    /// Its last token: a finding underlines a whole call, path or pattern.
    pub end: Span,
    /// What was found, in words.
    pub what: String,
}

/// Methods whose result reports whether submitted work was accepted, or whether a
/// coordination step (a release, a renewal, a checkpoint) took effect.
const SUBMIT: [&str; 14] = [
    "try_send",
    "push",
    "enqueue",
    "checkpoint",
    "complete",
    "ack",
    "commit",
    "release",
    "release_lock",
    "unlock",
    "renew",
    "revoke",
    "delete",
    "send",
];
/// Receivers whose `send` hands over work (a job queue); any other `send` is a reply or
/// a notification, whose failure only means nobody is listening any more.
const WORK_QUEUES: [&str; 8] = [
    "queue", "work", "job", "jobs", "task", "tasks", "batch", "outbox",
];
/// Network operations whose failure must be handled.
const NETWORK: [&str; 12] = [
    "send",
    "recv",
    "try_send",
    "try_recv",
    "send_to",
    "recv_from",
    "connect",
    "write_all",
    "read_exact",
    "send_timeout",
    "recv_timeout",
    "request",
];
/// Names of methods that declare a node gone.
const DECLARE_DEAD: [&str; 8] = [
    "dead",
    "evict",
    "mark_failed",
    "fail_node",
    "remove_node",
    "remove_member",
    "remove_worker",
    "expel",
];

fn path_segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

fn ends_with(segs: &[String], tail: &[&str]) -> bool {
    segs.len() >= tail.len()
        && segs[segs.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

/// The calls that read a wall clock, by the tail of their path.
const CLOCKS: [&[&str]; 8] = [
    &["Instant", "now"],
    &["SystemTime", "now"],
    &["Utc", "now"],
    &["Local", "now"],
    &["OffsetDateTime", "now_utc"],
    &["OffsetDateTime", "now_local"],
    // jiff
    &["Timestamp", "now"],
    &["Zoned", "now"],
];

/// Constructors of unbounded queues (`channel` only as std's `mpsc::channel()`).
const UNBOUNDED: [&str; 3] = ["channel", "unbounded_channel", "unbounded"];

/// Methods whose `.unwrap()`/`.expect()` on a network result is a finding.
const UNWRAPS: [&str; 2] = ["unwrap", "expect"];

/// A clock read: `Instant::now()`, `SystemTime::now()`, `Utc::now()`, `Local::now()`,
/// `OffsetDateTime::now_utc()`, fully qualified or not.
fn clock_read(expr: &Expr) -> Option<String> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(p) = &*call.func else {
        return None;
    };
    let segs = path_segments(&p.path);
    CLOCKS
        .iter()
        .any(|c| ends_with(&segs, c))
        .then(|| segs.join("::") + "()")
}

fn unbounded_channel(call: &syn::ExprCall) -> Option<String> {
    let Expr::Path(p) = &*call.func else {
        return None;
    };
    let segs = path_segments(&p.path);
    let last = segs.last()?.as_str();
    let hit = match last {
        // std's mpsc::channel() takes no capacity; tokio's mpsc::channel(n) does and is bounded.
        "channel" => ends_with(&segs, &["mpsc", "channel"]) && call.args.is_empty(),
        other => UNBOUNDED.contains(&other),
    };
    hit.then(|| segs.join("::") + "()")
}

fn method_name(expr: &Expr) -> Option<String> {
    match peel(expr) {
        Expr::MethodCall(m) => Some(m.method.to_string()),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a `send`/`recv` is on an in-process channel end, by its name (`tx`, `rx`,
/// `reply_tx`, `sender`, `recv_msg`, ..) as the receiver or the argument (`oper.recv(&rx)`): a closed
/// local channel means the other thread is gone, not that a network failed.
fn on_local_channel(call: &Expr) -> bool {
    fn local(e: &Expr) -> bool {
        const ENDS: [&str; 7] = ["tx", "rx", "sender", "receiver", "recv", "chan", "channel"];
        let name = match peel(e) {
            Expr::Reference(r) => return local(&r.expr),
            Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            Expr::Field(f) => match &f.member {
                syn::Member::Named(n) => Some(n.to_string()),
                syn::Member::Unnamed(_) => None,
            },
            _ => None,
        };
        name.is_some_and(|n| {
            let n = n.trim_start_matches("r#");
            ENDS.iter().any(|end| {
                n == *end || n.ends_with(&format!("_{end}")) || n.starts_with(&format!("{end}_"))
            })
        })
    }
    match peel(call) {
        Expr::MethodCall(m) => local(&m.receiver) || m.args.iter().any(local),
        _ => false,
    }
}

/// Look through `.await`, parentheses and groups.
fn peel(expr: &Expr) -> &Expr {
    match expr {
        Expr::Await(a) => peel(&a.base),
        Expr::Paren(p) => peel(&p.expr),
        Expr::Group(g) => peel(&g.expr),
        other => other,
    }
}

/// Whether an expression submits work or takes a coordination step whose failure
/// matters: `queue.try_send(job)`, `lease.release().await`, `jobs.send(job)`, or such a
/// call made through a wrapper (`retry(|| self.delete(path)).await`). A `send` to a reply
/// or event channel (`reply_tx.send(result)`) drops no work when its receiver has gone.
fn is_submission(expr: &Expr) -> bool {
    submission_name(expr).is_some()
}

fn submission_name(expr: &Expr) -> Option<String> {
    let name = method_name(expr)?;
    if name == "send" {
        let Expr::MethodCall(m) = peel(expr) else {
            return None;
        };
        let receiver = m
            .receiver
            .to_token_stream()
            .to_string()
            .to_ascii_lowercase();
        return receiver
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| WORK_QUEUES.contains(&w))
            .then_some(name);
    }
    if SUBMIT.contains(&name.as_str()) {
        return Some(name);
    }
    // A wrapper around the step: its closure argument makes the call.
    let args: Vec<&Expr> = match peel(expr) {
        Expr::Call(c) => c.args.iter().collect(),
        Expr::MethodCall(m) => m.args.iter().collect(),
        _ => Vec::new(),
    };
    args.into_iter().find_map(|a| match a {
        Expr::Closure(c) => submission_name(&c.body).filter(|n| n != "send"),
        _ => None,
    })
}

fn is_empty_body(expr: &Expr) -> bool {
    match expr {
        Expr::Block(b) => b.block.stmts.is_empty() && b.label.is_none(),
        Expr::Tuple(t) => t.elems.is_empty(),
        _ => false,
    }
}

/// `Err(_)` / `Err(..)`: an arm that ignores what the error was.
fn is_wild_err(pat: &Pat) -> bool {
    match pat {
        Pat::TupleStruct(ts) => {
            ts.path.is_ident("Err")
                && ts.elems.len() <= 1
                && ts
                    .elems
                    .iter()
                    .all(|p| matches!(p, Pat::Wild(_) | Pat::Rest(_)))
        }
        _ => false,
    }
}

fn mentions_timeout(tokens: &str) -> bool {
    let t = tokens.to_ascii_lowercase();
    t.contains("timeout")
        || t.contains("elapsed")
        || t.contains("timedout")
        || t.contains("deadline")
}

fn declares_dead(expr: &Expr) -> Option<String> {
    struct Calls(Option<String>);
    impl Hooks for Calls {
        fn expr(&mut self, e: &Expr) -> Walk {
            let name = match e {
                Expr::MethodCall(m) => Some(m.method.to_string()),
                Expr::Call(c) => match &*c.func {
                    Expr::Path(p) => p.path.segments.last().map(|seg| seg.ident.to_string()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(name) = name
                && DECLARE_DEAD.iter().any(|d| name.contains(d))
            {
                self.0.get_or_insert(name);
            }
            Walk::Descend
        }
    }
    let mut calls = Calls(None);
    walk::expr(expr, &mut calls);
    calls.0
}

/// A field access on something other than `self` (`msg.sent_at`): a value from elsewhere.
fn foreign_timestamp(expr: &Expr) -> Option<String> {
    match peel(expr) {
        Expr::Field(f) => {
            let base = f.base.to_token_stream().to_string();
            let member = f.member.to_token_stream().to_string();
            let looks_like_time = ["time", "ts", "_at", "stamp", "clock", "instant", "deadline"]
                .iter()
                .any(|w| member.contains(w));
            (!base.starts_with("self") && looks_like_time)
                .then(|| format!("{base}.{member}").replace(' ', ""))
        }
        Expr::MethodCall(m) => foreign_timestamp(&m.receiver),
        _ => None,
    }
}

struct Scanner<'a> {
    applies: &'a dyn Fn(AntiPattern) -> bool,
    found: Vec<Detected>,
}

impl Scanner<'_> {
    fn push(&mut self, anti_pattern: AntiPattern, node: &dyn ToTokens, what: String) {
        if (self.applies)(anti_pattern) {
            let (span, end) = crate::diag::token_range(node);
            self.found.push(Detected {
                anti_pattern,
                span,
                end,
                what,
            });
        }
    }

    fn check_timeout_arm(&mut self, scrutinee: &Expr, pat: &Pat, body: &Expr) {
        let scrut = scrutinee.to_token_stream().to_string();
        let pat_text = pat.to_token_stream().to_string();
        let timeout_arm = (is_wild_err(pat) && mentions_timeout(&scrut))
            || (pat_text.contains("Err") && mentions_timeout(&pat_text));
        if timeout_arm && let Some(call) = declares_dead(body) {
            self.push(
                AntiPattern::NoResponseIsFailure,
                pat,
                format!("a timeout is taken as proof of failure: this arm calls `{call}` without a suspicion step"),
            );
        }
    }
}

impl Hooks for Scanner<'_> {
    fn expr(&mut self, expr: &Expr) -> Walk {
        if (self.applies)(AntiPattern::WallClock)
            && let Some(clock) = clock_read(expr)
        {
            self.push(
                AntiPattern::WallClock,
                expr,
                format!("`{clock}` reads a wall clock where this item decides safety"),
            );
        }
        match expr {
            Expr::MethodCall(m) if UNWRAPS.iter().any(|u| m.method == u) => {
                if let Some(name) = method_name(&m.receiver)
                    && NETWORK.contains(&name.as_str())
                    && !on_local_channel(&m.receiver)
                {
                    self.push(
                        AntiPattern::NetworkReliability,
                        &m.method,
                        format!("`.{}()` on the result of `{name}` assumes the network operation cannot fail", m.method),
                    );
                }
            }
            Expr::Binary(b)
                if matches!(
                    b.op,
                    syn::BinOp::Lt(_)
                        | syn::BinOp::Le(_)
                        | syn::BinOp::Gt(_)
                        | syn::BinOp::Ge(_)
                        | syn::BinOp::Sub(_)
                ) =>
            {
                let pair = [(&b.left, &b.right), (&b.right, &b.left)];
                for (local, remote) in pair {
                    if clock_read(peel(local)).is_some()
                        && let Some(field) = foreign_timestamp(remote)
                    {
                        self.push(
                            AntiPattern::ClockSync,
                            b,
                            format!("a local clock reading is compared with `{field}`, a timestamp taken elsewhere"),
                        );
                        break;
                    }
                }
            }
            Expr::MethodCall(m)
                if m.method == "duration_since" || m.method == "signed_duration_since" =>
            {
                if clock_read(peel(&m.receiver)).is_some()
                    && let Some(arg) = m.args.first()
                    && let Some(field) = foreign_timestamp(arg)
                {
                    self.push(
                        AntiPattern::ClockSync,
                        m,
                        format!("a local clock reading is compared with `{field}`, a timestamp taken elsewhere"),
                    );
                }
            }
            Expr::Match(m) => {
                for arm in &m.arms {
                    if is_wild_err(&arm.pat) && is_empty_body(&arm.body) {
                        self.push(
                            AntiPattern::SilentDrop,
                            &arm.pat,
                            "an `Err(_) => {}` arm drops a failure without a trace".into(),
                        );
                    }
                    self.check_timeout_arm(&m.expr, &arm.pat, &arm.body);
                }
            }
            Expr::If(i) => {
                if let Expr::Let(l) = &*i.cond {
                    let then = Expr::Block(syn::ExprBlock {
                        attrs: Vec::new(),
                        label: None,
                        block: i.then_branch.clone(),
                    });
                    self.check_timeout_arm(&l.expr, &l.pat, &then);
                }
            }
            _ => {}
        }
        if let Expr::Call(call) = expr
            && let Some(path) = unbounded_channel(call)
        {
            self.push(
                AntiPattern::UnboundedQueue,
                call,
                format!("`{path}` creates an unbounded queue"),
            );
        }
        Walk::Descend
    }

    fn stmt(&mut self, stmt: &Stmt) -> Walk {
        match stmt {
            Stmt::Local(local) if matches!(local.pat, Pat::Wild(_)) => {
                if let Some(init) = &local.init
                    && let Some(name) = submission_name(&init.expr)
                {
                    self.push(
                        AntiPattern::SilentDrop,
                        &local.pat,
                        format!("`let _ = ..{name}(..)` throws away whether the work was accepted"),
                    );
                }
            }
            Stmt::Expr(Expr::MethodCall(m), Some(_))
                if (m.method == "ok" || m.method == "ignore")
                    && m.args.is_empty()
                    && is_submission(&m.receiver) =>
            {
                let name = submission_name(&m.receiver).unwrap_or_default();
                self.push(
                    AntiPattern::SilentDrop,
                    &m.method,
                    format!(
                        "`..{name}(..).{}();` throws away whether the work was accepted",
                        m.method
                    ),
                );
            }
            _ => {}
        }
        Walk::Descend
    }
}

/// Whether any detector could fire on a body with these tokens: a cheap pre-scan so the
/// attribute can skip building a syntax tree of a body that names none of the triggers.
/// Conservative: a `true` only means "parse and look".
#[must_use]
pub fn may_match(body: &proc_macro2::TokenStream) -> bool {
    // Read as text, in one step: the compiler prints the tokens, where walking them would
    // cross into it once per group. Words of string literals and comments-turned-docs are
    // read too, which only makes the answer more conservative.
    body.to_string()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| {
            // Every finding needs a clock read, a queue constructor, an unwrap (network),
            // `.ok()` or a submission method (silent drop), or an `Err` pattern (silent drop,
            // no response is failure; a substring, as `check_timeout_arm` reads patterns).
            !word.is_empty()
                && (CLOCKS.iter().any(|c| c.last() == Some(&word))
                    || UNBOUNDED.contains(&word)
                    || UNWRAPS.contains(&word)
                    || word == "ok"
                    || word == "ignore"
                    || SUBMIT.contains(&word)
                    || word.contains("Err"))
        })
}

/// Scan every function body of the subject (methods of an impl or trait, items of an
/// inline module) for the anti-patterns that `applies` admits.
#[must_use]
pub fn detect(subject: &Subject, applies: &dyn Fn(AntiPattern) -> bool) -> Vec<Detected> {
    let mut scanner = Scanner {
        applies,
        found: Vec::new(),
    };
    match subject {
        Subject::Fn(f) => walk::block(&f.block, &mut scanner),
        Subject::Impl(i) => {
            for item in &i.items {
                if let syn::ImplItem::Fn(f) = item {
                    walk::block(&f.block, &mut scanner);
                }
            }
        }
        Subject::Trait(t) => {
            for item in &t.items {
                if let syn::TraitItem::Fn(f) = item
                    && let Some(b) = &f.default
                {
                    walk::block(b, &mut scanner);
                }
            }
        }
        Subject::Mod(m) => {
            if let Some((_, items)) = &m.content {
                for item in items {
                    walk::item(item, &mut scanner);
                }
            }
        }
        Subject::Struct(_) | Subject::Enum(_) => {}
    }
    scanner.found
}

/// The finding for one detected anti-pattern: the same text wherever it is reported.
#[must_use]
pub fn finding(registry: &Registry, found: &Detected) -> Finding {
    let ap = found.anti_pattern;
    let (statement, why, fix, sources) = match registry.anti_pattern(ap) {
        Some(e) => (
            e.statement.as_str(),
            e.why.as_str(),
            e.fix.as_str(),
            registry.short_references(&e.sources),
        ),
        None => ("", "", "", String::new()),
    };
    Finding::new(
        Code::Anti(ap),
        found.span,
        found.what.clone(),
        format!(
            "anti-pattern {} ({}): {statement} {why} ({sources})",
            ap.number(),
            ap.slug()
        ),
        format!(
            "{}; if this is a justified exception, add `allow({} = \"<why it is safe here>\")`",
            lowercase_first(fix.trim_end_matches('.')),
            ap.slug()
        ),
    )
    .through(found.end)
}

/// Fix texts start in lower case, like every other fix.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(super) fn in_bodies(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let audit = ctx.audit;
    let found = detect(ctx.subject, &|ap| audit.applies(ap));
    let mut out: Vec<Finding> = found
        .iter()
        .filter(|f| !audit.allows(f.anti_pattern))
        .map(|f| finding(audit.registry, f))
        .collect();
    for allow in &audit.allows {
        if allow.anti_pattern != AntiPattern::NovelConsensus
            && !found.iter().any(|f| f.anti_pattern == allow.anti_pattern)
        {
            out.push(Finding::new(
                Code::UnusedAllow,
                allow.slug.span,
                format!(
                    "`allow({})` excuses nothing in this item",
                    allow.anti_pattern
                ),
                "an exception that matches no finding misleads reviewers reading the docs",
                "remove the `allow`, or move it to the item that needs it",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::detect;
    use crate::catalogue::AntiPattern;
    use crate::diag::Code;
    use crate::rules::test_support::codes;
    use quote::quote;

    fn lease(body: proc_macro2::TokenStream) -> Vec<Code> {
        codes(
            quote!(pattern = "lease", cite = "gray-cheriton-1989"),
            quote!(fn f(&self) { #body }),
        )
    }
    fn backpressure(body: proc_macro2::TokenStream) -> Vec<Code> {
        codes(
            quote!(pattern = "backpressure", cite = "welsh-2001"),
            quote!(fn f(&self) { #body }),
        )
    }
    fn retry(body: proc_macro2::TokenStream) -> Vec<Code> {
        codes(
            quote!(pattern = "retry", cite = "bacon-2017"),
            quote!(fn f(&self) { #body }),
        )
    }

    #[test]
    fn unbounded_queues() {
        assert_eq!(
            backpressure(quote!(let (tx, rx) = std::sync::mpsc::channel::<u8>();)),
            [Code::Anti(AntiPattern::UnboundedQueue)]
        );
        assert_eq!(
            backpressure(quote!(let (tx, rx) = mpsc::channel();)),
            [Code::Anti(AntiPattern::UnboundedQueue)]
        );
        assert_eq!(
            backpressure(quote!(let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<u8>();)),
            [Code::Anti(AntiPattern::UnboundedQueue)]
        );
        assert_eq!(
            backpressure(quote!(let (tx, rx) = crossbeam_channel::unbounded::<u8>();)),
            [Code::Anti(AntiPattern::UnboundedQueue)]
        );
        assert_eq!(
            backpressure(quote!(let (tx, rx) = flume::unbounded::<u8>();)),
            [Code::Anti(AntiPattern::UnboundedQueue)]
        );
        assert!(
            backpressure(quote!(let (tx, rx) = std::sync::mpsc::sync_channel::<u8>(8);)).is_empty()
        );
        assert!(
            backpressure(quote!(let (tx, rx) = tokio::sync::mpsc::channel::<u8>(8);)).is_empty()
        );
        assert!(
            backpressure(quote!(let (tx, rx) = crossbeam_channel::bounded::<u8>(8);)).is_empty()
        );
        assert!(backpressure(quote!(let (tx, rx) = oneshot::channel::<u8>();)).is_empty());
    }

    #[test]
    fn wall_clock_only_where_safety_is_decided() {
        assert_eq!(
            lease(quote!(let t = std::time::Instant::now();)),
            [Code::Anti(AntiPattern::WallClock)]
        );
        assert_eq!(
            lease(quote!(let t = SystemTime::now();)),
            [Code::Anti(AntiPattern::WallClock)]
        );
        assert_eq!(
            lease(quote!(let t = chrono::Utc::now();)),
            [Code::Anti(AntiPattern::WallClock)]
        );
        assert_eq!(
            lease(quote!(let t = time::OffsetDateTime::now_utc();)),
            [Code::Anti(AntiPattern::WallClock)]
        );
        assert!(retry(quote!(let t = Instant::now();)).is_empty());
        assert!(lease(quote!(let t = self.clock.now();)).is_empty());
        let allowed = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                allow(wall_clock = "the reading only feeds a latency metric")
            ),
            quote!(
                fn f(&self) {
                    let t = Instant::now();
                }
            ),
        );
        assert!(allowed.is_empty(), "{allowed:?}");
    }

    #[test]
    fn silent_drops() {
        assert_eq!(
            retry(quote!(let _ = self.jobs.send(1);)),
            [Code::Anti(AntiPattern::SilentDrop)]
        );
        assert_eq!(
            retry(quote!(let _ = self.work_tx.send(1).await;)),
            [Code::Anti(AntiPattern::SilentDrop)]
        );
        // A reply to a caller who may have left, an event nobody may hear: no work lost.
        assert!(retry(quote!(let _ = reply_tx.send(result);)).is_empty());
        assert!(retry(quote!(let _ = self.events.send(Event::Done).await;)).is_empty());
        // An ignored release or renewal is a coordination step that may not have happened.
        assert_eq!(
            retry(quote!(let _ = lease.release().await;)),
            [Code::Anti(AntiPattern::SilentDrop)]
        );
        assert_eq!(
            retry(quote!(retry_on_loss(|| self.delete(path)).await.ignore();)),
            [Code::Anti(AntiPattern::SilentDrop)]
        );
        assert_eq!(
            retry(quote!(self.queue.try_send(1).ok();)),
            [Code::Anti(AntiPattern::SilentDrop)]
        );
        assert_eq!(
            retry(quote!(match self.ack() {
                Ok(v) => v,
                Err(_) => {}
            })),
            [Code::Anti(AntiPattern::SilentDrop)]
        );
        assert!(retry(quote!(let _guard = self.lock();)).is_empty());
        assert!(retry(quote!(let _ = write!(s, "x");)).is_empty());
        assert!(retry(quote!(let _ = self.len();)).is_empty());
        assert!(
            retry(quote!(match self.ack() {
                Ok(v) => v,
                Err(e) => return Err(e),
            }))
            .is_empty()
        );
    }

    #[test]
    fn warn_level_heuristics() {
        assert_eq!(
            retry(quote!(self.socket.send(&buf).unwrap();)),
            [Code::Anti(AntiPattern::NetworkReliability)]
        );
        // An in-process channel end: a closed one means the other thread is gone.
        assert!(retry(quote!(self.tx.send(1).unwrap();)).is_empty());
        assert!(retry(quote!(let m = reply_rx.recv().expect("sender alive");)).is_empty());
        assert!(retry(quote!(let m = oper.recv(&self.rx).expect("select");)).is_empty());
        assert!(retry(quote!(oper.recv(recv_msg).expect("a message");)).is_empty());
        assert_eq!(
            retry(quote!(let s = TcpStream::connect(addr).expect("up");)),
            [Code::Anti(AntiPattern::NetworkReliability)]
        );
        assert!(retry(quote!(let v = self.map.get(k).unwrap();)).is_empty());
        assert_eq!(
            retry(quote!(match rx.recv_timeout(d) {
                Ok(m) => m,
                Err(_) => self.mark_dead(node),
            })),
            [Code::Anti(AntiPattern::NoResponseIsFailure)]
        );
        assert!(
            retry(quote!(match rx.recv_timeout(d) {
                Ok(m) => m,
                Err(_) => self.suspect(node),
            }))
            .is_empty()
        );
        assert_eq!(
            codes(
                quote!(pattern = "failure-detection", cite = "hayashibara-2004"),
                quote!(
                    fn f(&self, msg: M) -> bool {
                        Instant::now() > msg.sent_at
                    }
                )
            ),
            [Code::Anti(AntiPattern::ClockSync)]
        );
        assert!(
            codes(
                quote!(pattern = "failure-detection", cite = "hayashibara-2004"),
                quote!(
                    fn f(&self) -> bool {
                        Instant::now() > self.deadline
                    }
                )
            )
            .is_empty()
        );
    }

    #[test]
    fn every_prohibition_applies_but_those_a_pattern_relaxes_with_a_citation() {
        // `retry` relaxes wall_clock (brooker-2015: a backoff reads a clock for liveness
        // only): a retry loop may read a clock for its deadline, a lease may not decide
        // with one.
        assert!(retry(quote!(let deadline = Instant::now() + self.budget;)).is_empty());
        assert_eq!(
            lease(quote!(let deadline = Instant::now() + self.budget;)),
            [Code::Anti(AntiPattern::WallClock)]
        );
        // Issue 21: every prohibition holds for every coordination item; a lease item with
        // an unbounded channel is refused (it passed when `lease` listed two anti-patterns).
        assert_eq!(
            lease(quote!(let (tx, rx) = std::sync::mpsc::channel::<u8>();)),
            [Code::Anti(AntiPattern::UnboundedQueue)]
        );
        let all = detect(
            &crate::item::Subject::Fn(syn::parse_quote!(
                fn f() {
                    let (tx, rx) = mpsc::channel();
                }
            )),
            &|_| true,
        );
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].anti_pattern, AntiPattern::UnboundedQueue);
    }

    #[test]
    fn scans_every_method_of_an_impl() {
        let c = codes(
            quote!(pattern = "lease", cite = "gray-cheriton-1989"),
            quote!(impl L { fn a(&self) {} fn b(&self) { let t = Instant::now(); } }),
        );
        assert_eq!(c, [Code::Anti(AntiPattern::WallClock)]);
    }

    #[test]
    fn unused_allow_warns() {
        let c = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                allow(wall_clock = "the reading only feeds a metric")
            ),
            quote!(
                fn f(&self) {}
            ),
        );
        assert_eq!(c, [Code::UnusedAllow]);
    }

    /// The pre-scan may skip a body only if no detector fires on it: checked on every
    /// function of the UI cases and the example coordinator, with every anti-pattern on.
    #[test]
    fn the_pre_scan_never_skips_a_body_a_detector_fires_on() {
        struct Fns(Vec<syn::ItemFn>);
        impl<'ast> syn::visit::Visit<'ast> for Fns {
            fn visit_item_fn(&mut self, f: &syn::ItemFn) {
                self.0.push(f.clone());
                syn::visit::visit_item_fn(self, f);
            }
            fn visit_impl_item_fn(&mut self, f: &syn::ImplItemFn) {
                self.0.push(syn::ItemFn {
                    attrs: Vec::new(),
                    vis: syn::Visibility::Inherited,
                    modifiers: f.modifiers.clone(),
                    sig: f.sig.clone(),
                    block: Box::new(f.block.clone()),
                });
                syn::visit::visit_impl_item_fn(self, f);
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["tests/ui/fail", "tests/ui/pass", "examples/coordinator/src"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("fixture dir") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let (mut fired, mut skipped) = (0, 0);
        for path in &files {
            let text = std::fs::read_to_string(path).expect("read");
            let Ok(file) = syn::parse_file(&text) else {
                continue; // a UI case that does not parse on purpose
            };
            let mut fns = Fns(Vec::new());
            syn::visit::Visit::visit_file(&mut fns, &file);
            for f in fns.0 {
                let found = detect(&crate::item::Subject::Fn(f.clone()), &|_| true);
                let may = super::may_match(&quote::ToTokens::to_token_stream(&f.block));
                if !found.is_empty() {
                    fired += 1;
                    assert!(
                        may,
                        "{}: `{}` fires but would be skipped",
                        path.display(),
                        f.sig.ident
                    );
                } else if !may {
                    skipped += 1;
                }
            }
        }
        assert!(
            fired >= 7,
            "the corpus has a finding of every kind: {fired}"
        );
        assert!(skipped > 0, "and some bodies the pre-scan skips");
    }
}
