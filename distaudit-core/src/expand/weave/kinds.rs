//! The code of each invariant kind: what it takes on entry and checks on exit. One function
//! per kind; adding a kind is a row in [`crate::catalogue::KINDS`] and a function here.

use super::Frame;
use super::snapshots::Snapshots;
use crate::analyze::{Check, When};
use crate::annotation::{ExprArg, Operands};
use crate::catalogue::Kind;
use crate::expand::at;
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
    let site = Site::new(frame, check, index);
    match (&check.operands, check.invariant.kind) {
        (Operands::One(e), Kind::Monotonic | Kind::StrictlyIncreasing) => {
            compare(frame, check, &site, e, index, snapshots)
        }
        (Operands::One(e), Kind::NeverNone) => never_none(frame, check, &site, e, index, snapshots),
        (Operands::One(e), _) => holds(frame, check, &site, e),
        (Operands::KeyInRange { key, range }, _) => within(frame, check, &site, key, range),
    }
}

/// The `static` that names a check in its violation message.
struct Site {
    ident: syn::Ident,
    item: TokenStream,
}

impl Site {
    fn new(frame: &Frame<'_>, check: &Check<'_>, index: usize) -> Self {
        let ident = format_ident!("DISTAUDIT_SITE_{}", index, span = Span::mixed_site());
        let private = &frame.private;
        let name = &frame.item_name;
        let written = check.invariant.written();
        let upholds = check.label();
        let item = quote! {
            static #ident: #private::Site = #private::Site {
                module: ::core::module_path!(),
                item: #name,
                invariant: #written,
                upholds: #upholds,
            };
        };
        Site { ident, item }
    }

    /// `violated(&SITE, owner, &detail)`, spanned on the invariant: the panic's location is
    /// the annotation that failed.
    fn violated(&self, frame: &Frame<'_>, check: &Check<'_>, detail: &TokenStream) -> TokenStream {
        let span = check.invariant.span;
        let (private, site, owner) = (at(&frame.private, span), &self.ident, &frame.owner_expr);
        quote_spanned!(span=> #private::violated(&#site, #owner, &#detail))
    }
}

/// `monotonic` (after >= before) and `strictly_increasing` (after > before).
fn compare(
    frame: &Frame<'_>,
    check: &Check<'_>,
    site: &Site,
    e: &ExprArg,
    index: usize,
    snapshots: &mut Snapshots,
) -> Woven {
    let runtime = &frame.runtime;
    let (private, owner, count, site_item, site_ident) = (
        &frame.private,
        &frame.owner_expr,
        &frame.count,
        &site.item,
        &site.ident,
    );
    let m = Span::mixed_site();
    let ex = &e.expr;
    // Spanned on the expression: a value that is not `Clone` or not `PartialOrd` is
    // reported on the string the user wrote.
    let es = e.text.span;
    let take = {
        let private = at(private, es);
        quote_spanned!(es=> #private::snapshot(&(#ex)))
    };
    let fresh = format_ident!("distaudit_before_{}", index, span = m);
    let (before, snapshot) = snapshots.shared(quote!(#ex).to_string(), &fresh, &take, &frame.gate);
    let after = format_ident!("distaudit_after", span = m);
    let now = (frame.exit_expr)(ex);
    let (ok, what) = if check.invariant.kind == Kind::Monotonic {
        (
            quote_spanned!(es=> ::core::cmp::PartialOrd::ge(#after, &#before)),
            "regressed",
        )
    } else {
        (
            quote_spanned!(es=> ::core::cmp::PartialOrd::gt(#after, &#before)),
            "did not increase",
        )
    };
    let inv_span = check.invariant.span;
    let (private, runtime) = (at(private, inv_span), at(runtime, inv_span));
    let report = quote_spanned!(inv_span=> #private::violated_compare(
        &#site_ident, #owner, #what, &#before, #after, #runtime::__describer!(&#before)
    ));
    Woven {
        entry: snapshot,
        exit: quote! {
            #site_item
            let #after = &(#now);
            if !(#ok) { #report }
            #count
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
    let (before, snapshot) = snapshots.shared(
        format!("is_some {}", quote!(#ex)),
        &fresh,
        &take,
        &frame.gate,
    );
    let now = (frame.exit_expr)(ex);
    let report = site.violated(frame, check, &quote!("went from Some to None"));
    let (site_item, count) = (&site.item, &frame.count);
    Woven {
        entry: snapshot,
        exit: quote! {
            #site_item
            if #before && ::core::option::Option::is_none(&(#now)) { #report }
            #count
        },
    }
}

/// `within(key, range)`: `start <= key < end`, when both are present.
fn within(
    frame: &Frame<'_>,
    check: &Check<'_>,
    site: &Site,
    key: &ExprArg,
    range: &ExprArg,
) -> Woven {
    let m = Span::mixed_site();
    let (private, runtime) = (&frame.private, &frame.runtime);
    let (k, r) = ((frame.exit_expr)(&key.expr), (frame.exit_expr)(&range.expr));
    let key_v = format_ident!("distaudit_key", span = m);
    let range_v = format_ident!("distaudit_range", span = m);
    let key_b = format_ident!("distaudit_key_bytes", span = m);
    let range_b = format_ident!("distaudit_range_bounds", span = m);
    let key_call = {
        let private = at(private, key.text.span);
        quote_spanned!(key.text.span=> (&#private::Wrap(#key_v)).da_key())
    };
    let range_call = {
        let private = at(private, range.text.span);
        quote_spanned!(range.text.span=> (&#private::Wrap(#range_v)).da_range())
    };
    let (site_ident, owner, site_item, count) =
        (&site.ident, &frame.owner_expr, &site.item, &frame.count);
    let report = {
        let span = check.invariant.span;
        let (private, runtime) = (at(private, span), at(runtime, span));
        quote_spanned!(span=> #private::violated_within(
            &#site_ident, #owner, #key_v, #runtime::__describer!(#key_v), #range_b
        ))
    };
    Woven {
        entry: TokenStream::new(),
        exit: quote! {
            #site_item
            {
                #[allow(unused_imports)]
                use #private::{KeyOf as _, OptKeyOf as _, OptRangeOf as _, RangeOf as _};
                let #key_v = &(#k);
                let #range_v = &(#r);
                let #key_b = #key_call;
                let #range_b = #range_call;
                if #private::within(#key_b, #range_b) == ::core::option::Option::Some(false) { #report }
            }
            #count
        },
    }
}

/// `holds`: true on entry and on exit (`invariant`), on entry only (`requires`), or on exit
/// only (naming `ret` or `old`). A comparison reports both of its sides.
fn holds(frame: &Frame<'_>, check: &Check<'_>, site: &Site, e: &ExprArg) -> Woven {
    let (gate, count, site_item) = (&frame.gate, &frame.count, &site.item);
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
            let report = site.violated(frame, check, &quote!(#what));
            // Bound to a `bool` first: an expression of another type is reported on the
            // literal, not on the whole attribute, and no lint reads the negation as the
            // user's code.
            let held = format_ident!("distaudit_held", span = Span::mixed_site());
            let bool_ty = quote_spanned!(e.text.span=> bool);
            return quote!({
                let #held: #bool_ty = #expr;
                if !#held { #report }
            });
        };
        let span = check.invariant.span;
        let (private, runtime) = (at(&frame.private, span), at(&frame.runtime, span));
        let (site_ident, owner) = (&site.ident, &frame.owner_expr);
        let m = Span::mixed_site();
        let l = format_ident!("distaudit_left", span = m);
        let r = format_ident!("distaudit_right", span = m);
        let (left, right) = (read(left, at_exit), read(right, at_exit));
        let report = quote_spanned!(span=> #private::violated_sides(
            &#site_ident, #owner, #what, #l, #runtime::__describer!(#l), #r, #runtime::__describer!(#r)
        ));
        // Each side is evaluated once, by reference, and compared as written.
        quote! {
            match (&(#left), &(#right)) {
                (#l, #r) => if !(*#l #op *#r) { #report }
            }
        }
    };
    let entry = |what: &str| {
        let t = test(false, what);
        quote! { #gate { #site_item #t #count } }
    };
    let exit = || {
        let t = test(true, "false on exit");
        quote! { #site_item #t #count }
    };
    match check.when {
        When::Entry => Woven {
            entry: entry("false on entry: the caller broke the precondition"),
            exit: TokenStream::new(),
        },
        When::EntryAndExit => Woven {
            entry: entry("false on entry"),
            exit: exit(),
        },
        When::EveryExit | When::Success => Woven {
            entry: TokenStream::new(),
            exit: exit(),
        },
    }
}

/// `a < b`, `a == b`, ...: the sides and the operator of a comparison.
fn comparison(expr: &syn::Expr) -> Option<(&syn::Expr, &syn::BinOp, &syn::Expr)> {
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
