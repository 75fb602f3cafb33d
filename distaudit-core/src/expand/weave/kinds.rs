//! The code of each invariant kind: what it takes on entry and checks on exit. One function
//! per kind (the files to touch to add a kind are listed in the crate docs, "Contributing").

use super::Frame;
use super::snapshots::Snapshots;
use crate::analyze::{Check, When};
use crate::annotation::{ExprArg, Operands};
use crate::catalogue::Kind;
use crate::exprs::self_typed;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

/// A check's code: what runs on entry (with checks on) and on exit.
pub(super) struct Woven {
    pub entry: TokenStream,
    pub exit: TokenStream,
}

/// The code of one check.
pub(super) fn weave_check(
    frame: &Frame<'_>,
    check: &Check<'_>,
    index: usize,
    snapshots: &mut Snapshots,
) -> Woven {
    let site = Site::new(frame, check);
    match (&check.operands, check.invariant.kind) {
        (Operands::One(e), Kind::Monotonic | Kind::StrictlyIncreasing) => {
            compare(frame, check, &site, e, index, snapshots)
        }
        (Operands::One(e), Kind::NeverNone) => never_none(frame, check, &site, e, index, snapshots),
        (Operands::One(e), _) => holds(frame, check, &site, e),
        (Operands::KeyInRange { key, range }, _) => within(frame, check, &site, key, range),
    }
}

/// What names a check in its violation message, passed as four string arguments (the
/// module, the item, the invariant as written, what it upholds) rather than a `Site` struct
/// literal: `bench/compile/what_costs.py` (`site_as_args`) measured a literal per check
/// (promoted to a static of its own) as the larger cost to type-check and to hold in memory.
struct Site {
    args: TokenStream,
}

impl Site {
    fn new(frame: &Frame<'_>, check: &Check<'_>) -> Self {
        let name = &frame.item_name;
        let written = check.invariant.written();
        let upholds = check.label();
        let args = quote!(::core::module_path!(), #name, #written, #upholds);
        Site { args }
    }
}

/// A call of the runtime helper `helper` with the frame's owner type and `inferred` more
/// type arguments left to inference (`::<Self, _>`), spanned on the invariant so that the
/// panic's location is the annotation that failed.
fn helper(frame: &Frame<'_>, check: &Check<'_>, helper: &str, inferred: usize) -> TokenStream {
    helper_at(frame, helper, check.invariant.span, inferred)
}

/// [`helper`], spanned at `span`.
fn helper_at(frame: &Frame<'_>, helper: &str, span: Span, inferred: usize) -> TokenStream {
    let private = frame.private_at(span);
    let helper = syn::Ident::new(helper, span);
    let owner = &frame.owner;
    let rest = (0..inferred).map(|_| quote!(, _));
    quote_spanned!(span=> #private::#helper::<#owner #(#rest)*>)
}

/// The describer of a value, chosen where its type is concrete.
fn describer(frame: &Frame<'_>, value: &TokenStream) -> TokenStream {
    let private = &frame.private;
    quote!(#private::probe(#value).describer())
}

/// `monotonic` (after >= before) and `strictly_increasing` (after > before): one call of
/// the runtime's `not_decreased` or `increased`.
fn compare(
    frame: &Frame<'_>,
    check: &Check<'_>,
    site: &Site,
    e: &ExprArg,
    index: usize,
    snapshots: &mut Snapshots,
) -> Woven {
    let m = Span::mixed_site();
    let ex = &e.expr;
    // Spanned on the expression: a value that is not `Clone` or not `PartialOrd` is
    // reported on the string the user wrote.
    let es = e.text.span;
    let take = {
        let private = frame.private_at(es);
        quote_spanned!(es=> #private::snapshot(&(#ex)))
    };
    let fresh = format_ident!("distaudit_before_{}", index, span = m);
    let (before, snapshot) = snapshots.shared("value", ex, &fresh, &take, &frame.gate);
    let now = (frame.exit_expr)(ex);
    let name = if check.invariant.kind == Kind::Monotonic {
        "not_decreased"
    } else {
        "increased"
    };
    let call = {
        let private = frame.private_at(es);
        let name = syn::Ident::new(name, es);
        let owner = &frame.owner;
        quote_spanned!(es=> #private::#name::<#owner, _>)
    };
    let site = &site.args;
    let describe = describer(frame, &quote!(&#before));
    Woven {
        entry: snapshot,
        exit: quote! {
            #call(#site, &#before, &(#now), #describe);
        },
    }
}

/// `never_none`: only whether the value was `Some` matters, so a bool is snapshotted.
fn never_none(
    frame: &Frame<'_>,
    check: &Check<'_>,
    site: &Site,
    e: &ExprArg,
    index: usize,
    snapshots: &mut Snapshots,
) -> Woven {
    let ex = &e.expr;
    let take = quote_spanned!(e.text.span=> ::core::option::Option::is_some(&(#ex)));
    let fresh = format_ident!("distaudit_before_{}", index, span = Span::mixed_site());
    let (before, snapshot) = snapshots.shared("is_some", ex, &fresh, &take, &frame.gate);
    let now = (frame.exit_expr)(ex);
    let call = helper(frame, check, "stays_some", 0);
    let site = &site.args;
    Woven {
        entry: snapshot,
        exit: quote! {
            #call(#site, #before, ::core::option::Option::is_some(&(#now)));
        },
    }
}

/// `within(key, range)`: `start <= key < end`, when both are present. The key and the range
/// are read through `WithinKey` and `WithinRange`, spanned on the strings the user wrote, so
/// a text key or a pair of bounds is refused there in distaudit's words (D3.3, D2.2).
fn within(
    frame: &Frame<'_>,
    check: &Check<'_>,
    site: &Site,
    key: &ExprArg,
    range: &ExprArg,
) -> Woven {
    let (k, r) = ((frame.exit_expr)(&key.expr), (frame.exit_expr)(&range.expr));
    let key_bytes = {
        let (span, private) = (key.text.span, frame.private_at(key.text.span));
        quote_spanned!(span=> #private::WithinKey::within_key(&(#k)))
    };
    let range_bounds = {
        let (span, private) = (range.text.span, frame.private_at(range.text.span));
        quote_spanned!(span=> #private::WithinRange::within_range(&(#r)))
    };
    let call = helper(frame, check, "key_within", 0);
    let site = &site.args;
    Woven {
        entry: TokenStream::new(),
        exit: quote! {
            #call(#site, #key_bytes, #range_bounds);
        },
    }
}

/// `holds`: true on entry and on exit (`invariant`), on entry only (`requires`), or on exit
/// only (naming `ret` or `old`). A comparison reports both of its sides.
fn holds(frame: &Frame<'_>, check: &Check<'_>, site: &Site, e: &ExprArg) -> Woven {
    let gate = &frame.gate;
    let site = &site.args;
    // On exit a consumed `self` is read from its clone; on entry the expression is as written.
    let read = |expr: &syn::Expr, at_exit: bool| {
        if at_exit {
            (frame.exit_expr)(expr)
        } else {
            quote!(#expr)
        }
    };
    let test = |at_exit: bool, what: &str| -> TokenStream {
        let Some((left, op, right)) = comparison(&e.expr) else {
            let expr = read(&e.expr, at_exit);
            let call = helper(frame, check, "held", 0);
            // Bound to a `bool` first: an expression of another type is reported on the
            // literal, not on the whole attribute, and no lint reads a negation as the
            // user's code.
            let held = format_ident!("distaudit_held", span = Span::mixed_site());
            let bool_ty = quote_spanned!(e.text.span=> bool);
            return quote!({
                let #held: #bool_ty = #expr;
                #call(#site, #held, #what);
            });
        };
        let (left_typed, right_typed) = (self_typed(left), self_typed(right));
        let (left, right) = (read(left, at_exit), read(right, at_exit));
        if left_typed && right_typed {
            // One helper per operator compares the sides as the operator does, each side
            // evaluated once, as an argument: nothing bound here to type-check. Spanned on
            // the operator, so sides that cannot be compared are reported where it is
            // written.
            let span = op_span(op);
            let call = helper_at(frame, operator_helper(op), span, 2);
            let private = frame.private_at(span);
            let side =
                |value: TokenStream| quote_spanned!(span=> #private::probe(&(#value)).side());
            let (left, right) = (side(left), side(right));
            return quote! {
                #call(#site, #what, #left, #right);
            };
        }
        // A side whose type comes from the other (`None`): the sides are bound and
        // compared here first, so the describers are chosen for known types.
        let call = helper(frame, check, "held_sides", 2);
        let m = Span::mixed_site();
        let l = format_ident!("distaudit_left", span = m);
        let r = format_ident!("distaudit_right", span = m);
        let (dl, dr) = (describer(frame, &quote!(#l)), describer(frame, &quote!(#r)));
        quote! {
            match (&(#left), &(#right)) {
                (#l, #r) => #call(#site, *#l #op *#r, #what, #l, #dl, #r, #dr),
            }
        }
    };
    match check.when {
        When::Entry => Woven {
            entry: {
                let t = test(false, "false on entry: the caller broke the precondition");
                quote! { #gate #t }
            },
            exit: TokenStream::new(),
        },
        When::EntryAndExit => Woven {
            entry: {
                let t = test(false, "false on entry");
                quote! { #gate #t }
            },
            exit: test(true, "false on exit"),
        },
        When::EveryExit | When::Success => Woven {
            entry: TokenStream::new(),
            exit: test(true, "false on exit"),
        },
    }
}

/// The runtime helper that compares as `op` does.
fn operator_helper(op: &syn::BinOp) -> &'static str {
    match op {
        syn::BinOp::Lt(_) => "held_lt",
        syn::BinOp::Le(_) => "held_le",
        syn::BinOp::Gt(_) => "held_gt",
        syn::BinOp::Ge(_) => "held_ge",
        syn::BinOp::Eq(_) => "held_eq",
        // `comparison` admits only the six comparison operators.
        _ => "held_ne",
    }
}

/// Where the user wrote `op`.
fn op_span(op: &syn::BinOp) -> Span {
    syn::spanned::Spanned::span(op)
}

/// `a < b`, `a == b`, ...: the sides and the operator of a comparison.
pub(in crate::expand) fn comparison(
    expr: &syn::Expr,
) -> Option<(&syn::Expr, &syn::BinOp, &syn::Expr)> {
    match expr {
        syn::Expr::Binary(b)
            if matches!(
                b.op,
                syn::BinOp::Eq(_)
                    | syn::BinOp::Ne(_)
                    | syn::BinOp::Lt(_)
                    | syn::BinOp::Le(_)
                    | syn::BinOp::Gt(_)
                    | syn::BinOp::Ge(_)
            ) =>
        {
            Some((&b.left, &b.op, &b.right))
        }
        syn::Expr::Paren(p) => comparison(&p.expr),
        _ => None,
    }
}
