//! Small facts about expressions and patterns that rules and expansion share.

use crate::walk::{self, Hooks, HooksMut, Walk};
use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt;

/// Whether two pieces of syntax are written alike, token by token, spans aside. (syn's own
/// `==` needs its `extra-traits` feature, which would be compiled in every user's build.)
#[must_use]
pub fn same_syntax(a: &impl quote::ToTokens, b: &impl quote::ToTokens) -> bool {
    fn same(a: TokenStream, b: TokenStream) -> bool {
        let (mut a, mut b) = (a.into_iter(), b.into_iter());
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if same_tree(&x, &y) => {}
                _ => return false,
            }
        }
    }
    fn same_tree(x: &TokenTree, y: &TokenTree) -> bool {
        match (x, y) {
            (TokenTree::Ident(x), TokenTree::Ident(y)) => x == y,
            (TokenTree::Punct(x), TokenTree::Punct(y)) => {
                x.as_char() == y.as_char() && x.spacing() == y.spacing()
            }
            (TokenTree::Literal(x), TokenTree::Literal(y)) => x.to_string() == y.to_string(),
            (TokenTree::Group(x), TokenTree::Group(y)) => {
                x.delimiter() == y.delimiter() && same(x.stream(), y.stream())
            }
            _ => false,
        }
    }
    same(a.to_token_stream(), b.to_token_stream())
}

/// Whether `expr` mentions the single-segment path `name` (e.g. `ret`, a parameter). A
/// raw identifier matches its name: `r#type` is `type`.
#[must_use]
pub fn names_ident(expr: &syn::Expr, name: &str) -> bool {
    mentions(expr, name, false)
}

/// Whether `expr` reads `name` from outside: as [`names_ident`], but not inside a closure
/// whose parameters bind a local of that name (`|(now, was)| *now >= was` reads no `now`).
#[must_use]
pub fn names_free(expr: &syn::Expr, name: &str) -> bool {
    mentions(expr, name, true)
}

/// Whether `tokens` hold the identifier `name`, at any depth.
fn holds_ident(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => i.unraw() == name,
        TokenTree::Group(g) => holds_ident(g.stream(), name),
        _ => false,
    })
}

/// [`names_ident`], or [`names_free`] when `free`.
fn mentions(expr: &syn::Expr, name: &str, free: bool) -> bool {
    struct Finder<'a> {
        name: &'a str,
        free: bool,
        found: bool,
    }
    impl Hooks for Finder<'_> {
        fn expr(&mut self, e: &syn::Expr) -> Walk {
            match e {
                syn::Expr::Closure(c)
                    if self.free
                        && c.inputs.iter().any(|p| {
                            holds_ident(quote::ToTokens::to_token_stream(p), self.name)
                        }) =>
                {
                    Walk::Skip
                }
                _ => Walk::Descend,
            }
        }
        fn path(&mut self, p: &syn::ExprPath) {
            if p.qself.is_none()
                && p.path.segments.len() == 1
                && p.path.segments[0].ident.unraw() == self.name
            {
                self.found = true;
            }
        }
        fn mac(&mut self, m: &syn::Macro) {
            // Arguments of macros such as `matches!(ret, ..)` are plain tokens (at the top
            // level, as they always were read).
            if m.tokens
                .clone()
                .into_iter()
                .any(|t| matches!(t, TokenTree::Ident(i) if i.unraw() == self.name))
            {
                self.found = true;
            }
        }
    }
    let mut finder = Finder {
        name,
        free,
        found: false,
    };
    walk::expr(expr, &mut finder);
    finder.found
}

/// Macros that cannot make the function return: their arguments are expressions or
/// format strings.
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

/// The last segment of a macro's path: `tracing::warn!` is `warn`, `vec!` is `vec`.
#[must_use]
pub fn macro_name(m: &syn::Macro) -> String {
    m.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Whether a function body may leave before its end: a `return` or `?` outside nested
/// closures, async blocks and items, or a macro that might expand to one (only std's
/// value-producing macros are known not to).
#[must_use]
pub fn may_exit_early(block: &syn::Block) -> bool {
    struct Exits(bool);
    impl Hooks for Exits {
        fn expr(&mut self, e: &syn::Expr) -> Walk {
            match e {
                syn::Expr::Return(_) | syn::Expr::Try(_) => self.0 = true,
                syn::Expr::Closure(_) | syn::Expr::Async(_) => return Walk::Skip,
                _ => {}
            }
            Walk::Descend
        }
        fn item(&mut self, _: &syn::Item) -> Walk {
            Walk::Skip
        }
        fn mac(&mut self, m: &syn::Macro) {
            if !INERT_MACROS.contains(&macro_name(m).as_str()) {
                self.0 = true;
            }
        }
    }
    let mut exits = Exits(false);
    walk::block(block, &mut exits);
    exits.0
}

/// [`may_exit_early`] for a body still in tokens: a body with no `return`, no `?` and no
/// macro call outside std's value macros (`format!`, `vec!`, ..) anywhere in its tokens
/// cannot leave early, and is never parsed; any other is parsed and judged by its syntax
/// tree.
#[must_use]
pub fn body_may_exit_early(body: &proc_macro2::Group) -> bool {
    fn mentions_exit(tokens: TokenStream) -> bool {
        let mut trees = tokens.into_iter().peekable();
        while let Some(tree) = trees.next() {
            match tree {
                TokenTree::Ident(i) if i == "return" => return true,
                TokenTree::Ident(i) => {
                    let is_call =
                        matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    if is_call && !INERT_MACROS.iter().any(|m| i == *m) {
                        return true;
                    }
                }
                TokenTree::Punct(p) if p.as_char() == '?' => return true,
                TokenTree::Group(g) if mentions_exit(g.stream()) => return true,
                _ => {}
            }
        }
        false
    }
    if !mentions_exit(body.stream()) {
        return false;
    }
    syn::parse2::<syn::Block>(TokenStream::from(TokenTree::Group(body.clone())))
        .map_or(true, |block| may_exit_early(&block))
}

/// Gives every identifier in `expr` that is not a parameter (`known`) nor one of the names
/// distaudit binds or the language reserves a mixed-site span at the same place. Such a name
/// is an item (which resolves at the call site from a mixed-site span as before), a binding
/// made inside the expression (its uses get the same span, so they still see it), or a typo:
/// then rustc's E0425 can see no local to offer in its place, so it offers no replacement
/// that would rewrite the annotation's string literal (its span) into broken code.
pub fn hide_locals_but(expr: &mut syn::Expr, known: &[String]) {
    const KEPT: [&str; 6] = ["self", "Self", "ret", "old", "crate", "super"];
    // Read as tokens, macro arguments included: a closure's binding used inside
    // `matches!(s, ..)` gets the same span as the binding.
    let tokens = walk::map_idents(
        quote::ToTokens::to_token_stream(&*expr),
        &mut |mut ident, _| {
            let text = ident.unraw().to_string();
            if !KEPT.contains(&text.as_str()) && !known.contains(&text) {
                ident.set_span(proc_macro2::Span::mixed_site().located_at(ident.span()));
            }
            TokenTree::Ident(ident).into()
        },
    );
    // The tokens are the expression's own, spans aside, so they parse as it did.
    if let Ok(respanned) = syn::parse2(tokens) {
        *expr = respanned;
    }
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

/// What in an expression changes state, where syntax shows it: an assignment, a compound
/// assignment, or a `&mut` borrow.
#[must_use]
pub fn side_effect(expr: &syn::Expr) -> Option<&'static str> {
    struct Finder(Option<&'static str>);
    impl Hooks for Finder {
        fn expr(&mut self, e: &syn::Expr) -> Walk {
            match e {
                syn::Expr::Assign(_) => {
                    self.0.get_or_insert("assigns");
                }
                syn::Expr::Binary(b) if compound_assignment(&b.op) => {
                    self.0.get_or_insert("assigns");
                }
                syn::Expr::Reference(r) if r.mutability.is_some() => {
                    self.0.get_or_insert("borrows mutably");
                }
                _ => {}
            }
            Walk::Descend
        }
    }
    fn compound_assignment(op: &syn::BinOp) -> bool {
        matches!(
            op,
            syn::BinOp::AddAssign(_)
                | syn::BinOp::SubAssign(_)
                | syn::BinOp::MulAssign(_)
                | syn::BinOp::DivAssign(_)
                | syn::BinOp::RemAssign(_)
                | syn::BinOp::BitXorAssign(_)
                | syn::BinOp::BitAndAssign(_)
                | syn::BinOp::BitOrAssign(_)
                | syn::BinOp::ShlAssign(_)
                | syn::BinOp::ShrAssign(_)
        )
    }
    let mut finder = Finder(None);
    walk::expr(expr, &mut finder);
    finder.0
}

/// Whether `expr`'s type is settled by the expression itself, not by what it is compared
/// with: a place (`self.epoch`, a parameter, a binding), a constant or a fieldless variant,
/// a literal, `Some` of such a value, a cast, a method call on such a receiver, arithmetic
/// on such operands. `None`, `Vec::new()`, `x.into()` and `Default::default()` are not: their
/// type comes from the other side of the comparison.
///
/// A failure report describes each side by its type, chosen where the check is written, so
/// sides that are both self-typed are described where they are passed; a side that is not
/// must be compared first, so that rustc knows its type before choosing how to show it.
/// An integer literal counts as settled: every integer type is shown the same way.
#[must_use]
pub fn self_typed(expr: &syn::Expr) -> bool {
    // Methods whose result type is chosen by the caller's context.
    const CONTEXT_TYPED: &[&str] = &[
        "into", "try_into", "collect", "sum", "product", "parse", "default",
    ];
    match expr {
        syn::Expr::Lit(l) => matches!(
            l.lit,
            syn::Lit::Int(_)
                | syn::Lit::Float(_)
                | syn::Lit::Str(_)
                | syn::Lit::ByteStr(_)
                | syn::Lit::Byte(_)
                | syn::Lit::Char(_)
                | syn::Lit::Bool(_)
        ),
        syn::Expr::Path(p) => {
            p.qself.is_none()
                && p.path.segments.iter().all(|s| s.arguments.is_none())
                && p.path.segments.last().is_some_and(|s| s.ident != "None")
        }
        syn::Expr::Field(f) => self_typed(&f.base),
        syn::Expr::Index(i) => self_typed(&i.expr) && self_typed(&i.index),
        syn::Expr::MethodCall(m) => {
            self_typed(&m.receiver)
                && (m.turbofish.is_some() || !CONTEXT_TYPED.iter().any(|name| m.method == name))
        }
        syn::Expr::Call(c) => {
            matches!(&*c.func, syn::Expr::Path(p) if p.qself.is_none() && p.path.is_ident("Some"))
                && c.args.len() == 1
                && c.args.iter().all(self_typed)
        }
        syn::Expr::Cast(_) => true,
        syn::Expr::Paren(p) => self_typed(&p.expr),
        syn::Expr::Group(g) => self_typed(&g.expr),
        syn::Expr::Reference(r) => self_typed(&r.expr),
        syn::Expr::Unary(u) => self_typed(&u.expr),
        syn::Expr::Binary(b) => self_typed(&b.left) && self_typed(&b.right),
        syn::Expr::Tuple(t) => t.elems.iter().all(self_typed),
        _ => false,
    }
}

/// One `old(..)` written in an expression.
#[derive(Clone)]
#[cfg_attr(test, derive(Debug))]
pub struct OldCall {
    /// The argument, when there is exactly one.
    pub arg: Option<syn::Expr>,
    /// The span of `old`.
    pub span: proc_macro2::Span,
    /// Whether another `old(..)` is written inside its argument.
    pub nested: bool,
}

fn as_old_call(expr: &syn::Expr) -> Option<&syn::ExprCall> {
    match expr {
        syn::Expr::Call(call) => match &*call.func {
            syn::Expr::Path(p)
                if p.qself.is_none() && p.path.segments.len() == 1 && p.path.is_ident("old") =>
            {
                Some(call)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The `old(..)` calls of an expression, outermost first.
#[must_use]
pub fn old_calls(expr: &syn::Expr) -> Vec<OldCall> {
    struct Finder(Vec<OldCall>);
    impl Hooks for Finder {
        fn expr(&mut self, e: &syn::Expr) -> Walk {
            if let Some(call) = as_old_call(e) {
                let arg = (call.args.len() == 1).then(|| call.args[0].clone());
                let nested = call.args.iter().any(|a| !old_calls(a).is_empty());
                self.0.push(OldCall {
                    arg,
                    span: syn::spanned::Spanned::span(&call.func),
                    nested,
                });
                return Walk::Skip;
            }
            Walk::Descend
        }
    }
    let mut finder = Finder(Vec::new());
    walk::expr(expr, &mut finder);
    finder.0
}

/// `expr` with every `old(<arg>)` replaced by the expression `replace(<arg>)` returns.
#[must_use]
pub fn replace_old_calls(
    expr: &syn::Expr,
    replace: &mut dyn FnMut(&syn::Expr) -> syn::Expr,
) -> syn::Expr {
    struct Replacer<'a>(&'a mut dyn FnMut(&syn::Expr) -> syn::Expr);
    impl HooksMut for Replacer<'_> {
        fn expr(&mut self, e: &mut syn::Expr) -> Walk {
            if let Some(call) = as_old_call(e)
                && call.args.len() == 1
            {
                *e = (self.0)(&call.args[0]);
                return Walk::Skip;
            }
            Walk::Descend
        }
    }
    let mut out = expr.clone();
    walk::expr_mut(&mut out, &mut Replacer(replace));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `now` read from outside counts; a closure's own `now` does not, nor does a field or
    /// a longer path of that name.
    #[test]
    fn free_names() {
        let free = [
            "now",
            "self.live_at(now)",
            "old(self.holder).is_none_or(|(who, until)| now >= until)",
            "matches!(now, 3)",
            "self.all(|now| now > 1) && now > 2",
        ];
        let bound = [
            "self.fences.iter().zip(old(self.fences.clone())).all(|(now, was)| *now >= was)",
            "self.items.iter().all(|now| now.ok())",
            "self.now",
            "Clock::now()",
        ];
        for text in free {
            let e: syn::Expr = syn::parse_str(text).expect(text);
            assert!(names_free(&e, "now"), "{text}");
        }
        for text in bound {
            let e: syn::Expr = syn::parse_str(text).expect(text);
            assert!(!names_free(&e, "now"), "{text}");
        }
    }

    /// Places, literals, casts, `Some` of a place, arithmetic and method calls on them are
    /// self-typed; `None`, constructors, context-typed methods and macros are not, even
    /// nested in an otherwise self-typed expression.
    #[test]
    fn self_typed_expressions() {
        let typed = [
            "self.epoch",
            "now",
            "distaudit_old_0",
            "0",
            "1.5",
            "\"name\"",
            "b\"key\"",
            "u64::MAX",
            "Phase::Idle",
            "Some(self.epoch)",
            "self.epoch as u64",
            "self.items.len()",
            "self.keys[0]",
            "old_epoch + 1",
            "-self.delta",
            "&self.key",
            "(self.a, self.b)",
            "self.items.iter().map(f).collect::<Vec<u64>>()",
            "self.cursor.as_deref()",
        ];
        for text in typed {
            let expr: syn::Expr = syn::parse_str(text).unwrap();
            assert!(self_typed(&expr), "{text} is self-typed");
        }
        let untyped = [
            "None",
            "Option::None",
            "Vec::new()",
            "Default::default()",
            "self.epoch.into()",
            "self.items.iter().sum()",
            "text.parse()",
            "Some(None)",
            "Ok(1)",
            "vec![1]",
            "self.cursor == None",
            "<T as Trait>::VALUE",
            "Vec::<u8>::new",
            "Some(Vec::new())",
            "self.keys[Default::default()]",
            "if self.a { 1 } else { 2 }",
        ];
        for text in untyped {
            let expr: syn::Expr = syn::parse_str(text).unwrap();
            assert!(!self_typed(&expr), "{text} is not self-typed");
        }
    }

    /// Syntax written alike is the same wherever it came from; any token of difference
    /// (a name, an operator, a literal, a delimiter) tells two pieces apart.
    #[test]
    fn same_syntax_compares_tokens_and_not_spans() {
        let a: syn::Expr = syn::parse_quote!(self.cursor.get(&key)[0..2]);
        let b: syn::Expr = syn::parse_str("self . cursor.get( & key )[0 .. 2]").unwrap();
        assert!(same_syntax(&a, &b));
        for other in [
            "self.cursor.get(&other)[0..2]",
            "self.cursor.get(&key)[0..=2]",
            "self.cursor.get(&key)[0..3]",
            "self.cursor.get(&key)(0..2)",
            "self.cursor.get(&key)",
        ] {
            let c: syn::Expr = syn::parse_str(other).unwrap();
            assert!(!same_syntax(&a, &c), "{other}");
        }
    }

    /// The token pre-scan answers as the syntax tree does, on bodies that read as exits to
    /// a token scan and are not (`!=`, `?` in a closure, a `return` in a nested fn).
    #[test]
    fn a_body_read_from_its_tokens_exits_early_exactly_when_its_tree_does() {
        let bodies: [TokenStream; 10] = [
            quote::quote!({
                self.x += 1;
                self.x
            }),
            quote::quote!({ if a != b { 1 } else { 2 } }),
            quote::quote!({
                format!("{}", 1);
                vec![1, 2].len()
            }),
            quote::quote!({
                let f = || x?;
                f()
            }),
            quote::quote!({
                fn inner() -> u8 {
                    return 1;
                }
                inner()
            }),
            quote::quote!({
                let v = async {
                    y?;
                    Ok(())
                };
                v
            }),
            quote::quote!({ x? }),
            quote::quote!({
                if a {
                    return 1;
                }
                2
            }),
            quote::quote!({
                my_macro!(a);
                1
            }),
            quote::quote!({
                {
                    {
                        return;
                    }
                }
            }),
        ];
        let mut exits = Vec::new();
        for body in bodies {
            let Some(TokenTree::Group(group)) = body.clone().into_iter().next() else {
                panic!("a brace group");
            };
            let tree: syn::Block = syn::parse2(body).expect("a block");
            assert_eq!(
                body_may_exit_early(&group),
                may_exit_early(&tree),
                "{group}"
            );
            exits.push(body_may_exit_early(&group));
        }
        assert_eq!(
            exits,
            [
                false, false, false, false, false, false, true, true, true, true
            ]
        );
    }

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
    fn finds_and_replaces_old() {
        let e: syn::Expr = syn::parse_quote!(ret.fence > old(self.fence) && old(self.n) == 1);
        let olds = old_calls(&e);
        assert_eq!(olds.len(), 2);
        let replaced = replace_old_calls(&e, &mut |_| syn::parse_quote!(before));
        let text = quote::quote!(#replaced).to_string();
        assert_eq!(text, "ret . fence > before && before == 1");
        let nested: syn::Expr = syn::parse_quote!(old(old(x)));
        assert!(old_calls(&nested)[0].nested);
        let wrong: syn::Expr = syn::parse_quote!(old(a, b));
        assert!(old_calls(&wrong)[0].arg.is_none());
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
