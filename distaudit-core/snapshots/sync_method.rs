/**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `cursor` (Cursor), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-cursor) |
| Provenance | [bacon-2017](https://doi.org/10.1145/3035918.3056103): Bacon et al., *Spanner: Becoming a SQL System* (level 4, peer-reviewed) |
| Decision upheld | D2.3 (Cursor monotonicity): A cursor's last_key never decreases: each checkpoint is greater than or equal to the one before it. |
| Invariant | `monotonic(self.cursor.last_key)` (checked on every exit; upholds D2.3; source bacon-2017) |
| Invariant | `within(key = self.cursor.last_key, range = self.shard)` (checked on every exit; upholds D2.4; source bacon-2017) |
| Invariant | `never_none(self.cursor.last_key)` (checked on every exit; upholds D2.5; source bacon-2017) |
| Verification | woven-in invariant checks |
*/
pub fn checkpoint(&mut self, key: &[u8]) -> Result<(), CheckpointError> {
    #[cfg(any(debug_assertions, test))]
    let distaudit_before_0 = ::distaudit::__private::snapshot(&(self.cursor.last_key));
    #[cfg(any(debug_assertions, test))]
    let distaudit_before_2 = ::core::option::Option::is_some(&(self.cursor.last_key));
    #[cfg(any(debug_assertions, test))]
    let distaudit_ret: Result<(), CheckpointError> = ::distaudit::__private::call::<
        Result<(), CheckpointError>,
        _,
    >(|| {
        self.validate(key)?;
        self.cursor.last_key = Some(key.into());
        Ok(())
    });
    #[cfg(not(any(debug_assertions, test)))]
    let distaudit_ret: Result<(), CheckpointError> = {
        self.validate(key)?;
        self.cursor.last_key = Some(key.into());
        Ok(())
    };
    #[cfg(any(debug_assertions, test))]
    #[allow(unused_variables, clippy::shadow_unrelated)]
    {
        ::distaudit::__private::not_decreased::<
            Self,
            _,
        >(
            ::core::module_path!(),
            "checkpoint",
            "monotonic(self.cursor.last_key)",
            "D2.3, bacon-2017",
            &distaudit_before_0,
            &(self.cursor.last_key),
            ::distaudit::__private::probe(&distaudit_before_0).describer(),
        );
        ::distaudit::__private::key_within::<
            Self,
        >(
            ::core::module_path!(),
            "checkpoint",
            "within(key = self.cursor.last_key, range = self.shard)",
            "D2.4, bacon-2017",
            ::distaudit::__private::WithinKey::within_key(&(self.cursor.last_key)),
            ::distaudit::__private::WithinRange::within_range(&(self.shard)),
        );
        ::distaudit::__private::stays_some::<
            Self,
        >(
            ::core::module_path!(),
            "checkpoint",
            "never_none(self.cursor.last_key)",
            "D2.5, bacon-2017",
            distaudit_before_2,
            ::core::option::Option::is_some(&(self.cursor.last_key)),
        );
    }
    distaudit_ret
}
