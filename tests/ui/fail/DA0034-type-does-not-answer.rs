//! A method of an audited impl that changes fencing state and states no check asks its
//! type: here the type's annotation holds no fence against its entry value, so the build
//! says so on the method, in distaudit's words (issue 21: a type's invariants answer for
//! its methods' rules when they do hold the fences).
use distaudit::coordination;

#[coordination(pattern = "fencing", cite = "burrows-2006", invariant(holds = "self.fence < u64::MAX"))]
pub struct Coordinator {
    pub fence: u64,
}

#[distaudit::audit]
impl Coordinator {
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    pub fn acquire(&mut self) -> u64 {
        self.fence += 1;
        self.fence
    }
}

fn main() {}
