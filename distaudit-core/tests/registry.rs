//! Registry integrity: the default registry, a project's `distaudit.toml`, and broken files.

use distaudit_core::expand::{self, Options};
use distaudit_core::registry::{default_registry, project_registry};
use quote::quote;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn default_registry_holds_every_verified_reference() {
    let reg = default_registry().expect("the default registry is valid");
    let (_, tsv) = distaudit_core::registry::DEFAULT_FILES
        .iter()
        .find(|(name, _)| *name == "citations/citations.toml")
        .expect("the citations file is embedded");
    assert_eq!(
        reg.citations.len(),
        tsv.lines().filter(|l| *l == "[[citation]]").count()
    );
    assert!(reg.citations.len() >= 49);
    for id in [
        "gray-cheriton-1989",
        "kleppmann-2016",
        "leach-2017b",
        "etcd-lease",
        "fischer-lynch-paterson-1985",
    ] {
        assert!(reg.citation(id).is_some(), "{id}");
    }
    assert_eq!(
        reg.anti_patterns.len(),
        distaudit_core::catalogue::AntiPattern::ALL.len()
    );
    for d in ["D2.1", "D2.2", "D2.3", "D2.4", "D2.5", "D3.3", "A", "B"] {
        assert!(reg.decision(d).is_some(), "{d}");
    }
    for b in [
        "etcd",
        "zookeeper",
        "consul",
        "openraft",
        "raft-rs",
        "foundationdb",
    ] {
        assert!(reg.backend(b).is_some(), "{b}");
    }
    assert_eq!(
        reg.pattern("epidemic").map(|p| p.id.as_str()),
        Some("gossip")
    );
    // Parsed once per process: the same allocation every time.
    assert!(std::ptr::eq(reg, default_registry().unwrap()));
}

#[test]
fn a_project_file_extends_the_registry() {
    let (reg, path) = project_registry(Some(&fixture("good"))).expect("valid project file");
    assert_eq!(path.len(), 1);
    assert!(
        reg.citation("acme-leases-2024")
            .is_some_and(|c| c.origin.project)
    );
    assert!(reg.decision("D2.6").is_some());
    assert!(reg.pattern("heartbeat-lease").is_some());
    assert!(reg.citation("gray-cheriton-1989").is_some());
    let (again, _) = project_registry(Some(&fixture("good"))).unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&reg, &again),
        "cached per file content"
    );
    let (none, path) = project_registry(Some(&fixture("no-such-dir"))).unwrap();
    assert!(path.is_empty() && none.citation("acme-leases-2024").is_none());
}

#[test]
fn broken_files_name_file_line_and_problem() {
    let e = project_registry(Some(&fixture("broken-syntax"))).unwrap_err();
    assert!(e.file.ends_with("broken-syntax/distaudit.toml"), "{e}");
    assert_eq!(e.line, 5, "{e}");

    let e = project_registry(Some(&fixture("shadowing"))).unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    assert!(
        e.message
            .contains("already defined at citations/citations.toml"),
        "{e}"
    );
    assert!(e.message.contains("may not shadow"), "{e}");

    let e = project_registry(Some(&fixture("unknown-pattern"))).unwrap_err();
    assert_eq!(e.line, 4, "{e}");
    assert!(
        e.message.contains("unknown pattern or topic \"leasing\""),
        "{e}"
    );
}

#[test]
fn a_broken_registry_is_a_compile_error_not_a_panic() {
    let opts = Options {
        manifest_dir: Some(fixture("shadowing")),
        ..Options::default()
    };
    let out = expand::coordination(
        quote!(pattern = "lease", cite = "gray-cheriton-1989"),
        quote!(
            fn acquire() {}
        ),
        &opts,
    )
    .to_string();
    assert!(out.contains("[distaudit DA0014 BLOCK]"), "{out}");
    assert!(out.contains("distaudit.toml:2"), "{out}");
    assert!(
        out.contains("fn acquire"),
        "the item is still emitted: {out}"
    );
}

#[test]
fn project_annotations_see_project_ids_and_depend_on_the_file() {
    let opts = Options {
        manifest_dir: Some(fixture("good")),
        ..Options::default()
    };
    let out = expand::coordination(
        quote!(
            pattern = "heartbeat-lease",
            cite = "acme-leases-2024",
            implements = "D2.6"
        ),
        quote!(
            fn renew() {}
        ),
        &opts,
    )
    .to_string();
    assert!(!out.contains("compile_error"), "{out}");
    assert!(
        out.contains("include_bytes"),
        "editing distaudit.toml rebuilds the crate: {out}"
    );
    // A project's pattern has no page in the distaudit docs: its text stays on the item.
    assert!(out.contains("At most one holder at a time."), "{out}");
    assert!(!out.contains("#pattern-heartbeat-lease"), "{out}");
}

#[test]
fn a_default_pattern_links_its_text_instead_of_repeating_it() {
    let out = expand::coordination(
        quote!(pattern = "lease", cite = "gray-cheriton-1989"),
        quote!(
            fn renew() {}
        ),
        &Options::default(),
    )
    .to_string();
    let lease = distaudit_core::registry::default_registry()
        .expect("default registry")
        .pattern("lease")
        .expect("lease");
    assert!(!out.contains(lease.safety.as_str()), "{out}");
    assert!(
        out.contains("distaudit/#pattern-lease"),
        "the link to the registry row: {out}"
    );
}

#[test]
fn the_default_data_files_are_each_checked() {
    use distaudit_core::registry::parse_files;
    let broken = "[[citation]]\nid = \"Gray-1989\"\nlevel = 4\nkind = \"paper\"\ntitle = \"t\"\nauthors = [\"a\"]\nyear = 1989\nvenue = \"v\"\nurl = \"https://a.b/c\"\npatterns = [\"lease\"]\n";
    let mut files: Vec<(&str, &str)> = distaudit_core::registry::DEFAULT_FILES.to_vec();
    files.push(("extra.toml", broken));
    let e = parse_files(&files, true).unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("extra.toml", 2), "{e}");
    let bad_level = broken
        .replace("Gray-1989", "gray-1989")
        .replace("level = 4", "level = 9");
    files.pop();
    files.push(("extra.toml", &bad_level));
    assert!(
        parse_files(&files, true)
            .unwrap_err()
            .message
            .contains("level 9")
    );
    let bad_url = broken
        .replace("Gray-1989", "gray-1989")
        .replace("https://a.b/c", "a.b/c");
    files.pop();
    files.push(("extra.toml", &bad_url));
    assert!(
        parse_files(&files, true)
            .unwrap_err()
            .message
            .contains("URL")
    );
}

#[test]
fn a_project_pattern_governed_by_decision_a_takes_a_backend() {
    let opts = Options {
        manifest_dir: Some(fixture("decision-a")),
        ..Options::default()
    };
    let expand = |args| {
        expand::coordination(
            args,
            quote!(
                fn assign() {}
            ),
            &opts,
        )
        .to_string()
    };
    let with_backend = expand(quote!(
        pattern = "shard-assignment",
        cite = "acme-assignment-2025",
        backend = "etcd"
    ));
    assert!(!with_backend.contains("compile_error"), "{with_backend}");
    let without = expand(quote!(
        pattern = "shard-assignment",
        cite = "acme-assignment-2025"
    ));
    assert!(without.contains("DA0035"), "{without}");
    assert!(!without.contains("DA0019"), "{without}");
}

#[test]
fn unusable_project_files_are_errors_not_a_silent_default() {
    let root = std::env::temp_dir().join(format!("distaudit-unusable-{}", std::process::id()));
    let dir = root.join("dir");
    std::fs::create_dir_all(dir.join("distaudit.toml")).unwrap();
    let e = project_registry(Some(&dir)).unwrap_err();
    assert!(e.message.contains("is a directory"), "{e}");
    assert_eq!(e.line, 0);

    let binary = root.join("binary");
    std::fs::create_dir_all(&binary).unwrap();
    std::fs::write(
        binary.join("distaudit.toml"),
        b"# ok\n# ok\nid = \"\xff\"\n",
    )
    .unwrap();
    let e = project_registry(Some(&binary)).unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("not UTF-8"), "{e}");

    #[cfg(unix)]
    {
        let dangling = root.join("dangling");
        std::fs::create_dir_all(&dangling).unwrap();
        std::os::unix::fs::symlink(
            dangling.join("nowhere.toml"),
            dangling.join("distaudit.toml"),
        )
        .unwrap();
        let e = project_registry(Some(&dangling)).unwrap_err();
        assert!(e.message.contains("symbolic link"), "{e}");

        let looping = root.join("loop");
        std::fs::create_dir_all(&looping).unwrap();
        std::os::unix::fs::symlink(
            looping.join("distaudit.toml"),
            looping.join("distaudit.toml"),
        )
        .unwrap();
        let e = project_registry(Some(&looping)).unwrap_err();
        assert!(e.message.contains("symbolic link"), "{e}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_large_registry_loads_and_keeps_every_line_number() {
    // Thousands of entries: a company-wide registry. Its load time is measured in
    // docs/benchmarks.md (no timed assertions in tests); this checks the result.
    use std::fmt::Write as _;
    let mut text = String::new();
    for i in 0..4000 {
        let _ = write!(
            text,
            "[[citation]]\nid = \"acme-note-n{i}\"\nlevel = 3\nkind = \"docs\"\ntitle = \"Note {i}\"\nauthors = [\"Acme\"]\nvenue = \"Acme docs\"\nurl = \"https://acme.example.com/{i}\"\npatterns = [\"lease\"]\n\n"
        );
    }
    let mut files: Vec<(&str, &str)> = distaudit_core::registry::DEFAULT_FILES.to_vec();
    files.push(("big.toml", &text));
    let reg = distaudit_core::registry::parse_files(&files, true).expect("valid");
    assert!(
        reg.citation("acme-note-n3999")
            .is_some_and(|c| c.origin.line == 39_992)
    );
}

#[test]
fn a_crate_allows_a_warn_code_in_its_registry_file() {
    let weak = quote!(pattern = "fencing", cite = "kleppmann-2016");
    let item = quote!(
        fn observe() {}
    );
    let loud = expand::coordination(weak.clone(), item.clone(), &Options::default()).to_string();
    assert!(loud.contains("DA0010_weak_evidence_level_1_2"), "{loud}");
    let opts = Options {
        manifest_dir: Some(fixture("quiet")),
        ..Options::default()
    };
    let quiet = expand::coordination(weak, item, &opts).to_string();
    assert!(!quiet.contains("deprecated"), "{quiet}");
    let root = std::env::temp_dir().join(format!("distaudit-warn-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("distaudit.toml"),
        "[warnings]\nallow = [\"DA0004\"]\n",
    )
    .unwrap();
    let e = project_registry(Some(&root)).unwrap_err();
    assert!(e.message.contains("BLOCK code"), "{e}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_compiler_reports_a_broken_registry_once_another_host_on_every_item() {
    use distaudit_core::expand::Host;
    let expand = |host: Host, name: &str| {
        let opts = Options {
            manifest_dir: Some(fixture("shadowing")),
            host,
            ..Options::default()
        };
        let item: proc_macro2::TokenStream = format!("fn {name}() {{}}").parse().unwrap();
        expand::coordination(
            quote!(pattern = "lease", cite = "gray-cheriton-1989"),
            item,
            &opts,
        )
        .to_string()
    };
    // rust-analyzer's server (or any long-lived host): every item shows the error.
    for name in ["one", "two"] {
        let out = expand(Host::Other, name);
        assert!(out.contains("DA0014"), "{out}");
    }
    // rustc: the first item reports it; the rest are passed through, the build has failed.
    let first = expand(Host::Compiler, "first");
    assert!(
        first.contains("DA0014") && first.contains("fn first"),
        "{first}"
    );
    let later = expand(Host::Compiler, "later");
    assert!(!later.contains("compile_error"), "{later}");
    assert!(
        later.contains("fn later"),
        "the item is still emitted: {later}"
    );
}

/// The guide's advice for a registry added later (cargo cannot notice a file that did not
/// exist at the last build): keep an empty `distaudit.toml` from the start. An empty file is
/// a valid registry, and the expansion depends on it, so filling it in later rebuilds.
#[test]
fn an_empty_project_file_is_valid_and_tracked() {
    let root = std::env::temp_dir().join(format!("distaudit-empty-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("distaudit.toml"), "").unwrap();
    let opts = Options {
        manifest_dir: Some(root.clone()),
        ..Options::default()
    };
    let out = expand::coordination(
        quote!(pattern = "lease", cite = "gray-cheriton-1989"),
        quote!(
            fn renew() {}
        ),
        &opts,
    )
    .to_string();
    let _ = std::fs::remove_dir_all(&root);
    assert!(!out.contains("compile_error"), "{out}");
    assert!(out.contains("include_bytes"), "{out}");
}

/// The registry file's tables are read by hand (no serde derive): every field is checked
/// for presence, type and spelling, and each refusal names the table, the field and the
/// line.
#[test]
fn a_malformed_table_is_refused_at_its_line_with_the_field_named() {
    use distaudit_core::registry::{DEFAULT_FILES, parse_files};
    let with_defaults = |text: &str| {
        let mut files = DEFAULT_FILES.to_vec();
        files.push(("distaudit.toml", text));
        parse_files(&files, true)
    };
    let citation = |extra: &str| {
        format!(
            "[[citation]]\nid = \"acme-note\"\nlevel = 3\nkind = \"docs\"\ntitle = \"T\"\n\
             authors = [\"A\"]\nvenue = \"V\"\nurl = \"https://example.com\"\npatterns = [\"lease\"]\n{extra}"
        )
    };
    let refused = |text: &str| with_defaults(text).map(|_| ()).expect_err("refused");
    // The well-formed entry is accepted, so each refusal below is the change it makes.
    with_defaults(&citation("")).expect("a valid citation");

    let e = refused(&citation("colour = \"red\"\n"));
    assert_eq!(e.line, 10, "{e}");
    assert!(
        e.message.contains("unknown field `colour` in `citation`"),
        "{e}"
    );
    assert!(e.message.contains("`venue`"), "{e}");

    let e = refused(&citation("").replace("title = \"T\"\n", ""));
    assert_eq!(e.line, 1, "{e}");
    assert!(
        e.message.contains("missing field `title` in `citation`"),
        "{e}"
    );

    let e = refused(&citation("").replace("level = 3", "level = \"three\""));
    assert_eq!(e.line, 3, "{e}");
    assert!(
        e.message
            .contains("invalid type for `level` in `citation`: string"),
        "{e}"
    );

    let e = refused(&citation("").replace("level = 3", "level = 300"));
    assert!(e.message.contains("expected a level from 1 to 5"), "{e}");

    let e = refused(&citation("").replace("authors = [\"A\"]", "authors = [\"A\", 2]"));
    assert_eq!(e.line, 6, "{e}");
    assert!(e.message.contains("invalid type for `authors`"), "{e}");

    let e = refused(
        "[[pattern]]\nid = \"p\"\nname = \"P\"\nsummary = \"s\"\nsafety = \"s\"\n\
                     liveness = \"l\"\nrelax = [{ anti_pattern = \"wall_clocks\", reason = \"r\", cite = \"c\" }]\n",
    );
    assert_eq!(e.line, 7, "{e}");
    assert!(
        e.message.contains("unknown anti-pattern `wall_clocks`"),
        "{e}"
    );
    assert!(e.message.contains("`wall_clock`"), "{e}");

    // Issue 21: a pattern no longer chooses its anti-patterns; the old field says what
    // replaced it.
    let e = refused(
        "[[pattern]]\nid = \"p\"\nname = \"P\"\nsummary = \"s\"\nsafety = \"s\"\n\
                     liveness = \"l\"\nanti_patterns = [\"wall_clock\"]\n",
    );
    assert_eq!(e.line, 7, "{e}");
    assert!(e.message.contains("held to the seven anti-patterns"), "{e}");

    // A relaxation names a known citation and a reason a reviewer can check.
    let e = refused(
        "[[citation]]\nid = \"author-2020\"\nlevel = 4\nkind = \"paper\"\ntitle = \"T\"\nauthors = [\"A\"]\n\
                     year = 2020\nvenue = \"V\"\nurl = \"https://example.org/t\"\npatterns = [\"p\"]\n\
                     [[pattern]]\nid = \"p\"\nname = \"P\"\nsummary = \"s\"\nsafety = \"s\"\n\
                     liveness = \"l\"\nrelax = [{ anti_pattern = \"wall_clock\", reason = \"timers\", cite = \"author-2020\" }]\n",
    );
    assert!(
        e.message
            .contains("relaxes \"wall_clock\" with a reason that says too little"),
        "{e}"
    );

    let e = refused("[checks]\nmode = 1\n");
    assert_eq!(e.line, 2, "{e}");
    assert!(
        e.message.contains("invalid type for `mode` in `checks`"),
        "{e}"
    );

    let e = refused("citation = 3\n");
    assert!(
        e.message.contains("an array of `[[citation]]` tables"),
        "{e}"
    );
}

/// Issue 21, the team's registry: a `distaudit.toml` at the workspace root applies to every
/// member and a member's own file extends it; the workspace may set a default decision
/// aside with a reason and a citation; an exemption still belongs to one crate.
#[test]
fn a_workspace_file_applies_to_its_members_and_a_member_extends_it() {
    let member = fixture("team").join("member");
    let (reg, files) = project_registry(Some(&member)).expect("valid files");
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files[0].ends_with("team/distaudit.toml"), "{files:?}");
    assert!(files[1].ends_with("member/distaudit.toml"), "{files:?}");
    assert!(reg.decision("S1").is_some() && reg.decision("S2").is_some());
    let aside = reg.set_aside("B").expect("B is set aside");
    assert_eq!(aside.cite, "das-2002");
    assert!(reg.set_aside("A").is_none());
    // The workspace root reads its own file once, as a crate's.
    let (root, files) = project_registry(Some(&fixture("team"))).expect("valid");
    assert_eq!(files.len(), 1);
    assert!(root.decision("S1").is_some() && root.decision("S2").is_none());

    let e = project_registry(Some(&fixture("team-exempt").join("member"))).unwrap_err();
    assert!(e.file.ends_with("team-exempt/distaudit.toml"), "{e}");
    assert!(
        e.message
            .contains("`[[exempt]]` belongs in a crate's distaudit.toml"),
        "{e}"
    );
}

/// A decision set aside without a reason a reviewer can check, or citing nothing the
/// registry has, is refused with the line.
#[test]
fn a_set_aside_needs_a_reason_and_a_known_citation() {
    use distaudit_core::registry::{DEFAULT_FILES, parse_files};
    let with = |project: &str| {
        let mut files: Vec<(&str, &str)> = DEFAULT_FILES.to_vec();
        files.push(("distaudit.toml", project));
        parse_files(&files, true)
    };
    let short = with("[[set_aside]]\ndecision = \"B\"\nreason = \"SWIM\"\ncite = \"das-2002\"\n")
        .unwrap_err();
    assert!(short.message.contains("says too little"), "{short}");
    let uncited = with(
        "[[set_aside]]\ndecision = \"B\"\nreason = \"membership runs on SWIM and coordination still goes through leases\"\ncite = \"nobody-2099\"\n",
    )
    .unwrap_err();
    assert!(uncited.message.contains("not in the registry"), "{uncited}");
    let unknown = with(
        "[[set_aside]]\ndecision = \"Z\"\nreason = \"membership runs on SWIM and coordination still goes through leases\"\ncite = \"das-2002\"\n",
    )
    .unwrap_err();
    assert!(
        unknown.message.contains("not a locked decision"),
        "{unknown}"
    );
}

/// With Decision B set aside, gossip for membership is not refused (DA0036 is silent), and
/// the item's record says the decision is set aside and why.
#[test]
fn a_set_aside_decision_is_not_enforced_and_the_record_says_so() {
    let dir = fixture("team").join("member");
    let out = expand::coordination(
        quote!(pattern = "gossip", cite = "das-2002"),
        quote!(
            pub fn probe(&mut self) {}
        ),
        &Options {
            manifest_dir: Some(dir),
            ..Options::default()
        },
    )
    .to_string();
    assert!(!out.contains("DA0036"), "{out}");
    assert!(out.contains("Decision set aside"), "{out}");
    assert!(out.contains("SWIM"), "{out}");
    // Without the set-aside, the same item is refused.
    let refused = expand::coordination(
        quote!(pattern = "gossip", cite = "das-2002"),
        quote!(
            pub fn probe(&mut self) {}
        ),
        &Options::default(),
    )
    .to_string();
    assert!(refused.contains("DA0036"), "{refused}");
}

/// Issue 23, decision records with a life: an annotation that names a superseded decision
/// is told its successor (DA0056, a warning the crate may allow); naming the successor is
/// quiet; a superseded decision must name an existing successor.
#[test]
fn an_annotation_naming_a_superseded_decision_is_told_its_successor() {
    let opts = Options {
        manifest_dir: Some(fixture("superseded")),
        ..Options::default()
    };
    let item = quote!(
        pub fn renew(&mut self, now: u64) {}
    );
    let old = expand::coordination(
        quote!(
            pattern = "lease",
            cite = "gray-cheriton-1989",
            implements = "S1"
        ),
        item.clone(),
        &opts,
    )
    .to_string();
    assert!(old.contains("DA0056"), "{old}");
    assert!(old.contains("superseded by S2"), "{old}");
    let current = expand::coordination(
        quote!(
            pattern = "lease",
            cite = "gray-cheriton-1989",
            implements = "S2"
        ),
        item,
        &opts,
    )
    .to_string();
    assert!(!current.contains("DA0056"), "{current}");

    use distaudit_core::registry::{DEFAULT_FILES, parse_files};
    let with = |project: &str| {
        let mut files: Vec<(&str, &str)> = DEFAULT_FILES.to_vec();
        files.push(("distaudit.toml", project));
        parse_files(&files, true)
    };
    let decision = |extra: &str| {
        format!(
            "[[decision]]\nid = \"S1\"\ntitle = \"t\"\nstatement = \"s\"\nrationale = \"r\"\n\
             sources = [\"gray-cheriton-1989\"]\npatterns = [\"lease\"]\n{extra}"
        )
    };
    let e = with(&decision("status = \"superseded\"\n")).unwrap_err();
    assert!(e.message.contains("names no successor"), "{e}");
    let e = with(&decision(
        "status = \"superseded\"\nsuperseded_by = \"S9\"\n",
    ))
    .unwrap_err();
    assert!(e.message.contains("not another decision"), "{e}");
    let e = with(&decision("status = \"retired\"\n")).unwrap_err();
    assert!(e.message.contains("the statuses are"), "{e}");
    let e = with(&decision("superseded_by = \"S1\"\n")).unwrap_err();
    assert!(e.message.contains("its status is not"), "{e}");
}
