#![deny(warnings)]
use distaudit::coordination;

pub struct Queue {
    pub items: std::collections::VecDeque<u64>,
    pub capacity: usize,
}

#[coordination(pattern = "backpressure", cite = "welsh-2001")]
impl Queue {
    pub fn offer(&mut self, item: u64) -> Result<(), u64> {
        if self.items.len() >= self.capacity {
            return Err(item);
        }
        self.items.push_back(item);
        Ok(())
    }
}

fn main() {
    let mut q = Queue { items: Default::default(), capacity: 1 };
    assert!(q.offer(1).is_ok());
    assert_eq!(q.offer(2), Err(2));
}
