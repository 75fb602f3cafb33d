//! The annotation model: `#[coordination(..)]` arguments, parsed for form only.
//!
//! Parsing never consults the registry: it turns tokens into [`Annotation`] and reports
//! malformed input as findings. What the ids mean is resolved by [`crate::analyze`].

mod checks;
mod entries;
mod groups;
mod test_spec;

use crate::catalogue::{Kind, Role};
use crate::diag::{Code, Finding};
use crate::suggest::{self, Quote};
use checks::parse_invariant;
use entries::{
    Entry, GRAMMAR, entries, entry_span, expr_arg, malformed, name_of, path_span, push_id,
    string_value,
};
use groups::{parse_allow, parse_crate, parse_delegates, parse_fields, parse_verify};
use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::{Expr, Meta};
use test_spec::parse_test;

/// A string value as written, with the span of its literal.
#[derive(Clone, Debug)]
pub struct Id {
    pub value: String,
    pub span: Span,
}

/// `verify = "path::to::test"`.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct Verify {
    pub id: Id,
    pub path: syn::Path,
}

/// `allow(<slug> = "<justification>")`.
#[derive(Clone, Debug)]
pub struct Allow {
    pub slug: Id,
    pub justification: Id,
}

/// `delegates(decision = "D2.4", to = "path::to::item")`.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct Delegation {
    pub decision: Id,
    pub to: Id,
    pub path: syn::Path,
}

/// `fields(<role> = "<field>")`: one role.
#[derive(Clone, Debug)]
pub struct FieldRole {
    pub role: Role,
    pub role_span: Span,
    pub field: Id,
}

/// An expression given as a string literal, parsed with the literal's span.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct ExprArg {
    pub text: Id,
    pub expr: Expr,
}

/// What an invariant evaluates.
// A handful per annotation, alive for one expansion: boxing the larger variant buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub enum Operands {
    /// `monotonic`, `strictly_increasing`, `never_none`, `holds`: one expression.
    One(ExprArg),
    /// `within(key = .., range = ..)`.
    KeyInRange { key: ExprArg, range: ExprArg },
}

/// Which argument a check was written in: when it is checked follows from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// `invariant(..)`: holds on every exit, refused calls included.
    Invariant,
    /// `ensures(..)`: holds when the call succeeds.
    Ensures,
    /// `requires = ".."`: the caller's obligation, checked on entry.
    Requires,
}

impl Phase {
    /// The argument it is written with.
    #[must_use]
    pub fn argument(self) -> Argument {
        match self {
            Phase::Invariant => Argument::Invariant,
            Phase::Ensures => Argument::Ensures,
            Phase::Requires => Argument::Requires,
        }
    }
}

/// One check: an `invariant(..)`, an `ensures(..)` or a `requires = ".."`.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct Invariant {
    pub phase: Phase,
    pub kind: Kind,
    pub operands: Operands,
    /// The span of the kind name.
    pub span: Span,
    /// `upholds = "D2.5"` in the same group: the decision this check upholds.
    pub upholds: Option<Id>,
    /// `now = "LogicalTime"` in the same group: the check names the call's logical time
    /// `now`, of this type (a type's invariant, checked after the methods that take it).
    pub now: Option<NowType>,
}

/// `now = "<Type>"` in a check's group.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct NowType {
    /// As written, spanned on its string literal.
    pub text: Id,
    /// The type, parsed, spanned on the literal.
    pub ty: syn::Type,
}

impl Invariant {
    /// `monotonic(self.last_key)`, `within(key = k, range = r)`, `requires(x > 0)`,
    /// `ensures holds(ret > 0)`: as shown in docs and panics.
    #[must_use]
    pub fn written(&self) -> String {
        let check = match &self.operands {
            Operands::One(e) => format!("{}({})", self.kind.name(), e.text.value),
            Operands::KeyInRange { key, range } => format!(
                "within(key = {}, range = {})",
                key.text.value, range.text.value
            ),
        };
        match (self.phase, &self.operands) {
            (Phase::Invariant, _) => check,
            (Phase::Ensures, _) => format!("ensures {check}"),
            (Phase::Requires, Operands::One(e)) => format!("requires({})", e.text.value),
            (Phase::Requires, Operands::KeyInRange { .. }) => format!("requires {check}"),
        }
    }

    /// The expressions the invariant evaluates.
    #[must_use]
    pub fn exprs(&self) -> Vec<&ExprArg> {
        match &self.operands {
            Operands::One(e) => vec![e],
            Operands::KeyInRange { key, range } => vec![key, range],
        }
    }
}

/// `strategy(lease = from_state("testkit::live_leases", otherwise = "testkit::lease()"))`:
/// a parameter whose value is drawn just before its step from what `function(&receiver)`
/// offers, mixed with values of `otherwise` (or any value of its type).
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct StateStrategy {
    pub param: Id,
    pub function: ExprArg,
    pub otherwise: Option<ExprArg>,
}

/// `strategy(update = view("<strategy of the owner>", owner = "<Type>", with = "<fn>"))`: a
/// borrowed view (`CursorUpdate<'a>`) drawn as an owned value the call holds, and made the
/// view of it (`with(&owner)`) when the call is made, so no strategy has to leak data to
/// give a view a `'static` lifetime. The owner may be drawn from the state:
/// `view(from_state("testkit::plans", otherwise = ".."), owner = .., with = ..)`.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct ViewStrategy {
    pub param: Id,
    /// The owners' strategy, drawn before the calls run (a `from_state`'s `otherwise`); none:
    /// any owner (`Arbitrary`).
    pub strategy: Option<ExprArg>,
    /// `from_state("f")`: a function of the receiver offering owners, drawn just before the
    /// step.
    pub from_state: Option<ExprArg>,
    pub owner: syn::Type,
    pub with: ExprArg,
}

/// `test` or `test(cases = N, steps = M, init = "..", strategy(p = ".."))`.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct TestSpec {
    pub span: Span,
    pub cases: Option<u32>,
    pub steps: Option<u32>,
    pub init: Option<ExprArg>,
    pub strategies: Vec<(Id, ExprArg)>,
    /// `strategy(lease = from_state("f"))`: parameters drawn, at the step, from the state.
    pub from_state: Vec<StateStrategy>,
    /// `strategy(update = view(..))`: borrowed views made from owned values.
    pub views: Vec<ViewStrategy>,
    /// `vacuous_ok`: the test passes even when fewer than 5% of its calls are accepted.
    pub vacuous_ok: bool,
    /// `roles(op = "op", fence = "lease.fence", ..)`: which parameter, or which expression
    /// over one, plays each role in the attacking steps of a state machine.
    pub roles: Vec<(Id, ExprArg)>,
    /// `without = "<step>", because = ".."`: attacking steps turned off, each with its reason
    /// (`None` when none was written).
    pub without: Vec<(Id, Option<Id>)>,
    /// `with = "<Trait>"`: the audited impls of other traits for the same type whose tested
    /// methods the state machine interleaves with its own.
    pub with: Vec<Id>,
}

impl TestSpec {
    /// A `test` with nothing written: defaults everywhere.
    #[must_use]
    pub fn empty() -> TestSpec {
        TestSpec {
            span: proc_macro2::Span::call_site(),
            cases: None,
            steps: None,
            init: None,
            strategies: Vec::new(),
            from_state: Vec::new(),
            views: Vec::new(),
            vacuous_ok: false,
            roles: Vec::new(),
            without: Vec::new(),
            with: Vec::new(),
        }
    }
}

/// Everything one `#[coordination(..)]` says.
#[derive(Clone, Default)]
#[cfg_attr(test, derive(Debug))]
pub struct Annotation {
    pub patterns: Vec<Id>,
    pub cites: Vec<Id>,
    pub implements: Vec<Id>,
    pub invariants: Vec<Invariant>,
    pub novel: Option<Id>,
    pub verify: Vec<Verify>,
    pub allows: Vec<Allow>,
    pub backend: Option<Id>,
    pub fields: Vec<FieldRole>,
    pub test: Option<TestSpec>,
    pub delegations: Vec<Delegation>,
    /// `crate = "path"`: where the `distaudit` runtime is, for re-exports.
    pub krate: Option<(Id, syn::Path)>,
    /// Arguments that were written, well formed or not: a malformed `cite` is reported
    /// once, as malformed, not a second time as missing.
    pub written: Vec<Argument>,
}

impl Annotation {
    /// Whether the argument was written at all.
    #[must_use]
    pub fn wrote(&self, argument: Argument) -> bool {
        self.written.contains(&argument)
    }
}

/// An argument of `#[coordination(..)]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argument {
    Pattern,
    Cite,
    Implements,
    Invariant,
    Ensures,
    Requires,
    Novel,
    Verify,
    Allow,
    Backend,
    Fields,
    Test,
    Delegates,
    Crate,
}

/// What the parser knows of one argument: its name, whether it may appear once only, and
/// whether its analysis needs the function's body as a syntax tree (an `allow` is judged by
/// what the body's scan finds; checks and tests are woven around the body's own tokens).
pub struct ArgumentSpec {
    pub argument: Argument,
    pub name: &'static str,
    pub once: bool,
    pub needs_body: bool,
}

/// Every argument, in the order the docs list them: the one place their names are written.
pub const ARGUMENT_TABLE: [ArgumentSpec; 14] = {
    const fn row(argument: Argument, name: &'static str, once: bool) -> ArgumentSpec {
        ArgumentSpec {
            argument,
            name,
            once,
            needs_body: matches!(argument, Argument::Allow),
        }
    }
    [
        row(Argument::Pattern, "pattern", false),
        row(Argument::Cite, "cite", false),
        row(Argument::Implements, "implements", false),
        row(Argument::Invariant, "invariant", false),
        row(Argument::Ensures, "ensures", false),
        row(Argument::Requires, "requires", false),
        row(Argument::Novel, "novel", true),
        row(Argument::Verify, "verify", false),
        row(Argument::Allow, "allow", false),
        row(Argument::Backend, "backend", true),
        row(Argument::Fields, "fields", true),
        row(Argument::Test, "test", true),
        row(Argument::Delegates, "delegates", false),
        row(Argument::Crate, "crate", true),
    ]
};

/// The argument names, for did-you-mean.
pub const ARGUMENTS: [&str; 14] = {
    let mut names = [""; 14];
    let mut i = 0;
    while i < names.len() {
        names[i] = ARGUMENT_TABLE[i].name;
        i += 1;
    }
    names
};

impl Argument {
    /// Its row of [`ARGUMENT_TABLE`].
    #[must_use]
    pub fn spec(self) -> &'static ArgumentSpec {
        // Every variant has its row (a unit test holds the table to the enum).
        ARGUMENT_TABLE
            .iter()
            .find(|s| s.argument == self)
            .unwrap_or(&ARGUMENT_TABLE[0])
    }

    /// The name it is written with.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The argument written as `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Argument> {
        ARGUMENT_TABLE
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.argument)
    }
}

/// The names of the arguments whose analysis needs the body, from [`ARGUMENT_TABLE`] (the
/// first `BODY_ARGUMENT_COUNT` entries are set).
const BODY_ARGUMENTS: ([&str; 14], usize) = {
    let mut names = [""; 14];
    let (mut i, mut n) = (0, 0);
    while i < ARGUMENT_TABLE.len() {
        if ARGUMENT_TABLE[i].needs_body {
            names[n] = ARGUMENT_TABLE[i].name;
            n += 1;
        }
        i += 1;
    }
    (names, n)
};

/// Whether the arguments name one whose analysis needs the body, read from the tokens
/// before any parsing (a cheap test, so the attribute can leave a body unparsed).
#[must_use]
pub fn needs_body(args: &TokenStream) -> bool {
    let body = &BODY_ARGUMENTS.0[..BODY_ARGUMENTS.1];
    args.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(i) => body.iter().any(|k| i == k),
        _ => false,
    })
}

pub use crate::registry::{MIN_JUSTIFICATION_WORDS, justification_words};

/// The arguments of a `#[coordination]` attribute as written: its list, nothing for a bare
/// `#[coordination]` (an annotation without arguments, whose findings say what it lacks),
/// or the finding for `#[coordination = ..]`, which is not an annotation. (rustc refuses
/// that form on an item before the attribute runs; an audit that expands its methods'
/// annotations itself, and `cargo distaudit`, meet it.)
///
/// # Errors
/// The finding for `#[coordination = ..]`.
pub fn attribute_arguments(meta: &syn::Meta) -> Result<TokenStream, Finding> {
    match meta {
        Meta::List(list) => Ok(list.tokens.clone()),
        Meta::Path(_) => Ok(TokenStream::new()),
        Meta::NameValue(nv) => Err(malformed(
            nv.span(),
            "`#[coordination = ..]` is not an annotation",
            "write `#[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]`",
        )),
    }
}

/// What `#[distaudit::audit(..)]` says: its state-machine test, and the checks that apply
/// to every method of the impl that has a receiver and an annotation (its own or its
/// trait's contract).
#[derive(Clone, Default)]
pub struct AuditArgs {
    pub test: Option<TestSpec>,
    /// The `invariant(..)`, `ensures(..)` and `requires = ".."` entries as written, each read
    /// once here (their findings are the attribute's) and added to each method's own.
    pub checks: TokenStream,
}

/// Parse the arguments of `#[distaudit::audit]`: nothing, `test(cases, steps, init,
/// vacuous_ok)` for a state-machine test over the impl's methods, and impl-wide checks.
#[must_use]
pub fn parse_audit(args: TokenStream) -> (AuditArgs, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut out = AuditArgs::default();
    if args.is_empty() {
        return (out, findings);
    }
    let metas = match entries(args) {
        Ok(m) => m,
        Err(e) => {
            findings.push(malformed(
                e.span(),
                format!("cannot read `#[distaudit::audit(..)]`: {e}"),
                "write `#[distaudit::audit]` or `#[distaudit::audit(test(init = \"..\"))]`",
            ));
            return (out, findings);
        }
    };
    let mut annotation = Annotation::default();
    let mut checks = Vec::new();
    for entry in metas {
        match entry {
            Entry::Meta(m) if name_of(m.path()) == "test" && annotation.test.is_none() => {
                parse_test(&m, &mut annotation, &mut findings);
            }
            Entry::Meta(m)
                if [Phase::Invariant, Phase::Ensures, Phase::Requires]
                    .iter()
                    .any(|p| name_of(m.path()) == p.argument().name()) =>
            {
                // Read once here, for its findings; a well-formed one is read again with each
                // method's annotation, a malformed one is reported once and not passed on.
                let mut read = Annotation::default();
                let span = path_span(m.path());
                let before = findings.len();
                if let Some(known) = Argument::from_name(&name_of(m.path())) {
                    argument(known, &m, span, &mut read, &mut findings);
                }
                if findings.len() == before {
                    checks.push(m);
                }
            }
            other => findings.push(malformed(
                entry_span(&other),
                "`#[distaudit::audit]` takes `test(..)` and impl-wide checks (`invariant(..)`, `ensures(..)`, `requires = \"..\"`)",
                "write `#[distaudit::audit(test(cases = 64, steps = 16, init = \"Coordinator::new()\"), invariant(holds = \"..\"))]`; put patterns, citations and other arguments on the #[coordination] annotations inside",
            )),
        }
    }
    if let Some(t) = &annotation.test
        && !t.strategies.is_empty()
    {
        findings.push(malformed(
            t.span,
            "`strategy(..)` belongs on each method's own `test(..)`",
            "move the strategies to the #[coordination(test(..))] of the methods whose parameters they draw",
        ));
    }
    out.test = annotation.test;
    out.checks = quote::quote!(#(#checks),*);
    (out, findings)
}

/// Parse the attribute's arguments. Never fails: problems come back as findings and the
/// model keeps everything that was well formed.
#[must_use]
pub fn parse(args: TokenStream) -> (Annotation, Vec<Finding>) {
    let mut annotation = Annotation::default();
    let mut findings = Vec::new();
    let metas = match entries(args) {
        Ok(metas) => metas,
        Err(e) => {
            findings.push(malformed(
                e.span(),
                format!("cannot read the annotation: {e}"),
                format!("write it as {GRAMMAR}"),
            ));
            return (annotation, findings);
        }
    };
    let mut once_seen: Vec<Argument> = Vec::new();
    for entry in metas {
        let meta = match entry {
            Entry::Meta(meta) => meta,
            Entry::Lit(lit) => {
                findings.push(malformed(
                    lit.span(),
                    "a bare literal is not an argument",
                    format!("name what it is, e.g. {GRAMMAR}"),
                ));
                continue;
            }
        };
        let name = name_of(meta.path());
        let span = path_span(meta.path());
        let Some(known) = Argument::from_name(&name) else {
            findings.push(Finding::new(
                Code::UnknownArgument,
                span,
                format!("unknown argument `{}`", suggest::shown(&name)),
                "the annotation has a fixed set of arguments, so a typo cannot silently drop a check",
                suggest::one_of(&name, &ARGUMENTS, "arguments", Quote::Backtick),
            ));
            continue;
        };
        if !annotation.written.contains(&known) {
            annotation.written.push(known);
        }
        if known.spec().once {
            if once_seen.contains(&known) {
                let known = known.name();
                findings.push(Finding::new(
                    Code::Duplicate,
                    span,
                    format!("`{known}` is given twice"),
                    format!("`{known}` may appear at most once in an annotation"),
                    format!("keep one `{known}`"),
                ));
                continue;
            }
            once_seen.push(known);
        }
        argument(known, &meta, span, &mut annotation, &mut findings);
    }
    (annotation, findings)
}

/// One well-named argument, read into the annotation.
fn argument(
    known: Argument,
    meta: &Meta,
    span: Span,
    annotation: &mut Annotation,
    findings: &mut Vec<Finding>,
) {
    match known {
        Argument::Pattern => push_id(meta, &mut annotation.patterns, findings),
        Argument::Cite => push_id(meta, &mut annotation.cites, findings),
        Argument::Implements => push_id(meta, &mut annotation.implements, findings),
        Argument::Novel => annotation.novel = string_value(meta, findings),
        Argument::Backend => annotation.backend = string_value(meta, findings),
        Argument::Crate => annotation.krate = parse_crate(meta, findings),
        Argument::Verify => parse_verify(meta, annotation, findings),
        Argument::Allow => parse_allow(meta, annotation, findings),
        Argument::Delegates => parse_delegates(meta, annotation, findings),
        Argument::Fields => parse_fields(meta, annotation, findings),
        Argument::Invariant => parse_invariant(meta, Phase::Invariant, annotation, findings),
        Argument::Ensures => parse_invariant(meta, Phase::Ensures, annotation, findings),
        Argument::Requires => {
            if let Some(id) = string_value(meta, findings)
                && let Some(e) = expr_arg(id, findings)
            {
                annotation.invariants.push(Invariant {
                    phase: Phase::Requires,
                    kind: Kind::Holds,
                    span,
                    operands: Operands::One(e),
                    upholds: None,
                    now: None,
                });
            }
        }
        Argument::Test => parse_test(meta, annotation, findings),
    }
}

#[cfg(test)]
mod tests;
