//! Every rule, listed in one place. A rule is a small function over the [`Context`] (the
//! resolved [`Audit`], plus the annotation and item for spans) that returns findings;
//! adding a rule is adding a function here and a UI test.

pub mod anti_patterns;
mod decisions;
mod evidence;
mod form;

use crate::analyze::Audit;
use crate::annotation::Annotation;
use crate::diag::Finding;
use crate::item::Subject;

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
    ("anti-patterns in bodies", anti_patterns::in_bodies),
];

/// Run every rule.
#[must_use]
pub fn check(ctx: &Context<'_, '_>) -> Vec<Finding> {
    RULES.iter().flat_map(|(_, rule)| rule(ctx)).collect()
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
pub(crate) mod test_support {
    use crate::analyze::{Analysis, Site, analyze_tokens};
    use crate::diag::{Code, Finding};
    use crate::registry::Registry;
    use proc_macro2::TokenStream;

    /// Run all rules on an annotation and an item; return the codes found.
    pub fn codes(args: TokenStream, item: TokenStream) -> Vec<Code> {
        findings(args, item).iter().map(|f| f.code).collect()
    }

    pub fn findings(args: TokenStream, item: TokenStream) -> Vec<Finding> {
        let registry = crate::registry::default_registry().expect("default registry");
        findings_in(registry, args, item)
    }

    pub fn findings_in(registry: &Registry, args: TokenStream, item: TokenStream) -> Vec<Finding> {
        match analyze_tokens(registry, args, item, &Site::default()) {
            Analysis::Ready { findings, .. } => findings,
            Analysis::Refused(_) => panic!("test item must be supported"),
        }
    }
}
