//! `test` and `test(cases, steps, init, strategy(..), vacuous_ok)`: the generated property
//! test an annotation asks for.

use super::entries::{
    Entry, entries, entry_span, expr_arg, list_items, name_of, name_value, string_value,
};
use super::{Annotation, TestSpec};
use crate::diag::{Code, Finding};
use crate::suggest;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Lit, Meta};

const EXAMPLE: &str = "`test` or `test(cases = 64, steps = 16, init = \"Registry::new()\", strategy(key = \"any::<Vec<u8>>()\"))`";
const ARGS: [&str; 5] = ["cases", "steps", "init", "strategy", "vacuous_ok"];

/// DA0024 for a malformed `test`.
fn bad(span: Span, what: String) -> Finding {
    Finding::new(
        Code::BadTest,
        span,
        what,
        "`test(..)` takes cases, steps, init, strategy(..) and vacuous_ok",
        format!("write {EXAMPLE}"),
    )
}

/// `test`, as a flag or a list.
pub(super) fn parse_test(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
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
                match item {
                    Entry::Meta(m) => test_argument(m, &mut spec, findings),
                    Entry::Lit(_) => {
                        findings.push(bad(entry_span(item), "expected `name = value`".into()));
                    }
                }
            }
        }
    }
    annotation.test = Some(spec);
}

/// One argument of `test(..)`, into the spec.
fn test_argument(m: &Meta, spec: &mut TestSpec, findings: &mut Vec<Finding>) {
    let key = name_of(m.path());
    match (key.as_str(), m) {
        ("vacuous_ok", Meta::Path(_)) => {
            if std::mem::replace(&mut spec.vacuous_ok, true) {
                findings.push(bad(m.path().span(), "`vacuous_ok` is given twice".into()));
            }
        }
        ("cases" | "steps", Meta::NameValue(nv)) => {
            let slot = if key == "cases" {
                &mut spec.cases
            } else {
                &mut spec.steps
            };
            count(&key, nv, slot, findings);
        }
        ("init", Meta::NameValue(_)) => {
            if spec.init.is_some() {
                findings.push(bad(m.path().span(), "`init` is given twice".into()));
            } else if let Some(id) = string_value(m, findings) {
                spec.init = expr_arg(id, findings);
            }
        }
        ("strategy", Meta::List(_)) => strategies(m, spec, findings),
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

/// `cases = N` or `steps = N`: a positive integer literal, once.
fn count(key: &str, nv: &syn::MetaNameValue, slot: &mut Option<u32>, findings: &mut Vec<Finding>) {
    let n = match &nv.value {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse::<u32>().ok(),
        _ => None,
    };
    match n {
        Some(n) if n > 0 => {
            if slot.replace(n).is_some() {
                findings.push(bad(nv.path.span(), format!("`{key}` is given twice")));
            }
        }
        _ => findings.push(
            bad(
                nv.value.span(),
                format!("`{key}` takes a positive integer literal, e.g. `{key} = 64`"),
            )
            .on(&nv.value),
        ),
    }
}

/// `strategy(param = "expr", ..)`: one strategy per parameter.
fn strategies(m: &Meta, spec: &mut TestSpec, findings: &mut Vec<Finding>) {
    const S: &str = "`strategy(key = \"proptest::collection::vec(any::<u8>(), 0..8)\")`";
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
