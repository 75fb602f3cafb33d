#![deny(warnings)]
use distaudit::coordination;
use std::sync::mpsc::SyncSender;

#[coordination(pattern = "retry", cite = "bacon-2017")]
pub fn forward(tx: &SyncSender<u64>, unit: u64) {
    tx.send(unit).unwrap();
}

fn main() {}
