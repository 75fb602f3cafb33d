//! The checks of an annotation: `invariant(..)` and `ensures(..)`, each holding one check
//! of a kind of the catalogue, optionally with the decision it `upholds` and, on a type, the
//! type of the call's logical time `now` it names.

use super::entries::{
    Entry, entries, entry_span, expr_arg, list_items, name_of, name_value, string_value,
};
use super::{Annotation, Id, Invariant, NowType, Operands, Phase};
use crate::catalogue::Kind;
use crate::diag::{Code, Finding};
use crate::suggest::{self, Quote};
use proc_macro2::Span;
use syn::Meta;
use syn::spanned::Spanned;

/// How a malformed check is reported, for one argument (`invariant` or `ensures`).
struct Wording {
    arg: &'static str,
    example: String,
    within_example: String,
}

impl Wording {
    fn of(phase: Phase) -> Wording {
        let arg = phase.argument().name();
        Wording {
            arg,
            example: format!(
                "`{arg}(monotonic = \"self.last_key\")` or `{arg}(within(key = \"k\", range = \"r\"))`"
            ),
            within_example: format!("`{arg}(within(key = \"key\", range = \"self.range\"))`"),
        }
    }

    /// DA0017 for this argument.
    fn bad(&self, span: Span, what: String, fix: String) -> Finding {
        Finding::new(
            Code::BadInvariant,
            span,
            what,
            format!(
                "each {}(..) holds one check ({}), optionally with `upholds = \"<decision>\"`",
                self.arg,
                Kind::names().join(", ")
            ),
            fix,
        )
    }
}

/// `invariant(kind = "expr", upholds = "..")` or `ensures(..)`: one check.
pub(super) fn parse_invariant(
    meta: &Meta,
    phase: Phase,
    annotation: &mut Annotation,
    findings: &mut Vec<Finding>,
) {
    let w = Wording::of(phase);
    let arg = w.arg;
    let Meta::List(list) = meta else {
        findings.push(w.bad(
            meta.path().span(),
            format!("`{arg}` takes a list"),
            format!("write {}", w.example),
        ));
        return;
    };
    let items = match entries(list.tokens.clone()) {
        Ok(items) => items,
        Err(e) => {
            findings.push(w.bad(
                e.span(),
                format!("cannot read `{arg}(..)`: {e}"),
                format!("write {}", w.example),
            ));
            return;
        }
    };
    let (extras, checks) = split_extras(&items, &w, findings);
    if checks.len() != 1 {
        findings.push(w.bad(
            list.path.span(),
            format!(
                "`{arg}(..)` holds exactly one check, found {}",
                checks.len()
            ),
            format!("write one `{arg}(..)` per check: {}", w.example),
        ));
        return;
    }
    let Entry::Meta(inner) = checks[0] else {
        findings.push(w.bad(
            entry_span(checks[0]),
            "expected `kind = \"expr\"`".into(),
            format!("write {}", w.example),
        ));
        return;
    };
    let kind_name = name_of(inner.path());
    let span = inner.path().span();
    let Some(kind) = Kind::from_name(&kind_name) else {
        findings.push(w.bad(
            span,
            format!("unknown invariant kind `{kind_name}`"),
            suggest::one_of(&kind_name, &Kind::names(), "kinds", Quote::Backtick),
        ));
        return;
    };
    let operands = if kind == Kind::Within {
        within(inner, span, &w, findings)
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
            upholds: extras.upholds,
            now: extras.now,
        });
    }
}

/// What a check's list says beside its check.
#[derive(Default)]
struct Extras {
    upholds: Option<Id>,
    now: Option<NowType>,
}

/// The `upholds = ".."` and `now = ".."` of a check's list (at most one each), and the
/// other entries.
fn split_extras<'e>(
    items: &'e [Entry],
    w: &Wording,
    findings: &mut Vec<Finding>,
) -> (Extras, Vec<&'e Entry>) {
    let mut extras = Extras::default();
    let mut checks = Vec::new();
    for item in items {
        match item {
            Entry::Meta(m) if name_of(m.path()) == "upholds" => {
                if extras.upholds.is_some() {
                    findings.push(w.bad(
                        m.path().span(),
                        "`upholds` is given twice".into(),
                        "name the one decision this check upholds".into(),
                    ));
                } else {
                    extras.upholds = string_value(m, findings);
                }
            }
            Entry::Meta(m) if name_of(m.path()) == "now" => {
                if extras.now.is_some() {
                    findings.push(w.bad(
                        m.path().span(),
                        "`now` is given twice".into(),
                        "name the type of the call's logical time once: `now = \"LogicalTime\"`".into(),
                    ));
                } else if let Some(text) = string_value(m, findings) {
                    match syn::parse_str::<syn::Type>(&text.value) {
                        Ok(ty) => {
                            let tokens = crate::walk::respan(
                                &quote::ToTokens::to_token_stream(&ty),
                                text.span,
                            );
                            extras.now = syn::parse2::<syn::Type>(tokens)
                                .ok()
                                .map(|ty| NowType { text, ty });
                        }
                        Err(e) => {
                            findings.push(w.bad(
                                text.span,
                                format!("`now = \"{}\"` is not a type: {e}", text.value),
                                "name the type of the call's logical time: `now = \"LogicalTime\"`".into(),
                            ));
                            // Written, though not a type: reported once, here, not again as
                            // missing (the finding blocks the expansion).
                            let ty = syn::Type::Verbatim(proc_macro2::TokenStream::new());
                            extras.now = Some(NowType { text, ty });
                        }
                    }
                }
            }
            other => checks.push(other),
        }
    }
    (extras, checks)
}

/// `within(key = "..", range = "..")`: both, once each.
fn within(inner: &Meta, span: Span, w: &Wording, findings: &mut Vec<Finding>) -> Option<Operands> {
    let example = &w.within_example;
    let items = list_items(inner, findings, example).unwrap_or_default();
    let (mut key, mut range) = (None, None);
    let mut wrote = (false, false);
    for it in &items {
        let Some((k, v)) = name_value(it, findings, example) else {
            continue;
        };
        let (slot, seen) = match k.value.as_str() {
            "key" => (&mut key, &mut wrote.0),
            "range" => (&mut range, &mut wrote.1),
            _ => {
                findings.push(w.bad(
                    k.span,
                    format!("`within` has no argument `{}`", k.value),
                    format!("write {example}"),
                ));
                continue;
            }
        };
        if *seen {
            findings.push(w.bad(
                k.span,
                format!("`{}` is given twice", k.value),
                format!("write {example}"),
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
                findings.push(w.bad(
                    span,
                    format!("`within` needs `{missing}`"),
                    format!("write {example}"),
                ));
            }
            None
        }
    }
}
