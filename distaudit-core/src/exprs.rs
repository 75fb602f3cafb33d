//! Small facts about expressions and patterns that rules and expansion share.

use syn::visit::Visit;

/// Whether `expr` mentions the single-segment path `name` (e.g. `ret`, a parameter).
#[must_use]
pub fn names_ident(expr: &syn::Expr, name: &str) -> bool {
    struct Finder<'a> {
        name: &'a str,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
            if p.qself.is_none()
                && p.path.segments.len() == 1
                && p.path.segments[0].ident == self.name
            {
                self.found = true;
            }
            syn::visit::visit_expr_path(self, p);
        }
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            // Arguments of macros such as `matches!(ret, ..)` are plain tokens.
            if m.tokens
                .clone()
                .into_iter()
                .any(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == self.name))
            {
                self.found = true;
            }
        }
    }
    let mut finder = Finder { name, found: false };
    finder.visit_expr(expr);
    finder.found
}

/// The name a parameter pattern binds (`key` for `key: &[u8]`, `mut key`); `_` otherwise.
#[must_use]
pub fn pat_name(pat: &syn::Pat) -> String {
    match pat {
        syn::Pat::Ident(i) => i.ident.to_string(),
        syn::Pat::Type(t) => pat_name(&t.pat),
        _ => "_".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names() {
        let e: syn::Expr = syn::parse_quote!(self.records.get(&ret.shard).map(|r| r.fence));
        assert!(names_ident(&e, "ret"));
        assert!(!names_ident(&e, "shard"));
        let e: syn::Expr = syn::parse_quote!(matches!(ret, Some(_)));
        assert!(names_ident(&e, "ret"));
    }
}
