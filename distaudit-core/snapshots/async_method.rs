/**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `fencing` (Fencing token): [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-fencing) |
| Evidence for `fencing` | level 4 (peer-reviewed) |
| Provenance | level 4 (peer-reviewed): Burrows, *The Chubby Lock Service for Loosely-Coupled Distributed Systems*, OSDI 2006 (7th USENIX Symposium on Operating Systems Design and Implementation), pp. 335-350, 2006. [burrows-2006](https://www.usenix.org/conference/osdi-06/chubby-lock-service-loosely-coupled-distributed-systems) |
| Postcondition | `strictly_increasing(self.fence)` (checked when the call succeeds; upholds fencing, burrows-2006) |
| Verification | woven-in invariant checks |
*/
pub async fn acquire(&mut self, now: LogicalTime) -> Result<FenceEpoch, AcquireError> {
    #[cfg(any(debug_assertions, test))]
    let distaudit_before_0 = ::distaudit::__private::snapshot(&(self.fence));
    let distaudit_ret: Result<FenceEpoch, AcquireError> = ::distaudit::__private::typed_future::<
        Result<FenceEpoch, AcquireError>,
        _,
    >(async {
            {
                let epoch = self.next_epoch(now).await?;
                Ok(epoch)
            }
        })
        .await;
    #[cfg(any(debug_assertions, test))]
    #[allow(unused_variables, clippy::shadow_unrelated)]
    let distaudit_ret = {
        match distaudit_ret {
            ::core::result::Result::Ok(ret) => {
                static DISTAUDIT_SITE_0: ::distaudit::__private::Site = ::distaudit::__private::Site {
                    module: ::core::module_path!(),
                    item: "acquire",
                    invariant: "strictly_increasing(self.fence)",
                    upholds: "fencing, burrows-2006",
                };
                let distaudit_after = &(self.fence);
                if !(::core::cmp::PartialOrd::gt(distaudit_after, &distaudit_before_0)) {
                    ::distaudit::__private::violated_compare(
                        &DISTAUDIT_SITE_0,
                        ::core::option::Option::Some(::core::any::type_name::<Self>()),
                        "did not increase",
                        &distaudit_before_0,
                        distaudit_after,
                        ::distaudit::__describer!(& distaudit_before_0),
                    )
                }
                ::distaudit::__private::count_check();
                ::core::result::Result::Ok(ret)
            }
            distaudit_other => distaudit_other,
        }
    };
    distaudit_ret
}
