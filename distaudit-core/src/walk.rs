//! The one traversal of syn's trees that every rule and emitter looking inside an
//! expression, a block or a type goes through.
//!
//! syn's `Visit` and `VisitMut` are generic over the visitor: each visitor type compiles its
//! own copy of the whole traversal (every expression, statement, pattern, type and item
//! function reachable from where it starts). With a dozen visitors that was more than a
//! quarter of the engine's machine code, built in every user's clean build before the
//! attribute can run. Here there is one visitor type, [`Hooks`] / [`HooksMut`] behind a
//! `dyn`, so the traversal is compiled once; a rule states only the nodes it looks at.

use proc_macro2::Ident;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Block, Expr, ExprPath, Item, Lifetime, Macro, Stmt, Type};

/// What the walk does after a hook has seen a node.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Walk {
    /// Go on into the node's children.
    Descend,
    /// Leave the node's children unvisited.
    Skip,
}

/// The nodes a read-only walk reports; each hook by default looks at nothing and descends.
/// A node is reported before its children.
pub trait Hooks<'ast> {
    fn expr(&mut self, _: &'ast Expr) -> Walk {
        Walk::Descend
    }
    fn stmt(&mut self, _: &'ast Stmt) -> Walk {
        Walk::Descend
    }
    /// An item nested in a block or a module.
    fn item(&mut self, _: &'ast Item) -> Walk {
        Walk::Descend
    }
    fn ty(&mut self, _: &'ast Type) -> Walk {
        Walk::Descend
    }
    /// A path in expression or pattern position (`ret`, `Self::MAX`, `None`).
    fn path(&mut self, _: &'ast ExprPath) {}
    /// A macro call anywhere; its path is walked after, its arguments never (they are
    /// tokens to syn).
    fn mac(&mut self, _: &'ast Macro) {}
    fn ident(&mut self, _: &'ast Ident) {}
    /// A lifetime, whole (its identifier is not reported to [`Hooks::ident`]).
    fn lifetime(&mut self, _: &'ast Lifetime) {}
}

struct Reader<'h, 'ast>(&'h mut dyn Hooks<'ast>);

impl<'ast> Visit<'ast> for Reader<'_, 'ast> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        if self.0.expr(e) == Walk::Descend {
            syn::visit::visit_expr(self, e);
        }
    }
    fn visit_stmt(&mut self, s: &'ast Stmt) {
        if self.0.stmt(s) == Walk::Descend {
            syn::visit::visit_stmt(self, s);
        }
    }
    fn visit_item(&mut self, i: &'ast Item) {
        if self.0.item(i) == Walk::Descend {
            syn::visit::visit_item(self, i);
        }
    }
    fn visit_type(&mut self, t: &'ast Type) {
        if self.0.ty(t) == Walk::Descend {
            syn::visit::visit_type(self, t);
        }
    }
    fn visit_expr_path(&mut self, p: &'ast ExprPath) {
        self.0.path(p);
        syn::visit::visit_expr_path(self, p);
    }
    fn visit_macro(&mut self, m: &'ast Macro) {
        self.0.mac(m);
        syn::visit::visit_macro(self, m);
    }
    fn visit_ident(&mut self, i: &'ast Ident) {
        self.0.ident(i);
    }
    fn visit_lifetime(&mut self, l: &'ast Lifetime) {
        self.0.lifetime(l);
    }
}

/// Walk an expression and everything in it.
pub fn expr<'ast>(e: &'ast Expr, hooks: &mut dyn Hooks<'ast>) {
    Reader(hooks).visit_expr(e);
}

/// Walk a block's statements and everything in them.
pub fn block<'ast>(b: &'ast Block, hooks: &mut dyn Hooks<'ast>) {
    Reader(hooks).visit_block(b);
}

/// Walk an item (a function, an impl, an inline module..) and everything in it.
pub fn item<'ast>(i: &'ast Item, hooks: &mut dyn Hooks<'ast>) {
    Reader(hooks).visit_item(i);
}

/// Walk a type and everything in it.
pub fn ty<'ast>(t: &'ast Type, hooks: &mut dyn Hooks<'ast>) {
    Reader(hooks).visit_type(t);
}

/// The nodes a rewriting walk hands out to be changed; by default each is left as it is
/// and the walk descends.
pub trait HooksMut {
    /// An expression, before its children; after a rewrite, [`Walk::Skip`] keeps the walk
    /// out of what was put in.
    fn expr(&mut self, _: &mut Expr) -> Walk {
        Walk::Descend
    }
    /// A type, before its children.
    fn ty(&mut self, _: &mut Type) -> Walk {
        Walk::Descend
    }
    /// A macro call, after its path was walked: its arguments are tokens to syn.
    fn mac(&mut self, _: &mut Macro) {}
    /// An identifier, a lifetime's and a label's included.
    fn ident(&mut self, _: &mut Ident) {}
    /// A lifetime, before its identifier.
    fn lifetime(&mut self, _: &mut Lifetime) {}
}

struct Writer<'h>(&'h mut dyn HooksMut);

impl VisitMut for Writer<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if self.0.expr(e) == Walk::Descend {
            syn::visit_mut::visit_expr_mut(self, e);
        }
    }
    fn visit_type_mut(&mut self, t: &mut Type) {
        if self.0.ty(t) == Walk::Descend {
            syn::visit_mut::visit_type_mut(self, t);
        }
    }
    fn visit_macro_mut(&mut self, m: &mut Macro) {
        syn::visit_mut::visit_macro_mut(self, m);
        self.0.mac(m);
    }
    fn visit_ident_mut(&mut self, i: &mut Ident) {
        self.0.ident(i);
    }
    fn visit_lifetime_mut(&mut self, l: &mut Lifetime) {
        self.0.lifetime(l);
        syn::visit_mut::visit_lifetime_mut(self, l);
    }
}

/// Rewrite an expression in place.
pub fn expr_mut(e: &mut Expr, hooks: &mut dyn HooksMut) {
    Writer(hooks).visit_expr_mut(e);
}

/// Rewrite a type in place.
pub fn ty_mut(t: &mut Type, hooks: &mut dyn HooksMut) {
    Writer(hooks).visit_type_mut(t);
}

/// `ty` with every lifetime in it made `'static` (a test names the types it calls with).
#[must_use]
pub fn lifetimes_static(ty: &Type) -> Type {
    struct Statics;
    impl HooksMut for Statics {
        fn lifetime(&mut self, l: &mut Lifetime) {
            *l = Lifetime::new("'static", l.span());
        }
    }
    let mut ty = ty.clone();
    ty_mut(&mut ty, &mut Statics);
    ty
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skipped_node_hides_its_children_and_others_are_reached() {
        struct Returns(usize);
        impl Hooks<'_> for Returns {
            fn expr(&mut self, e: &Expr) -> Walk {
                match e {
                    Expr::Return(_) => self.0 += 1,
                    Expr::Closure(_) => return Walk::Skip,
                    _ => {}
                }
                Walk::Descend
            }
        }
        let b: Block = syn::parse_quote!({
            if x {
                return 1;
            }
            let f = || {
                return 2;
            };
            match y {
                _ => loop {
                    return 3;
                },
            }
        });
        let mut r = Returns(0);
        block(&b, &mut r);
        assert_eq!(r.0, 2);
    }

    #[test]
    fn paths_are_reported_in_expressions_and_patterns() {
        struct Paths(Vec<String>);
        impl<'ast> Hooks<'ast> for Paths {
            fn path(&mut self, p: &'ast ExprPath) {
                self.0.push(quote::ToTokens::to_token_stream(p).to_string());
            }
        }
        let e: Expr = syn::parse_quote!(match a {
            Foo::Bar => b,
            _ => c::d,
        });
        let mut p = Paths(Vec::new());
        expr(&e, &mut p);
        assert_eq!(p.0, ["a", "Foo :: Bar", "b", "c :: d"]);
    }

    #[test]
    fn every_lifetime_becomes_static() {
        let t: Type = syn::parse_quote!(&'a Foo<'b, Vec<&'c [u8]>>);
        let out = lifetimes_static(&t);
        assert_eq!(
            quote::ToTokens::to_token_stream(&out).to_string(),
            "& 'static Foo < 'static , Vec < & 'static [u8] > >"
        );
    }

    #[test]
    fn a_rewritten_expression_is_not_walked_again() {
        struct Double;
        impl HooksMut for Double {
            fn expr(&mut self, e: &mut Expr) -> Walk {
                if let Expr::Lit(_) = e {
                    *e = syn::parse_quote!((1 + 1));
                    return Walk::Skip;
                }
                Walk::Descend
            }
        }
        let mut e: Expr = syn::parse_quote!(a + 7);
        expr_mut(&mut e, &mut Double);
        assert_eq!(
            quote::ToTokens::to_token_stream(&e).to_string(),
            "a + (1 + 1)"
        );
    }
}
