//! What a failing run prints: the sequence cut down to the calls that matter, as numbered
//! calls with the violation on the failing step.

use super::{Drawn, Machine, execute, execute_seen};
use std::fmt::Write as _;

/// Where a case failed: at `init` (step 0) or at a step (from 1), and the panic message.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) step: usize,
    pub(super) message: String,
}

/// Delete single calls while the sequence still fails, until none can go (1-minimal); calls
/// after the failing one never ran and go first. `None` when `calls` does not fail.
pub(super) fn minimise<M: Machine>(mut calls: Vec<Drawn<M>>) -> Option<(Vec<Drawn<M>>, Failure)> {
    let mut failure = execute(&calls, |_, _| {}).err()?;
    calls.truncate(failure.step);
    loop {
        let mut shorter = false;
        let mut index = 0;
        while index < calls.len() {
            let mut candidate = calls.clone();
            candidate.remove(index);
            match execute(&candidate, |_, _| {}) {
                Err(found) => {
                    candidate.truncate(found.step);
                    calls = candidate;
                    failure = found;
                    shorter = true;
                }
                Ok(()) => index += 1,
            }
        }
        if !shorter {
            return Some((calls, failure));
        }
    }
}

/// The failing sequence as numbered calls, the violation on the failing step, and how the
/// values are shown.
pub(super) fn failure_report<M: Machine>(
    test_name: &str,
    calls: Vec<Drawn<M>>,
    first_len: Option<usize>,
    reason: &str,
    persisted: bool,
) -> String {
    let (calls, failure) = match minimise(calls.clone()) {
        Some((calls, failure)) => (calls, Some(failure)),
        None => (calls, None),
    };
    // The calls as they ran: parameters that read the state shown as drawn.
    let mut seen = Some(Vec::new());
    let _ = execute_seen(&calls, &mut seen, |_, _| {});
    let calls: Vec<M> = match seen {
        Some(seen) if seen.len() == calls.len() => seen,
        _ => calls.into_iter().map(|(call, _)| call).collect(),
    };
    let count = match calls.len() {
        1 => "1 call breaks".to_string(),
        n => format!("{n} calls break"),
    };
    let mut out = match &failure {
        Some(f) if f.step == 0 => format!(
            "distaudit: {test_name}: fails before any call, in `init` or the type's invariants after it"
        ),
        Some(_) => format!("distaudit: {test_name}: {count} a check"),
        None => format!("distaudit: {test_name}: {count} a check, but not when replayed"),
    };
    let mut notes = Vec::new();
    if let Some(first) = first_len.filter(|&first| first > calls.len()) {
        notes.push(format!("shrunk from {first}"));
    }
    if persisted {
        notes.push(
            "its seed, without the values, is kept in proptest-regressions/ and replayed first from now on"
                .to_string(),
        );
    }
    if !notes.is_empty() {
        let _ = write!(out, " ({})", notes.join("; "));
    }
    let failing_step = failure.as_ref().map(|f| f.step);
    if let Some(Failure { step: 0, message }) = &failure {
        let _ = write!(out, "\ninit <- {message}");
    }
    for (index, call) in calls.iter().enumerate() {
        let _ = write!(out, "\nstep {}: {call:?}", index + 1);
        if let Some(Failure { step, message }) = &failure
            && *step == index + 1
        {
            let _ = write!(out, " <- {message}");
        }
    }
    if failing_step.is_none() {
        let _ = write!(
            out,
            "\nit failed with: {reason}\nreplayed alone, the sequence passed: does `init` or a call depend on time, randomness or state outside the receiver?"
        );
    }
    out.push_str(values_note(crate::runtime::revealing()));
    out
}

/// How the report shows values, and how to see them.
fn values_note(revealing: bool) -> &'static str {
    if revealing {
        "\n       = values are shown in clear (DISTAUDIT_REVEAL=1): keep this output out of logs, issues and commits"
    } else {
        "\n       = values are described, not shown, since keys may be secrets: a key by its length and fingerprint, two keys by how they compare\n       = to see them in a local run, set DISTAUDIT_REVEAL=1 (ignored when CI is set)"
    }
}
