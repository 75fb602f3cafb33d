use distaudit::coordination;
#[distaudit::audit]
pub trait Claiming {
    fn grant(&mut self) -> u64;
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    fn claim(&mut self) -> u64 where Self: Sized { self.grant() }
}
