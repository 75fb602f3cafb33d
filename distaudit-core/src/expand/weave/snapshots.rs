//! Entry snapshots: one owned value per distinct expression, taken only when checks are on,
//! shared by every check of that expression (`monotonic` and `never_none` on one key).

use proc_macro2::TokenStream;
use quote::quote;

#[derive(Default)]
pub(super) struct Snapshots {
    /// What is taken (`old`, `value`, `is_some`), of which expression (compared as syntax,
    /// spans aside: nothing is printed), and the local holding it.
    taken: Vec<(&'static str, syn::Expr, syn::Ident)>,
}

impl Snapshots {
    /// The snapshot `what` of `expr`: a new one in `fresh`, taken with `take` (returned with
    /// the code that takes it, under `gate`), or the one already taken (with no code).
    pub fn shared(
        &mut self,
        what: &'static str,
        expr: &syn::Expr,
        fresh: &syn::Ident,
        take: &TokenStream,
        gate: &TokenStream,
    ) -> (syn::Ident, TokenStream) {
        if let Some((_, _, shared)) = self
            .taken
            .iter()
            .find(|(w, e, _)| *w == what && crate::exprs::same_syntax(e, expr))
        {
            return (shared.clone(), TokenStream::new());
        }
        self.taken.push((what, expr.clone(), fresh.clone()));
        let code = quote! {
            #gate
            let #fresh = #take;
        };
        (fresh.clone(), code)
    }
}
