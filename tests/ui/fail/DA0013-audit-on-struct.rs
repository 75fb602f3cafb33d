//! `#[distaudit::audit]` on a struct: it goes on an impl block, a trait or an inline module.

#[distaudit::audit]
pub struct Fence {
    pub epoch: u64,
}

fn main() {}
