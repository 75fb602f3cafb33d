//! A generated test on a method of a generic impl whose `init` does not name the type's
//! arguments: the test cannot know which type to build.
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

fn main() {}
