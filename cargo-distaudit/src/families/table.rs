//! The family table: one row per coordination family (its report name and JSON id, the
//! registry patterns it maps to, the nouns and verbs that name it, the state it keeps and
//! its behaviour detector), in the style of the engine's `KINDS` table. Adding a family is
//! a row here, a detector in `detectors.rs` and a test.

use super::detectors::{self, Act, Facts};
use super::family::Family;
use super::words::{TTL_WORDS, Words};

/// One family: how it is named and how its behaviour is recognised.
pub struct FamilyRow {
    pub family: Family,
    /// Stable id for machine-readable output (`lease`), separate from the display name.
    pub id: &'static str,
    /// The family's name in reports.
    pub name: &'static str,
    /// The registry patterns to consider for code of this family; an annotated type of
    /// any of them covers its methods for this family.
    pub patterns: &'static [&'static str],
    /// The nouns that name the family's things in an item's own name.
    pub nouns: &'static [&'static str],
    /// Verbs of operations on its things: they name the family when the signature or the
    /// host type carries one of its nouns.
    pub verbs: &'static [&'static str],
    /// What it keeps as state: fields and places named so, decided on or changed, are its
    /// behaviour.
    pub state: &'static [&'static str],
    /// Names that count only in context (ambiguous nouns: a parser's `cursor`, a GC's
    /// `epoch`): `(name, context)`.
    pub named_in_context: fn(&Words, &Words) -> bool,
    /// What the code does: the behaviour detector.
    pub behaviour: fn(&Facts<'_>) -> Act,
}

/// Types whose methods coordinate whatever they do: the roles of a coordination protocol.
pub(super) const ROLES: [&str; 12] = [
    "coordinator",
    "coordination",
    "scheduler",
    "leader",
    "follower",
    "candidate",
    "replica",
    "supervisor",
    "controller",
    "orchestrator",
    "grantor",
    "raft",
];

/// Words of a progress position: with them a `cursor` is a coordination cursor.
const KEY_CONTEXT: [&str; 8] = [
    "key",
    "checkpoint",
    "watermark",
    "resume",
    "progress",
    "lastkey",
    "offset",
    "commit",
];

/// Words next to which an `epoch` is a fencing token.
const FENCE_CONTEXT: [&str; 11] = [
    "fence", "fencing", "lease", "leader", "term", "token", "stale", "holder", "owner", "grant",
    "shard",
];

/// Words next to which a `shard` is a piece of a keyspace.
const SHARD_CONTEXT: [&str; 17] = [
    "key", "keys", "range", "start", "end", "keyspace", "split", "lease", "cursor", "fence",
    "worker", "spec", "run", "tenant", "status", "parent", "child",
];

/// Words of a lock kept in another process (a Redis key, a ZooKeeper node); `remote` is
/// added to a body's words when it sends a request.
const REMOTE_MARKS: [&str; 6] = [
    "remote",
    "redis",
    "znode",
    "ephemeral",
    "sequential",
    "etcd",
];

fn no_context(_: &Words, _: &Words) -> bool {
    false
}

fn lease_in_context(name: &Words, context: &Words) -> bool {
    // A lock with a time to live is a lease; an in-process mutex is not.
    name.any(&["lock", "locks", "locking", "redlock"])
        && (name.any(&TTL_WORDS) || context.any(&TTL_WORDS) || context.any(&REMOTE_MARKS))
}

fn fence_in_context(name: &Words, context: &Words) -> bool {
    // An epoch is a fence next to a lease, a leader's term or a stale holder; crossbeam's
    // garbage-collection epoch is not.
    name.any(&["epoch", "epochs"]) && (name.any(&FENCE_CONTEXT) || context.any(&FENCE_CONTEXT))
}

fn consensus_in_context(name: &Words, context: &Words) -> bool {
    // A term is the election's only next to votes or a leader (a search term is not).
    name.any(&["term", "terms"]) && context.any(&["vote", "voted", "leader", "candidate"])
}

fn cursor_in_context(name: &Words, context: &Words) -> bool {
    // A parser's cursor is not a checkpoint: the noun counts next to a key; a consumer's
    // offset counts next to a commit or a partition.
    (name.any(&["cursor", "cursors"]) && (name.any(&KEY_CONTEXT) || context.any(&KEY_CONTEXT)))
        || (name.any(&["offset", "offsets"])
            && (name.any(&["commit", "consumed", "consumer", "partition", "group"])
                || context.any(&["commit", "consumer", "partition"])))
}

fn shard_in_context(name: &Words, context: &Words) -> bool {
    // A lock's shard is not a keyspace shard: the noun counts next to keys, ranges or the
    // things a coordinator keeps per shard. A ring buffer is not a hash ring.
    (name.any(&["shard", "shards", "sharding"])
        && (name.any(&SHARD_CONTEXT) || context.any(&SHARD_CONTEXT)))
        || (name.has("key") && name.has("range"))
        || (name.any(&["ring"])
            && (name.has("hash") || context.any(&["hash", "hasher", "vnode", "replicas"])))
}

fn idempotency_in_context(name: &Words, context: &Words) -> bool {
    // `Vec::dedup` is not idempotency: deduplicating requests or messages is.
    name.any(&["dedup", "dedupe", "deduplicate", "deduplication"])
        && (name.any(&["op", "request", "message", "msg", "delivery", "payload"])
            || context.any(&["opid", "request", "message", "payload", "idempotency"]))
}

fn state_machine_in_context(name: &Words, context: &Words) -> bool {
    // The states of an automaton are not a protocol's: the words count for the roles of
    // one (a coordinator, a worker, a shard's lifecycle).
    const PARTIES: [&str; 5] = ["worker", "shard", "lease", "peer", "tenant"];
    let parties = |w: &Words| w.any(&ROLES) || w.any(&PARTIES);
    (name.any(&["state", "status", "lifecycle", "phase"]) && parties(name))
        || (name.any(&["transition", "transitions"]) && (parties(name) || parties(context)))
}

fn retry_in_context(name: &Words, context: &Words) -> bool {
    const BOUND: [&str; 6] = ["bound", "bounded", "capacity", "full", "limit", "budget"];
    name.any(&["queue", "mailbox", "inbox", "outbox"]) && (name.any(&BOUND) || context.any(&BOUND))
}

/// The families, strongest claim first when an item fits several.
pub const FAMILIES: [FamilyRow; 9] = [
    FamilyRow {
        family: Family::Lease,
        id: "lease",
        name: "lease acquire/renew/expire/revoke",
        patterns: &["lease", "fencing"],
        nouns: &[
            "lease",
            "leases",
            "leased",
            "leasing",
            "leaseholder",
            "redlock",
        ],
        verbs: &[
            "acquire",
            "renew",
            "release",
            "revoke",
            "expire",
            "grant",
            "claim",
            "steal",
            "extend",
            "lapse",
            "relinquish",
            "unlock",
            "lock",
        ],
        state: &[
            "deadline",
            "expiry",
            "expires",
            "expiration",
            "ttl",
            "holder",
            "lease",
            "leases",
            "leased",
            "validity",
            "renew",
        ],
        named_in_context: lease_in_context,
        behaviour: detectors::lease,
    },
    FamilyRow {
        family: Family::Fence,
        id: "fencing",
        name: "epoch and fence checks",
        patterns: &["fencing"],
        nouns: &["fence", "fences", "fencing", "incarnation"],
        verbs: &[
            "bump", "issue", "advance", "check", "validate", "reject", "refute",
        ],
        state: &["fence", "epoch", "fencing", "incarnation"],
        named_in_context: fence_in_context,
        behaviour: detectors::fence,
    },
    FamilyRow {
        family: Family::Consensus,
        id: "consensus",
        name: "consensus, votes and leader election",
        patterns: &["consensus", "leader-election"],
        nouns: &[
            "vote",
            "votes",
            "voting",
            "ballot",
            "quorum",
            "majority",
            "election",
            "elect",
            "consensus",
            "paxos",
            "raft",
        ],
        verbs: &[
            "elect", "campaign", "propose", "commit", "step", "become", "grant",
        ],
        state: &[
            "vote",
            "votes",
            "voted",
            "ballot",
            "quorum",
            "majority",
            "leader",
            "candidate",
            "commit",
            "committed",
            "election",
        ],
        named_in_context: consensus_in_context,
        behaviour: detectors::consensus,
    },
    FamilyRow {
        family: Family::Cursor,
        id: "cursor",
        name: "cursor advancement and checkpoints",
        patterns: &["cursor"],
        nouns: &[
            "checkpoint",
            "checkpoints",
            "checkpointed",
            "checkpointing",
            "watermark",
            "watermarks",
            "lastkey",
            "resumetoken",
        ],
        verbs: &[
            "advance",
            "checkpoint",
            "commit",
            "resume",
            "seek",
            "rewind",
            "settle",
        ],
        state: &[
            "key",
            "lastkey",
            "checkpoint",
            "watermark",
            "position",
            "progress",
            "offset",
            "offsets",
            "consumed",
        ],
        named_in_context: cursor_in_context,
        behaviour: detectors::cursor,
    },
    FamilyRow {
        family: Family::Shard,
        id: "shard",
        name: "shard boundary operations and splits",
        patterns: &["shard"],
        nouns: &["keyspace", "keyrange", "hashring"],
        verbs: &[
            "split",
            "merge",
            "tile",
            "tiles",
            "rebalance",
            "assign",
            "partition",
            "carve",
        ],
        state: &[
            "start", "end", "range", "bound", "bounds", "lower", "upper", "split", "keyspace",
            "ring",
        ],
        named_in_context: shard_in_context,
        behaviour: detectors::shard,
    },
    FamilyRow {
        family: Family::Idempotency,
        id: "idempotency",
        name: "idempotency keys and op ids",
        patterns: &["idempotency"],
        nouns: &[
            "idempotency",
            "idempotent",
            "idempotence",
            "opid",
            "opids",
            "oplog",
            "payloadhash",
        ],
        verbs: &["lookup", "record", "replay", "dedupe", "remember"],
        state: &["op", "opid", "idempotency", "hash", "request", "dedup"],
        named_in_context: idempotency_in_context,
        behaviour: detectors::idempotency,
    },
    FamilyRow {
        family: Family::StateMachine,
        id: "state-machine",
        name: "state-machine transitions",
        patterns: &["state-machine"],
        nouns: &["statemachine"],
        verbs: &[
            "transition",
            "complete",
            "park",
            "finish",
            "fail",
            "abort",
            "activate",
        ],
        state: &["state", "status", "phase"],
        named_in_context: state_machine_in_context,
        behaviour: detectors::state_machine,
    },
    FamilyRow {
        family: Family::FailureDetection,
        id: "failure-detection",
        name: "failure detection and heartbeats",
        patterns: &["failure-detection", "lease"],
        nouns: &[
            "heartbeat",
            "heartbeats",
            "suspect",
            "suspected",
            "suspicion",
            "accrual",
            "liveness",
            "failuredetector",
            "ping",
            "probe",
            "probes",
        ],
        verbs: &["expire", "suspect", "detect", "probe", "ping"],
        state: &[
            "heartbeat",
            "seen",
            "suspect",
            "suspected",
            "phi",
            "missed",
            "deadline",
            "lapsed",
            "ping",
            "probe",
        ],
        named_in_context: no_context,
        behaviour: detectors::failure_detection,
    },
    FamilyRow {
        family: Family::RetryBackpressure,
        id: "retry",
        name: "retry, backoff and queue bounds",
        patterns: &["retry", "backpressure"],
        nouns: &[
            "retry",
            "retries",
            "retrying",
            "backoff",
            "jitter",
            "backpressure",
            "circuitbreaker",
        ],
        verbs: &[
            "offer", "enqueue", "post", "deliver", "push", "drain", "shed", "admit",
        ],
        state: &[
            "attempt", "attempts", "retries", "backoff", "delay", "capacity", "limit", "budget",
        ],
        named_in_context: retry_in_context,
        behaviour: detectors::retry,
    },
];

impl Family {
    /// Every family, in table order.
    pub const ALL: [Family; 9] = [
        Family::Lease,
        Family::Fence,
        Family::Consensus,
        Family::Cursor,
        Family::Shard,
        Family::Idempotency,
        Family::StateMachine,
        Family::FailureDetection,
        Family::RetryBackpressure,
    ];

    /// The family's row of [`FAMILIES`].
    #[must_use]
    pub fn row(self) -> &'static FamilyRow {
        // The table is in `ALL` order (a test holds it so).
        &FAMILIES[self as usize]
    }

    /// The family's name in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The family's stable id for machine-readable output.
    #[must_use]
    pub fn id(self) -> &'static str {
        self.row().id
    }

    /// The registry patterns to consider for code of this family.
    #[must_use]
    pub fn patterns(self) -> &'static [&'static str] {
        self.row().patterns
    }

    /// The families a registry pattern covers (an annotated type covers its methods for
    /// these).
    #[must_use]
    pub fn of_pattern(pattern: &str) -> Vec<Family> {
        FAMILIES
            .iter()
            .filter(|r| r.patterns.contains(&pattern))
            .map(|r| r.family)
            .collect()
    }

    pub(super) fn nouns(self) -> &'static [&'static str] {
        self.row().nouns
    }

    pub(super) fn verbs(self) -> &'static [&'static str] {
        self.row().verbs
    }

    pub(super) fn state(self) -> &'static [&'static str] {
        self.row().state
    }

    /// Whether `name` (with `context`, the rest of the item's words) names the family.
    pub(super) fn named_by(self, name: &Words, context: &Words) -> bool {
        name.any(self.nouns()) || (self.row().named_in_context)(name, context)
    }

    pub(super) fn named_by_verb(
        self,
        name: &Words,
        signature: &Words,
        host: &Words,
        context: &Words,
    ) -> bool {
        name.any(self.verbs())
            && (self.named_by(signature, context) || self.named_by(host, context))
    }
}
