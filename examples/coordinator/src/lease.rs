//! Leases: time-bounded, fenced ownership of one shard.

use crate::ids::{FenceEpoch, LogicalTime, RunId, ShardId, TenantId, WorkerId};
use distaudit::coordination;

/// What a worker holds while it owns a shard, and presents on every write.
///
/// Only the coordinator makes leases. Two numbers make a lease safe to act on:
/// - `fence`: the epoch of this grant. Every grant gets a larger one, so once a shard has
///   changed hands the old holder's writes carry a smaller epoch and are refused, however
///   late they arrive (a paused process, a slow network).
/// - `deadline`: the logical time at which the grant lapses unless renewed. Ownership of a
///   crashed worker's shard moves on without its cooperation.
#[coordination(
    pattern = "lease",
    pattern = "fencing",
    cite = "gray-cheriton-1989",
    cite = "burrows-2006",
    cite = "kleppmann-2016"
)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a lease that is dropped keeps its shard from other workers until it expires"]
pub struct Lease {
    pub(crate) tenant: TenantId,
    pub(crate) run: RunId,
    pub(crate) shard: ShardId,
    pub(crate) owner: WorkerId,
    pub(crate) fence: FenceEpoch,
    pub(crate) deadline: LogicalTime,
}

impl Lease {
    /// The tenant of the shard.
    #[must_use]
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// The run of the shard.
    #[must_use]
    pub fn run(&self) -> RunId {
        self.run
    }

    /// The leased shard.
    #[must_use]
    pub fn shard(&self) -> ShardId {
        self.shard
    }

    /// The worker the lease was granted to.
    #[must_use]
    pub fn owner(&self) -> WorkerId {
        self.owner
    }

    /// The fencing epoch of this grant.
    #[must_use]
    pub fn fence(&self) -> FenceEpoch {
        self.fence
    }

    /// The logical time the lease lapses at, as of when it was granted or last renewed.
    /// The lease is live while `now < deadline`.
    #[must_use]
    pub fn deadline(&self) -> LogicalTime {
        self.deadline
    }
}

/// The coordinator's side of a lease: who holds the shard and until when. The epoch lives
/// in the shard record, which keeps the latest one ever issued for the shard.
#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LeaseHolder {
    pub(crate) owner: WorkerId,
    pub(crate) deadline: LogicalTime,
}

impl LeaseHolder {
    /// Live at `now` (half-open: the lease lapses at its deadline).
    pub(crate) fn is_live(self, now: LogicalTime) -> bool {
        now < self.deadline
    }
}

/// A lease the failure detector found lapsed: its holder is *suspected*, not known to be
/// dead (it may only be slow). The shard becomes available again, and the fence keeps the
/// holder harmless if it comes back.
#[coordination(
    pattern = "failure-detection",
    pattern = "lease",
    cite = "hayashibara-2004",
    cite = "gray-cheriton-1989"
)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpiredLease {
    /// The shard that became available.
    pub shard: ShardId,
    /// The suspected worker.
    pub owner: WorkerId,
    /// The epoch of the lapsed grant; the next grant of the shard gets a larger one.
    pub fence: FenceEpoch,
    /// When it lapsed.
    pub deadline: LogicalTime,
}
