//! `view(..)` draws a borrowed view from an owner: it needs the owner's strategy first, then
//! `owner` and `with`; owners drawn from the state are written `from_state("<function>")`.
use distaudit::coordination;

#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    pub key: &'a [u8],
}

#[derive(Debug, Default)]
pub struct Journal {
    n: usize,
}

#[distaudit::audit(test(init = "Journal::default()"))]
impl Journal {
    #[coordination(pattern = "idempotency", cite = "kafka-kip-98",
                   test(strategy(entry = view("owned()", owner = "Owned"))))]
    pub fn record(&mut self, entry: Entry<'_>) -> Option<usize> {
        self.n += entry.key.len();
        Some(self.n)
    }

    #[coordination(pattern = "idempotency", cite = "kafka-kip-98",
                   test(strategy(entry = view(owner = "Owned", with = "Owned::view"))))]
    pub fn replay(&mut self, entry: Entry<'_>) -> Option<usize> {
        Some(self.n + entry.key.len())
    }

    #[coordination(pattern = "idempotency", cite = "kafka-kip-98",
                   test(strategy(entry = view(from_state(7), owner = "Owned", with = "Owned::view"))))]
    pub fn peek(&mut self, entry: Entry<'_>) -> Option<usize> {
        Some(self.n + entry.key.len())
    }

    #[coordination(pattern = "idempotency", cite = "kafka-kip-98",
                   test(strategy(entry = view(from_state("owned_of"), owner = "Owned"))))]
    pub fn count(&mut self, entry: Entry<'_>) -> Option<usize> {
        Some(self.n + entry.key.len())
    }
}

fn main() {}
