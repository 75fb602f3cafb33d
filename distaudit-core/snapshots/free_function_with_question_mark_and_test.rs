/**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `shard` (Shard), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-shard) |
| Provenance | [chang-2006](http://www.usenix.org/events/osdi06/tech/chang.html): Chang et al., *Bigtable: A Distributed Storage System for Structured Data* (level 4, peer-reviewed) |
| Postcondition | `within(key = ret, range = parent)` (checked when the call succeeds; upholds D2.4; source chang-2006) |
| Verification | woven-in invariant checks; generated property test `distaudit_split_point::distaudit_split_point` |
*/
pub fn split_point(parent: &ShardSpec, at: Vec<u8>) -> Result<Vec<u8>, SplitError> {
    #[cfg(any(debug_assertions, test))]
    let distaudit_arg_parent = ::core::clone::Clone::clone(&parent);
    #[cfg(any(debug_assertions, test))]
    let distaudit_ret: Result<Vec<u8>, SplitError> = ::distaudit::__private::call::<
        Result<Vec<u8>, SplitError>,
        _,
    >(|| {
        let key = validate(at)?;
        Ok(key)
    });
    #[cfg(not(any(debug_assertions, test)))]
    let distaudit_ret: Result<Vec<u8>, SplitError> = {
        let key = validate(at)?;
        Ok(key)
    };
    #[cfg(any(debug_assertions, test))]
    #[allow(unused_variables, clippy::shadow_unrelated)]
    let distaudit_ret = {
        let parent = distaudit_arg_parent;
        match distaudit_ret {
            ::core::result::Result::Ok(ret) => {
                ::distaudit::__private::key_within::<
                    ::distaudit::__private::NoOwner,
                >(
                    ::core::module_path!(),
                    "split_point",
                    "within(key = ret, range = parent)",
                    "D2.4, chang-2006",
                    ::distaudit::__private::WithinKey::within_key(&(ret)),
                    ::distaudit::__private::WithinRange::within_range(&(parent)),
                );
                ::core::result::Result::Ok(ret)
            }
            distaudit_other => distaudit_other,
        }
    };
    distaudit_ret
}
::distaudit::__require_test_feature! {
    #[cfg(test)] #[allow(non_snake_case, non_camel_case_types, unused_variables,
    clippy::all, clippy::pedantic)] mod distaudit_split_point { #[allow(unused_imports)]
    use super:: *; #[allow(unused_imports)] use ::distaudit::__private:: { machine,
    proptest, proptest::prelude:: * }; __distaudit_items_of_distaudit_split_point! {
    #[derive(Clone)] pub enum Call { split_point { parent : ShardSpec, at : Vec < u8 > }
    } impl ::core::fmt::Debug for Call { fn fmt(& self, f : & mut ::core::fmt::Formatter
    < '_ >) -> ::core::fmt::Result { match self { Call::split_point { parent, at } =>
    machine::call(f, "split_point", & [("parent", & ::distaudit::__arg!(parent)), ("at",
    & ::distaudit::__arg!(at))],) } } } impl machine::Machine for Call { type Sut = ();
    fn init() -> Self::Sut { () } fn strategy() -> proptest::strategy::BoxedStrategy <
    Self > { proptest::prop_oneof![(::distaudit::__private::any_value:: < ShardSpec > (),
    ::distaudit::__private::any_value:: < Vec < u8 > > (),).prop_map(| (parent, at,) |
    Call::split_point { parent, at })] .boxed() } fn methods() -> u32 { 1u32 } fn apply(&
    self, distaudit_sut : & mut Self::Sut) -> machine::Outcome { let _ = & distaudit_sut;
    match ::core::clone::Clone::clone(self) { #[allow(unused_mut)] Call::split_point {
    mut parent, mut at } => ::distaudit::__outcome!(split_point(& parent, at)) } } }
    #[test] fn distaudit_split_point() { machine::run:: < Call > (64u32, 1..= 1usize,
    false, ::core::file!(), "distaudit_split_point"); } } }
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
trait __distaudit_scope_of_distaudit_split_point {
    fn distaudit_scope(self) -> ::distaudit::__private::ModuleLevel;
}
impl __distaudit_scope_of_distaudit_split_point
for ::distaudit::__private::ScopeProbe<1648423415190256294u64> {
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
                ::distaudit::__private::ScopeProbe::<1648423415190256294u64>
                    .distaudit_scope(),
            );
        }
    }
};
#[cfg(test)]
#[doc(hidden)]
#[allow(unused_macros)]
macro_rules! __distaudit_items_of_distaudit_split_point {
    ($($items:tt)*) => {
        $($items)*
    };
}
#[cfg(test)]
#[allow(unused_imports)]
use __distaudit_items_of_distaudit_split_point;
