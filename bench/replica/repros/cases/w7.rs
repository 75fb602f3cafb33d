use distaudit::coordination;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lease { pub shard: u8, pub fence: u64, pub deadline: u64 }
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store { fence: u64, deadline: u64 }
impl Store {
    pub fn seeded() -> Self { Store { fence: 1, deadline: 10 } }
    pub fn held(&self) -> Vec<Lease> { vec![Lease { shard: 0, fence: self.fence, deadline: self.deadline }] }
}
#[distaudit::audit(test(init = "Store::seeded()", roles(fence = "lease.fence", shard = "lease.shard", expires = "lease.deadline")))]
impl Store {
    /// Extends the lease; returns the new deadline (not a Lease), like Gossip-rs's RenewResult.
    #[coordination(pattern = "lease", pattern = "fencing", cite = "gray-cheriton-1989", cite = "burrows-2006",
        invariant(monotonic = "self.fence"),
        test(strategy(now = "0u64..30", lease = "Just(Lease { shard: 0, fence: 1, deadline: 10 })")))]
    pub fn renew(&mut self, now: u64, lease: Lease) -> Result<u64, ()> {
        if lease.fence != self.fence || now >= self.deadline { return Err(()); }
        self.deadline = now + 10;
        Ok(self.deadline)
    }
}
