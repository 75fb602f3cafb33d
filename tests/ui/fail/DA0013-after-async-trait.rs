//! `#[async_trait]` above distaudit's attribute rewrites the `async fn` first: its checks
//! would run before its body. The message names the order that works.
use distaudit::coordination;

#[distaudit::audit]
#[async_trait::async_trait]
pub trait Backend: Send {
    async fn grant(&mut self) -> Option<u64>;
}

pub struct Fence {
    pub epoch: u64,
}

#[async_trait::async_trait]
#[distaudit::audit]
impl Backend for Fence {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(monotonic = "self.epoch"))]
    async fn grant(&mut self) -> Option<u64> {
        self.epoch += 1;
        Some(self.epoch)
    }
}

fn main() {}
