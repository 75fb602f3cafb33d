#![deny(warnings)]
use distaudit::coordination;
use std::sync::mpsc::Receiver;
use std::time::Duration;

pub struct Members;
impl Members {
    pub fn mark_dead(&mut self, _node: u64) {}
}

#[coordination(pattern = "failure-detection", cite = "hayashibara-2004")]
pub fn probe(members: &mut Members, rx: &Receiver<u64>, node: u64) {
    match rx.recv_timeout(Duration::from_millis(50)) {
        Ok(_) => {}
        Err(_) => members.mark_dead(node),
    }
}

fn main() {}
