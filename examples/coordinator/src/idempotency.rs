//! Idempotent operations: every lease-gated write carries an [`OpId`] chosen by the
//! worker, and the coordinator remembers `(OpId, payload hash) -> outcome` per shard.
//!
//! - the same `OpId` with the same payload is a retry: it gets the recorded outcome and
//!   changes nothing, even if the lease has lapsed since (the write already happened);
//! - the same `OpId` with a different payload is a client bug: it is refused as a
//!   conflict rather than guessed at;
//! - a new `OpId` executes and is recorded.

use crate::ids::{OpId, ShardId};
use distaudit::coordination;
use std::collections::VecDeque;
use std::fmt;

#[cfg(test)]
use crate::testkit;

/// How many operations a shard remembers. A retry older than this window executes again;
/// that is safe for this protocol because a re-executed checkpoint at the same key is
/// progress of zero and the terminal operations (complete, park, split) are the last
/// entries of their shard, so they are never pushed out.
pub const OP_LOG_CAPACITY: usize = 16;

/// The kinds of recorded operation. Part of the payload hash, so one `OpId` cannot be
/// reused for a different kind of operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// Progress on a shard.
    Checkpoint,
    /// The shard is done.
    Complete,
    /// The shard is taken out of circulation.
    Park,
    /// The shard is replaced by children.
    Split,
}

/// A fingerprint of an operation's kind and payload. FNV-1a over a length-prefixed
/// encoding, enough for an in-memory example; a persistent coordinator would use a
/// cryptographic hash so that payloads cannot be made to collide.
#[coordination(pattern = "idempotency", cite = "kafka-kip-98", cite = "leach-2017")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PayloadHash(pub u64);

impl PayloadHash {
    /// Hash an operation of `kind` with these payload fields (an absent field is distinct
    /// from an empty one).
    #[must_use]
    pub fn of(kind: OpKind, fields: &[Option<&[u8]>]) -> Self {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for b in bytes {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(&[kind as u8]);
        for field in fields {
            match field {
                None => eat(&[0]),
                Some(bytes) => {
                    eat(&[1]);
                    eat(&(bytes.len() as u64).to_le_bytes());
                    eat(bytes);
                }
            }
        }
        Self(hash)
    }
}

/// What an executed operation returned, kept for its retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The cursor was advanced.
    Checkpointed,
    /// The shard was completed.
    Completed,
    /// The shard was parked.
    Parked,
    /// The shard was split into these children.
    Split(Vec<ShardId>),
}

/// The answer to an idempotent operation: whether it ran now or was a retry of one that
/// already ran. Both carry the same value.
#[coordination(pattern = "idempotency", cite = "kafka-kip-98", cite = "leach-2017")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdempotentOutcome<T> {
    /// The operation ran now.
    Executed(T),
    /// A retry: the operation had already run; this is its recorded outcome.
    Replayed(T),
}

impl<T> IdempotentOutcome<T> {
    /// The value, however it was obtained.
    #[must_use]
    pub fn value(&self) -> &T {
        match self {
            Self::Executed(v) | Self::Replayed(v) => v,
        }
    }

    /// Whether this was a retry answered from the log.
    #[must_use]
    pub fn is_replay(&self) -> bool {
        matches!(self, Self::Replayed(_))
    }
}

/// The same `OpId` came with a different payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpIdConflict {
    /// The reused id.
    pub op: OpId,
}

impl fmt::Display for OpIdConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "op {} was already used with a different payload", self.op.0)
    }
}

impl std::error::Error for OpIdConflict {}

#[derive(Clone, Debug, PartialEq, Eq)]
struct OpEntry {
    op: OpId,
    hash: PayloadHash,
    outcome: Outcome,
}

/// One shard's memory of executed operations: the last [`OP_LOG_CAPACITY`] of them.
#[coordination(pattern = "idempotency", cite = "kafka-kip-98", cite = "leach-2017")]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpLog {
    entries: VecDeque<OpEntry>,
}

#[distaudit::audit]
impl OpLog {
    /// How many operations are remembered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is remembered yet.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The recorded outcome of `op` if it already ran with this payload, `None` if it is
    /// new.
    ///
    /// # Errors
    /// [`OpIdConflict`] when `op` ran with a different payload.
    #[coordination(
        pattern = "idempotency",
        cite = "kafka-kip-98",
        cite = "leach-2017",
        invariant(holds = "self.len() <= OP_LOG_CAPACITY")
    )]
    pub fn lookup(&self, op: OpId, hash: PayloadHash) -> Result<Option<&Outcome>, OpIdConflict> {
        match self.entries.iter().rev().find(|e| e.op == op) {
            None => Ok(None),
            Some(e) if e.hash == hash => Ok(Some(&e.outcome)),
            Some(_) => Err(OpIdConflict { op }),
        }
    }

    /// Remember that `op` ran with payload `hash` and produced `outcome`. When the window
    /// is full the oldest entry makes room, and its id is returned so the caller can
    /// account for it (nothing leaves the log unreported).
    ///
    /// # Errors
    /// [`OpIdConflict`] when `op` is already recorded with a different payload.
    #[coordination(
        pattern = "idempotency",
        cite = "kafka-kip-98",
        cite = "leach-2017",
        invariant(holds = "self.len() <= OP_LOG_CAPACITY"),
        invariant(
            holds = "ret.is_none_or(|evicted| evicted != op) && matches!(self.lookup(op, hash), Ok(Some(_)))"
        ),
        test(
            init = "OpLog::default()",
            steps = 40,
            cases = 64,
            strategy(
                op = "testkit::wide_op_id()",
                hash = "testkit::payload_hash()",
                outcome = "testkit::outcome()"
            )
        )
    )]
    pub fn record(
        &mut self,
        op: OpId,
        hash: PayloadHash,
        outcome: Outcome,
    ) -> Result<Option<OpId>, OpIdConflict> {
        if self.lookup(op, hash)?.is_some() {
            return Ok(None);
        }
        let evicted = if self.entries.len() == OP_LOG_CAPACITY {
            self.entries.pop_front().map(|e| e.op)
        } else {
            None
        };
        self.entries.push_back(OpEntry { op, hash, outcome });
        Ok(evicted)
    }
}
