//! Checking links end to end on files in a temporary directory: COVERED, OUTDATED (changed,
//! never confirmed), ORPHANED (file gone, operator gone), and the findings each gives.

use super::*;
use crate::engine::{EvidenceKind, Origin};
use std::path::PathBuf;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("distaudit-evidence-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("specs")).expect("a temporary directory");
    d
}

fn link(root: &Path, fingerprint: Option<&str>) -> EvidenceLink {
    EvidenceLink {
        id: "mutex".into(),
        kind: EvidenceKind::Tla,
        file: "specs/S.tla".into(),
        name: "Mutex".into(),
        covers: vec!["S1".into()],
        items: Vec::new(),
        fingerprint: fingerprint.map(Into::into),
        origin: Origin {
            file: root.join("distaudit.toml").display().to_string(),
            line: 3,
            project: true,
        },
    }
}

#[test]
fn a_link_is_covered_then_outdated_then_orphaned() {
    let root = dir("states");
    let spec = root.join("specs/S.tla");
    std::fs::write(&spec, "Mutex == x <= 1\nOther == TRUE\n").expect("written");
    let first = check_link(&root, &link(&root, None), "app");
    assert_eq!(first.state, LinkState::Outdated, "never confirmed");
    let now = first.current.clone().expect("a fingerprint");
    let issue = state_issue(&first).expect("a finding");
    assert_eq!(issue.0, Code::EvidenceOutdated);
    assert!(
        issue.1.contains("no recorded fingerprint") && issue.3.contains(&now),
        "{issue:?}"
    );

    let confirmed = link(&root, Some(&now));
    let ok = check_link(&root, &confirmed, "app");
    assert_eq!(ok.state, LinkState::Covered);
    assert!(ok.level_five() && state_issue(&ok).is_none());
    assert_eq!(ok.file, "specs/S.tla");

    std::fs::write(&spec, "Mutex == x <= 2\nOther == TRUE\n").expect("written");
    let changed = check_link(&root, &confirmed, "app");
    assert_eq!(changed.state, LinkState::Outdated);
    assert!(!changed.level_five(), "an OUTDATED proof is not level 5");
    let issue = state_issue(&changed).expect("a finding");
    assert!(
        issue
            .1
            .contains(&format!("changed since fingerprint {now}")),
        "{issue:?}"
    );

    std::fs::write(&spec, "Other == TRUE\n").expect("written");
    let gone = check_link(&root, &confirmed, "app");
    assert_eq!(gone.state, LinkState::Orphaned);
    let issue = state_issue(&gone).expect("a finding");
    assert_eq!(issue.0, Code::EvidenceOrphaned);
    assert!(
        issue.1.contains("ORPHANED") && issue.1.contains("specs/S.tla#Mutex"),
        "{issue:?}"
    );

    std::fs::remove_file(&spec).expect("removed");
    let no_file = check_link(&root, &confirmed, "app");
    assert!(
        no_file
            .gone
            .as_deref()
            .is_some_and(|g| g.contains("file is gone")),
        "{no_file:?}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_listing_says_what_to_paste() {
    let root = dir("listing");
    std::fs::write(root.join("specs/S.tla"), "Mutex == TRUE\n").expect("written");
    let checked = check_link(&root, &link(&root, None), "app");
    let text = listing(std::slice::from_ref(&checked));
    let now = checked.current.expect("a fingerprint");
    assert!(
        text.starts_with("OUTDATED  mutex (tla) specs/S.tla#Mutex -> covers S1"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "fingerprint = \"{now}\"   # paste into distaudit.toml:3"
        )),
        "{text}"
    );
    assert!(
        text.ends_with("0 COVERED, 1 OUTDATED, 0 ORPHANED (0 level 5)\n"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&root);
}
