// W10: a type's two-state invariants are checked after every `&mut self` method of its
// audited impls, but do not count for those methods' rules: DA0034 ("changes fencing state but
// declares no check on its epoch") and DA0033 ("cannot verify D2.3 .. D2.5"), although the
// type's S2 compares the fence with its entry value and S5 refines D2.3 and D2.5.
// `cp cases/w10.rs src/lib.rs && cargo build`: 4 errors. The same two invariants written on
// the impl's `#[distaudit::audit(..)]` (or the method) build.
use distaudit::coordination;
#[coordination(pattern = "cursor", pattern = "fencing", cite = "bacon-2017", cite = "burrows-2006",
    invariant(holds = "self.fence >= old(self.fence)", upholds = "S2"),
    invariant(holds = "self.key.is_some() || old(self.key.clone()).is_none()", upholds = "S5"),
    invariant(holds = "self.key >= old(self.key.clone())", upholds = "S5"))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store { fence: u64, key: Option<Vec<u8>> }
#[distaudit::audit]
impl Store {
    #[coordination(pattern = "cursor", pattern = "fencing", cite = "bacon-2017", cite = "burrows-2006",
        ensures(holds = "self.key.as_ref().is_none_or(|k| k.first() != Some(&0xff))", upholds = "D2.4"))]
    pub fn checkpoint(&mut self, fence: u64, key: Vec<u8>) -> Result<(), ()> {
        if fence != self.fence || key.first() == Some(&0xff) || self.key.as_ref().is_some_and(|k| *k > key) {
            return Err(());
        }
        self.key = Some(key);
        Ok(())
    }
}
