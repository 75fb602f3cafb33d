//! Every rule, listed in one place. A rule is a small function over the [`Context`] that
//! returns findings; adding a rule is adding a function here and a UI test.

mod body;
mod decisions;
mod evidence;
mod form;

pub use body::{BodyFinding, scan_bodies};

use crate::annotation::Annotation;
use crate::diag::Finding;
use crate::item::Subject;
use crate::registry::Registry;

/// What a rule sees: the registry, the annotation and the item.
pub struct Context<'a> {
    pub registry: &'a Registry,
    pub annotation: &'a Annotation,
    pub subject: &'a Subject,
    /// Whether the item is expanded by `#[distaudit::audit]` on its impl (which hosts tests).
    pub hosted: bool,
}

impl Context<'_> {
    /// The annotation's patterns that exist in the registry (aliases resolved).
    #[must_use]
    pub fn known_patterns(&self) -> Vec<&crate::registry::Pattern> {
        let mut out: Vec<&crate::registry::Pattern> = Vec::new();
        for id in &self.annotation.patterns {
            if let Some(p) = self.registry.pattern(&id.value)
                && !out.iter().any(|q| q.id == p.id)
            {
                out.push(p);
            }
        }
        out
    }

    /// Whether the item embodies `pattern`.
    #[must_use]
    pub fn has_pattern(&self, pattern: &str) -> bool {
        self.known_patterns().iter().any(|p| p.id == pattern)
    }
}

/// A rule: a function from the context to findings.
pub type Rule = fn(&Context<'_>) -> Vec<Finding>;

/// Every rule, in reporting order.
pub const RULES: &[(&str, Rule)] = &[
    ("patterns are known", evidence::patterns_known),
    ("citations are known", evidence::citations_known),
    ("every pattern is supported by evidence", evidence::evidence),
    ("decisions are known", evidence::decisions_known),
    (
        "allow names an anti-pattern, with a justification",
        evidence::allows_valid,
    ),
    ("backend is known", evidence::backend_known),
    ("arguments apply to the item", form::arguments_applicable),
    ("invariants fit the function", form::invariants_fit),
    ("ret names a value", form::ret_has_value),
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
    ("anti-patterns in bodies", body::anti_patterns),
];

/// Run every rule.
#[must_use]
pub fn check(ctx: &Context<'_>) -> Vec<Finding> {
    RULES.iter().flat_map(|(_, rule)| rule(ctx)).collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::diag::Code;
    use proc_macro2::TokenStream;

    /// Run all rules on an annotation and an item; return the codes found.
    pub fn codes(args: TokenStream, item: TokenStream) -> Vec<Code> {
        findings(args, item).iter().map(|f| f.code).collect()
    }

    pub fn findings(args: TokenStream, item: TokenStream) -> Vec<Finding> {
        let registry = crate::registry::default_registry().expect("default registry");
        let (annotation, mut found) = crate::annotation::parse(args);
        let crate::item::Parsed::Supported(subject) = crate::item::parse(item) else {
            panic!("test item must be supported");
        };
        let ctx = Context {
            registry,
            annotation: &annotation,
            subject: &subject,
            hosted: false,
        };
        found.extend(check(&ctx));
        found
    }
}
