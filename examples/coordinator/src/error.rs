//! Typed refusals. Every refused operation changes nothing, and says why.

use crate::cursor::CursorError;
use crate::idempotency::OpIdConflict;
use crate::ids::{FenceEpoch, LogicalTime, RunId, ShardId, WorkerId};
use crate::shard::SplitPlanError;
use std::fmt;

/// Why a lease was not accepted for a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaseError {
    /// No such shard.
    UnknownShard(ShardId),
    /// The lease names another tenant than the shard's.
    TenantMismatch(ShardId),
    /// The shard is done, parked or split: nothing changes it any more.
    ShardTerminal {
        /// The shard.
        shard: ShardId,
        /// Its status, as a name.
        status: &'static str,
    },
    /// The shard has been granted again since this lease: its holder is a zombie.
    StaleFence {
        /// The epoch on the lease.
        presented: FenceEpoch,
        /// The epoch of the current grant.
        current: FenceEpoch,
    },
    /// The epoch matches but the worker does not: the lease was not granted to it.
    WrongOwner {
        /// The worker named on the lease.
        presented: WorkerId,
    },
    /// The lease has lapsed.
    Expired {
        /// When it lapsed.
        deadline: LogicalTime,
        /// The time of the request.
        now: LogicalTime,
    },
}

impl fmt::Display for LeaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownShard(s) => write!(f, "shard {} does not exist", s.0),
            Self::TenantMismatch(s) => write!(f, "shard {} belongs to another tenant", s.0),
            Self::ShardTerminal { shard, status } => {
                write!(f, "shard {} is {status}", shard.0)
            }
            Self::StaleFence { presented, current } => {
                write!(f, "stale fence: lease has {presented}, shard is at {current}")
            }
            Self::WrongOwner { presented } => {
                write!(f, "worker {} does not hold this lease", presented.0)
            }
            Self::Expired { deadline, now } => {
                write!(f, "lease expired at {deadline} (now {now})")
            }
        }
    }
}

impl std::error::Error for LeaseError {}

/// Why a shard could not be acquired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcquireError {
    /// No such shard.
    UnknownShard(ShardId),
    /// The shard belongs to another tenant.
    TenantMismatch(ShardId),
    /// The shard is done, parked or split.
    ShardTerminal {
        /// The shard.
        shard: ShardId,
        /// Its status, as a name.
        status: &'static str,
    },
    /// Another lease on the shard is live.
    AlreadyLeased {
        /// Its holder.
        owner: WorkerId,
        /// When it lapses unless renewed.
        deadline: LogicalTime,
    },
}

impl fmt::Display for AcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownShard(s) => write!(f, "shard {} does not exist", s.0),
            Self::TenantMismatch(s) => write!(f, "shard {} belongs to another tenant", s.0),
            Self::ShardTerminal { shard, status } => {
                write!(f, "shard {} is {status}", shard.0)
            }
            Self::AlreadyLeased { owner, deadline } => {
                write!(f, "worker {} holds the shard until {deadline}", owner.0)
            }
        }
    }
}

impl std::error::Error for AcquireError {}

/// Why no shard was claimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimError {
    /// No such run.
    UnknownRun(RunId),
    /// The run belongs to another tenant.
    TenantMismatch(RunId),
    /// Every active shard of the run is leased.
    NothingAvailable,
}

impl fmt::Display for ClaimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownRun(r) => write!(f, "run {} does not exist", r.0),
            Self::TenantMismatch(r) => write!(f, "run {} belongs to another tenant", r.0),
            Self::NothingAvailable => f.write_str("no shard of the run is available"),
        }
    }
}

impl std::error::Error for ClaimError {}

/// Why a run could not be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunError {
    /// The split points do not cut the keyspace into shards.
    Plan(SplitPlanError),
}

impl From<SplitPlanError> for RunError {
    fn from(e: SplitPlanError) -> Self {
        Self::Plan(e)
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Plan(e) => write!(f, "bad run plan: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Why a checkpoint or a completion was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressError {
    /// The lease does not allow writes.
    Lease(LeaseError),
    /// The cursor would break D2.3, D2.4 or D2.5.
    Cursor(CursorError),
    /// The op id was used with another payload.
    Conflict(OpIdConflict),
}

/// Why a park was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParkError {
    /// The lease does not allow writes.
    Lease(LeaseError),
    /// The op id was used with another payload.
    Conflict(OpIdConflict),
}

/// Why a split was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The lease does not allow writes.
    Lease(LeaseError),
    /// The split points do not cut the shard into children.
    Plan(SplitPlanError),
    /// A split point is at or below the shard's cursor: only the part not yet scanned can
    /// be split off.
    BehindCursor {
        /// Position of the point in the plan.
        index: usize,
    },
    /// The op id was used with another payload.
    Conflict(OpIdConflict),
}

macro_rules! from_impls {
    ($target:ident: $($variant:ident($source:ty)),* $(,)?) => {
        $(impl From<$source> for $target {
            fn from(e: $source) -> Self {
                Self::$variant(e)
            }
        })*
    };
}

from_impls!(ProgressError: Lease(LeaseError), Cursor(CursorError), Conflict(OpIdConflict));
from_impls!(ParkError: Lease(LeaseError), Conflict(OpIdConflict));
from_impls!(SplitError: Lease(LeaseError), Plan(SplitPlanError), Conflict(OpIdConflict));

impl fmt::Display for ProgressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lease(e) => e.fmt(f),
            Self::Cursor(e) => e.fmt(f),
            Self::Conflict(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for ParkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lease(e) => e.fmt(f),
            Self::Conflict(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lease(e) => e.fmt(f),
            Self::Plan(e) => e.fmt(f),
            Self::BehindCursor { index } => write!(
                f,
                "split point #{index} is not above the cursor: only unscanned keys can be split off"
            ),
            Self::Conflict(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ProgressError {}
impl std::error::Error for ParkError {}
impl std::error::Error for SplitError {}
