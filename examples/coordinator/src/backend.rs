//! The coordination contract: what every backend (this in-memory one, a database-backed
//! one, a deterministic simulator) must do.
//!
//! The trait is synchronous: it defines semantics, not an execution model, and an async
//! service wraps it. Time is an input (`now` on every operation that depends on it), so
//! all outcomes are a function of the inputs.

use crate::cursor::Cursor;
use crate::error::{
    AcquireError, ClaimError, LeaseError, ParkError, ProgressError, RunError, SplitError,
};
use crate::idempotency::IdempotentOutcome;
use crate::ids::{LogicalTime, OpId, RunId, ShardId, TenantId, WorkerId};
use crate::lease::{ExpiredLease, Lease};
use crate::shard::ParkReason;
use distaudit::coordination;

/// A run just created: its id and its shards, in key order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunCreated {
    /// The new run.
    pub run: RunId,
    /// Its shards, which tile the whole keyspace.
    pub shards: Vec<ShardId>,
}

/// The operations of a shard coordinator.
///
/// Properties every implementation keeps:
/// - **one owner at a time**: a shard is granted to a new worker only once the previous
///   lease has lapsed or been released;
/// - **fencing**: each grant carries a new, larger epoch; a write with an older epoch is
///   refused, whoever sends it and however late;
/// - **cursor safety**: a shard's `last_key` never decreases, never leaves the shard, and
///   is never reset to nothing (D2.3, D2.4, D2.5);
/// - **idempotency**: a retried write gets its recorded outcome; an op id reused with a
///   different payload is refused;
/// - **tiling**: the shards of a run, and the children of a split, cover their range with
///   no gap and no overlap (D2.2);
/// - **terminal states stay terminal**: nothing changes a done, parked or split shard;
/// - **failure detection by lease expiry**: a silent worker is only ever *suspected*; its
///   shard moves on when its lease lapses, and the fence makes it harmless if it returns.
#[coordination(
    pattern = "lease",
    pattern = "fencing",
    pattern = "cursor",
    pattern = "shard",
    pattern = "idempotency",
    pattern = "failure-detection",
    cite = "gray-cheriton-1989",
    cite = "burrows-2006",
    cite = "bacon-2017",
    cite = "akidau-2015",
    cite = "chang-2006",
    cite = "kafka-kip-98",
    cite = "leach-2017",
    cite = "hayashibara-2004",
    implements = "D2.1",
    implements = "D2.2",
    implements = "D2.3",
    implements = "D2.4",
    implements = "D2.5",
    implements = "D3.3"
)]
#[distaudit::audit]
pub trait CoordinationBackend {
    /// Create a run of `tenant` whose shards split the whole keyspace at `split_points`
    /// (sorted, distinct, non-empty). No split points give a single shard.
    ///
    /// # Errors
    /// [`RunError`] when the split points do not cut the keyspace into shards.
    fn create_run(
        &mut self,
        tenant: TenantId,
        split_points: &[Box<[u8]>],
    ) -> Result<RunCreated, RunError>;

    /// Grant `worker` a lease on `shard` with a new fence epoch, if the shard is active
    /// and no other lease on it is live at `now`.
    ///
    /// # Errors
    /// [`AcquireError`] when the shard is unknown, another tenant's, terminal or leased.
    fn acquire(
        &mut self,
        now: LogicalTime,
        tenant: TenantId,
        shard: ShardId,
        worker: WorkerId,
    ) -> Result<Lease, AcquireError>;

    /// Grant `worker` a lease on the first shard of `run` that is active and not leased at
    /// `now` (never leased, released, or lapsed).
    ///
    /// # Errors
    /// [`ClaimError`] when the run is unknown or another tenant's, or nothing is available.
    fn claim_next_available(
        &mut self,
        now: LogicalTime,
        tenant: TenantId,
        run: RunId,
        worker: WorkerId,
    ) -> Result<Lease, ClaimError>;

    /// Extend a live lease to `now + ttl`. The epoch does not change: renewal is not a new
    /// grant. Every backend keeps this; the checks below are woven into each impl's `renew`.
    ///
    /// # Errors
    /// [`LeaseError`] when the lease is stale, someone else's, or lapsed.
    #[coordination(
        pattern = "lease",
        cite = "gray-cheriton-1989",
        ensures(holds = "ret.fence == lease.fence"),
        ensures(holds = "ret.owner == lease.owner && ret.shard == lease.shard"),
        ensures(holds = "ret.deadline > now")
    )]
    fn renew(&mut self, now: LogicalTime, lease: &Lease) -> Result<Lease, LeaseError>;

    /// Record progress: the shard's cursor becomes `cursor`.
    ///
    /// # Errors
    /// [`ProgressError`] when the lease is not valid, the cursor breaks D2.3-D2.5, or `op`
    /// was used with another payload.
    fn checkpoint(
        &mut self,
        now: LogicalTime,
        lease: &Lease,
        cursor: Cursor,
        op: OpId,
    ) -> Result<IdempotentOutcome<ShardId>, ProgressError>;

    /// Finish the shard at `final_cursor`: it becomes done and its lease is released.
    ///
    /// # Errors
    /// As [`CoordinationBackend::checkpoint`].
    fn complete(
        &mut self,
        now: LogicalTime,
        lease: &Lease,
        final_cursor: Cursor,
        op: OpId,
    ) -> Result<IdempotentOutcome<ShardId>, ProgressError>;

    /// Take the shard out of circulation for `reason`; its lease is released.
    ///
    /// # Errors
    /// [`ParkError`] when the lease is not valid or `op` was used with another payload.
    fn park(
        &mut self,
        now: LogicalTime,
        lease: &Lease,
        reason: ParkReason,
        op: OpId,
    ) -> Result<IdempotentOutcome<ShardId>, ParkError>;

    /// Replace the leased shard by children cut at `split_points`, all above its cursor.
    /// The first child inherits the cursor; the parent becomes split and its lease is
    /// released. Returns the children in key order.
    ///
    /// # Errors
    /// [`SplitError`] when the lease is not valid, the plan does not cut the shard, a point
    /// is not above the cursor, or `op` was used with another payload.
    fn split(
        &mut self,
        now: LogicalTime,
        lease: &Lease,
        split_points: Vec<Box<[u8]>>,
        op: OpId,
    ) -> Result<IdempotentOutcome<Vec<ShardId>>, SplitError>;

    /// The failure detector: release every lease that has lapsed at `now` and report its
    /// holder as suspected.
    fn expire_leases(&mut self, now: LogicalTime) -> Vec<ExpiredLease>;
}
