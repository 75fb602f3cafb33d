//! Arguments that must fit the item they are on.

use super::Context;
use crate::annotation::TestSpec;
use crate::catalogue::{Kind, Role};
use crate::diag::{Code, Finding};
use crate::exprs::names_ident;
use crate::item::{Returns, Subject};
use crate::suggest::{self, Quote};
use syn::FnArg;

pub(super) fn arguments_applicable(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let a = ctx.annotation;
    let mut out = Vec::new();
    // The annotation being expanded is no longer among the item's attributes: another
    // one that is still there would expand again, under its name or the module's alias
    // (known where the front end sees the module: an audited one, or `cargo distaudit`).
    let site = &ctx.audit.item.site;
    let again =
        ctx.subject.attrs().iter().find(|attr| {
            crate::attribute::is_coordination(attr, &ctx.audit.runtime, &site.aliases)
        });
    if let Some(again) = again {
        out.push(Finding::new(
            Code::Duplicate,
            syn::spanned::Spanned::span(again),
            "`#[coordination]` is written twice on this item",
            "each annotation would add its own record and its own layer of checks",
            "merge the two annotations into one",
        ));
    }
    let shape = ctx.subject.shape();
    let is_type = matches!(ctx.subject, Subject::Struct(_) | Subject::Enum(_));
    if ctx.subject.as_fn().is_none() {
        for inv in &a.invariants {
            let type_invariant = is_type
                && inv.phase == crate::annotation::Phase::Invariant
                && matches!(inv.kind, Kind::Holds | Kind::Within)
                && !inv.exprs().iter().any(|e| names_ident(&e.expr, "ret"));
            if type_invariant {
                continue;
            }
            let (why, fix) = if is_type {
                (
                    "a type invariant is a property of every value of the type, checked after each `&mut self` method (against its value on entry, where it names `old(..)`) and constructor: it has no return value or caller",
                    type_invariant_fix(inv),
                )
            } else {
                (
                    "a check compares state on entry and on exit of a call",
                    "put the check on the function or method that changes the state".to_string(),
                )
            };
            out.push(Finding::new(
                Code::ArgumentNotApplicable,
                inv.span,
                format!("`{}` on a {shape}", inv.written()),
                why,
                fix,
            ));
        }
        if let Some(test) = &a.test {
            out.push(Finding::new(
                Code::ArgumentNotApplicable,
                test.span,
                format!("`test` on a {shape}: property tests call functions"),
                "a generated test calls the annotated function (or a method, in sequence) with arbitrary arguments",
                "put `test` on the function or method, inside an impl that carries `#[distaudit::audit]`",
            ));
        }
    }
    // `with` joins impls: it belongs on the impl that hosts the state machine.
    for w in a.test.iter().flat_map(|t| &t.with) {
        out.push(Finding::new(
            Code::BadTest,
            w.span,
            format!("`with = \"{}\"` on one item's `test`", w.value),
            "`with` names other audited impls of the type whose calls a state machine interleaves; a single item's test calls only it",
            "move it to the impl's `#[distaudit::audit(test(init = .., with = \"..\"))]`",
        ));
    }
    let typed = matches!(ctx.subject, Subject::Struct(_)) && !ctx.audit.roles.is_empty();
    if !typed && let Some(first) = a.fields.first() {
        out.push(Finding::new(
            Code::ArgumentNotApplicable,
            first.role_span,
            "`fields(..)` applies to a struct annotated `cursor` or `shard`",
            "fields(..) tells the D2.1/D2.2 shape checks which fields play which role",
            "remove `fields(..)`, or annotate the cursor or shard struct",
        ));
    }
    if typed {
        let roles: Vec<&str> = ctx.audit.roles.iter().map(|r| r.role.name()).collect();
        for f in &a.fields {
            if ctx.audit.role(f.role).is_none() {
                out.push(Finding::new(
                    Code::BadFields,
                    f.role_span,
                    format!("role `{}` does not apply to this struct's pattern", f.role),
                    "cursor structs have the roles last_key and token (D2.1); shard structs start and end (D2.2), or range for a struct that carries a shard range",
                    format!("roles here: {}", roles.join(", ")),
                ));
            }
        }
    }
    if let Subject::Enum(e) = ctx.subject
        && ctx.audit.has_pattern(Role::Start.pattern())
    {
        out.push(Finding::new(
            Code::ArgumentNotApplicable,
            e.ident.span(),
            format!("`pattern = \"shard\"` on enum `{}`: a shard range is a struct with start and end bounds", e.ident),
            "D2.2: a shard is a half-open [start, end) range, checked by the fields that hold its bounds",
            "annotate the struct that holds the bounds, or name the pattern the enum embodies (e.g. `state-machine`)",
        ));
    }
    out
}

/// Invariants a function can carry: not on a `const fn`, and a comparison of entry and
/// exit values cannot name `ret`, which has no entry value.
pub(super) fn invariants_fit(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(f) = ctx.subject.as_fn() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let (Some(_), Some(inv)) = (&f.sig.constness, ctx.annotation.invariants.first()) {
        out.push(Finding::new(
            Code::BadInvariant,
            inv.span,
            format!("`{}` is a `const fn`: runtime invariant checks cannot run in const evaluation", f.sig.ident),
            "a check snapshots values on entry and compares them on exit, which needs a runtime call",
            "drop `const`, or move the invariant to the non-const function that calls it",
        ));
    }
    if let syn::ReturnType::Type(_, ty) = &f.sig.output
        && matches!(**ty, syn::Type::Never(_))
        && let Some(inv) = ctx.annotation.invariants.first()
    {
        out.push(Finding::new(
            Code::BadInvariant,
            inv.span,
            format!(
                "`{}` never returns (`-> !`): there is no exit to check",
                f.sig.ident
            ),
            "checks run when a call returns",
            "check the state before the call, in its caller, or drop the checks here",
        ));
    }
    let ret_param = f.sig.inputs.iter().find_map(|a| match a {
        FnArg::Typed(pt) => crate::exprs::pat_ident(&pt.pat)
            .filter(|i| crate::item::ident_text(i) == "ret")
            .map(|_| pt),
        FnArg::Receiver(_) => None,
    });
    if let Some(param) = ret_param
        && ctx
            .annotation
            .invariants
            .iter()
            .any(|inv| inv.exprs().iter().any(|e| names_ident(&e.expr, "ret")))
    {
        out.push(Finding::new(
            Code::BadInvariant,
            syn::spanned::Spanned::span(&param.pat),
            format!("`{}` has a parameter named `ret`, which checks read as the return value", f.sig.ident),
            "in a check, `ret` is the value the function returns; a parameter of that name would be shadowed silently",
            "rename the parameter (e.g. `retries`)",
        ));
    }
    for inv in &ctx.annotation.invariants {
        for e in inv.exprs() {
            if let Some(what) = crate::exprs::side_effect(&e.expr) {
                out.push(Finding::new(
                    Code::BadInvariant,
                    e.text.span,
                    format!("`{}` {what}", crate::suggest::shown(&e.text.value)),
                    "a check must not change state: it runs only when checks are on, so debug and release builds would behave differently",
                    "read the state without changing it",
                ));
            }
        }
    }
    for inv in &ctx.annotation.invariants {
        if inv.kind.spec().compares_entry_and_exit
            && inv.exprs().iter().any(|e| names_ident(&e.expr, "ret"))
        {
            out.push(Finding::new(
                Code::BadInvariant,
                inv.span,
                format!("`{}` compares entry and exit values, but `ret` has no entry value", inv.written()),
                "monotonic, strictly_increasing and never_none compare a value on entry with the same value on exit",
                "name the state the return value comes from (e.g. `self.fence`), or use `ensures(holds = \"ret > old(self.fence)\")`",
            ));
        }
        out.extend(old_and_ret_fit(inv));
    }
    out
}

/// `now = "<Type>"` names the type of the call's logical time for a type's invariant, which
/// has no parameters of its own: it is needed where such a check names `now`, and applies
/// nowhere else.
pub(super) fn now_fits(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let is_type = matches!(ctx.subject, Subject::Struct(_) | Subject::Enum(_));
    let mut out = Vec::new();
    for inv in &ctx.annotation.invariants {
        let names_now = inv
            .exprs()
            .iter()
            .any(|e| crate::exprs::names_free(&e.expr, "now"));
        let on_type = is_type && inv.phase == crate::annotation::Phase::Invariant;
        match &inv.now {
            Some(now) if !on_type => out.push(Finding::new(
                Code::BadInvariant,
                now.text.span,
                format!("`now = \"{}\"` on a check of a {}", now.text.value, ctx.subject.shape()),
                "`now = ..` gives a type's invariant, which has no parameters, the type of the logical time of the method that just ran; a function's checks name its own parameter `now`",
                "remove `now = ..`: the check reads the function's parameter as it is",
            )),
            Some(now) if !names_now => out.push(Finding::new(
                Code::BadInvariant,
                now.text.span,
                format!("`now = \"{}\"`, but `{}` does not name `now`", now.text.value, inv.written()),
                "`now = ..` binds the call's logical time for a check that reads it",
                "name `now` in the check, or remove `now = ..`",
            )),
            None if on_type && names_now => out.push(Finding::new(
                Code::BadInvariant,
                inv.span,
                format!("`{}` names `now`, the call's logical time, without its type", inv.written()),
                "a type's invariant has no parameters: `now` is the logical time passed to the `&mut self` method that just ran, and the check needs its type to read it (methods without a parameter `now` of that type do not check it)",
                "add the type of the methods' `now` parameter to the group: `invariant(holds = \"..\", now = \"LogicalTime\")`",
            )),
            _ => {}
        }
    }
    out
}

/// The fix of a check a type cannot state: a comparison with the entry value, written as
/// `holds` over the check's own expression where it has one.
fn type_invariant_fix(inv: &crate::annotation::Invariant) -> String {
    let op = match inv.kind {
        Kind::Monotonic => Some(">="),
        Kind::StrictlyIncreasing => Some(">"),
        _ => None,
    };
    let exprs = inv.exprs();
    match (op, exprs.as_slice()) {
        (Some(op), [one]) => {
            let e = &one.text.value;
            format!(
                "a type compares with the value on entry as `old(..)`: `invariant(holds = \"{e} {op} old({e})\")`, checked after every `&mut self` method of its audited impls"
            )
        }
        _ => "write it as `invariant(holds = \"..\")` or `invariant(within(..))` over `self`, comparing with the entry value as `old(..)` (`holds = \"self.fence >= old(self.fence)\"`); put `ensures` and `requires` on the methods".to_string(),
    }
}

/// `old(..)` means the entry value, so it belongs in checks made on exit; `ret` exists only
/// on exit.
fn old_and_ret_fit(inv: &crate::annotation::Invariant) -> Vec<Finding> {
    use crate::annotation::Phase;
    let bad = |span, what: String, why: &str, fix: &str| {
        Finding::new(Code::BadInvariant, span, what, why, fix)
    };
    let mut out = Vec::new();
    for e in inv.exprs() {
        if inv.phase == Phase::Requires && names_ident(&e.expr, "ret") {
            out.push(bad(
                e.text.span,
                format!("`requires = \"{}\"` names `ret`", e.text.value),
                "a precondition is checked on entry, before there is a return value",
                "state what the caller must provide, or move the condition to `ensures(holds = \"..\")`",
            ));
        }
        for old in crate::exprs::old_calls(&e.expr) {
            let problem = if inv.phase == Phase::Requires {
                Some((
                    "`old(..)` in `requires`: on entry every value is its entry value",
                    "drop `old(..)` and name the value itself",
                ))
            } else if inv.kind.spec().compares_entry_and_exit {
                Some((
                    "`old(..)` in a check that already compares entry and exit values",
                    "name the value itself (e.g. `monotonic = \"self.fence\"`), or write the comparison with `ensures(holds = \"self.fence > old(self.fence)\")`",
                ))
            } else if old.arg.is_none() {
                Some((
                    "`old(..)` takes exactly one expression",
                    "write `old(<expr>)`, e.g. `old(self.fence)`",
                ))
            } else if old.nested {
                Some((
                    "`old(..)` inside `old(..)`",
                    "write `old(<expr>)` once around the value read on entry",
                ))
            } else if old.arg.as_ref().is_some_and(|a| names_ident(a, "ret")) {
                Some((
                    "`old(..)` of `ret`: the return value has no entry value",
                    "compare `ret` with the entry value of the state it comes from, e.g. `ret > old(self.fence)`",
                ))
            } else {
                None
            };
            if let Some((what, fix)) = problem {
                out.push(bad(
                    old.span,
                    format!("{what}: `{}`", e.text.value),
                    "`old(<expr>)` is the value of <expr> on entry, read by a check made on exit (`ensures(..)`, `invariant(holds = ..)`)",
                    fix,
                ));
            }
        }
    }
    out
}

/// A method `#[async_trait]` has already rewritten (it returns a boxed future bound by
/// `'async_trait`) runs its body after it returns: checks woven there would run before the
/// body. The order that works puts distaudit's attribute outside `#[async_trait]`.
pub(super) fn not_after_async_trait(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(f) = ctx.subject.as_fn() else {
        return Vec::new();
    };
    if !crate::level::rewritten_by_async_trait(&f.sig) || ctx.annotation.invariants.is_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        Code::UnsupportedItem,
        f.sig.ident.span(),
        format!(
            "`{}` was rewritten by `#[async_trait]` before distaudit saw it: its checks would run before its body",
            f.sig.ident
        ),
        "checks run when the call completes; after `#[async_trait]` the method returns a boxed future that has not run yet",
        "put `#[distaudit::audit]` above `#[async_trait::async_trait]` on the impl (and on the trait), so distaudit weaves the `async fn` first",
    )]
}

pub(super) fn ret_has_value(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(f) = ctx.subject.as_fn() else {
        return Vec::new();
    };
    if ctx.audit.item.returns != Some(Returns::Unit) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for inv in &ctx.annotation.invariants {
        for e in inv.exprs() {
            if names_ident(&e.expr, "ret") {
                out.push(Finding::new(
                    Code::RetWithoutValue,
                    e.text.span,
                    format!("`{}` names `ret`, but `{}` returns nothing", e.text.value, f.sig.ident),
                    "`ret` is the returned value (the `Ok`/`Some` value for `Result`/`Option`)",
                    "check the state the function changes instead (e.g. `self.fence`), or return the value",
                ));
            }
        }
    }
    out
}

pub(super) fn test_possible(ctx: &Context<'_, '_>) -> Vec<Finding> {
    let (Some(f), Some(test)) = (ctx.subject.as_fn(), &ctx.annotation.test) else {
        return Vec::new();
    };
    let mut out = match f.sig.receiver() {
        Some(r) => method_test(ctx, f, r, test),
        None => function_test(ctx, f, test),
    };
    if f.sig
        .generics
        .params
        .iter()
        .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
    {
        out.push(bad_test(
            f.sig.generics.span_of(),
            format!(
                "`test` on generic `{}`: the test cannot choose types",
                f.sig.ident
            ),
            "annotate a concrete wrapper with `test`, or drop `test` here",
        ));
    }
    out.extend(parameters_generable(f, test));
    out.extend(strategies_name_parameters(f, test));
    out
}

/// DA0024 for a test that cannot be generated.
fn bad_test(span: proc_macro2::Span, what: String, fix: &str) -> Finding {
    Finding::new(
        Code::BadTest,
        span,
        what,
        "a generated property test calls the item with arbitrary arguments; the woven-in invariant checks are its oracle",
        fix,
    )
}

/// `test` on a method: hosted by an audit, a borrowing receiver, and a way to build one.
fn method_test(
    ctx: &Context<'_, '_>,
    f: &syn::ItemFn,
    r: &syn::Receiver,
    test: &TestSpec,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if !ctx.audit.item.site.hosted {
        out.push(Finding::new(
            Code::BadTest,
            test.span,
            format!("`test` on method `{}`, whose test no enclosing `#[distaudit::audit]` hosts", f.sig.ident),
            "Rust runs #[test] only on free functions, so an impl carrying `#[distaudit::audit]` hosts its methods' tests; it hosts the methods whose attribute it recognises: `#[coordination]`, `#[distaudit::coordination]`, or a `use distaudit::coordination as ..` alias written in the audited inline module",
            "put `#[distaudit::audit]` on the enclosing impl block, and write the attribute as `#[coordination(..)]` or `#[distaudit::coordination(..)]` (or put the alias's `use` inside a `#[distaudit::audit]` module)",
        ));
    }
    if matches!(
        r.kind,
        syn::ReceiverKind::Value | syn::ReceiverKind::Typed(..)
    ) {
        out.push(bad_test(
            r.self_token.span,
            "`test` needs a `&self` or `&mut self` receiver: calls run in sequence on one value"
                .into(),
            "test a method that borrows the receiver",
        ));
    }
    if test.init.is_none() && !ctx.audit.item.site.impl_init {
        out.push(bad_test(
            test.span,
            format!("`test` on method `{}` needs `init`: the macro cannot know how to build `Self`", f.sig.ident),
            "add `test(init = \"<expression giving the initial value>\")`, e.g. `init = \"Coordinator::new(8)\"`, or `#[distaudit::audit(test(init = \"..\"))]` on the impl",
        ));
    }
    out
}

/// `test` on a function without a receiver: called once per case, and not in an impl.
fn function_test(ctx: &Context<'_, '_>, f: &syn::ItemFn, test: &TestSpec) -> Vec<Finding> {
    let mut out = Vec::new();
    if test.init.is_some() || test.steps.is_some() {
        out.push(bad_test(
            test.span,
            "`init` and `steps` apply to methods; a free function is called once per case".into(),
            "remove `init` and `steps`",
        ));
    }
    if ctx.audit.item.site.hosted {
        out.push(bad_test(
            test.span,
            format!(
                "`test` on associated function `{}` without a receiver",
                f.sig.ident
            ),
            "test a method (`&self`/`&mut self`) or move the function out of the impl",
        ));
    }
    out
}

/// Each parameter's values can be generated: no `impl Trait`, and a borrowed view (which
/// has no `Arbitrary`) has a strategy. Said before rustc reports four trait errors about
/// proptest.
fn parameters_generable(f: &syn::ItemFn, test: &TestSpec) -> Vec<Finding> {
    let mut out = Vec::new();
    for arg in &f.sig.inputs {
        if let FnArg::Typed(pt) = arg
            && crate::item::mentions_impl_trait(&pt.ty)
        {
            out.push(bad_test(
                pt.ty_span(),
                "`test` cannot generate values of an `impl Trait` parameter".into(),
                "take a concrete type, or drop `test` here",
            ));
        }
    }
    for arg in &f.sig.inputs {
        let FnArg::Typed(pt) = arg else { continue };
        let Some(param) = crate::exprs::pat_ident(&pt.pat) else {
            continue;
        };
        let name = crate::item::ident_text(param);
        let has_strategy = test
            .strategies
            .iter()
            .map(|(p, _)| p)
            .chain(test.from_state.iter().map(|s| &s.param))
            .chain(test.views.iter().map(|v| &v.param))
            .any(|p| p.value.trim_start_matches("r#") == name);
        if !has_strategy && borrows_a_view(&pt.ty) {
            let ty = &pt.ty;
            let shown = quote::quote!(#ty).to_string().replace(" ", "");
            out.push(bad_test(
                syn::spanned::Spanned::span(&*pt.ty),
                format!("`test` cannot make values of `{name}: {shown}`, a borrowed view with no `Arbitrary`"),
                &format!(
                    "draw it from an owner the call holds: `test(strategy({name} = view(\"<strategy of the owner>\", owner = \"<Owner>\", with = \"<fn(&Owner) -> the view>\")))`, or give `{name}` a strategy that builds it from owned data, or test the function that owns the data"
                ),
            ));
        }
    }
    out
}

/// Each `strategy(param = ..)` names a parameter of the function.
fn strategies_name_parameters(f: &syn::ItemFn, test: &TestSpec) -> Vec<Finding> {
    let params: Vec<String> = f
        .sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            FnArg::Typed(pt) => crate::exprs::pat_ident(&pt.pat).map(crate::item::ident_text),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let param_names: Vec<&str> = params.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    let named = test
        .strategies
        .iter()
        .map(|(p, _)| p)
        .chain(test.views.iter().map(|v| &v.param));
    for param in named {
        if !param_names.contains(&param.value.trim_start_matches("r#")) {
            out.push(bad_test(
                param.span,
                format!(
                    "`strategy({} = ..)`: `{}` has no parameter `{}`",
                    param.value, f.sig.ident, param.value
                ),
                &suggest::one_of(&param.value, &param_names, "parameters", Quote::Backtick),
            ));
        }
    }
    out
}

/// Whether a parameter's type (past one reference) carries a lifetime argument.
fn borrows_a_view(ty: &syn::Type) -> bool {
    let inner = match ty {
        syn::Type::Reference(r) => &*r.elem,
        other => other,
    };
    let syn::Type::Path(p) = inner else {
        return false;
    };
    p.path.segments.iter().any(|s| {
        matches!(&s.arguments, syn::PathArguments::AngleBracketed(a)
            if a.args.iter().any(|g| matches!(g, syn::GenericArgument::Lifetime(_))))
    })
}

trait SpanOf {
    fn span_of(&self) -> proc_macro2::Span;
}

impl SpanOf for syn::Generics {
    fn span_of(&self) -> proc_macro2::Span {
        self.lt_token
            .map_or_else(proc_macro2::Span::call_site, |t| t.span)
    }
}

trait TySpan {
    fn ty_span(&self) -> proc_macro2::Span;
}

impl TySpan for syn::PatType {
    fn ty_span(&self) -> proc_macro2::Span {
        syn::spanned::Spanned::span(&*self.ty)
    }
}

/// The findings `#[distaudit::audit(test(..))]` gets once the impl's methods are known:
/// `init` missing, or no method with `test` to interleave. The attribute and
/// `cargo distaudit` both ask this.
#[must_use]
pub fn machine_test_findings(
    span: proc_macro2::Span,
    has_init: bool,
    methods_with_test: usize,
) -> Vec<Finding> {
    if !has_init {
        vec![Finding::new(
            Code::BadTest,
            span,
            "`#[distaudit::audit(test(..))]` needs `init`",
            "the state-machine test calls the impl's methods in sequence on one receiver, built afresh for every case",
            "add `init = \"<expression giving the initial value>\"`",
        )]
    } else if methods_with_test == 0 {
        vec![Finding::new(
            Code::BadTest,
            span,
            "`#[distaudit::audit(test(..))]` but no method of the impl carries `test`",
            "the state-machine test interleaves the methods that carry `test`, with their strategies",
            "add `test` (with its `strategy(..)`) to the #[coordination] of the methods to interleave",
        )]
    } else {
        Vec::new()
    }
}

/// DA0052 for a generated test in a build without the test machinery: what the runtime's
/// `__require_test_feature!` says (its text is written from this finding by the facade's
/// build script).
#[must_use]
pub fn test_feature_off() -> Finding {
    Finding::new(
        Code::BadTest,
        proc_macro2::Span::call_site(),
        "generated property tests need the `proptest` feature in test builds",
        "distaudit's test machinery (proptest) is optional, so that `cargo build` compiles none of it",
        "add `distaudit = { version = \"0.1\", features = [\"proptest\"] }` under [dev-dependencies]",
    )
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::rules::test_support::codes;
    use quote::quote;

    const L: &str = "lease";

    #[test]
    fn invariants_and_tests_need_a_function() {
        let c = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                invariant(monotonic = "self.x"),
                test
            ),
            quote!(
                struct S {
                    x: u64,
                }
            ),
        );
        assert_eq!(
            c,
            [Code::ArgumentNotApplicable, Code::ArgumentNotApplicable]
        );
        let _ = L;
    }

    /// A type's invariant may compare with the value on entry (`old(..)`, checked after each
    /// `&mut self` method), but has no `ret`: issue 21, workaround 10.
    #[test]
    fn a_type_invariant_may_name_old_but_not_ret() {
        let ty = quote!(
            struct S {
                x: u64,
            }
        );
        let history = codes(
            quote!(
                pattern = "fencing",
                cite = "burrows-2006",
                invariant(holds = "self.x >= old(self.x)")
            ),
            ty.clone(),
        );
        assert_eq!(history, []);
        let ret = codes(
            quote!(
                pattern = "fencing",
                cite = "burrows-2006",
                invariant(holds = "self.x >= ret")
            ),
            ty,
        );
        assert_eq!(ret, [Code::ArgumentNotApplicable]);
    }

    /// A second `#[coordination]` is the attribute as the engine recognises it everywhere
    /// else: `r#coordination` and `distaudit::coordination` are, another crate's
    /// `coordination` attribute is not.
    #[test]
    fn a_second_annotation_is_the_one_the_engine_recognises() {
        let args = quote!(pattern = "lease", cite = "gray-cheriton-1989");
        for again in [
            quote!(#[coordination(pattern = "lease", cite = "gray-cheriton-1989")]),
            quote!(#[r#coordination(pattern = "lease", cite = "gray-cheriton-1989")]),
            quote!(#[distaudit::coordination(pattern = "lease", cite = "gray-cheriton-1989")]),
        ] {
            let c = codes(args.clone(), quote!(#again fn renew() {}));
            assert!(c.contains(&Code::Duplicate), "{again}: {c:?}");
        }
        let c = codes(
            args.clone(),
            quote!(
                #[other_crate::coordination(region = "eu")]
                fn renew() {}
            ),
        );
        assert!(!c.contains(&Code::Duplicate), "{c:?}");
        // A renamed runtime (`crate = ".."`) is recognised by its name.
        let c = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                crate = "::dist"
            ),
            quote!(
                #[dist::coordination(pattern = "lease", cite = "gray-cheriton-1989")]
                fn renew() {}
            ),
        );
        assert!(c.contains(&Code::Duplicate), "{c:?}");
    }

    /// Under the enclosing module's alias, a second annotation is a duplicate where the
    /// front end knows the alias, and some other attribute where it does not.
    #[test]
    fn a_second_annotation_under_the_module_alias_is_a_duplicate() {
        use crate::analyze::Site;
        use crate::pipeline::{Analysis, item_tokens as analyze_tokens};
        let registry = crate::registry::default_registry().expect("default registry");
        let duplicate = |aliases: Vec<String>| {
            let site = Site {
                aliases,
                ..Site::default()
            };
            let found = match analyze_tokens(
                registry,
                quote!(pattern = "lease", cite = "gray-cheriton-1989"),
                quote!(
                    #[coord(pattern = "lease", cite = "gray-cheriton-1989")]
                    fn renew() {}
                ),
                &site,
            ) {
                Analysis::Ready { findings, .. } | Analysis::Refused(findings) => findings,
            };
            found.iter().any(|f| f.code == Code::Duplicate)
        };
        assert!(duplicate(vec!["coord".into()]));
        assert!(!duplicate(Vec::new()));
        assert!(!duplicate(vec!["c".into()]));
    }

    #[test]
    fn ret_needs_a_value() {
        let c = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                invariant(holds = "ret > 0")
            ),
            quote!(
                fn f(&self) {}
            ),
        );
        assert_eq!(c, [Code::RetWithoutValue]);
        let c = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                invariant(holds = "ret > 0")
            ),
            quote!(
                fn f(&self) -> u64 {
                    1
                }
            ),
        );
        assert!(c.is_empty());
    }

    #[test]
    fn invariants_fit_the_function() {
        let c = codes(
            quote!(
                pattern = "fencing",
                cite = "burrows-2006",
                invariant(strictly_increasing = "ret")
            ),
            quote!(
                fn f(&self) -> u64 {
                    1
                }
            ),
        );
        assert_eq!(c, [Code::BadInvariant]);
        let c = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                invariant(holds = "x > 0")
            ),
            quote!(
                const fn f(x: u64) -> u64 {
                    x
                }
            ),
        );
        assert_eq!(c, [Code::BadInvariant]);
    }

    #[test]
    fn method_tests_need_audit_and_init() {
        let c = codes(
            quote!(pattern = "lease", cite = "gray-cheriton-1989", test),
            quote!(
                fn f(&mut self, k: u8) {}
            ),
        );
        assert_eq!(c, [Code::BadTest, Code::BadTest]);
        let c = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                test(strategy(q = "any::<u8>()"))
            ),
            quote!(
                fn f(k: u8) {}
            ),
        );
        assert_eq!(c, [Code::BadTest]);
        let c = codes(
            quote!(pattern = "lease", cite = "gray-cheriton-1989", test),
            quote!(
                fn f<T>(k: T) {}
            ),
        );
        assert_eq!(c, [Code::BadTest]);
        assert!(
            codes(
                quote!(pattern = "lease", cite = "gray-cheriton-1989", test),
                quote!(
                    fn f(k: u8) {}
                )
            )
            .is_empty()
        );
    }

    #[test]
    fn fields_apply_to_typed_structs() {
        let c = codes(
            quote!(
                pattern = "lease",
                cite = "gray-cheriton-1989",
                fields(start = "a")
            ),
            quote!(
                struct S {
                    a: Vec<u8>,
                }
            ),
        );
        assert_eq!(c, [Code::ArgumentNotApplicable]);
    }
}
