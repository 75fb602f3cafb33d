//! The behaviour detectors, one per family: what code does that makes it the family's,
//! whatever its names are. Each says whether the body decides like the family
//! ([`Act::Decides`]: enough on its own), shows the family's state in a way that needs a
//! name to confirm it ([`Act::Supports`]), or neither.

use super::behaviour::Behaviour;
use super::family::Family;
use super::words::{TTL_WORDS, Words};

/// What a behaviour detector found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    None,
    /// The family's state is decided on or changed; a name must say which family.
    Supports,
    /// The body makes the family's decision whatever it is called; the text says what.
    Decides(String),
}

impl Act {
    pub(super) fn any(&self) -> bool {
        *self != Act::None
    }
}

/// What a detector sees of one function.
pub struct Facts<'a> {
    pub(super) b: &'a Behaviour,
    /// The function can change state, here or remotely.
    pub(super) mutates: bool,
    /// Its own name, host and signature words.
    pub(super) names: &'a Words,
    /// Its own name only.
    pub(super) own: &'a Words,
    /// The rest of its words (signature and body).
    pub(super) context: &'a Words,
    pub(super) family: Family,
}

impl Facts<'_> {
    fn state(&self) -> &'static [&'static str] {
        self.family.state()
    }

    /// The default evidence: the family's state compared, or changed by code that may.
    fn state_touched(&self) -> bool {
        let state = self.state();
        let b = self.b;
        b.compares_any(state)
            || Behaviour::touches(&b.advanced, state)
            || (self.mutates && Behaviour::touches(&b.assigned, state))
    }
}

/// Tokens a request carries and a node stores: compared, the older side loses.
const TOKENS: [&str; 10] = [
    "term",
    "ballot",
    "epoch",
    "generation",
    "incarnation",
    "fence",
    "fencing",
    "version",
    "revision",
    "round",
];

pub(super) fn fence(f: &Facts<'_>) -> Act {
    // A token from elsewhere held against the stored one by order: a stale side refused,
    // a newer one adopted, whatever the token is called. In an ordering (`Ord::cmp`) the
    // leading key decides: a token compared after another key only breaks ties of a
    // priority.
    let ordering_impl = f.own.any(&["cmp", "partial"]) && f.own.words.len() <= 2;
    let leading = if ordering_impl { 1 } else { usize::MAX };
    for c in f.b.cmps.iter().take(leading) {
        if c.ordering
            && let Some(t) = c.token_against_stored(&TOKENS)
        {
            return Act::Decides(format!(
                "compares a `{t}` from elsewhere with the stored one"
            ));
        }
    }
    // A stored token bumped so that everything issued under the old one is refused.
    if f.mutates
        && f.b
            .advanced
            .iter()
            .any(|w| w.has("self") && w.any(&["token", "generation", "incarnation", "fence"]))
    {
        return Act::Decides("bumps a stored token so what carries the old one is refused".into());
    }
    // `presented == self.fence`: equality suffices for a fencing token (a memory fence's
    // epoch is a collector's, not a token).
    if !f.b.memory_fence
        && f.b.cmps.iter().any(|c| {
            c.token_against_stored(&["fence", "fencing", "epoch", "incarnation"])
                .is_some()
        })
    {
        return Act::Decides("checks a presented fencing token against the stored one".into());
    }
    if f.state_touched() {
        Act::Supports
    } else {
        Act::None
    }
}

pub(super) fn consensus(f: &Facts<'_>) -> Act {
    let b = f.b;
    // Counting to a majority or a quorum decides who leads or what is committed.
    let counts_voters = b.all.any(&["majority", "quorum"])
        || (b.halves
            && b.all
                .any(&["vote", "votes", "voters", "granted", "members", "matched"]));
    if counts_voters && (b.cmps.iter().any(|c| c.ordering) || b.loops) {
        return Act::Decides("counts towards a majority or quorum".into());
    }
    if b.compares_any(&["vote", "votes", "voted", "granted", "ballot"])
        && b.all.any(&["term", "ballot", "leader", "candidate"])
    {
        return Act::Decides("decides on a vote".into());
    }
    // The term or vote set, or the role set to one of the protocol's (a `state` field
    // given `Leader`, not a snapshot's progress).
    let sets_role = b.assigned_values.iter().any(|(place, value)| {
        place.any(&["term", "vote", "voted", "role"])
            || (place.any(&["state", "role"])
                && value.any(&["leader", "candidate", "follower", "learner", "voter"]))
    });
    if f.mutates
        && sets_role
        && b.all
            .any(&["term", "vote", "voted", "leader", "candidate", "follower"])
        && f.names.any(&[
            "raft",
            "replica",
            "leader",
            "candidate",
            "follower",
            "become",
            "vote",
            "election",
            "consensus",
            "node",
        ])
    {
        return Act::Decides("changes the term, vote or role of a replica".into());
    }
    // An entry or message stamped with the replica's own term (or ballot): what it appends
    // or sends is ordered by the election that made it leader.
    if f.mutates
        && b.stamped.iter().any(|w| w.any(&["term", "ballot"]))
        && b.all.any(&["log", "entry", "entries", "index", "append"])
    {
        return Act::Decides("stamps an entry or request with its current term".into());
    }
    if f.state_touched() {
        Act::Supports
    } else {
        Act::None
    }
}

pub(super) fn lease(f: &Facts<'_>) -> Act {
    let b = f.b;
    let holds = |w: &Words| {
        w.any(&[
            "lease", "leases", "lock", "holder", "owner", "claim", "claimant",
        ])
    };
    let leasey = holds(&b.all) || holds(f.names);
    // A lease or claim (not only a lock, which may be an in-process mutex).
    let claimed = |w: &Words| w.any(&["lease", "leases", "claim", "claimant", "holder"]);
    let lease_named = claimed(&b.all)
        || claimed(f.names)
        || super::family::Family::Lease.named_by(f.names, f.context);
    // A deadline, expiry or TTL compared with a time: validity or ownership decided.
    let deadline = [
        "deadline",
        "expiry",
        "expires",
        "expiration",
        "ttl",
        "validity",
        "renew",
        "expire",
    ];
    if leasey
        && b.cmps
            .iter()
            .any(|c| (c.timed || b.clock) && (c.left.any(&deadline) || c.right.any(&deadline)))
    {
        return Act::Decides("compares a lease's expiry with a time".into());
    }
    // Written to another process on the condition that the holder or the expiry still is
    // what this process read: a compare-and-set of ownership.
    if lease_named && b.remote && b.conditional_write && !b.all.any(&["checkpoint", "offset"]) {
        return Act::Decides("writes a lease under a remote condition on its holder".into());
    }
    // Who holds it, held against the caller or this process: the ownership decision.
    if lease_named
        && b.cmps.iter().any(|c| {
            let owner = |w: &Words| w.any(&["holder", "owner", "claimant", "holds"]);
            (owner(&c.left) || owner(&c.right)) && !c.left.is_empty() && !c.right.is_empty()
        })
    {
        return Act::Decides("checks who holds a lease or lock".into());
    }
    // Waits out a lease's remaining time (until its expiry, less a margin).
    if leasey && b.sleeps && b.time_arith && b.all.any(&deadline) {
        return Act::Decides("waits until a lease's expiry".into());
    }
    // Contenders ordered (by sequence number) and its own place among them looked up, until
    // it is first: whoever is first holds the lock.
    if leasey
        && b.loops
        && b.calls_any(&[
            "sort",
            "sort_unstable",
            "sort_by",
            "sort_unstable_by",
            "sort_by_key",
        ])
        && b.calls_any(&["binary_search", "binary_search_by", "position"])
    {
        return Act::Decides(
            "waits until its own entry is first among the sorted contenders".into(),
        );
    }
    // Acquires, runs the work and releases: the lock's whole use.
    if lease_named
        && b.calls_any(&["acquire", "lock", "try_lock"])
        && b.calls_any(&["release", "unlock"])
    {
        return Act::Decides("acquires a lock or lease, runs the work and releases it".into());
    }
    // A lock or lease written to another process with a time to live the body itself
    // carries (a helper that sends what its caller built decides nothing).
    if leasey && b.remote && (b.all.any(&TTL_WORDS) || f.context.any(&["nx", "px"])) {
        return Act::Decides(
            "sends a lock or lease operation with a time to live to another process".into(),
        );
    }
    if leasey && b.time_arith && f.mutates && b.all.any(&deadline) {
        return Act::Decides("moves a lease's expiry".into());
    }
    // A guard's drop that releases the lock or deletes the lock node by its key, id or
    // path: the release (an in-process mutex's `unlock()` names nothing).
    if f.names.has("drop")
        && b.releases_named
        && b.calls_any(&[
            "release",
            "unlock",
            "release_lock",
            "delete",
            "delete_background",
            "delete_lock",
        ])
        && (holds(&b.all) || holds(f.names) || f.names.any(&["locking", "locked"]))
    {
        return Act::Decides("releases a lock when its guard is dropped".into());
    }
    // A remote lock released, renewed or acquired: the operation's own name says so (a
    // helper that sends or reads for the type's operations, `patch` or `item` on a lease
    // store, decides nothing of its own).
    if b.remote
        && (f.own.any(&["lock", "lease", "unlock"])
            || f.own.any(super::family::Family::Lease.verbs()))
    {
        return Act::Supports;
    }
    if f.state_touched()
        || Behaviour::touches(&b.built, &["lease", "holder", "claim"])
        || (f.mutates
            && b.calls_any(&["grant", "renew", "revoke", "acquire", "release", "is_live"]))
    {
        Act::Supports
    } else {
        Act::None
    }
}

pub(super) fn cursor(f: &Facts<'_>) -> Act {
    let b = f.b;
    let progress = [
        "offset",
        "offsets",
        "checkpoint",
        "watermark",
        "consumed",
        "lsn",
        "sequence",
    ];
    // (A local counter advanced is arithmetic; the position is the item's state, or is
    // sent on.)
    if f.mutates
        && (Behaviour::touches(&b.advanced_stored, &progress)
            || (b.remote && Behaviour::touches(&b.advanced, &progress)))
    {
        return Act::Decides("advances a progress position".into());
    }
    // The next position to read derived from the last one handled (or back), by code that
    // changes state: the commit-consumed-plus-one rule of a consumer.
    if f.mutates && Behaviour::touches(&b.stepped, &["offset", "offsets", "consumed", "lsn"]) {
        return Act::Decides("derives the next position from the last one handled".into());
    }
    // A progress position written on the condition that the other side still agrees (the
    // owner still holds it, none was written yet): a compare-and-set of the cursor.
    if b.remote && b.conditional_write && b.all.any(&progress) {
        return Act::Decides("writes a progress position under a remote condition".into());
    }
    // A progress position committed to another process (the next to read, or the last
    // handled).
    if b.remote && b.calls_any(&["commit", "checkpoint", "persist", "save"]) && b.all.any(&progress)
    {
        return Act::Decides("commits a progress position to another process".into());
    }
    if f.state_touched() {
        Act::Supports
    } else {
        Act::None
    }
}

pub(super) fn shard(f: &Facts<'_>) -> Act {
    let b = f.b;
    // A key's owner found on a sorted ring or range table.
    if b.calls_any(&[
        "binary_search",
        "binary_search_by",
        "binary_search_by_key",
        "partition_point",
        "range",
    ]) && b.all.any(&[
        "ring",
        "shard",
        "shards",
        "vnode",
        "partition",
        "partitions",
    ]) && b.all.any(&["key", "hash"])
    {
        return Act::Decides("finds the owner of a key on a sorted ring or range map".into());
    }
    if b.compares_any(f.state())
        || Behaviour::touches(&b.built, &["shard", "range"])
        || (f.mutates && b.calls_any(&["split", "split_at", "tiles", "merge"]))
        || (f.mutates
            && b.lookups
                .iter()
                .any(|w| w.any(&["ring", "shard", "shards"])))
        // An owner placed on a ring kept in order.
        || (f.mutates
            && b.calls_any(&["push", "insert"])
            && b.calls_any(&["sort", "sort_unstable", "sort_by", "sort_by_key"])
            && b.all.any(&["ring", "vnode"]))
    {
        Act::Supports
    } else {
        Act::None
    }
}

pub(super) fn idempotency(f: &Facts<'_>) -> Act {
    let b = f.b;
    let keys = [
        "idempotency",
        "idempotent",
        "dedup",
        "opid",
        "requestid",
        "request",
        "hash",
        "key",
        "token",
    ];
    let dedup = [
        "idempotency",
        "idempotent",
        "dedup",
        "duplicate",
        "cached",
        "replay",
        "opid",
    ];
    let deduplicating = b.all.any(&dedup) || f.names.any(&dedup);
    // A request's key looked up (or reserved) before acting, and the found case answered.
    let looked_up = b.lookups.iter().any(|w| w.any(&keys))
        || b.calls_any(&["try_reserve", "reserve", "set_nx", "insert_if_absent"]);
    if looked_up && b.branches && deduplicating {
        return Act::Decides("looks up a request by its key before acting".into());
    }
    // Each effect tried in turn and the ids of those that took effect recorded, so they are
    // not done again (an outbox relay marking what it published).
    if b.loops && b.records_outcome {
        return Act::Decides("records which operations took effect, by id".into());
    }
    if b.compares_any(f.state()) || b.lookups.iter().any(|w| w.any(&keys[..5])) {
        Act::Supports
    } else {
        Act::None
    }
}

pub(super) fn state_machine(f: &Facts<'_>) -> Act {
    let b = f.b;
    let state = f.state();
    // A transition decides on the state and, where it may, sets the next one.
    let sets = Behaviour::touches(&b.assigned, state) || Behaviour::touches(&b.built, state);
    if b.compares_any(state) && (sets || !f.mutates) {
        Act::Supports
    } else {
        Act::None
    }
}

pub(super) fn failure_detection(f: &Facts<'_>) -> Act {
    let b = f.b;
    let signals = [
        "heartbeat",
        "heartbeats",
        "hb",
        "ping",
        "probe",
        "suspect",
        "suspicion",
        "phi",
        "alive",
        "dead",
        "liveness",
        "incarnation",
        "gossip",
    ];
    // Silence measured against a timeout decides suspicion.
    if (b.all.any(&signals) || f.names.any(&signals))
        && b.cmps.iter().any(|c| {
            // Silence is measured against a clock: a comparison of settings is not.
            let waits = |w: &Words| w.any(&["timeout", "deadline", "interval", "elapsed"]);
            c.ordering && (c.timed || (b.clock && (waits(&c.left) || waits(&c.right))))
        })
    {
        return Act::Decides("decides on a peer's liveness from elapsed time".into());
    }
    // A timer that fires before anything is received: the election or suspicion it starts,
    // or the heartbeat or gossip round it runs.
    if b.timer_handlers.iter().any(|h| {
        h.any(&[
            "candidate",
            "election",
            "suspect",
            "dead",
            "down",
            "gossip",
            "heartbeat",
            "ping",
            "probe",
        ])
    }) {
        return Act::Decides(
            "acts when a timer fires: an election, a suspicion or a heartbeat round".into(),
        );
    }
    // The deadline after which silence counts (a heartbeat or election timeout), set from
    // the clock.
    if f.mutates
        && b.time_arith
        && b.clock
        && Behaviour::touches(&b.assigned, &["timeout", "deadline"])
        && (b.all.any(&signals) || b.all.any(&["election"]) || f.names.any(&["election"]))
    {
        return Act::Decides("sets the deadline after which a silent peer is suspected".into());
    }
    // A probe, suspicion or gossip timer armed.
    if f.mutates
        && b.timers_armed.iter().any(|w| {
            w.any(&[
                "probe",
                "ping",
                "suspect",
                "suspicion",
                "gossip",
                "heartbeat",
                "down",
                "dead",
            ])
        })
    {
        return Act::Decides("arms a probe, suspicion or gossip timer".into());
    }
    // Silence measured against the expected interval (a suspicion level).
    if b.time_ratio && (b.all.any(&signals) || f.names.any(&signals)) {
        return Act::Decides("measures silence against the expected heartbeat interval".into());
    }
    // A member's liveness state told to the others.
    if f.mutates
        && b.calls_any(&["gossip", "broadcast", "announce"])
        && b.all.any(&["down", "dead", "suspect", "live"])
    {
        return Act::Decides("spreads members' liveness to peers".into());
    }
    // A member's state moved to suspect or down.
    if b.all.any(&["suspect"]) && b.all.any(&["down", "dead", "alive"]) && b.branches && f.mutates {
        return Act::Decides("moves a member between alive, suspect and down".into());
    }
    if f.state_touched() || (f.mutates && b.calls_any(&["ping", "probe", "send_ping", "heartbeat"]))
    {
        Act::Supports
    } else {
        Act::None
    }
}

pub(super) fn retry(f: &Facts<'_>) -> Act {
    let b = f.b;
    // A loop around a fallible call with a wait between tries.
    // (A constant pause after an error in a worker's loop is no policy: the wait must be
    // computed, or the tries counted.)
    let counted = b.all.any(&["attempt", "attempts", "retry", "retries"]);
    if b.loops
        && b.sleeps
        && (b.computed_sleep || b.grows_delay || counted)
        && (b.fallible || counted)
    {
        return Act::Decides("loops around a fallible call with a wait between tries".into());
    }
    // A fallible call repeated when it fails, with no wait.
    if b.repeats_on_err {
        return Act::Decides("repeats a fallible call when it fails".into());
    }
    // A delay that grows: the backoff policy itself.
    // (A unit conversion multiplies too, but keeps no delay across attempts.)
    if b.grows_delay && f.names.any(&["backoff", "retry", "retries", "retrying"]) {
        return Act::Decides("grows a delay between attempts".into());
    }
    if b.compares_any(&["attempt", "attempts", "retries", "retry"])
        && b.compares_any(&["max", "limit", "budget"])
    {
        return Act::Decides("stops after a budget of attempts".into());
    }
    if b.queue_bound
        || b.sleeps && b.loops
        || b.compares_any(f.state())
        || (f.mutates && b.calls_any(&["offer", "try_send", "try_push"]))
    {
        Act::Supports
    } else {
        Act::None
    }
}
