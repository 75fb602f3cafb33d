//! The level above the item, read from the source: `#[distaudit::audit]` on an impl or a
//! trait, handed to the engine ([`engine::audited_impl`], [`engine::audited_trait`]), whose
//! models are recorded as the attribute's own findings. Nothing here decides what the
//! audit means; this file finds the attributes and places what the engine says.

use super::attrs::{
    impl_item_attrs, impl_item_attrs_mut, impl_name, is_test_only, path_of, split,
    trait_item_attrs, trait_item_attrs_mut, unraw_path, written_path,
};
use super::contracts::{AfterAsyncTrait, ContractImpl, TraitContract};
use super::{Annotated, AnnotatedFindings, Placed, Walker};
use crate::engine::{self, AuditTarget, Finding, ItemModel, Placement, ReceivedContract};
use crate::model::{Issue, ItemScope, Region, Source};
use proc_macro2::{Span, TokenStream};
use std::borrow::Cow;
use syn::ext::IdentExt as _;
use syn::spanned::Spanned;

/// Where an impl is, and how its un-annotated methods are read.
pub(super) struct Host {
    pub module: Vec<String>,
    /// The directly enclosing inline module carries `#[distaudit::audit]`.
    pub audited_parent: bool,
    pub test_only: bool,
    /// Un-annotated methods go through the family detector.
    pub candidates: bool,
}

impl Walker<'_, '_> {
    /// A struct or enum whose annotation states checks: the build implements
    /// `TypeInvariant` for it.
    pub(super) fn invariant_type(&mut self, ident: &syn::Ident, model: Option<&ItemModel>) {
        if model.is_some_and(|m| !m.checks.is_empty()) {
            self.out.invariant_types.push(ident.unraw().to_string());
        }
    }

    /// An annotated struct, enum or trait: its methods are covered by its record for the
    /// families of its patterns.
    pub(super) fn annotate_type(&mut self, ident: &syn::Ident, model: Option<&ItemModel>) {
        if let Some(m) = model {
            self.out
                .annotated_types
                .push((ident.to_string(), m.pattern_ids()));
        }
    }

    /// `#[distaudit::audit]` on an item that is not an impl: the engine's findings of its
    /// arguments and of where it is written. The impl's own are read by
    /// [`Self::impl_block`].
    pub(super) fn audit_placement(&mut self, item: &syn::Item, path: &str) {
        let target = AuditTarget::of(item);
        if target == AuditTarget::Impl {
            return;
        }
        let Some(attr) = super::attrs::attrs_of(item)
            .iter()
            .find(|a| self.ctx.runtime.is_audit(a))
        else {
            return;
        };
        let found = engine::audit_attribute(audit_args(attr), target, attr.span());
        self.attribute_findings(found, path, attr.span());
    }

    /// Findings reported on an item's attribute, when there are any.
    pub(super) fn attribute_findings(&mut self, findings: Vec<Finding>, path: &str, at: Span) {
        if !findings.is_empty() {
            self.report(findings, path, at);
        }
    }

    /// Findings of one item, as the attribute gives them: each an issue, and together the
    /// item's entry for the consistency check.
    pub(super) fn report(&mut self, findings: Vec<Finding>, path: &str, attr_span: Span) {
        let fallback = Region::of(attr_span);
        for f in &findings {
            self.out.issues.push(Issue::from_finding(
                f,
                self.ctx.krate,
                Some(path),
                self.ctx.shown,
                fallback,
                Source::Annotation,
            ));
        }
        self.annotated.push(AnnotatedFindings {
            path: path.to_string(),
            attr_line: fallback.map_or(0, |r| r.line),
            findings,
        });
    }

    /// An impl block: audited, through the engine's impl level; otherwise method by method.
    pub(super) fn impl_block(&mut self, i: &syn::ItemImpl, path: &str, host: &Host) {
        let aliases = self.aliases.clone();
        let runtime = self.ctx.runtime.in_module(&aliases);
        let attr = i.attrs.iter().find(|a| runtime.is_audit(a));
        let (args, attr_span) = match attr {
            Some(a) => (audit_args(a), a.span()),
            None if host.audited_parent => (TokenStream::new(), Span::call_site()),
            None => return self.plain_impl(i, host),
        };
        if attr.is_some() {
            let found = engine::audit_attribute(args.clone(), AuditTarget::Impl, attr_span);
            self.attribute_findings(found, path, attr_span);
        }
        if let Some(trait_path) = engine::receives_contract(i) {
            self.contract_impl_methods(i, trait_path, &host.module);
        }
        let rewritten = engine::as_received(i, &|a| runtime.is_audit(a));
        let imp = rewritten.as_ref().unwrap_or(i);
        let Some(registry) = self.ctx.registry else {
            return;
        };
        let received = self.received(imp, &host.module);
        let audited = engine::audited_impl(registry, imp, args, runtime.name, &aliases, &received);
        let ty = impl_name(imp);
        let base = path_of(&host.module, &ty);
        for &index in &audited.lost_to_async_trait {
            if let Some(syn::ImplItem::Fn(f)) = imp.items.get(index) {
                self.out.after_async_trait.push(AfterAsyncTrait {
                    self_ty: ty.trim_start_matches("r#").to_string(),
                    item: format!("{base}::{}", f.sig.ident),
                    region: Region::of(f.sig.ident.span()),
                    file: self.ctx.shown.to_string(),
                });
                self.after_async_spans.push(f.sig.ident.span());
            }
        }
        let scope = ItemScope {
            module: host.module.clone(),
            self_type: Some(ty.clone()),
            // The attribute expands a hosted impl's methods together, and verifies a
            // delegation from one to another there.
            audited_methods: Some(
                imp.items
                    .iter()
                    .filter_map(|ii| match ii {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.unraw().to_string()),
                        _ => None,
                    })
                    .collect(),
            ),
        };
        for (index, ii) in imp.items.iter().enumerate() {
            let expanded = matches!(ii, syn::ImplItem::Fn(f)
                if f.attrs.iter().any(|a| runtime.is_coordination(a)));
            if let Some(m) = audited.method_at(index) {
                let syn::ImplItem::Fn(f) = ii else { continue };
                let own = f.attrs.iter().find(|a| runtime.is_coordination(a));
                let at = Placed {
                    path: format!("{base}::{}", m.name),
                    shape: engine::shapes::METHOD,
                    whole: f.span(),
                    attr_span: own.map_or_else(|| f.sig.ident.span(), Spanned::span),
                    scope: scope.clone(),
                };
                self.record(&at, m.analyzed.clone());
            } else if !expanded {
                // (An expanded method the engine has no model of was refused: its finding
                // is the impl's.)
                self.impl_item(ii, &base, &ty, host, &scope);
            }
        }
        // The impl's own findings, each on the method it is written in (a renamed
        // parameter, a `test` a generic impl cannot build), else on the impl.
        for f in audited.findings {
            let line = Region::of(f.span).map(|r| r.line);
            let owner = imp.items.iter().find_map(|ii| match ii {
                syn::ImplItem::Fn(m) => {
                    let r = Region::of(m.span())?;
                    (r.line..=r.end_line)
                        .contains(&line?)
                        .then(|| format!("{base}::{}", m.sig.ident))
                }
                _ => None,
            });
            self.report(vec![f], owner.as_deref().unwrap_or(&base), attr_span);
        }
    }

    /// An impl without `#[distaudit::audit]`: each annotated item expands on its own.
    fn plain_impl(&mut self, i: &syn::ItemImpl, host: &Host) {
        let ty = impl_name(i);
        let base = path_of(&host.module, &ty);
        let scope = ItemScope {
            module: host.module.clone(),
            self_type: Some(ty.clone()),
            audited_methods: None,
        };
        for ii in &i.items {
            self.impl_item(ii, &base, &ty, host, &scope);
        }
    }

    /// An item whose `#[coordination]` expands on its own (`split` found it), as an item.
    pub(super) fn annotated_alone(
        &mut self,
        (args, tokens, attr_span): (Result<TokenStream, Finding>, TokenStream, Span),
        path: String,
        shape: &'static str,
        whole: Span,
        scope: &ItemScope,
    ) -> Option<ItemModel> {
        self.annotated(Annotated {
            args,
            tokens,
            placement: Placement::default(),
            at: Placed {
                path,
                shape,
                whole,
                attr_span,
                scope: scope.clone(),
            },
        })
    }

    /// An impl item the impl level does not expand: annotated on its own, or a candidate.
    fn impl_item(
        &mut self,
        ii: &syn::ImplItem,
        base: &str,
        ty: &str,
        host: &Host,
        scope: &ItemScope,
    ) {
        let aliases = self.aliases.clone();
        let runtime = self.ctx.runtime.in_module(&aliases);
        let (name, whole) = match ii {
            syn::ImplItem::Fn(m) => (m.sig.ident.to_string(), m.span()),
            syn::ImplItem::Const(c) => (c.ident.to_string(), c.span()),
            syn::ImplItem::Type(t) => (t.ident.to_string(), t.span()),
            _ => ("item".to_string(), ii.span()),
        };
        let path = format!("{base}::{name}");
        if let Some(found) = split(ii, impl_item_attrs(ii), runtime, impl_item_attrs_mut) {
            self.annotated_alone(found, path, engine::shapes::METHOD, whole, scope);
            return;
        }
        if let syn::ImplItem::Fn(m) = ii
            && host.candidates
            && !host.test_only
            && !is_test_only(&m.attrs)
        {
            let f = syn::ItemFn {
                attrs: m.attrs.clone(),
                vis: m.vis.clone(),
                modifiers: m.modifiers.clone(),
                sig: m.sig.clone(),
                block: Box::new(m.block.clone()),
            };
            self.candidate_fn(Cow::Owned(f), path, Some(ty.to_string()), true);
        }
    }

    /// The contracts an audited impl's methods receive from the crate's traits (on the
    /// second reading; none on the first).
    fn received(&self, imp: &syn::ItemImpl, module: &[String]) -> Vec<ReceivedContract> {
        let (Some(contracts), Some((trait_path, _))) = (self.ctx.contracts, &imp.trait_) else {
            return Vec::new();
        };
        let trait_path = written_path(trait_path);
        imp.items
            .iter()
            .filter_map(|ii| {
                let syn::ImplItem::Fn(m) = ii else {
                    return None;
                };
                let method = m.sig.ident.unraw().to_string();
                let c = &contracts.contracts[contracts.of(module, &trait_path, &method)?];
                Some(ReceivedContract {
                    method,
                    params: c.params.clone(),
                    args: c.args.parse().ok()?,
                })
            })
            .collect()
    }

    /// The methods of an audited impl of `trait_path`, each of which receives the trait's
    /// contract for it (paired with the contracts once the crate is read).
    fn contract_impl_methods(
        &mut self,
        i: &syn::ItemImpl,
        trait_path: &syn::Path,
        module: &[String],
    ) {
        let trait_path = written_path(trait_path);
        let base = path_of(module, &impl_name(i));
        for ii in &i.items {
            let syn::ImplItem::Fn(f) = ii else { continue };
            self.out.contract_impls.push(ContractImpl {
                module: module.to_vec(),
                trait_path: trait_path.clone(),
                item: format!("{base}::{}", f.sig.ident),
                method: f.sig.ident.unraw().to_string(),
            });
        }
    }

    /// A trait's items: under `#[distaudit::audit]`, its required methods' annotations are
    /// the contract of every audited impl (the engine's trait level); any other annotated
    /// item expands on its own; un-annotated default bodies are candidates.
    pub(super) fn trait_items(&mut self, t: &syn::ItemTrait, host: &Host, audited: bool) {
        let aliases = self.aliases.clone();
        let runtime = self.ctx.runtime.in_module(&aliases);
        let trait_name = t.ident.to_string();
        let base = path_of(&host.module, &trait_name);
        self.out.traits.push(unraw_path(&base));
        let model = match self.ctx.registry {
            Some(registry) if audited => engine::audited_trait(registry, t, runtime.name, &aliases),
            _ => engine::AuditedTrait::default(),
        };
        self.attribute_findings(model.findings.clone(), &base, t.ident.span());
        let scope = ItemScope {
            module: host.module.clone(),
            self_type: Some(trait_name.clone()),
            audited_methods: None,
        };
        for (index, ti) in t.items.iter().enumerate() {
            let (name, whole) = match ti {
                syn::TraitItem::Fn(m) => (m.sig.ident.to_string(), m.span()),
                syn::TraitItem::Const(c) => (c.ident.to_string(), c.span()),
                syn::TraitItem::Type(ty) => (ty.ident.to_string(), ty.span()),
                _ => ("item".to_string(), ti.span()),
            };
            let path = format!("{base}::{name}");
            let own = trait_item_attrs(ti)
                .iter()
                .find(|a| runtime.is_coordination(a));
            if let Some(c) = model.contracts.iter().find(|c| c.index == index) {
                let at = Placed {
                    path,
                    shape: engine::shapes::TRAIT_METHOD,
                    whole,
                    attr_span: own.map_or_else(|| whole, Spanned::span),
                    scope: scope.clone(),
                };
                let recorded = self.record(&at, c.analyzed.clone());
                if let (Some(r), syn::TraitItem::Fn(m)) = (&c.received, ti) {
                    self.out.contracts.push(TraitContract {
                        trait_path: unraw_path(&base),
                        method: m.sig.ident.unraw().to_string(),
                        params: r.params.clone(),
                        patterns: recorded.map(|m| m.pattern_ids()).unwrap_or_default(),
                        args: r.args.to_string(),
                    });
                }
                continue;
            }
            // A required method's annotation under the audit is the trait level's: read
            // there, refused there when it is not one.
            let required = matches!(ti, syn::TraitItem::Fn(m) if m.default.is_none());
            if audited && required && own.is_some() {
                continue;
            }
            if let Some(found) = split(ti, trait_item_attrs(ti), runtime, trait_item_attrs_mut) {
                // Under the trait's audit a provided method expands through `__provided`.
                let provided = audited && !required;
                self.annotated(Annotated {
                    args: found.0,
                    tokens: found.1,
                    placement: engine::Placement {
                        provided,
                        ..engine::Placement::default()
                    },
                    at: Placed {
                        path,
                        shape: engine::shapes::TRAIT_METHOD,
                        whole,
                        attr_span: found.2,
                        scope: scope.clone(),
                    },
                });
                continue;
            }
            if let syn::TraitItem::Fn(m) = ti
                && let Some(block) = &m.default
                && host.candidates
                && !host.test_only
                && !is_test_only(&m.attrs)
            {
                let f = syn::ItemFn {
                    attrs: m.attrs.clone(),
                    vis: syn::Visibility::Inherited,
                    modifiers: m.modifiers.clone(),
                    sig: m.sig.clone(),
                    block: Box::new(block.clone()),
                };
                self.candidate_fn(Cow::Owned(f), path, Some(t.ident.to_string()), true);
            }
        }
    }
}

/// The arguments of an attribute written as a list, none otherwise.
fn audit_args(attr: &syn::Attribute) -> TokenStream {
    match &attr.meta {
        syn::Meta::List(l) => l.tokens.clone(),
        _ => TokenStream::new(),
    }
}
