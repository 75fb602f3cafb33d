//! The one traversal of syn's trees that every rule and emitter looking inside a function
//! body or an expression goes through, and the token-level readings of types.
//!
//! syn's own `Visit` and `VisitMut` (its `visit` and `visit-mut` features) are generated
//! for every node of the language and compiled in syn whether used or not, and again in
//! the engine for each visitor type: in a user's clean build, syn with both features took
//! about 0.35 s longer, and the engine's copies were a quarter of its machine code. What the
//! rules look for is narrower: expressions, statements, patterns (for paths and guards),
//! nested items and macro calls, never an expression inside a type. This module walks just
//! those, once, with the rule's hooks behind a `dyn`; a unit test holds it to syn's
//! traversal on every function of the UI cases and the example coordinator. Types are read
//! as tokens ([`mentions_impl_trait`], [`mentions_any`], [`lifetimes_static`],
//! [`substitute`]), which is what those readings are about.

use proc_macro2::{Ident, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Block, Expr, ExprPath, ImplItem, Item, Macro, Pat, Stmt, TraitItem, Type};

/// What the walk does after a hook has seen a node.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Walk {
    /// Go on into the node's children.
    Descend,
    /// Leave the node's children unvisited.
    Skip,
}

/// The nodes a read-only walk reports, each before its children; by default a hook looks
/// at nothing and the walk descends. Types are not entered.
pub trait Hooks {
    fn expr(&mut self, _: &Expr) -> Walk {
        Walk::Descend
    }
    fn stmt(&mut self, _: &Stmt) -> Walk {
        Walk::Descend
    }
    /// An item nested in a block or a module.
    fn item(&mut self, _: &Item) -> Walk {
        Walk::Descend
    }
    /// A path in expression or pattern position (`ret`, `Self::MAX`, `None`).
    fn path(&mut self, _: &ExprPath) {}
    /// A macro call in an expression, a statement, a pattern or an item position: its
    /// arguments are tokens to syn, never walked.
    fn mac(&mut self, _: &Macro) {}
}

/// The nodes a rewriting walk hands out to be changed, each before its children; by
/// default each is left as it is and the walk descends.
pub trait HooksMut {
    /// After a rewrite, [`Walk::Skip`] keeps the walk out of what was put in.
    fn expr(&mut self, _: &mut Expr) -> Walk {
        Walk::Descend
    }
    fn stmt(&mut self, _: &mut Stmt) -> Walk {
        Walk::Descend
    }
    fn item(&mut self, _: &mut Item) -> Walk {
        Walk::Descend
    }
    fn path(&mut self, _: &mut ExprPath) {}
    fn mac(&mut self, _: &mut Macro) {}
}

/// The traversal, written once for `&` and `&mut` (`$($r)*`): which children each node has.
macro_rules! walkers {
    ($hooks:ident, ($($r:tt)*), $expr:ident, $block:ident, $stmt:ident, $pat:ident, $item:ident) => {
        /// Walk an expression and everything in it but types.
        pub fn $expr(e: $($r)* Expr, h: &mut dyn $hooks) {
            if h.expr(e) == Walk::Skip {
                return;
            }
            match e {
                Expr::Array(x) => {
                    for c in $($r)* x.elems {
                        $expr(c, h);
                    }
                }
                Expr::Assign(x) => {
                    $expr($($r)* x.left, h);
                    $expr($($r)* x.right, h);
                }
                Expr::Binary(x) => {
                    $expr($($r)* x.left, h);
                    $expr($($r)* x.right, h);
                }
                Expr::Index(x) => {
                    $expr($($r)* x.expr, h);
                    $expr($($r)* x.index, h);
                }
                Expr::Repeat(x) => {
                    $expr($($r)* x.expr, h);
                    $expr($($r)* x.len, h);
                }
                Expr::Async(x) => $block($($r)* x.block, h),
                Expr::Block(x) => $block($($r)* x.block, h),
                Expr::Const(x) => $block($($r)* x.block, h),
                Expr::TryBlock(x) => $block($($r)* x.block, h),
                Expr::Unsafe(x) => $block($($r)* x.block, h),
                Expr::Loop(x) => $block($($r)* x.body, h),
                Expr::Await(x) => $expr($($r)* x.base, h),
                Expr::Field(x) => $expr($($r)* x.base, h),
                Expr::Cast(x) => $expr($($r)* x.expr, h),
                Expr::Group(x) => $expr($($r)* x.expr, h),
                Expr::Paren(x) => $expr($($r)* x.expr, h),
                Expr::RawAddr(x) => $expr($($r)* x.expr, h),
                Expr::Reference(x) => $expr($($r)* x.expr, h),
                Expr::Try(x) => $expr($($r)* x.expr, h),
                Expr::Unary(x) => $expr($($r)* x.expr, h),
                Expr::Break(x) => {
                    if let Some(c) = $($r)* x.expr {
                        $expr(c, h);
                    }
                }
                Expr::Return(x) => {
                    if let Some(c) = $($r)* x.expr {
                        $expr(c, h);
                    }
                }
                Expr::Yield(x) => {
                    if let Some(c) = $($r)* x.expr {
                        $expr(c, h);
                    }
                }
                Expr::Call(x) => {
                    $expr($($r)* x.func, h);
                    for c in $($r)* x.args {
                        $expr(c, h);
                    }
                }
                Expr::MethodCall(x) => {
                    $expr($($r)* x.receiver, h);
                    for c in $($r)* x.args {
                        $expr(c, h);
                    }
                }
                Expr::Tuple(x) => {
                    for c in $($r)* x.elems {
                        $expr(c, h);
                    }
                }
                Expr::Closure(x) => {
                    for p in $($r)* x.inputs {
                        $pat(p, h);
                    }
                    $expr($($r)* x.body, h);
                }
                Expr::ForLoop(x) => {
                    $pat($($r)* x.pat, h);
                    $expr($($r)* x.expr, h);
                    $block($($r)* x.body, h);
                }
                Expr::While(x) => {
                    $expr($($r)* x.cond, h);
                    $block($($r)* x.body, h);
                }
                Expr::If(x) => {
                    $expr($($r)* x.cond, h);
                    $block($($r)* x.then_branch, h);
                    if let Some((_, c)) = $($r)* x.else_branch {
                        $expr(c, h);
                    }
                }
                Expr::Let(x) => {
                    $pat($($r)* x.pat, h);
                    $expr($($r)* x.expr, h);
                }
                Expr::Match(x) => {
                    $expr($($r)* x.expr, h);
                    for arm in $($r)* x.arms {
                        $pat($($r)* arm.pat, h);
                        $expr($($r)* arm.body, h);
                    }
                }
                Expr::Range(x) => {
                    if let Some(c) = $($r)* x.start {
                        $expr(c, h);
                    }
                    if let Some(c) = $($r)* x.end {
                        $expr(c, h);
                    }
                }
                Expr::Struct(x) => {
                    for field in $($r)* x.fields {
                        $expr($($r)* field.expr, h);
                    }
                    if let Some(c) = $($r)* x.rest {
                        $expr(c, h);
                    }
                }
                Expr::Path(x) => h.path(x),
                Expr::Macro(x) => h.mac($($r)* x.mac),
                // Literals, `_`, `continue`, verbatim tokens, and what later syn versions add.
                _ => {}
            }
        }

        /// Walk a block's statements and everything in them but types.
        pub fn $block(b: $($r)* Block, h: &mut dyn $hooks) {
            for s in $($r)* b.stmts {
                $stmt(s, h);
            }
        }

        fn $stmt(s: $($r)* Stmt, h: &mut dyn $hooks) {
            if h.stmt(s) == Walk::Skip {
                return;
            }
            match s {
                Stmt::Local(local) => {
                    $pat($($r)* local.pat, h);
                    if let Some(init) = $($r)* local.init {
                        $expr($($r)* init.expr, h);
                        if let Some((_, c)) = $($r)* init.diverge {
                            $expr(c, h);
                        }
                    }
                }
                Stmt::Item(i) => $item(i, h),
                Stmt::Expr(e, _) => $expr(e, h),
                Stmt::Macro(m) => h.mac($($r)* m.mac),
            }
        }

        fn $pat(p: $($r)* Pat, h: &mut dyn $hooks) {
            match p {
                Pat::Const(x) => $block($($r)* x.block, h),
                Pat::Guard(x) => {
                    $pat($($r)* x.pat, h);
                    $expr($($r)* x.guard, h);
                }
                Pat::Ident(x) => {
                    if let Some((_, sub)) = $($r)* x.subpat {
                        $pat(sub, h);
                    }
                }
                Pat::Macro(x) => h.mac($($r)* x.mac),
                Pat::Or(x) => {
                    for c in $($r)* x.cases {
                        $pat(c, h);
                    }
                }
                Pat::Paren(x) => $pat($($r)* x.pat, h),
                Pat::Reference(x) => $pat($($r)* x.pat, h),
                Pat::Type(x) => $pat($($r)* x.pat, h),
                Pat::Path(x) => h.path(x),
                Pat::Range(x) => {
                    if let Some(c) = $($r)* x.start {
                        $expr(c, h);
                    }
                    if let Some(c) = $($r)* x.end {
                        $expr(c, h);
                    }
                }
                Pat::Slice(x) => {
                    for c in $($r)* x.elems {
                        $pat(c, h);
                    }
                }
                Pat::Tuple(x) => {
                    for c in $($r)* x.elems {
                        $pat(c, h);
                    }
                }
                Pat::TupleStruct(x) => {
                    for c in $($r)* x.elems {
                        $pat(c, h);
                    }
                }
                Pat::Struct(x) => {
                    for field in $($r)* x.fields {
                        $pat($($r)* field.pat, h);
                    }
                }
                // Literals, `_`, `..`, verbatim tokens.
                _ => {}
            }
        }

        /// Walk an item (a function, an impl, an inline module..) and the bodies in it.
        pub fn $item(i: $($r)* Item, h: &mut dyn $hooks) {
            if h.item(i) == Walk::Skip {
                return;
            }
            match i {
                Item::Fn(f) => $block($($r)* f.block, h),
                Item::Const(c) => $expr($($r)* c.expr, h),
                Item::Static(s) => $expr($($r)* s.expr, h),
                Item::Macro(m) => h.mac($($r)* m.mac),
                Item::Enum(en) => {
                    for variant in $($r)* en.variants {
                        if let Some((_, c)) = $($r)* variant.discriminant {
                            $expr(c, h);
                        }
                    }
                }
                Item::Mod(m) => {
                    if let Some((_, items)) = $($r)* m.content {
                        for i in items {
                            $item(i, h);
                        }
                    }
                }
                Item::Impl(imp) => {
                    for i in $($r)* imp.items {
                        match i {
                            ImplItem::Fn(f) => $block($($r)* f.block, h),
                            ImplItem::Const(c) => $expr($($r)* c.expr, h),
                            ImplItem::Macro(m) => h.mac($($r)* m.mac),
                            _ => {}
                        }
                    }
                }
                Item::Trait(t) => {
                    for i in $($r)* t.items {
                        match i {
                            TraitItem::Fn(f) => {
                                if let Some(b) = $($r)* f.default {
                                    $block(b, h);
                                }
                            }
                            TraitItem::Const(c) => {
                                if let Some((_, e)) = $($r)* c.default {
                                    $expr(e, h);
                                }
                            }
                            TraitItem::Macro(m) => h.mac($($r)* m.mac),
                            _ => {}
                        }
                    }
                }
                // Declarations with no expression outside types: structs, uses, aliases..
                _ => {}
            }
        }
    };
}

walkers!(Hooks, (&), expr, block, stmt, pat, item);
walkers!(
    HooksMut,
    (&mut),
    expr_mut,
    block_mut,
    stmt_mut,
    pat_mut,
    item_mut
);

/// Every token of `tokens`, inside groups too, with each identifier replaced by what `f`
/// returns for it (a lifetime's identifier, `a` of `'a`, with `lifetime` set; its quote is
/// kept).
pub(crate) fn map_idents(
    tokens: TokenStream,
    f: &mut dyn FnMut(Ident, bool) -> TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    let mut quote_before = false;
    for tree in tokens {
        let lifetime = std::mem::take(&mut quote_before);
        match tree {
            TokenTree::Ident(ident) => out.extend(f(ident, lifetime)),
            TokenTree::Group(group) => {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), map_idents(group.stream(), f));
                inner.set_span(group.span());
                out.extend([TokenTree::Group(inner)]);
            }
            TokenTree::Punct(p) => {
                quote_before = p.as_char() == '\'' && p.spacing() == Spacing::Joint;
                out.extend([TokenTree::Punct(p)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

/// `tokens` with every `self` that starts no path (`self.fence`, `self.len()`, not
/// `self::helper`) replaced by `to`: a check over `self` run where `self` is another value.
pub(crate) fn rename_self(tokens: TokenStream, to: &Ident) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "self" => {
                let starts_path = matches!(
                    (trees.get(i + 1), trees.get(i + 2)),
                    (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                        if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
                );
                if starts_path {
                    out.extend([tree.clone()]);
                } else {
                    let mut renamed = to.clone();
                    renamed.set_span(to.span().located_at(ident.span()));
                    out.extend([TokenTree::Ident(renamed)]);
                }
            }
            TokenTree::Group(group) => {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), rename_self(group.stream(), to));
                inner.set_span(group.span());
                out.extend([TokenTree::Group(inner)]);
            }
            other => out.extend([other.clone()]),
        }
    }
    out
}

/// Whether a type mentions `impl Trait` anywhere (`&impl T`, `Vec<impl T>`).
#[must_use]
pub fn mentions_impl_trait(ty: &Type) -> bool {
    let mut found = false;
    map_idents(ty.to_token_stream(), &mut |ident, lifetime| {
        found |= !lifetime && ident == "impl";
        TokenStream::new()
    });
    found
}

/// Whether a type names any of `idents` as a path segment, or any of `lifetimes` as a
/// lifetime (without its quote).
#[must_use]
pub fn mentions_any(ty: &Type, idents: &[&Ident], lifetimes: &[&Ident]) -> bool {
    let mut found = false;
    map_idents(ty.to_token_stream(), &mut |ident, lifetime| {
        let names = if lifetime { lifetimes } else { idents };
        found |= names.iter().any(|n| **n == ident);
        TokenStream::new()
    });
    found
}

/// `tokens` with every span set to `span`: a path such as `::distaudit::__private` put
/// inside `quote_spanned!` keeps the span of the user's expression, so rustc's notes point
/// at what the user wrote, not at the attribute.
#[must_use]
pub fn respan(
    tokens: &proc_macro2::TokenStream,
    span: proc_macro2::Span,
) -> proc_macro2::TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut t| {
            if let proc_macro2::TokenTree::Group(g) = &t {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(&g.stream(), span));
                group.set_span(span);
                t = proc_macro2::TokenTree::Group(group);
            } else {
                t.set_span(span);
            }
            t
        })
        .collect()
}

/// `ty` with every lifetime in it made `'static` (a test names the types it calls with).
#[must_use]
pub fn lifetimes_static(ty: &Type) -> Type {
    let tokens = map_idents(ty.to_token_stream(), &mut |ident, lifetime| {
        let name = if lifetime {
            Ident::new("static", ident.span())
        } else {
            ident
        };
        TokenTree::Ident(name).into()
    });
    syn::parse2(tokens).unwrap_or_else(|_| ty.clone())
}

/// `ty` with each type parameter of `map` that stands alone as a type (`T`, `&T`,
/// `Vec<T>`, `<T as Tr>::X`; not the `T` of `T::X`) replaced by its concrete type.
#[must_use]
pub fn substitute(ty: &Type, map: &[(Ident, Type)]) -> Type {
    fn replace(tokens: TokenStream, map: &[(Ident, Type)]) -> TokenStream {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let colons =
            |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ':');
        let mut out = TokenStream::new();
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Ident(ident)
                    if !colons(i.checked_sub(1).and_then(|j| trees.get(j)))
                        && !matches!(i.checked_sub(1).and_then(|j| trees.get(j)), Some(TokenTree::Punct(p)) if p.as_char() == '\'')
                        && !colons(trees.get(i + 1)) =>
                {
                    match map.iter().find(|(param, _)| param == ident) {
                        Some((_, concrete)) => out.extend(concrete.to_token_stream()),
                        None => out.extend([tree.clone()]),
                    }
                }
                TokenTree::Group(g) => {
                    let mut inner =
                        proc_macro2::Group::new(g.delimiter(), replace(g.stream(), map));
                    inner.set_span(g.span());
                    out.extend([TokenTree::Group(inner)]);
                }
                other => out.extend([other.clone()]),
            }
        }
        out
    }
    syn::parse2(replace(ty.to_token_stream(), map)).unwrap_or_else(|_| ty.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    /// What a walk saw, in order: each node's kind and tokens.
    #[derive(Default)]
    struct Seen(Vec<String>);

    impl Seen {
        fn push(&mut self, kind: &str, node: &dyn ToTokens) {
            self.0.push(format!("{kind} {}", node.to_token_stream()));
        }
    }

    impl Hooks for Seen {
        fn expr(&mut self, e: &Expr) -> Walk {
            self.push("expr", e);
            Walk::Descend
        }
        fn stmt(&mut self, s: &Stmt) -> Walk {
            self.push("stmt", s);
            Walk::Descend
        }
        fn item(&mut self, i: &Item) -> Walk {
            self.push("item", i);
            Walk::Descend
        }
        fn path(&mut self, p: &ExprPath) {
            self.push("path", p);
        }
        fn mac(&mut self, m: &Macro) {
            self.push("mac", m);
        }
    }

    /// syn's own traversal, told to stay out of what the engine's walk leaves out by
    /// design: types, generic arguments, signatures, generics and attributes.
    impl<'ast> syn::visit::Visit<'ast> for Seen {
        fn visit_expr(&mut self, e: &'ast Expr) {
            self.push("expr", e);
            syn::visit::visit_expr(self, e);
        }
        fn visit_stmt(&mut self, s: &'ast Stmt) {
            self.push("stmt", s);
            syn::visit::visit_stmt(self, s);
        }
        fn visit_item(&mut self, i: &'ast Item) {
            self.push("item", i);
            syn::visit::visit_item(self, i);
        }
        fn visit_expr_path(&mut self, p: &'ast ExprPath) {
            self.push("path", p);
            syn::visit::visit_expr_path(self, p);
        }
        fn visit_macro(&mut self, m: &'ast Macro) {
            self.push("mac", m);
            syn::visit::visit_macro(self, m);
        }
        fn visit_type(&mut self, _: &'ast Type) {}
        fn visit_generic_argument(&mut self, _: &'ast syn::GenericArgument) {}
        fn visit_signature(&mut self, _: &'ast syn::Signature) {}
        fn visit_generics(&mut self, _: &'ast syn::Generics) {}
        fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}
    }

    /// Every item of every Rust file of the workspace that parses (the engine, the CLI, the
    /// runtime, the UI cases, the fixtures, the example coordinator) is walked exactly as
    /// syn walks it, node for node, in the same order.
    #[test]
    fn the_walk_reaches_what_syns_visitor_reaches() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("a source dir") {
                let path = entry.expect("an entry").path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if path.is_dir() && name != "target" && !name.starts_with('.') {
                    files(&path, out);
                } else if name.ends_with(".rs") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut paths = Vec::new();
        for dir in [
            "src",
            "tests",
            "examples",
            "distaudit-core",
            "distaudit-registry",
            "cargo-distaudit",
            "bench",
        ] {
            files(&root.join(dir), &mut paths);
        }
        let mut walked = 0;
        for path in &paths {
            let Ok(file) = syn::parse_file(&std::fs::read_to_string(path).expect("read")) else {
                continue; // a UI case that does not parse on purpose
            };
            for i in &file.items {
                let (mut ours, mut syns) = (Seen::default(), Seen::default());
                item(i, &mut ours);
                syn::visit::Visit::visit_item(&mut syns, i);
                if let Some(at) = ours.0.iter().zip(&syns.0).position(|(a, b)| a != b) {
                    panic!(
                        "{}: the walk saw `{}` where syn saw `{}`",
                        path.display(),
                        ours.0[at],
                        syns.0[at]
                    );
                }
                assert_eq!(
                    ours.0.len(),
                    syns.0.len(),
                    "{}: {} nodes against syn's {}",
                    path.display(),
                    ours.0.len(),
                    syns.0.len()
                );
                walked += ours.0.len();
            }
        }
        assert!(walked > 10_000, "the corpus was read: {walked} nodes");
    }

    #[test]
    fn a_skipped_node_hides_its_children_and_others_are_reached() {
        struct Returns(usize);
        impl Hooks for Returns {
            fn expr(&mut self, e: &Expr) -> Walk {
                match e {
                    Expr::Return(_) => self.0 += 1,
                    Expr::Closure(_) => return Walk::Skip,
                    _ => {}
                }
                Walk::Descend
            }
        }
        let b: Block = parse_quote!({
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
        impl Hooks for Paths {
            fn path(&mut self, p: &ExprPath) {
                self.0.push(p.to_token_stream().to_string());
            }
        }
        let e: Expr = parse_quote!(match a {
            Foo::Bar => b,
            _ => c::d,
        });
        let mut p = Paths(Vec::new());
        expr(&e, &mut p);
        assert_eq!(p.0, ["a", "Foo :: Bar", "b", "c :: d"]);
    }

    #[test]
    fn every_lifetime_becomes_static() {
        let t: Type = parse_quote!(&'a Foo<'b, Vec<&'c [u8]>>);
        assert_eq!(
            lifetimes_static(&t).to_token_stream().to_string(),
            "& 'static Foo < 'static , Vec < & 'static [u8] > >"
        );
    }

    #[test]
    fn a_parameter_standing_alone_is_substituted_and_a_path_through_it_is_not() {
        let t: Type = parse_quote!((T, &'a T, Vec<T>, T::Item, <T as Tr>::X, Tee));
        let map = [(
            Ident::new("T", proc_macro2::Span::call_site()),
            parse_quote!(u8),
        )];
        assert_eq!(
            substitute(&t, &map).to_token_stream().to_string(),
            "(u8 , & 'a u8 , Vec < u8 > , T :: Item , < u8 as Tr > :: X , Tee)"
        );
    }

    #[test]
    fn a_type_is_read_for_names_lifetimes_and_impl_trait() {
        let t: Type = parse_quote!(&'a HashMap<K, Vec<impl Fn(u8)>>);
        let k = Ident::new("K", proc_macro2::Span::call_site());
        let a = Ident::new("a", proc_macro2::Span::call_site());
        assert!(mentions_any(&t, &[&k], &[]));
        assert!(mentions_any(&t, &[], &[&a]));
        assert!(!mentions_any(&t, &[&a], &[&k]));
        assert!(mentions_impl_trait(&t));
        assert!(!mentions_impl_trait(&parse_quote!(Vec<u8>)));
    }

    #[test]
    fn a_rewritten_expression_is_not_walked_again() {
        struct Double;
        impl HooksMut for Double {
            fn expr(&mut self, e: &mut Expr) -> Walk {
                if let Expr::Lit(_) = e {
                    *e = parse_quote!((1 + 1));
                    return Walk::Skip;
                }
                Walk::Descend
            }
        }
        let mut e: Expr = parse_quote!(a + 7);
        expr_mut(&mut e, &mut Double);
        assert_eq!(e.to_token_stream().to_string(), "a + (1 + 1)");
    }
}
