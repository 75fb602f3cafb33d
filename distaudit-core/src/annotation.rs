//! The annotation model: `#[coordination(..)]` arguments, parsed for form only.
//!
//! Parsing never consults the registry: it turns tokens into [`Annotation`] and reports
//! malformed input as findings. Whether ids exist and fit together is for the rules.

use crate::diag::{Code, Finding};
use crate::suggest;
use darling::ast::NestedMeta;
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, Lit, Meta};

/// A string value as written, with the span of its literal.
#[derive(Clone, Debug)]
pub struct Id {
    pub value: String,
    pub span: Span,
}

/// `verify = "path::to::test"`.
#[derive(Clone, Debug)]
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

/// `fields(<role> = "<field>")`: one role.
#[derive(Clone, Debug)]
pub struct FieldRole {
    pub role: Id,
    pub field: Id,
}

/// An expression given as a string literal, parsed with the literal's span.
#[derive(Clone, Debug)]
pub struct ExprArg {
    pub text: Id,
    pub expr: Expr,
}

/// The kinds of generated runtime check.
#[derive(Clone, Debug)]
pub enum InvariantKind {
    /// after >= before.
    Monotonic(ExprArg),
    /// after > before.
    StrictlyIncreasing(ExprArg),
    /// once `Some`, stays `Some`.
    NeverNone(ExprArg),
    /// `range.contains_key(key)` on exit.
    Within { key: ExprArg, range: ExprArg },
    /// true on entry and on exit (exit only when it names `ret`).
    Holds(ExprArg),
}

/// Invariant kind names, for did-you-mean.
pub const INVARIANT_KINDS: [&str; 5] = [
    "monotonic",
    "strictly_increasing",
    "never_none",
    "within",
    "holds",
];

/// One `invariant(..)`.
#[derive(Clone, Debug)]
pub struct Invariant {
    pub kind: InvariantKind,
    /// The span of the kind name.
    pub span: Span,
}

impl Invariant {
    /// The kind's name as written in the annotation.
    #[must_use]
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            InvariantKind::Monotonic(_) => "monotonic",
            InvariantKind::StrictlyIncreasing(_) => "strictly_increasing",
            InvariantKind::NeverNone(_) => "never_none",
            InvariantKind::Within { .. } => "within",
            InvariantKind::Holds(_) => "holds",
        }
    }

    /// `monotonic(self.last_key)`, `within(key = k, range = r)`: as shown in docs and panics.
    #[must_use]
    pub fn written(&self) -> String {
        match &self.kind {
            InvariantKind::Monotonic(e)
            | InvariantKind::StrictlyIncreasing(e)
            | InvariantKind::NeverNone(e)
            | InvariantKind::Holds(e) => format!("{}({})", self.kind_name(), e.text.value),
            InvariantKind::Within { key, range } => {
                format!(
                    "within(key = {}, range = {})",
                    key.text.value, range.text.value
                )
            }
        }
    }

    /// The expressions the invariant evaluates.
    #[must_use]
    pub fn exprs(&self) -> Vec<&ExprArg> {
        match &self.kind {
            InvariantKind::Monotonic(e)
            | InvariantKind::StrictlyIncreasing(e)
            | InvariantKind::NeverNone(e)
            | InvariantKind::Holds(e) => vec![e],
            InvariantKind::Within { key, range } => vec![key, range],
        }
    }
}

/// `test` or `test(cases = N, steps = M, init = "..", strategy(p = ".."))`.
#[derive(Clone, Debug)]
pub struct TestSpec {
    pub span: Span,
    pub cases: Option<u32>,
    pub steps: Option<u32>,
    pub init: Option<ExprArg>,
    pub strategies: Vec<(Id, ExprArg)>,
}

/// Everything one `#[coordination(..)]` says.
#[derive(Clone, Debug, Default)]
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
}

impl Annotation {
    /// Whether `allow(<slug> = ..)` is present.
    #[must_use]
    pub fn allows(&self, slug: &str) -> bool {
        self.allows.iter().any(|a| a.slug.value == slug)
    }

    /// The field playing `role`, or `default`.
    #[must_use]
    pub fn field_for(&self, role: &str, default: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.role.value == role)
            .map_or_else(|| default.to_string(), |f| f.field.value.clone())
    }
}

/// The argument names, for did-you-mean.
pub const ARGUMENTS: [&str; 10] = [
    "pattern",
    "cite",
    "implements",
    "invariant",
    "novel",
    "verify",
    "allow",
    "backend",
    "fields",
    "test",
];

const GRAMMAR: &str = "#[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]";

fn malformed(span: Span, what: impl Into<String>, fix: impl Into<String>) -> Finding {
    Finding::new(
        Code::Malformed,
        span,
        what,
        "an annotation is a list of `name = \"value\"` arguments and `name(..)` groups (see the distaudit docs)",
        fix,
    )
}

/// Parse the attribute's arguments. Never fails: problems come back as findings and the
/// model keeps everything that was well formed.
#[must_use]
pub fn parse(args: TokenStream) -> (Annotation, Vec<Finding>) {
    let mut annotation = Annotation::default();
    let mut findings = Vec::new();
    let metas = match NestedMeta::parse_meta_list(args) {
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
    let mut once_seen: Vec<(&'static str, Span)> = Vec::new();
    for meta in metas {
        let meta = match meta {
            NestedMeta::Meta(meta) => meta,
            NestedMeta::Lit(lit) => {
                findings.push(malformed(
                    lit.span(),
                    "a bare literal is not an argument",
                    format!("name what it is, e.g. {GRAMMAR}"),
                ));
                continue;
            }
            NestedMeta::NameValueInvalidExpr(invalid) => {
                findings.push(malformed(
                    invalid.path.span(),
                    "the value of this argument is not a literal",
                    "give the value as a string literal: `name = \"value\"`",
                ));
                continue;
            }
        };
        let name = meta.path().to_token_stream().to_string().replace(' ', "");
        let span = meta.path().span();
        let once =
            |key: &'static str, seen: &mut Vec<(&'static str, Span)>, f: &mut Vec<Finding>| {
                if seen.iter().any(|(k, _)| *k == key) {
                    f.push(Finding::new(
                        Code::Duplicate,
                        span,
                        format!("`{key}` is given twice"),
                        format!("`{key}` may appear at most once in an annotation"),
                        format!("keep one `{key}`"),
                    ));
                    false
                } else {
                    seen.push((key, span));
                    true
                }
            };
        match name.as_str() {
            "pattern" => push_id(&meta, &mut annotation.patterns, &mut findings),
            "cite" => push_id(&meta, &mut annotation.cites, &mut findings),
            "implements" => push_id(&meta, &mut annotation.implements, &mut findings),
            "novel" => {
                if once("novel", &mut once_seen, &mut findings)
                    && let Some(id) = string_value(&meta, &mut findings)
                {
                    annotation.novel = Some(id);
                }
            }
            "backend" => {
                if once("backend", &mut once_seen, &mut findings)
                    && let Some(id) = string_value(&meta, &mut findings)
                {
                    annotation.backend = Some(id);
                }
            }
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
            "fields" => {
                if once("fields", &mut once_seen, &mut findings) {
                    parse_fields(&meta, &mut annotation, &mut findings);
                }
            }
            "invariant" => parse_invariant(&meta, &mut annotation, &mut findings),
            "test" => {
                if once("test", &mut once_seen, &mut findings) {
                    parse_test(&meta, &mut annotation, &mut findings);
                }
            }
            other => {
                let near = suggest::did_you_mean(other, ARGUMENTS);
                findings.push(Finding::new(
                    Code::UnknownArgument,
                    span,
                    format!("unknown argument `{other}`"),
                    "the annotation has a fixed set of arguments, so a typo cannot silently drop a check",
                    match near {
                        Some(n) => format!("did you mean `{n}`? the arguments are: {}", ARGUMENTS.join(", ")),
                        None => format!("the arguments are: {}", ARGUMENTS.join(", ")),
                    },
                ));
            }
        }
    }
    (annotation, findings)
}

/// `name = "value"` with a non-empty string value.
fn string_value(meta: &Meta, findings: &mut Vec<Finding>) -> Option<Id> {
    let name = meta.path().to_token_stream().to_string();
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
            let shown = other.to_token_stream().to_string();
            findings.push(malformed(
                other.span(),
                format!("`{name}` takes a string literal, found `{shown}`"),
                format!("write `{name} = \"{}\"`", shown.trim_matches('"')),
            ));
            None
        }
    }
}

fn push_id(meta: &Meta, into: &mut Vec<Id>, findings: &mut Vec<Finding>) {
    if let Some(id) = string_value(meta, findings) {
        if into.iter().any(|x| x.value == id.value) {
            let name = meta.path().to_token_stream().to_string();
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

/// The `name = value` entries inside `name(..)`.
fn list_items(meta: &Meta, findings: &mut Vec<Finding>, example: &str) -> Option<Vec<NestedMeta>> {
    let name = meta.path().to_token_stream().to_string();
    let Meta::List(list) = meta else {
        findings.push(malformed(
            meta.path().span(),
            format!("`{name}` takes a list"),
            format!("write {example}"),
        ));
        return None;
    };
    match NestedMeta::parse_meta_list(list.tokens.clone()) {
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

fn name_value(item: &NestedMeta, findings: &mut Vec<Finding>, example: &str) -> Option<(Id, Id)> {
    match item {
        NestedMeta::Meta(Meta::NameValue(nv)) => {
            let key = nv.path.to_token_stream().to_string().replace(' ', "");
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
                nested_span(other),
                "expected `name = \"value\"` here",
                format!("write {example}"),
            ));
            None
        }
    }
}

fn nested_span(item: &NestedMeta) -> Span {
    match item {
        NestedMeta::Meta(m) => m.span(),
        NestedMeta::Lit(l) => l.span(),
        NestedMeta::NameValueInvalidExpr(i) => i.path.span(),
    }
}

/// The least a justification must say: a few real words.
pub const MIN_JUSTIFICATION_WORDS: usize = 3;

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

/// Roles `fields(..)` accepts.
pub const FIELD_ROLES: [&str; 4] = ["last_key", "token", "start", "end"];

fn parse_fields(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str = "`fields(start = \"key_range_start\", end = \"key_range_end\")`";
    let Some(items) = list_items(meta, findings, EXAMPLE) else {
        return;
    };
    for item in &items {
        let Some((role, field)) = name_value(item, findings, EXAMPLE) else {
            continue;
        };
        if !FIELD_ROLES.contains(&role.value.as_str()) {
            let near = suggest::did_you_mean(&role.value, FIELD_ROLES);
            findings.push(Finding::new(
                Code::BadFields,
                role.span,
                format!("`fields(..)` has no role `{}`", role.value),
                "cursor structs have the roles last_key and token (D2.1); shard structs start and end (D2.2)",
                match near {
                    Some(n) => format!("did you mean `{n}`? roles: {}", FIELD_ROLES.join(", ")),
                    None => format!("roles: {}", FIELD_ROLES.join(", ")),
                },
            ));
        } else if annotation.fields.iter().any(|f| f.role.value == role.value) {
            findings.push(Finding::new(
                Code::Duplicate,
                role.span,
                format!("role `{}` is given twice in `fields(..)`", role.value),
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
        } else {
            annotation.fields.push(FieldRole { role, field });
        }
    }
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

fn parse_invariant(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str = "`invariant(monotonic = \"self.last_key\")` or `invariant(within(key = \"k\", range = \"r\"))`";
    let bad = |span: Span, what: String, fix: String| {
        Finding::new(
            Code::BadInvariant,
            span,
            what,
            "each invariant(..) holds one check: monotonic, strictly_increasing, never_none, within or holds",
            fix,
        )
    };
    let Meta::List(list) = meta else {
        findings.push(bad(
            meta.path().span(),
            "`invariant` takes a list".into(),
            format!("write {EXAMPLE}"),
        ));
        return;
    };
    let items = match NestedMeta::parse_meta_list(list.tokens.clone()) {
        Ok(items) => items,
        Err(e) => {
            findings.push(bad(
                e.span(),
                format!("cannot read `invariant(..)`: {e}"),
                format!("write {EXAMPLE}"),
            ));
            return;
        }
    };
    if items.len() != 1 {
        findings.push(bad(
            list.path.span(),
            format!(
                "`invariant(..)` holds exactly one check, found {}",
                items.len()
            ),
            format!("write one `invariant(..)` per check: {EXAMPLE}"),
        ));
        return;
    }
    let item = &items[0];
    let NestedMeta::Meta(inner) = item else {
        findings.push(bad(
            nested_span(item),
            "expected `kind = \"expr\"`".into(),
            format!("write {EXAMPLE}"),
        ));
        return;
    };
    let kind = inner.path().to_token_stream().to_string().replace(' ', "");
    let span = inner.path().span();
    let single = |findings: &mut Vec<Finding>| -> Option<ExprArg> {
        let id = string_value(inner, findings)?;
        expr_arg(id, findings)
    };
    let kind_model = match kind.as_str() {
        "monotonic" => single(findings).map(InvariantKind::Monotonic),
        "strictly_increasing" => single(findings).map(InvariantKind::StrictlyIncreasing),
        "never_none" => single(findings).map(InvariantKind::NeverNone),
        "holds" => single(findings).map(InvariantKind::Holds),
        "within" => {
            const WITHIN: &str = "`invariant(within(key = \"key\", range = \"self.range\"))`";
            let items = list_items(inner, findings, WITHIN).unwrap_or_default();
            let (mut key, mut range) = (None, None);
            for it in &items {
                let Some((k, v)) = name_value(it, findings, WITHIN) else {
                    continue;
                };
                let slot = match k.value.as_str() {
                    "key" => &mut key,
                    "range" => &mut range,
                    _ => {
                        findings.push(bad(
                            k.span,
                            format!("`within` has no argument `{}`", k.value),
                            format!("write {WITHIN}"),
                        ));
                        continue;
                    }
                };
                if slot.is_some() {
                    findings.push(bad(
                        k.span,
                        format!("`{}` is given twice", k.value),
                        format!("write {WITHIN}"),
                    ));
                } else {
                    *slot = expr_arg(v, findings);
                }
            }
            match (key, range) {
                (Some(key), Some(range)) => Some(InvariantKind::Within { key, range }),
                (key, range) => {
                    if !items.is_empty() && (key.is_none() || range.is_none()) {
                        let missing = if key.is_none() { "key" } else { "range" };
                        findings.push(bad(
                            span,
                            format!("`within` needs `{missing}`"),
                            format!("write {WITHIN}"),
                        ));
                    }
                    None
                }
            }
        }
        other => {
            let near = suggest::did_you_mean(other, INVARIANT_KINDS);
            findings.push(bad(
                span,
                format!("unknown invariant kind `{other}`"),
                match near {
                    Some(n) => format!("did you mean `{n}`? kinds: {}", INVARIANT_KINDS.join(", ")),
                    None => format!("kinds: {}", INVARIANT_KINDS.join(", ")),
                },
            ));
            None
        }
    };
    if let Some(kind) = kind_model {
        annotation.invariants.push(Invariant { kind, span });
    }
}

fn parse_test(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    const EXAMPLE: &str = "`test` or `test(cases = 64, steps = 16, init = \"Registry::new()\", strategy(key = \"any::<Vec<u8>>()\"))`";
    let bad = |span: Span, what: String| {
        Finding::new(
            Code::BadTest,
            span,
            what,
            "`test(..)` takes cases, steps, init and strategy(..)",
            format!("write {EXAMPLE}"),
        )
    };
    let mut spec = TestSpec {
        span: meta.path().span(),
        cases: None,
        steps: None,
        init: None,
        strategies: Vec::new(),
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
            let items = match NestedMeta::parse_meta_list(list.tokens.clone()) {
                Ok(items) => items,
                Err(e) => {
                    findings.push(bad(e.span(), format!("cannot read `test(..)`: {e}")));
                    return;
                }
            };
            for item in &items {
                let NestedMeta::Meta(m) = item else {
                    findings.push(bad(nested_span(item), "expected `name = value`".into()));
                    continue;
                };
                let key = m.path().to_token_stream().to_string();
                match (key.as_str(), m) {
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
                            _ => findings.push(bad(
                                nv.value.span(),
                                format!(
                                    "`{key}` takes a positive integer literal, e.g. `{key} = 64`"
                                ),
                            )),
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
                        let near =
                            suggest::did_you_mean(&key, ["cases", "steps", "init", "strategy"]);
                        findings.push(bad(
                            m.path().span(),
                            match near {
                                Some(n) if n != key => format!("unknown or malformed test argument `{key}`; did you mean `{n}`?"),
                                _ => format!("unknown or malformed test argument `{key}`"),
                            },
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
    use quote::quote;

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
            )
        ));
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(a.patterns.len(), 2);
        assert_eq!(a.invariants.len(), 2);
        assert_eq!(
            a.invariants[1].written(),
            "within(key = k, range = self.range)"
        );
        assert_eq!(a.field_for("last_key", "last_key"), "resume");
        let t = a.test.unwrap();
        assert_eq!((t.cases, t.steps), (Some(8), Some(4)));
        assert_eq!(t.strategies.len(), 1);
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
        assert_eq!(codes(quote!(verify = "not a path"))[0], Code::Malformed);
        assert_eq!(codes(quote!(pattern = "a" cite = "b")), [Code::Malformed]);
    }

    #[test]
    fn all_problems_are_reported_together() {
        let n = codes(quote!(patern = "lease", cite = 1, novel = "")).len();
        assert_eq!(n, 3);
    }
}
