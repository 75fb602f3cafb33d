/**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `idempotency` (Idempotency), evidence level 3: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-idempotency) |
| Provenance | [kafka-kip-98](https://cwiki.apache.org/confluence/display/KAFKA/KIP-98+-+Exactly+Once+Delivery+and+Transactional+Messaging): Mehta, *KIP-98 - Exactly Once Delivery and Transactional Messaging* (level 3, battle-tested system) |
| Postcondition | `holds(ret.len() <= ops.len())` (checked when the call succeeds; source kafka-kip-98) |
| Verification | woven-in invariant checks |
*/
pub fn dedupe<'a, T: Clone + Eq, I>(ops: &'a [T], seen: I) -> Vec<T>
where
    I: IntoIterator<Item = T>,
{
    #[cfg(any(debug_assertions, test))]
    let distaudit_arg_ops = ::core::clone::Clone::clone(&ops);
    let distaudit_ret: Vec<T> = {
        let seen: Vec<T> = seen.into_iter().collect();
        ops.iter().filter(|o| !seen.contains(o)).cloned().collect()
    };
    #[cfg(any(debug_assertions, test))]
    #[allow(unused_variables, clippy::shadow_unrelated)]
    let distaudit_ret = {
        let ops = distaudit_arg_ops;
        {
            let ret = distaudit_ret;
            ::distaudit::__private::held_le::<
                ::distaudit::__private::NoOwner,
                _,
                _,
            >(
                ::core::module_path!(),
                "dedupe",
                "holds(ret.len() <= ops.len())",
                "kafka-kip-98",
                "false on exit",
                ::distaudit::__private::probe(&(ret.len())).side(),
                ::distaudit::__private::probe(&(ops.len())).side(),
            );
            ret
        }
    };
    distaudit_ret
}
