impl Fences for Memory {
    /// Issue the next fence epoch.
    /**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `fencing` (Fencing token), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-fencing) |
| Provenance | [burrows-2006](https://www.usenix.org/conference/osdi-06/chubby-lock-service-loosely-coupled-distributed-systems): Burrows, *The Chubby Lock Service for Loosely-Coupled Distributed Systems* (level 4, peer-reviewed) |
| Invariant | `monotonic(self.current())` (checked on every exit; source burrows-2006; from the contract of `Fences::issue`) |
| Postcondition | `ensures holds(ret > old(self.current()))` (checked when the call succeeds; source burrows-2006; from the contract of `Fences::issue`) |
| Verification | woven-in invariant checks |
*/
    fn issue(&mut self) -> Option<u64> {
        #[cfg(any(debug_assertions, test))]
        let distaudit_entry = ::distaudit::__private::TypeProbe::<Self>::new()
            .entry(&*self);
        let distaudit_value = {
            #[cfg(any(debug_assertions, test))]
            let distaudit_old_0 = ::distaudit::__private::Snapshot::snapshot(
                &(self.current()),
            );
            #[cfg(any(debug_assertions, test))]
            let distaudit_before_0 = ::distaudit::__private::snapshot(&(self.current()));
            let distaudit_ret: Option<u64> = {
                self.0 += 1;
                Some(self.0)
            };
            #[cfg(any(debug_assertions, test))]
            #[allow(unused_variables, clippy::shadow_unrelated)]
            let distaudit_ret = {
                ::distaudit::__private::not_decreased::<
                    ::distaudit::__private::NoOwner,
                    _,
                >(
                    ::core::module_path!(),
                    "Memory::issue",
                    "monotonic(self.current())",
                    "burrows-2006",
                    &distaudit_before_0,
                    &(self.current()),
                    ::distaudit::__private::probe(&distaudit_before_0).describer(),
                );
                match distaudit_ret {
                    ::core::option::Option::Some(ret) => {
                        ::distaudit::__private::held_gt::<
                            ::distaudit::__private::NoOwner,
                            _,
                            _,
                        >(
                            ::core::module_path!(),
                            "Memory::issue",
                            "ensures holds(ret > old(self.current()))",
                            "burrows-2006",
                            "false on exit",
                            ::distaudit::__private::probe(&(ret)).side(),
                            ::distaudit::__private::probe(&(distaudit_old_0)).side(),
                        );
                        ::core::option::Option::Some(ret)
                    }
                    distaudit_other => distaudit_other,
                }
            };
            distaudit_ret
        };
        #[cfg(any(debug_assertions, test))]
        {
            ::distaudit::__private::TypeProbe::<Self>::new()
                .check_type(&*self, "Memory::issue");
            distaudit_entry(&*self, "Memory::issue");
        }
        distaudit_value
    }
    fn current(&self) -> u64 {
        self.0
    }
}
#[doc(hidden)]
impl ::distaudit::__private::Audited<7u64> for Memory {}
#[doc(hidden)]
impl ::distaudit::__private::Inherits<7u64> for Memory {}
