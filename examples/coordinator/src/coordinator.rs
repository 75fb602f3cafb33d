//! The in-memory, single-process backend.

use crate::backend::{CoordinationBackend, RunCreated};
use crate::cursor::{Cursor, check_advance};
use crate::error::{
    AcquireError, ClaimError, LeaseError, ParkError, ProgressError, RunError, SplitError,
};
use crate::idempotency::{IdempotentOutcome, OpIdConflict, OpKind, OpLog, Outcome, PayloadHash};
use crate::ids::{FenceEpoch, LogicalTime, OpId, RunId, ShardId, TenantId, WorkerId};
use crate::lease::{ExpiredLease, Lease, LeaseHolder};
use crate::shard::{ParkReason, ShardSpec, ShardStatus, split_at, tiles};
use distaudit::coordination;
use std::collections::BTreeMap;

#[cfg(test)]
use crate::testkit;

/// Settings of a coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// How long a grant or a renewal lasts, in logical ticks (at least 1).
    pub lease_ttl: u64,
}

/// Everything the coordinator knows about one shard. It is the grantor's record of the
/// latest grant (`fence`, `holder`) that every write is checked against.
#[coordination(
    pattern = "lease",
    pattern = "fencing",
    cite = "gray-cheriton-1989",
    cite = "burrows-2006"
)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ShardRecord {
    pub(crate) tenant: TenantId,
    pub(crate) run: RunId,
    pub(crate) spec: ShardSpec,
    pub(crate) cursor: Cursor,
    pub(crate) status: ShardStatus,
    /// The epoch of the latest grant of this shard (`ZERO` before the first).
    pub(crate) fence: FenceEpoch,
    pub(crate) holder: Option<LeaseHolder>,
    pub(crate) op_log: OpLog,
    pub(crate) parent: Option<ShardId>,
}

impl ShardRecord {
    /// Active and not leased at `now` (never leased, released, or lapsed).
    fn is_available(&self, now: LogicalTime) -> bool {
        self.status == ShardStatus::Active && self.holder.is_none_or(|h| !h.is_live(now))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct RunRecord {
    tenant: TenantId,
    /// Every shard of the run, split children included, in creation order.
    shards: Vec<ShardId>,
}

/// A read-only view of a shard, for traces and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardView {
    /// The shard.
    pub id: ShardId,
    /// Its run.
    pub run: RunId,
    /// Its key range.
    pub spec: ShardSpec,
    /// Its progress.
    pub cursor: Cursor,
    /// Its lifecycle state.
    pub status: ShardStatus,
    /// The epoch of its latest grant.
    pub fence: FenceEpoch,
    /// Its current holder and deadline, if leased.
    pub holder: Option<(WorkerId, LogicalTime)>,
    /// The shard it was split from, if any.
    pub parent: Option<ShardId>,
}

/// A whole coordinator in one process: runs, shards, leases, cursors and op logs in
/// ordered maps. Deterministic: the same calls give the same results.
///
/// It is the grantor of leases and the single issuer of fence epochs: one counter,
/// `fence_clock`, advanced by every grant of every shard.
#[coordination(
    pattern = "lease",
    pattern = "fencing",
    cite = "gray-cheriton-1989",
    cite = "burrows-2006",
    invariant(holds = "self.every_run_tiles_keyspace()", upholds = "D2.2")
)]
#[derive(Clone, Debug)]
pub struct InMemoryCoordinator {
    config: Config,
    runs: BTreeMap<RunId, RunRecord>,
    shards: BTreeMap<ShardId, ShardRecord>,
    fence_clock: FenceEpoch,
    next_run: u32,
    next_shard: u64,
    evicted_ops: u64,
}

impl InMemoryCoordinator {
    /// An empty coordinator.
    ///
    /// # Panics
    /// If `config.lease_ttl` is zero: such a lease would be born lapsed.
    #[must_use]
    pub fn new(config: Config) -> Self {
        assert!(config.lease_ttl > 0, "a lease must last at least one tick");
        Self {
            config,
            runs: BTreeMap::new(),
            shards: BTreeMap::new(),
            fence_clock: FenceEpoch::ZERO,
            next_run: 1,
            next_shard: 1,
            evicted_ops: 0,
        }
    }

    /// The leases held now, one per leased shard, as their holders were granted them (live
    /// or lapsed): what a generated test presents to reach the accepting paths.
    #[cfg(test)]
    pub(crate) fn leases_held(&self) -> Vec<Lease> {
        let held = self.shards.iter().filter_map(|(&shard, r)| {
            let h = r.holder?;
            let tenant = r.tenant;
            Some(Lease {
                tenant,
                run: r.run,
                shard,
                owner: h.owner,
                fence: r.fence,
                deadline: h.deadline,
            })
        });
        held.collect()
    }

    /// The latest epoch issued, for any shard.
    #[must_use]
    pub fn fence_clock(&self) -> FenceEpoch {
        self.fence_clock
    }

    /// How many op-log entries were pushed out of their window so far.
    #[must_use]
    pub fn evicted_ops(&self) -> u64 {
        self.evicted_ops
    }

    /// A view of `shard`.
    #[must_use]
    pub fn shard(&self, shard: ShardId) -> Option<ShardView> {
        self.shards.get(&shard).map(|r| ShardView {
            id: shard,
            run: r.run,
            spec: r.spec.clone(),
            cursor: r.cursor.clone(),
            status: r.status.clone(),
            fence: r.fence,
            holder: r.holder.map(|h| (h.owner, h.deadline)),
            parent: r.parent,
        })
    }

    /// The shards of `run`, split children included, in creation order.
    #[must_use]
    pub fn run_shards(&self, run: RunId) -> Vec<ShardId> {
        self.runs.get(&run).map(|r| r.shards.clone()).unwrap_or_default()
    }

    /// Whether the active (unsplit) shards of `run` tile the whole keyspace: the check
    /// that no key was lost or doubled by splits.
    #[must_use]
    pub fn run_tiles_keyspace(&self, run: RunId) -> bool {
        let mut leaves: Vec<ShardSpec> = self
            .run_shards(run)
            .iter()
            .filter_map(|id| self.shards.get(id))
            .filter(|r| !matches!(r.status, ShardStatus::Split(_)))
            .map(|r| r.spec.clone())
            .collect();
        leaves.sort_by(|a, b| {
            distaudit::KeyRange::start_key(a).cmp(distaudit::KeyRange::start_key(b))
        });
        tiles(&ShardSpec::whole(), &leaves)
    }

    /// The cursor key of `shard`, owned (for invariant snapshots).
    fn cursor_key(&self, shard: ShardId) -> Option<Box<[u8]>> {
        self.shards.get(&shard).and_then(|r| r.cursor.last_key().map(Box::from))
    }

    /// The cursor of `shard`, owned, or `None` for an unknown shard.
    fn cursor_of(&self, shard: ShardId) -> Option<Option<Box<[u8]>>> {
        self.shards.get(&shard).map(|r| r.cursor.last_key().map(Box::from))
    }

    /// The key range of `shard`, owned.
    fn spec_of(&self, shard: ShardId) -> Option<ShardSpec> {
        self.shards.get(&shard).map(|r| r.spec.clone())
    }

    /// The epoch of the latest grant of `shard`.
    fn fence_of(&self, shard: ShardId) -> Option<FenceEpoch> {
        self.shards.get(&shard).map(|r| r.fence)
    }

    /// Whether `shard` is in a terminal state with no lease held.
    fn released_in(&self, shard: ShardId, done: fn(&ShardStatus) -> bool) -> bool {
        self.shards.get(&shard).is_some_and(|r| done(&r.status) && r.holder.is_none())
    }

    /// Whether `children` tile the range of `parent`, the first carries on from the
    /// parent's cursor and the others start fresh: no key is lost, doubled or skipped.
    fn split_is_exact(&self, parent: ShardId, children: &[ShardId]) -> bool {
        let (Some(spec), Some(cursor)) = (self.spec_of(parent), self.cursor_of(parent)) else {
            return false;
        };
        let specs: Option<Vec<ShardSpec>> = children.iter().map(|c| self.spec_of(*c)).collect();
        specs.is_some_and(|specs| tiles(&spec, &specs))
            && children.iter().enumerate().all(|(i, c)| {
                self.cursor_of(*c) == Some(if i == 0 { cursor.clone() } else { None })
            })
    }

    /// The shards of `run` a claim may take at `now`, in order: active, and no holder whose
    /// deadline is still ahead. Written from the public view, not from
    /// `ShardRecord::is_available`, so the claim's check does not share the code it checks.
    fn available_in(&self, run: RunId, now: LogicalTime) -> Vec<ShardId> {
        self.run_shards(run)
            .into_iter()
            .filter(|s| {
                self.shard(*s).is_some_and(|v| {
                    v.status == ShardStatus::Active
                        && v.holder.is_none_or(|(_, deadline)| deadline <= now)
                })
            })
            .collect()
    }

    /// The tenant that owns `run`.
    fn tenant_of(&self, run: RunId) -> Option<TenantId> {
        self.runs.get(&run).map(|r| r.tenant)
    }

    /// Every run's shards tile the keyspace: the coordinator's own invariant.
    fn every_run_tiles_keyspace(&self) -> bool {
        self.runs.keys().all(|run| self.run_tiles_keyspace(*run))
    }

    /// Whether `shard`'s op log is full, so the next executed operation evicts one entry.
    fn op_log_full(&self, shard: ShardId) -> bool {
        self.shards
            .get(&shard)
            .is_some_and(|r| r.op_log.len() == crate::idempotency::OP_LOG_CAPACITY)
    }

    /// Whether no active shard holds a lease that has lapsed at `now`.
    fn no_lapsed_holder(&self, now: LogicalTime) -> bool {
        self.shards.values().all(|r| r.holder.is_none_or(|h| h.is_live(now)))
    }

    /// Issue the next epoch and make `worker` the holder of `shard` until `now + ttl`. The
    /// callers have checked that the shard is active and not leased at `now`; `None` only
    /// for an unknown shard.
    #[coordination(
        pattern = "lease",
        pattern = "fencing",
        cite = "gray-cheriton-1989",
        cite = "burrows-2006",
        invariant(strictly_increasing = "self.fence_clock"),
        invariant(
            holds = "self.fence_of(ret.shard) == Some(ret.fence) && ret.fence == self.fence_clock"
        )
    )]
    fn grant(&mut self, now: LogicalTime, shard: ShardId, worker: WorkerId) -> Option<Lease> {
        let record = self.shards.get_mut(&shard)?;
        self.fence_clock = self.fence_clock.next();
        let deadline = now.plus(self.config.lease_ttl);
        record.fence = self.fence_clock;
        record.holder = Some(LeaseHolder { owner: worker, deadline });
        Some(Lease {
            tenant: record.tenant,
            run: record.run,
            shard,
            owner: worker,
            fence: self.fence_clock,
            deadline,
        })
    }

    fn new_shard(&mut self, record: ShardRecord) -> ShardId {
        let id = ShardId(self.next_shard);
        self.next_shard += 1;
        if let Some(run) = self.runs.get_mut(&record.run) {
            run.shards.push(id);
        }
        self.shards.insert(id, record);
        id
    }

    /// Account for an op-log entry pushed out of its window.
    fn note_eviction(&mut self, evicted: Option<OpId>) {
        if evicted.is_some() {
            self.evicted_ops += 1;
        }
    }
}

/// The fencing check every write goes through: the shard is active, the lease's epoch is
/// the shard's current one, it was granted to the worker presenting it, and it has not
/// lapsed at `now`. Returns the holder entry it validated. Tenant isolation is checked
/// before it, ahead of the op log.
#[coordination(
    pattern = "lease",
    pattern = "fencing",
    cite = "gray-cheriton-1989",
    cite = "burrows-2006",
    cite = "kleppmann-2016",
    invariant(holds = "record.fence == lease.fence && record.holder == Some(ret)"),
    invariant(holds = "ret.owner == lease.owner && ret.is_live(now)")
)]
fn check_lease(
    record: &ShardRecord,
    now: LogicalTime,
    lease: &Lease,
) -> Result<LeaseHolder, LeaseError> {
    if record.status.is_terminal() {
        return Err(LeaseError::ShardTerminal { shard: lease.shard, status: record.status.name() });
    }
    if lease.fence != record.fence {
        return Err(LeaseError::StaleFence { presented: lease.fence, current: record.fence });
    }
    match record.holder {
        Some(h) if h.owner != lease.owner => Err(LeaseError::WrongOwner { presented: lease.owner }),
        Some(h) if h.is_live(now) => Ok(h),
        Some(h) => Err(LeaseError::Expired { deadline: h.deadline, now }),
        // Released by the failure detector: the deadline it had is the lease's own.
        None => Err(LeaseError::Expired { deadline: lease.deadline, now }),
    }
}

/// The tenant check that comes before everything else, replays included: a request never
/// learns anything about another tenant's shard.
fn tenant_record<'a>(
    shards: &'a mut BTreeMap<ShardId, ShardRecord>,
    lease: &Lease,
) -> Result<&'a mut ShardRecord, LeaseError> {
    let record = shards.get_mut(&lease.shard).ok_or(LeaseError::UnknownShard(lease.shard))?;
    if record.tenant != lease.tenant {
        return Err(LeaseError::TenantMismatch(lease.shard));
    }
    Ok(record)
}

fn cursor_hash(kind: OpKind, cursor: &Cursor) -> PayloadHash {
    PayloadHash::of(kind, &[cursor.last_key(), cursor.token()])
}

// The attacking steps read a lease by these roles: its fence and shard (an older fence for
// the same shard must be refused) and its deadline (a lease presented at it is lapsed).
#[distaudit::audit(test(
    init = "testkit::seeded()",
    cases = 64,
    steps = 24,
    roles(fence = "lease.fence", shard = "lease.shard", expires = "lease.deadline")
))]
impl CoordinationBackend for InMemoryCoordinator {
    #[coordination(
        pattern = "shard",
        cite = "chang-2006",
        cite = "corbett-2012",
        implements = "D2.2",
        implements = "D3.3",
        invariant(strictly_increasing = "self.next_run"),
        invariant(holds = "ret.shards.len() == split_points.len() + 1"),
        invariant(holds = "self.run_tiles_keyspace(ret.run)"),
        test(
            init = "testkit::empty()",
            steps = 4,
            cases = 64,
            strategy(tenant = "testkit::tenant()", split_points = "testkit::split_points()")
        )
    )]
    fn create_run(
        &mut self,
        tenant: TenantId,
        split_points: &[Box<[u8]>],
    ) -> Result<RunCreated, RunError> {
        let specs = if split_points.is_empty() {
            vec![ShardSpec::whole()]
        } else {
            split_at(&ShardSpec::whole(), split_points)?
        };
        let run = RunId(self.next_run);
        self.next_run += 1;
        self.runs.insert(run, RunRecord { tenant, shards: Vec::new() });
        let shards = specs
            .into_iter()
            .map(|spec| {
                self.new_shard(ShardRecord {
                    tenant,
                    run,
                    spec,
                    cursor: Cursor::initial(),
                    status: ShardStatus::Active,
                    fence: FenceEpoch::ZERO,
                    holder: None,
                    op_log: OpLog::default(),
                    parent: None,
                })
            })
            .collect();
        Ok(RunCreated { run, shards })
    }

    #[coordination(
        pattern = "lease",
        pattern = "fencing",
        cite = "gray-cheriton-1989",
        cite = "burrows-2006",
        cite = "kleppmann-2016",
        invariant(strictly_increasing = "self.fence_clock"),
        invariant(strictly_increasing = "self.fence_of(shard)"),
        invariant(
            holds = "ret.fence == self.fence_clock && ret.owner == worker && ret.deadline > now"
        ),
        test(
            init = "testkit::seeded()",
            steps = 24,
            cases = 64,
            strategy(
                now = from_state("testkit::when_lapsed", otherwise = "testkit::now()"),
                tenant = "testkit::tenant()",
                shard = "testkit::shard_id()",
                worker = "testkit::worker()"
            )
        )
    )]
    fn acquire(
        &mut self,
        now: LogicalTime,
        tenant: TenantId,
        shard: ShardId,
        worker: WorkerId,
    ) -> Result<Lease, AcquireError> {
        let record = self.shards.get(&shard).ok_or(AcquireError::UnknownShard(shard))?;
        if record.tenant != tenant {
            return Err(AcquireError::TenantMismatch(shard));
        }
        if record.status.is_terminal() {
            return Err(AcquireError::ShardTerminal { shard, status: record.status.name() });
        }
        if let Some(h) = record.holder.filter(|h| h.is_live(now)) {
            return Err(AcquireError::AlreadyLeased { owner: h.owner, deadline: h.deadline });
        }
        self.grant(now, shard, worker).ok_or(AcquireError::UnknownShard(shard))
    }

    #[coordination(
        pattern = "lease",
        pattern = "fencing",
        pattern = "failure-detection",
        cite = "gray-cheriton-1989",
        cite = "burrows-2006",
        cite = "hayashibara-2004",
        invariant(strictly_increasing = "self.fence_clock"),
        invariant(
            holds = "self.fence_of(ret.shard) == Some(ret.fence) && ret.owner == worker && ret.run == run"
        ),
        ensures(holds = "old(self.available_in(run, now)).first() == Some(&ret.shard)"),
        ensures(holds = "self.tenant_of(run) == Some(tenant)"),
        test(
            init = "testkit::seeded()",
            steps = 16,
            cases = 64,
            strategy(
                now = from_state("testkit::when_lapsed", otherwise = "testkit::now()"),
                tenant = "testkit::tenant()",
                run = "testkit::run_id()",
                worker = "testkit::worker()"
            )
        )
    )]
    fn claim_next_available(
        &mut self,
        now: LogicalTime,
        tenant: TenantId,
        run: RunId,
        worker: WorkerId,
    ) -> Result<Lease, ClaimError> {
        let record = self.runs.get(&run).ok_or(ClaimError::UnknownRun(run))?;
        if record.tenant != tenant {
            return Err(ClaimError::TenantMismatch(run));
        }
        let next = record
            .shards
            .iter()
            .copied()
            .find(|id| self.shards.get(id).is_some_and(|s| s.is_available(now)));
        let shard = next.ok_or(ClaimError::NothingAvailable)?;
        self.grant(now, shard, worker).ok_or(ClaimError::NothingAvailable)
    }

    #[coordination(
        pattern = "lease",
        pattern = "fencing",
        cite = "gray-cheriton-1989",
        cite = "burrows-2006",
        invariant(monotonic = "self.fence_of(lease.shard)"),
        invariant(monotonic = "self.evicted_ops()"),
        ensures(holds = "self.evicted_ops() <= old(self.evicted_ops()) + 1"),
        // The trait's contract adds that the renewed lease keeps its epoch, owner and shard
        // and ends after `now`; this backend's own table must agree with it.
        invariant(holds = "self.fence_of(lease.shard) == Some(ret.fence)"),
        test(
            init = "testkit::seeded()",
            steps = 16,
            cases = 64,
            strategy(now = "testkit::now()", lease = from_state("testkit::held_leases", otherwise = "testkit::lease()"))
        )
    )]
    fn renew(&mut self, now: LogicalTime, lease: &Lease) -> Result<Lease, LeaseError> {
        let ttl = self.config.lease_ttl;
        let record = tenant_record(&mut self.shards, lease)?;
        check_lease(record, now, lease)?;
        let deadline = now.plus(ttl);
        record.holder = Some(LeaseHolder { owner: lease.owner, deadline });
        Ok(Lease { deadline, ..*lease })
    }

    #[coordination(
        pattern = "lease",
        pattern = "fencing",
        pattern = "cursor",
        pattern = "idempotency",
        cite = "gray-cheriton-1989",
        cite = "burrows-2006",
        cite = "bacon-2017",
        cite = "akidau-2015",
        cite = "kafka-kip-98",
        cite = "leach-2017",
        implements = "D2.3",
        implements = "D2.4",
        implements = "D2.5",
        invariant(monotonic = "self.cursor_of(lease.shard)"),
        invariant(within(
            key = "self.cursor_key(lease.shard)",
            range = "self.spec_of(lease.shard)"
        )),
        invariant(never_none = "self.cursor_key(lease.shard)"),
        invariant(monotonic = "self.fence_of(lease.shard)"),
        invariant(monotonic = "self.evicted_ops()"),
        ensures(holds = "self.evicted_ops() <= old(self.evicted_ops()) + 1"),
        ensures(
            holds = "self.evicted_ops() == old(self.evicted_ops()) + u64::from(!ret.is_replay() && old(self.op_log_full(lease.shard)))"
        ),
        test(
            init = "testkit::seeded()",
            steps = 24,
            cases = 64,
            strategy(
                now = "testkit::now()",
                lease = from_state("testkit::held_leases", otherwise = "testkit::lease()"),
                cursor = "testkit::cursor()",
                op = "testkit::op_id()"
            )
        )
    )]
    fn checkpoint(
        &mut self,
        now: LogicalTime,
        lease: &Lease,
        cursor: Cursor,
        op: OpId,
    ) -> Result<IdempotentOutcome<ShardId>, ProgressError> {
        let hash = cursor_hash(OpKind::Checkpoint, &cursor);
        let record = tenant_record(&mut self.shards, lease)?;
        if record.op_log.lookup(op, hash)?.is_some() {
            return Ok(IdempotentOutcome::Replayed(lease.shard));
        }
        check_lease(record, now, lease)?;
        check_advance(&record.cursor, &cursor, &record.spec)?;
        record.cursor = cursor;
        let evicted = record.op_log.record(op, hash, Outcome::Checkpointed)?;
        self.note_eviction(evicted);
        Ok(IdempotentOutcome::Executed(lease.shard))
    }

    #[coordination(
        pattern = "lease",
        pattern = "fencing",
        pattern = "cursor",
        pattern = "idempotency",
        pattern = "state-machine",
        cite = "gray-cheriton-1989",
        cite = "burrows-2006",
        cite = "bacon-2017",
        cite = "akidau-2015",
        cite = "kafka-kip-98",
        cite = "leach-2017",
        cite = "schneider-1990",
        implements = "D2.3",
        implements = "D2.4",
        implements = "D2.5",
        invariant(monotonic = "self.cursor_of(lease.shard)"),
        invariant(within(
            key = "self.cursor_key(lease.shard)",
            range = "self.spec_of(lease.shard)"
        )),
        invariant(never_none = "self.cursor_key(lease.shard)"),
        invariant(monotonic = "self.fence_of(lease.shard)"),
        invariant(monotonic = "self.evicted_ops()"),
        ensures(holds = "self.evicted_ops() <= old(self.evicted_ops()) + 1"),
        ensures(
            holds = "self.evicted_ops() == old(self.evicted_ops()) + u64::from(!ret.is_replay() && old(self.op_log_full(lease.shard)))"
        ),
        invariant(holds = "self.released_in(*ret.value(), |s| *s == ShardStatus::Done)"),
        test(
            init = "testkit::seeded()",
            steps = 12,
            cases = 64,
            strategy(
                now = "testkit::now()",
                lease = from_state("testkit::held_leases", otherwise = "testkit::lease()"),
                final_cursor = "testkit::cursor()",
                op = "testkit::op_id()"
            )
        )
    )]
    fn complete(
        &mut self,
        now: LogicalTime,
        lease: &Lease,
        final_cursor: Cursor,
        op: OpId,
    ) -> Result<IdempotentOutcome<ShardId>, ProgressError> {
        let hash = cursor_hash(OpKind::Complete, &final_cursor);
        let record = tenant_record(&mut self.shards, lease)?;
        if record.op_log.lookup(op, hash)?.is_some() {
            return Ok(IdempotentOutcome::Replayed(lease.shard));
        }
        check_lease(record, now, lease)?;
        check_advance(&record.cursor, &final_cursor, &record.spec)?;
        record.cursor = final_cursor;
        record.status = ShardStatus::Done;
        record.holder = None;
        let evicted = record.op_log.record(op, hash, Outcome::Completed)?;
        self.note_eviction(evicted);
        Ok(IdempotentOutcome::Executed(lease.shard))
    }

    #[coordination(
        pattern = "lease",
        pattern = "fencing",
        pattern = "idempotency",
        pattern = "state-machine",
        cite = "gray-cheriton-1989",
        cite = "burrows-2006",
        cite = "kafka-kip-98",
        cite = "leach-2017",
        cite = "schneider-1990",
        invariant(monotonic = "self.fence_of(lease.shard)"),
        invariant(monotonic = "self.evicted_ops()"),
        ensures(holds = "self.evicted_ops() <= old(self.evicted_ops()) + 1"),
        ensures(
            holds = "self.evicted_ops() == old(self.evicted_ops()) + u64::from(!ret.is_replay() && old(self.op_log_full(lease.shard)))"
        ),
        invariant(
            holds = "self.released_in(*ret.value(), |s| matches!(s, ShardStatus::Parked(_)))"
        ),
        test(
            init = "testkit::seeded()",
            steps = 8,
            cases = 64,
            strategy(
                now = "testkit::now()",
                lease = from_state("testkit::held_leases", otherwise = "testkit::lease()"),
                reason = "testkit::park_reason()",
                op = "testkit::op_id()"
            )
        )
    )]
    fn park(
        &mut self,
        now: LogicalTime,
        lease: &Lease,
        reason: ParkReason,
        op: OpId,
    ) -> Result<IdempotentOutcome<ShardId>, ParkError> {
        let hash = PayloadHash::of(OpKind::Park, &[Some(&[reason.code()])]);
        let record = tenant_record(&mut self.shards, lease)?;
        if record.op_log.lookup(op, hash)?.is_some() {
            return Ok(IdempotentOutcome::Replayed(lease.shard));
        }
        check_lease(record, now, lease)?;
        record.status = ShardStatus::Parked(reason);
        record.holder = None;
        let evicted = record.op_log.record(op, hash, Outcome::Parked)?;
        self.note_eviction(evicted);
        Ok(IdempotentOutcome::Executed(lease.shard))
    }

    #[coordination(
        pattern = "shard",
        pattern = "lease",
        pattern = "fencing",
        pattern = "idempotency",
        cite = "chang-2006",
        cite = "corbett-2012",
        cite = "gray-cheriton-1989",
        cite = "burrows-2006",
        cite = "kafka-kip-98",
        cite = "leach-2017",
        implements = "D2.2",
        implements = "D2.4",
        invariant(monotonic = "self.fence_of(lease.shard)"),
        invariant(monotonic = "self.evicted_ops()"),
        ensures(holds = "self.evicted_ops() <= old(self.evicted_ops()) + 1"),
        ensures(
            holds = "self.evicted_ops() == old(self.evicted_ops()) + u64::from(!ret.is_replay() && old(self.op_log_full(lease.shard)))"
        ),
        invariant(
            holds = "ret.value().len() >= 2 && self.split_is_exact(lease.shard, ret.value())"
        ),
        invariant(within(
            key = "ret.value().first().and_then(|c| self.cursor_key(*c))",
            range = "ret.value().first().and_then(|c| self.spec_of(*c))"
        )),
        test(
            init = "testkit::seeded()",
            steps = 8,
            cases = 64,
            strategy(
                now = "testkit::now()",
                lease = from_state("testkit::held_leases", otherwise = "testkit::lease()"),
                split_points = "testkit::split_points_in_seeded_shards()",
                op = "testkit::op_id()"
            )
        )
    )]
    fn split(
        &mut self,
        now: LogicalTime,
        lease: &Lease,
        split_points: Vec<Box<[u8]>>,
        op: OpId,
    ) -> Result<IdempotentOutcome<Vec<ShardId>>, SplitError> {
        let fields: Vec<Option<&[u8]>> = split_points.iter().map(|p| Some(&**p)).collect();
        let hash = PayloadHash::of(OpKind::Split, &fields);
        let record = tenant_record(&mut self.shards, lease)?;
        match record.op_log.lookup(op, hash)? {
            Some(Outcome::Split(children)) => {
                return Ok(IdempotentOutcome::Replayed(children.clone()));
            }
            // The hash covers the kind, so only a hash collision lands here: refuse it.
            Some(_) => return Err(SplitError::Conflict(OpIdConflict { op })),
            None => {}
        }
        check_lease(record, now, lease)?;
        let specs = split_at(&record.spec, &split_points)?;
        if let Some(key) = record.cursor.last_key()
            && let Some(index) = split_points.iter().position(|p| p.as_ref() <= key)
        {
            return Err(SplitError::BehindCursor { index });
        }
        let (tenant, run, cursor) = (record.tenant, record.run, record.cursor.clone());
        let mut children = Vec::with_capacity(specs.len());
        for (i, spec) in specs.into_iter().enumerate() {
            children.push(self.new_shard(ShardRecord {
                tenant,
                run,
                spec,
                cursor: if i == 0 { cursor.clone() } else { Cursor::initial() },
                status: ShardStatus::Active,
                fence: FenceEpoch::ZERO,
                holder: None,
                op_log: OpLog::default(),
                parent: Some(lease.shard),
            }));
        }
        let record = tenant_record(&mut self.shards, lease)?;
        record.status = ShardStatus::Split(children.clone());
        record.holder = None;
        let evicted = record.op_log.record(op, hash, Outcome::Split(children.clone()))?;
        self.note_eviction(evicted);
        Ok(IdempotentOutcome::Executed(children))
    }

    #[coordination(
        pattern = "failure-detection",
        pattern = "lease",
        cite = "hayashibara-2004",
        cite = "gray-cheriton-1989",
        invariant(holds = "ret.iter().all(|e| e.deadline <= now) && self.no_lapsed_holder(now)"),
        test(init = "testkit::seeded()", steps = 8, cases = 64, strategy(now = "testkit::now()"))
    )]
    fn expire_leases(&mut self, now: LogicalTime) -> Vec<ExpiredLease> {
        let mut expired = Vec::new();
        for (id, record) in &mut self.shards {
            if let Some(h) = record.holder.filter(|h| !h.is_live(now)) {
                record.holder = None;
                expired.push(ExpiredLease {
                    shard: *id,
                    owner: h.owner,
                    fence: record.fence,
                    deadline: h.deadline,
                });
            }
        }
        expired
    }
}

/// The predicates the woven checks are made of, tested on their own: a check cannot catch a
/// bug in its own predicate, so these are the oracle's tests (counted apart from the
/// generated ones).
#[cfg(test)]
mod oracle_tests {
    use super::*;
    use crate::testkit::{self, TENANT};

    #[test]
    fn tiling_availability_and_tenancy_of_the_seeded_run() {
        let mut c = testkit::seeded();
        let run = RunId(1);
        assert!(c.run_tiles_keyspace(run));
        assert!(c.every_run_tiles_keyspace());
        assert_eq!(c.tenant_of(run), Some(TENANT));
        assert_eq!(c.tenant_of(RunId(9)), None);
        // Every seeded shard is leased until t=100: none is available before, all after.
        assert!(c.available_in(run, LogicalTime(50)).is_empty());
        assert_eq!(c.available_in(run, LogicalTime(100)).len(), 3);
        // A gap in the tiling is seen.
        if let Some(r) = c.shards.get_mut(&ShardId(2)) {
            r.spec = ShardSpec::new(b"h", b"p").expect("a range");
        }
        assert!(!c.run_tiles_keyspace(run));
        assert!(!c.every_run_tiles_keyspace());
    }

    #[test]
    fn cursors_specs_and_release() {
        let mut c = testkit::seeded();
        assert_eq!(c.cursor_key(ShardId(1)).as_deref(), Some(&b"c14"[..]));
        assert_eq!(c.cursor_key(ShardId(3)), None);
        assert_eq!(c.cursor_of(ShardId(3)), Some(None));
        assert_eq!(c.cursor_of(ShardId(99)), None);
        assert!(!c.released_in(ShardId(1), |s| *s == ShardStatus::Active));
        if let Some(r) = c.shards.get_mut(&ShardId(1)) {
            r.holder = None;
        }
        assert!(c.released_in(ShardId(1), |s| *s == ShardStatus::Active));
        assert!(!c.released_in(ShardId(1), |s| *s == ShardStatus::Done));
        assert!(c.op_log_full(ShardId(1)));
        assert!(!c.op_log_full(ShardId(3)));
        assert!(c.no_lapsed_holder(LogicalTime(99)));
        assert!(!c.no_lapsed_holder(LogicalTime(100)));
    }

    #[test]
    fn an_exact_split_and_an_inexact_one() {
        let mut c = testkit::seeded();
        let lease =
            c.acquire(LogicalTime(100), TENANT, ShardId(2), WorkerId(7)).expect("lapsed, so free");
        let split = c
            .split(LogicalTime(100), &lease, vec![Box::from(&b"m"[..])], OpId(900))
            .expect("inside the shard");
        let children = split.value().clone();
        assert!(c.split_is_exact(ShardId(2), &children));
        assert!(!c.split_is_exact(ShardId(2), &children[..1]));
        let reversed: Vec<ShardId> = children.iter().rev().copied().collect();
        assert!(!c.split_is_exact(ShardId(2), &reversed));
    }
}
