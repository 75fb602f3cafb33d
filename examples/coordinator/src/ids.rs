//! Identifiers and the two clocks of the protocol: logical time and fence epochs.
//!
//! Every identifier is a distinct newtype so a shard id can never be passed where a run id
//! is expected. None of them is a key of the keyspace: keys are byte strings (D3.3) and
//! live in [`ShardSpec`](crate::ShardSpec) and [`Cursor`](crate::Cursor).

use distaudit::coordination;
use std::fmt;

/// A tenant: the unit of isolation. A request for one tenant never sees another's shards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TenantId(pub u32);

/// A run: one scan of a tenant's keyspace, split into shards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunId(pub u32);

/// A shard of a run. Ids are issued by the coordinator and never reused, split children
/// included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShardId(pub u64);

/// A worker process that holds leases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkerId(pub u32);

/// A client-chosen operation id: retrying an operation reuses its id, a new operation
/// takes a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpId(pub u64);

macro_rules! display_as {
    ($($ty:ident => $word:literal),* $(,)?) => {
        $(impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($word, " {}"), self.0)
            }
        })*
    };
}

display_as!(TenantId => "tenant", RunId => "run", ShardId => "shard", WorkerId => "worker", OpId => "op");

/// Logical time, in ticks. The coordinator never reads a clock: every operation is
/// handed `now`, so the same inputs always give the same outcome and a simulation can
/// drive time however it likes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogicalTime(pub u64);

impl LogicalTime {
    /// `self + ticks`, saturating at the end of time.
    #[must_use]
    pub const fn plus(self, ticks: u64) -> Self {
        Self(self.0.saturating_add(ticks))
    }
}

impl fmt::Display for LogicalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={}", self.0)
    }
}

/// A fencing token. The coordinator issues a new, larger epoch on every grant of a lease
/// (one counter for the whole coordinator, so an epoch names exactly one grant and is
/// never reused) and refuses any write that presents an older one.
#[coordination(pattern = "fencing", cite = "burrows-2006", cite = "kleppmann-2016")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FenceEpoch(pub u64);

impl FenceEpoch {
    /// The epoch before any grant. No lease ever carries it.
    pub const ZERO: Self = Self(0);

    /// The next epoch.
    #[must_use]
    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

impl fmt::Display for FenceEpoch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fence {}", self.0)
    }
}
