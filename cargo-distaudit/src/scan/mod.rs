//! Reading one source file: its annotated items get the engine's findings, the rest goes
//! through the family detector and the anti-pattern scan, and its `mod` declarations
//! lead to the next files.

mod attrs;
mod contracts;
mod impls;
mod modules;
mod pending;

pub use contracts::{AfterAsyncTrait, ContractImpl, CrateContracts, TraitContract, contract_pairs};
pub use modules::ChildModule;
pub use pending::{CrateFacts, Pending, resolve};

use crate::engine::Code;
use crate::engine::{self, Finding, ItemModel, Placement, Registry};
use crate::families::Candidate;
use crate::model::{CoordItem, Issue, ItemScope, Region, Source};
pub use attrs::Runtime;
use attrs::{
    attrs_mut_of, attrs_of, is_plumbing, is_test_only, name_and_shape, path_attrs, path_is,
    path_of, split,
};
use impls::Host;
use proc_macro2::{Span, TokenStream};
use std::borrow::Cow;
use std::path::Path;
use syn::spanned::Spanned;

/// One annotated item and exactly the findings the attribute gives it.
#[derive(Clone, Debug)]
pub struct AnnotatedFindings {
    /// `module::Type::name` inside the file.
    pub path: String,
    /// The line of the `#[coordination]` attribute.
    pub attr_line: usize,
    pub findings: Vec<Finding>,
}

/// What one file yields.
#[derive(Default, Debug)]
pub struct FileScan {
    pub issues: Vec<Issue>,
    pub items: Vec<CoordItem>,
    pub pending: Vec<Pending>,
    /// Types annotated in this file, with their patterns (aliases resolved).
    pub annotated_types: Vec<(String, Vec<String>)>,
    /// Identifiers named in the declared checks of this file's annotated items: the
    /// helpers an invariant is written with are part of that item's audit.
    pub check_helpers: Vec<String>,
    pub children: Vec<ChildModule>,
    /// The traits of this file (`module::Trait`, unraw'd), its trait contracts, and the
    /// impl methods that receive one.
    pub traits: Vec<String>,
    pub contracts: Vec<TraitContract>,
    /// Structs and enums whose annotation states type invariants (the build implements
    /// `TypeInvariant` for them), by name.
    pub invariant_types: Vec<String>,
    /// Methods of audited impls that `#[async_trait]` rewrote first, after which a type
    /// invariant would be checked: DA0055 when the type has invariants.
    pub after_async_trait: Vec<AfterAsyncTrait>,
    pub contract_impls: Vec<ContractImpl>,
}

/// Everything the scan of one file needs to know.
pub struct FileContext<'a> {
    /// The crate's registry; `None` when its `distaudit.toml` is broken (annotated items
    /// are then not checked: the registry error says so).
    pub registry: Option<&'a Registry>,
    pub runtime: Runtime<'a>,
    pub krate: &'a str,
    /// Shown path, relative to the workspace root.
    pub shown: &'a str,
    pub path: &'a Path,
    /// The file's module path inside the crate.
    pub module: Vec<String>,
    /// Whether the file is a crate root, a `mod.rs` or a `#[path]` file (its children
    /// live beside it).
    pub owns_dir: bool,
    pub test_only: bool,
    /// The crate's trait contracts, on the second reading of a file whose audited trait
    /// impls receive one; `None` on the first.
    pub contracts: Option<&'a CrateContracts>,
}

impl<'a> FileContext<'a> {
    /// The root file `src/lib.rs` of a crate named `krate` that reaches the runtime as
    /// `distaudit`, read once (no crate contracts): what a test of one file's audit reads.
    #[must_use]
    pub fn lib_rs(registry: &'a Registry, krate: &'a str) -> Self {
        FileContext {
            registry: Some(registry),
            runtime: Runtime {
                name: "distaudit",
                aliases: &[],
            },
            krate,
            shown: "src/lib.rs",
            path: Path::new("src/lib.rs"),
            module: Vec::new(),
            owns_dir: true,
            test_only: false,
            contracts: None,
        }
    }
}

/// Where an item sits, as the walk descends.
#[derive(Clone, Debug, Default)]
struct Scope {
    module: Vec<String>,
    test_only: bool,
    /// Inside an annotated module: its record covers the items (no uncited report).
    covered: bool,
    /// The directly enclosing inline module carries `#[distaudit::audit]`.
    audited_parent: bool,
    /// Names of the inline modules between the file and here (for `mod x;` inside them).
    inline: Vec<String>,
}

/// Where an annotated item is, and what it is, for its report.
struct Placed {
    path: String,
    shape: &'static str,
    whole: Span,
    /// The attribute (where a finding without a span of its own points).
    attr_span: Span,
    scope: ItemScope,
}

/// The parts of one annotated item as split from the source.
struct Annotated {
    /// The attribute's arguments, or why it is not an annotation.
    args: Result<TokenStream, Finding>,
    tokens: TokenStream,
    placement: Placement,
    at: Placed,
}

struct Walker<'a, 'c> {
    ctx: &'a FileContext<'c>,
    out: FileScan,
    annotated: Vec<AnnotatedFindings>,
    /// The aliases of `coordination` in the module being walked.
    aliases: Vec<String>,
    /// Beside `out.after_async_trait`, the methods' names as spans (a span stays on its
    /// thread).
    after_async_spans: Vec<Span>,
}

impl Walker<'_, '_> {
    /// One annotated item, through the engine, recorded.
    fn annotated(&mut self, a: Annotated) -> Option<ItemModel> {
        let registry = self.ctx.registry?;
        let analyzed = match a.args {
            Ok(args) => engine::analyze(
                registry,
                args,
                a.tokens,
                a.placement,
                self.ctx.runtime.name,
                &self.aliases,
            ),
            // `#[coordination = ..]`: refused as the attribute refuses it.
            Err(refused) => engine::Analyzed {
                findings: vec![refused],
                model: None,
            },
        };
        self.record(&a.at, analyzed)
    }

    /// What the engine said of one annotated item: the item for the reports, its findings
    /// as issues.
    fn record(&mut self, at: &Placed, analyzed: engine::Analyzed) -> Option<ItemModel> {
        let region = Region::of(at.whole);
        // An obligation its type may meet blocks only once the type is read (see
        // `reading::type_answers`).
        let blocked = analyzed.findings.iter().any(engine::Finding::blocks);
        if let Some(model) = &analyzed.model {
            for c in &model.checks {
                self.out.check_helpers.extend(
                    c.written
                        .split(|ch: char| !ch.is_alphanumeric() && ch != '_')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                );
            }
            self.out.items.push(CoordItem {
                krate: self.ctx.krate.to_string(),
                path: at.path.clone(),
                file: self.ctx.shown.to_string(),
                first_line: region.map_or(0, |r| r.line),
                last_line: region.map_or(0, |r| r.end_line),
                shape: at.shape,
                model: model.clone(),
                blocked,
                scope: at.scope.clone(),
            });
        }
        self.report(analyzed.findings, &at.path, at.attr_span);
        analyzed.model
    }

    fn items(&mut self, items: &[syn::Item], scope: &Scope) {
        // A module's `use .. as` reaches its own items only.
        let outer = std::mem::replace(
            &mut self.aliases,
            engine::coordination_aliases(items, self.ctx.runtime.name),
        );
        for item in items {
            self.item(item, scope);
        }
        self.aliases = outer;
    }

    fn item(&mut self, item: &syn::Item, scope: &Scope) {
        use syn::Item;
        let aliases = self.aliases.clone();
        let runtime = self.ctx.runtime.in_module(&aliases);
        let test_only = scope.test_only || is_test_only(attrs_of(item));
        let (name, shape) = name_and_shape(item);
        let path = path_of(&scope.module, &name);
        let mut model = None;
        let mut annotated = false;
        if let Some(found) = split(item, attrs_of(item), runtime, attrs_mut_of) {
            annotated = true;
            let item_scope = ItemScope {
                module: scope.module.clone(),
                ..ItemScope::default()
            };
            model = self.annotated_alone(found, path.clone(), shape, item.span(), &item_scope);
        }
        self.audit_placement(item, &path);
        let candidate = !annotated && !test_only && !scope.covered;
        match item {
            // A free function's module stands where a method's type would: `retry::delay`.
            Item::Fn(f) if candidate => {
                let module = scope.module.last().cloned();
                self.candidate_fn(Cow::Borrowed(f), path, module, false);
            }
            Item::Struct(s) => {
                if annotated {
                    self.annotate_type(&s.ident, model.as_ref());
                    self.invariant_type(&s.ident, model.as_ref());
                } else if candidate {
                    self.candidate_type(&Candidate::Struct(s), path, s.ident.span());
                }
            }
            Item::Enum(e) => {
                if annotated {
                    self.annotate_type(&e.ident, model.as_ref());
                    self.invariant_type(&e.ident, model.as_ref());
                } else if candidate {
                    self.candidate_type(&Candidate::Enum(e), path, e.ident.span());
                }
            }
            Item::Trait(t) => {
                if annotated {
                    self.annotate_type(&t.ident, model.as_ref());
                } else if candidate {
                    self.candidate_type(&Candidate::Trait(t), path.clone(), t.ident.span());
                }
                let audited = scope.audited_parent || t.attrs.iter().any(|a| runtime.is_audit(a));
                let host = Host {
                    module: scope.module.clone(),
                    audited_parent: scope.audited_parent,
                    test_only,
                    candidates: candidate,
                };
                self.trait_items(t, &host, audited);
            }
            Item::Impl(i) => {
                let host = Host {
                    module: scope.module.clone(),
                    audited_parent: scope.audited_parent,
                    test_only,
                    candidates: candidate && !is_plumbing(i),
                };
                self.impl_block(i, &path, &host);
            }
            Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                self.modules_in_macro(&m.mac.tokens, scope);
            }
            Item::Mod(m) => {
                let mut child = scope.clone();
                child.module.push(name.clone());
                child.test_only = test_only;
                child.covered = scope.covered || annotated;
                child.audited_parent = m.attrs.iter().any(|a| runtime.is_audit(a));
                match &m.content {
                    Some((_, items)) => {
                        child
                            .inline
                            .push(path_attrs(&m.attrs).into_iter().next().unwrap_or(name));
                        self.items(items, &child);
                    }
                    None => {
                        let (candidates, via_path) =
                            self.module_files(&name, &m.attrs, &scope.inline);
                        self.out.children.push(ChildModule {
                            candidates,
                            via_path,
                            module: child.module,
                            test_only,
                            cfg_gated: m.attrs.iter().any(|a| path_is(a.path(), &["cfg"])),
                            region: Region::of(m.ident.span()),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

fn unparsed(ctx: &FileContext<'_>, e: &syn::Error) -> Issue {
    // The tokenizer's own error says only that it failed; what fails it is a delimiter.
    let why = e.to_string();
    let why = if why == "cannot parse string into token stream" {
        "a delimiter (`(`, `[` or `{`) is not balanced".to_string()
    } else {
        why
    };
    Issue::new(
        Code::SourceUnreadable,
        ctx.krate,
        Some(ctx.shown),
        Region::of(e.span()),
        format!("this file does not parse, so nothing in it was audited: {why}"),
        "the audit reads source text; a file it cannot read could hide coordination code".into(),
        "fix the syntax error (cargo check shows it too); the rest of the workspace was audited"
            .into(),
        Source::Input,
    )
}

/// Scan one file's text. Parse errors become an issue with file and line.
#[must_use]
pub fn scan_text(ctx: &FileContext<'_>, text: &str) -> FileScan {
    match syn::parse_file(text) {
        Ok(file) => {
            let mut w = Walker {
                ctx,
                out: FileScan::default(),
                annotated: Vec::new(),
                aliases: Vec::new(),
                after_async_spans: Vec::new(),
            };
            let scope = Scope {
                module: ctx.module.clone(),
                test_only: ctx.test_only,
                ..Scope::default()
            };
            w.items(&file.items, &scope);
            w.out
        }
        Err(e) => FileScan {
            issues: vec![unparsed(ctx, &e)],
            ..FileScan::default()
        },
    }
}

/// The engine's findings for every annotated item of one file's text, item by item:
/// what the macro reports when the file is compiled (`runtime` is the name the crate
/// reaches distaudit by). The consistency test compares the two front ends with it.
///
/// # Errors
/// When the file does not parse (the audit reports DA0062 for it).
pub fn audit_source(
    registry: &Registry,
    runtime: &str,
    file_text: &str,
) -> Result<Vec<AnnotatedFindings>, syn::Error> {
    let file = syn::parse_file(file_text)?;
    let walk = |contracts: Option<&CrateContracts>| {
        let ctx = FileContext {
            registry: Some(registry),
            runtime: Runtime {
                name: runtime,
                aliases: &[],
            },
            krate: "",
            shown: "",
            path: Path::new(""),
            module: Vec::new(),
            owns_dir: true,
            test_only: false,
            contracts,
        };
        let mut w = Walker {
            ctx: &ctx,
            out: FileScan::default(),
            annotated: Vec::new(),
            aliases: Vec::new(),
            after_async_spans: Vec::new(),
        };
        w.items(&file.items, &Scope::default());
        (w.out, w.annotated, w.after_async_spans)
    };
    let (mut out, mut annotated, mut after_async_spans) = walk(None);
    // A trait's contract in this file reaches its impls here: read again with it, as the
    // build expands them.
    let contracts = CrateContracts {
        traits: out.traits.clone(),
        contracts: out.contracts.clone(),
    };
    if !contract_pairs(&contracts, &out.contract_impls).is_empty() {
        (out, annotated, after_async_spans) = walk(Some(&contracts));
    }
    for (n, after) in out.after_async_trait.iter().enumerate() {
        if out.invariant_types.contains(&after.self_ty) {
            annotated.push(AnnotatedFindings {
                path: after.item.clone(),
                attr_line: after.region.map_or(0, |r| r.line),
                findings: vec![engine::unchecked_after_async_trait(after_async_spans[n])],
            });
        }
    }
    // An obligation a method leaves to its type: dropped where the file's annotated type
    // meets it (as the attribute's marker trait is implemented), kept otherwise.
    for a in &mut annotated {
        let ty = a.path.rsplit_once("::").map(|(ty, _)| ty.to_string());
        a.findings.retain(|f| {
            let Some(obligation) = f.answered_by_type else {
                return true;
            };
            !out.items
                .iter()
                .any(|i| Some(&i.path) == ty.as_ref() && i.model.meets.contains(&obligation))
        });
    }
    Ok(annotated)
}
