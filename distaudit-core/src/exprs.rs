//! Small facts about expressions and patterns that rules and expansion share.

use syn::ext::IdentExt;
use syn::visit::Visit;

/// Whether `expr` mentions the single-segment path `name` (e.g. `ret`, a parameter). A
/// raw identifier matches its name: `r#type` is `type`.
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
                && p.path.segments[0].ident.unraw() == self.name
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
                .any(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i.unraw() == self.name))
            {
                self.found = true;
            }
        }
    }
    let mut finder = Finder { name, found: false };
    finder.visit_expr(expr);
    finder.found
}

/// Whether a function body may leave before its end: a `return` or `?` outside nested
/// closures, async blocks and items, or a macro that might expand to one (only std's
/// value-producing macros are known not to).
#[must_use]
pub fn may_exit_early(block: &syn::Block) -> bool {
    const INERT_MACROS: [&str; 20] = [
        "format",
        "format_args",
        "write",
        "writeln",
        "print",
        "println",
        "eprint",
        "eprintln",
        "vec",
        "assert",
        "assert_eq",
        "assert_ne",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
        "matches",
        "panic",
        "unreachable",
        "concat",
        "stringify",
    ];
    struct Exits(bool);
    impl<'ast> Visit<'ast> for Exits {
        fn visit_expr_return(&mut self, _: &'ast syn::ExprReturn) {
            self.0 = true;
        }
        fn visit_expr_try(&mut self, _: &'ast syn::ExprTry) {
            self.0 = true;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            let name = m
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            if !INERT_MACROS.contains(&name.as_str()) {
                self.0 = true;
            }
        }
    }
    let mut exits = Exits(false);
    exits.visit_block(block);
    exits.0
}

/// The identifier a parameter pattern binds (`key` for `key: &[u8]`, `mut key`), if it
/// binds exactly one.
#[must_use]
pub fn pat_ident(pat: &syn::Pat) -> Option<&syn::Ident> {
    match pat {
        syn::Pat::Ident(i) => Some(&i.ident),
        syn::Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn early_exits() {
        let exits = |b: syn::Block| may_exit_early(&b);
        assert!(!exits(syn::parse_quote!({
            self.x += 1;
            format!("{}", 1);
            self.x
        })));
        assert!(exits(syn::parse_quote!({
            if a {
                return 1;
            }
            2
        })));
        assert!(exits(syn::parse_quote!({
            let v = f()?;
            v
        })));
        assert!(exits(syn::parse_quote!({
            bail!("no");
        })));
        assert!(!exits(syn::parse_quote!({
            let c = || {
                return 1;
            };
            let d = || f()?;
            c()
        })));
        assert!(!exits(syn::parse_quote!({
            fn inner() -> u8 {
                return 1;
            }
            inner()
        })));
    }

    #[test]
    fn finds_names() {
        let e: syn::Expr = syn::parse_quote!(self.records.get(&ret.shard).map(|r| r.fence));
        assert!(names_ident(&e, "ret"));
        assert!(!names_ident(&e, "shard"));
        let e: syn::Expr = syn::parse_quote!(matches!(ret, Some(_)));
        assert!(names_ident(&e, "ret"));
    }
}
