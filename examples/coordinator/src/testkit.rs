//! Starting states and value strategies for the generated property tests.
//!
//! The generated tests call one operation many times on a coordinator built by `init`.
//! Uniformly random leases would almost always be refused (wrong shard, wrong epoch), so
//! the strategies mostly produce the leases the seeded coordinator actually granted, plus
//! a share of stale, foreign and forged ones: the tests exercise both accepted and refused
//! operations, and the woven-in invariants judge every call.

// proptest is reached through distaudit, the one dependency a user adds (see the report
// on this example: there is no public path to it).
use distaudit::proptest::prelude::*;
use distaudit::proptest::{collection, option};

use crate::backend::CoordinationBackend;
use crate::coordinator::{Config, InMemoryCoordinator};
use crate::cursor::Cursor;
use crate::idempotency::{Outcome, PayloadHash};
use crate::ids::{FenceEpoch, LogicalTime, OpId, RunId, ShardId, TenantId, WorkerId};
use crate::lease::Lease;
use crate::shard::{ParkReason, ShardSpec};

/// The tenant of the seeded run.
pub(crate) const TENANT: TenantId = TenantId(1);
/// The lease length of the seeded coordinator.
pub(crate) const TTL: u64 = 100;

/// A coordinator with no runs.
pub(crate) fn empty() -> InMemoryCoordinator {
    InMemoryCoordinator::new(Config { lease_ttl: TTL })
}

/// Run 1 of tenant 1 with shards 1 `[-inf, "g")`, 2 `["g", "p")`, 3 `["p", +inf)`, each
/// leased at t=0 to the worker of the same number with the epoch of the same number.
/// Shards 1 and 2 have made progress (cursors at "c14" and "k"); shard 3 has not. Shard 1's
/// op log is full.
pub(crate) fn seeded() -> InMemoryCoordinator {
    let mut c = empty();
    let created =
        c.create_run(TENANT, &[Box::from(&b"g"[..]), Box::from(&b"p"[..])]).expect("seed run");
    for (i, shard) in created.shards.iter().enumerate() {
        let n = i as u64 + 1;
        let lease =
            c.acquire(LogicalTime(0), TENANT, *shard, WorkerId(n as u32)).expect("seed lease");
        assert_eq!(lease, seeded_lease(n), "the seed matches `seeded_lease`");
    }
    for (n, key) in [(1, b"c"), (2, b"k")] {
        let done = c
            .checkpoint(LogicalTime(0), &seeded_lease(n), Cursor::at(key), OpId(100 + n))
            .expect("seed progress");
        assert!(!done.is_replay());
    }
    // Shard 1's op log is full: the next operation accepted on it evicts the oldest entry,
    // so the generated tests reach the eviction path.
    for i in 0..15u64 {
        let key = format!("c{i:02}");
        c.checkpoint(LogicalTime(0), &seeded_lease(1), Cursor::at(key.as_bytes()), OpId(200 + i))
            .expect("seed op log");
    }
    c
}

/// The lease the seeded coordinator granted on shard `n` (1..=3).
fn seeded_lease(n: u64) -> Lease {
    Lease {
        tenant: TENANT,
        run: RunId(1),
        shard: ShardId(n),
        owner: WorkerId(u32::try_from(n).expect("small")),
        fence: FenceEpoch(n),
        deadline: LogicalTime(TTL),
    }
}

/// Mostly live times, some after the seeded leases lapse.
pub(crate) fn now() -> impl Strategy<Value = LogicalTime> {
    prop_oneof![4 => 0u64..TTL, 1 => TTL..3 * TTL].prop_map(LogicalTime)
}

pub(crate) fn tenant() -> impl Strategy<Value = TenantId> {
    prop_oneof![9 => Just(TENANT), 1 => Just(TenantId(2))]
}

pub(crate) fn run_id() -> impl Strategy<Value = RunId> {
    prop_oneof![9 => Just(RunId(1)), 1 => Just(RunId(7))]
}

/// Seeded shards, and one that does not exist.
pub(crate) fn shard_id() -> impl Strategy<Value = ShardId> {
    (1u64..=4).prop_map(ShardId)
}

pub(crate) fn worker() -> impl Strategy<Value = WorkerId> {
    (1u32..=4).prop_map(WorkerId)
}

/// Few ids, so retries and conflicts happen.
pub(crate) fn op_id() -> impl Strategy<Value = OpId> {
    (0u64..6).prop_map(OpId)
}

/// More ids than an op log remembers, so eviction happens.
pub(crate) fn wide_op_id() -> impl Strategy<Value = OpId> {
    (0u64..40).prop_map(OpId)
}

pub(crate) fn payload_hash() -> impl Strategy<Value = PayloadHash> {
    (0u64..3).prop_map(PayloadHash)
}

pub(crate) fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        Just(Outcome::Checkpointed),
        Just(Outcome::Completed),
        Just(Outcome::Parked),
        collection::vec((1u64..9).prop_map(ShardId), 2..4).prop_map(Outcome::Split),
    ]
}

pub(crate) fn park_reason() -> impl Strategy<Value = ParkReason> {
    prop_oneof![
        Just(ParkReason::PoisonedInput),
        Just(ParkReason::SourceUnavailable),
        Just(ParkReason::Operator),
    ]
}

/// The granted leases (3 in 4), or one of them altered: stale epoch, other worker, other
/// tenant, unknown shard.
pub(crate) fn lease() -> impl Strategy<Value = Lease> {
    let granted = (1u64..=3).prop_map(seeded_lease);
    let altered = (1u64..=3, 0u8..4).prop_map(|(n, how)| {
        let l = seeded_lease(n);
        match how {
            0 => Lease { fence: FenceEpoch(n.saturating_sub(1)), ..l },
            1 => Lease { owner: WorkerId(9), ..l },
            2 => Lease { tenant: TenantId(2), ..l },
            _ => Lease { shard: ShardId(99), ..l },
        }
    });
    prop_oneof![3 => granted, 1 => altered]
}

/// The leases `c` holds now (`from_state`: drawn just before each step), so a call presents
/// the lease the previous steps granted, not only the seeded ones; the test mixes in
/// `lease()`'s seeded and altered ones for the rest.
pub(crate) fn held_leases(c: &InMemoryCoordinator) -> Vec<Lease> {
    c.leases_held()
}

/// The moments the leases `c` holds lapse (`from_state`): an acquire or a claim at one of
/// them takes the shard over with a newer fence, the grant the fencing step attacks with.
pub(crate) fn when_lapsed(c: &InMemoryCoordinator) -> Vec<LogicalTime> {
    c.leases_held().into_iter().map(|l| l.deadline).collect()
}

/// Short keys over a small alphabet, so they land in, below and above each shard, with
/// a bias towards the seeded bounds and cursors, where off-by-one bugs live.
pub(crate) fn key() -> impl Strategy<Value = Box<[u8]>> {
    let random = collection::vec(b'a'..=b'z', 1..4).prop_map(Vec::into_boxed_slice);
    let edges =
        prop::sample::select(vec!["c", "g", "k", "p"]).prop_map(|k| Box::from(k.as_bytes()));
    prop_oneof![3 => random, 1 => edges]
}

/// Mostly well-formed cursors; some without a key, some with an empty one.
pub(crate) fn cursor() -> impl Strategy<Value = Cursor> {
    let token = option::of(collection::vec(any::<u8>(), 0..6).prop_map(Vec::into_boxed_slice));
    prop_oneof![
        8 => (key(), token).prop_map(|(k, t)| Cursor::from_parts(Some(k), t)),
        1 => Just(Cursor::initial()),
        1 => Just(Cursor::from_parts(Some(Box::default()), None)),
    ]
}

/// Split plans: sorted and distinct (mostly valid), or raw (mostly not).
pub(crate) fn split_points() -> impl Strategy<Value = Vec<Box<[u8]>>> {
    let sorted = collection::btree_set(key(), 1..4).prop_map(|s| s.into_iter().collect());
    prop_oneof![3 => sorted, 1 => collection::vec(key(), 0..4)]
}

/// Split plans that mostly fit one of the seeded shards (`[-inf, "g")`, `["g", "p")`,
/// `["p", +inf)`): without them, a random plan almost never lands inside the leased shard
/// and a generated split test would exercise nothing.
pub(crate) fn split_points_in_seeded_shards() -> impl Strategy<Value = Vec<Box<[u8]>>> {
    let inside = |lo: u8, hi: u8| {
        collection::btree_set(collection::vec(lo..=hi, 1..3).prop_map(Vec::into_boxed_slice), 1..3)
            .prop_map(|s| s.into_iter().collect::<Vec<_>>())
    };
    prop_oneof![
        3 => inside(b'a', b'f'),
        3 => inside(b'h', b'o'),
        3 => inside(b'q', b'z'),
        1 => split_points(),
    ]
}

/// Ranges with either bound possibly unbounded.
pub(crate) fn spec() -> impl Strategy<Value = ShardSpec> {
    (option::of(key()), option::of(key())).prop_map(|(a, b)| {
        let (lo, hi) = match (a, b) {
            (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
            other => other,
        };
        let lo = lo.unwrap_or_default();
        let hi = hi.unwrap_or_default();
        ShardSpec::new(&lo, &hi).unwrap_or_else(ShardSpec::whole)
    })
}
