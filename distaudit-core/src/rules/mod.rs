//! Every rule, listed in two tables: [`RULES`] for one annotated item (a small function over
//! the [`Context`]: the resolved [`Audit`], plus the annotation and item for spans) and
//! [`IMPL_RULES`] for the level above it (a function over a [`crate::level::ImplAudit`]).
//! Adding a rule is adding a function, a row and a UI test.

pub mod anti_patterns;
pub mod audit;
mod decisions;
pub use decisions::{obligations_met, unmet_by_type};
mod evidence;
mod form;

pub use evidence::EVIDENCE_RULE;
pub use form::{machine_test_findings, test_feature_off};

use crate::analyze::Audit;
use crate::annotation::Annotation;
use crate::diag::Finding;
use crate::item::Subject;
use crate::level::ImplAudit;

/// What a rule sees: the resolved model, and the annotation and item as written (for the
/// spans findings point at).
pub struct Context<'a, 'r> {
    pub audit: &'a Audit<'r>,
    pub annotation: &'a Annotation,
    pub subject: &'a Subject,
}

/// A rule: a function from the context to findings.
pub type Rule = fn(&Context<'_, '_>) -> Vec<Finding>;

/// Every rule, in reporting order.
pub const RULES: &[(&str, Rule)] = &[
    ("pattern named", evidence::pattern_named),
    ("ids resolve", evidence::ids_resolve),
    ("every pattern is supported by evidence", evidence::evidence),
    ("allow has a justification", evidence::allows_justified),
    ("backend fits the patterns", evidence::backend_applies),
    ("arguments apply to the item", form::arguments_applicable),
    ("invariants fit the function", form::invariants_fit),
    (
        "a check's now has a type where it needs one",
        form::now_fits,
    ),
    ("ret names a value", form::ret_has_value),
    ("not after async_trait", form::not_after_async_trait),
    ("test can be generated", form::test_possible),
    ("D2.1 two-layer cursor", decisions::cursor_layers),
    ("D2.2 half-open shard bounds", decisions::shard_bounds),
    (
        "D2.3-D2.5 cursor invariants declared",
        decisions::cursor_invariants,
    ),
    ("fence epoch invariant declared", decisions::fence_invariant),
    ("A no custom leader election", decisions::proven_backend),
    ("B no gossip for coordination", decisions::no_gossip),
    (
        "no superseded decision named",
        decisions::superseded_decisions,
    ),
    ("anti-patterns in bodies", anti_patterns::in_bodies),
];

/// Run every rule. A finding that enforces only decisions the project set aside
/// (`[[set_aside]]` in its `distaudit.toml`, with a reason and a citation) is not reported:
/// the team does not hold itself to them, visibly (the record says so).
#[must_use]
pub fn check(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let registry = ctx.audit.registry;
    RULES
        .iter()
        .flat_map(|(_, rule)| rule(ctx))
        .filter(|f| {
            let enforced = f.code.locked_decisions();
            enforced.is_empty() || enforced.iter().any(|d| registry.set_aside(d).is_none())
        })
        .collect()
}

/// A rule of the level above the item: a function from an audited impl to findings.
pub type ImplRule = fn(&ImplAudit<'_>) -> Vec<Finding>;

/// Every rule of an audited impl, in reporting order (after its methods' own findings).
pub const IMPL_RULES: &[(&str, ImplRule)] = &[
    (
        "contract parameters keep the trait's names",
        audit::renamed_parameters,
    ),
    ("the methods' annotations can be read", audit::read_findings),
    ("a test can build the receivers", audit::tests_buildable),
    (
        "the state machine has init and methods",
        audit::machine_test,
    ),
    (
        "delegations inside the impl are checked",
        audit::inner_delegations,
    ),
    ("the attacking steps can be formed", audit::attacking_steps),
];

/// Run every rule of an audited impl.
#[must_use]
pub fn check_impl(level: &ImplAudit<'_>) -> Vec<Finding> {
    IMPL_RULES
        .iter()
        .flat_map(|(_, rule)| rule(level))
        .collect()
}

/// What a delegation's target turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DelegationTarget {
    /// No annotated item at that path (`cargo distaudit`; the build resolves the path).
    NotAnnotated,
    /// Annotated, with no check that upholds the decision.
    Unchecked,
    /// In this crate, a dependency that `cargo distaudit` does not audit (outside the
    /// workspace, or not selected): nothing read shows that it checks the decision.
    NotAudited(String),
}

/// The method of the same impl a delegation names; one reader of delegation paths for the
/// attribute and `cargo distaudit` (see [`crate::paths`]).
pub use crate::paths::same_impl_method;

/// The verdict on a delegation's target, from whether it is annotated and, if so, whether
/// it checks the decision: `None` when it does.
#[must_use]
pub fn delegation_verdict(target_checks: Option<bool>) -> Option<DelegationTarget> {
    match target_checks {
        None => Some(DelegationTarget::NotAnnotated),
        Some(false) => Some(DelegationTarget::Unchecked),
        Some(true) => None,
    }
}

/// The finding for `delegates(decision = .., to = ..)` whose target does not check the
/// decision: the same text from the macro (within one impl) and from `cargo distaudit`.
#[must_use]
pub fn delegation_finding(
    decision: &str,
    to: &str,
    target: DelegationTarget,
    span: proc_macro2::Span,
) -> Finding {
    let what = match &target {
        DelegationTarget::NotAnnotated => format!(
            "`delegates(decision = \"{decision}\", to = \"{to}\")`: `{to}` carries no #[coordination], so nothing checks {decision}"
        ),
        DelegationTarget::Unchecked => format!(
            "`delegates(decision = \"{decision}\", to = \"{to}\")`: `{to}` declares no check that upholds {decision}"
        ),
        DelegationTarget::NotAudited(krate) => format!(
            "`delegates(decision = \"{decision}\", to = \"{to}\")`: `{to}` is in `{krate}`, a crate this audit does not cover, so nothing it audits checks {decision}"
        ),
    };
    let fix = match &target {
        DelegationTarget::NotAudited(krate) => format!(
            "audit `{krate}` with this crate (`cargo distaudit --workspace` when it is a member), or check {decision} here"
        ),
        _ => format!(
            "add to `{to}` a check that upholds {decision} (its default kind, or `upholds = \"{decision}\"`), or check it here"
        ),
    };
    Finding::new(
        crate::diag::Code::DelegationUnchecked,
        span,
        what,
        "a delegated decision is still checked, by the item it is left to; otherwise nothing checks it",
        fix,
    )
}

/// `locked decision D2.1 (Two-layer cursor): statement. Sources: ...`: the why of a finding
/// that enforces a locked decision.
pub(crate) fn decision_why(audit: &Audit<'_>, id: &str) -> String {
    let reg = audit.registry;
    match reg.decision(id) {
        Some(d) => format!(
            "locked decision {} ({}): {} Sources: {}",
            d.id,
            d.title,
            d.statement,
            reg.short_references(&d.sources)
        ),
        None => format!("locked decision {id}"),
    }
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod delegation_tests {
    use super::{DelegationTarget, delegation_finding, delegation_verdict};

    #[test]
    fn only_a_target_that_checks_the_decision_passes() {
        assert_eq!(
            delegation_verdict(None),
            Some(DelegationTarget::NotAnnotated)
        );
        assert_eq!(
            delegation_verdict(Some(false)),
            Some(DelegationTarget::Unchecked)
        );
        assert_eq!(delegation_verdict(Some(true)), None);
    }
    use crate::diag::{Code, Severity};
    use proc_macro2::Span;

    #[test]
    fn an_unannotated_target_is_named_as_such() {
        let f = delegation_finding(
            "D2.4",
            "Self::record",
            DelegationTarget::NotAnnotated,
            Span::call_site(),
        );
        assert_eq!(f.code, Code::DelegationUnchecked);
        assert_eq!(f.severity(), Severity::Block);
        assert!(f.what.contains("`Self::record` carries no #[coordination]"));
        assert!(f.fix.contains("upholds = \"D2.4\""));
    }

    #[test]
    fn an_annotated_target_without_the_check_is_named_as_such() {
        let f = delegation_finding(
            "D2.4",
            "crate::checkpoint",
            DelegationTarget::Unchecked,
            Span::call_site(),
        );
        assert!(f.what.contains("declares no check that upholds D2.4"));
        assert!(!f.what.contains("carries no"));
    }

    /// A target in a crate the audit does not cover is neither "not annotated" nor
    /// "unchecked": the finding says the audit cannot see it, and how to let it.
    #[test]
    fn a_target_the_audit_does_not_read_is_named_as_such() {
        let f = delegation_finding(
            "D2.4",
            "vendor_checks::checkpoint",
            DelegationTarget::NotAudited("vendor_checks".into()),
            Span::call_site(),
        );
        assert_eq!(f.severity(), Severity::Block);
        assert!(
            f.what
                .contains("is in `vendor_checks`, a crate this audit does not cover")
        );
        assert!(!f.what.contains("carries no") && !f.what.contains("declares no"));
        assert!(f.fix.contains("audit `vendor_checks` with this crate"));
    }
}
