//! The macro that `#[distaudit::audit]` on a trait defines under the trait's name hands the
//! contract to audited impls; calling it by hand is an error that says what to do instead.
use distaudit::coordination;

#[distaudit::audit]
pub trait Backend {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(monotonic = "self.fence()"))]
    fn acquire(&mut self) -> Result<u64, ()>;

    fn fence(&self) -> u64;
}

Backend! { impl Backend for () {} }

fn main() {}
