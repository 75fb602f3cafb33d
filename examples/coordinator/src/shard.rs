//! Shards: half-open ranges `[start, end)` of a run's byte keyspace (D2.2, D3.3), how a
//! range is split into children that tile it exactly, and the lifecycle of a shard.

use crate::ids::ShardId;
use distaudit::{KeyRange, coordination};
use std::fmt;

#[cfg(test)]
use crate::testkit;

/// The key range of a shard: `start` included, `end` excluded, an empty bound unbounded on
/// its side. Keys are raw bytes compared lexicographically, the order of the keyspace
/// itself (never text or integers, D3.3).
///
/// The annotation checks the shape (two byte-string bounds) and implements
/// [`distaudit::KeyRange`] for it, so the woven-in `within` checks of the coordinator can
/// test cursors against it.
#[coordination(
    pattern = "shard",
    cite = "chang-2006",
    cite = "corbett-2012",
    implements = "D2.2",
    implements = "D3.3"
)]
#[derive(Clone, PartialEq, Eq)]
pub struct ShardSpec {
    start: Box<[u8]>,
    end: Box<[u8]>,
}

impl ShardSpec {
    /// The whole keyspace: unbounded on both sides.
    #[must_use]
    pub fn whole() -> Self {
        Self { start: Box::default(), end: Box::default() }
    }

    /// `[start, end)`, or `None` when the range is empty (`end <= start` with a bounded
    /// end).
    #[must_use]
    pub fn new(start: &[u8], end: &[u8]) -> Option<Self> {
        (end.is_empty() || start < end).then(|| Self { start: start.into(), end: end.into() })
    }
}

/// Keys are shown as printable text where they are, bytes otherwise: the demo keyspace is
/// made of object paths. (A real scanner would print lengths and hashes only.)
pub(crate) struct ShowKey<'a>(pub &'a [u8]);

impl fmt::Display for ShowKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.iter().all(|b| b.is_ascii_graphic()) {
            write!(f, "\"{}\"", String::from_utf8_lossy(self.0))
        } else {
            write!(f, "{:02x?}", self.0)
        }
    }
}

impl fmt::Debug for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = self.start_key();
        let end = self.end_key();
        if start.is_empty() {
            f.write_str("[-inf, ")?;
        } else {
            write!(f, "[{}, ", ShowKey(start))?;
        }
        if end.is_empty() { f.write_str("+inf)") } else { write!(f, "{})", ShowKey(end)) }
    }
}

/// Why a split plan was refused. Keys are not echoed (they may be secrets): only their
/// position in the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitPlanError {
    /// A split needs at least one point.
    NoPoints,
    /// Point `index` is empty, which would mean "unbounded" as a bound.
    EmptyPoint {
        /// Position in the plan.
        index: usize,
    },
    /// Point `index` is not strictly greater than the one before it.
    NotIncreasing {
        /// Position in the plan.
        index: usize,
    },
    /// Point `index` is not strictly inside the parent, so a child would be empty.
    OutsideParent {
        /// Position in the plan.
        index: usize,
    },
}

impl fmt::Display for SplitPlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPoints => f.write_str("a split needs at least one split point"),
            Self::EmptyPoint { index } => write!(f, "split point #{index} is empty"),
            Self::NotIncreasing { index } => {
                write!(f, "split point #{index} does not increase strictly")
            }
            Self::OutsideParent { index } => {
                write!(f, "split point #{index} is not strictly inside the parent range")
            }
        }
    }
}

impl std::error::Error for SplitPlanError {}

/// Whether `children` tile `parent` exactly: the first starts where the parent starts, the
/// last ends where it ends, each starts where the one before ended (no gap, no overlap)
/// and none is empty.
#[coordination(pattern = "shard", cite = "chang-2006", cite = "corbett-2012", implements = "D2.2")]
#[must_use]
pub fn tiles(parent: &ShardSpec, children: &[ShardSpec]) -> bool {
    let (Some(first), Some(last)) = (children.first(), children.last()) else {
        return false;
    };
    first.start_key() == parent.start_key()
        && last.end_key() == parent.end_key()
        && children
            .windows(2)
            .all(|w| w[0].end_key() == w[1].start_key() && !w[0].end_key().is_empty())
        && children.iter().all(|c| c.end_key().is_empty() || c.start_key() < c.end_key())
}

/// Split `parent` at `points` into `points.len() + 1` consecutive children.
///
/// Children share bounds (the end of one is the start of the next), which is what makes
/// half-open ranges split without gaps or overlaps. The generated property test feeds it
/// arbitrary parents and plans; the `holds` check on `ret` is the oracle.
///
/// # Errors
/// [`SplitPlanError`] when the plan is empty, a point is empty, the points do not increase
/// strictly, or a point is not strictly inside the parent.
#[coordination(
    pattern = "shard",
    cite = "chang-2006",
    cite = "corbett-2012",
    implements = "D2.2",
    invariant(holds = "ret.len() == points.len() + 1 && tiles(parent, &ret)"),
    test(cases = 128, strategy(parent = "testkit::spec()", points = "testkit::split_points()"))
)]
pub fn split_at(
    parent: &ShardSpec,
    points: &[Box<[u8]>],
) -> Result<Vec<ShardSpec>, SplitPlanError> {
    if points.is_empty() {
        return Err(SplitPlanError::NoPoints);
    }
    for (index, point) in points.iter().enumerate() {
        if point.is_empty() {
            return Err(SplitPlanError::EmptyPoint { index });
        }
        if index > 0 && points[index - 1] >= *point {
            return Err(SplitPlanError::NotIncreasing { index });
        }
        let above_start = point.as_ref() > parent.start_key();
        let below_end = parent.end_key().is_empty() || point.as_ref() < parent.end_key();
        if !(above_start && below_end) {
            return Err(SplitPlanError::OutsideParent { index });
        }
    }
    let mut bounds: Vec<&[u8]> = Vec::with_capacity(points.len() + 2);
    bounds.push(parent.start_key());
    bounds.extend(points.iter().map(AsRef::as_ref));
    bounds.push(parent.end_key());
    Ok(bounds.windows(2).map(|w| ShardSpec { start: w[0].into(), end: w[1].into() }).collect())
}

/// Why a shard was parked: taken out of circulation until an operator looks at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParkReason {
    /// An item in the range makes every worker fail.
    PoisonedInput,
    /// The data source refuses to serve the range.
    SourceUnavailable,
    /// An operator asked for it.
    Operator,
}

impl ParkReason {
    /// A stable byte for payload hashes.
    #[must_use]
    pub const fn code(self) -> u8 {
        match self {
            Self::PoisonedInput => 1,
            Self::SourceUnavailable => 2,
            Self::Operator => 3,
        }
    }
}

/// The lifecycle of a shard. `Active` is the only state in which protocol operations
/// change anything; `Done`, `Parked` and `Split` are terminal, so replaying the inputs of a
/// shard in order always ends in the same state.
#[coordination(pattern = "state-machine", cite = "schneider-1990", cite = "lamport-1978")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShardStatus {
    /// Being scanned, or waiting for a worker.
    Active,
    /// Every key in the range has been processed.
    Done,
    /// Taken out of circulation.
    Parked(ParkReason),
    /// Replaced by these children, which tile its range.
    Split(Vec<ShardId>),
}

impl ShardStatus {
    /// Whether no protocol operation changes this shard any more.
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        !matches!(self, Self::Active)
    }

    /// A short name for traces and errors.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Done => "done",
            Self::Parked(_) => "parked",
            Self::Split(_) => "split",
        }
    }
}
