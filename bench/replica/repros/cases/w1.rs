use distaudit::coordination;
#[coordination(pattern = "fencing", cite = "burrows-2006",
    invariant(holds = "self.fence >= old(self.fence)"))]
pub struct Store { fence: u64 }
#[distaudit::audit]
impl Store {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.fence"))]
    pub fn grant(&mut self) -> u64 { self.fence += 1; self.fence }
}
