//! The rules of `#[distaudit::audit]`, over the level above the item
//! ([`crate::level::ImplAudit`]): what the attribute goes on, what an impl's methods must keep
//! of the trait contract they receive, what its tests need, and delegations inside one impl.

use crate::diag::{Code, Finding};
use crate::level::{AuditTarget, ImplAudit, renamed_parameter};
use proc_macro2::Span;

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
/// `None` when every name matches ([`renamed_parameter`]). A name is `None` for a pattern
/// that binds no one name.
#[must_use]
pub fn contract_parameters(
    method: &str,
    trait_names: &[Option<String>],
    impl_names: &[Option<String>],
    spans: &[Span],
    method_span: Span,
) -> Option<Finding> {
    let i = renamed_parameter(trait_names, impl_names)?;
    let (want, got) = (&trait_names[i], &impl_names[i]);
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

/// DA0055: a method of an audited impl that `#[async_trait]` rewrote before the audit saw it
/// returns a future that has not run, so a type invariant checked on its return would run
/// before the body: none is woven, and a type with invariants is told so, on the method.
/// (The build says it through the runtime's `TypeProbe::after_async_trait`, whose note is
/// this finding's message, held to it by a test.)
#[must_use]
pub fn unchecked_after_async_trait(method: Span) -> Finding {
    Finding::new(
        Code::TypeInvariantAfterAsyncTrait,
        method,
        "the type's invariants are not checked after this method: `#[async_trait]` rewrote it before `#[distaudit::audit]` saw it, so it returns a future that has not run yet",
        "a type invariant is checked when a `&mut self` method or constructor returns; checked here it would run before the body",
        "write `#[distaudit::audit]` above `#[async_trait]` on the impl, so distaudit sees the `async fn` first",
    )
}

/// DA0019 for each method of the impl that names a parameter differently from the trait
/// contract it would receive, on that parameter.
#[must_use]
pub fn renamed_parameters(level: &ImplAudit<'_>) -> Vec<Finding> {
    level
        .renamed
        .iter()
        .filter_map(|r| contract_parameters(&r.method, &r.theirs, &r.ours, &r.spans, r.at))
        .collect()
}

/// What reading the methods' annotations found (a `#[coordination = ..]`).
#[must_use]
pub fn read_findings(level: &ImplAudit<'_>) -> Vec<Finding> {
    level.read_findings.clone()
}

/// `test` on a method of a generic impl whose `init` names no type.
#[must_use]
pub fn tests_buildable(level: &ImplAudit<'_>) -> Vec<Finding> {
    level
        .plan
        .untestable
        .iter()
        .filter_map(|&n| {
            let m = &level.methods[n];
            let spec = m.audit.test.as_ref()?;
            Some(test_on_generic_impl(&m.name, spec.span))
        })
        .collect()
}

/// The audit's own `test(..)`: it needs `init`, and methods to interleave.
#[must_use]
pub fn machine_test(level: &ImplAudit<'_>) -> Vec<Finding> {
    match &level.machine_test {
        Some(spec) => {
            // A trait impl's `test(..)` without `init` is a piece: the roles and steps of its
            // calls, interleaved by another impl's machine (`with = "<Trait>"`).
            let piece = level.plan.piece.is_some() && spec.init.is_none();
            let mut out = if piece && spec.cases.is_none() && spec.steps.is_none() {
                Vec::new()
            } else {
                // Methods that ask for `test` count, passed or not: a method refused for
                // its own reasons has its own finding, not "no method carries `test`".
                let asked = level
                    .methods
                    .iter()
                    .filter(|m| m.annotation.test.is_some())
                    .count();
                super::machine_test_findings(spec.span, spec.init.is_some(), asked)
            };
            if spec.init.is_none() {
                out.extend(spec.with.iter().map(|w| {
                    Finding::new(
                        crate::diag::Code::BadTest,
                        w.span,
                        format!("`with = \"{}\"` on a `test(..)` without `init`", w.value),
                        "the impl whose `test(..)` has `init` hosts the state machine, and `with` names the impls whose calls it interleaves",
                        "move `with` to the `#[distaudit::audit(test(init = ..))]` of the impl that builds the receiver",
                    )
                }));
            }
            out
        }
        None => Vec::new(),
    }
}

/// A decision delegated to another method of the impl is checked there.
#[must_use]
pub fn inner_delegations(level: &ImplAudit<'_>) -> Vec<Finding> {
    level
        .delegations
        .iter()
        .filter_map(|d| {
            let target = super::delegation_verdict(d.target_checks)?;
            Some(super::delegation_finding(
                &d.decision,
                &d.to,
                target,
                d.span,
            ))
        })
        .collect()
}

/// Each attacking step of the state machine that a tested method's pattern calls for and
/// its parameters cannot form (the plan says what is missing and how to name it).
#[must_use]
pub fn attacking_steps(level: &ImplAudit<'_>) -> Vec<Finding> {
    level
        .plan
        .attacks
        .unformed
        .iter()
        .map(|u| {
            Finding::new(
                Code::BadTest,
                u.span,
                u.what.clone(),
                format!(
                    "the state machine attacks the {} pattern with its violation scenario, made executable, and needs to know which value plays each part",
                    u.step.pattern()
                ),
                u.fix.clone(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build says DA0055 through the runtime's deprecation note, a literal in
    /// `src/runtime.rs`; `cargo distaudit` says it with this finding. Both must read alike.
    #[test]
    fn the_async_trait_finding_is_the_runtime_note() {
        let runtime = concat!(env!("CARGO_MANIFEST_DIR"), "/../src/runtime.rs");
        let Ok(source) = std::fs::read_to_string(runtime) else {
            // Built outside the workspace (a packaged crate): nothing to compare.
            return;
        };
        let f = unchecked_after_async_trait(Span::call_site());
        let note = format!(
            "[distaudit {} {}] {}\\n  = why: {}\\n  = fix: {}",
            f.code,
            f.severity(),
            f.what,
            f.why,
            f.fix
        );
        assert!(source.contains(&note), "runtime.rs lacks the note {note}");
    }

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
