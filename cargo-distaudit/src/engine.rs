//! Every call into `distaudit_core`, in one place: the CLI decides nothing the engine
//! decides, so the two front ends give the same findings. The engine's models borrow the
//! registry and hold tokens, so what the reports need of them is copied here into owned
//! values that can leave the parsing thread: [`ItemModel`] for an annotated item,
//! [`AuditedImpl`] and [`AuditedTrait`] for the level above it. The reports read those
//! copies and never re-read an annotation.

use distaudit_core::analyze::{self, Site};
pub use distaudit_core::item::Subject;
use distaudit_core::level::{ImplInput, MethodAudit};
use distaudit_core::pipeline::{self, Analysis};
use proc_macro2::{Span, TokenStream};
use std::path::Path;
use std::sync::Arc;

pub use distaudit_core::annotation::MIN_JUSTIFICATION_WORDS;
pub use distaudit_core::catalogue::{
    AntiPattern, KINDS, Kind, ORDERING_CHECKS, OrderingCheck, PROVEN_BACKEND_DECISION,
};
pub use distaudit_core::diag::{Code, Finding, Severity};
pub use distaudit_core::registry::{
    Citation, EvidenceLevel, Exemption, Registry, RegistryError, parse_date,
};
pub use distaudit_core::rules::unmet_by_type;

/// The engine's registry for a crate: the default plus the crate's
/// `distaudit.toml`.
///
/// # Errors
/// A malformed `distaudit.toml`, with file and line.
pub fn project_registry(manifest_dir: &Path) -> Result<Arc<Registry>, RegistryError> {
    distaudit_core::registry::project_registry(Some(manifest_dir)).map(|(r, _)| r)
}

/// The registry from the default files plus `project_text` as the crate's file (shown as
/// `shown`): used to load a `distaudit.toml` again without an entry the loader refused.
///
/// # Errors
/// The loader's error for the text.
pub fn registry_from_text(shown: &str, project_text: &str) -> Result<Registry, RegistryError> {
    let mut files: Vec<(&str, &str)> = distaudit_core::registry::DEFAULT_FILES.to_vec();
    files.push((shown, project_text));
    distaudit_core::registry::parse_files(&files, true)
}

/// The attribute's DA0014 for a registry that cannot be loaded.
#[must_use]
pub fn registry_error(e: &RegistryError) -> Finding {
    distaudit_core::expand::registry_error(e)
}

/// The default registry alone.
#[must_use]
pub fn default_registry() -> Arc<Registry> {
    match distaudit_core::registry::project_registry(None) {
        Ok((r, _)) => r,
        // The engine's own tests keep the embedded data valid; an empty registry still
        // lets the scan report what it can.
        Err(_) => Arc::new(Registry::default()),
    }
}

/// The name under which the crate at `manifest_dir` reaches the `distaudit` runtime
/// (`distaudit`, or `da` for a renamed dependency): the engine's `locate::runtime_path`.
#[must_use]
pub fn runtime_name(manifest_dir: Option<&Path>) -> String {
    let path = distaudit_core::locate::runtime_path(manifest_dir);
    path.segments
        .last()
        .map_or_else(|| "distaudit".to_string(), |s| s.ident.to_string())
}

/// `::<runtime>`, the path the macro reaches the runtime by.
fn runtime_path(runtime: &str) -> syn::Path {
    syn::parse_str(&format!("::{runtime}")).unwrap_or_else(|_| syn::parse_quote!(::distaudit))
}

/// Whether an attribute is a `#[coordination]` the macro recognises in a crate that
/// reaches the runtime as `runtime`, in a module whose `use` items give it the `aliases`
/// (the engine's test: `r#coordination` is `coordination`).
#[must_use]
pub fn is_coordination(attr: &syn::Attribute, runtime: &str, aliases: &[String]) -> bool {
    distaudit_core::attribute::is_coordination(attr, &runtime_path(runtime), aliases)
}

/// The name the `use` items of one module bring `coordination` into scope by, if any
/// (engine: `distaudit_core::attribute::in_scope_as`).
#[must_use]
pub fn coordination_in_scope_as(items: &[syn::Item], runtime: &str) -> Option<String> {
    distaudit_core::attribute::in_scope_as(items, &runtime_path(runtime))
}

/// The names the `use` items of one module give `coordination` (engine:
/// `distaudit_core::attribute::aliases`).
#[must_use]
pub fn coordination_aliases(items: &[syn::Item], runtime: &str) -> Vec<String> {
    distaudit_core::attribute::aliases(items, &runtime_path(runtime))
}

/// One resolved pattern of an item.
#[derive(Clone, Debug)]
pub struct PatternModel {
    pub id: String,
    pub name: String,
    pub safety: String,
    pub liveness: String,
    pub summary: String,
    /// The registry's violation scenario.
    pub violation: String,
    /// The locked decision that forbids the pattern for coordination (`B` for gossip).
    pub forbidden_by: Option<String>,
}

/// One cited work, as the reports show it.
#[derive(Clone, Debug)]
pub struct CitationModel {
    pub id: String,
    pub level: u8,
    /// `peer-reviewed`.
    pub level_label: String,
    /// `Gray & Cheriton 1989, "Leases: ..."`.
    pub work: String,
    pub link: String,
}

impl CitationModel {
    /// The work as both reports cite it: level, work, link and id (the id is what
    /// `lint-docs` checks against the registry).
    #[must_use]
    pub fn provenance(&self) -> String {
        format!(
            "Level {} ({}): {} <{}> [`{}`]",
            self.level, self.level_label, self.work, self.link, self.id
        )
    }
}

/// What a check upholds: the engine's [`analyze::Upholds`], owned (that one borrows the
/// registry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upholds {
    /// A locked decision, by id (`D2.3`).
    Decision(String),
    /// The rule of a pattern that is not a locked decision (`fencing`).
    PatternRule(&'static str),
}

impl Upholds {
    fn of(u: analyze::Upholds<'_>) -> Upholds {
        match u {
            analyze::Upholds::Decision(d) => Upholds::Decision(d.id.clone()),
            analyze::Upholds::PatternRule(p) => Upholds::PatternRule(p),
        }
    }

    /// `D2.3`, `fencing`.
    #[must_use]
    pub fn label(&self) -> &str {
        match self {
            Upholds::Decision(d) => d,
            Upholds::PatternRule(p) => p,
        }
    }

    /// Whether it is the locked decision `decision`.
    #[must_use]
    pub fn is_decision(&self, decision: &str) -> bool {
        matches!(self, Upholds::Decision(d) if d == decision)
    }
}

/// One declared check, resolved.
#[derive(Clone, Debug)]
pub struct CheckModel {
    pub kind: Kind,
    /// As shown in docs and panics: `monotonic(self.last_key)`.
    pub written: String,
    /// The decision or pattern rule it upholds, if any.
    pub upholds: Option<Upholds>,
    /// The work it rests on (its decision's citation, else its pattern's), or `novel`.
    pub source: Option<String>,
    /// `D2.3, bacon-2017`.
    pub label: String,
}

impl CheckModel {
    /// What it upholds and where it comes from, in the engine's words
    /// (`upholds D2.3; source bacon-2017`; [`distaudit_core::render::check_basis`]).
    #[must_use]
    pub fn basis(&self) -> String {
        let upholds = self.upholds.as_ref().map(|u| match u {
            Upholds::Decision(d) => (d.as_str(), false),
            Upholds::PatternRule(p) => (*p, true),
        });
        distaudit_core::render::check_basis(upholds, self.source.as_deref())
    }

    /// `` `monotonic(self.last_key)` (upholds D2.3; source bacon-2017) ``, as every report
    /// lists a check.
    #[must_use]
    pub fn described(&self) -> String {
        let basis = self.basis();
        if basis.is_empty() {
            format!("`{}`", self.written)
        } else {
            format!("`{}` ({basis})", self.written)
        }
    }
}

/// The resolved model of one annotated item, owned.
#[derive(Clone, Debug, Default)]
pub struct ItemModel {
    pub patterns: Vec<PatternModel>,
    /// Strongest first.
    pub citations: Vec<CitationModel>,
    /// Every `cite` id: the known ones strongest first, then those the registry lacks.
    pub cites_written: Vec<String>,
    /// Decisions named by `implements` (known ones).
    pub decisions: Vec<String>,
    pub checks: Vec<CheckModel>,
    /// The anti-patterns checked in the item's bodies.
    pub anti_patterns: Vec<AntiPattern>,
    pub allows: Vec<AntiPattern>,
    pub verify: Vec<String>,
    pub test: bool,
    pub novel: Option<String>,
    pub backend: Option<String>,
    /// `delegates(decision, to)`: the decision, the path as written, and where its literal is.
    pub delegations: Vec<(String, String, Option<crate::region::Region>)>,
    /// For a type: the obligations of its audited impls' methods its checks meet (`D2.3`,
    /// `fencing`): the engine's `obligations_met`, as the attribute's marker traits say.
    pub meets: Vec<distaudit_core::diag::Obligation>,
}

impl ItemModel {
    /// Whether the item embodies `pattern`.
    #[must_use]
    pub fn has_pattern(&self, pattern: &str) -> bool {
        self.patterns.iter().any(|p| p.id == pattern)
    }

    /// The pattern ids.
    #[must_use]
    pub fn pattern_ids(&self) -> Vec<String> {
        self.patterns.iter().map(|p| p.id.clone()).collect()
    }

    /// One field of every pattern, joined: `joined(|p| &p.safety, " ")`.
    #[must_use]
    pub fn joined(&self, field: impl Fn(&PatternModel) -> &str, separator: &str) -> String {
        self.patterns
            .iter()
            .map(field)
            .collect::<Vec<_>>()
            .join(separator)
    }

    /// The provenance of the item, strongest first: its cited works, then its `novel`
    /// reason (level 0). Empty when it has neither.
    #[must_use]
    pub fn provenance(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .citations
            .iter()
            .map(CitationModel::provenance)
            .collect();
        if let Some(n) = &self.novel {
            out.push(distaudit_core::registry::EvidenceLevel::novel_provenance(n));
        }
        out
    }

    /// Whether a check of the item upholds a decision (what a delegation needs).
    #[must_use]
    pub fn checks_decision(&self, decision: &str) -> bool {
        self.checks
            .iter()
            .any(|c| c.upholds.as_ref().is_some_and(|u| u.is_decision(decision)))
    }

    /// Whether the item upholds a decision (by `implements` or by a check).
    #[must_use]
    pub fn upholds(&self, decision: &str) -> bool {
        self.decisions.iter().any(|d| d == decision)
            || self
                .checks
                .iter()
                .any(|c| c.upholds.as_ref().is_some_and(|u| u.is_decision(decision)))
    }

    fn of(audit: &analyze::Audit<'_>) -> ItemModel {
        let mut cites_written: Vec<String> = audit.citations.iter().map(|c| c.id.clone()).collect();
        cites_written.extend(
            audit
                .unresolved
                .iter()
                .filter(|u| u.kind == analyze::IdKind::Citation)
                .map(|u| u.id.value.clone()),
        );
        ItemModel {
            patterns: audit
                .patterns
                .iter()
                .map(|p| PatternModel {
                    id: p.pattern.id.clone(),
                    name: p.pattern.name.clone(),
                    safety: p.pattern.safety.clone(),
                    liveness: p.pattern.liveness.clone(),
                    summary: p.pattern.summary.clone(),
                    violation: p.pattern.violation.clone(),
                    forbidden_by: p.pattern.forbidden_by.clone(),
                })
                .collect(),
            citations: audit
                .citations
                .iter()
                .map(|c| CitationModel {
                    id: c.id.clone(),
                    level: c.level.0,
                    level_label: c.level.label().to_string(),
                    work: format!(
                        "{}{}, \"{}\"",
                        c.short_authors(),
                        c.year.map(|y| format!(" {y}")).unwrap_or_default(),
                        c.title
                    ),
                    link: c.link(),
                })
                .collect(),
            cites_written,
            decisions: audit.decisions.iter().map(|d| d.id.clone()).collect(),
            checks: audit
                .checks
                .iter()
                .map(|c| CheckModel {
                    kind: c.invariant.kind,
                    written: c.invariant.written(),
                    upholds: c.upholds.map(Upholds::of),
                    source: c
                        .citation
                        .map(|x| x.id.clone())
                        .or_else(|| c.novel.then(|| "novel".to_string())),
                    label: c.label(),
                })
                .collect(),
            anti_patterns: audit.anti_patterns.clone(),
            allows: audit.allows.iter().map(|a| a.anti_pattern).collect(),
            verify: audit.verify.iter().map(|v| v.id.value.clone()).collect(),
            test: audit.test.is_some(),
            novel: audit.novel.as_ref().map(|n| n.value.clone()),
            backend: audit.backend.map(|b| b.id.clone()),
            delegations: audit
                .delegations
                .iter()
                .map(|d| {
                    (
                        d.decision.id.clone(),
                        d.to.value.clone(),
                        crate::region::Region::of(d.to.span),
                    )
                })
                .collect(),
            meets: distaudit_core::rules::obligations_met(audit),
        }
    }
}

/// What the engine says of one annotated item: exactly the attribute's findings, and the
/// resolved model when the item could be read.
#[derive(Clone, Debug)]
pub struct Analyzed {
    pub findings: Vec<Finding>,
    pub model: Option<ItemModel>,
}

pub use distaudit_core::annotation::attribute_arguments;
pub use distaudit_core::exprs::macro_name;
pub use distaudit_core::item::{changes_state, ident_text, shape_of, shapes, type_name};
pub use distaudit_core::level::{
    AuditTarget, ReceivedContract, as_received, parameter_names, receives_contract,
};
pub use distaudit_core::paths::{
    PathScope, PathTarget, in_other_crate, target as delegation_target,
};
pub use distaudit_core::registry::anti_patterns_of;
pub use distaudit_core::registry::{EvidenceKind, EvidenceLink, Origin};
pub use distaudit_core::rules::EVIDENCE_RULE;
pub use distaudit_core::rules::audit::unchecked_after_async_trait;
pub use distaudit_core::rules::{DelegationTarget, delegation_finding, delegation_verdict};
pub use distaudit_core::suggest::{known_names, known_urls, mentions_url};

/// Where the macro expands an annotation: what the item itself cannot tell.
#[derive(Clone, Debug, Default)]
pub struct Placement {
    /// A method of an impl (or a required method of a trait) carrying
    /// `#[distaudit::audit]`, which expands it.
    pub hosted: bool,
    /// `Type::method` when hosted.
    pub owner: Option<String>,
    /// The enclosing `#[distaudit::audit(test(init = ..))]` builds receivers.
    pub impl_init: bool,
    /// A provided method of an audited trait: like its required methods, its rules that ask
    /// a body for checks ask the impls (the attribute's `__provided`).
    pub provided: bool,
}

/// The engine's pipeline on `#[coordination(args)] item` at `placement`, in a crate that
/// reaches the runtime as `runtime`.
#[must_use]
pub fn analyze(
    registry: &Registry,
    args: TokenStream,
    item: TokenStream,
    placement: Placement,
    runtime: &str,
    aliases: &[String],
) -> Analyzed {
    let site = Site {
        hosted: placement.hosted,
        owner: placement.owner,
        impl_init: placement.impl_init,
        runtime: runtime_path(runtime),
        // The CLI places a finding without a span of its own at the attribute's line.
        anchor: None,
        aliases: aliases.to_vec(),
        contract: placement.provided,
        inherited: None,
    };
    match pipeline::item_tokens(registry, args, item, &site) {
        Analysis::Ready {
            audit, findings, ..
        } => Analyzed {
            model: Some(ItemModel::of(&audit)),
            findings,
        },
        Analysis::Refused(findings) => Analyzed {
            findings,
            model: None,
        },
    }
}

/// The findings of `#[distaudit::audit(args)]` written on `target`, where `at` is the
/// attribute: those of its arguments, and whether it goes there at all.
#[must_use]
pub fn audit_attribute(args: TokenStream, target: AuditTarget, at: Span) -> Vec<Finding> {
    let (read, mut findings) = distaudit_core::annotation::parse_audit(args);
    let test = read.test;
    findings.extend(distaudit_core::rules::audit::audit_target(
        target,
        test.map(|t| t.span),
        at,
    ));
    findings
}

/// One annotated method of an audited impl, as the engine resolved it.
#[derive(Debug)]
pub struct AuditedMethod {
    /// Its position in the impl's items, and its name as written.
    pub index: usize,
    pub name: String,
    pub analyzed: Analyzed,
}

/// An audited impl, as the engine resolved it: its methods, the impl's own findings, and
/// the methods after which a type invariant cannot be checked (DA0055 when the type has
/// invariants, known once the crate is read).
#[derive(Debug, Default)]
pub struct AuditedImpl {
    pub methods: Vec<AuditedMethod>,
    pub findings: Vec<Finding>,
    pub lost_to_async_trait: Vec<usize>,
}

impl AuditedImpl {
    /// The method at `index` of the impl's items, if annotated.
    #[must_use]
    pub fn method_at(&self, index: usize) -> Option<&AuditedMethod> {
        self.methods.iter().find(|m| m.index == index)
    }
}

/// `#[distaudit::audit(audit_args)] imp` (the impl as the attribute receives it, see
/// [`as_received`]), with the contract each method receives from its trait.
#[must_use]
pub fn audited_impl(
    registry: &Registry,
    imp: &syn::ItemImpl,
    audit_args: TokenStream,
    runtime: &str,
    aliases: &[String],
    contracts: &[ReceivedContract],
) -> AuditedImpl {
    let (read, _) = distaudit_core::annotation::parse_audit(audit_args);
    let machine_test = read.test;
    let runtime = runtime_path(runtime);
    let input = ImplInput {
        imp,
        machine_test: machine_test.as_ref(),
        runtime: &runtime,
        aliases,
        contracts,
        impl_checks: &read.checks,
    };
    let (model, findings) = pipeline::audited_impl(registry, &input);
    AuditedImpl {
        methods: model.methods.iter().map(AuditedMethod::of).collect(),
        findings,
        lost_to_async_trait: model
            .invariant_sites
            .iter()
            .filter(|(_, site)| *site == distaudit_core::level::InvariantSite::LostToAsyncTrait)
            .map(|(index, _)| *index)
            .collect(),
    }
}

impl AuditedMethod {
    fn of(m: &MethodAudit<'_>) -> AuditedMethod {
        AuditedMethod {
            index: m.index,
            name: m.name.clone(),
            analyzed: Analyzed {
                findings: m.findings.clone(),
                model: Some(ItemModel::of(&m.audit)),
            },
        }
    }
}

/// A required method of an audited trait whose annotation is the contract of its impls.
#[derive(Debug)]
pub struct ContractModel {
    pub index: usize,
    pub analyzed: Analyzed,
    /// What an impl receives, when the contract passed.
    pub received: Option<ReceivedContract>,
}

/// An audited trait, as the engine resolved it.
#[derive(Debug, Default)]
pub struct AuditedTrait {
    pub contracts: Vec<ContractModel>,
    /// Findings of reading its methods' annotations (`#[coordination = ..]`).
    pub findings: Vec<Finding>,
}

/// `#[distaudit::audit] t`: its contract methods.
#[must_use]
pub fn audited_trait(
    registry: &Registry,
    t: &syn::ItemTrait,
    runtime: &str,
    aliases: &[String],
) -> AuditedTrait {
    let model = pipeline::audited_trait(registry, t, &runtime_path(runtime), aliases);
    let received = model.received();
    AuditedTrait {
        contracts: model
            .contracts
            .iter()
            .map(|c| ContractModel {
                index: c.index,
                analyzed: Analyzed {
                    findings: c.findings.clone(),
                    model: Some(ItemModel::of(&c.audit)),
                },
                received: received
                    .iter()
                    .find(|r| r.method == c.name.trim_start_matches("r#"))
                    .cloned(),
            })
            .collect(),
        findings: model.read_findings,
    }
}

/// The anti-patterns in the bodies of an un-annotated item, in the engine's words;
/// `applies` says which are in force for this code.
#[must_use]
pub fn anti_patterns(
    registry: &Registry,
    subject: &Subject,
    applies: &dyn Fn(AntiPattern) -> bool,
) -> Vec<(AntiPattern, Finding)> {
    distaudit_core::rules::anti_patterns::detect(subject, applies)
        .iter()
        .map(|d| {
            (
                d.anti_pattern,
                distaudit_core::rules::anti_patterns::finding(registry, d),
            )
        })
        .collect()
}

/// The nearest candidates to `unknown`, most similar first.
#[must_use]
pub fn nearest<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    distaudit_core::suggest::nearest(unknown, candidates)
}

/// The registry works a free-text query most plausibly names, best first, with scores.
#[must_use]
pub fn rank_citations<'r>(registry: &'r Registry, query: &str) -> Vec<(&'r Citation, f64)> {
    distaudit_core::suggest::citations(registry, query)
}

/// The suggested verification of a check kind (the registry of kinds says it).
#[must_use]
pub fn verification(kind: Kind) -> &'static str {
    kind.spec().verification
}
