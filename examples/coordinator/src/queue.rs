//! A bounded queue with explicit backpressure, and the mailbox through which workers
//! report progress to the coordinator.
//!
//! Workers produce reports faster than a busy coordinator may apply them. Rather than
//! buffering without limit (memory grows, latency grows, and a crash loses everything
//! buffered), the mailbox holds a fixed number of reports and refuses the next one,
//! handing it back. The worker keeps it and retries later with the same `OpId`, which is
//! safe because every report is idempotent.

use crate::backend::CoordinationBackend;
use crate::cursor::Cursor;
use crate::error::ProgressError;
use crate::idempotency::IdempotentOutcome;
use crate::ids::{LogicalTime, OpId, ShardId};
use crate::lease::Lease;
use distaudit::coordination;
use std::collections::VecDeque;
use std::fmt;

/// The queue was full: the item comes back to the producer, which decides what to do
/// with it (wait, retry, shed load and say so). Nothing is dropped on the floor.
#[derive(Clone, PartialEq, Eq)]
pub struct Backpressure<T> {
    /// The refused item.
    pub item: T,
    /// The queue's capacity.
    pub capacity: usize,
}

impl<T> fmt::Debug for Backpressure<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Backpressure {{ capacity: {} }}", self.capacity)
    }
}

impl<T> fmt::Display for Backpressure<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "queue full ({} items): try again later", self.capacity)
    }
}

/// A first-in first-out queue that never holds more than its capacity.
#[coordination(pattern = "backpressure", cite = "welsh-2001")]
#[derive(Clone, Debug)]
pub struct WorkQueue<T> {
    items: VecDeque<T>,
    capacity: usize,
    refused: u64,
}

/// The queue's state machine: offers and takes interleaved, the bound checked after every
/// call.
#[distaudit::audit(test(cases = 64, steps = 24, init = "WorkQueue::<u8>::with_capacity(3)"))]
impl<T> WorkQueue<T> {
    /// An empty queue holding at most `capacity` items.
    ///
    /// # Panics
    /// If `capacity` is zero: such a queue would refuse everything.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        assert!(capacity > 0, "a work queue needs room for at least one item");
        Self { items: VecDeque::with_capacity(capacity), capacity, refused: 0 }
    }

    /// Items waiting.
    #[must_use]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is waiting.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The most items the queue holds.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many offers were refused so far: the overload signal to watch.
    #[must_use]
    pub fn refused(&self) -> u64 {
        self.refused
    }

    /// Add `item` at the back, or hand it back when the queue is full.
    ///
    /// # Errors
    /// [`Backpressure`] carrying the item when the queue holds `capacity` items.
    #[coordination(
        pattern = "backpressure",
        cite = "welsh-2001",
        invariant(holds = "self.len() <= self.capacity()"),
        test(strategy(item = "any::<u8>()"))
    )]
    pub fn offer(&mut self, item: T) -> Result<(), Backpressure<T>> {
        if self.items.len() >= self.capacity {
            self.refused += 1;
            return Err(Backpressure { item, capacity: self.capacity });
        }
        self.items.push_back(item);
        Ok(())
    }

    /// Take the item at the front, if any.
    #[coordination(
        pattern = "backpressure",
        cite = "welsh-2001",
        invariant(holds = "self.len() <= self.capacity()"),
        test
    )]
    pub fn take(&mut self) -> Option<T> {
        self.items.pop_front()
    }
}

/// Which operation a report asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    /// [`CoordinationBackend::checkpoint`].
    Checkpoint,
    /// [`CoordinationBackend::complete`].
    Complete,
}

/// A worker's progress report, waiting in the mailbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// What to do.
    pub kind: ReportKind,
    /// The lease the worker holds.
    pub lease: Lease,
    /// Where the scan stands.
    pub cursor: Cursor,
    /// The worker's id for this operation; a retry reuses it.
    pub op: OpId,
}

/// The coordinator's answer to one report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The report's operation id.
    pub op: OpId,
    /// The report's kind.
    pub kind: ReportKind,
    /// What the coordinator did.
    pub result: Result<IdempotentOutcome<ShardId>, ProgressError>,
}

/// The bounded mailbox between workers and the coordinator.
#[coordination(pattern = "backpressure", cite = "welsh-2001")]
#[derive(Clone, Debug)]
pub struct Mailbox {
    queue: WorkQueue<Report>,
}

impl Mailbox {
    /// A mailbox holding at most `capacity` reports.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self { queue: WorkQueue::with_capacity(capacity) }
    }

    /// Reports waiting.
    #[must_use]
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether no report is waiting.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// How many reports were refused so far.
    #[must_use]
    pub fn refused(&self) -> u64 {
        self.queue.refused()
    }

    /// Post a report.
    ///
    /// # Errors
    /// [`Backpressure`] handing the report back when the mailbox is full.
    #[coordination(pattern = "backpressure", cite = "welsh-2001")]
    pub fn post(&mut self, report: Report) -> Result<(), Backpressure<Report>> {
        self.queue.offer(report)
    }

    /// Apply up to `budget` waiting reports to `coordinator` at logical time `now`, oldest
    /// first, and answer every one of them.
    #[coordination(
        pattern = "backpressure",
        cite = "welsh-2001",
        invariant(holds = "ret.len() <= budget")
    )]
    pub fn deliver<C: CoordinationBackend>(
        &mut self,
        coordinator: &mut C,
        now: LogicalTime,
        budget: usize,
    ) -> Vec<Reply> {
        let mut replies = Vec::new();
        while replies.len() < budget {
            let Some(report) = self.queue.take() else {
                break;
            };
            let result = match report.kind {
                ReportKind::Checkpoint => {
                    coordinator.checkpoint(now, &report.lease, report.cursor, report.op)
                }
                ReportKind::Complete => {
                    coordinator.complete(now, &report.lease, report.cursor, report.op)
                }
            };
            replies.push(Reply { op: report.op, kind: report.kind, result });
        }
        replies
    }
}
