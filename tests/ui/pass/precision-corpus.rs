//! Idiomatic correct code that must not be refused.
#![deny(warnings)]
use distaudit::coordination;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

#[coordination(pattern = "backpressure", cite = "welsh-2001")]
pub fn bounded_queue() -> (std::sync::mpsc::SyncSender<u64>, std::sync::mpsc::Receiver<u64>) {
    std::sync::mpsc::sync_channel(64)
}

#[coordination(pattern = "backpressure", cite = "welsh-2001")]
pub fn pacing() -> Instant {
    // Clocks are fine where the pattern does not decide safety.
    Instant::now()
}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
pub fn lease_status(state: &Mutex<u64>, now: u64) -> String {
    let _guard = state.lock();
    let mut out = String::new();
    let _ = write!(out, "lease checked at {now}");
    out
}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]
pub fn gossip_free_lease_for_gossip_crate(now: u64, deadline: u64) -> bool {
    // Identifiers that say "gossip" are fine: Decision B judges the pattern.
    let gossip_contracts_deadline = deadline;
    now < gossip_contracts_deadline
}

#[coordination(pattern = "backpressure", cite = "welsh-2001")]
pub fn submit(tx: &std::sync::mpsc::SyncSender<u64>, unit: u64) -> Result<(), u64> {
    tx.try_send(unit).map_err(|e| match e {
        std::sync::mpsc::TrySendError::Full(u) | std::sync::mpsc::TrySendError::Disconnected(u) => u,
    })
}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989",
               allow(wall_clock = "the reading only feeds a latency histogram, never a lease decision"))]
pub fn observe_latency() -> Instant {
    Instant::now()
}

fn main() {
    let (tx, _rx) = bounded_queue();
    assert!(submit(&tx, 1).is_ok());
    let _ = pacing();
    let _ = observe_latency();
    assert!(lease_status(&Mutex::new(0), 1).contains("1"));
    assert!(gossip_free_lease_for_gossip_crate(1, 2));
}
