//! The annotation model: `#[coordination(..)]` arguments, parsed for form only.
//!
//! Parsing never consults the registry: it turns tokens into [`Annotation`] and reports
//! malformed input as findings. What the ids mean is resolved by [`crate::analyze`].

use crate::catalogue::{Kind, Role};
use crate::diag::{Code, Finding};
use crate::suggest::{self, Quote};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Lit, Meta, Token};

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
    /// The argument's name.
    #[must_use]
    pub fn argument(self) -> &'static str {
        match self {
            Phase::Invariant => "invariant",
            Phase::Ensures => "ensures",
            Phase::Requires => "requires",
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

/// `test` or `test(cases = N, steps = M, init = "..", strategy(p = ".."))`.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct TestSpec {
    pub span: Span,
    pub cases: Option<u32>,
    pub steps: Option<u32>,
    pub init: Option<ExprArg>,
    pub strategies: Vec<(Id, ExprArg)>,
    /// `vacuous_ok`: the test passes even when fewer than 5% of its calls are accepted.
    pub vacuous_ok: bool,
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
    pub written: Vec<&'static str>,
}

impl Annotation {
    /// Whether the argument `name` was written at all.
    #[must_use]
    pub fn wrote(&self, name: &str) -> bool {
        self.written.contains(&name)
    }
}

/// The argument names, for did-you-mean.
pub const ARGUMENTS: [&str; 14] = [
    "pattern",
    "cite",
    "implements",
    "invariant",
    "ensures",
    "requires",
    "novel",
    "verify",
    "allow",
    "backend",
    "fields",
    "test",
    "delegates",
    "crate",
];

/// The arguments whose analysis needs the annotated function's body as a syntax tree: an
/// `allow` is judged by what the body's scan finds. Checks and tests need no tree: they are
/// woven around the body's own tokens.
const BODY_ARGUMENTS: [&str; 1] = ["allow"];

/// Whether the arguments name one that needs the body (`BODY_ARGUMENTS`), read from the
/// tokens before any parsing (a cheap test, so the attribute can leave a body unparsed).
#[must_use]
pub fn needs_body(args: &TokenStream) -> bool {
    args.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(i) => BODY_ARGUMENTS.iter().any(|k| i == k),
        _ => false,
    })
}

const GRAMMAR: &str = "#[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]";

pub use crate::registry::{MIN_JUSTIFICATION_WORDS, justification_words};

fn malformed(span: Span, what: impl Into<String>, fix: impl Into<String>) -> Finding {
    Finding::new(
        Code::Malformed,
        span,
        what,
        "an annotation is a list of `name = \"value\"` arguments and `name(..)` groups (see the distaudit docs)",
        fix,
    )
}

/// One entry of an argument list: a meta item, or a literal where a name was expected.
#[allow(clippy::large_enum_variant)]
enum Entry {
    Meta(Meta),
    Lit(Lit),
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(Lit) {
            input.parse().map(Entry::Lit)
        } else {
            input.parse().map(Entry::Meta)
        }
    }
}

fn entries(tokens: TokenStream) -> syn::Result<Vec<Entry>> {
    if let Some(read) = entries_by_segment(&tokens) {
        return Ok(read);
    }
    // The general reading, which also words every error.
    Punctuated::<Entry, Token![,]>::parse_terminated
        .parse2(tokens)
        .map(|p| p.into_iter().collect())
}

/// The entries read one comma-separated segment at a time: `name = literal` (a gate's
/// `pattern = "..", cite = ".."`) and `name(..)` built as syn would parse them but without
/// its parser (for `name = literal`, its expression parser is most of the cost of reading
/// such an entry), and any other segment parsed by syn alone. `None` when a segment is empty or does not read as one entry (a comma
/// inside a closure or generic arguments splits a value): the caller then reads the whole
/// list as before, so what is accepted and every error are unchanged.
fn entries_by_segment(tokens: &TokenStream) -> Option<Vec<Entry>> {
    use proc_macro2::{Spacing, TokenTree};
    let mut out = Vec::new();
    let mut segment: Vec<TokenTree> = Vec::new();
    let mut trees = tokens.clone().into_iter().peekable();
    while trees.peek().is_some() {
        segment.clear();
        for tree in trees.by_ref() {
            if matches!(&tree, TokenTree::Punct(p) if p.as_char() == ',' && p.spacing() == Spacing::Alone)
            {
                break;
            }
            segment.push(tree);
        }
        out.push(match segment.as_slice() {
            [] => return None,
            [
                TokenTree::Ident(name),
                TokenTree::Punct(eq),
                TokenTree::Literal(lit),
            ] if eq.as_char() == '=' && eq.spacing() == Spacing::Alone => {
                Entry::Meta(Meta::NameValue(syn::MetaNameValue {
                    path: name.clone().into(),
                    eq_token: Token![=](eq.span()),
                    value: Expr::Lit(syn::ExprLit {
                        attrs: Vec::new(),
                        lit: Lit::new(lit.clone()),
                    }),
                }))
            }
            // `name(..)` (`invariant(..)`, `ensures(..)`): syn keeps a list's tokens as they
            // are, so this is its reading too.
            [TokenTree::Ident(name), TokenTree::Group(list)]
                if list.delimiter() == proc_macro2::Delimiter::Parenthesis =>
            {
                Entry::Meta(Meta::List(syn::MetaList {
                    path: name.clone().into(),
                    delimiter: syn::MacroDelimiter::Paren(syn::token::Paren {
                        span: list.delim_span(),
                    }),
                    tokens: list.stream(),
                }))
            }
            _ => syn::parse2::<Entry>(segment.iter().cloned().collect()).ok()?,
        });
    }
    Some(out)
}

/// Where an argument's name is: its identifier's span when it is one (syn's `Spanned` prints
/// the path to tokens to join its ends, for every entry).
fn path_span(path: &syn::Path) -> Span {
    match path.get_ident() {
        Some(ident) => ident.span(),
        None => path.span(),
    }
}

/// An argument's name: its single identifier (raw identifiers unraw'd, keywords such as
/// `crate` included), or the path as written when it has several segments.
fn name_of(path: &syn::Path) -> String {
    match path.get_ident() {
        Some(ident) => ident.unraw().to_string(),
        None => path
            .segments
            .iter()
            .map(|s| s.ident.unraw().to_string())
            .collect::<Vec<_>>()
            .join("::"),
    }
}

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

/// Parse the arguments of `#[distaudit::audit]`: nothing, or `test(cases, steps, init,
/// vacuous_ok)` for a state-machine test over the impl's methods.
#[must_use]
pub fn parse_audit(args: TokenStream) -> (Option<TestSpec>, Vec<Finding>) {
    let mut findings = Vec::new();
    if args.is_empty() {
        return (None, findings);
    }
    let metas = match entries(args) {
        Ok(m) => m,
        Err(e) => {
            findings.push(malformed(
                e.span(),
                format!("cannot read `#[distaudit::audit(..)]`: {e}"),
                "write `#[distaudit::audit]` or `#[distaudit::audit(test(init = \"..\"))]`",
            ));
            return (None, findings);
        }
    };
    let mut annotation = Annotation::default();
    for entry in metas {
        match entry {
            Entry::Meta(m) if name_of(m.path()) == "test" && annotation.test.is_none() => {
                parse_test(&m, &mut annotation, &mut findings);
            }
            other => findings.push(malformed(
                entry_span(&other),
                "`#[distaudit::audit]` takes only `test(..)`",
                "write `#[distaudit::audit(test(cases = 64, steps = 16, init = \"Coordinator::new()\"))]`; put other arguments on the #[coordination] annotations inside",
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
    (annotation.test, findings)
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
    let mut once_seen: Vec<&'static str> = Vec::new();
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
        let Some(known) = ARGUMENTS.iter().copied().find(|a| *a == name) else {
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
        let once = matches!(known, "novel" | "backend" | "fields" | "test" | "crate");
        if once {
            if once_seen.contains(&known) {
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
        match known {
            "pattern" => push_id(&meta, &mut annotation.patterns, &mut findings),
            "cite" => push_id(&meta, &mut annotation.cites, &mut findings),
            "implements" => push_id(&meta, &mut annotation.implements, &mut findings),
            "novel" => annotation.novel = string_value(&meta, &mut findings),
            "backend" => annotation.backend = string_value(&meta, &mut findings),
            "crate" => annotation.krate = parse_crate(&meta, &mut findings),
            "verify" => {
                if let Some(id) = string_value(&meta, &mut findings) {
                    match syn::LitStr::new(&id.value, id.span).parse::<syn::Path>() {
                        Ok(path) => annotation.verify.push(Verify { id, path }),
                        Err(_) => findings.push(malformed(
                            id.span,
                            format!("`verify = \"{}\"` is not a path to a test function", id.value),
                            "name the test as a path from this item's module, e.g. `verify = \"tests::lease_is_exclusive\"`",
                        )),
                    }
                }
            }
            "allow" => parse_allow(&meta, &mut annotation, &mut findings),
            "delegates" => parse_delegates(&meta, &mut annotation, &mut findings),
            "fields" => parse_fields(&meta, &mut annotation, &mut findings),
            "invariant" => parse_invariant(&meta, Phase::Invariant, &mut annotation, &mut findings),
            "ensures" => parse_invariant(&meta, Phase::Ensures, &mut annotation, &mut findings),
            "requires" => {
                if let Some(id) = string_value(&meta, &mut findings)
                    && let Some(e) = expr_arg(id, &mut findings)
                {
                    annotation.invariants.push(Invariant {
                        phase: Phase::Requires,
                        kind: Kind::Holds,
                        span,
                        operands: Operands::One(e),
                        upholds: None,
                    });
                }
            }
            _ => parse_test(&meta, &mut annotation, &mut findings),
        }
    }
    (annotation, findings)
}

/// `name = "value"` with a non-empty string value.
fn string_value(meta: &Meta, findings: &mut Vec<Finding>) -> Option<Id> {
    let name = name_of(meta.path());
    let nv = match meta {
        Meta::NameValue(nv) => nv,
        Meta::Path(p) => {
            findings.push(malformed(
                p.span(),
                format!("`{name}` needs a value"),
                format!("write `{name} = \"...\"`"),
            ));
            return None;
        }
        Meta::List(l) => {
            findings.push(malformed(
                l.path.span(),
                format!("`{name}` takes a value, not a list"),
                format!("write `{name} = \"...\"`, once per value"),
            ));
            return None;
        }
    };
    lit_str(&nv.value, &name, findings)
}

fn lit_str(value: &Expr, name: &str, findings: &mut Vec<Finding>) -> Option<Id> {
    match value {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            let v = s.value();
            if v.trim().is_empty() {
                findings.push(malformed(
                    s.span(),
                    format!("`{name}` is empty"),
                    format!("give `{name}` a value, or remove it"),
                ));
                None
            } else {
                Some(Id {
                    value: v,
                    span: s.span(),
                })
            }
        }
        other => {
            let shown = crate::suggest::shown(&other.to_token_stream().to_string());
            // What to put between the quotes: the text of a byte or C string, an identifier
            // or number as written, else a placeholder.
            let inner = match other {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::ByteStr(b),
                    ..
                }) => String::from_utf8_lossy(&b.value()).into_owned(),
                Expr::Lit(syn::ExprLit {
                    lit: Lit::CStr(c), ..
                }) => c.value().to_string_lossy().into_owned(),
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Int(i), ..
                }) => i.to_string(),
                Expr::Path(p) if p.path.get_ident().is_some() => shown.clone(),
                _ => "<value>".to_string(),
            };
            findings.push(
                malformed(
                    other.span(),
                    format!("`{name}` takes a string literal, found `{shown}`"),
                    format!("write `{name} = \"{}\"`", crate::suggest::shown(&inner)),
                )
                .on(other),
            );
            None
        }
    }
}

fn push_id(meta: &Meta, into: &mut Vec<Id>, findings: &mut Vec<Finding>) {
    if let Some(id) = string_value(meta, findings) {
        if into.iter().any(|x| x.value == id.value) {
            let name = name_of(meta.path());
            findings.push(Finding::new(
                Code::Duplicate,
                id.span,
                format!("`{name} = \"{}\"` is given twice", id.value),
                "a repeated id adds nothing and usually hides a typo elsewhere",
                "remove the repetition",
            ));
        } else {
            into.push(id);
        }
    }
}

fn parse_crate(meta: &Meta, findings: &mut Vec<Finding>) -> Option<(Id, syn::Path)> {
    let id = string_value(meta, findings)?;
    match syn::LitStr::new(&id.value, id.span).parse::<syn::Path>() {
        Ok(path) => Some((id, path)),
        Err(_) => {
            findings.push(malformed(
                id.span,
                format!("`crate = \"{}\"` is not a path", id.value),
                "name where distaudit is reachable, e.g. `crate = \"::my_facade::distaudit\"`",
            ));
            None
        }
    }
}

/// The entries inside `name(..)`.
fn list_items(meta: &Meta, findings: &mut Vec<Finding>, example: &str) -> Option<Vec<Entry>> {
    let name = name_of(meta.path());
    let Meta::List(list) = meta else {
        findings.push(malformed(
            meta.path().span(),
            format!("`{name}` takes a list"),
            format!("write {example}"),
        ));
        return None;
    };
    match entries(list.tokens.clone()) {
        Ok(items) if items.is_empty() => {
            findings.push(malformed(
                list.path.span(),
                format!("`{name}(..)` is empty"),
                format!("write {example}"),
            ));
            None
        }
        Ok(items) => Some(items),
        Err(e) => {
            findings.push(malformed(
                e.span(),
                format!("cannot read `{name}(..)`: {e}"),
                format!("write {example}"),
            ));
            None
        }
    }
}

fn entry_span(item: &Entry) -> Span {
    match item {
        Entry::Meta(m) => m.span(),
        Entry::Lit(l) => l.span(),
    }
}

fn name_value(item: &Entry, findings: &mut Vec<Finding>, example: &str) -> Option<(Id, Id)> {
    match item {
        Entry::Meta(Meta::NameValue(nv)) => {
            let key = name_of(&nv.path);
            let value = lit_str(&nv.value, &key, findings)?;
            Some((
                Id {
                    value: key,
                    span: nv.path.span(),
                },
                value,
            ))
        }
        other => {
            findings.push(malformed(
                entry_span(other),
                "expected `name = \"value\"` here",
                format!("write {example}"),
            ));
            None
        }
    }
}

fn parse_allow(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str =
        "`allow(wall_clock = \"metrics only: the reading never decides a lease\")`";
    let Some(items) = list_items(meta, findings, EXAMPLE) else {
        return;
    };
    for item in &items {
        if let Some((slug, justification)) = name_value(item, findings, EXAMPLE) {
            annotation.allows.push(Allow {
                slug,
                justification,
            });
        }
    }
}

fn parse_delegates(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str =
        "`delegates(decision = \"D2.4\", to = \"crate::coordinator::Coordinator::checkpoint\")`";
    let Some(items) = list_items(meta, findings, EXAMPLE) else {
        return;
    };
    let (mut decision, mut to) = (None, None);
    for item in &items {
        let Some((key, value)) = name_value(item, findings, EXAMPLE) else {
            continue;
        };
        let slot = match key.value.as_str() {
            "decision" => &mut decision,
            "to" => &mut to,
            _ => {
                findings.push(malformed(
                    key.span,
                    format!("`delegates` has no argument `{}`", key.value),
                    format!("write {EXAMPLE}"),
                ));
                continue;
            }
        };
        if slot.replace(value).is_some() {
            findings.push(malformed(
                key.span,
                format!("`{}` is given twice in `delegates(..)`", key.value),
                format!("write {EXAMPLE}"),
            ));
        }
    }
    match (decision, to) {
        (Some(decision), Some(to)) => {
            match syn::LitStr::new(&to.value, to.span).parse::<syn::Path>() {
                Ok(path) => annotation
                    .delegations
                    .push(Delegation { decision, to, path }),
                Err(_) => findings.push(malformed(
                    to.span,
                    format!("`to = \"{}\"` is not a path to an item", to.value),
                    format!("write {EXAMPLE}"),
                )),
            }
        }
        (decision, _) => findings.push(malformed(
            meta.path().span(),
            format!(
                "`delegates(..)` needs `{}`",
                if decision.is_none() { "decision" } else { "to" }
            ),
            format!("write {EXAMPLE}"),
        )),
    }
}

fn parse_fields(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str = "`fields(start = \"key_range_start\", end = \"key_range_end\")`";
    let Some(items) = list_items(meta, findings, EXAMPLE) else {
        return;
    };
    for item in &items {
        let Some((role_id, field)) = name_value(item, findings, EXAMPLE) else {
            continue;
        };
        let Some(role) = Role::from_name(&role_id.value) else {
            findings.push(Finding::new(
                Code::BadFields,
                role_id.span,
                format!("`fields(..)` has no role `{}`", role_id.value),
                "cursor structs have the roles last_key and token (D2.1); shard structs start and end (D2.2), or range for a struct that carries a shard range",
                suggest::one_of(&role_id.value, &Role::names(), "roles", Quote::Backtick),
            ));
            continue;
        };
        if annotation.fields.iter().any(|f| f.role == role) {
            findings.push(Finding::new(
                Code::Duplicate,
                role_id.span,
                format!("role `{role}` is given twice in `fields(..)`"),
                "each role is played by exactly one field",
                "keep one",
            ));
        } else if syn::parse_str::<syn::Ident>(&field.value).is_err()
            && field.value.parse::<u32>().is_err()
        {
            findings.push(Finding::new(
                Code::BadFields,
                field.span,
                format!("`{}` is not a field name", field.value),
                "a role names one field of the struct",
                "write the field's name, e.g. `last_key = \"resume_after\"`",
            ));
        } else if let Some(other) = annotation
            .fields
            .iter()
            .find(|f| same_field(&f.field.value, &field.value))
        {
            findings.push(Finding::new(
                Code::BadFields,
                field.span,
                format!(
                    "field `{}` is named for both `{}` and `{role}`",
                    field.value, other.role
                ),
                "each role is played by its own field: a range whose start is its end is empty",
                "name a different field for one of the roles",
            ));
        } else {
            annotation.fields.push(FieldRole {
                role,
                role_span: role_id.span,
                field,
            });
        }
    }
}

/// Whether two field names written in `fields(..)` name the same field (`r#type` is `type`).
fn same_field(a: &str, b: &str) -> bool {
    a.trim_start_matches("r#") == b.trim_start_matches("r#")
}

fn expr_arg(id: Id, findings: &mut Vec<Finding>) -> Option<ExprArg> {
    match syn::LitStr::new(&id.value, id.span).parse::<Expr>() {
        Ok(expr) => Some(ExprArg { text: id, expr }),
        Err(e) => {
            findings.push(Finding::new(
                Code::BadInvariant,
                id.span,
                format!("`{}` is not a Rust expression: {e}", id.value),
                "invariant and test arguments are Rust expressions over `self`, the parameters and `ret`",
                "write an expression such as `self.fence` or `self.records.get(&shard).map(|r| r.fence)`",
            ));
            None
        }
    }
}

fn parse_invariant(
    meta: &Meta,
    phase: Phase,
    annotation: &mut Annotation,
    findings: &mut Vec<Finding>,
) {
    let arg = phase.argument();
    let example = format!(
        "`{arg}(monotonic = \"self.last_key\")` or `{arg}(within(key = \"k\", range = \"r\"))`"
    );
    let within_example = format!("`{arg}(within(key = \"key\", range = \"self.range\"))`");
    let bad = |span: Span, what: String, fix: String| {
        Finding::new(
            Code::BadInvariant,
            span,
            what,
            format!(
                "each {arg}(..) holds one check ({}), optionally with `upholds = \"<decision>\"`",
                Kind::names().join(", ")
            ),
            fix,
        )
    };
    let Meta::List(list) = meta else {
        findings.push(bad(
            meta.path().span(),
            format!("`{arg}` takes a list"),
            format!("write {example}"),
        ));
        return;
    };
    let items = match entries(list.tokens.clone()) {
        Ok(items) => items,
        Err(e) => {
            findings.push(bad(
                e.span(),
                format!("cannot read `{arg}(..)`: {e}"),
                format!("write {example}"),
            ));
            return;
        }
    };
    let mut upholds: Option<Id> = None;
    let mut checks: Vec<&Entry> = Vec::new();
    for item in &items {
        match item {
            Entry::Meta(m) if name_of(m.path()) == "upholds" => {
                if upholds.is_some() {
                    findings.push(bad(
                        m.path().span(),
                        "`upholds` is given twice".into(),
                        "name the one decision this check upholds".into(),
                    ));
                } else {
                    upholds = string_value(m, findings);
                }
            }
            other => checks.push(other),
        }
    }
    if checks.len() != 1 {
        findings.push(bad(
            list.path.span(),
            format!(
                "`{arg}(..)` holds exactly one check, found {}",
                checks.len()
            ),
            format!("write one `{arg}(..)` per check: {example}"),
        ));
        return;
    }
    let Entry::Meta(inner) = checks[0] else {
        findings.push(bad(
            entry_span(checks[0]),
            "expected `kind = \"expr\"`".into(),
            format!("write {example}"),
        ));
        return;
    };
    let kind_name = name_of(inner.path());
    let span = inner.path().span();
    let Some(kind) = Kind::from_name(&kind_name) else {
        findings.push(bad(
            span,
            format!("unknown invariant kind `{kind_name}`"),
            suggest::one_of(&kind_name, &Kind::names(), "kinds", Quote::Backtick),
        ));
        return;
    };
    let operands = if kind == Kind::Within {
        let items = list_items(inner, findings, &within_example).unwrap_or_default();
        let (mut key, mut range) = (None, None);
        let mut wrote = (false, false);
        for it in &items {
            let Some((k, v)) = name_value(it, findings, &within_example) else {
                continue;
            };
            let (slot, seen) = match k.value.as_str() {
                "key" => (&mut key, &mut wrote.0),
                "range" => (&mut range, &mut wrote.1),
                _ => {
                    findings.push(bad(
                        k.span,
                        format!("`within` has no argument `{}`", k.value),
                        format!("write {within_example}"),
                    ));
                    continue;
                }
            };
            if *seen {
                findings.push(bad(
                    k.span,
                    format!("`{}` is given twice", k.value),
                    format!("write {within_example}"),
                ));
            } else {
                *seen = true;
                *slot = expr_arg(v, findings);
            }
        }
        match (key, range) {
            (Some(key), Some(range)) => Some(Operands::KeyInRange { key, range }),
            _ => {
                let complete = wrote.0 && wrote.1;
                if !items.is_empty() && !complete {
                    let missing = if wrote.0 { "range" } else { "key" };
                    findings.push(bad(
                        span,
                        format!("`within` needs `{missing}`"),
                        format!("write {within_example}"),
                    ));
                }
                None
            }
        }
    } else {
        string_value(inner, findings)
            .and_then(|id| expr_arg(id, findings))
            .map(Operands::One)
    };
    if let Some(operands) = operands {
        annotation.invariants.push(Invariant {
            phase,
            kind,
            operands,
            span,
            upholds,
        });
    }
}

fn parse_test(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str = "`test` or `test(cases = 64, steps = 16, init = \"Registry::new()\", strategy(key = \"any::<Vec<u8>>()\"))`";
    const ARGS: [&str; 5] = ["cases", "steps", "init", "strategy", "vacuous_ok"];
    let bad = |span: Span, what: String| {
        Finding::new(
            Code::BadTest,
            span,
            what,
            "`test(..)` takes cases, steps, init, strategy(..) and vacuous_ok",
            format!("write {EXAMPLE}"),
        )
    };
    let mut spec = TestSpec {
        span: meta.path().span(),
        cases: None,
        steps: None,
        init: None,
        strategies: Vec::new(),
        vacuous_ok: false,
    };
    match meta {
        Meta::Path(_) => {}
        Meta::NameValue(nv) => {
            findings.push(bad(
                nv.path.span(),
                "`test` is a flag or a list, not a value".into(),
            ));
            return;
        }
        Meta::List(list) => {
            let items = match entries(list.tokens.clone()) {
                Ok(items) => items,
                Err(e) => {
                    findings.push(bad(e.span(), format!("cannot read `test(..)`: {e}")));
                    return;
                }
            };
            for item in &items {
                let Entry::Meta(m) = item else {
                    findings.push(bad(entry_span(item), "expected `name = value`".into()));
                    continue;
                };
                let key = name_of(m.path());
                match (key.as_str(), m) {
                    ("vacuous_ok", Meta::Path(_)) => {
                        if std::mem::replace(&mut spec.vacuous_ok, true) {
                            findings
                                .push(bad(m.path().span(), "`vacuous_ok` is given twice".into()));
                        }
                    }
                    ("cases" | "steps", Meta::NameValue(nv)) => {
                        let n = match &nv.value {
                            Expr::Lit(syn::ExprLit {
                                lit: Lit::Int(i), ..
                            }) => i.base10_parse::<u32>().ok(),
                            _ => None,
                        };
                        match n {
                            Some(n) if n > 0 => {
                                let slot = if key == "cases" {
                                    &mut spec.cases
                                } else {
                                    &mut spec.steps
                                };
                                if slot.replace(n).is_some() {
                                    findings.push(bad(
                                        nv.path.span(),
                                        format!("`{key}` is given twice"),
                                    ));
                                }
                            }
                            _ => findings.push(
                                bad(
                                    nv.value.span(),
                                    format!(
                                        "`{key}` takes a positive integer literal, e.g. `{key} = 64`"
                                    ),
                                )
                                .on(&nv.value),
                            ),
                        }
                    }
                    ("init", Meta::NameValue(_)) => {
                        if spec.init.is_some() {
                            findings.push(bad(m.path().span(), "`init` is given twice".into()));
                        } else if let Some(id) = string_value(m, findings) {
                            spec.init = expr_arg(id, findings);
                        }
                    }
                    ("strategy", Meta::List(_)) => {
                        const S: &str =
                            "`strategy(key = \"proptest::collection::vec(any::<u8>(), 0..8)\")`";
                        for it in list_items(m, findings, S).unwrap_or_default() {
                            if let Some((param, value)) = name_value(&it, findings, S)
                                && let Some(e) = expr_arg(value, findings)
                            {
                                if spec.strategies.iter().any(|(p, _)| p.value == param.value) {
                                    findings.push(bad(
                                        param.span,
                                        format!("strategy for `{}` is given twice", param.value),
                                    ));
                                } else {
                                    spec.strategies.push((param, e));
                                }
                            }
                        }
                    }
                    _ => {
                        let hint = match suggest::did_you_mean(&key, ARGS) {
                            Some(n) => format!("; did you mean `{n}`?"),
                            None => String::new(),
                        };
                        findings.push(bad(
                            m.path().span(),
                            format!("unknown or malformed test argument `{key}`{hint}"),
                        ));
                    }
                }
            }
        }
    }
    annotation.test = Some(spec);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading a list a segment at a time gives exactly what syn's parser gives for the whole
    /// list, and leaves to it every list it cannot read that way.
    #[test]
    fn lists_read_by_segment_read_as_syn_reads_them() {
        let syn_entries = |t: TokenStream| -> Vec<Meta> {
            Punctuated::<Entry, Token![,]>::parse_terminated
                .parse2(t)
                .unwrap()
                .into_iter()
                .map(|e| match e {
                    Entry::Meta(m) => m,
                    Entry::Lit(_) => unreachable!(),
                })
                .collect()
        };
        for simple in [
            r#"pattern = "lease", cite = "gray-cheriton-1989""#,
            r#"pattern = "lease", cite = "gray-cheriton-1989","#,
            r#"r#type = "x", novel = "a \"quoted\" word", cite = r"raw", n = 3, b = b"x""#,
            r#"crate = "::distaudit""#,
            r#"pattern = "lease", invariant(monotonic = "self.c"), cite = "x", test"#,
            r#"ensures(holds = "ret > 0"), n = 1 + 2, f = |a| a"#,
            r#"r#ensures(within(key = "k", range = "r"), upholds = "D1"), test()"#,
            r#"a::b(x), c[y], d{z}"#,
        ] {
            let t: TokenStream = simple.parse().unwrap();
            let fast: Vec<Meta> = entries_by_segment(&t)
                .unwrap_or_else(|| panic!("{simple} reads by segment"))
                .into_iter()
                .map(|e| match e {
                    Entry::Meta(m) => m,
                    Entry::Lit(_) => unreachable!(),
                })
                .collect();
            assert_eq!(fast, syn_entries(t), "{simple}");
        }
        // Whole-list readings: a comma inside a value, an empty segment, a missing comma.
        for other in [
            "f = |a, b| a",
            "t = Vec::<u8, A>::new",
            r#"pattern = "lease",,"#,
            r#"pattern = "lease" cite = "x""#,
        ] {
            let t: TokenStream = other.parse().unwrap();
            assert!(entries_by_segment(&t).is_none(), "{other}");
        }
        assert!(entries_by_segment(&TokenStream::new()).is_some_and(|e| e.is_empty()));
    }
    use quote::quote;

    #[test]
    fn the_arguments_that_need_a_body_are_arguments() {
        for name in BODY_ARGUMENTS {
            assert!(ARGUMENTS.contains(&name), "{name}");
        }
        assert!(needs_body(&quote!(
            pattern = "p",
            allow(wall_clock = "a reason")
        )));
        assert!(!needs_body(&quote!(pattern = "p", invariant(holds = "x"))));
        assert!(!needs_body(&quote!(
            pattern = "p",
            cite = "c",
            verify = "t"
        )));
    }

    fn codes(args: TokenStream) -> Vec<Code> {
        parse(args).1.iter().map(|f| f.code).collect()
    }

    #[test]
    fn parses_every_argument() {
        let (a, f) = parse(quote!(
            pattern = "lease",
            pattern = "fencing",
            cite = "gray-cheriton-1989",
            implements = "D2.3",
            invariant(monotonic = "self.fence"),
            invariant(within(key = "k", range = "self.range")),
            invariant(holds = "self.ok()", upholds = "D2.5"),
            novel = "because",
            verify = "tests::t",
            allow(wall_clock = "metrics only, never decides"),
            backend = "etcd",
            fields(last_key = "resume"),
            test(
                cases = 8,
                steps = 4,
                init = "X::new()",
                strategy(k = "any::<u8>()")
            ),
            crate = "::facade::distaudit"
        ));
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(a.patterns.len(), 2);
        assert_eq!(a.invariants.len(), 3);
        assert_eq!(
            a.invariants[1].written(),
            "within(key = k, range = self.range)"
        );
        assert_eq!(a.invariants[2].upholds.as_ref().unwrap().value, "D2.5");
        assert_eq!(a.fields[0].role, Role::LastKey);
        let t = a.test.unwrap();
        assert_eq!((t.cases, t.steps), (Some(8), Some(4)));
        assert_eq!(t.strategies.len(), 1);
        assert!(a.krate.is_some());
    }

    #[test]
    fn malformed_input_is_reported_not_dropped() {
        assert_eq!(codes(quote!(pattern = lease)), [Code::Malformed]);
        assert_eq!(codes(quote!(pattern = "")), [Code::Malformed]);
        assert_eq!(codes(quote!(pattern = 3)), [Code::Malformed]);
        assert_eq!(codes(quote!("lease")), [Code::Malformed]);
        assert_eq!(codes(quote!(pattern)), [Code::Malformed]);
        assert_eq!(codes(quote!(patern = "lease")), [Code::UnknownArgument]);
        assert_eq!(codes(quote!(novel = "a", novel = "b")), [Code::Duplicate]);
        assert_eq!(codes(quote!(cite = "a", cite = "a")), [Code::Duplicate]);
        assert_eq!(
            codes(quote!(invariant(monotonik = "x"))),
            [Code::BadInvariant]
        );
        assert_eq!(
            codes(quote!(invariant(monotonic = "x +"))),
            [Code::BadInvariant]
        );
        assert_eq!(
            codes(quote!(invariant(within(key = "k")))),
            [Code::BadInvariant]
        );
        assert_eq!(
            codes(quote!(invariant(monotonic = "a", holds = "b"))),
            [Code::BadInvariant]
        );
        assert_eq!(codes(quote!(test(cases = 0))), [Code::BadTest]);
        assert_eq!(codes(quote!(test(case = 3))), [Code::BadTest]);
        assert_eq!(codes(quote!(fields(lastkey = "x"))), [Code::BadFields]);
        assert_eq!(
            codes(quote!(fields(start = "s", end = "s"))),
            [Code::BadFields]
        );
        assert_eq!(codes(quote!(verify = "not a path"))[0], Code::Malformed);
        assert_eq!(codes(quote!(pattern = "a" cite = "b")), [Code::Malformed]);
        assert_eq!(codes(quote!(crate = "not a path")), [Code::Malformed]);
    }

    #[test]
    fn a_malformed_argument_still_counts_as_written() {
        let (a, _) = parse(quote!(pattern = lease, cite = 1989));
        assert!(a.wrote("pattern") && a.wrote("cite"));
        assert!(a.patterns.is_empty() && a.cites.is_empty());
    }

    #[test]
    fn raw_identifiers_are_names() {
        let (a, f) = parse(quote!(r#pattern = "lease", fields(r#start = "r#type")));
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(a.patterns[0].value, "lease");
        assert_eq!(a.fields[0].role, Role::Start);
    }

    #[test]
    fn all_problems_are_reported_together() {
        let n = codes(quote!(patern = "lease", cite = 1, novel = "")).len();
        assert_eq!(n, 3);
    }
}
