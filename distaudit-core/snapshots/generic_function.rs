/**
# Coordination audit

| | |
|---|---|
| Pattern | `idempotency` (Idempotency): An operation tagged with a unique key so that applying it several times has the same effect as applying it once. |
| Evidence for `idempotency` | level 3 (battle-tested system) |
| Safety (`idempotency`) | A retried or duplicated request never applies its effect twice; a repeat gets the recorded outcome of the first attempt. |
| Liveness (`idempotency`) | A client may retry until it obtains an answer, because every retry is safe. |
| Provenance | level 3 (battle-tested system): Mehta, *KIP-98 - Exactly Once Delivery and Transactional Messaging*, Apache Kafka Improvement Proposal (Apache Confluence wiki), 2016. [kafka-kip-98](https://cwiki.apache.org/confluence/display/KAFKA/KIP-98+-+Exactly+Once+Delivery+and+Transactional+Messaging) |
| Invariant | `holds(ret.len() &lt;= ops.len())` (checked on every call) |
| Verification | woven-in invariant checks |
*/
pub fn dedupe<'a, T: Clone + Eq, I>(ops: &'a [T], seen: I) -> Vec<T>
where
    I: IntoIterator<Item = T>,
{
    let distaudit_on: bool = ::core::cfg!(any(debug_assertions, test));
    let distaudit_arg_ops = if distaudit_on {
        ::core::option::Option::Some(::core::clone::Clone::clone(&ops))
    } else {
        ::core::option::Option::None
    };
    let distaudit_ret: Vec<T> = {
        let seen: Vec<T> = seen.into_iter().collect();
        ops.iter().filter(|o| !seen.contains(o)).cloned().collect()
    };
    #[allow(unused_variables, clippy::shadow_unrelated)]
    {
        if let (::core::option::Option::Some(ops),) = (distaudit_arg_ops,) {
            let ret = &distaudit_ret;
            static DISTAUDIT_SITE_0: ::distaudit::__private::Site = ::distaudit::__private::Site {
                module: ::core::module_path!(),
                item: "dedupe",
                invariant: "holds(ret.len() <= ops.len())",
                upholds: "kafka-kip-98",
            };
            if !(ret.len() <= ops.len()) {
                ::distaudit::__private::violated(
                    &DISTAUDIT_SITE_0,
                    ::core::option::Option::None,
                    &"false on exit",
                )
            }
        }
    }
    distaudit_ret
}
