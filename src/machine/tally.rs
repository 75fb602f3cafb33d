//! What a run counts: calls accepted and refused, and whether the run was vacuous.

use super::{Did, Outcome, Step};
use std::collections::BTreeMap;
use std::fmt::{Debug, Write as _};

/// Below this share of accepted calls (in percent), a generated test is vacuous.
const MIN_ACCEPTED_PERCENT: u64 = 5;

/// Calls accepted and refused over a whole run.
#[derive(Default)]
pub(super) struct Tally {
    accepted: u64,
    refused: u64,
    /// (method, refusal) to count.
    refusals: BTreeMap<(String, String), u64>,
    /// Each adversarial step: drawn, and formed (it found something to attack).
    attacks: BTreeMap<Step, (u64, u64)>,
    /// Each method: accepted, and called.
    methods: BTreeMap<String, (u64, u64)>,
}

impl Tally {
    pub(super) fn record<M: Debug>(&mut self, call: &M, did: Did) {
        let outcome = match did {
            Did::Call(outcome) => outcome,
            Did::Attack(step, formed) => {
                let counts = self.attacks.entry(step).or_default();
                counts.0 += 1;
                counts.1 += u64::from(formed.is_some());
                return;
            }
        };
        let method = method_of(call);
        let counts = self.methods.entry(method.clone()).or_default();
        counts.1 += 1;
        match outcome {
            Outcome::Accepted => {
                self.accepted += 1;
                counts.0 += 1;
            }
            Outcome::Refused(why) => {
                self.refused += 1;
                *self.refusals.entry((method, why)).or_default() += 1;
            }
        }
    }

    /// `; machine Owner, by method: acquire 3 of 10 (30.0%), checkpoint ..`: which receiver
    /// the calls ran on and, when there are several methods, each one's acceptance.
    pub(super) fn by_method(&self, machine: &str) -> String {
        let mut out = format!("; machine {machine}");
        if self.methods.len() > 1 {
            let each: Vec<String> = self
                .methods
                .iter()
                .map(|(method, &(accepted, total))| {
                    format!(
                        "{method} {accepted} of {total} ({:.1}%)",
                        percent(accepted, total)
                    )
                })
                .collect();
            let _ = write!(out, ", by method: {}", each.join(", "));
        }
        out
    }

    pub(super) fn total(&self) -> u64 {
        self.accepted + self.refused
    }

    pub(super) fn is_vacuous(&self) -> bool {
        self.accepted * 100 < MIN_ACCEPTED_PERCENT * self.total() || self.total() == 0
    }

    /// `812 of 8192 calls accepted (9.9%)`.
    pub(super) fn rate(&self) -> String {
        let percent = percent(self.accepted, self.total());
        let mut out = format!(
            "{} of {} calls accepted ({percent:.1}%)",
            self.accepted,
            self.total()
        );
        if !self.attacks.is_empty() {
            let steps: Vec<String> = self
                .attacks
                .iter()
                .map(|(step, (drawn, formed))| format!("{} {formed} of {drawn}", step.name()))
                .collect();
            let _ = write!(out, "; attacking steps formed: {}", steps.join(", "));
        }
        out
    }

    /// The most frequent refusal (the first in order among equals).
    pub(super) fn top_refusal(&self) -> Option<(&str, &str, u64)> {
        let mut top: Option<(&str, &str, u64)> = None;
        for ((method, why), &count) in &self.refusals {
            if top.is_none_or(|(_, _, c)| count > c) {
                top = Some((method, why, count));
            }
        }
        top
    }

    pub(super) fn vacuity_message(&self, test_name: &str) -> String {
        let mut out = format!(
            "distaudit: {test_name} is vacuous: {}, fewer than the {MIN_ACCEPTED_PERCENT}% a generated test needs to exercise anything",
            self.rate()
        );
        match self.top_refusal() {
            Some((method, why, count)) => {
                let _ = write!(
                    out,
                    "\n       = the most frequent refusal: `{method}` returned {why} ({count} of {} refusals)",
                    self.refused
                );
            }
            None => out.push_str("\n       = no call ran: give the test at least one step"),
        }
        out.push_str(
            "\n       = fix: give the refused parameters a `strategy(..)` that lands where `init` accepts them \
             (keys inside its shard, leases it granted), or write `test(.., vacuous_ok)` if refusing is what this test checks",
        );
        out
    }
}

/// `part` of `total` in percent (0 of 0 is 0%).
fn percent(part: u64, total: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)] // a percentage to one decimal
    if total == 0 {
        0.0
    } else {
        part as f64 * 100.0 / total as f64
    }
}

/// The method of a call: its `Debug` form up to its arguments.
fn method_of<M: Debug>(call: &M) -> String {
    let mut shown = format!("{call:?}");
    if let Some(end) = shown.find(['(', '{', ' ']) {
        shown.truncate(end);
    }
    shown
}
