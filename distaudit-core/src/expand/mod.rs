//! From the resolved model to tokens: the item with its docs and woven checks, the errors
//! and warnings, the static assertions and the generated tests. Wiring only: every meaning
//! comes from the [`Audit`]; every emitter reads it.

mod contract;
pub use contract::with_contract;
mod key_range;
mod proptest;
mod registry_report;
mod type_invariant;
mod weave;

use crate::analyze::{self, Analysis, Audit, Site};
use crate::annotation::{self, TestSpec};
use crate::diag::{Code, Finding, Severity};
use crate::item::{self, ident_text};
use crate::locate;
use crate::registry::{Registry, RegistryError, project_registry};
use crate::render;
use crate::rules;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::registry::Checks;
pub use contract::contract_impl;

/// What the macro crate knows about the compilation, handed to the engine.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A switch for the whole build (`--cfg distaudit_checks=".."` in `RUSTFLAGS`, for
    /// benchmarks), over the crate's own `[checks]` in `distaudit.toml`.
    pub checks: Option<Checks>,
    /// The using crate's manifest directory (for `distaudit.toml` and the runtime's name).
    pub manifest_dir: Option<PathBuf>,
    /// The process expanding the macro: how often a problem of the whole crate is shown.
    pub host: Host,
}

/// The process that expands the macro.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Host {
    /// A compiler that compiles one crate per process, expanding each item once (rustc,
    /// clippy-driver): a problem of the whole crate is reported on the first item only.
    Compiler,
    /// Anything else (rust-analyzer's long-lived proc-macro server, a test calling the
    /// engine, an unknown host): every item reports it.
    #[default]
    Other,
}

/// The options with the check switch decided: the build's, else the crate's, else the
/// default.
#[derive(Clone, Debug)]
pub(crate) struct Decided {
    pub checks: Checks,
}

/// The attribute that keeps statements out of builds with checks, the negation of [`gate`]:
/// `None` when checks always run.
pub(super) fn gate_off(checks: Checks) -> Option<TokenStream> {
    match checks {
        Checks::Always => None,
        Checks::DebugAndTest | Checks::Off => {
            Some(quote!(#[cfg(not(any(debug_assertions, test)))]))
        }
    }
}

/// The attribute that gates check statements: a built-in cfg for the default mode, nothing
/// when checks always run.
pub(super) fn gate(checks: Checks) -> TokenStream {
    match checks {
        Checks::Always => TokenStream::new(),
        Checks::DebugAndTest | Checks::Off => quote!(#[cfg(any(debug_assertions, test))]),
    }
}

/// `<runtime>::__private` with every span set to `span` (see [`at`]), built from the path's
/// syntax rather than by walking its tokens: once or twice per woven check.
pub(super) fn private_at(runtime: &syn::Path, span: Span) -> TokenStream {
    let mut path = runtime.clone();
    if let Some(colons) = &mut path.leading_colon {
        colons.spans = [span, span];
    }
    for mut pair in path.segments.pairs_mut() {
        pair.value_mut().ident.set_span(span);
        if let syn::punctuated::Pair::Punctuated(_, colons) = pair {
            colons.spans = [span, span];
        }
    }
    let private = syn::Ident::new("__private", span);
    quote_spanned!(span=> #path::#private)
}

/// `tokens` with every span set to `span`: a path such as `::distaudit::__private` put
/// inside `quote_spanned!` keeps the span of the user's expression, so rustc's notes point
/// at what the user wrote, not at the attribute.
fn at(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut t| {
            if let proc_macro2::TokenTree::Group(g) = &t {
                let mut group = proc_macro2::Group::new(g.delimiter(), at(&g.stream(), span));
                group.set_span(span);
                t = proc_macro2::TokenTree::Group(group);
            } else {
                t.set_span(span);
            }
            t
        })
        .collect()
}

/// Findings as `compile_error!` invocations, each on its own span or range.
#[must_use]
pub fn errors(findings: &[Finding]) -> TokenStream {
    findings
        .iter()
        .filter(|f| f.severity() == Severity::Block)
        .map(Finding::to_compile_error)
        .collect()
}

/// Warnings through the deprecated-item technique: a real, spanned warning on stable. The
/// struct's name says what the warning is (`DA0010_weak_evidence_level_1_2`), since it is
/// what rustc's first line shows. Codes a crate allows in its `distaudit.toml`
/// (`[warnings] allow = ["DA0010"]`) are not emitted.
fn warnings(findings: &[Finding], allowed: &[Code]) -> TokenStream {
    findings
        .iter()
        .filter(|f| f.severity() == Severity::Warn && !allowed.contains(&f.code))
        .map(|f| {
            let note = f.message();
            let mut words = String::new();
            for c in f.code.title().chars() {
                if c.is_ascii_alphanumeric() {
                    words.push(c.to_ascii_lowercase());
                } else if !words.ends_with('_') {
                    words.push('_');
                }
            }
            let name = format_ident!(
                "{}_{}",
                f.code.to_string(),
                words.trim_end_matches('_'),
                span = f.span
            );
            let use_site = quote_spanned!(f.span=> #name);
            quote! {
                const _: () = {
                    #[deprecated(note = #note)]
                    #[allow(non_camel_case_types)]
                    struct #name;
                    let _ = #use_site;
                };
            }
        })
        .collect()
}

/// DA0014, a registry that cannot be loaded (`cargo distaudit` reports it with the same why).
/// A problem of the whole file (unreadable, a directory) names no line.
#[must_use]
pub fn registry_error(e: &RegistryError) -> Finding {
    Finding::new(
        Code::Registry,
        Span::call_site(),
        format!("the registry cannot be loaded: {e}"),
        "every annotation is checked against the registry, so a broken registry stops the build rather than letting code through unchecked",
        if e.line == 0 {
            format!(
                "fix {} as a whole: it cannot be used as a registry file",
                e.file
            )
        } else {
            format!("fix {} at line {}", e.file, e.line)
        },
    )
}

/// The tokens that make the build depend on the project's `distaudit.toml`.
fn registry_dependency(path: Option<&PathBuf>) -> TokenStream {
    match path.and_then(|p| p.to_str()) {
        Some(p) => quote!(
            const _: &[u8] = ::core::include_bytes!(#p);
        ),
        None => TokenStream::new(),
    }
}

/// `#[cfg(test)] const _: () = { let _ = path; };` so a `verify` typo fails the test build,
/// and the same for `delegates(.., to)` in every build. Inside a function body the
/// delegation is a `let _ = path;` statement instead, so `to = "Self::method"` resolves (a
/// nested const cannot name `Self`).
fn verify_refs(audit: &Audit<'_>, in_body: bool) -> TokenStream {
    let verify = audit.verify.iter().map(|v| {
        let path = &v.path;
        quote_spanned!(v.id.span=> #[cfg(test)] const _: () = { let _ = #path; };)
    });
    let delegations = audit.delegations.iter().map(|d| {
        let path = &d.path;
        if in_body {
            quote_spanned!(d.to.span=> let _ = #path;)
        } else {
            quote_spanned!(d.to.span=> const _: () = { let _ = #path; };)
        }
    });
    verify.chain(delegations).collect()
}

/// The module that hosts the tests of an impl's methods: `distaudit_<type>_<hash>` for an
/// inherent impl, `distaudit_<type>_<trait>_<hash>` for a trait impl. A type may have several
/// audited impls in one module, so the name carries a hash of what tells them apart: the
/// impl's header (generics, trait, self type) and the names of its annotated methods (two
/// inherent impls of one type cannot define the same method). The hash depends on tokens
/// only, so it is the same in every build; `cargo test distaudit_<type>` still selects them
/// all.
fn host_module(imp: &syn::ItemImpl, runtime: &syn::Path, aliases: &[String]) -> syn::Ident {
    let mut name = item::type_ident(&imp.self_ty)
        .map(ident_text)
        .unwrap_or_default();
    if let Some((path, _)) = &imp.trait_
        && let Some(last) = path.segments.last()
    {
        name = format!("{name}_{}", ident_text(&last.ident));
    }
    let mut snake = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 && !snake.ends_with('_') {
                snake.push('_');
            }
            snake.extend(ch.to_lowercase());
        } else {
            snake.push(ch);
        }
    }
    let path = imp.trait_.as_ref().map(|(path, _)| path);
    let generics = &imp.generics;
    let where_clause = &imp.generics.where_clause;
    let self_ty = &imp.self_ty;
    let mut identity = String::new();
    token_text(
        quote!(#generics #where_clause #path for #self_ty),
        &mut identity,
    );
    for impl_item in &imp.items {
        if let syn::ImplItem::Fn(f) = impl_item
            && f.attrs.iter().any(|a| is_coordination(a, runtime, aliases))
        {
            identity.push(' ');
            identity.push_str(&ident_text(&f.sig.ident));
        }
    }
    format_ident!(
        "distaudit_{}_{:08x}",
        snake,
        stable_hash(&identity) & 0xffff_ffff
    )
}

/// The text of tokens, one space between tokens, whatever spacing the source or a macro
/// gave them: what a hash of an item's identity reads.
fn token_text(tokens: TokenStream, out: &mut String) {
    for t in tokens {
        match t {
            proc_macro2::TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Brace => ("{", "}"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push(' ');
                token_text(g.stream(), out);
                out.push_str(close);
            }
            other => out.push_str(&other.to_string()),
        }
        out.push(' ');
    }
}

/// FNV-1a: a hash that is the same in every build and on every platform (std's hashers
/// promise neither).
pub(super) fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Refuses a generated test that would never run: one defined inside a function body,
/// which the test harness cannot name. The macro cannot see where its item is, so it asks
/// the compiler (the scope probe the runtime's `scope` module provides): beside the hosting module it
/// puts a trait of its own, which a module nested in the same scope sees only at module
/// level; inside a function body the probe's call falls back to the runtime's answer,
/// whose unmet bound says what is wrong, spanned on `test`. In test builds the hosting
/// module's items also pass through a macro (`gate`) defined after the module and
/// re-exported by path, which only the module-level case can name, so a test inside a
/// function adds no unresolved names of its own to the error. Returns the tokens to put
/// after the hosting module, and the gate.
fn scope_guard(module: &syn::Ident, span: Span, runtime: &syn::Path) -> (TokenStream, syn::Ident) {
    let private = quote!(#runtime::__private);
    let probe_trait = format_ident!("__distaudit_scope_of_{}", module);
    let gate = format_ident!("__distaudit_items_of_{}", module);
    let id = stable_hash(&ident_text(module));
    let call = at(
        &quote!(#private::at_module_level(#private::ScopeProbe::<#id>.distaudit_scope())),
        span,
    );
    let tokens = quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        trait #probe_trait {
            fn distaudit_scope(self) -> #private::ModuleLevel;
        }
        impl #probe_trait for #private::ScopeProbe<#id> {
            fn distaudit_scope(self) -> #private::ModuleLevel {
                #private::ModuleLevel
            }
        }
        const _: () = {
            #[allow(unused_imports)]
            mod distaudit_scope {
                use super::*;
                use #private::InFunctionBody as _;
                #[allow(dead_code)]
                fn probe() {
                    #call;
                }
            }
        };
        #[cfg(test)]
        #[doc(hidden)]
        #[allow(unused_macros)]
        macro_rules! #gate {
            ($($items:tt)*) => { $($items)* };
        }
        #[cfg(test)]
        #[allow(unused_imports)]
        use #gate;
    };
    (tokens, gate)
}

/// The registry and the runtime's path, as seen from the crate being compiled.
struct Environment {
    registry: Arc<Registry>,
    registry_path: Option<PathBuf>,
    runtime: syn::Path,
    /// Other names of `#[coordination]` in the audited code (`use ..::coordination as c;`).
    aliases: Vec<String>,
}

impl Environment {
    /// The check switch: the build's, else the crate's `[checks]`, else the default.
    fn decided(&self, opts: &Options) -> Decided {
        Decided {
            checks: opts.checks.or(self.registry.checks).unwrap_or_default(),
        }
    }

    fn load(opts: &Options) -> Result<Self, RegistryError> {
        let (registry, registry_path) = if opts.host == Host::Compiler {
            compiler_registry(opts.manifest_dir.as_deref())?
        } else {
            project_registry(opts.manifest_dir.as_deref())?
        };
        Ok(Environment {
            registry,
            registry_path,
            runtime: locate::runtime_path(opts.manifest_dir.as_deref()),
            aliases: Vec::new(),
        })
    }

    fn site(&self, hosted: bool, owner: Option<String>) -> Site {
        Site {
            hosted,
            owner,
            runtime: self.runtime.clone(),
            impl_init: false,
            anchor: None,
            aliases: self.aliases.clone(),
        }
    }
}

/// A project registry as loaded, with the file it came from.
type Loaded = Result<(std::sync::Arc<crate::registry::Registry>, Option<PathBuf>), RegistryError>;

/// The project registry for a compiler host, read once per manifest directory: a compiler
/// compiles one crate per process and the file cannot change under it (the build depends on
/// it through `include_bytes!`), so the file is not looked at again for every item. A
/// long-lived host ([`Host::Other`]) reads it per item, to see edits.
fn compiler_registry(dir: Option<&std::path::Path>) -> Loaded {
    type Cache = std::sync::Mutex<Vec<(Option<PathBuf>, Loaded)>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let key = dir.map(std::path::Path::to_path_buf);
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, loaded)) = cache.iter().find(|(k, _)| *k == key) {
        return loaded.clone();
    }
    let loaded = project_registry(dir);
    cache.push((key, loaded.clone()));
    loaded
}

/// `#[coordination(..)]` on any item.
#[must_use]
pub fn coordination(args: TokenStream, item: TokenStream, opts: &Options) -> TokenStream {
    let env = match Environment::load(opts) {
        Ok(env) => env,
        Err(e) => {
            let err = registry_report::registry_failure(&e, opts);
            return quote!(#item #err);
        }
    };
    let site = env.site(false, None);
    let opts = &env.decided(opts);
    // A function whose annotation weaves nothing and whose body names nothing a rule looks
    // for is analysed without its body: the body is never parsed, and passes through as
    // written.
    let split = item::FnTokens::split(&item);
    let lean = if annotation::needs_body(&args) {
        None
    } else {
        split.as_ref().and_then(item::FnTokens::lean)
    };
    let analysed = lean.clone().unwrap_or_else(|| item.clone());
    let (audit, subject, findings) =
        match analyze::analyze_tokens(&env.registry, args, analysed, &site) {
            Analysis::Refused(findings) => {
                let err = errors(&findings);
                return quote!(#item #err);
            }
            Analysis::Ready {
                audit,
                subject,
                findings,
            } => (audit, subject, findings),
        };
    if findings.iter().any(|f| f.severity() == Severity::Block) {
        let err = errors(&findings);
        return quote!(#item #err);
    }
    let in_body = matches!(*subject, item::Subject::Fn(_));
    let extras = extras(&audit, &findings, env.registry_path.as_ref(), in_body);
    match *subject {
        item::Subject::Fn(f) => {
            let test = audit.test.as_ref().map(|spec| {
                let name = format_ident!("distaudit_{}", ident_text(&f.sig.ident));
                let (guard, gate) = scope_guard(&name, spec.span, &audit.runtime);
                let tokens = proptest::free_fn_test(&f, spec, &name, &audit.runtime, Some(&gate));
                (format!("{name}::{name}"), quote!(#tokens #guard))
            });
            let test_name = test.as_ref().map(|(n, _)| n.as_str());
            let test_tokens = test.as_ref().map(|(_, t)| t.clone()).unwrap_or_default();
            let Some(split) = split else {
                // Not a function with a body after all: pass it through for rustc to judge.
                return quote!(#item #test_tokens);
            };
            let doc = doc_tokens(&render::decision_record(&audit, test_name));
            // The body is handed on as its own tokens, wrapped by the woven checks; only
            // whether it can leave early is read, from its tokens when they show it cannot.
            let exits_early = || {
                if lean.is_some() {
                    crate::exprs::body_may_exit_early(&split.body)
                } else {
                    crate::exprs::may_exit_early(&f.block)
                }
            };
            let woven = weave::weave(&f.sig, &split.body, exits_early, &audit, opts);
            // A body with nothing woven and nothing added stays the group it was.
            let body = (woven.is_some() || !extras.is_empty()).then(|| {
                let mut body = extras;
                body.extend(woven.unwrap_or_else(|| split.body.stream()));
                body
            });
            let item = split.rebuild(doc, body);
            quote!(#item #test_tokens)
        }
        other => {
            let doc = render::decision_record(&audit, None);
            let typed = key_range::generate(&other, &audit);
            let invariants = type_invariant::generate(&other, &audit);
            let item = insert_doc(item, &doc);
            quote!(#item #typed #invariants #extras)
        }
    }
}

/// Everything added beside (or at the top of) an item: warnings, `verify` references and
/// the dependency on the project registry.
fn extras(
    audit: &Audit<'_>,
    findings: &[Finding],
    registry_path: Option<&PathBuf>,
    in_body: bool,
) -> TokenStream {
    let warnings = warnings(findings, &audit.registry.allowed_warnings);
    let verify = verify_refs(audit, in_body);
    let dependency = registry_dependency(registry_path);
    quote!(#warnings #verify #dependency)
}

/// Docs, extras at the top of the body, and the woven checks.
fn finish_fn(
    f: &mut syn::ItemFn,
    audit: &Audit<'_>,
    opts: &Decided,
    extras: &TokenStream,
    test_name: Option<&str>,
) {
    let doc = render::decision_record(audit, test_name);
    f.attrs.push(doc_attr(&doc));
    let block = &f.block;
    let Some(proc_macro2::TokenTree::Group(body)) = quote!(#block).into_iter().next() else {
        return;
    };
    let woven = weave::weave(
        &f.sig,
        &body,
        || crate::exprs::may_exit_early(block),
        audit,
        opts,
    );
    if woven.is_some() || !extras.is_empty() {
        // Handed on as tokens, not parsed back.
        let mut stream = extras.clone();
        stream.extend(woven.unwrap_or_else(|| body.stream()));
        f.block.stmts = vec![syn::Stmt::Item(syn::Item::Verbatim(stream))];
    }
}

/// `#[doc = ".."]` as tokens, built directly: no syntax tree to print.
fn doc_tokens(doc: &str) -> TokenStream {
    use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, TokenTree};
    let span = Span::call_site();
    let inner: TokenStream = [
        TokenTree::Ident(Ident::new("doc", span)),
        TokenTree::Punct(Punct::new('=', Spacing::Alone)),
        TokenTree::Literal(Literal::string(doc)),
    ]
    .into_iter()
    .collect();
    [
        TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Bracket, inner)),
    ]
    .into_iter()
    .collect()
}

/// `#[doc = ".."]`, built directly rather than parsed from tokens.
fn doc_attr(doc: &str) -> syn::Attribute {
    let span = Span::call_site();
    syn::Attribute {
        pound_token: syn::Token![#](span),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(span),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Ident::new("doc", span).into(),
            eq_token: syn::Token![=](span),
            value: syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(doc, span)),
            }),
        }),
    }
}

/// The item's own tokens with the decision record after its leading attributes (so it
/// follows the user's docs): nothing of the item is re-printed.
fn insert_doc(item: TokenStream, doc: &str) -> TokenStream {
    let mut tokens = item.into_iter().peekable();
    let mut out = TokenStream::new();
    loop {
        let is_attr =
            matches!(tokens.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '#');
        if !is_attr {
            break;
        }
        let mut probe = tokens.clone();
        probe.next();
        if !matches!(probe.peek(), Some(proc_macro2::TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Bracket)
        {
            break;
        }
        out.extend(tokens.next());
        out.extend(tokens.next());
    }
    out.extend(doc_tokens(doc));
    out.extend(tokens);
    out
}

/// Take the `#[coordination(..)]` out of `attrs`, for a macro that expands it itself (an
/// audited impl or trait). Returns its arguments (none for a bare `#[coordination]`) and
/// where it is written, or `None` when there is none; `#[coordination = ..]` is reported.
/// `uses` receives the code that keeps the user's `use` of the attribute from turning
/// unused.
fn take_coordination(
    attrs: &mut Vec<syn::Attribute>,
    runtime: &syn::Path,
    aliases: &[String],
    uses: &mut TokenStream,
    findings: &mut Vec<Finding>,
) -> Option<Option<(TokenStream, Span)>> {
    let pos = attrs
        .iter()
        .position(|a| is_coordination(a, runtime, aliases))?;
    let attr = attrs.remove(pos);
    let path = attr.path();
    uses.extend(quote!(const _: () = { #[allow(unused_imports)] use #path as _; };));
    let at = path
        .segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span());
    match annotation::attribute_arguments(&attr.meta) {
        Ok(args) => Some(Some((args, at))),
        Err(refused) => {
            findings.push(refused);
            Some(None)
        }
    }
}

/// Whether an attribute is `#[coordination(..)]`: the engine's one decision
/// ([`crate::attribute::is_coordination`]), re-exported where the expansion has always had it.
pub use crate::attribute::is_coordination;

/// `#[distaudit::audit]` on an impl block, a trait or an inline module.
#[must_use]
pub fn audit(args: TokenStream, item: TokenStream, opts: &Options) -> TokenStream {
    let (machine_test, mut findings) = annotation::parse_audit(args.clone());
    let mut env = match Environment::load(opts) {
        Ok(env) => env,
        Err(e) => {
            let err = registry_report::registry_failure(&e, opts);
            return quote!(#item #err);
        }
    };
    let parsed = syn::parse2::<syn::Item>(item.clone());
    if let Ok(syn::Item::Mod(m)) = &parsed
        && let Some((_, items)) = &m.content
    {
        env.aliases = crate::attribute::aliases(items, &env.runtime);
    }
    let env = env;
    let decided = env.decided(opts);
    let impl_or_handoff =
        |i: syn::ItemImpl, test: Option<&TestSpec>, findings: &mut Vec<Finding>| {
            match contract::receives_contract(&i) {
                // The impl's arguments travel with it; the contract's side reads them.
                Some(path) => contract::hand_to_trait(&i, path, &env, &args),
                None => audit_impl(i, &env, &decided, test, findings),
            }
        };
    if let Ok(parsed) = &parsed {
        let target = match parsed {
            syn::Item::Impl(_) => rules::audit::AuditTarget::Impl,
            syn::Item::Trait(_) => rules::audit::AuditTarget::Trait,
            syn::Item::Mod(m) if m.content.is_some() => rules::audit::AuditTarget::InlineModule,
            _ => rules::audit::AuditTarget::Other,
        };
        // On an item it does not go on, the finding points at the attribute to move.
        if let Some(refused) = rules::audit::audit_target(
            target,
            machine_test.as_ref().map(|t| t.span),
            Span::call_site(),
        ) {
            findings.push(refused);
            let err = errors(&findings);
            return quote!(#item #err);
        }
    }
    let out = match parsed {
        Ok(syn::Item::Impl(i)) => impl_or_handoff(i, machine_test.as_ref(), &mut findings),
        Ok(syn::Item::Trait(t)) => contract::audit_trait(t, &env, &mut findings),
        Ok(syn::Item::Mod(mut m)) if m.content.is_some() => {
            let mut hosted = TokenStream::new();
            if let Some((_, items)) = &mut m.content {
                for it in std::mem::take(items) {
                    match it {
                        syn::Item::Impl(i) => {
                            hosted.extend(impl_or_handoff(i, None, &mut findings))
                        }
                        syn::Item::Trait(t) => {
                            hosted.extend(contract::audit_trait(t, &env, &mut findings));
                        }
                        other => hosted.extend(other.into_token_stream()),
                    }
                }
                // Handed on as tokens: the audited impls are not parsed back.
                *items = vec![syn::Item::Verbatim(hosted)];
            }
            m.into_token_stream()
        }
        // Refused above.
        Ok(_) | Err(_) => item,
    };
    let err = errors(&findings);
    quote!(#out #err)
}

/// The state-machine test `#[distaudit::audit(test(..))]` asks for, over every call kind
/// of the impl's methods with `test`.
fn state_machine(
    spec: &TestSpec,
    kinds: &[proptest::CallKind],
    sut: &syn::Type,
    can_test: bool,
    runtime: &syn::Path,
    findings: &mut Vec<Finding>,
) -> TokenStream {
    let refused = rules::machine_test_findings(spec.span, spec.init.is_some(), kinds.len());
    if !refused.is_empty() {
        findings.extend(refused);
        return TokenStream::new();
    }
    match (&spec.init, kinds.is_empty()) {
        (Some(init), false) if can_test => {
            let machine_module = format_ident!("state_machine");
            let machine =
                proptest::MachineSpec::audited(spec, quote!(#sut), init, &machine_module, runtime);
            proptest::machine(&machine, kinds)
        }
        // A generic impl whose `init` names no type: the methods' own findings say so.
        _ => TokenStream::new(),
    }
}

fn audit_impl(
    mut imp: syn::ItemImpl,
    env: &Environment,
    opts: &Decided,
    machine_test: Option<&TestSpec>,
    findings: &mut Vec<Finding>,
) -> TokenStream {
    let type_name = item::type_name(&imp.self_ty).unwrap_or_default();
    let module = host_module(&imp, &env.runtime, &env.aliases);
    let impl_init = machine_test.is_some_and(|t| t.init.is_some());
    let mut machines = TokenStream::new();
    let mut kinds = Vec::new();
    let mut siblings = TokenStream::new();
    let self_ty = imp.self_ty.clone();
    // A generic impl is tested at the type its `init` names (`WorkQueue::<u8>::new(..)`).
    let concrete = if rules::audit::nameable(&imp) {
        Some((crate::walk::lifetimes_static(&self_ty), Vec::new()))
    } else {
        let init = machine_test.and_then(|t| t.init.clone()).or_else(|| {
            imp.items.iter().find_map(|i| match i {
                syn::ImplItem::Fn(f) => f.attrs.iter().find_map(|a| {
                    let syn::Meta::List(l) = &a.meta else {
                        return None;
                    };
                    is_coordination(a, &env.runtime, &env.aliases)
                        .then(|| annotation::parse(l.tokens.clone()).0.test?.init)
                        .flatten()
                }),
                _ => None,
            })
        });
        init.and_then(|i| rules::audit::concrete_self(&i.expr, &imp))
    };
    let can_test = concrete.is_some();
    let (sut, type_args) =
        concrete.unwrap_or_else(|| (crate::walk::lifetimes_static(&self_ty), Vec::new()));
    // Which decisions each annotated method upholds, and what each delegates: a
    // delegation to a method of this impl is verified here, the rest by `cargo distaudit`.
    let mut upheld: Vec<(String, Vec<String>)> = Vec::new();
    let mut delegated: Vec<(String, String, Span, String)> = Vec::new();
    // Where the impl's first generated test is asked for: the scope probe's span.
    let mut first_test: Option<Span> = None;
    for impl_item in &mut imp.items {
        let syn::ImplItem::Fn(method) = impl_item else {
            continue;
        };
        let Some(Some((args, at))) = take_coordination(
            &mut method.attrs,
            &env.runtime,
            &env.aliases,
            &mut siblings,
            findings,
        ) else {
            continue;
        };
        let mut f = syn::ItemFn {
            attrs: method.attrs.clone(),
            vis: method.vis.clone(),
            modifiers: method.modifiers.clone(),
            sig: method.sig.clone(),
            block: Box::new(method.block.clone()),
        };
        let method_name = f.sig.ident.to_string();
        let mut site = env.site(true, Some(format!("{type_name}::{method_name}")));
        site.impl_init = impl_init;
        site.anchor = Some(at);
        let subject = item::Subject::Fn(f.clone());
        let (audit, found) = analyze::analyze(&env.registry, args, &subject, &site);
        let name = ident_text(&f.sig.ident);
        for d in &audit.delegations {
            let to = &d.to;
            delegated.push((
                d.decision.id.clone(),
                to.value.clone(),
                to.span,
                name.clone(),
            ));
        }
        upheld.push((
            name,
            audit.checked_decisions().map(str::to_string).collect(),
        ));
        if found.iter().any(|x| x.severity() == Severity::Block) {
            siblings.extend(errors(&found));
            continue;
        }
        let mut test_names = Vec::new();
        if let Some(spec) = &audit.test {
            first_test.get_or_insert(spec.span);
            if !can_test {
                findings.push(rules::audit::test_on_generic_impl(&method_name, spec.span));
            } else {
                let kind = proptest::call_kind(&f, spec, &audit.runtime, &|t| {
                    crate::walk::substitute(t, &type_args)
                });
                if let Some(init) = &spec.init {
                    let machine = proptest::MachineSpec::audited(
                        spec,
                        quote!(#sut),
                        init,
                        &f.sig.ident,
                        &audit.runtime,
                    );
                    machines.extend(proptest::machine(&machine, std::slice::from_ref(&kind)));
                    test_names.push(format!("{module}::{method_name}"));
                    kinds.push(kind);
                } else {
                    kinds.push(kind);
                }
                if impl_init {
                    test_names.push(format!("{module}::state_machine"));
                }
            }
        }
        let test_name = (!test_names.is_empty()).then(|| test_names.join("`, `"));
        let extras = extras(&audit, &found, env.registry_path.as_ref(), true);
        finish_fn(&mut f, &audit, opts, &extras, test_name.as_deref());
        method.attrs = f.attrs;
        method.block = *f.block;
    }
    if let Some(spec) = machine_test {
        machines.extend(state_machine(
            spec,
            &kinds,
            &sut,
            can_test,
            &env.runtime,
            findings,
        ));
    }
    // The target of a verified delegation names who leaves the decision to it.
    let mut left_here: Vec<(String, String)> = Vec::new();
    let methods: Vec<String> = imp
        .items
        .iter()
        .filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(ident_text(&f.sig.ident)),
            _ => None,
        })
        .collect();
    let methods: Vec<&str> = methods.iter().map(String::as_str).collect();
    for (decision, to, span, from) in &delegated {
        let Some(method) = rules::same_impl_method(to, &type_name, &methods) else {
            continue;
        };
        let target_checks = upheld
            .iter()
            .find(|(name, _)| name == method)
            .map(|(_, decisions)| decisions.contains(decision));
        if let Some(target) = rules::delegation_verdict(target_checks) {
            findings.push(rules::delegation_finding(decision, to, target, *span));
        } else {
            left_here.push((
                method.to_string(),
                format!("{decision} is left to this item by `{from}`, which does not check it."),
            ));
        }
    }
    for impl_item in &mut imp.items {
        if let syn::ImplItem::Fn(method) = impl_item {
            let name = ident_text(&method.sig.ident);
            for (_, line) in left_here.iter().filter(|(target, _)| *target == name) {
                method.attrs.push(doc_attr(&format!("\n{line}")));
            }
        }
    }
    // The type's own invariants, after every method that changes or makes a value of it.
    for impl_item in &mut imp.items {
        if let syn::ImplItem::Fn(method) = impl_item {
            type_invariant::check_after(method, &imp.self_ty, &type_name, &env.runtime, opts);
        }
    }
    let host = match first_test {
        Some(span) if !machines.is_empty() => {
            let (guard, gate) = scope_guard(&module, span, &env.runtime);
            quote! {
                #[cfg(test)]
                #[allow(non_snake_case)]
                mod #module {
                    #[allow(unused_imports)]
                    use super::*;
                    #gate! { #machines }
                }
                #guard
            }
        }
        _ => TokenStream::new(),
    };
    quote!(#imp #host #siblings)
}

#[cfg(test)]
mod snapshot_tests;
