//! A scripted scenario on the in-memory coordinator, printed as a trace.
//!
//! Run it with `cargo run -p coordinator`. Every operation below runs with distaudit's
//! invariant checks woven in (debug build); the last line says how many ran.

use coordinator::error::{LeaseError, ProgressError};
use coordinator::idempotency::IdempotentOutcome;
use coordinator::ids::{LogicalTime, OpId, ShardId, TenantId, WorkerId};
use coordinator::queue::{Mailbox, Report, ReportKind};
use coordinator::{Config, CoordinationBackend, Cursor, InMemoryCoordinator};
use std::fmt::Display;

const TENANT: TenantId = TenantId(1);

/// One line of the trace, at logical time `$now`.
macro_rules! say {
    ($now:expr, $($arg:tt)*) => {
        println!("t={:<3} {}", $now, format_args!($($arg)*))
    };
}

/// The demo keys are object paths: shown as text.
fn key(k: &[u8]) -> String {
    format!("\"{}\"", String::from_utf8_lossy(k))
}

fn cursor_of(c: &InMemoryCoordinator, shard: ShardId) -> String {
    c.shard(shard).and_then(|v| v.cursor.last_key().map(key)).unwrap_or_else(|| "(none)".into())
}

fn outcome<T>(o: &IdempotentOutcome<T>) -> &'static str {
    if o.is_replay() { "replayed the recorded outcome, changed nothing" } else { "executed" }
}

fn result<T, E: Display>(r: &Result<IdempotentOutcome<T>, E>) -> String {
    match r {
        Ok(o) => outcome(o).to_string(),
        Err(e) => format!("refused: {e}"),
    }
}

fn main() {
    // Count the woven-in checks that run and pass, for the summary at the end.
    distaudit::count_checks(true);
    println!("distaudit example: an in-memory shard coordinator, every operation audited\n");
    let mut c = InMemoryCoordinator::new(Config { lease_ttl: 10 });
    let [w1, w2, w3, w4, w5] = [10, 20, 30, 40, 50].map(WorkerId);
    let t = LogicalTime;

    // A run over the whole keyspace, cut at "g" and "p".
    let created =
        c.create_run(TENANT, &[Box::from(&b"g"[..]), Box::from(&b"p"[..])]).expect("a valid plan");
    let run = created.run;
    let [s1, s2, s3] = created.shards[..] else {
        unreachable!("two split points make three shards")
    };
    say!(0, "{run} of {TENANT}: 3 shards tile the keyspace");
    for s in [s1, s2, s3] {
        println!("        {s} {}", c.shard(s).expect("just created").spec);
    }

    // Workers take shards.
    let l1 = c.acquire(t(0), TENANT, s1, w1).expect("free");
    say!(0, "{w1} acquires {s1}: {}, lease until {}", l1.fence(), l1.deadline());
    let l2 = c.claim_next_available(t(0), TENANT, run, w2).expect("free");
    say!(0, "{w2} claims the next available shard: {}, {}", l2.shard(), l2.fence());
    let l3 = c.claim_next_available(t(0), TENANT, run, w3).expect("free");
    say!(0, "{w3} claims the next available shard: {}, {}", l3.shard(), l3.fence());
    match c.claim_next_available(t(1), TENANT, run, w4) {
        Ok(l) => say!(1, "{w4} unexpectedly got {}", l.shard()),
        Err(e) => say!(1, "{w4} asks for work: refused: {e}"),
    }

    // A checkpoint advances the cursor; a retry replays; misuse is refused with a reason.
    println!();
    let at = |k: &[u8]| Cursor::with_token(k, b"page-3");
    let r = c.checkpoint(t(2), &l1, at(b"b/0007"), OpId(11));
    say!(2, "{w1} checkpoints {s1} at {} (op 11): {}", key(b"b/0007"), result(&r));
    let r = c.checkpoint(t(3), &l1, at(b"b/0007"), OpId(11));
    say!(3, "{w1} retries op 11 (its reply was lost): {}", result(&r));
    let r = c.checkpoint(t(3), &l1, at(b"b/0009"), OpId(11));
    say!(3, "{w1} reuses op 11 for another cursor: {}", result(&r));
    let r = c.checkpoint(t(4), &l1, at(b"a/0001"), OpId(12));
    say!(4, "{w1} checkpoints {} (op 12): {}", key(b"a/0001"), result(&r));
    let r = c.checkpoint(t(4), &l1, at(b"h/0001"), OpId(13));
    say!(4, "{w1} checkpoints {} (op 13): {}", key(b"h/0001"), result(&r));
    let token_only = Cursor::from_parts(None, Some(Box::from(&b"page-4"[..])));
    let r = c.checkpoint(t(4), &l1, token_only, OpId(14));
    say!(4, "{w1} checkpoints a token without a key (op 14): {}", result(&r));
    say!(4, "{s1}'s cursor is still at {}", cursor_of(&c, s1));

    // Worker 10 goes quiet; the others renew; the failure detector notices.
    println!();
    let l2 = c.renew(t(5), &l2).expect("live");
    let l3 = c.renew(t(5), &l3).expect("live");
    say!(5, "{w2} and {w3} renew until {}; {w1} is paused (GC, partition...)", l3.deadline());
    let l2 = c.renew(t(11), &l2).expect("live");
    let l3 = c.renew(t(11), &l3).expect("live");
    say!(11, "{w2} and {w3} renew until {}", l3.deadline());
    for e in c.expire_leases(t(12)) {
        say!(
            12,
            "failure detector: {}'s lease on {} ({}) lapsed at {}",
            e.owner,
            e.shard,
            e.fence,
            e.deadline
        );
        println!("        {} is suspected, not declared dead; {} is free again", e.owner, e.shard);
    }
    let l4 = c.claim_next_available(t(12), TENANT, run, w4).expect("shard 1 lapsed");
    say!(
        12,
        "{w4} claims the next available shard: {}, {} (was {})",
        l4.shard(),
        l4.fence(),
        l1.fence()
    );
    println!("        and resumes after {}", cursor_of(&c, s1));
    let r = c.checkpoint(t(13), &l1, Cursor::at(b"f/0001"), OpId(15));
    say!(13, "{w1} wakes up and writes with its old lease (op 15): {}", result(&r));
    assert!(matches!(r, Err(ProgressError::Lease(LeaseError::StaleFence { .. }))));
    let r = c.checkpoint(t(13), &l4, Cursor::at(b"d/0100"), OpId(41));
    say!(13, "{w4} checkpoints {s1} at {} (op 41): {}", key(b"d/0100"), result(&r));

    // The part of shard 2 not scanned yet is split off.
    println!();
    let r = c.checkpoint(t(14), &l2, Cursor::at(b"h/0001"), OpId(21));
    say!(14, "{w2} checkpoints {s2} at {} (op 21): {}", key(b"h/0001"), result(&r));
    let plan = || vec![Box::from(&b"m"[..])];
    let r = c.split(t(14), &l2, plan(), OpId(22));
    say!(14, "{w2} splits {s2} at {} (op 22): {}", key(b"m"), result(&r));
    let children = r.expect("a valid split").value().clone();
    for child in &children {
        let spec = c.shard(*child).expect("exists").spec;
        println!("        child {child} {spec}, cursor {}", cursor_of(&c, *child));
    }
    let r = c.split(t(14), &l2, plan(), OpId(22));
    say!(14, "{w2} retries op 22: {}", result(&r));
    if let Ok(again) = &r {
        println!("        same children: {}", again.value() == &children);
    }
    let status = c.shard(s2).expect("kept").status;
    say!(
        14,
        "{s2} is {}; the run still tiles the keyspace: {}",
        status.name(),
        c.run_tiles_keyspace(run)
    );
    let l5 = c.claim_next_available(t(15), TENANT, run, w5).expect("a child is free");
    let l2 = c.claim_next_available(t(15), TENANT, run, w2).expect("a child is free");
    say!(15, "{w5} and {w2} claim the children: {} and {}", l5.shard(), l2.shard());

    // Progress reports go through a bounded mailbox.
    println!();
    let mut mailbox = Mailbox::with_capacity(2);
    say!(16, "the coordinator's mailbox holds 2 reports at most");
    let report = |lease, k: &[u8], op| Report {
        kind: ReportKind::Checkpoint,
        lease,
        cursor: Cursor::at(k),
        op: OpId(op),
    };
    let reports = [
        (w3, report(l3, b"q/0001", 31)),
        (w4, report(l4, b"e/0200", 42)),
        (w5, report(l5, b"h/0500", 51)),
    ];
    let mut kept = Vec::new();
    for (worker, report) in reports {
        let op = report.op;
        match mailbox.post(report) {
            Ok(()) => say!(16, "{worker} posts {op}: accepted"),
            Err(full) => {
                say!(16, "{worker} posts {op}: {full}; the worker keeps the report");
                kept.push((worker, full.item));
            }
        }
    }
    for reply in mailbox.deliver(&mut c, t(16), 8) {
        say!(16, "coordinator applies {}: {}", reply.op, result(&reply.result));
    }
    for (worker, report) in kept {
        let op = report.op;
        match mailbox.post(report) {
            Ok(()) => say!(17, "{worker} posts {op} again: accepted"),
            Err(full) => say!(17, "{worker} posts {op} again: {full}"),
        }
    }
    for reply in mailbox.deliver(&mut c, t(17), 8) {
        say!(17, "coordinator applies {}: {}", reply.op, result(&reply.result));
    }

    // Completion is terminal.
    println!();
    let r = c.complete(t(18), &l3, Cursor::at(b"z/9999"), OpId(32));
    say!(18, "{w3} completes {s3} at {} (op 32): {}", key(b"z/9999"), result(&r));
    let r = c.checkpoint(t(19), &l3, Cursor::at(b"z/9999"), OpId(33));
    say!(19, "{w3} writes to the finished shard (op 33): {}", result(&r));

    println!();
    say!(20, "{run}:");
    for s in c.run_shards(run) {
        let v = c.shard(s).expect("listed");
        let holder = v.holder.map_or_else(String::new, |(w, d)| format!(", held by {w} until {d}"));
        let spec = v.spec.to_string();
        let state = v.status.name();
        println!(
            "        {s} {spec:<20} {state:<7} cursor {:<10} {}{holder}",
            cursor_of(&c, s),
            v.fence
        );
    }
    println!("\nthe keyspace is still tiled with no gap or overlap: {}", c.run_tiles_keyspace(run));
    println!(
        "{} invariant checks ran and passed (a violation panics naming the decision it breaks)",
        distaudit::checks_passed()
    );
}
