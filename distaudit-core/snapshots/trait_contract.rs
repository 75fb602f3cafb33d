pub trait Fences: ::distaudit::__private::Audited<17871705299127565151u64> {
    /// Issue the next fence epoch.
    /**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `fencing` (Fencing token), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-fencing) |
| Provenance | [burrows-2006](https://www.usenix.org/conference/osdi-06/chubby-lock-service-loosely-coupled-distributed-systems): Burrows, *The Chubby Lock Service for Loosely-Coupled Distributed Systems* (level 4, peer-reviewed) |
| Invariant | `monotonic(self.current())` (checked on every exit; source burrows-2006) |
| Postcondition | `ensures holds(ret > old(self.current()))` (checked when the call succeeds; source burrows-2006) |
| Verification | woven-in invariant checks |

Every implementation carries these checks: its impl has `#[distaudit::audit]`.*/
    fn issue(&mut self) -> Option<u64>;
    fn current(&self) -> u64;
}
const _: () = {
    #[allow(unused_imports)]
    use coordination as _;
};
#[doc(hidden)]
#[macro_export]
macro_rules! __distaudit_contract_Fences_f8050d47fcf6fb5f {
    (@ distaudit_v1 runtime($($rt:tt)*) $($impl:tt)*) => {
        $($rt)* ::__contract_impl! { id(17871705299127565151u64) contract { #[doc =
        r" Issue the next fence epoch."] #[coordination(pattern = "fencing", cite =
        "burrows-2006", invariant(monotonic = "self.current()"), ensures(holds =
        "ret > old(self.current())"))] fn issue(& mut self) -> Option < u64 >; fn
        current(& self) -> u64; } $($impl)* }
    };
    ($($other:tt)*) => {
        ::core::compile_error! {
        "[distaudit DA0053 BLOCK] this trait's contract is handed to impls that carry `#[distaudit::audit]`; it is not a macro to call\n= why: `#[distaudit::audit]` on the trait defines this macro under the trait's name so that audited impls receive the contract's checks; its input is generated, not written\n= fix: remove this invocation, and put `#[distaudit::audit]` on the impl of the trait instead"
        }
    };
}
#[doc(hidden)]
pub use __distaudit_contract_Fences_f8050d47fcf6fb5f as Fences;
