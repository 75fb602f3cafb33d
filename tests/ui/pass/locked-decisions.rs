//! Code that upholds every locked decision compiles quietly.
#![deny(warnings)]
use distaudit::{KeyRange, coordination};

#[coordination(pattern = "shard", cite = "chang-2006", implements = "D2.2", implements = "D3.3")]
pub struct Shard {
    pub start: Box<[u8]>,
    pub end: Box<[u8]>,
}

#[coordination(pattern = "cursor", cite = "bacon-2017", implements = "D2.1")]
pub struct Cursor {
    pub last_key: Option<Box<[u8]>>,
    pub token: Option<Box<[u8]>>,
}

pub struct Worker {
    pub shard: Shard,
    pub cursor: Cursor,
}

impl Worker {
    #[coordination(pattern = "cursor", cite = "bacon-2017", cite = "akidau-2015",
                   implements = "D2.3", implements = "D2.4", implements = "D2.5",
                   invariant(monotonic = "self.cursor.last_key"),
                   invariant(within(key = "self.cursor.last_key", range = "self.shard")),
                   invariant(never_none = "self.cursor.last_key"))]
    pub fn checkpoint(&mut self, key: &[u8]) -> Result<(), &'static str> {
        if !self.shard.contains_key(key) {
            return Err("outside the shard");
        }
        if self.cursor.last_key.as_deref().is_some_and(|last| key < last) {
            return Err("regression");
        }
        self.cursor.last_key = Some(key.into());
        Ok(())
    }

    /// Read-only cursor functions declare nothing.
    #[coordination(pattern = "cursor", cite = "bacon-2017")]
    pub fn resume_point(&self) -> Option<&[u8]> {
        self.cursor.last_key.as_deref()
    }
}

/// Decision A: delegated to a proven backend.
#[coordination(pattern = "leader-election", cite = "hunt-2010", backend = "zookeeper")]
pub fn current_leader(ephemeral_owner: Option<u64>) -> Option<u64> {
    ephemeral_owner
}

fn main() {
    let mut w = Worker {
        shard: Shard { start: Box::from(&b"a"[..]), end: Box::from(&b"m"[..]) },
        cursor: Cursor { last_key: None, token: None },
    };
    assert!(w.checkpoint(b"c").is_ok());
    assert!(w.checkpoint(b"b").is_err());
    assert!(w.checkpoint(b"z").is_err());
    assert_eq!(w.resume_point(), Some(&b"c"[..]));
    assert_eq!(current_leader(Some(3)), Some(3));
    let _ = w.cursor.token;
}
