//! Un-annotated code that looks like coordination: detected per file, decided once the
//! crate's annotated types and contracts are known.

use super::Walker;
use crate::engine::Code;
use crate::engine::Subject;
use crate::engine::{self, AntiPattern, Registry};
use crate::families::{self, Candidate, Detection, Family};
use crate::model::{Issue, Region, Source};
use proc_macro2::Span;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// An un-annotated function or type whose report waits for the crate-wide list of
/// annotated types (a method of an annotated type is covered by the type's record for
/// the families of its patterns).
#[derive(Clone, Debug)]
pub struct Pending {
    pub item: String,
    pub file: String,
    pub region: Option<Region>,
    pub self_ty: Option<String>,
    pub detections: Vec<Detection>,
    /// Anti-pattern issues, before applicability is decided.
    pub anti: Vec<(AntiPattern, Issue)>,
}

impl Walker<'_, '_> {
    /// An un-annotated function; `host` is its impl's type or trait (`method`), or its
    /// module.
    pub(super) fn candidate_fn(
        &mut self,
        f: Cow<'_, syn::ItemFn>,
        path: String,
        host: Option<String>,
        method: bool,
    ) {
        let self_ty = host;
        let detections = families::detect(&Candidate::Fn {
            sig: &f.sig,
            block: &f.block,
            self_ty: if method { self_ty.as_deref() } else { None },
            module: if method { None } else { self_ty.as_deref() },
        });
        let mut anti = Vec::new();
        let ident = f.sig.ident.span();
        // Read only when a wall-clock finding needs it: the walk prints expressions.
        let mut clock_decides: Option<bool> = None;
        if let Some(registry) = self.ctx.registry {
            // The engine scans a `Subject`, which owns its function: a method's is already a
            // copy, a free function's is cloned here.
            let subject = Subject::Fn(f.into_owned());
            for (ap, finding) in engine::anti_patterns(registry, &subject, &|_| true) {
                // Code nobody annotated is held to what it does: a wall-clock read that
                // decides nothing, or a monotonic `Instant`, assumes no synchronised clock.
                if ap == AntiPattern::WallClock
                    && !*clock_decides.get_or_insert_with(|| match &subject {
                        Subject::Fn(g) => wall_clock_decides(&g.block),
                        _ => true,
                    })
                {
                    continue;
                }
                let issue = Issue::from_finding(
                    &finding,
                    self.ctx.krate,
                    Some(&path),
                    self.ctx.shown,
                    Region::of(ident),
                    Source::AntiPattern,
                );
                anti.push((ap, issue));
            }
        }
        if detections.is_empty() && anti.is_empty() {
            return;
        }
        self.out.pending.push(Pending {
            item: path,
            file: self.ctx.shown.to_string(),
            region: Region::of(ident),
            self_ty: if method { self_ty } else { None },
            detections,
            anti,
        });
    }

    pub(super) fn candidate_type(&mut self, c: &Candidate<'_>, path: String, ident: Span) {
        let detections = families::detect(c);
        if detections.is_empty() {
            return;
        }
        self.out.pending.push(Pending {
            item: path,
            file: self.ctx.shown.to_string(),
            region: Region::of(ident),
            self_ty: None,
            detections,
            anti: Vec::new(),
        });
    }
}

/// What the whole crate knows once every file is read.
#[derive(Debug, Default)]
pub struct CrateFacts {
    /// Annotated types and their patterns.
    pub annotated_types: BTreeMap<String, Vec<String>>,
    /// Impl methods annotated through their trait's contract, and its patterns.
    pub contract_methods: BTreeMap<String, Vec<String>>,
    /// Identifiers used in declared checks.
    pub helpers: BTreeSet<String>,
}

/// Decide a pending item once the crate's annotated types are known: the uncited
/// coordination issues and the anti-patterns that apply.
#[must_use]
pub fn resolve(p: &Pending, krate: &str, registry: &Registry, facts: &CrateFacts) -> Vec<Issue> {
    let name = p.item.rsplit("::").next().unwrap_or(&p.item);
    let helper = facts.helpers.contains(name);
    let by_contract = facts.contract_methods.get(&p.item);
    let mut cover: Vec<String> = p
        .self_ty
        .as_ref()
        .and_then(|t| facts.annotated_types.get(t))
        .cloned()
        .unwrap_or_default();
    cover.extend(by_contract.into_iter().flatten().cloned());
    let covered_families: Vec<Family> = cover
        .iter()
        .flat_map(|pat| Family::of_pattern(pat))
        .collect();
    let reported: Vec<&Detection> = p
        .detections
        .iter()
        .filter(|d| !helper && by_contract.is_none() && !covered_families.contains(&d.family))
        .collect();
    let mut out = Vec::new();
    if let Some(first) = reported.first() {
        out.push(uncited(p, krate, registry, &reported, first));
    }
    // The anti-patterns that apply: the registry's lists for the patterns in play, or the
    // engine's set for code of no pattern.
    let mut in_play: Vec<String> = cover;
    for d in &p.detections {
        in_play.extend(d.family.patterns().iter().map(|s| (*s).to_string()));
    }
    let mut applies =
        engine::anti_patterns_of(in_play.iter().filter_map(|pat| registry.pattern(pat)));
    if applies.is_empty() {
        applies = AntiPattern::outside_any_pattern();
    }
    for (ap, issue) in &p.anti {
        if applies.contains(ap) {
            out.push(issue.clone());
        }
    }
    out
}

fn uncited(
    p: &Pending,
    krate: &str,
    registry: &Registry,
    reported: &[&Detection],
    first: &Detection,
) -> Issue {
    let families: Vec<&str> = reported.iter().map(|d| d.family.name()).collect();
    let mut patterns: Vec<String> = Vec::new();
    for d in reported {
        for pat in d.family.patterns() {
            if !patterns.iter().any(|x| x == pat) && registry.pattern(pat).is_some() {
                patterns.push((*pat).to_string());
            }
        }
    }
    let code = if reported.iter().any(|d| d.behaviour) {
        Code::UnannotatedCoordination
    } else {
        Code::UnannotatedCoordinationName
    };
    let how = if code == Code::UnannotatedCoordination {
        "its name and what its body does both match"
    } else {
        "its name matches (no behaviour confirms it: review it)"
    };
    let first_pattern = patterns.first().cloned().unwrap_or_else(|| "lease".into());
    // As many citations, worded as the attribute's DA0005 lists them.
    let cites = registry.list_citations_for(&first_pattern, 4);
    let mut issue = Issue::new(
        code,
        krate,
        Some(&p.file),
        p.region,
        format!(
            "`{}` looks like coordination code ({}) with no #[coordination] annotation: {how}; matched on {}",
            p.item,
            families.join("; "),
            first.evidence
        ),
        match reported.iter().find_map(|d| d.note) {
            Some(note) => format!("{} Here: {note}", engine::EVIDENCE_RULE),
            None => engine::EVIDENCE_RULE.into(),
        },
        format!(
            "annotate it: #[coordination(pattern = \"{first_pattern}\", cite = \"<id>\")] with the patterns to consider: {}; citations for `{first_pattern}`: {cites}. If it is not coordination, add an [[exempt]] entry with the reason to distaudit.toml",
            patterns
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Source::Scan,
    );
    issue.item = Some(p.item.clone());
    issue.family = Some(first.family.name().to_string());
    issue.family_id = Some(first.family.id().to_string());
    issue.patterns = patterns;
    issue
}

/// Whether a body decides with a synchronised wall clock: a `SystemTime`/`Utc`/`Local`/
/// `OffsetDateTime`/jiff reading (not `Instant`, which is monotonic and local), directly
/// or through a local bound to it, compared, or added to and subtracted from (an expiry
/// written for others to compare). A timestamp recorded for display decides nothing.
fn wall_clock_decides(block: &syn::Block) -> bool {
    use syn::visit::Visit;
    #[derive(Default)]
    struct Reads {
        locals: Vec<String>,
        decides: bool,
    }
    fn is_wall_read(e: &syn::Expr) -> bool {
        let text = quote::ToTokens::to_token_stream(e)
            .to_string()
            .replace(' ', "");
        [
            "SystemTime::now(",
            "Utc::now(",
            "Local::now(",
            "OffsetDateTime::now_",
            "Timestamp::now(",
            "Zoned::now(",
        ]
        .iter()
        .any(|c| text.contains(c))
    }
    impl Reads {
        fn uses(&self, e: &syn::Expr) -> bool {
            if is_wall_read(e) {
                return true;
            }
            let text = quote::ToTokens::to_token_stream(e).to_string();
            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| self.locals.iter().any(|l| l == w))
        }
    }
    impl<'ast> Visit<'ast> for Reads {
        fn visit_local(&mut self, l: &'ast syn::Local) {
            if let (syn::Pat::Ident(p), Some(init)) = (&l.pat, &l.init)
                && is_wall_read(&init.expr)
            {
                self.locals.push(p.ident.to_string());
            }
            syn::visit::visit_local(self, l);
        }
        fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
            use syn::BinOp::{Add, Ge, Gt, Le, Lt, Sub};
            if matches!(b.op, Lt(_) | Le(_) | Gt(_) | Ge(_) | Add(_) | Sub(_))
                && (self.uses(&b.left) || self.uses(&b.right))
            {
                self.decides = true;
            }
            syn::visit::visit_expr_binary(self, b);
        }
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            let ordering = matches!(
                m.method.to_string().as_str(),
                "cmp"
                    | "partial_cmp"
                    | "gt"
                    | "lt"
                    | "ge"
                    | "le"
                    | "duration_since"
                    | "signed_duration_since"
                    | "checked_add"
                    | "checked_sub"
            );
            if ordering && (self.uses(&m.receiver) || m.args.iter().any(|a| self.uses(a))) {
                self.decides = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
    }
    let mut r = Reads::default();
    r.visit_block(block);
    r.decides
}
