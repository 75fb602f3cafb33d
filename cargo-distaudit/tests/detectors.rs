//! The library entry points: `audit_source` (the consistency test's hook), the scan of one
//! file, lint-docs.

use cargo_distaudit::{audit_source, design, engine};

#[test]
fn audit_source_gives_the_engine_findings_of_annotated_items_only() {
    let registry = engine::default_registry();
    let text = r#"
        #[coordination(pattern = "lease", cite = "no-such-id")]
        fn grant() {}
        fn renew_lease(&mut self) {}
    "#;
    let items = audit_source(&registry, "distaudit", text).expect("parses");
    assert_eq!(items.len(), 1, "only the annotated item");
    assert_eq!(items[0].path, "grant");
    let codes: Vec<String> = items[0]
        .findings
        .iter()
        .map(|f| f.code.to_string())
        .collect();
    assert_eq!(codes, ["DA0004"]);
}

#[test]
fn lint_docs_catches_gossip_unknown_ids_and_novel_without_warning() {
    let registry = engine::default_registry();
    let doc = "\
## Distributed Systems Decision: membership

### Locked Decisions Check
- [x] No conflict with D2.1-D2.5, D3.3, Decision A/B

### Anti-Pattern Check
- [ ] No unbounded queues

### Decision Record
| Field | Detail |
|-------|--------|
| **Approach** | gossip |
| **Provenance** | Level 4: `gray-cheriton-1989`, `no-such-2020`; Level 0 — NOVEL/UNJUSTIFIED |

### Alternatives Considered
| Alternative | Why Rejected | Reference |
|-------------|--------------|-----------|
| leases | slower | |
";
    let codes: Vec<String> = design::lint(&registry, "d.md", doc)
        .iter()
        .map(|i| i.code.to_string())
        .collect();
    for want in ["DA0073", "DA0074", "DA0070", "DA0072", "DA0075"] {
        assert!(
            codes.iter().any(|c| c == want),
            "{want} missing from {codes:?}"
        );
    }
}

#[test]
fn raw_identifiers_name_the_attribute_as_the_macro_reads_them() {
    // `r#coordination` is `coordination` to rustc and to the macro: the audit must not
    // pass such an item over as un-annotated.
    let registry = engine::default_registry();
    let text = r#"
        #[r#coordination(pattern = "lease", cite = "no-such-id")]
        fn bare() {}
        #[distaudit::r#coordination(pattern = "lease", cite = "no-such-id")]
        fn qualified() {}
        #[r#da::coordination(pattern = "lease", cite = "no-such-id")]
        fn renamed() {}
        struct Holder;
        #[distaudit::audit]
        impl Holder {
            #[r#coordination(pattern = "lease", cite = "no-such-id")]
            fn method(&self) {}
        }
    "#;
    let items = audit_source(&registry, "da", text).expect("parses");
    let paths: Vec<&str> = items.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["bare", "qualified", "renamed", "Holder::method"]);
    for item in &items {
        let codes: Vec<String> = item.findings.iter().map(|f| f.code.to_string()).collect();
        assert_eq!(codes, ["DA0004"], "{}", item.path);
    }
}

#[test]
fn lint_docs_asks_a_backend_of_a_project_pattern_that_decision_a_governs() {
    // The project's pattern says it is governed by Decision A; Decision A's own list
    // (default data) does not name it. The macro asks its items for a `backend`
    // (the pattern's `decisions`), so a record proposing it without one contradicts A.
    let project = r#"
[[citation]]
id = "example-quorum-2020"
level = 4
kind = "paper"
title = "Quorum Locks"
authors = ["A. Author"]
year = 2020
venue = "Example Conference 2020"
url = "https://example.org/quorum-locks"
patterns = ["quorum-lock"]

[[pattern]]
id = "quorum-lock"
name = "Quorum lock"
summary = "A lock granted by a majority of replicas."
safety = "At most one holder at a time."
liveness = "A free lock is eventually granted."
decisions = ["A"]
"#;
    let registry = engine::registry_from_text("distaudit.toml", project).expect("loads");
    // The attribute refuses such an item without `backend` (DA0035).
    let items = audit_source(
        &registry,
        "distaudit",
        r#"#[coordination(pattern = "quorum-lock", cite = "example-quorum-2020")] fn lock() {}"#,
    )
    .expect("parses");
    let codes: Vec<String> = items[0]
        .findings
        .iter()
        .map(|f| f.code.to_string())
        .collect();
    assert!(codes.iter().any(|c| c == "DA0035"), "{codes:?}");
    let record = |approach: &str| {
        format!(
            "\
## Distributed Systems Decision: locks

### Locked Decisions Check
- [x] No conflict with D2.1-D2.5, D3.3, Decision A/B

### Anti-Pattern Check
- [x] No \"Novel consensus\"

### Decision Record
| Field | Detail |
|-------|--------|
| **Approach** | {approach} |
| **Provenance** | Level 4: `example-quorum-2020` |
"
        )
    };
    let issues = design::lint(&registry, "d.md", &record("our own quorum lock"));
    let contradiction = issues
        .iter()
        .find(|i| i.code.to_string() == "DA0073")
        .unwrap_or_else(|| panic!("no DA0073 in {issues:?}"));
    assert!(
        contradiction.what.contains("quorum-lock"),
        "{}",
        contradiction.what
    );
    assert!(
        contradiction.what.contains("Decision A"),
        "{}",
        contradiction.what
    );
    // Named with a proven backend, the same approach is accepted.
    let issues = design::lint(&registry, "d.md", &record("a quorum lock on etcd"));
    assert!(
        issues.iter().all(|i| i.code.to_string() != "DA0073"),
        "{issues:?}"
    );
}

/// How the crate-wide audit reads one file of a crate named `k`, at `src/lib.rs`.
fn lib_rs(registry: &engine::Registry) -> cargo_distaudit::scan::FileContext<'_> {
    cargo_distaudit::scan::FileContext::lib_rs(registry, "k")
}

/// The issues the crate-wide audit gives one file of a crate named `k`, at `src/lib.rs`.
fn scan_issues(text: &str) -> Vec<cargo_distaudit::model::Issue> {
    use cargo_distaudit::scan::{self, CrateFacts};
    let registry = engine::default_registry();
    let ctx = lib_rs(&registry);
    let file = scan::scan_text(&ctx, text);
    let mut issues = file.issues;
    for p in &file.pending {
        issues.extend(scan::resolve(p, "k", &registry, &CrateFacts::default()));
    }
    issues
}

#[test]
fn a_coordination_name_without_its_behaviour_is_da0061() {
    // Line 3: the name says lease renewal; the body does nothing that confirms it.
    let text = "\
pub struct Table;
impl Table {
    pub fn renew_lease(&mut self, holder: u64) {
        let h = holder;
        self.log.push(h);
        self.count = 0;
    }
}
";
    let issues = scan_issues(text);
    let names: Vec<&cargo_distaudit::model::Issue> = issues
        .iter()
        .filter(|i| i.code.to_string() == "DA0061")
        .collect();
    assert_eq!(names.len(), 1, "{issues:#?}");
    let i = names[0];
    assert_eq!(i.level.to_string(), "WARN");
    assert_eq!(i.item.as_deref(), Some("Table::renew_lease"));
    assert_eq!(i.file.as_deref(), Some("src/lib.rs"));
    assert_eq!(i.region.map(|r| r.line), Some(3));
    assert!(
        i.what.contains("`Table::renew_lease`") && i.what.contains("its name matches"),
        "what: {}",
        i.what
    );
    assert!(
        i.why.contains("traces to established literature"),
        "why: {}",
        i.why
    );
    assert!(
        i.fix.contains("#[coordination(pattern = \"lease\"") && i.fix.contains("[[exempt]]"),
        "fix: {}",
        i.fix
    );
    assert!(
        issues.iter().all(|i| i.code.to_string() != "DA0060"),
        "a name alone is not a BLOCK: {issues:#?}"
    );
}

/// A design record with every required section but the `omit`ted one.
fn record_without(omit: &str, provenance: &str) -> String {
    let mut doc = String::from("# Notes\n\n## Distributed Systems Decision: leases\n\n");
    for (heading, body) in [
        (
            "Locked Decisions Check",
            "- [x] No conflict with D2.1-D2.5, D3.3, Decision A/B\n",
        ),
        ("Anti-Pattern Check", "- [x] No \"Unbounded queue\"\n"),
        (
            "Decision Record",
            "| Field | Detail |\n|-------|--------|\n| **Approach** | leases |\n",
        ),
    ] {
        if heading != omit {
            doc.push_str(&format!("### {heading}\n{body}"));
            if heading == "Decision Record" {
                doc.push_str(&format!("| **Provenance** | {provenance} |\n"));
            }
            doc.push('\n');
        }
    }
    doc
}

#[test]
fn a_stated_level_that_is_not_the_registry_level_is_da0071() {
    let registry = engine::default_registry();
    // gray-cheriton-1989 is level 4 in the registry; the record says 2.
    let doc = record_without("", "Level 2: Gray & Cheriton [`gray-cheriton-1989`]");
    let line = doc
        .lines()
        .position(|l| l.contains("**Provenance**"))
        .expect("provenance line")
        + 1;
    let issues = design::lint(&registry, "d.md", &doc);
    let codes: Vec<String> = issues.iter().map(|i| i.code.to_string()).collect();
    assert_eq!(codes, ["DA0071"], "{issues:#?}");
    let i = &issues[0];
    assert_eq!(i.level.to_string(), "BLOCK");
    assert_eq!(i.file.as_deref(), Some("d.md"));
    assert_eq!(i.region.map(|r| r.line), Some(line));
    assert!(
        i.what.contains("Level 2")
            && i.what.contains("`gray-cheriton-1989`")
            && i.what.contains("level 4"),
        "what: {}",
        i.what
    );
    assert!(!i.why.is_empty());
    assert!(i.fix.contains("registry's level"), "fix: {}", i.fix);
    // The registry's level passes.
    let right = record_without("", "Level 4: Gray & Cheriton [`gray-cheriton-1989`]");
    assert!(design::lint(&registry, "d.md", &right).is_empty());
}

#[test]
fn a_record_without_a_required_section_is_da0076() {
    let registry = engine::default_registry();
    for omit in [
        "Locked Decisions Check",
        "Anti-Pattern Check",
        "Decision Record",
    ] {
        let doc = record_without(omit, "Level 4: [`gray-cheriton-1989`]");
        let issues = design::lint(&registry, "d.md", &doc);
        let codes: Vec<String> = issues.iter().map(|i| i.code.to_string()).collect();
        assert_eq!(codes, ["DA0076"], "without {omit}: {issues:#?}");
        let i = &issues[0];
        assert_eq!(i.level.to_string(), "BLOCK");
        assert_eq!(i.file.as_deref(), Some("d.md"));
        // At the record's heading (line 3, after the document's own title).
        assert_eq!(i.region.map(|r| r.line), Some(3), "without {omit}");
        assert!(
            i.what.contains(&format!("`### {omit}`")),
            "what: {}",
            i.what
        );
        assert!(!i.why.is_empty());
        assert!(i.fix.contains("add the section"), "fix: {}", i.fix);
    }
}

#[test]
fn an_alias_of_the_attribute_annotates_in_the_module_that_imports_it() {
    // `coord` is `coordination` where it is imported: the aliased method is annotated (no
    // DA0060), and written after `#[coordination]` it is a duplicate (DA0009). In a module
    // that does not import it, `#[coord]` is some other attribute: its renewal is uncited.
    let text = "\
use distaudit::coordination as coord;
pub struct Lease {
    pub deadline: u64,
}
impl Lease {
    #[coord(pattern = \"lease\", cite = \"gray-cheriton-1989\")]
    pub fn renew_lease(&mut self, now: u64) -> bool {
        if now >= self.deadline {
            return false;
        }
        self.deadline = now + 10;
        true
    }
    #[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\")]
    #[coord(pattern = \"lease\", cite = \"gray-cheriton-1989\")]
    pub fn expire_lease(&mut self, now: u64) -> bool {
        now >= self.deadline
    }
}
mod other {
    pub struct Table {
        pub deadline: u64,
    }
    impl Table {
        #[coord(pattern = \"lease\", cite = \"gray-cheriton-1989\")]
        pub fn renew_lease(&mut self, now: u64) {
            self.deadline = now + 10;
        }
    }
}
";
    let issues = scan_issues(text);
    let found: Vec<(String, Option<&str>)> = issues
        .iter()
        .filter(|i| i.code.to_string() != "DA0060" || i.item.as_deref() != Some("Lease"))
        .map(|i| (i.code.to_string(), i.item.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("DA0009".to_string(), Some("Lease::expire_lease")),
            ("DA0060".to_string(), Some("other::Table::renew_lease")),
        ],
        "{issues:#?}"
    );
}

/// A trait's contract reaches the audited impls of that trait wherever they are written:
/// an impl in another module that renames a parameter the contract reads is DA0019 on that
/// parameter's line; one that keeps the names, or implements a same-named trait of another
/// module that has no contract, is not.
#[test]
fn a_renamed_parameter_of_a_contract_is_found_across_modules() {
    use cargo_distaudit::scan;
    let registry = engine::default_registry();
    let ctx = lib_rs(&registry);
    let text = "\
pub mod time {
    use distaudit::coordination;
    #[distaudit::audit]
    pub trait Clock {
        #[coordination(pattern = \"lease\", cite = \"gray-cheriton-1989\", requires = \"now > 0\")]
        fn renew(&mut self, now: u64) -> u64;
    }
}
pub mod other {
    pub trait Clock {
        fn renew(&mut self, at: u64) -> u64;
    }
}
pub struct Lease {
    pub expiry: u64,
}
#[distaudit::audit]
impl time::Clock for Lease {
    fn renew(
        &mut self,
        at: u64,
    ) -> u64 {
        self.expiry = at + 10;
        self.expiry
    }
}
pub struct Kept;
#[distaudit::audit]
impl crate::time::Clock for Kept {
    fn renew(&mut self, now: u64) -> u64 {
        now
    }
}
pub struct Unrelated;
#[distaudit::audit]
impl other::Clock for Unrelated {
    fn renew(&mut self, at: u64) -> u64 {
        at
    }
}
";
    let first = scan::scan_text(&ctx, text);
    let contracts = scan::CrateContracts {
        traits: first.traits.clone(),
        contracts: first.contracts.clone(),
    };
    // The second reading, with the crate's contracts, as the workspace audit does.
    let again = scan::FileContext {
        contracts: Some(&contracts),
        ..lib_rs(&registry)
    };
    let file = scan::scan_text(&again, text);
    let renames: Vec<&cargo_distaudit::model::Issue> = file
        .issues
        .iter()
        .filter(|i| i.code.to_string() == "DA0019")
        .collect();
    let found: Vec<(Option<&str>, Option<usize>)> = renames
        .iter()
        .map(|i| (i.item.as_deref(), i.region.map(|r| r.line)))
        .collect();
    assert_eq!(found, [(Some("Lease::renew"), Some(21))], "{renames:?}");
    let f = renames[0];
    assert!(
        f.what
            .contains("parameter 1 of `renew` is `at` here but `now` in the trait"),
        "{}",
        f.what
    );
}

/// The codes and items of the crate-wide audit of one file, sorted.
fn codes_of(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = scan_issues(text)
        .iter()
        .map(|i| (i.code.to_string(), i.item.clone().unwrap_or_default()))
        .collect();
    out.sort();
    out
}

// Issue 22, by cause: each a minimal case written for the test.

#[test]
fn a_stale_token_compared_with_the_stored_one_is_fencing_whatever_it_is_called() {
    let text = "\
pub struct Node { current_ballot: u64 }
impl Node {
    pub fn on_prepare(&mut self, ballot: u64) -> bool {
        if ballot < self.current_ballot { return false; }
        self.current_ballot = ballot;
        true
    }
}
";
    let issues = scan_issues(text);
    let i = issues
        .iter()
        .find(|i| i.item.as_deref() == Some("Node::on_prepare"))
        .expect("the stale-ballot check is reported");
    assert_eq!(i.code.to_string(), "DA0060", "{i:?}");
    assert!(i.what.contains("ballot"), "{}", i.what);
}

#[test]
fn a_remote_lock_with_a_ttl_and_no_fencing_token_names_kleppmann() {
    let text = "\
pub struct RemoteLock { client: Client }
impl RemoteLock {
    pub async fn try_acquire(&self, key: &str, ttl_ms: u64) -> Result<bool, E> {
        let id = new_id();
        let ok: bool = redis::cmd(\"SET\").arg(key).arg(&id).arg(\"NX\").arg(\"PX\").arg(ttl_ms).query_async(&mut self.conn()).await?;
        Ok(ok)
    }
}
";
    let issues = scan_issues(text);
    let i = issues
        .iter()
        .find(|i| i.item.as_deref() == Some("RemoteLock::try_acquire"))
        .expect("a remote acquire with a TTL is reported although it takes &self");
    assert_eq!(i.code.to_string(), "DA0060");
    assert!(i.why.contains("kleppmann-2016"), "{}", i.why);
}

#[test]
fn setters_delegations_and_message_types_are_not_coordination() {
    let text = "\
pub struct RetryConfig { max_retries: u32 }
pub struct Client { retry_backoff: u64, window: Window }
impl Client {
    pub fn set_retry_backoff(&mut self, ms: u64) { self.retry_backoff = ms; }
    pub fn report_heartbeat(&mut self) { self.window.report_heartbeat() }
}
pub struct LeaseRequest { holder: String, ttl: u64, lease_id: u64 }
";
    assert!(codes_of(text).is_empty(), "{:?}", codes_of(text));
}

#[test]
fn a_backoff_iterator_and_a_lock_guard_drop_are_read() {
    let text = "\
pub struct DoublingBackoff { delay: u64, cap: u64 }
impl Iterator for DoublingBackoff {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        let d = self.delay;
        self.delay = (self.delay * 2).min(self.cap);
        Some(d)
    }
}
pub struct LockGuard { lock: RemoteLock, id: String }
impl Drop for LockGuard {
    fn drop(&mut self) {
        let lock = self.lock.clone();
        let id = self.id.clone();
        spawn(async move { lock.release(&id).await });
    }
}
";
    let items: Vec<String> = codes_of(text)
        .into_iter()
        .filter(|(c, _)| c == "DA0060")
        .map(|(_, i)| i)
        .collect();
    assert!(
        items.contains(&"DoublingBackoff::next".to_string()),
        "{items:?}"
    );
    assert!(items.contains(&"LockGuard::drop".to_string()), "{items:?}");
}

#[test]
fn a_dropped_reply_is_not_dropped_work_but_an_ignored_release_is() {
    let text = "\
pub struct Reader { store: Store, checkpoint: u64 }
impl Reader {
    pub async fn finish(&mut self, lease: &Lease, seq: u64, reply_tx: Sender<u64>) {
        if seq > self.checkpoint { self.checkpoint = seq; }
        let _ = reply_tx.send(1);
        let _ = self.store.release(lease).await;
    }
}
";
    let drops: Vec<usize> = scan_issues(text)
        .iter()
        .filter(|i| i.code.to_string() == "DA0046")
        .filter_map(|i| i.region.map(|r| r.line))
        .collect();
    assert_eq!(drops, [6], "only the ignored release");
}

#[test]
fn a_wall_clock_that_decides_nothing_or_is_monotonic_is_not_da0045() {
    let text = "\
pub struct LeaseTable { expiry: DateTime, seen_at: Option<DateTime>, deadline: Instant }
impl LeaseTable {
    pub fn note_renewal(&mut self, lease: &Lease) {
        if lease.expiry != self.expiry { self.expiry = lease.expiry; }
        self.seen_at = Some(Utc::now());
    }
    pub fn renew_lease(&mut self, ttl: Duration) {
        if self.deadline < Instant::now() { self.deadline = Instant::now() + ttl; }
    }
    pub fn lease_is_current(&self) -> bool {
        Utc::now() < self.expiry
    }
}
";
    let clocks: Vec<String> = scan_issues(text)
        .iter()
        .filter(|i| i.code.to_string() == "DA0045")
        .filter_map(|i| i.item.clone())
        .collect();
    assert_eq!(
        clocks,
        ["LeaseTable::lease_is_current"],
        "{:#?}",
        scan_issues(text)
    );
}
