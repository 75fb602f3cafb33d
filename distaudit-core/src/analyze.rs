//! The resolved model: every meaning an annotation has is decided here, once.
//!
//! [`resolve`] turns the annotation ([`read`] from its arguments), the item and the registry
//! into an [`Audit`]: patterns with aliases resolved and the evidence that grounds each, the
//! decision and citation each check upholds, the anti-patterns that apply, the fields that
//! play each role. The rules read the `Audit` to report findings; the weaver, the renderer,
//! the `KeyRange` emitter, the test generator and `cargo distaudit` read it to emit. None
//! of them goes back to the raw arguments for meaning. [`crate::pipeline`] calls these in
//! turn; the level above the item is [`crate::level`].

use crate::annotation::{
    self, Annotation, ExprArg, Id, Invariant, Operands, Phase, TestSpec, Verify,
};
use crate::catalogue::{AntiPattern, DefaultUpholds, Kind, Role};
use crate::diag::Finding;
use crate::item::{self, Returns, Subject};
use crate::registry::{
    Backend, Citation, EvidenceLevel, LockedDecision, Pattern, Registry, sort_evidence,
};
use proc_macro2::{Span, TokenStream};

/// Where an annotation is expanded: what the item itself cannot tell.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct Site {
    /// Expanded by `#[distaudit::audit]` on its impl, which hosts method tests.
    pub hosted: bool,
    /// `Type::method` when the enclosing impl is known.
    pub owner: Option<String>,
    /// The path generated code uses to reach the `distaudit` crate (`::distaudit`, or the
    /// name of a renamed dependency). An annotation's `crate = ".."` overrides it.
    pub runtime: syn::Path,
    /// The enclosing impl's `#[distaudit::audit(test(init = ..))]` builds receivers, so a
    /// method's `test` needs no `init` of its own.
    pub impl_init: bool,
    /// Where the annotation is written when another attribute expands it (a method's
    /// `#[coordination]` inside `#[distaudit::audit]`): what a finding about a missing
    /// argument points at. `None`: the attribute's own call site.
    pub anchor: Option<proc_macro2::Span>,
    /// The names the enclosing module's `use` items give `coordination`
    /// ([`crate::attribute::aliases`]), when the front end sees the module: another
    /// annotation under one of them is a duplicate.
    pub aliases: Vec<String>,
    /// A required method of an audited trait: its annotation is the contract of the impls
    /// and states no body's obligations (the rules that ask a body for checks apply to the
    /// impl methods that inherit it).
    pub contract: bool,
    /// The checks this method inherits from its trait's contract, for its record.
    pub inherited: Option<Inherited>,
}

/// Checks a method of an audited impl receives from its trait's contract.
#[derive(Clone, Debug)]
pub struct Inherited {
    /// `Trait::method`.
    pub from: String,
    /// Their positions among the annotation's checks.
    pub checks: std::ops::Range<usize>,
}

impl Site {
    /// What a finding about the annotation as a whole (a missing argument) points at.
    #[must_use]
    pub fn anchor(&self) -> proc_macro2::Span {
        self.anchor.unwrap_or_else(proc_macro2::Span::call_site)
    }
}

impl Default for Site {
    fn default() -> Self {
        Site {
            hosted: false,
            owner: None,
            runtime: syn::parse_quote!(::distaudit),
            impl_init: false,
            contract: false,
            inherited: None,
            anchor: None,
            aliases: Vec::new(),
        }
    }
}

/// What grounds one pattern of an item.
#[derive(Clone, Copy, Debug)]
pub enum Evidence<'r> {
    /// The strongest cited work that supports the pattern.
    Cited(&'r Citation),
    /// No cited work supports it, and the annotation says `novel`.
    Novel,
    /// Nothing supports it.
    Missing,
}

impl Evidence<'_> {
    /// The evidence level: the citation's, 0 for novel, none when missing.
    #[must_use]
    pub fn level(&self) -> Option<EvidenceLevel> {
        match self {
            Evidence::Cited(c) => Some(c.level),
            Evidence::Novel => Some(EvidenceLevel::NOVEL),
            Evidence::Missing => None,
        }
    }
}

/// A pattern the item embodies, resolved.
#[derive(Clone, Debug)]
pub struct PatternUse<'r> {
    pub pattern: &'r Pattern,
    /// As written (an alias, possibly), with its span.
    pub written: Id,
    pub evidence: Evidence<'r>,
}

/// What a check upholds.
#[derive(Clone, Copy, Debug)]
pub enum Upholds<'r> {
    /// A locked decision.
    Decision(&'r LockedDecision),
    /// The rule of a pattern that is not a locked decision (`fencing`: epochs only grow).
    PatternRule(&'static str),
}

impl Upholds<'_> {
    /// `D2.3`, `fencing`.
    #[must_use]
    pub fn label(&self) -> &str {
        match self {
            Upholds::Decision(d) => &d.id,
            Upholds::PatternRule(p) => p,
        }
    }
}

/// When a check runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// On entry only: a precondition (`requires`), the caller's obligation.
    Entry,
    /// On every exit, refused calls included.
    EveryExit,
    /// On exits that return `Ok`/`Some` (every exit when the return type is neither).
    Success,
    /// On entry and on every exit (`holds` naming neither `ret` nor `old`).
    EntryAndExit,
}

/// The value of `old(<expr>)`: an owned snapshot taken on entry, when checks are on.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct OldValue {
    /// The expression, as written inside `old(..)`.
    pub expr: syn::Expr,
    /// The local that holds its snapshot; checks read it in place of `old(..)`.
    pub local: syn::Ident,
    /// The string literal it was written in (where a non-`Clone` value is reported).
    pub span: Span,
}

/// One woven-in check, resolved.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct Check<'r> {
    /// As written (its text is what messages and docs show).
    pub invariant: Invariant,
    /// What is evaluated: the written operands with each `old(e)` replaced by the local
    /// holding `e`'s entry snapshot.
    pub operands: Operands,
    pub when: When,
    /// Its position among the annotation's checks.
    pub index: usize,
    pub upholds: Option<Upholds<'r>>,
    /// The strongest cited work that grounds it.
    pub citation: Option<&'r Citation>,
    /// Whether it rests on `novel` rather than a citation.
    pub novel: bool,
}

impl Check<'_> {
    /// `D2.3, bacon-2017`: what a violation message and the docs say the check upholds.
    #[must_use]
    pub fn label(&self) -> String {
        let cite = self
            .citation
            .map(|c| c.id.clone())
            .or_else(|| self.novel.then(|| "novel".to_string()));
        [self.upholds.map(|u| u.label().to_string()), cite]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether an expression of the check names `ret`.
    #[must_use]
    pub fn names_ret(&self) -> bool {
        self.invariant
            .exprs()
            .iter()
            .any(|e| crate::exprs::names_ident(&e.expr, "ret"))
    }

    /// Whether an expression of the check names `old(..)`: it compares with the entry value.
    #[must_use]
    pub fn names_old(&self) -> bool {
        self.invariant
            .exprs()
            .iter()
            .any(|e| !crate::exprs::old_calls(&e.expr).is_empty())
    }
}

/// The field that plays a role in a cursor or shard struct.
#[derive(Clone, Debug)]
pub struct RoleField {
    pub role: Role,
    /// The field's name (`last_key` unless renamed).
    pub field: String,
    /// The span of `fields(role = "..")` when renamed.
    pub renamed_at: Option<Span>,
}

/// A decision this item leaves to another annotated item, which must check it.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct DelegationUse<'r> {
    pub decision: &'r LockedDecision,
    /// The item that checks it, as written (`to = ".."`), and parsed.
    pub to: Id,
    pub path: syn::Path,
}

/// An `allow(..)` of a known anti-pattern.
#[derive(Clone, Debug)]
pub struct AllowUse {
    pub anti_pattern: AntiPattern,
    pub slug: Id,
    pub justification: Id,
}

/// What kind of id an annotation named that the registry does not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    Pattern,
    Citation,
    Decision,
    Backend,
    AntiPattern,
}

/// An id the registry (or the catalogue) does not know.
#[derive(Clone, Debug)]
pub struct Unresolved {
    pub kind: IdKind,
    pub id: Id,
}

/// Facts about the annotated item.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct ItemFacts {
    /// As written (`r#match` stays `r#match`).
    pub name: String,
    /// `function`, `struct`, ...
    pub shape: &'static str,
    /// How a function returns (`None` for items that are not functions).
    pub returns: Option<Returns>,
    /// Whether a function can change state (`&mut self`, a `&mut` parameter).
    pub changes_state: bool,
    pub site: Site,
}

/// The resolved, validated model of one annotated item.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct Audit<'r> {
    pub registry: &'r Registry,
    pub item: ItemFacts,
    /// The known patterns, aliases resolved, in the order written, without repeats.
    pub patterns: Vec<PatternUse<'r>>,
    /// The known cited works, strongest evidence first.
    pub citations: Vec<&'r Citation>,
    pub novel: Option<Id>,
    /// The known decisions named by `implements`.
    pub decisions: Vec<&'r LockedDecision>,
    pub checks: Vec<Check<'r>>,
    /// The entry snapshots `old(..)` asks for, one per distinct expression.
    pub olds: Vec<OldValue>,
    /// The anti-patterns checked in the item's bodies: those its patterns list.
    pub anti_patterns: Vec<AntiPattern>,
    pub allows: Vec<AllowUse>,
    /// For cursor and shard structs: the field of each role.
    pub roles: Vec<RoleField>,
    pub backend: Option<&'r Backend>,
    pub delegations: Vec<DelegationUse<'r>>,
    pub verify: Vec<Verify>,
    pub test: Option<TestSpec>,
    /// Ids the registry does not have (reported by the rules).
    pub unresolved: Vec<Unresolved>,
    /// The path generated code reaches the runtime through.
    pub runtime: syn::Path,
}

impl<'r> Audit<'r> {
    /// Whether the item embodies `pattern` (by id; aliases are resolved already).
    #[must_use]
    pub fn has_pattern(&self, pattern: &str) -> bool {
        self.patterns.iter().any(|p| p.pattern.id == pattern)
    }

    /// Whether the anti-pattern is checked in this item.
    #[must_use]
    pub fn applies(&self, anti_pattern: AntiPattern) -> bool {
        self.anti_patterns.contains(&anti_pattern)
    }

    /// Whether `allow(..)` excuses the anti-pattern.
    #[must_use]
    pub fn allows(&self, anti_pattern: AntiPattern) -> bool {
        self.allows.iter().any(|a| a.anti_pattern == anti_pattern)
    }

    /// The field playing `role`.
    #[must_use]
    pub fn role(&self, role: Role) -> Option<&RoleField> {
        self.roles.iter().find(|r| r.role == role)
    }

    /// The locked decisions a check of the item upholds (what an item a decision is
    /// delegated to must have).
    pub fn checked_decisions(&self) -> impl Iterator<Item = &str> {
        self.checks.iter().filter_map(|c| match c.upholds {
            Some(Upholds::Decision(d)) => Some(d.id.as_str()),
            _ => None,
        })
    }

    /// Whether a check of the item upholds the decision (by its kind's default or by
    /// `upholds = ".."`): a check that names a decision counts for it, and for every decision
    /// that one `refines` (a team's "cursors never regress" for D2.3).
    #[must_use]
    pub fn checks_decision(&self, decision: &str) -> bool {
        self.checks.iter().any(|c| match c.upholds {
            Some(Upholds::Decision(d)) => {
                d.id == decision || d.refines.iter().any(|r| r == decision)
            }
            _ => false,
        })
    }

    /// Whether the decision is delegated to another item.
    #[must_use]
    pub fn delegates(&self, decision: &str) -> bool {
        self.delegations.iter().any(|d| d.decision.id == decision)
    }

    /// Whether a check of one of `kinds` is declared.
    #[must_use]
    pub fn declares(&self, kinds: &[Kind]) -> bool {
        self.checks
            .iter()
            .any(|c| kinds.contains(&c.invariant.kind))
    }

    /// The item's path as a violation message names it.
    #[must_use]
    pub fn display_name(&self) -> String {
        self.item
            .site
            .owner
            .clone()
            .unwrap_or_else(|| self.item.name.clone())
    }
}

/// The expressions of a function's annotation see its parameters, and no other local of the
/// expansion (see [`crate::exprs::hide_locals_but`]).
fn hide_unknown_locals(annotation: &mut annotation::Annotation, f: &syn::ItemFn) {
    let params: Vec<String> = f
        .sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            syn::FnArg::Typed(pt) => crate::exprs::pat_ident(&pt.pat).map(item::ident_text),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let hide = |e: &mut annotation::ExprArg| crate::exprs::hide_locals_but(&mut e.expr, &params);
    for inv in &mut annotation.invariants {
        match &mut inv.operands {
            annotation::Operands::One(e) => hide(e),
            annotation::Operands::KeyInRange { key, range } => {
                hide(key);
                hide(range);
            }
        }
    }
    if let Some(test) = &mut annotation.test {
        test.init.iter_mut().for_each(hide);
        test.strategies.iter_mut().for_each(|(_, e)| hide(e));
    }
}

/// Read an annotation's arguments for a parsed item: its form findings, and the model
/// of what it says, in which a function's expressions see its parameters and no other
/// local of the expansion.
#[must_use]
pub fn read(args: TokenStream, subject: &Subject) -> (Annotation, Vec<Finding>) {
    let (mut annotation, findings) = annotation::parse(args);
    if let Subject::Fn(f) = subject {
        hide_unknown_locals(&mut annotation, f);
    }
    (annotation, findings)
}

/// Build the model. Unknown ids are recorded, not reported: reporting is the rules' job.
#[must_use]
pub fn resolve<'r>(
    registry: &'r Registry,
    annotation: &Annotation,
    subject: &Subject,
    site: &Site,
) -> Audit<'r> {
    let mut ids = Resolver {
        registry,
        unresolved: Vec::new(),
    };
    let citations = ids.citations(annotation);
    let patterns = ids.patterns(annotation, &citations);
    let decisions = ids.all(&annotation.implements, IdKind::Decision, Registry::decision);
    let backend = annotation
        .backend
        .as_ref()
        .and_then(|id| ids.one(id, IdKind::Backend, Registry::backend));
    let delegations = ids.delegations(annotation);
    let allows = ids.allows(annotation);
    let (checks, olds) = ids.checks(annotation, &patterns, &citations);
    let anti_patterns = crate::registry::anti_patterns_of(patterns.iter().map(|p| p.pattern));
    let roles = roles(annotation, subject, &patterns);
    let function = subject.as_fn();
    Audit {
        registry,
        item: ItemFacts {
            name: subject.name(),
            shape: subject.shape(),
            returns: function.map(|f| item::returns(&f.sig)),
            changes_state: function.is_some_and(|f| item::changes_state(&f.sig)),
            site: site.clone(),
        },
        patterns,
        citations,
        novel: annotation.novel.clone(),
        decisions,
        checks,
        olds,
        anti_patterns,
        allows,
        roles,
        backend,
        delegations,
        verify: annotation.verify.clone(),
        test: annotation.test.clone(),
        unresolved: ids.unresolved,
        runtime: annotation
            .krate
            .as_ref()
            .map_or_else(|| site.runtime.clone(), |(_, p)| p.clone()),
    }
}

/// Ids looked up in the registry; the ones it lacks are recorded for the rules to report.
struct Resolver<'r> {
    registry: &'r Registry,
    unresolved: Vec<Unresolved>,
}

impl<'r> Resolver<'r> {
    fn unknown(&mut self, kind: IdKind, id: &Id) {
        self.unresolved.push(Unresolved {
            kind,
            id: id.clone(),
        });
    }

    /// One id, looked up with `find`.
    fn one<T: ?Sized>(
        &mut self,
        id: &Id,
        kind: IdKind,
        find: impl Fn(&'r Registry, &str) -> Option<&'r T>,
    ) -> Option<&'r T> {
        let found = find(self.registry, &id.value);
        if found.is_none() {
            self.unknown(kind, id);
        }
        found
    }

    /// Every id of a list that the registry has.
    fn all<T: ?Sized>(
        &mut self,
        ids: &[Id],
        kind: IdKind,
        find: impl Fn(&'r Registry, &str) -> Option<&'r T>,
    ) -> Vec<&'r T> {
        ids.iter()
            .filter_map(|id| self.one(id, kind, &find))
            .collect()
    }

    /// The cited works, strongest evidence first.
    fn citations(&mut self, annotation: &Annotation) -> Vec<&'r Citation> {
        let mut citations = self.all(&annotation.cites, IdKind::Citation, Registry::citation);
        sort_evidence(&mut citations);
        citations
    }

    /// The patterns, aliases resolved and without repeats, each with the evidence that
    /// grounds it: citations are sorted strongest first, so the first that supports it
    /// decides.
    fn patterns(
        &mut self,
        annotation: &Annotation,
        citations: &[&'r Citation],
    ) -> Vec<PatternUse<'r>> {
        let mut patterns: Vec<PatternUse<'r>> = Vec::new();
        for id in &annotation.patterns {
            let Some(p) = self.one(id, IdKind::Pattern, Registry::pattern) else {
                continue;
            };
            if patterns.iter().any(|u| u.pattern.id == p.id) {
                continue;
            }
            let evidence = match citations.iter().find(|c| c.supports(&p.id)) {
                Some(c) => Evidence::Cited(c),
                None if annotation.novel.is_some() => Evidence::Novel,
                None => Evidence::Missing,
            };
            patterns.push(PatternUse {
                pattern: p,
                written: id.clone(),
                evidence,
            });
        }
        patterns
    }

    fn delegations(&mut self, annotation: &Annotation) -> Vec<DelegationUse<'r>> {
        let mut out = Vec::new();
        for d in &annotation.delegations {
            if let Some(decision) = self.one(&d.decision, IdKind::Decision, Registry::decision) {
                out.push(DelegationUse {
                    decision,
                    to: d.to.clone(),
                    path: d.path.clone(),
                });
            }
        }
        out
    }

    fn allows(&mut self, annotation: &Annotation) -> Vec<AllowUse> {
        let mut out = Vec::new();
        for a in &annotation.allows {
            match AntiPattern::from_slug(&a.slug.value) {
                Some(anti_pattern) => out.push(AllowUse {
                    anti_pattern,
                    slug: a.slug.clone(),
                    justification: a.justification.clone(),
                }),
                None => self.unknown(IdKind::AntiPattern, &a.slug),
            }
        }
        out
    }

    /// Each check with what it upholds and the work that grounds it, and the entry
    /// snapshots its `old(..)` asks for.
    fn checks(
        &mut self,
        annotation: &Annotation,
        patterns: &[PatternUse<'r>],
        citations: &[&'r Citation],
    ) -> (Vec<Check<'r>>, Vec<OldValue>) {
        let mut checks = Vec::new();
        let mut olds: Vec<OldValue> = Vec::new();
        for (index, inv) in annotation.invariants.iter().enumerate() {
            let upholds = match &inv.upholds {
                Some(id) => self
                    .one(id, IdKind::Decision, Registry::decision)
                    .map(Upholds::Decision),
                None => self.default_upholds(inv, patterns),
            };
            checks.push(Check {
                index,
                when: when(inv),
                operands: with_olds(&inv.operands, &mut olds),
                citation: grounding(self.registry, citations, upholds),
                novel: annotation.novel.is_some(),
                upholds,
                invariant: inv.clone(),
            });
        }
        (checks, olds)
    }

    /// What a check upholds when it names nothing: its kind's default, where that governs
    /// the item. A `monotonic` on a fence in an item that is also a fence is the fencing
    /// rule, not the cursor's D2.3.
    fn default_upholds(&self, inv: &Invariant, patterns: &[PatternUse<'r>]) -> Option<Upholds<'r>> {
        let has = |id: &str| patterns.iter().any(|u| u.pattern.id == id);
        if matches!(inv.kind, Kind::Monotonic | Kind::StrictlyIncreasing)
            && has("fencing")
            && inv.exprs().iter().any(|e| names_a_fence(&e.expr))
        {
            return Some(Upholds::PatternRule("fencing"));
        }
        match inv.kind.spec().upholds {
            // A kind's default decision labels the check only where the decision governs
            // one of the item's patterns: `monotonic` on a fence is not D2.3.
            DefaultUpholds::Decision(d) => self
                .registry
                .decision(d)
                .filter(|d| patterns.iter().any(|u| d.patterns.contains(&u.pattern.id)))
                .map(Upholds::Decision),
            // A pattern's rule is upheld only by an item of that pattern: a run-id counter
            // that only grows is not a fence.
            DefaultUpholds::PatternRule(p) if patterns.iter().any(|u| u.pattern.id == p) => {
                Some(Upholds::PatternRule(p))
            }
            DefaultUpholds::PatternRule(_) | DefaultUpholds::Nothing => None,
        }
    }
}

/// Whether an expression reads a fence: a part of one of its names (`fence_of`,
/// `current_term`, `FenceEpoch`) is a token that orders holders (`fence`, `epoch`, `token`,
/// `term`, `generation`, `ballot`, or their plurals).
pub(crate) fn names_a_fence(expr: &syn::Expr) -> bool {
    use quote::ToTokens;
    const FENCE_WORDS: [&str; 6] = ["fence", "epoch", "token", "term", "generation", "ballot"];
    let text = expr.to_token_stream().to_string();
    let mut parts = Vec::new();
    for name in text.split(|c: char| !c.is_alphanumeric() && c != '_') {
        let mut part = String::new();
        for c in name.chars() {
            if c == '_' || (c.is_uppercase() && !part.is_empty()) {
                parts.push(std::mem::take(&mut part));
            }
            if c != '_' {
                part.push(c.to_ascii_lowercase());
            }
        }
        parts.push(part);
    }
    parts.iter().any(|p| {
        FENCE_WORDS
            .iter()
            .any(|f| p == f || p.strip_suffix('s') == Some(f))
    })
}

/// Whether a struct owns values of a kind rather than being one: it has none of the fields
/// of `own` (by their names, or the ones `fields(..)` gives them), and a field holds such
/// values (a collection, a map, or a type whose name has one of `kinds`).
fn owns(annotation: &Annotation, s: &syn::ItemStruct, own: &[Role], kinds: &[&str]) -> bool {
    use quote::ToTokens;
    let fields = item::struct_fields(s);
    let has_field = |role: &Role| {
        let name = annotation
            .fields
            .iter()
            .find(|f| f.role == *role)
            .map_or_else(|| role.name().to_string(), |f| f.field.value.clone());
        item::find_field(&fields, &name).is_some()
    };
    if own.iter().any(has_field) {
        return false;
    }
    fields.iter().any(|(_, f)| {
        let ty = f.ty.to_token_stream().to_string();
        ty.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|word| {
                matches!(
                    word,
                    "Vec" | "VecDeque" | "HashMap" | "BTreeMap" | "HashSet" | "BTreeSet"
                ) || kinds.iter().any(|k| word.contains(k))
            })
    })
}

/// Whether a struct owns shard ranges rather than being one (a coordinator with a map of
/// shard records): no bound field, and a field that holds ranges.
fn owns_ranges(annotation: &Annotation, s: &syn::ItemStruct) -> bool {
    owns(
        annotation,
        s,
        &[Role::Start, Role::End],
        &["Range", "Shard"],
    )
}

/// Whether a struct owns cursors rather than being one (a coordinator that keeps a cursor per
/// shard): no key or token field, and a field that holds cursors (issue 21).
fn owns_cursors(annotation: &Annotation, s: &syn::ItemStruct) -> bool {
    owns(
        annotation,
        s,
        &[Role::LastKey, Role::Token],
        &["Cursor", "Checkpoint", "Shard", "Record"],
    )
}

/// For a cursor or shard struct: the field of each role its patterns give it. A
/// shard-carrying struct names its range field; only a struct without one is checked as a
/// range itself.
fn roles(
    annotation: &Annotation,
    subject: &Subject,
    patterns: &[PatternUse<'_>],
) -> Vec<RoleField> {
    let Subject::Struct(s) = subject else {
        return Vec::new();
    };
    let has = |id: &str| patterns.iter().any(|p| p.pattern.id == id);
    let carries_range = annotation.fields.iter().any(|f| f.role == Role::Range);
    // A type that owns shards (a coordinator with a map of them) is not a range: it has no
    // bound of its own, and no start or end is asked of it.
    let owner = !carries_range && owns_ranges(annotation, s);
    // Likewise a type that owns cursors is not asked for a key and a token of its own.
    let cursor_owner = owns_cursors(annotation, s);
    Role::ALL
        .iter()
        .filter(|r| has(r.pattern()))
        .filter(|r| match r {
            Role::Range => carries_range,
            Role::Start | Role::End => !carries_range && !owner,
            Role::LastKey | Role::Token => !cursor_owner,
        })
        .map(|r| {
            let renamed = annotation.fields.iter().find(|f| f.role == *r);
            RoleField {
                role: *r,
                field: renamed.map_or_else(|| r.name().to_string(), |f| f.field.value.clone()),
                renamed_at: renamed.map(|f| f.field.span),
            }
        })
        .collect()
}

/// When a check runs: `requires` on entry, `ensures` on success; an `invariant` by its
/// kind's rule, with `ret` only where there is a successful value and `old` only on exit.
fn when(inv: &Invariant) -> When {
    let names = |name: &str| {
        inv.exprs()
            .iter()
            .any(|e| crate::exprs::names_ident(&e.expr, name))
    };
    let names_old = inv
        .exprs()
        .iter()
        .any(|e| !crate::exprs::old_calls(&e.expr).is_empty());
    match inv.phase {
        Phase::Requires => When::Entry,
        Phase::Ensures => When::Success,
        Phase::Invariant if inv.kind.spec().success_only || names("ret") => When::Success,
        Phase::Invariant if inv.kind == Kind::Holds && !names_old => When::EntryAndExit,
        Phase::Invariant => When::EveryExit,
    }
}

/// The operands with each `old(e)` replaced by the local of `e`'s snapshot (shared by every
/// check that names the same `e`).
fn with_olds(operands: &Operands, olds: &mut Vec<OldValue>) -> Operands {
    let mut rewrite = |arg: &ExprArg| {
        let expr = crate::exprs::replace_old_calls(&arg.expr, &mut |inner| {
            let local = match olds
                .iter()
                .find(|o| crate::exprs::same_syntax(&o.expr, inner))
            {
                Some(o) => o.local.clone(),
                None => {
                    let local = quote::format_ident!(
                        "distaudit_old_{}",
                        olds.len(),
                        span = Span::mixed_site()
                    );
                    olds.push(OldValue {
                        expr: inner.clone(),
                        local: local.clone(),
                        span: arg.text.span,
                    });
                    local
                }
            };
            syn::Expr::Path(syn::ExprPath {
                attrs: Vec::new(),
                qself: None,
                path: local.into(),
            })
        });
        ExprArg {
            text: arg.text.clone(),
            expr,
        }
    };
    match operands {
        Operands::One(e) => Operands::One(rewrite(e)),
        Operands::KeyInRange { key, range } => Operands::KeyInRange {
            key: rewrite(key),
            range: rewrite(range),
        },
    }
}

/// The cited work that grounds a check: a source of its decision, else one that supports
/// a pattern the decision governs (or the pattern whose rule it is), else the strongest.
fn grounding<'r>(
    registry: &'r Registry,
    cited: &[&'r Citation],
    upholds: Option<Upholds<'r>>,
) -> Option<&'r Citation> {
    let (sources, governed): (Vec<&str>, Vec<&str>) = match upholds {
        Some(Upholds::Decision(d)) => (
            d.sources.iter().map(String::as_str).collect(),
            d.patterns.iter().map(String::as_str).collect(),
        ),
        Some(Upholds::PatternRule(p)) => (Vec::new(), vec![p]),
        None => (Vec::new(), Vec::new()),
    };
    // A decision's check rests on the decision's own sources: one the item cites, else the
    // first the decision names, cited or not (issue 21: a team's S7 is grounded in its
    // sources, not in whatever the item happens to cite).
    if matches!(upholds, Some(Upholds::Decision(_))) {
        if let Some(c) = cited.iter().find(|c| sources.contains(&c.id.as_str())) {
            return Some(c);
        }
        if let Some(c) = sources.iter().find_map(|id| registry.citation(id)) {
            return Some(c);
        }
    }
    cited
        .iter()
        .find(|c| sources.contains(&c.id.as_str()))
        .or_else(|| {
            cited
                .iter()
                .find(|c| governed.iter().any(|p| c.supports(p)))
        })
        .or_else(|| cited.first())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn audit(args: TokenStream, item: TokenStream) -> Audit<'static> {
        let registry = crate::registry::default_registry().expect("default registry");
        let item::Parsed::Supported(subject) = item::parse(item) else {
            panic!("test item must be supported")
        };
        let (annotation, _) = read(args, &subject);
        resolve(registry, &annotation, &subject, &Site::default())
    }

    /// Issue 21: a check that upholds a decision rests on that decision's sources, even
    /// when the item cites other works; a check that upholds nothing rests on a cited one.
    #[test]
    fn a_decision_check_is_grounded_in_the_decision_s_sources() {
        let a = audit(
            quote!(
                pattern = "cursor",
                cite = "kcl-lease-table",
                invariant(monotonic = "self.cursor", upholds = "D2.3")
            ),
            quote!(
                fn checkpoint(&mut self, key: Vec<u8>) {}
            ),
        );
        let d = a.registry.decision("D2.3").expect("D2.3");
        let grounded = a.checks[0].citation.expect("a source").id.as_str();
        assert!(
            d.sources.iter().any(|s| s == grounded),
            "{grounded} is one of D2.3's sources {:?}",
            d.sources
        );
        assert_ne!(grounded, "kcl-lease-table");
    }

    #[test]
    fn aliases_resolve_once() {
        let a = audit(
            quote!(
                pattern = "epidemic",
                pattern = "gossip",
                cite = "demers-1987"
            ),
            quote!(
                fn f() {}
            ),
        );
        assert_eq!(a.patterns.len(), 1);
        assert_eq!(a.patterns[0].pattern.id, "gossip");
        assert!(a.has_pattern("gossip"));
    }

    #[test]
    fn best_evidence_per_pattern() {
        let a = audit(
            quote!(
                pattern = "fencing",
                cite = "kleppmann-2016",
                cite = "burrows-2006"
            ),
            quote!(
                fn f() {}
            ),
        );
        let Evidence::Cited(c) = a.patterns[0].evidence else {
            panic!("cited")
        };
        assert_eq!(c.id, "burrows-2006");
    }

    #[test]
    fn each_check_upholds_its_own_decision() {
        let a = audit(
            quote!(
                pattern = "cursor",
                cite = "bacon-2017",
                implements = "D2.3",
                invariant(monotonic = "self.k"),
                invariant(strictly_increasing = "self.fence"),
                invariant(holds = "self.ok()"),
                invariant(holds = "self.k.is_some()", upholds = "D2.5")
            ),
            quote!(
                fn f(&mut self) {}
            ),
        );
        let labels: Vec<Option<&str>> = a
            .checks
            .iter()
            .map(|c| c.upholds.as_ref().map(Upholds::label))
            .collect();
        // strictly_increasing upholds the fencing rule only on a fencing item.
        assert_eq!(labels, [Some("D2.3"), None, None, Some("D2.5")]);
        assert_eq!(a.checks[0].label(), "D2.3, bacon-2017");
        let fenced = audit(
            quote!(
                pattern = "fencing",
                cite = "burrows-2006",
                invariant(strictly_increasing = "self.fence")
            ),
            quote!(
                fn f(&mut self) {}
            ),
        );
        assert_eq!(fenced.checks[0].label(), "fencing, burrows-2006");
    }

    #[test]
    fn anti_patterns_come_from_the_patterns() {
        let lease = audit(
            quote!(pattern = "lease", cite = "gray-cheriton-1989"),
            quote!(
                fn f() {}
            ),
        );
        assert!(lease.applies(AntiPattern::WallClock));
        let retry = audit(
            quote!(pattern = "retry", cite = "bacon-2017"),
            quote!(
                fn f() {}
            ),
        );
        assert!(!retry.applies(AntiPattern::WallClock));
    }

    #[test]
    fn roles_default_and_rename() {
        let a = audit(
            quote!(pattern = "shard", cite = "bacon-2017", fields(start = "lo")),
            quote!(
                struct S {
                    lo: Vec<u8>,
                    end: Vec<u8>,
                }
            ),
        );
        assert_eq!(a.role(Role::Start).map(|r| r.field.as_str()), Some("lo"));
        assert_eq!(a.role(Role::End).map(|r| r.field.as_str()), Some("end"));
        assert!(a.role(Role::LastKey).is_none());
    }

    #[test]
    fn unknown_ids_are_recorded() {
        let a = audit(
            quote!(pattern = "leese", cite = "nobody-2099", implements = "D9"),
            quote!(
                fn f() {}
            ),
        );
        let kinds: Vec<IdKind> = a.unresolved.iter().map(|u| u.kind).collect();
        assert_eq!(kinds, [IdKind::Citation, IdKind::Pattern, IdKind::Decision]);
    }

    /// Issue 21, workaround 3's second half: in an item that is both a cursor and a fence,
    /// a `monotonic` on the fence upholds the fencing rule, one on the key D2.3.
    #[test]
    fn a_monotonic_fence_upholds_the_fencing_rule_not_the_cursor_decision() {
        let a = audit(
            quote!(
                pattern = "cursor",
                pattern = "fencing",
                cite = "bacon-2017",
                cite = "burrows-2006",
                invariant(monotonic = "self.fence_of(shard)"),
                invariant(monotonic = "self.last_key"),
                invariant(monotonic = "self.terminal_count")
            ),
            quote!(
                fn checkpoint(&mut self, shard: u64) {}
            ),
        );
        let labels: Vec<String> = a
            .checks
            .iter()
            .map(|c| c.upholds.map(|u| u.label().to_string()).unwrap_or_default())
            .collect();
        assert_eq!(labels, ["fencing", "D2.3", "D2.3"]);
    }
}
