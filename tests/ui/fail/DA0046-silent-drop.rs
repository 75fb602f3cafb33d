use distaudit::coordination;
use std::sync::mpsc::SyncSender;

#[coordination(pattern = "backpressure", cite = "welsh-2001")]
pub fn submit(tx: &SyncSender<u64>, unit: u64) {
    let _ = tx.try_send(unit);
}

#[coordination(pattern = "backpressure", cite = "welsh-2001")]
pub fn submit_match(tx: &SyncSender<u64>, unit: u64) {
    match tx.try_send(unit) {
        Ok(()) => {}
        Err(_) => {}
    }
}

fn main() {}
