//! The library entry points: `audit_source` (the consistency test's hook), lint-docs.

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
anti_patterns = []
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
