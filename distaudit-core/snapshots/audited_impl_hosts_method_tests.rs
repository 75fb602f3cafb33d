impl Coordinator {
    /**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `fencing` (Fencing token), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-fencing) |
| Provenance | [burrows-2006](https://www.usenix.org/conference/osdi-06/chubby-lock-service-loosely-coupled-distributed-systems): Burrows, *The Chubby Lock Service for Loosely-Coupled Distributed Systems* (level 4, peer-reviewed) |
| Postcondition | `strictly_increasing(self.fence)` (checked when the call succeeds; upholds the `fencing` rule; source burrows-2006) |
| Verification | woven-in invariant checks; generated property test `distaudit_coordinator_850a2c56::acquire` |
*/
    pub fn acquire(&mut self, now: LogicalTime) -> Result<u64, AcquireError> {
        #[cfg(any(debug_assertions, test))]
        let distaudit_entry = ::distaudit::__private::TypeProbeAt::<Self, _>::new(&now)
            .entry(&*self);
        let distaudit_value = {
            #[cfg(any(debug_assertions, test))]
            let distaudit_before_0 = ::distaudit::__private::snapshot(&(self.fence));
            let distaudit_ret: Result<u64, AcquireError> = {
                self.fence += 1;
                Ok(self.fence)
            };
            #[cfg(any(debug_assertions, test))]
            #[allow(unused_variables, clippy::shadow_unrelated)]
            {
                if ::core::result::Result::is_ok(&distaudit_ret) {
                    ::distaudit::__private::increased::<
                        ::distaudit::__private::NoOwner,
                        _,
                    >(
                        ::core::module_path!(),
                        "Coordinator::acquire",
                        "strictly_increasing(self.fence)",
                        "fencing, burrows-2006",
                        &distaudit_before_0,
                        &(self.fence),
                        ::distaudit::__private::probe(&distaudit_before_0).describer(),
                    );
                }
            }
            distaudit_ret
        };
        #[cfg(any(debug_assertions, test))]
        {
            ::distaudit::__private::TypeProbe::<Self>::new()
                .check_type(&*self, "Coordinator::acquire");
            distaudit_entry(&*self, "Coordinator::acquire");
        }
        distaudit_value
    }
}
#[cfg(test)]
#[allow(non_snake_case)]
mod distaudit_coordinator_850a2c56 {
    #[allow(unused_imports)]
    use super::*;
    __distaudit_items_of_distaudit_coordinator_850a2c56! {
        ::distaudit::__require_test_feature! { #[cfg(test)] #[allow(non_snake_case,
        non_camel_case_types, unused_variables, clippy::all, clippy::pedantic)] mod
        acquire { #[allow(unused_imports)] use super:: *; #[allow(unused_imports)] use
        ::distaudit::__private:: { machine, proptest, proptest::prelude:: * };
        #[derive(Clone)] pub enum Call { acquire { now : LogicalTime } } impl
        ::core::fmt::Debug for Call { fn fmt(& self, f : & mut ::core::fmt::Formatter <
        '_ >) -> ::core::fmt::Result { match self { Call::acquire { now } =>
        machine::call(f, "acquire", & [("now", & ::distaudit::__arg!(now))],) } } } impl
        machine::Machine for Call { type Sut = Coordinator; fn init() -> Self::Sut {
        Coordinator::new() } fn check_type(distaudit_sut : & Self::Sut) {
        ::distaudit::__private::TypeProbe:: < Self::Sut > ::new()
        .check_type(distaudit_sut, "a call"); } fn strategy() ->
        proptest::strategy::BoxedStrategy < Self > { proptest::prop_oneof![((0u64..100)
        .prop_map(LogicalTime),).prop_map(| (now,) | Call::acquire { now })] .boxed() }
        fn methods() -> u32 { 1u32 } fn apply(& self, distaudit_sut : & mut Self::Sut) ->
        machine::Outcome { let _ = & distaudit_sut; match
        ::core::clone::Clone::clone(self) { #[allow(unused_mut)] Call::acquire { mut now
        } => ::distaudit::__outcome!(distaudit_sut.acquire(now)) } } } #[test] fn
        acquire() { machine::run:: < Call > (256u32, 1..= 8usize, false, ::core::file!(),
        "acquire"); } } }
    }
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
trait __distaudit_scope_of_distaudit_coordinator_850a2c56 {
    fn distaudit_scope(self) -> ::distaudit::__private::ModuleLevel;
}
impl __distaudit_scope_of_distaudit_coordinator_850a2c56
for ::distaudit::__private::ScopeProbe<6358896741088543798u64> {
    fn distaudit_scope(self) -> ::distaudit::__private::ModuleLevel {
        ::distaudit::__private::ModuleLevel
    }
}
const _: () = {
    #[allow(unused_imports)]
    mod distaudit_scope {
        use super::*;
        use ::distaudit::__private::InFunctionBody as _;
        #[allow(dead_code)]
        fn probe() {
            ::distaudit::__private::at_module_level(
                ::distaudit::__private::ScopeProbe::<6358896741088543798u64>
                    .distaudit_scope(),
            );
        }
    }
};
#[cfg(test)]
#[doc(hidden)]
#[allow(unused_macros)]
macro_rules! __distaudit_items_of_distaudit_coordinator_850a2c56 {
    ($($items:tt)*) => {
        $($items)*
    };
}
#[cfg(test)]
#[allow(unused_imports)]
use __distaudit_items_of_distaudit_coordinator_850a2c56;
const _: () = {
    #[allow(unused_imports)]
    use coordination as _;
};
