/**
# Coordination audit

| Field | Detail |
|---|---|
| Pattern | `shard` (Shard), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/distaudit/#pattern-shard) |
| Provenance | [chang-2006](http://www.usenix.org/events/osdi06/tech/chang.html): Chang et al., *Bigtable: A Distributed Storage System for Structured Data* (level 4, peer-reviewed) |
| Type invariant | `holds(self.start < self.end \|\| self.end.is_empty())` (checked after every `&mut self` method and constructor of an impl carrying `#[distaudit::audit]`; upholds D2.2; source chang-2006) |
| Verification | woven-in invariant checks |
*/
pub struct Span {
    start: Vec<u8>,
    end: Vec<u8>,
}
impl ::distaudit::KeyRange for Span {
    fn start_key(&self) -> &[u8] {
        ::distaudit::LexKey::key_bytes(&self.start)
    }
    fn end_key(&self) -> &[u8] {
        ::distaudit::LexKey::key_bytes(&self.end)
    }
}
#[doc(hidden)]
impl ::distaudit::__private::TypeInvariant for Span {
    #[allow(clippy::nonminimal_bool)]
    fn distaudit_check_type(&self, distaudit_after: &'static str) {
        {
            static DISTAUDIT_TYPE_SITE_0: ::distaudit::__private::Site = ::distaudit::__private::Site {
                module: ::core::module_path!(),
                item: "Span",
                invariant: "holds(self.start < self.end || self.end.is_empty())",
                upholds: "D2.2, chang-2006",
            };
            let distaudit_held: bool = self.start < self.end || self.end.is_empty();
            if !distaudit_held {
                ::distaudit::__private::violated_type(
                    &DISTAUDIT_TYPE_SITE_0,
                    distaudit_after,
                    "false",
                )
            }
        }
    }
    #[allow(
        clippy::nonminimal_bool,
        clippy::semicolon_if_nothing_returned,
        unused_variables
    )]
    fn distaudit_entry(&self) -> impl ::core::ops::FnOnce(&Self, &'static str) + use<> {
        move |distaudit_this: &Self, distaudit_after: &'static str| {}
    }
}
