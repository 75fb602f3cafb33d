//! # coordinator: a shard coordinator under distaudit
//!
//! An in-memory, single-process coordination backend of the kind a distributed secret
//! scanner runs: a run's byte keyspace is cut into shards, workers take shards under
//! leases with fence epochs, report progress as two-layer cursors, and every write is
//! idempotent. Each coordination item carries a `#[coordination(..)]` annotation, so the
//! compiler checks its citations, the locked decisions and the anti-patterns, weaves the
//! declared invariants into the code, and `cargo test` runs a property test for every
//! state-changing operation. Open an item's docs to read its decision record.
//!
//! | module | what | patterns |
//! |---|---|---|
//! | [`ids`] | newtype ids, logical time, fence epochs | |
//! | [`shard`] | half-open byte ranges, splits, shard lifecycle | shard, state-machine |
//! | [`cursor`] | the two-layer cursor and the checkpoint rules | cursor |
//! | [`lease`] | leases and lapsed leases | lease, fencing |
//! | [`idempotency`] | op ids, payload hashes, the per-shard op log | idempotency |
//! | [`queue`] | the bounded mailbox between workers and coordinator | backpressure |
//! | [`backend`] | the coordination contract | all of the above |
//! | [`coordinator`] | the in-memory backend | all of the above, failure-detection |
//!
//! Time is an input: every operation that depends on it takes `now: LogicalTime`, and
//! nothing reads a clock.
//!
//! ```
//! use coordinator::{Config, CoordinationBackend, Cursor, InMemoryCoordinator};
//! use coordinator::ids::{LogicalTime, OpId, TenantId, WorkerId};
//!
//! let mut c = InMemoryCoordinator::new(Config { lease_ttl: 10 });
//! let run = c.create_run(TenantId(1), &[Box::from(&b"m"[..])]).unwrap();
//! let lease = c
//!     .claim_next_available(LogicalTime(0), TenantId(1), run.run, WorkerId(1))
//!     .unwrap();
//! let done = c.checkpoint(LogicalTime(1), &lease, Cursor::at(b"c"), OpId(1)).unwrap();
//! assert!(!done.is_replay());
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod backend;
pub mod coordinator;
pub mod cursor;
pub mod error;
pub mod idempotency;
pub mod ids;
pub mod lease;
pub mod queue;
pub mod shard;

#[cfg(test)]
mod testkit;

pub use backend::{CoordinationBackend, RunCreated};
pub use coordinator::{Config, InMemoryCoordinator, ShardView};
pub use cursor::Cursor;
pub use lease::Lease;
pub use shard::ShardSpec;
