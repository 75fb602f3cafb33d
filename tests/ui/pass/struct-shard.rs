#![deny(warnings)]
use distaudit::{KeyRange, coordination};

#[coordination(pattern = "shard", cite = "chang-2006", implements = "D2.2", implements = "D3.3")]
pub struct ShardSpec {
    pub start: Box<[u8]>,
    pub end: Box<[u8]>,
}

#[coordination(pattern = "shard", cite = "corbett-2012", fields(start = "key_range_start", end = "key_range_end"))]
pub struct Renamed<'a> {
    pub key_range_start: &'a [u8],
    pub key_range_end: Vec<u8>,
}

pub struct Key(Vec<u8>);
impl distaudit::LexKey for Key {
    fn key_bytes(&self) -> &[u8] {
        &self.0
    }
}

#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Newtyped<K: distaudit::LexKey> {
    pub start: Key,
    pub end: K,
}

/// A coordinator that owns shards rather than being one: no bound of its own is asked.
#[coordination(pattern = "shard", cite = "chang-2006")]
pub struct Owner {
    pub shards: std::collections::BTreeMap<u64, ShardSpec>,
    pub epoch: u64,
}

fn main() {
    let s = ShardSpec { start: Box::from(&b"b"[..]), end: Box::from(&b""[..]) };
    assert!(s.contains_key(b"zz") && !s.contains_key(b"a"));
    let r = Renamed { key_range_start: b"a", key_range_end: b"c".to_vec() };
    assert!(r.contains_key(b"b") && !r.contains_key(b"c"));
    let n = Newtyped { start: Key(b"a".to_vec()), end: [b'c'; 1] };
    assert!(n.contains_key(b"b"));
    let o = Owner { shards: std::collections::BTreeMap::from([(1, s)]), epoch: 1 };
    assert_eq!(o.shards.len() as u64, o.epoch);
}
