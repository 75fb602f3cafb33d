//! Entry snapshots: one owned value per distinct expression, taken only when checks are on,
//! shared by every check of that expression (`monotonic` and `never_none` on one key).

use proc_macro2::TokenStream;
use quote::quote;

#[derive(Default)]
pub(super) struct Snapshots {
    /// The expression (as tokens, printed) and the local holding its snapshot.
    taken: Vec<(String, syn::Ident)>,
}

impl Snapshots {
    /// The snapshot of `key`: a new one in `fresh`, taken with `take` (returned with the
    /// code that takes it, under `gate`), or the one already taken (with no code).
    pub fn shared(
        &mut self,
        key: String,
        fresh: &syn::Ident,
        take: &TokenStream,
        gate: &TokenStream,
    ) -> (syn::Ident, TokenStream) {
        if let Some((_, shared)) = self.taken.iter().find(|(k, _)| *k == key) {
            return (shared.clone(), TokenStream::new());
        }
        self.taken.push((key, fresh.clone()));
        let code = quote! {
            #gate
            let #fresh = #take;
        };
        (fresh.clone(), code)
    }
}
