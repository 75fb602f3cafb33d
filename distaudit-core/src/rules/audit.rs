//! The rules of `#[distaudit::audit]`: what it goes on, and what an impl's methods must keep
//! of the trait contract they receive. The attribute's expansion asks these and reports
//! what they return; they decide, it translates.

use crate::diag::{Code, Finding};
use proc_macro2::Span;

/// What `#[distaudit::audit]` was written on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditTarget {
    /// An impl block (inherent or of a trait).
    Impl,
    /// A trait.
    Trait,
    /// An inline module.
    InlineModule,
    /// Anything else (a struct, a function, a module declared in another file, ..).
    Other,
}

/// Whether the audit may go on `target`; `test` is where `test(..)` was asked for on the
/// audit itself, `item` where to point when the audit does not go there at all (the
/// attribute). `None` when it may.
#[must_use]
pub fn audit_target(target: AuditTarget, test: Option<Span>, item: Span) -> Option<Finding> {
    match (target, test) {
        (AuditTarget::Impl, _) => None,
        (AuditTarget::Trait | AuditTarget::InlineModule | AuditTarget::Other, Some(test)) => {
            Some(Finding::new(
                Code::BadTest,
                test,
                "`#[distaudit::audit(test(..))]` goes on an impl block",
                "a state-machine test interleaves the methods of one impl on one receiver",
                "put `test(..)` on the `#[distaudit::audit]` of the impl whose methods carry `test`",
            ))
        }
        (AuditTarget::Trait | AuditTarget::InlineModule, None) => None,
        (AuditTarget::Other, None) => Some(Finding::new(
            Code::UnsupportedItem,
            item,
            "`#[distaudit::audit]` goes on an impl block, a trait or an inline module",
            "audit hosts the generated tests of methods, which Rust can only run from a module",
            "move `#[distaudit::audit]` to the impl block whose methods carry `#[coordination]`",
        )),
    }
}

/// `test` on `method` of a generic impl whose `init` does not name the type's arguments:
/// the generated test cannot know which type to build.
#[must_use]
pub fn test_on_generic_impl(method: &str, test: Span) -> Finding {
    Finding::new(
        Code::BadTest,
        test,
        format!(
            "`test` on `{method}` of a generic impl: the test does not know the type's parameters"
        ),
        "a generated test builds one receiver of a concrete type, named by `init`",
        "name the type with its arguments in `init`, e.g. `init = \"WorkQueue::<u8>::with_capacity(3)\"`",
    )
}

/// The first parameter an impl's method names differently from the trait method whose
/// contract it receives (the trait's checks read parameters by the trait's names), as a
/// finding at `spans[i]` (the impl's typed parameters; the method's name when missing).
/// `None` when every name matches. A name is `None` for a pattern that binds no one name.
#[must_use]
pub fn contract_parameters(
    method: &str,
    trait_names: &[Option<String>],
    impl_names: &[Option<String>],
    spans: &[Span],
    method_span: Span,
) -> Option<Finding> {
    let (i, (want, got)) = trait_names
        .iter()
        .zip(impl_names)
        .enumerate()
        .find(|(_, (want, got))| want != got)?;
    let shown = |n: &Option<String>| n.clone().unwrap_or_else(|| "_".to_string());
    Some(Finding::new(
        Code::ArgumentNotApplicable,
        spans.get(i).copied().unwrap_or(method_span),
        format!(
            "parameter {} of `{method}` is `{}` here but `{}` in the trait, whose checks name it",
            i + 1,
            shown(got),
            shown(want)
        ),
        "the trait's checks are woven into this method and read its parameters by the trait's names",
        format!("name the parameter `{}` as in the trait", shown(want)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_goes_on_impls_traits_and_inline_modules_and_test_only_on_impls() {
        let (t, i) = (Span::call_site(), Span::call_site());
        assert!(audit_target(AuditTarget::Impl, Some(t), i).is_none());
        assert!(audit_target(AuditTarget::Impl, None, i).is_none());
        assert!(audit_target(AuditTarget::Trait, None, i).is_none());
        assert!(audit_target(AuditTarget::InlineModule, None, i).is_none());
        for target in [
            AuditTarget::Trait,
            AuditTarget::InlineModule,
            AuditTarget::Other,
        ] {
            let f = audit_target(target, Some(t), i).expect("test(..) off an impl");
            assert_eq!(f.code, Code::BadTest, "{target:?}");
        }
        let f = audit_target(AuditTarget::Other, None, i).expect("a struct");
        assert_eq!(f.code, Code::UnsupportedItem);
    }

    #[test]
    fn a_renamed_parameter_is_named_with_both_names_and_its_position() {
        let s = |v: &[&str]| v.iter().map(|n| Some((*n).to_string())).collect::<Vec<_>>();
        let spans = [Span::call_site(), Span::call_site()];
        let none = contract_parameters(
            "renew",
            &s(&["now", "ttl"]),
            &s(&["now", "ttl"]),
            &spans,
            Span::call_site(),
        );
        assert!(none.is_none());
        let f = contract_parameters(
            "renew",
            &s(&["now", "ttl"]),
            &s(&["now", "span"]),
            &spans,
            Span::call_site(),
        )
        .expect("renamed");
        assert_eq!(f.code, Code::ArgumentNotApplicable);
        assert!(
            f.what
                .contains("parameter 2 of `renew` is `span` here but `ttl`"),
            "{}",
            f.what
        );
        let pattern =
            contract_parameters("renew", &s(&["now"]), &[None], &spans, Span::call_site())
                .expect("a pattern binds no name");
        assert!(
            pattern.what.contains("is `_` here but `now`"),
            "{}",
            pattern.what
        );
    }
}
