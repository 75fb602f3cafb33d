//! The state-machine driver as the engine's own output reaches it: `#[distaudit::audit(test(..))]`
//! on an impl of two methods and `test` on free functions, expanded by the macro (not
//! written out by hand), built pedantic-clean. The tests below run the generated
//! state-machine test again and read what it did, and drive the generated calls directly.
//! That a generated test finds a seeded bug is shown on the seeded fixture crate
//! (tests/fixtures.rs), since a failing generated test would fail this binary.
#![deny(warnings, clippy::pedantic)]
// The allowed lint concerns this file's own example functions, not the generated code.
#![allow(clippy::missing_errors_doc)]

mod common;

use distaudit::coordination;

/// The shard an owner's cursor stays in: `[b"a", b"n")`.
#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Shard {
    /// Inclusive start.
    pub start: Vec<u8>,
    /// Exclusive end.
    pub end: Vec<u8>,
}

/// A shard owner with a fence and a cursor: a cursor implies a granted fence.
#[coordination(
    pattern = "state-machine",
    cite = "schneider-1990",
    invariant(holds = "self.last_key.is_none() || self.fence > 0")
)]
// `Debug`: the attacking cursor step compares the receiver before and after (by a hash of
// this form, never printed).
#[derive(Debug)]
pub struct Owner {
    fence: u64,
    last_key: Option<Vec<u8>>,
}

/// Why a checkpoint was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum CheckpointError {
    /// The fence is not the current one.
    Fenced { current: u64 },
    /// The key is outside the shard `[b"a", b"n")`.
    OutOfRange,
    /// The key is not after the cursor.
    Backwards,
}

impl Owner {
    /// The owner's shard.
    #[must_use]
    pub fn shard(&self) -> Shard {
        Shard {
            start: b"a".to_vec(),
            end: b"n".to_vec(),
        }
    }
}

#[distaudit::audit(test(cases = 64, steps = 16, init = "Owner { fence: 0, last_key: None }"))]
impl Owner {
    /// Grant the shard again: a fresh fence, never above `limit`.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.fence"),
        ensures(holds = "ret > old(self.fence)"),
        test(strategy(limit = "0u64..8"))
    )]
    pub fn acquire(&mut self, limit: u64) -> Option<u64> {
        if self.fence >= limit {
            return None;
        }
        self.fence += 1;
        Some(self.fence)
    }

    /// Move the cursor to `key` under `fence`.
    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(monotonic = "self.last_key"),
        invariant(never_none = "self.last_key"),
        invariant(within(key = "self.last_key", range = "self.shard()")),
        test(strategy(
            fence = "0u64..4",
            key = "proptest::collection::vec(b'a'..=b'p', 1..3)"
        ))
    )]
    pub fn checkpoint(&mut self, fence: u64, key: &[u8]) -> Result<(), CheckpointError> {
        if fence == 0 || fence != self.fence {
            return Err(CheckpointError::Fenced {
                current: self.fence,
            });
        }
        if key < b"a".as_slice() || key >= b"n".as_slice() {
            return Err(CheckpointError::OutOfRange);
        }
        if self.last_key.as_deref().is_some_and(|last| key <= last) {
            return Err(CheckpointError::Backwards);
        }
        self.last_key = Some(key.to_vec());
        Ok(())
    }
}

/// Whether a checkpoint under `fence` at `key` would be admitted by an owner at fence 2.
#[coordination(
    pattern = "idempotency",
    cite = "kafka-kip-98",
    test(strategy(
        fence = "0u64..4",
        key = "proptest::collection::vec(b'a'..=b'p', 1..3)"
    ))
)]
pub fn admit(fence: u64, key: &[u8]) -> Result<usize, CheckpointError> {
    if fence != 2 {
        return Err(CheckpointError::Fenced { current: 2 });
    }
    if key >= b"n".as_slice() {
        return Err(CheckpointError::OutOfRange);
    }
    Ok(key.len())
}

/// A grant below `limit`, if any.
#[coordination(
    pattern = "idempotency",
    cite = "kafka-kip-98",
    test(strategy(limit = "0u64..4"))
)]
#[must_use]
pub fn grant(limit: u64) -> Option<u64> {
    limit.checked_sub(1)
}

/// Whether an optional resume key is a valid one: a validator whose parameter borrows
/// inside an `Option` (issue 21, workaround 8: the generated test once named `Option<&[u8]>`
/// in a struct, E0106). Its generated test compiles and runs with this binary.
#[coordination(
    pattern = "cursor",
    cite = "bacon-2017",
    test(strategy(key = "proptest::option::of(proptest::collection::vec(b'a'..=b'p', 0..3))"))
)]
#[must_use]
pub fn valid_resume(key: Option<&[u8]>, limit: Option<&u64>) -> bool {
    key.is_none_or(|k| !k.is_empty()) && limit.is_none_or(|l| *l < 100)
}

/// Set in the child process a test below starts, so that it does not start another.
const CHILD: &str = "DISTAUDIT_MACHINE_CHILD";

/// Run this test binary again with `args`: success, stdout and stderr.
fn rerun(args: &[&str]) -> (bool, String, String) {
    common::rerun(CHILD, args)
}

/// The impl's generated state-machine test exists under its documented name, runs its 64
/// cases of up to 16 interleaved calls with the woven checks and the type invariant as the
/// oracle, passes on this correct impl, and accepts some calls and refuses others.
#[test]
fn the_generated_state_machine_test_runs_its_cases() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let (listed, list, _) = rerun(&["--list", "--format", "terse"]);
    assert!(listed, "{list}");
    let machines: Vec<&str> = list
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter(|name| {
            name.starts_with("distaudit_owner_") && name.ends_with("::state_machine::state_machine")
        })
        .collect();
    assert_eq!(machines.len(), 1, "one state-machine test:\n{list}");
    let (passed, stdout, stderr) = rerun(&[machines[0], "--exact", "--nocapture"]);
    assert!(passed, "{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}");
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("distaudit: state_machine: "))
        .unwrap_or_else(|| panic!("no acceptance line:\n{stderr}"));
    let numbers: Vec<u64> = line
        .split(' ')
        .filter_map(|w| w.parse().ok())
        .take(2)
        .collect();
    let [accepted, total] = numbers[..] else {
        panic!("unreadable: {line}");
    };
    assert!((64..=64 * 16).contains(&total), "{line}");
    assert!(accepted > 0 && accepted < total, "{line}");
}

/// The calls the engine generates print as calls, and their outcomes are judged from the
/// return value: `Ok`/`Some` accepted, an error named by its variant, `None` by name.
#[test]
fn generated_calls_print_as_calls_and_refusals_are_named() {
    use distaudit::__private::machine::{Machine, Outcome};
    let call = distaudit_admit::Call::admit {
        fence: 2,
        key: b"ab\x01".to_vec(),
    };
    // The key is described as woven checks describe it, never in clear.
    assert_eq!(
        format!("{call:?}"),
        format!(
            "admit(fence = 2, key = {})",
            distaudit::__private::fingerprint(b"ab\x01")
        )
    );
    assert_eq!(call.apply(&mut ()), Outcome::Accepted);
    let stale = distaudit_admit::Call::admit {
        fence: 1,
        key: b"a".to_vec(),
    };
    assert_eq!(
        stale.apply(&mut ()),
        Outcome::Refused("CheckpointError::Fenced".to_string())
    );
    let outside = distaudit_admit::Call::admit {
        fence: 2,
        key: b"z".to_vec(),
    };
    assert_eq!(
        outside.apply(&mut ()),
        Outcome::Refused("CheckpointError::OutOfRange".to_string())
    );
    let none = distaudit_grant::Call::grant { limit: 0 };
    assert_eq!(format!("{none:?}"), "grant(limit = 0)");
    assert_eq!(none.apply(&mut ()), Outcome::Refused("None".to_string()));
    assert_eq!(
        distaudit_grant::Call::grant { limit: 1 }.apply(&mut ()),
        Outcome::Accepted
    );
}

#[test]
fn the_testing_prelude_brings_proptest_itself() {
    use distaudit::testing::prelude::*;
    let strategy = proptest::collection::vec(any::<u8>(), 0..4);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let value =
        proptest::strategy::ValueTree::current(&strategy.new_tree(&mut runner).expect("a value"));
    assert!(value.len() < 4);
}

/// Why a ticket was not closed.
#[derive(Debug, PartialEq, Eq)]
pub struct Unknown;

/// Tickets opened at spread-out numbers and closed once: a strategy drawn up front almost
/// never names an open one. Two copies, one whose `close` draws the ticket from the state.
macro_rules! ledger {
    ($name:ident, $doc:literal, $init:literal, $($strategy:tt)*) => {
        #[doc = $doc]
        #[coordination(pattern = "state-machine", cite = "schneider-1990")]
        #[derive(Debug, Default)]
        pub struct $name {
            next: u64,
            open: Vec<u64>,
        }

        #[distaudit::audit(test(cases = 64, steps = 16, init = $init))]
        impl $name {
            /// Open a ticket.
            #[coordination(pattern = "state-machine", cite = "schneider-1990", test)]
            pub fn open_ticket(&mut self) -> u64 {
                self.next += 1;
                let ticket = self.next * 7919 + 17;
                self.open.push(ticket);
                ticket
            }

            /// Close an open ticket.
            #[coordination(
                pattern = "state-machine",
                cite = "schneider-1990",
                test(strategy(ticket = $($strategy)*))
            )]
            pub fn close(&mut self, ticket: u64) -> Result<(), Unknown> {
                let at = self.open.iter().position(|t| *t == ticket).ok_or(Unknown)?;
                self.open.remove(at);
                Ok(())
            }
        }
    };
}

ledger!(
    BlindLedger,
    "Closes tickets drawn up front.",
    "BlindLedger::default()",
    "0u64..100_000"
);
ledger!(
    Ledger,
    "Closes tickets drawn from the open ones, at the step.",
    "Ledger::default()",
    from_state("open_tickets", otherwise = "0u64..100_000")
);

/// The tickets `ledger` has open (`from_state`).
fn open_tickets(ledger: &Ledger) -> Vec<u64> {
    ledger.open.clone()
}

/// A borrowed view of a ticket, as a split plan borrows its children.
#[derive(Clone, Copy, Debug)]
pub struct TicketRef<'a> {
    /// The ticket's number.
    pub number: &'a u64,
}

/// What a generated call holds for a [`TicketRef`].
#[derive(Clone, Debug)]
pub struct OwnedTicket {
    number: u64,
}

impl OwnedTicket {
    /// The view `close` takes.
    #[must_use]
    pub fn view(&self) -> TicketRef<'_> {
        TicketRef {
            number: &self.number,
        }
    }
}

/// Tickets closed through a borrowed view drawn from the open ones: `view(from_state(..))`
/// (issue 21, the replica's W6: split plans read the state and are views).
#[coordination(pattern = "state-machine", cite = "schneider-1990")]
#[derive(Debug, Default)]
pub struct ViewLedger {
    next: u64,
    open: Vec<u64>,
}

#[distaudit::audit(test(cases = 64, steps = 16, init = "ViewLedger::default()"))]
impl ViewLedger {
    /// Open a ticket.
    #[coordination(pattern = "state-machine", cite = "schneider-1990", test)]
    pub fn open_ticket(&mut self) -> u64 {
        self.next += 1;
        let ticket = self.next * 7919 + 17;
        self.open.push(ticket);
        ticket
    }

    /// Close an open ticket.
    #[coordination(
        pattern = "state-machine",
        cite = "schneider-1990",
        test(strategy(ticket = view(
            from_state("open_owned", otherwise = "(0u64..100_000).prop_map(|number| OwnedTicket { number })"),
            owner = "OwnedTicket",
            with = "OwnedTicket::view"
        )))
    )]
    pub fn close(&mut self, ticket: TicketRef<'_>) -> Result<(), Unknown> {
        let at = self
            .open
            .iter()
            .position(|t| t == ticket.number)
            .ok_or(Unknown)?;
        self.open.remove(at);
        Ok(())
    }
}

/// The tickets `ledger` has open, as owners of the view `close` takes.
fn open_owned(ledger: &ViewLedger) -> Vec<OwnedTicket> {
    ledger
        .open
        .iter()
        .map(|&number| OwnedTicket { number })
        .collect()
}

/// What the state-machine test of the type whose module starts with `prefix` printed, run
/// in a child process; it must pass.
fn machine_stderr(prefix: &str) -> String {
    let (_, list, _) = rerun(&["--list", "--format", "terse"]);
    let test = list
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .find(|name| name.starts_with(prefix) && name.ends_with("::state_machine"))
        .unwrap_or_else(|| panic!("no state machine for {prefix}:\n{list}"));
    let (passed, stdout, stderr) = rerun(&[test, "--exact", "--nocapture"]);
    assert!(passed, "{stdout}\n{stderr}");
    stderr
}

/// `close`'s accepted and total calls, from the by-method part of a state-machine test's
/// acceptance line, run in a child process.
fn close_acceptance(prefix: &str) -> (u64, u64, String) {
    let stderr = machine_stderr(prefix);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("distaudit: state_machine: "))
        .unwrap_or_else(|| panic!("no acceptance line:\n{stderr}"))
        .to_string();
    let close = line
        .split_once("by method: ")
        .and_then(|(_, methods)| methods.split(", ").find(|m| m.starts_with("close ")))
        .unwrap_or_else(|| panic!("no count for close: {line}"));
    let numbers: Vec<u64> = close.split(' ').filter_map(|w| w.parse().ok()).collect();
    (numbers[0], numbers[1], line)
}

/// Issue 21, workaround 12: a parameter drawn from the state (`from_state`) names an open
/// ticket, so far more of `close`'s calls are accepted than with a strategy drawn up front
/// (which almost never names one); the acceptance line names the machine.
#[test]
fn a_strategy_that_reads_the_state_raises_acceptance() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let (blind, blind_total, blind_line) = close_acceptance("distaudit_blind_ledger_");
    let (seeing, seeing_total, seeing_line) = close_acceptance("distaudit_ledger_");
    eprintln!("drawn up front: {blind_line}\nfrom the state: {seeing_line}");
    assert!(
        blind_line.contains("; machine BlindLedger, by method: "),
        "{blind_line}"
    );
    assert!(
        seeing_line.contains("; machine Ledger, by method: "),
        "{seeing_line}"
    );
    // Up front: about 1 in 6,000 draws names an open ticket. From the state: 3 picks in 4
    // when a ticket is open, which it is after about half the steps.
    assert!(blind * 50 < blind_total, "{blind_line}");
    assert!(seeing * 4 > seeing_total, "{seeing_line}");
    // A borrowed view whose owners are drawn from the state does as well.
    let (viewed, viewed_total, viewed_line) = close_acceptance("distaudit_view_ledger_");
    eprintln!("a view from the state: {viewed_line}");
    assert!(viewed * 4 > viewed_total, "{viewed_line}");
}

/// A tape written in lanes, with one cursor over all of them and op ids scoped by lane
/// (`roles(op = "(lane, op)")`, as the first user scopes them by shard): the cursor step
/// takes a fresh op id for its lower cursor (the lane's part of it), else every attack would
/// be a retry answered from the log.
pub struct Tape {
    last: Option<Vec<u8>>,
    log: Vec<(u8, u8, Vec<u8>)>,
    shard: Shard,
}

// The steps compare the tape before and after by its `Debug` form's hash (never printed).
impl std::fmt::Debug for Tape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tape")
            .field("last", &self.last)
            .field("log", &self.log)
            .finish_non_exhaustive()
    }
}

#[distaudit::audit(test(
    init = "Tape { last: None, log: Vec::new(), shard: Shard { start: Vec::new(), end: vec![9] } }",
    roles(cursor = "entry.key", op = "(lane, op)")
))]
impl Tape {
    /// Append `entry` in `lane` once per op id of the lane, never below the last entry.
    #[coordination(
        pattern = "cursor",
        pattern = "idempotency",
        cite = "bacon-2017",
        cite = "kafka-kip-98",
        invariant(monotonic = "self.last"),
        invariant(never_none = "self.last"),
        invariant(within(key = "self.last", range = "self.shard")),
        test(strategy(
            lane = "0u8..2",
            entry = view(
                "proptest::collection::vec(0u8..4, 0..3).prop_map(|key| OwnedEntry { key })",
                owner = "OwnedEntry",
                with = "OwnedEntry::view"
            ),
            op = "0u8..8"
        ))
    )]
    pub fn append(&mut self, lane: u8, entry: &Entry<'_>, op: u8) -> Option<usize> {
        if let Some((_, _, key)) = self.log.iter().find(|(l, o, _)| *l == lane && *o == op) {
            return (key.as_slice() == entry.key).then_some(0);
        }
        if self.last.as_deref().is_some_and(|l| l > entry.key) {
            return None;
        }
        self.last = Some(entry.key.to_vec());
        self.log.push((lane, op, entry.key.to_vec()));
        Some(self.log.len())
    }
}

/// The "attacking steps formed" part of a state-machine test's statistics line, run in a
/// child process.
fn steps_formed(prefix: &str) -> String {
    let stderr = machine_stderr(prefix);
    stderr
        .lines()
        .find_map(|l| {
            l.split_once("attacking steps formed: ")
                .map(|(_, f)| f.to_string())
        })
        .unwrap_or_else(|| panic!("no steps line:\n{stderr}"))
}

/// A cursor drawn as a view's owner is ordered by the view's key, and the cursor step of a
/// method whose op id is scoped by a tuple takes a fresh op id: the step forms (issue 21:
/// it formed 0 times on the replica, whose updates are views and op ids tuples).
#[test]
fn the_cursor_step_forms_on_views_and_tuple_op_ids() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let formed = steps_formed("distaudit_tape_");
    let cursor = formed
        .split(", ")
        .find_map(|s| s.strip_prefix("cursor "))
        .and_then(|s| s.split(' ').next()?.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no cursor count: {formed}"));
    assert!(cursor > 0, "the cursor step formed: {formed}");
}

/// A borrowed view a method takes (`Entry<'a>`, as the first user's `CursorUpdate<'a>`).
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// The key recorded.
    pub key: &'a [u8],
}

/// What a generated call holds for an [`Entry`]: the bytes, owned.
#[derive(Clone, Debug)]
pub struct OwnedEntry {
    key: Vec<u8>,
}

impl OwnedEntry {
    /// The view the method takes.
    #[must_use]
    pub fn view(&self) -> Entry<'_> {
        Entry { key: &self.key }
    }
}

/// A journal of keys in order: its test draws each entry as an owned value and passes its
/// view (`strategy(entry = view(..))`), so no strategy leaks data for a `'static` view
/// (issue 21, the replica's W6).
pub struct Journal {
    last: Option<Vec<u8>>,
    shard: Shard,
}

// The attacking cursor step compares the journal before and after a step: by its `Debug`
// form's hash (never printed), of what it holds of its own.
impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("last", &self.last)
            .finish_non_exhaustive()
    }
}

#[distaudit::audit(test(
    init = "Journal { last: None, shard: Shard { start: Vec::new(), end: vec![9] } }",
    roles(cursor = "entry.key")
))]
impl Journal {
    /// Record `entry` if it is not below the last one.
    #[coordination(
        pattern = "cursor",
        cite = "bacon-2017",
        invariant(monotonic = "self.last"),
        invariant(never_none = "self.last"),
        invariant(within(key = "self.last", range = "self.shard")),
        test(strategy(entry = view(
            "proptest::collection::vec(0u8..4, 0..3).prop_map(|key| OwnedEntry { key })",
            owner = "OwnedEntry",
            with = "OwnedEntry::view"
        )))
    )]
    pub fn record(&mut self, entry: &Entry<'_>) -> Option<usize> {
        if self.last.as_deref().is_some_and(|l| l > entry.key) {
            return None;
        }
        self.last = Some(entry.key.to_vec());
        Some(entry.key.len())
    }
}
