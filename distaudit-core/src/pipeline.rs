//! The engine's pipeline: parse, analyze, rules, in turn, for one annotated item and for
//! the level above it. No stage calls the next; this module calls each, so the attribute
//! (`expand`) and `cargo distaudit` run the same steps and emit from the same models.
//!
//! ```text
//! item:   tokens -> annotation::parse + item::parse -> analyze::resolve -> rules::check
//! impl:   level::methods -> rules::check per method -> ImplAudit::resolve -> rules::check_impl
//! trait:  level::trait_contracts -> rules::check per contract method
//! ```

use crate::analyze::{self, Audit, Site};
use crate::annotation;
use crate::diag::{Code, Finding};
use crate::item::{self, Parsed, Subject};
use crate::level::{self, ImplAudit, ImplInput, TraitAudit};
use crate::registry::Registry;
use crate::rules;
use proc_macro2::TokenStream;

/// Whether a function's body must be read to analyse its annotation: the annotation weaves
/// checks into it, or a rule could find something in it (a cheap pre-scan of its tokens,
/// [`rules::anti_patterns::may_match`]). When not, the item is analysed without it
/// ([`crate::item::FnTokens::lean`]), which gives the same findings.
#[must_use]
pub fn needs_body(args: &TokenStream, body: &TokenStream) -> bool {
    annotation::needs_body(args) || rules::anti_patterns::may_match(body)
}

/// Read an annotation on a parsed item, resolve it and run every item rule over the result.
#[must_use]
pub fn item<'r>(
    registry: &'r Registry,
    args: TokenStream,
    subject: &Subject,
    site: &Site,
) -> (Audit<'r>, Vec<Finding>) {
    let (annotation, mut findings) = analyze::read(args, subject);
    let audit = analyze::resolve(registry, &annotation, subject, site);
    findings.extend(rules::check(&rules::Context {
        audit: &audit,
        annotation: &annotation,
        subject,
    }));
    (audit, findings)
}

/// The result of looking at one annotated item.
pub enum Analysis<'r> {
    /// The item could be read: its model, the item, and every finding.
    Ready {
        audit: Box<Audit<'r>>,
        subject: Box<Subject>,
        findings: Vec<Finding>,
    },
    /// The item is not one the annotation supports, or does not parse: only findings.
    Refused(Vec<Finding>),
}

/// Parse the attribute's arguments and the item's tokens, resolve, and run every rule.
/// The attribute and `cargo distaudit` both start here, so they cannot disagree.
#[must_use]
pub fn item_tokens<'r>(
    registry: &'r Registry,
    args: TokenStream,
    tokens: TokenStream,
    site: &Site,
) -> Analysis<'r> {
    let subject = match item::parse(tokens) {
        Parsed::Supported(subject) => subject,
        Parsed::Unsupported { shape, span, hint } => {
            let mut findings = annotation::parse(args).1;
            findings.push(Finding::new(
                Code::UnsupportedItem,
                span,
                format!("#[coordination] is not supported on {shape}"),
                "the annotation goes on functions, methods, trait methods with default bodies, structs, enums, impl blocks, traits and inline modules",
                hint,
            ));
            return Analysis::Refused(findings);
        }
        Parsed::Unparsed(e) => {
            let mut findings = annotation::parse(args).1;
            findings.push(Finding::new(
                Code::UnsupportedItem,
                e.span(),
                format!("the annotated item does not parse: {e}"),
                "the annotation can only check an item it can read",
                "fix the syntax error; rustc reports it too",
            ));
            return Analysis::Refused(findings);
        }
    };
    let (audit, findings) = item(registry, args, &subject, site);
    Analysis::Ready {
        audit: Box::new(audit),
        subject,
        findings,
    }
}

/// An audited impl: its annotated methods read and resolved, each through the item rules,
/// then the level resolved and its own rules run. Returns the model and the impl's own
/// findings (the methods' are on each method).
#[must_use]
pub fn audited_impl<'r>(
    registry: &'r Registry,
    input: &ImplInput<'_>,
) -> (ImplAudit<'r>, Vec<Finding>) {
    let mut read = level::methods(registry, input);
    for m in &mut read.methods {
        let found = rules::check(&rules::Context {
            audit: &m.audit,
            annotation: &m.annotation,
            subject: &m.subject,
        });
        m.findings.extend(found);
    }
    let model = ImplAudit::resolve(input, read);
    let findings = rules::check_impl(&model);
    (model, findings)
}

/// An audited trait: each contract method read and resolved, then through the item rules.
#[must_use]
pub fn audited_trait<'r>(
    registry: &'r Registry,
    t: &syn::ItemTrait,
    runtime: &syn::Path,
    aliases: &[String],
) -> TraitAudit<'r> {
    let mut model = level::trait_contracts(registry, t, runtime, aliases);
    for c in &mut model.contracts {
        let found = rules::check(&rules::Context {
            audit: &c.audit,
            annotation: &c.annotation,
            subject: &c.subject,
        });
        c.findings.extend(found);
    }
    model
}
