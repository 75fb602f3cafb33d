//! A type's invariant that reads the call's logical time names its type (`now = ".."`); a
//! function's checks read their own parameter `now`, and `now = ..` is for a check that
//! names `now`.
use distaudit::coordination;

pub type Tick = u64;

#[coordination(
    pattern = "lease",
    cite = "gray-cheriton-1989",
    invariant(holds = "self.until.is_none_or(|u| u > now)"),
    invariant(holds = "self.until.is_some()", now = "Tick"),
    invariant(holds = "self.until != Some(now)", now = "1 +")
)]
#[derive(Debug, Default)]
pub struct Lease {
    until: Option<Tick>,
}

#[distaudit::audit]
impl Lease {
    #[coordination(
        pattern = "lease",
        cite = "gray-cheriton-1989",
        ensures(holds = "self.until == Some(now + 10)", now = "Tick")
    )]
    pub fn renew(&mut self, now: Tick) {
        self.until = Some(now + 10);
    }
}

fn main() {}
