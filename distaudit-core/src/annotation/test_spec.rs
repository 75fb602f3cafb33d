//! `test` and `test(cases, steps, init, strategy(..), vacuous_ok, roles(..), without = "..",
//! because = "..")`: the generated property test an annotation asks for, and the attacking
//! steps of a state machine it names roles for or turns off.

use super::entries::{
    Entry, entries, entry_span, expr_arg, list_items, lit_str, name_of, name_value, string_value,
};
use super::{Annotation, ExprArg, Id, StateStrategy, TestSpec, ViewStrategy};
use crate::diag::{Code, Finding};
use crate::suggest;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Lit, Meta};

const EXAMPLE: &str = "`test` or `test(cases = 64, steps = 16, init = \"Registry::new()\", strategy(key = \"any::<Vec<u8>>()\"))`";
const ARGS: [&str; 9] = [
    "cases",
    "steps",
    "init",
    "strategy",
    "vacuous_ok",
    "roles",
    "without",
    "because",
    "with",
];
/// The roles `roles(..)` names, in the attacking steps of a state machine.
pub const ROLES: [&str; 9] = [
    "op", "fence", "shard", "expires", "now", "cursor", "split_at", "issued", "range",
];
/// The attacking steps `without = ".."` turns off.
pub const STEPS: [&str; 6] = ["fencing", "replay", "conflict", "lease", "cursor", "split"];
/// The fewest words a reason for turning a step off has.
const MIN_REASON_WORDS: usize = 3;

/// DA0024 for a malformed `test`.
fn bad(span: Span, what: String) -> Finding {
    Finding::new(
        Code::BadTest,
        span,
        what,
        "`test(..)` takes cases, steps, init, strategy(..), vacuous_ok, roles(..), without = \"..\", because = \"..\" and, on an impl, with = \"<Trait>\"",
        format!("write {EXAMPLE}"),
    )
}

/// `test`, as a flag or a list.
pub(super) fn parse_test(meta: &Meta, annotation: &mut Annotation, findings: &mut Vec<Finding>) {
    let mut spec = TestSpec {
        span: meta.path().span(),
        ..TestSpec::empty()
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
    for (step, because) in &spec.without {
        if because.is_none() {
            findings.push(unjustified(
                step.span,
                format!("`without = \"{}\"` gives no reason", step.value),
            ));
        }
    }
    annotation.test = Some(spec);
}

/// DA0052 for a step turned off without a reason, or with too short a one.
fn unjustified(span: Span, what: String) -> Finding {
    Finding::new(
        Code::BadTest,
        span,
        what,
        "an attacking step is the executable form of a pattern's violation scenario: turning one off is a decision a reviewer must be able to read",
        "follow it with `because = \"<why this step does not apply, in words>\"`, e.g. `without = \"replay\", because = \"op ids are deduplicated by the queue in front of it\"`",
    )
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
        ("roles", Meta::List(_)) => roles(m, spec, findings),
        ("without", Meta::NameValue(_)) => {
            if let Some(step) = string_value(m, findings) {
                if STEPS.contains(&step.value.as_str()) {
                    spec.without.push((step, None));
                } else {
                    let hint = match suggest::did_you_mean(&step.value, STEPS) {
                        Some(n) => format!("did you mean `{n}`? "),
                        None => String::new(),
                    };
                    findings.push(bad(
                        step.span,
                        format!(
                            "`without = \"{}\"` names no attacking step; {hint}the steps are {}",
                            step.value,
                            STEPS.join(", ")
                        ),
                    ));
                }
            }
        }
        ("with", Meta::NameValue(_)) => {
            if let Some(with) = string_value(m, findings) {
                let last = with.value.rsplit("::").next().unwrap_or_default().trim();
                if syn::parse_str::<syn::Ident>(last).is_ok() {
                    spec.with.push(with);
                } else {
                    findings.push(bad(
                        with.span,
                        format!(
                            "`with = \"{}\"` names no trait: it takes the trait of another audited impl of the type, e.g. `with = \"Admin\"`",
                            with.value
                        ),
                    ));
                }
            }
        }
        ("because", Meta::NameValue(_)) => {
            if let Some(reason) = string_value(m, findings) {
                because(reason, spec, findings);
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

/// `strategy(param = "expr", lease = from_state("f"), ..)`: one strategy per parameter.
fn strategies(m: &Meta, spec: &mut TestSpec, findings: &mut Vec<Finding>) {
    const S: &str = "`strategy(key = \"proptest::collection::vec(any::<u8>(), 0..8)\")`";
    for it in list_items(m, findings, S).unwrap_or_default() {
        if let Entry::Meta(Meta::NameValue(nv)) = &it
            && let Expr::Call(call) = &nv.value
        {
            let param = Id {
                value: name_of(&nv.path),
                span: nv.path.span(),
            };
            if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("view")) {
                if let Some(v) = view(param, call, findings)
                    && given(spec, &v.param, findings)
                {
                    spec.views.push(v);
                }
                continue;
            }
            if let Some(s) = from_state(param, call, findings)
                && given(spec, &s.param, findings)
            {
                spec.from_state.push(s);
            }
            continue;
        }
        if let Some((param, value)) = name_value(&it, findings, S)
            && let Some(e) = expr_arg(value, findings)
            && given(spec, &param, findings)
        {
            spec.strategies.push((param, e));
        }
    }
}

/// Whether `param` has no strategy yet (DA0024 when it has one).
fn given(spec: &TestSpec, param: &Id, findings: &mut Vec<Finding>) -> bool {
    let twice = spec.strategies.iter().any(|(p, _)| p.value == param.value)
        || spec.from_state.iter().any(|s| s.param.value == param.value)
        || spec.views.iter().any(|v| v.param.value == param.value);
    if twice {
        findings.push(bad(
            param.span,
            format!("strategy for `{}` is given twice", param.value),
        ));
    }
    !twice
}

/// How a view strategy is written, for the advice of a malformed one.
const VIEW: &str = "`strategy(update = view(\"testkit::owned_update()\", owner = \"OwnedUpdate\", with = \"OwnedUpdate::view\"))`, the owners drawn by a strategy or by `from_state(\"<fn(&Self)>\")`";

/// `view("<strategy of the owner>", owner = "<Type>", with = "<fn(&Owner) -> View>")`, the
/// value of `param = ..` in `strategy(..)`; the owners may be `from_state(..)` instead.
fn view(param: Id, call: &syn::ExprCall, findings: &mut Vec<Finding>) -> Option<ViewStrategy> {
    let refuse = |findings: &mut Vec<Finding>, span: Span, what: String| {
        findings.push(bad(span, format!("{what}; write {VIEW}")));
    };
    let mut args = call.args.iter();
    let owners = match args.next() {
        Some(e @ Expr::Lit(_)) => lit_str(e, "view", findings)
            .and_then(|id| expr_arg(id, findings))
            .map(|s| (Some(s), None)),
        // The owners drawn from the state; a malformed `from_state` reports itself.
        Some(Expr::Call(inner)) if matches!(&*inner.func, Expr::Path(p) if p.path.is_ident("from_state")) =>
        {
            return from_state(param.clone(), inner, findings).and_then(|s| {
                let owners = (s.otherwise, Some(s.function));
                view_of(param, owners, args, call, findings)
            });
        }
        _ => None,
    };
    let Some(owners) = owners else {
        refuse(
            findings,
            call.span(),
            format!(
                "`view(..)` for `{}` takes the owner's strategy first, as a string or as `from_state(\"<function>\")`",
                param.value
            ),
        );
        return None;
    };
    view_of(param, owners, args, call, findings)
}

/// The rest of `view(..)` after its owners: `owner = "<Type>"` and `with = "<fn>"`.
fn view_of<'a>(
    param: Id,
    (strategy, from_state): (Option<ExprArg>, Option<ExprArg>),
    args: impl Iterator<Item = &'a Expr>,
    call: &syn::ExprCall,
    findings: &mut Vec<Finding>,
) -> Option<ViewStrategy> {
    let refuse = |findings: &mut Vec<Finding>, span: Span, what: String| {
        findings.push(bad(span, format!("{what}; write {VIEW}")));
    };
    let (mut owner, mut with) = (None, None);
    for arg in args {
        let Expr::Assign(a) = arg else {
            refuse(
                findings,
                arg.span(),
                "`view(..)` takes `owner = \"..\"` and `with = \"..\"` after the strategy".into(),
            );
            return None;
        };
        let key = match &*a.left {
            Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
            _ => None,
        };
        let text = lit_str(&a.right, "view", findings)?;
        match key.as_deref() {
            Some("owner") => match syn::parse_str::<syn::Type>(&text.value) {
                Ok(ty) => {
                    let tokens =
                        crate::walk::respan(&quote::ToTokens::to_token_stream(&ty), text.span);
                    owner = syn::parse2::<syn::Type>(tokens).ok();
                }
                Err(e) => {
                    refuse(
                        findings,
                        text.span,
                        format!("`owner = \"{}\"` is not a type: {e}", text.value),
                    );
                    return None;
                }
            },
            Some("with") => with = expr_arg(text, findings),
            _ => {
                refuse(
                    findings,
                    a.left.span(),
                    "`view(..)` takes `owner` and `with`".into(),
                );
                return None;
            }
        }
    }
    let (Some(owner), Some(with)) = (owner, with) else {
        refuse(
            findings,
            call.span(),
            format!(
                "`view(..)` for `{}` needs both `owner = \"<Type>\"` and `with = \"<fn(&Owner) -> View>\"`",
                param.value
            ),
        );
        return None;
    };
    Some(ViewStrategy {
        param,
        strategy,
        from_state,
        owner,
        with,
    })
}

/// `from_state("path::to::f")` or `from_state("f", otherwise = "strategy expr")`, the value
/// of `param = ..` in `strategy(..)`.
fn from_state(
    param: Id,
    call: &syn::ExprCall,
    findings: &mut Vec<Finding>,
) -> Option<StateStrategy> {
    const S: &str = "`strategy(lease = from_state(\"testkit::live_leases\"))` or `from_state(\"testkit::live_leases\", otherwise = \"testkit::lease()\")`, the function taking `&Self` and returning a `BoxedStrategy`, an `Option` of one or a `Vec` of values";
    let named = matches!(&*call.func, Expr::Path(p) if p.path.is_ident("from_state"));
    let mut args = call.args.iter();
    let first = args.next().filter(|_| named);
    let function = match first {
        // An empty string reports itself; anything else but a string is reported here, once.
        Some(
            e @ Expr::Lit(syn::ExprLit {
                lit: Lit::Str(_), ..
            }),
        ) => lit_str(e, "from_state", findings)?,
        _ => {
            findings.push(Finding::new(
                Code::BadTest,
                call.span(),
                if named {
                    format!(
                        "`from_state(..)` for `{}` takes the function's path first, as a string",
                        param.value
                    )
                } else {
                    format!(
                        "the strategy of `{}` is neither a string nor `from_state(\"<function>\")`",
                        param.value
                    )
                },
                "a strategy is an expression in a string, drawn before the calls run, or a function of the receiver named by `from_state`, drawn just before its step",
                format!("write {S}"),
            ));
            return None;
        }
    };
    let function = expr_arg(function, findings)?;
    let mut otherwise = None;
    for arg in args {
        match arg {
            Expr::Assign(a)
                if otherwise.is_none()
                    && matches!(&*a.left, Expr::Path(p) if p.path.is_ident("otherwise")) =>
            {
                otherwise = Some(expr_arg(
                    lit_str(&a.right, "otherwise", findings)?,
                    findings,
                )?);
            }
            other => {
                findings.push(
                    bad(
                        other.span(),
                        "`from_state(..)` takes a function's path and, once, `otherwise = \"<strategy>\"`".into(),
                    )
                    .on(other),
                );
                return None;
            }
        }
    }
    Some(StateStrategy {
        param,
        function,
        otherwise,
    })
}

/// `because = ".."`: the reason of the `without` just before it.
fn because(reason: Id, spec: &mut TestSpec, findings: &mut Vec<Finding>) {
    let Some((step, slot)) = spec.without.last_mut().filter(|(_, b)| b.is_none()) else {
        findings.push(bad(
            reason.span,
            "`because` gives the reason of a `without = \"<step>\"` written just before it".into(),
        ));
        return;
    };
    if reason.value.split_whitespace().count() < MIN_REASON_WORDS {
        findings.push(unjustified(
            reason.span,
            format!(
                "the reason for `without = \"{}\"` is too short: `{}`",
                step.value, reason.value
            ),
        ));
    }
    *slot = Some(reason);
}

/// `roles(op = "op", fence = "lease.fence", ..)`: one expression per role.
fn roles(m: &Meta, spec: &mut TestSpec, findings: &mut Vec<Finding>) {
    const S: &str = "`roles(op = \"op\", fence = \"lease.fence\", shard = \"lease.shard\", expires = \"lease.deadline\", now = \"now\")`";
    for it in list_items(m, findings, S).unwrap_or_default() {
        let Some((role, value)) = name_value(&it, findings, S) else {
            continue;
        };
        if !ROLES.contains(&role.value.as_str()) {
            let hint = match suggest::did_you_mean(&role.value, ROLES) {
                Some(n) => format!("did you mean `{n}`? "),
                None => String::new(),
            };
            findings.push(bad(
                role.span,
                format!(
                    "`roles({} = ..)` names no role; {hint}the roles are {}",
                    role.value,
                    ROLES.join(", ")
                ),
            ));
        } else if spec.roles.iter().any(|(r, _)| r.value == role.value) {
            findings.push(bad(
                role.span,
                format!("role `{}` is given twice", role.value),
            ));
        } else if let Some(e) = expr_arg(value, findings) {
            spec.roles.push((role, e));
        }
    }
}
