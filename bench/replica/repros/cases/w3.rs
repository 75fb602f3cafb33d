use distaudit::coordination;
use std::collections::BTreeMap;
pub struct C { cursors: BTreeMap<u64, Box<[u8]>> }
impl C {
    fn cursors(&self) -> BTreeMap<u64, Box<[u8]>> { self.cursors.clone() }
    fn kept(&self, before: &BTreeMap<u64, Box<[u8]>>) -> bool { before.iter().all(|(k, v)| self.cursors.get(k).is_some_and(|n| n >= v)) }
}
#[distaudit::audit(invariant(holds = "self.kept(&old(self.cursors()))", upholds = "S5"))]
impl C {
    #[coordination(pattern = "cursor", cite = "bacon-2017")]
    pub fn checkpoint(&mut self, shard: u64, key: Box<[u8]>) { self.cursors.insert(shard, key); }
}
