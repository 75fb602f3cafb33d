//! Weaving checks into a function: owned snapshots on entry, the original body run in place
//! (or as a closure or `async` block when it can leave early, so every exit comes back
//! here), checks on exit.
//!
//! - [`guards`]: which parameters and receiver an exit check needs saved on entry;
//! - [`snapshots`]: one entry snapshot per distinct expression;
//! - [`kinds`]: the code of each invariant kind.

mod guards;
mod kinds;
pub(super) use kinds::comparison;
mod snapshots;

use super::env::{Checks, Decided};
use crate::analyze::{Audit, When};
use crate::item::Returns;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ReturnType;

/// What every check's code needs to know about the function it is woven into.
pub(super) struct Frame<'a> {
    /// The runtime's path (`::distaudit`, or the renamed crate).
    pub runtime: &'a syn::Path,
    /// `::distaudit::__private` (or the renamed crate's).
    pub private: TokenStream,
    /// The attribute that keeps check statements out of builds without checks:
    /// `#[cfg(any(debug_assertions, test))]` by default, nothing when checks always run.
    /// A built-in cfg: the user's `unexpected_cfgs` lint has nothing to say.
    pub gate: TokenStream,
    /// `Type::method` or the function's name.
    pub item_name: String,
    /// The type a violation names the item by: `Self` where the macro cannot see the type
    /// (the runtime names it with `type_name` on failure only), else `()` (none).
    pub owner: TokenStream,
    /// Rewrites an expression for the exit (a consumed `self` is read from its clone).
    pub exit_expr: &'a dyn Fn(&syn::Expr) -> TokenStream,
}

impl Frame<'_> {
    /// `<runtime>::__private` spanned on `span`: rustc's notes about a call then point at
    /// what the user wrote.
    pub fn private_at(&self, span: Span) -> TokenStream {
        super::tokens::private_at(self.runtime, span)
    }
}

/// The checks woven into a function's body, which `#[tracing::instrument]` (written above
/// the annotation) may have moved into `let __tracing_instrument_future = async move {..};`:
/// woven around the whole body, a check would read `self` after the `async move` block took
/// it (E0382), so they are woven around that block's own body instead, which is the
/// function's. `None` when nothing is woven.
pub(super) fn weave_body(
    sig: &syn::Signature,
    body: &proc_macro2::Group,
    exits_early: impl FnOnce() -> bool,
    audit: &Audit<'_>,
    opts: &Decided,
) -> Option<TokenStream> {
    let Some(at) = instrumented_future(body) else {
        return weave(sig, body, exits_early, audit, opts);
    };
    replaced(body, at, |inner| {
        innermost_async(inner, &mut |block| {
            weave(
                sig,
                block,
                || crate::exprs::body_may_exit_early(block),
                audit,
                opts,
            )
        })
    })
}

/// `group`'s tokens with the group at index `at` rewritten by `rewrite` (its new contents),
/// or `None` when `rewrite` changes nothing.
fn replaced(
    group: &proc_macro2::Group,
    at: usize,
    rewrite: impl FnOnce(&proc_macro2::Group) -> Option<TokenStream>,
) -> Option<TokenStream> {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = group.stream().into_iter().collect();
    let Some(TokenTree::Group(inner)) = trees.get(at) else {
        return None;
    };
    let mut block = proc_macro2::Group::new(inner.delimiter(), rewrite(inner)?);
    block.set_span(inner.span());
    Some(
        trees
            .into_iter()
            .enumerate()
            .map(|(n, tree)| {
                if n == at {
                    TokenTree::Group(block.clone())
                } else {
                    tree
                }
            })
            .collect(),
    )
}

/// The contents of `block` rewritten by `weave` at its innermost `async move { .. }`: with
/// `ret` or `err`, `#[tracing::instrument]` nests the body once more (`let x = async move
/// { .. }.await;`).
fn innermost_async(
    block: &proc_macro2::Group,
    weave: &mut dyn FnMut(&proc_macro2::Group) -> Option<TokenStream>,
) -> Option<TokenStream> {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = block.stream().into_iter().collect();
    let nested = trees.windows(3).position(|w| {
        matches!((&w[0], &w[1], &w[2]), (TokenTree::Ident(a), TokenTree::Ident(m), TokenTree::Group(g))
            if a == "async" && m == "move" && g.delimiter() == proc_macro2::Delimiter::Brace)
    });
    match nested {
        Some(n) => replaced(block, n + 2, |inner| innermost_async(inner, weave)),
        None => weave(block),
    }
}

/// Where `#[tracing::instrument]` put an `async fn`'s body: the index, among the body's
/// tokens, of the block in `let __tracing_instrument_future = async move { .. };`.
fn instrumented_future(body: &proc_macro2::Group) -> Option<usize> {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = body.stream().into_iter().collect();
    let at = trees
        .iter()
        .position(|t| matches!(t, TokenTree::Ident(i) if i == "__tracing_instrument_future"))?;
    let is = |n: usize, word: &str| matches!(trees.get(n), Some(TokenTree::Ident(i)) if i == word);
    let eq = matches!(trees.get(at + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
    if !(eq && is(at + 2, "async") && is(at + 3, "move")) {
        return None;
    }
    match trees.get(at + 4) {
        Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Brace => Some(at + 4),
        _ => None,
    }
}

/// The body of a function with the audit's checks woven around `body`, its original brace
/// group (handed on as tokens, never re-printed from a syntax tree); `None` when there is
/// nothing to weave. `exits_early`: whether the body can `return` or `?` (see
/// [`crate::exprs::may_exit_early`]), asked only when there is something to weave.
pub(super) fn weave(
    sig: &syn::Signature,
    body: &proc_macro2::Group,
    exits_early: impl FnOnce() -> bool,
    audit: &Audit<'_>,
    opts: &Decided,
) -> Option<TokenStream> {
    if opts.checks == Checks::Off || audit.checks.is_empty() {
        return None;
    }
    let gate = super::tokens::gate(opts.checks);
    let result = format_ident!("distaudit_ret", span = Span::mixed_site());
    let runtime = &audit.runtime;

    let saved = guards::save_inputs(sig, audit, &gate);
    let exit_expr = |e: &syn::Expr| saved.exit_tokens(e);
    let frame = Frame {
        runtime,
        private: quote!(#runtime::__private),
        gate: gate.clone(),
        item_name: audit.display_name(),
        owner: if audit.item.site.owner.is_none() && sig.receiver().is_some() {
            quote!(Self)
        } else {
            quote!(#runtime::__private::NoOwner)
        },
        exit_expr: &exit_expr,
    };
    let woven = WovenChecks::of(&frame, audit, saved.entry.clone());

    // A body that cannot leave early is run in place; otherwise as a closure (or an async
    // block) with the function's return type, so `return` and `?` come back here.
    let ty = return_type(&sig.output);
    let bind = match &ty {
        Some(ty) => quote!(let #result: #ty),
        None => quote!(let #result),
    };
    let run = exits_early().then(|| {
        // A `&mut` parameter an exit check reads is reborrowed for the body, so a body that
        // moves it into a future of its own (`tracing::instrument` does) leaves the
        // parameter usable once that future is done.
        let reborrows = guards::reborrows(sig, audit);
        run_body(sig, &quote!(#body), &frame.private, &reborrows)
    });
    let call = bind_body(&bind, &quote!(#body), run, &gate, opts.checks);
    let checks = woven.on_exit(audit, &result, &saved.rebind(), &gate);
    let entry = &woven.entry;
    // Without checks (release builds by default) every check statement is configured away:
    // nothing of it is type-checked.
    Some(quote! {
        #entry
        #call
        #checks
        #result
    })
}

/// The audit's checks as code: the entry statements (saved inputs, `old` snapshots, what
/// each check takes on entry), and the exit checks of every exit and of success.
struct WovenChecks {
    entry: TokenStream,
    always: TokenStream,
    success: TokenStream,
}

impl WovenChecks {
    /// The audit's `old` snapshots and checks woven into `frame`, after the saved inputs
    /// `entry`.
    fn of(frame: &Frame<'_>, audit: &Audit<'_>, mut entry: TokenStream) -> Self {
        let mut snapshots = snapshots::Snapshots::default();
        for old in &audit.olds {
            let expr = &old.expr;
            let private = frame.private_at(old.span);
            let take = quote_spanned!(old.span=> #private::Snapshot::snapshot(&(#expr)));
            let (_, code) = snapshots.shared("old", expr, &old.local, &take, &frame.gate);
            entry.extend(code);
        }
        let mut always = TokenStream::new();
        let mut success = TokenStream::new();
        for (index, check) in audit.checks.iter().enumerate() {
            let woven = kinds::weave_check(frame, check, index, &mut snapshots);
            entry.extend(woven.entry);
            if check.when == When::Success {
                success.extend(woven.exit);
            } else {
                always.extend(woven.exit);
            }
        }
        WovenChecks {
            entry,
            always,
            success,
        }
    }

    /// The exit statement on the call's `result`: the saved inputs `rebind`, the checks of
    /// every exit, then those of success; the statement yields the result again when a
    /// success check names `ret`.
    fn on_exit(
        &self,
        audit: &Audit<'_>,
        result: &syn::Ident,
        rebind: &TokenStream,
        gate: &TokenStream,
    ) -> TokenStream {
        let returns = audit.item.returns.unwrap_or(Returns::Unit);
        let always = &self.always;
        // `ret` is the value itself: moved out of the result, checked, and moved back, so the
        // return type needs no `Clone` and a refused call's error is never rebuilt. Checks that
        // do not name `ret` only ask whether the call succeeded.
        let names_ret = audit
            .checks
            .iter()
            .any(|c| c.when == When::Success && c.names_ret());
        let allow = quote!(#[allow(unused_variables, clippy::shadow_unrelated)]);
        if names_ret && !self.success.is_empty() {
            let success = success_with_ret(returns, result, &self.success);
            quote! {
                #gate
                #allow
                let #result = { #rebind #always #success };
            }
        } else {
            let success = success_if(returns, result, &self.success);
            quote! {
                #gate
                #allow
                { #rebind #always #success }
            }
        }
    }
}

/// The success checks as an expression that yields `result` back: its successful value
/// moved out as `ret`, checked, and moved back in.
fn success_with_ret(returns: Returns, result: &syn::Ident, success: &TokenStream) -> TokenStream {
    let ret = syn::Ident::new("ret", Span::call_site());
    let other = format_ident!("distaudit_other", span = Span::mixed_site());
    match returns {
        Returns::Result => quote! {
            match #result {
                ::core::result::Result::Ok(#ret) => { #success ::core::result::Result::Ok(#ret) }
                #other => #other,
            }
        },
        Returns::Option => quote! {
            match #result {
                ::core::option::Option::Some(#ret) => { #success ::core::option::Option::Some(#ret) }
                #other => #other,
            }
        },
        Returns::Value | Returns::Unit => quote!({ let #ret = #result; #success #ret }),
    }
}

/// The success checks as statements run only when `result` is a success (nothing when
/// there are none).
fn success_if(returns: Returns, result: &syn::Ident, success: &TokenStream) -> TokenStream {
    if success.is_empty() {
        return TokenStream::new();
    }
    match returns {
        Returns::Result => {
            quote!(if ::core::result::Result::is_ok(&#result) { #success })
        }
        Returns::Option => {
            quote!(if ::core::option::Option::is_some(&#result) { #success })
        }
        Returns::Value | Returns::Unit => success.clone(),
    }
}

/// The expressions a check evaluates.
fn check_exprs<'c>(check: &'c crate::analyze::Check<'_>) -> impl Iterator<Item = &'c syn::Expr> {
    let (first, second) = match &check.operands {
        crate::annotation::Operands::One(e) => (&e.expr, None),
        crate::annotation::Operands::KeyInRange { key, range } => (&key.expr, Some(&range.expr)),
    };
    std::iter::once(first).chain(second)
}

/// `bind = body;` where the body runs in place; where it can leave early, `bind = run;`
/// (`run` from [`run_body`]) in builds with checks, and the body in place as written in
/// builds without, so those compile to the same machine code as without the attribute (a
/// closure or an extra future would not). Woven checks and type invariants both bind the
/// body this way.
pub(super) fn bind_body(
    bind: &TokenStream,
    body: &TokenStream,
    run: Option<TokenStream>,
    gate: &TokenStream,
    checks: Checks,
) -> TokenStream {
    let in_place = quote!(#bind = #body;);
    let Some(run) = run else {
        return in_place;
    };
    let wrapped = quote!(#bind = #run;);
    match super::tokens::gate_off(checks) {
        Some(off) => quote!(#gate #wrapped #off #in_place),
        None => wrapped,
    }
}

/// The expression that runs a body which can leave early, so that its `return` and `?`
/// come back to the caller of this expression: a closure with the function's return type,
/// or, in an `async fn`, an `async` block (with `prelude` before the body in it).
pub(super) fn run_body(
    sig: &syn::Signature,
    block: &TokenStream,
    private: &TokenStream,
    prelude: &TokenStream,
) -> TokenStream {
    match (sig.asyncness.is_some(), return_type(&sig.output)) {
        (true, Some(ty)) => {
            quote!(#private::typed_future::<#ty, _>(async { #prelude #block }).await)
        }
        (true, None) => quote!(async { #prelude #block }.await),
        (false, Some(ty)) => quote!(#private::call::<#ty, _>(|| #block)),
        (false, None) => quote!(#private::call(|| #block)),
    }
}

/// The return type as a turbofish argument, or `None` when it cannot be written there
/// (`impl Trait` anywhere in it).
fn return_type(output: &ReturnType) -> Option<TokenStream> {
    match output {
        ReturnType::Default => Some(quote!(())),
        ReturnType::Type(_, ty) => (!crate::item::mentions_impl_trait(ty)).then(|| quote!(#ty)),
    }
}
