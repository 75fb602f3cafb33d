//! Entry snapshots: one owned value per distinct expression, taken only when checks are on,
//! shared by every check of that expression (`monotonic` and `never_none` on one key).

use super::guards::Saved;
use proc_macro2::TokenStream;
use quote::quote;

#[derive(Default)]
pub(super) struct Snapshots {
    /// The expression (as tokens, printed) and the local holding its snapshot.
    taken: Vec<(String, syn::Ident)>,
    pats: Vec<TokenStream>,
    vals: Vec<TokenStream>,
}

impl Snapshots {
    /// The snapshot of `key`: a new one in `fresh`, taken with `take` (returned with the
    /// code that takes it), or the one already taken (with no code).
    pub fn shared(
        &mut self,
        key: String,
        fresh: &syn::Ident,
        take: &TokenStream,
        on: &syn::Ident,
    ) -> (syn::Ident, TokenStream) {
        if let Some((_, shared)) = self.taken.iter().find(|(k, _)| *k == key) {
            return (shared.clone(), TokenStream::new());
        }
        self.taken.push((key, fresh.clone()));
        self.pats.push(quote!(::core::option::Option::Some(#fresh)));
        self.vals.push(quote!(#fresh));
        let code = quote! {
            let #fresh = if #on { ::core::option::Option::Some(#take) } else { ::core::option::Option::None };
        };
        (fresh.clone(), code)
    }

    /// The exit code as an expression giving the result: run only when checks are on,
    /// with saved inputs and snapshots bound; otherwise the result as it is.
    pub fn guard(
        &self,
        saved: &Saved,
        on: &syn::Ident,
        exit: &TokenStream,
        result: &syn::Ident,
    ) -> TokenStream {
        let pats: Vec<&TokenStream> = saved.pats.iter().chain(&self.pats).collect();
        let vals: Vec<&TokenStream> = saved.vals.iter().chain(&self.vals).collect();
        if pats.is_empty() {
            quote!(if #on { #exit } else { #result })
        } else {
            quote!(if let (#(#pats,)*) = (#(#vals,)*) { #exit } else { #result })
        }
    }
}
