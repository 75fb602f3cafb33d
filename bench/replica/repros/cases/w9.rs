use distaudit::coordination;
use std::collections::BTreeMap;
pub struct C { fences: BTreeMap<u64, u64>, holder: Option<u64> }
impl C {
    fn fences(&self) -> BTreeMap<u64, u64> { self.fences.clone() }
    fn never_decrease(&self, before: &BTreeMap<u64, u64>) -> bool { before.iter().all(|(k, f)| self.fences.get(k).is_some_and(|n| n >= f)) }
}
#[distaudit::audit(invariant(holds = "self.never_decrease(&old(self.fences()))", upholds = "S2"))]
impl C {
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    pub fn park(&mut self) { self.holder = None; }
}
