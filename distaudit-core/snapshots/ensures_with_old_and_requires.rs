/**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `fencing` (Fencing token), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-fencing) |
| Provenance | [burrows-2006](https://www.usenix.org/conference/osdi-06/chubby-lock-service-loosely-coupled-distributed-systems): Burrows, *The Chubby Lock Service for Loosely-Coupled Distributed Systems* (level 4, peer-reviewed) |
| Precondition | `requires(now > 0)` (checked on entry; a violation is the caller's; source burrows-2006) |
| Invariant | `monotonic(self.fence)` (checked on every exit; upholds the `fencing` rule; source burrows-2006) |
| Postcondition | `ensures holds(ret > old(self.fence))` (checked when the call succeeds; source burrows-2006) |
| Postcondition | `ensures holds(self.fence == ret)` (checked when the call succeeds; upholds D2.3; source akidau-2015) |
| Verification | woven-in invariant checks |
*/
pub fn acquire(&mut self, now: u64) -> Result<u64, AcquireError> {
    #[cfg(any(debug_assertions, test))]
    let distaudit_old_0 = ::distaudit::__private::Snapshot::snapshot(&(self.fence));
    #[cfg(any(debug_assertions, test))]
    ::distaudit::__private::held_gt::<
        Self,
        _,
        _,
    >(
        ::core::module_path!(),
        "acquire",
        "requires(now > 0)",
        "burrows-2006",
        "false on entry: the caller broke the precondition",
        ::distaudit::__private::probe(&(now)).side(),
        ::distaudit::__private::probe(&(0)).side(),
    );
    #[cfg(any(debug_assertions, test))]
    let distaudit_before_1 = ::distaudit::__private::snapshot(&(self.fence));
    #[cfg(any(debug_assertions, test))]
    let distaudit_ret: Result<u64, AcquireError> = ::distaudit::__private::call::<
        Result<u64, AcquireError>,
        _,
    >(|| {
        self.check(now)?;
        self.fence += 1;
        Ok(self.fence)
    });
    #[cfg(not(any(debug_assertions, test)))]
    let distaudit_ret: Result<u64, AcquireError> = {
        self.check(now)?;
        self.fence += 1;
        Ok(self.fence)
    };
    #[cfg(any(debug_assertions, test))]
    #[allow(unused_variables, clippy::shadow_unrelated)]
    let distaudit_ret = {
        ::distaudit::__private::not_decreased::<
            Self,
            _,
        >(
            ::core::module_path!(),
            "acquire",
            "monotonic(self.fence)",
            "fencing, burrows-2006",
            &distaudit_before_1,
            &(self.fence),
            ::distaudit::__private::probe(&distaudit_before_1).describer(),
        );
        match distaudit_ret {
            ::core::result::Result::Ok(ret) => {
                ::distaudit::__private::held_gt::<
                    Self,
                    _,
                    _,
                >(
                    ::core::module_path!(),
                    "acquire",
                    "ensures holds(ret > old(self.fence))",
                    "burrows-2006",
                    "false on exit",
                    ::distaudit::__private::probe(&(ret)).side(),
                    ::distaudit::__private::probe(&(distaudit_old_0)).side(),
                );
                ::distaudit::__private::held_eq::<
                    Self,
                    _,
                    _,
                >(
                    ::core::module_path!(),
                    "acquire",
                    "ensures holds(self.fence == ret)",
                    "D2.3, akidau-2015",
                    "false on exit",
                    ::distaudit::__private::probe(&(self.fence)).side(),
                    ::distaudit::__private::probe(&(ret)).side(),
                );
                ::core::result::Result::Ok(ret)
            }
            distaudit_other => distaudit_other,
        }
    };
    distaudit_ret
}
