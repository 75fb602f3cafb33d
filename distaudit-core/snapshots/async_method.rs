/**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `fencing` (Fencing token), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-fencing) |
| Provenance | [burrows-2006](https://www.usenix.org/conference/osdi-06/chubby-lock-service-loosely-coupled-distributed-systems): Burrows, *The Chubby Lock Service for Loosely-Coupled Distributed Systems* (level 4, peer-reviewed) |
| Postcondition | `strictly_increasing(self.fence)` (checked when the call succeeds; upholds the `fencing` rule; source burrows-2006) |
| Verification | woven-in invariant checks |
*/
pub async fn acquire(&mut self, now: LogicalTime) -> Result<FenceEpoch, AcquireError> {
    #[cfg(any(debug_assertions, test))]
    let distaudit_before_0 = ::distaudit::__private::snapshot(&(self.fence));
    #[cfg(any(debug_assertions, test))]
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
    #[cfg(not(any(debug_assertions, test)))]
    let distaudit_ret: Result<FenceEpoch, AcquireError> = {
        let epoch = self.next_epoch(now).await?;
        Ok(epoch)
    };
    #[cfg(any(debug_assertions, test))]
    #[allow(unused_variables, clippy::shadow_unrelated)]
    {
        if ::core::result::Result::is_ok(&distaudit_ret) {
            ::distaudit::__private::increased::<
                Self,
                _,
            >(
                ::core::module_path!(),
                "acquire",
                "strictly_increasing(self.fence)",
                "fencing, burrows-2006",
                &distaudit_before_0,
                &(self.fence),
                ::distaudit::__private::probe(&distaudit_before_0).describer(),
            );
        }
    }
    distaudit_ret
}
