// W12 (no workaround possible): the lease step reads a lapse time only from leases a method
// returns as `Lease` (`Result<Lease, _>`, `Option<Lease>`, `Lease`). The first user's acquire
// returns the lease inside a result (`AcquireResultView { lease, cursor, spec }`), so no lease
// counts as issued and the lease step forms 0 times, even against this store, which accepts a
// lapsed lease (the zombie): `cargo test -- --show-output` passes with `lease 0 of N`. Change
// `acquire` to return `Result<Lease, ()>` (and `Ok(g.lease)`) and the step forms and catches it.
use distaudit::coordination;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lease { pub shard: u8, pub fence: u64, pub deadline: u64 }
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant { pub lease: Lease, pub cursor: Option<Vec<u8>> }
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store { fence: u64, deadline: u64, writes: u32 }
#[distaudit::audit(test(init = "Store::default()", roles(fence = "lease.fence", shard = "lease.shard", expires = "lease.deadline")))]
impl Store {
    #[coordination(pattern = "lease", pattern = "fencing", cite = "gray-cheriton-1989", cite = "burrows-2006",
        invariant(strictly_increasing = "self.fence"), test(strategy(now = "0u64..40")))]
    pub fn acquire(&mut self, now: u64) -> Result<Grant, ()> {
        if now < self.deadline { return Err(()); }
        self.fence += 1;
        self.deadline = now + 10;
        Ok(Grant { lease: Lease { shard: 0, fence: self.fence, deadline: self.deadline }, cursor: None })
    }
    /// Seeded bug: the deadline is not compared with `now`.
    #[coordination(pattern = "lease", pattern = "fencing", cite = "gray-cheriton-1989", cite = "burrows-2006",
        invariant(monotonic = "self.fence"),
        test(strategy(now = "0u64..40", lease = "(1u64..4).prop_map(|f| Lease { shard: 0, fence: f, deadline: 10 * f })")))]
    pub fn write(&mut self, now: u64, lease: Lease) -> Result<(), ()> {
        let _ = now;
        if lease.fence != self.fence { return Err(()); }
        self.writes += 1;
        Ok(())
    }
}
