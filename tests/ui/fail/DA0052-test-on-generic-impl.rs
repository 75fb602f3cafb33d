//! A generated test on a method of a generic impl whose `init` does not name the type's
//! arguments, and `test(..)` on the audit of a trait: neither can build its receiver.
use distaudit::coordination;

#[derive(Default)]
pub struct Queue<T> {
    pub items: Vec<T>,
    pub epoch: u64,
}

#[distaudit::audit]
impl<T: Clone> Queue<T> {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"), test(init = "Queue::default()"))]
    pub fn bump(&mut self) {
        self.epoch += 1;
    }
}

#[distaudit::audit(test(init = "Fence::default()"))]
pub trait Issue {
    fn issue(&mut self) -> u64;
}

fn main() {}
