//! The level above the item: what `#[distaudit::audit]` decides for a whole impl or trait,
//! resolved once. The attribute emits tokens from an [`ImplAudit`] or a [`TraitAudit`]
//! (`expand`); `cargo distaudit` reports from the same values. Neither front end decides
//! anything of this level on its own.
//!
//! [`crate::pipeline`] builds them: it reads each method's annotation ([`methods`]), runs the
//! item rules over each, then resolves the level ([`ImplAudit::resolve`]) and runs the
//! impl rules ([`crate::rules::IMPL_RULES`]) over it.

use crate::analyze::{self, Audit, Site};
use crate::annotation::{self, Annotation, TestSpec};
use crate::diag::Finding;
use crate::item::{self, Subject, ident_text};
use proc_macro2::{Span, TokenStream};
use quote::quote;

pub mod attack;
mod facts;
pub use attack::{AttackPlan, AttackStep};
pub use facts::{
    Shape, Wrapped, can_test, concrete_self, nameable, now_parameter, parameter_names,
    renamed_parameter, rewritten_by_async_trait, shape, type_invariant_lost_to_async_trait,
};

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

impl AuditTarget {
    /// What an item is, to the audit attribute.
    #[must_use]
    pub fn of(item: &syn::Item) -> AuditTarget {
        match item {
            syn::Item::Impl(_) => AuditTarget::Impl,
            syn::Item::Trait(_) => AuditTarget::Trait,
            syn::Item::Mod(m) if m.content.is_some() => AuditTarget::InlineModule,
            _ => AuditTarget::Other,
        }
    }
}

/// A trait method's contract as an impl method receives it: the names its checks read the
/// parameters by, and its `#[coordination(..)]` arguments.
#[derive(Clone, Debug)]
pub struct ReceivedContract {
    /// The trait method's name, unraw'd.
    pub method: String,
    pub params: Vec<Option<String>>,
    pub args: TokenStream,
}

/// What the level above the item is resolved from: the impl as the audit attribute receives
/// it, and what surrounds it.
pub struct ImplInput<'a> {
    /// The impl, as `#[distaudit::audit]` receives it (after any attribute above it, such as
    /// `#[async_trait]`, rewrote it: see [`as_received`]).
    pub imp: &'a syn::ItemImpl,
    /// The audit's own `test(..)`.
    pub machine_test: Option<&'a TestSpec>,
    pub runtime: &'a syn::Path,
    /// The names the enclosing module gives `#[coordination]`.
    pub aliases: &'a [String],
    /// The contract of each method whose trait states one (none for an inherent impl).
    pub contracts: &'a [ReceivedContract],
    /// The audit's impl-wide checks (`#[distaudit::audit(invariant(..), ..)]`): added to
    /// the annotation of every annotated method with a receiver.
    pub impl_checks: &'a TokenStream,
}

/// An annotated method of an audited impl, read and resolved: its own annotation with the
/// contract it receives added.
pub struct MethodAudit<'r> {
    /// Its position in the impl's items.
    pub index: usize,
    /// Its name, as written (`r#match` stays raw).
    pub name: String,
    /// The method as a function, its `#[coordination]` taken off.
    pub subject: Subject,
    pub annotation: Annotation,
    pub audit: Audit<'r>,
    /// Every item-rule finding.
    pub findings: Vec<Finding>,
    /// The path the annotation is written with (`coordination`, `distaudit::coordination`),
    /// or `None` when it comes from the trait's contract alone.
    pub attribute: Option<syn::Path>,
    /// Where the annotation is (the method's own, else the call site).
    pub anchor: Span,
}

impl MethodAudit<'_> {
    /// Whether its own annotation passed: no BLOCK.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| !f.blocks())
    }

    /// The method as a function.
    #[must_use]
    pub fn function(&self) -> &syn::ItemFn {
        match &self.subject {
            Subject::Fn(f) => f,
            // `methods` only ever builds functions.
            _ => unreachable!("a method audit holds a function"),
        }
    }
}

/// The annotations of an impl's methods, as the audit attribute expands them, before any
/// rule runs: the resolved methods, the findings of reading them (a `#[coordination = ..]`)
/// and the contracts not received because a parameter is renamed.
pub struct Methods<'r> {
    pub methods: Vec<MethodAudit<'r>>,
    pub findings: Vec<Finding>,
    pub renamed: Vec<Renamed>,
}

/// An impl method that names a parameter differently from the trait contract it would
/// receive: the contract's checks read the parameters by name, so it is not received.
pub struct Renamed {
    /// The method's name, and where it is written.
    pub method: String,
    pub at: Span,
    /// The contract's parameter names, and the method's, with where each is written.
    pub theirs: Vec<Option<String>>,
    pub ours: Vec<Option<String>>,
    pub spans: Vec<Span>,
}

/// Read and resolve the annotated methods of an audited impl (no rule runs here).
#[must_use]
pub fn methods<'r>(registry: &'r crate::registry::Registry, input: &ImplInput<'_>) -> Methods<'r> {
    let type_name = item::type_name(&input.imp.self_ty).unwrap_or_default();
    // Receivers are built by the audit's `init`, or, for a trait impl whose audit carries a
    // `test(..)` without one (a piece), by the machine that names the trait in `with`.
    let impl_init = input.machine_test.is_some_and(|t| t.init.is_some())
        || (input.machine_test.is_some() && input.imp.trait_.is_some());
    let mut out = Methods {
        methods: Vec::new(),
        findings: Vec::new(),
        renamed: Vec::new(),
    };
    for (index, impl_item) in input.imp.items.iter().enumerate() {
        let syn::ImplItem::Fn(method) = impl_item else {
            continue;
        };
        let name = ident_text(&method.sig.ident);
        let mut attrs = method.attrs.clone();
        let own = attrs
            .iter()
            .position(|a| crate::attribute::is_coordination(a, input.runtime, input.aliases))
            .map(|pos| attrs.remove(pos));
        let own_args = match &own {
            Some(attr) => match annotation::attribute_arguments(&attr.meta) {
                Ok(args) => Some(args),
                Err(refused) => {
                    out.findings.push(refused);
                    continue;
                }
            },
            None => None,
        };
        let contract = input
            .contracts
            .iter()
            .find(|c| c.method == name.trim_start_matches("r#"))
            .filter(|c| {
                let ours = parameter_names(&method.sig);
                if renamed_parameter(&c.params, &ours).is_none() {
                    return true;
                }
                out.renamed.push(Renamed {
                    method: method.sig.ident.to_string(),
                    at: method.sig.ident.span(),
                    theirs: c.params.clone(),
                    ours,
                    spans: typed_spans(&method.sig),
                });
                false
            });
        let at = method.sig.ident.span();
        let own_checks = own_args
            .as_ref()
            .map_or(0, |a| annotation::parse(a.clone()).0.invariants.len());
        let inherited = contract.map(|c| crate::analyze::Inherited {
            from: format!("{}::{}", trait_name(input.imp), c.method),
            checks: own_checks..own_checks + annotation::parse(c.args.clone()).0.invariants.len(),
        });
        let mut args = match (own_args, contract) {
            (Some(own), Some(c)) => with_contract(Some(&own), &c.args, at),
            (None, Some(c)) => with_contract(None, &c.args, at),
            (Some(own), None) => own,
            (None, None) => continue,
        };
        if method.sig.receiver().is_some() && !input.impl_checks.is_empty() {
            let checks = input.impl_checks;
            args = if args.is_empty() {
                checks.clone()
            } else {
                quote!(#args, #checks)
            };
        }
        let anchor = own.as_ref().map_or_else(Span::call_site, |a| {
            a.path()
                .segments
                .last()
                .map_or_else(Span::call_site, |s| s.ident.span())
        });
        let function = syn::ItemFn {
            attrs,
            vis: method.vis.clone(),
            modifiers: method.modifiers.clone(),
            sig: method.sig.clone(),
            block: Box::new(method.block.clone()),
        };
        let site = Site {
            hosted: true,
            owner: Some(format!("{type_name}::{}", method.sig.ident)),
            runtime: input.runtime.clone(),
            impl_init,
            anchor: Some(anchor),
            aliases: input.aliases.to_vec(),
            contract: false,
            inherited,
        };
        let subject = Subject::Fn(function);
        let (annotation, findings) = analyze::read(args, &subject);
        let audit = analyze::resolve(registry, &annotation, &subject, &site);
        out.methods.push(MethodAudit {
            index,
            name,
            subject,
            annotation,
            audit,
            findings,
            attribute: own.map(|a| a.path().clone()),
            anchor,
        });
    }
    out
}

/// The name of the trait an impl implements, as written (its last segment).
fn trait_name(imp: &syn::ItemImpl) -> String {
    imp.trait_
        .as_ref()
        .and_then(|(p, _)| p.segments.last())
        .map_or_else(String::new, |s| ident_text(&s.ident))
}

/// Where each typed parameter of a signature is written.
fn typed_spans(sig: &syn::Signature) -> Vec<Span> {
    sig.inputs
        .iter()
        .filter(|a| matches!(a, syn::FnArg::Typed(_)))
        .map(syn::spanned::Spanned::span)
        .collect()
}

/// The checks of an annotation (`invariant`, `ensures`, `requires`), without its patterns
/// and citations, for adding to an impl method's own annotation.
fn checks_only(args: &TokenStream) -> TokenStream {
    use annotation::Phase;
    let Ok(entries) = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        args.clone(),
    ) else {
        return TokenStream::new();
    };
    let kept = entries.into_iter().filter(|m| {
        [Phase::Invariant, Phase::Ensures, Phase::Requires]
            .iter()
            .any(|p| m.path().is_ident(p.argument().name()))
    });
    quote!(#(#kept),*)
}

/// The annotation an impl method expands with when it receives its trait's contract
/// (`contract`, the trait method's arguments): its own annotation (`own`) with the
/// contract's checks added, or the contract's whole annotation when it has none. The
/// contract's tokens take the method's name as their span (`at`): through the trait's
/// macro they carry that macro's hygiene, and a finding about them is the method's.
#[must_use]
pub fn with_contract(own: Option<&TokenStream>, contract: &TokenStream, at: Span) -> TokenStream {
    let inherited = crate::walk::respan(contract, at);
    match own {
        Some(mine) => {
            let checks = checks_only(&inherited);
            if checks.is_empty() {
                mine.clone()
            } else {
                quote!(#mine, #checks)
            }
        }
        None => inherited,
    }
}

/// How a generated test builds the impl's receivers.
pub struct TestPlan {
    /// The type a test builds: the impl's own, or for a generic impl the one `init` names.
    pub sut: syn::Type,
    /// A generic impl's type parameters, bound to the arguments `init` gives them.
    pub type_args: Vec<(syn::Ident, syn::Type)>,
    /// Whether a test can build receivers at all.
    pub can_test: bool,
    /// The methods a test calls (indices into [`ImplAudit::methods`]): those whose
    /// annotation passed and asks for `test`, when the impl can be tested.
    pub tested: Vec<usize>,
    /// Methods with `test` that a test cannot build receivers for (a generic impl whose
    /// `init` names no type): each gets a finding.
    pub untestable: Vec<usize>,
    /// Where the first `test` of the impl is asked for (the scope probe's span).
    pub first_test: Option<Span>,
    /// The audit's own `test(..)`, when its state machine is generated: its spec.
    pub machine: Option<TestSpec>,
    /// The state machine's attacking steps, from the tested methods' patterns and the roles
    /// of their parameters (none without a state machine or a piece).
    pub attacks: AttackPlan,
    /// For a trait impl with tested methods: the trait's name, under which its calls are a
    /// piece that the state machine of another audited impl of the type may interleave
    /// (`test(with = "<Trait>")`).
    pub piece: Option<String>,
}

/// The key a piece of a joined state machine is found by: a hash of its trait's name (the
/// last segment of a path), the same on both sides.
#[must_use]
pub fn piece_key(trait_name: &str) -> u64 {
    let last = trait_name.rsplit("::").next().unwrap_or(trait_name).trim();
    // FNV-1a: stable across builds and toolchains.
    last.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A delegation from one method of the impl to another.
pub struct InnerDelegation {
    /// The delegating method (index into [`ImplAudit::methods`]).
    pub from: usize,
    pub decision: String,
    /// The path as written, and where.
    pub to: String,
    pub span: Span,
    /// The method delegated to, by name.
    pub target: String,
    /// Whether the target checks the decision (`None`: it is not annotated).
    pub target_checks: Option<bool>,
}

/// The resolved model of one audited impl: what both front ends read.
pub struct ImplAudit<'r> {
    /// The self type, by name (`Cursor`).
    pub type_name: String,
    pub self_ty: syn::Type,
    pub methods: Vec<MethodAudit<'r>>,
    /// Findings of reading the methods (see [`Methods`]).
    pub read_findings: Vec<Finding>,
    /// Methods that do not receive their trait's contract for a renamed parameter.
    pub renamed: Vec<Renamed>,
    /// The audit's own `test(..)`, as written.
    pub machine_test: Option<TestSpec>,
    pub plan: TestPlan,
    /// Delegations between methods of this impl.
    pub delegations: Vec<InnerDelegation>,
    /// Where the type's invariants are checked: each method (index in the impl's items)
    /// and how it relates to the type.
    pub invariant_sites: Vec<(usize, InvariantSite)>,
}

/// How a type's invariants meet one method of an audited impl.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvariantSite {
    /// Checked after the call (`&mut self`, or a constructor).
    Checked,
    /// Would be checked, but `#[async_trait]` rewrote the method first: DA0055 for a type
    /// with invariants.
    LostToAsyncTrait,
    /// A `const fn` constructor: a const context cannot run the check, and its docs say so.
    NotInConst,
}

impl<'r> ImplAudit<'r> {
    /// Resolve the level from the methods (their item rules already run).
    #[must_use]
    pub fn resolve(input: &ImplInput<'_>, read: Methods<'r>) -> ImplAudit<'r> {
        let imp = input.imp;
        let type_name = item::type_name(&imp.self_ty).unwrap_or_default();
        let plan = test_plan(input, &read.methods);
        let delegations = inner_delegations(imp, &type_name, &read.methods);
        let invariant_sites = imp
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, ii)| match ii {
                syn::ImplItem::Fn(f) => invariant_site(&f.sig, &imp.self_ty).map(|s| (i, s)),
                _ => None,
            })
            .collect();
        ImplAudit {
            type_name,
            self_ty: imp.self_ty.as_ref().clone(),
            methods: read.methods,
            read_findings: read.findings,
            renamed: read.renamed,
            machine_test: input.machine_test.cloned(),
            plan,
            delegations,
            invariant_sites,
        }
    }

    /// The method at `index` of the impl's items, if annotated.
    #[must_use]
    pub fn method_at(&self, index: usize) -> Option<&MethodAudit<'r>> {
        self.methods.iter().find(|m| m.index == index)
    }

    /// The lines a method's docs gain from delegations that leave a decision to it, which
    /// it checks (the delegating method does not).
    #[must_use]
    pub fn left_to(&self, method: &str) -> Vec<String> {
        self.delegations
            .iter()
            .filter(|d| d.target_checks == Some(true) && d.target == method)
            .map(|d| {
                format!(
                    "{} is left to this item by `{}`, which does not check it.",
                    d.decision, self.methods[d.from].name
                )
            })
            .collect()
    }
}

/// How a type's invariants meet the method with signature `sig`, if at all.
#[must_use]
pub fn invariant_site(sig: &syn::Signature, self_ty: &syn::Type) -> Option<InvariantSite> {
    if type_invariant_lost_to_async_trait(sig, self_ty) {
        return Some(InvariantSite::LostToAsyncTrait);
    }
    if matches!(shape(sig, self_ty), Shape::Other) {
        return None;
    }
    Some(if sig.constness.is_some() {
        InvariantSite::NotInConst
    } else {
        InvariantSite::Checked
    })
}

/// Which methods a test calls, at which type.
fn test_plan(input: &ImplInput<'_>, methods: &[MethodAudit<'_>]) -> TestPlan {
    let imp = input.imp;
    let self_ty = crate::walk::lifetimes_static(&imp.self_ty);
    // A generic impl is tested at the type its `init` names (`WorkQueue::<u8>::new(..)`):
    // the audit's, else the first annotated method's.
    let concrete = if nameable(imp) {
        Some((self_ty.clone(), Vec::new()))
    } else {
        input
            .machine_test
            .and_then(|t| t.init.as_ref())
            .or_else(|| {
                methods
                    .iter()
                    .find_map(|m| m.annotation.test.as_ref()?.init.as_ref())
            })
            .and_then(|i| concrete_self(&i.expr, imp))
    };
    let can_test = concrete.is_some();
    let (sut, type_args) = concrete.unwrap_or((self_ty, Vec::new()));
    let mut plan = TestPlan {
        sut,
        type_args,
        can_test,
        tested: Vec::new(),
        untestable: Vec::new(),
        first_test: None,
        machine: None,
        attacks: AttackPlan::default(),
        piece: None,
    };
    for (n, m) in methods.iter().enumerate() {
        let Some(spec) = &m.audit.test else { continue };
        if !m.passed() {
            continue;
        }
        plan.first_test.get_or_insert(spec.span);
        if can_test {
            plan.tested.push(n);
        } else {
            plan.untestable.push(n);
        }
    }
    plan.machine = input
        .machine_test
        .filter(|t| t.init.is_some() && can_test && !plan.tested.is_empty())
        .cloned();
    plan.piece = Some(trait_name(imp)).filter(|name| {
        !name.is_empty() && input.machine_test.is_some() && can_test && !plan.tested.is_empty()
    });
    // A piece is attacked with its audit's roles.
    let piece_spec = plan.piece.as_ref().and(input.machine_test);
    if let Some(machine) = plan.machine.as_ref().or(piece_spec) {
        let tested: Vec<attack::Tested<'_>> = plan
            .tested
            .iter()
            .map(|&n| {
                let m = &methods[n];
                attack::Tested {
                    name: &m.name,
                    sig: &m.function().sig,
                    spec: m.audit.test.as_ref(),
                    patterns: m
                        .audit
                        .patterns
                        .iter()
                        .map(|p| p.pattern.id.as_str())
                        .collect(),
                }
            })
            .collect();
        plan.attacks = attack::plan(&tested, machine);
    }
    plan
}

/// The delegations of the impl's methods to other methods of the same impl, with the
/// verdict on each target.
fn inner_delegations(
    imp: &syn::ItemImpl,
    type_name: &str,
    methods: &[MethodAudit<'_>],
) -> Vec<InnerDelegation> {
    let names: Vec<String> = imp
        .items
        .iter()
        .filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(ident_text(&f.sig.ident)),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (from, m) in methods.iter().enumerate() {
        for d in &m.audit.delegations {
            let Some(target) = crate::paths::same_impl_method(&d.to.value, type_name, &names)
            else {
                continue;
            };
            let target_checks = methods
                .iter()
                .find(|t| t.name == target)
                .map(|t| t.audit.checked_decisions().any(|c| c == d.decision.id));
            out.push(InnerDelegation {
                from,
                decision: d.decision.id.clone(),
                to: d.to.value.clone(),
                span: d.to.span,
                target: target.to_string(),
                target_checks,
            });
        }
    }
    out
}

/// The impl as `#[distaudit::audit]` receives it when `#[async_trait]` is written above it:
/// every `async fn` gains `async_trait`'s lifetime (what the rule on that order reads).
/// `None` in any other order. `is_audit` tells the audit attribute.
#[must_use]
pub fn as_received(
    imp: &syn::ItemImpl,
    is_audit: &dyn Fn(&syn::Attribute) -> bool,
) -> Option<syn::ItemImpl> {
    let at = |f: &dyn Fn(&syn::Attribute) -> bool| imp.attrs.iter().position(f);
    let async_trait = at(&|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "async_trait")
    })?;
    let audit = at(is_audit)?;
    if async_trait > audit {
        return None;
    }
    let mut rewritten = imp.clone();
    for item in &mut rewritten.items {
        if let syn::ImplItem::Fn(f) = item
            && f.sig.asyncness.is_some()
        {
            f.sig.generics.params.push(syn::parse_quote!('async_trait));
        }
    }
    Some(rewritten)
}

/// Traits of the standard library: an impl of one is audited on its own (they carry no
/// contract, and have no macro of their name to hand the impl to).
const STD_TRAITS: &[&str] = &[
    "Clone",
    "Copy",
    "Debug",
    "Display",
    "Default",
    "Drop",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Borrow",
    "BorrowMut",
    "Deref",
    "DerefMut",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "FromIterator",
    "Future",
    "Error",
    "Read",
    "Write",
    "Seek",
    "BufRead",
    "Send",
    "Sync",
    "Unpin",
    "FromStr",
    "ToString",
    "Index",
    "IndexMut",
    "Add",
    "Sub",
    "Mul",
    "Div",
    "Rem",
    "Neg",
    "Not",
    "Fn",
    "FnMut",
    "FnOnce",
];

/// Whether an impl is of a trait whose contract it must receive: a trait that is not one of
/// the standard library's.
#[must_use]
pub fn receives_contract(imp: &syn::ItemImpl) -> Option<&syn::Path> {
    let (path, _) = imp.trait_.as_ref()?;
    let last = path.segments.last()?;
    (!STD_TRAITS.contains(&ident_text(&last.ident).as_str())).then_some(path)
}

/// A required method of an audited trait whose annotation is the contract of every
/// audited impl.
pub struct ContractMethod<'r> {
    /// Its position in the trait's items.
    pub index: usize,
    pub name: String,
    /// Its annotation's arguments, as written.
    pub args: TokenStream,
    pub params: Vec<Option<String>>,
    pub subject: Subject,
    pub annotation: Annotation,
    pub audit: Audit<'r>,
    /// Every item-rule finding.
    pub findings: Vec<Finding>,
    /// The path the annotation is written with.
    pub attribute: syn::Path,
}

impl ContractMethod<'_> {
    /// Whether its annotation passed: no BLOCK.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| !f.blocks())
    }
}

/// The resolved model of one audited trait.
pub struct TraitAudit<'r> {
    pub name: String,
    pub contracts: Vec<ContractMethod<'r>>,
    /// Findings of reading the methods (a `#[coordination = ..]`).
    pub read_findings: Vec<Finding>,
}

impl<'r> TraitAudit<'r> {
    /// The contract of the method at `index` of the trait's items, if any.
    #[must_use]
    pub fn contract_at(&self, index: usize) -> Option<&ContractMethod<'r>> {
        self.contracts.iter().find(|c| c.index == index)
    }

    /// What an impl of the trait receives: the contracts whose annotation passed.
    #[must_use]
    pub fn received(&self) -> Vec<ReceivedContract> {
        self.contracts
            .iter()
            .filter(|c| c.passed())
            .map(|c| ReceivedContract {
                method: c.name.trim_start_matches("r#").to_string(),
                params: c.params.clone(),
                args: c.args.clone(),
            })
            .collect()
    }
}

/// The contract methods of an audited trait, read and resolved (no rule runs here): each
/// required method with `#[coordination]`, read as a hosted function with an empty body.
/// A method with a default body is annotated in place, as any function.
#[must_use]
pub fn trait_contracts<'r>(
    registry: &'r crate::registry::Registry,
    t: &syn::ItemTrait,
    runtime: &syn::Path,
    aliases: &[String],
) -> TraitAudit<'r> {
    let mut contracts = Vec::new();
    let mut findings = Vec::new();
    for (index, trait_item) in t.items.iter().enumerate() {
        let syn::TraitItem::Fn(method) = trait_item else {
            continue;
        };
        if method.default.is_some() {
            continue;
        }
        let Some(attr) = method
            .attrs
            .iter()
            .find(|a| crate::attribute::is_coordination(a, runtime, aliases))
        else {
            continue;
        };
        let args = match annotation::attribute_arguments(&attr.meta) {
            Ok(args) => args,
            Err(refused) => {
                findings.push(refused);
                continue;
            }
        };
        let anchor = attr
            .path()
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span());
        let subject = Subject::Fn(syn::ItemFn {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            modifiers: method.modifiers.clone(),
            sig: method.sig.clone(),
            block: Box::new(syn::parse_quote!({})),
        });
        let site = Site {
            hosted: true,
            owner: Some(format!("{}::{}", t.ident, method.sig.ident)),
            runtime: runtime.clone(),
            impl_init: false,
            anchor: Some(anchor),
            aliases: aliases.to_vec(),
            contract: true,
            inherited: None,
        };
        let (annotation, read) = analyze::read(args.clone(), &subject);
        let audit = analyze::resolve(registry, &annotation, &subject, &site);
        contracts.push(ContractMethod {
            index,
            name: ident_text(&method.sig.ident),
            args,
            params: parameter_names(&method.sig),
            subject,
            annotation,
            audit,
            findings: read,
            attribute: attr.path().clone(),
        });
    }
    TraitAudit {
        name: ident_text(&t.ident),
        contracts,
        read_findings: findings,
    }
}
