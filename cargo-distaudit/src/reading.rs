//! Reading a workspace's files: the first reading follows `mod` declarations level by level
//! (in parallel), the second re-reads the files whose audited impls receive a trait contract
//! written elsewhere, and what the files yield is gathered per crate and decided once the
//! whole crate is known.

use crate::engine::{self, Code, Registry};
use crate::model::{Issue, Source};
use crate::scan::{self, CrateFacts, FileContext, Pending, Runtime};
use crate::workspace::{Audit, Package, delegations, load_registry, missing_module, shown};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Audit every selected package. The `context` packages (members a selected one depends on,
/// [`crate::workspace::packages_and_context`]) are read for their trait contracts only: nothing of theirs is
/// reported.
#[must_use]
pub fn audit(root: &Path, selected: &[Package], context: &[Package]) -> Audit {
    let mut audit = Audit {
        root: root.to_path_buf(),
        ..Audit::default()
    };
    // Crate indices below `reported` are the selected packages.
    let packages: Vec<&Package> = selected.iter().chain(context).collect();
    let reported = selected.len();
    let (registries, runtimes) = load_registries(root, &packages, reported, &mut audit);
    let reader = Reader::new(root, &packages, &registries, &runtimes, reported);
    let mut scanned = reader.first_reading(&mut audit);
    let contracts = crate_contracts(&packages, &scanned);
    reader.second_reading(&mut scanned, &contracts);
    reader.finish();
    let mut facts = CrateWide::gather(&mut audit, scanned, &packages, reported);
    for (k, p) in selected.iter().enumerate() {
        let registry = audit
            .registries
            .get(&p.name)
            .cloned()
            .unwrap_or_else(engine::default_registry);
        facts.decide(k, p, &registry, &contracts[k], &mut audit);
    }
    type_answers(&mut audit);
    audit.issues.extend(delegations(&audit.items, selected));
    audit.issues.sort_by_key(Issue::sort_key);
    audit
        .items
        .sort_by(|a, b| (&a.krate, &a.file, a.first_line).cmp(&(&b.krate, &b.file, b.first_line)));
    audit
}

/// The obligations of audited impls' methods (DA0033 for D2.3-D2.5, DA0034 for fences) that
/// their type's annotation meets, as the attribute's marker traits do: a method `m::T::f`
/// is answered by the annotated type `m::T` of its crate. What no type answers stays, and
/// blocks its method.
fn type_answers(audit: &mut Audit) {
    let met = |krate: &str, method: &str, obligation: distaudit_core::diag::Obligation| {
        let Some((ty, _)) = method.rsplit_once("::") else {
            return false;
        };
        audit
            .items
            .iter()
            .any(|i| i.krate == krate && i.path == ty && i.model.meets.contains(&obligation))
    };
    let answered: Vec<bool> = audit
        .issues
        .iter()
        .map(|i| {
            matches!((&i.item, i.answered_by_type), (Some(item), Some(o)) if met(&i.krate, item, o))
        })
        .collect();
    let mut keep = answered.iter().map(|a| !a);
    audit.issues.retain(|_| keep.next().unwrap_or(true));
    // What no type answers is worded as rustc words it for the attribute.
    for i in &mut audit.issues {
        if let (Some(o), Some(item)) = (i.answered_by_type, &i.item)
            && let Some((ty, _)) = item.rsplit_once("::")
        {
            let ty = ty.rsplit("::").next().unwrap_or(ty);
            i.what = engine::unmet_by_type(o, ty);
        }
    }
    let unanswered: Vec<(String, String)> = audit
        .issues
        .iter()
        .filter(|i| i.answered_by_type.is_some())
        .filter_map(|i| Some((i.krate.clone(), i.item.clone()?)))
        .collect();
    for item in &mut audit.items {
        if unanswered
            .iter()
            .any(|(k, p)| *k == item.krate && *p == item.path)
        {
            item.blocked = true;
        }
    }
}

/// Each package's registry (its `distaudit.toml` over the default) and the name it reaches
/// the runtime by; a selected package's registry problems are reported.
fn load_registries(
    root: &Path,
    packages: &[&Package],
    reported: usize,
    audit: &mut Audit,
) -> (Vec<Option<Arc<Registry>>>, Vec<String>) {
    let mut regs: Vec<Option<Arc<Registry>>> = Vec::new();
    let mut runtimes: Vec<String> = Vec::new();
    for (k, p) in packages.iter().enumerate() {
        runtimes.push(engine::runtime_name(Some(&p.manifest_dir)));
        let (registry, issues) = load_registry(root, p);
        if k >= reported {
            regs.push(registry);
            continue;
        }
        audit.crates.push(p.name.clone());
        audit.issues.extend(issues);
        match registry {
            Some(r) => {
                audit.registries.insert(p.name.clone(), Arc::clone(&r));
                regs.push(Some(r));
            }
            None => {
                audit
                    .registries
                    .insert(p.name.clone(), engine::default_registry());
                regs.push(None);
            }
        }
    }
    (regs, runtimes)
}

/// The crates' trait contracts once every file is read. What each crate's impls can name:
/// its own traits, then each other audited crate's under that crate's name as Rust writes
/// it (`shard_checks::Progress`), as a path from the crate root reaches it.
fn crate_contracts(packages: &[&Package], scanned: &[(Job, Done)]) -> Vec<scan::CrateContracts> {
    let mut own: Vec<scan::CrateContracts> = vec![scan::CrateContracts::default(); packages.len()];
    for (_, d) in scanned {
        let c = &mut own[d.krate];
        c.traits.extend(d.scan.traits.iter().cloned());
        c.contracts.extend(d.scan.contracts.iter().cloned());
    }
    (0..packages.len())
        .map(|k| {
            let mut all = own[k].clone();
            for (j, other) in own.iter().enumerate().filter(|(j, _)| *j != k) {
                let name = packages[j].name.replace('-', "_");
                all.traits
                    .extend(other.traits.iter().map(|t| format!("{name}::{t}")));
                all.contracts
                    .extend(other.contracts.iter().map(|c| scan::TraitContract {
                        trait_path: format!("{name}::{}", c.trait_path),
                        ..c.clone()
                    }));
            }
            all
        })
        .collect()
}

/// One file to read, and where it sits in its crate.
pub struct Job {
    krate: usize,
    path: PathBuf,
    module: Vec<String>,
    owns_dir: bool,
    test_only: bool,
}

/// One file read.
pub struct Done {
    pub krate: usize,
    lines: usize,
    pub scan: scan::FileScan,
    /// The file itself could not be read.
    unreadable: Option<String>,
    path: PathBuf,
}

/// What every reading of a file needs: the packages, their registries and runtimes, and
/// the progress bar.
pub struct Reader<'a> {
    root: &'a Path,
    packages: &'a [&'a Package],
    registries: &'a [Option<Arc<Registry>>],
    runtimes: &'a [String],
    /// Crate indices below it are reported; the rest give their contracts only.
    reported: usize,
    started: Instant,
    bar: ProgressBar,
    terminal: bool,
}

impl<'a> Reader<'a> {
    pub fn new(
        root: &'a Path,
        packages: &'a [&'a Package],
        registries: &'a [Option<Arc<Registry>>],
        runtimes: &'a [String],
        reported: usize,
    ) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} auditing {pos} files {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Reader {
            root,
            packages,
            registries,
            runtimes,
            reported,
            started: Instant::now(),
            bar,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Read one file, with the crate's contracts on the second reading.
    fn scan_job(&self, job: &Job, contracts: Option<&scan::CrateContracts>) -> Done {
        let shown_path = shown(self.root, &job.path);
        let krate = &self.packages[job.krate].name;
        let text = match std::fs::read_to_string(&job.path) {
            Ok(text) => text,
            Err(e) => {
                return Done {
                    krate: job.krate,
                    lines: 0,
                    scan: scan::FileScan::default(),
                    unreadable: Some(e.to_string()),
                    path: job.path.clone(),
                };
            }
        };
        let ctx = FileContext {
            registry: self.registries[job.krate].as_deref(),
            runtime: Runtime {
                name: &self.runtimes[job.krate],
                aliases: &[],
            },
            krate,
            shown: &shown_path,
            path: &job.path,
            module: job.module.clone(),
            owns_dir: job.owns_dir,
            test_only: job.test_only,
            contracts,
        };
        let scan = scan::scan_text(&ctx, &text);
        self.bar.inc(1);
        if self.terminal
            && self.bar.is_hidden()
            && self.started.elapsed() > Duration::from_millis(700)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        Done {
            krate: job.krate,
            lines: text.lines().count(),
            scan,
            unreadable: None,
            path: job.path.clone(),
        }
    }

    /// The crate roots of every package.
    fn roots(&self) -> Vec<Job> {
        let mut level = Vec::new();
        for (k, p) in self.packages.iter().enumerate() {
            for (path, test_like) in &p.roots {
                level.push(Job {
                    krate: k,
                    path: path.clone(),
                    module: Vec::new(),
                    owns_dir: true,
                    test_only: *test_like,
                });
            }
        }
        level
    }

    /// First reading: every file, following `mod` declarations level by level. A missing
    /// module file of a selected package is reported.
    pub fn first_reading(&self, audit: &mut Audit) -> Vec<(Job, Done)> {
        let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
        let mut level = self.roots();
        let mut scanned: Vec<(Job, Done)> = Vec::new();
        while !level.is_empty() {
            let mut fresh = one_job_per_file(level);
            fresh.retain(|j| seen.insert(j.path.clone()));
            let done: Vec<Done> = fresh
                .par_iter()
                .map(|job| self.scan_job(job, None))
                .collect();
            let mut next = Vec::new();
            for (job, mut d) in fresh.into_iter().zip(done) {
                self.children(&mut d, &mut next, audit);
                scanned.push((job, d));
            }
            level = next;
        }
        scanned
    }

    /// The files a read file declares, as the next jobs.
    fn children(&self, d: &mut Done, next: &mut Vec<Job>, audit: &mut Audit) {
        let krate = &self.packages[d.krate].name;
        for child in std::mem::take(&mut d.scan.children) {
            match child.candidates.iter().find(|c| c.is_file()) {
                Some(found) => next.push(Job {
                    krate: d.krate,
                    owns_dir: child.via_path || found.file_name().is_some_and(|n| n == "mod.rs"),
                    path: found.clone(),
                    module: child.module,
                    test_only: child.test_only,
                }),
                // Under a `cfg`, rustc accepts a missing file while the cfg is off; a
                // context package's files are not reported.
                None if child.cfg_gated || d.krate >= self.reported => {}
                None => audit
                    .issues
                    .push(missing_module(self.root, krate, &d.path, &child)),
            }
        }
    }

    /// Second reading of the files whose audited trait impls receive a contract: their
    /// methods receive it at the engine's impl level (the first reading could not know it).
    pub fn second_reading(&self, scanned: &mut [(Job, Done)], contracts: &[scan::CrateContracts]) {
        let again: Vec<usize> = scanned
            .iter()
            .enumerate()
            .filter(|(_, (_, d))| {
                d.krate < self.reported
                    && !scan::contract_pairs(&contracts[d.krate], &d.scan.contract_impls).is_empty()
            })
            .map(|(n, _)| n)
            .collect();
        let reread: Vec<Done> = again
            .par_iter()
            .map(|&n| {
                let job = &scanned[n].0;
                self.scan_job(job, Some(&contracts[job.krate]))
            })
            .collect();
        for (n, mut d) in again.into_iter().zip(reread) {
            d.scan.children.clear();
            scanned[n].1 = d;
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// One job per file of a level. A module declared twice under complementary cfgs
/// (`#[cfg(test)] pub mod raft; #[cfg(not(test))] mod raft;`) names one file: it is read
/// once, and test-only only when every declaration of it is.
fn one_job_per_file(level: Vec<Job>) -> Vec<Job> {
    let mut out: Vec<Job> = Vec::new();
    for job in level {
        match out.iter_mut().find(|j| j.path == job.path) {
            Some(first) => first.test_only &= job.test_only,
            None => out.push(job),
        }
    }
    out
}

/// What the files of each crate yield, gathered once every file is read.
pub struct CrateWide {
    pending: Vec<Vec<Pending>>,
    facts: Vec<CrateFacts>,
    invariant_types: Vec<Vec<String>>,
    after_async: Vec<Vec<scan::AfterAsyncTrait>>,
    contract_impls: Vec<Vec<scan::ContractImpl>>,
}

impl CrateWide {
    /// Gather the selected packages' files (the context's gave their contracts only).
    pub fn gather(
        audit: &mut Audit,
        scanned: Vec<(Job, Done)>,
        packages: &[&Package],
        reported: usize,
    ) -> CrateWide {
        let n = packages.len();
        let mut all = CrateWide {
            pending: vec![Vec::new(); n],
            facts: (0..n).map(|_| CrateFacts::default()).collect(),
            invariant_types: vec![Vec::new(); n],
            after_async: vec![Vec::new(); n],
            contract_impls: vec![Vec::new(); n],
        };
        for (_, d) in scanned.into_iter().filter(|(_, d)| d.krate < reported) {
            let krate = &packages[d.krate].name;
            if let Some(e) = d.unreadable {
                audit.issues.push(unreadable(audit, krate, &d.path, &e));
                continue;
            }
            audit.files += 1;
            audit.lines += d.lines;
            let k = d.krate;
            let scan = d.scan;
            audit.issues.extend(scan.issues);
            audit.items.extend(scan.items);
            all.pending[k].extend(scan.pending);
            all.facts[k].helpers.extend(scan.check_helpers);
            all.invariant_types[k].extend(scan.invariant_types);
            all.after_async[k].extend(scan.after_async_trait);
            all.contract_impls[k].extend(scan.contract_impls);
            for (t, pats) in scan.annotated_types {
                all.facts[k]
                    .annotated_types
                    .entry(t)
                    .or_default()
                    .extend(pats);
            }
        }
        all
    }

    /// Decide crate `k`'s pending items and crate-wide findings, now that it is known.
    pub fn decide(
        &mut self,
        k: usize,
        p: &Package,
        registry: &Registry,
        contracts: &scan::CrateContracts,
        audit: &mut Audit,
    ) {
        // An audited impl's method receives its trait's contract: annotated through it.
        for (n, c) in scan::contract_pairs(contracts, &self.contract_impls[k]) {
            self.facts[k].contract_methods.insert(
                self.contract_impls[k][n].item.clone(),
                contracts.contracts[c].patterns.clone(),
            );
        }
        for item in &self.pending[k] {
            audit
                .issues
                .extend(scan::resolve(item, &p.name, registry, &self.facts[k]));
        }
        // A type's invariants are not checked after a method `#[async_trait]` rewrote first.
        for after in &self.after_async[k] {
            if self.invariant_types[k].contains(&after.self_ty) {
                let f = engine::unchecked_after_async_trait(proc_macro2::Span::call_site());
                audit.issues.push(Issue::from_finding(
                    &f,
                    &p.name,
                    Some(&after.item),
                    &after.file,
                    after.region,
                    Source::Annotation,
                ));
            }
        }
    }
}

/// DA0062 for a file that cannot be read.
fn unreadable(audit: &Audit, krate: &str, path: &Path, e: &str) -> Issue {
    Issue::new(
        Code::SourceUnreadable,
        krate,
        Some(&shown(&audit.root, path)),
        None,
        format!("this file cannot be read: {e}"),
        "the audit reads source text; a file it cannot read could hide coordination code".into(),
        "make the file readable UTF-8 text".into(),
        Source::Input,
    )
}
