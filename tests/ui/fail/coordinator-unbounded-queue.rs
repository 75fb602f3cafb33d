//! The example's work queue built on an unbounded channel: anti-pattern 4.
use distaudit::coordination;

pub struct Mailbox {
    pub tx: tokio_like::UnboundedSender,
}

mod tokio_like {
    pub struct UnboundedSender;
    pub fn unbounded_channel() -> (UnboundedSender, ()) {
        (UnboundedSender, ())
    }
}

#[coordination(pattern = "backpressure", cite = "welsh-2001")]
pub fn mailbox() -> Mailbox {
    let (tx, _rx) = tokio_like::unbounded_channel();
    Mailbox { tx }
}

fn main() {}
