//! The coordination families the audit tells apart: their identity, shared by the family
//! table and the detectors.

/// The coordination families of the report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Lease,
    Fence,
    Consensus,
    Cursor,
    Shard,
    Idempotency,
    StateMachine,
    FailureDetection,
    RetryBackpressure,
}
