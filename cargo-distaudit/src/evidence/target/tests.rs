//! Finding targets and taking their fingerprints: each kind's found, missing and changed.

use super::*;

const SPEC: &str = r"---- MODULE ShardFencing ----
EXTENDS Naturals
VARIABLES owner, epoch

\* Safety: one owner at a time.
MutualExclusion ==
    \A s \in Shards : Cardinality(owner[s]) <= 1

ZombieRejection(s) == epoch[s] >= 0  (* stale writers are refused *)

LOCAL Helper[x \in 1..3] == x + 1
THEOREM Spec => []MutualExclusion
====
";

#[test]
fn a_tla_operator_is_its_definition_up_to_the_next_top_level_one() {
    let m = locate(EvidenceKind::Tla, SPEC, "MutualExclusion").expect("defined");
    assert!(m.starts_with("MutualExclusion =="), "{m}");
    assert!(m.contains("Cardinality(owner[s]) <= 1"), "{m}");
    assert!(!m.contains("ZombieRejection"), "{m}");
    let z = locate(EvidenceKind::Tla, SPEC, "ZombieRejection").expect("with parameters");
    assert!(z.trim_end().ends_with("*)"), "{z}");
    let h = locate(EvidenceKind::Tla, SPEC, "Helper").expect("LOCAL, a function");
    assert!(!h.contains("THEOREM"), "a THEOREM ends it: {h}");
}

#[test]
fn a_tla_operator_that_is_gone_or_only_mentioned_is_not_found() {
    assert_eq!(
        locate(EvidenceKind::Tla, SPEC, "SplitAtomicity"),
        Err(Gone::NotDefined)
    );
    // Used, not defined: `[]MutualExclusion` in the THEOREM; indented: a LET's.
    let used = "THEOREM Spec => []Inv\n  Inv == TRUE\n";
    assert_eq!(
        locate(EvidenceKind::Tla, used, "Inv"),
        Err(Gone::NotDefined)
    );
}

#[test]
fn a_changed_operator_changes_its_fingerprint_and_comments_or_spacing_do_not() {
    let fp = |spec: &str| {
        fingerprint(
            EvidenceKind::Tla,
            &locate(EvidenceKind::Tla, spec, "MutualExclusion").expect("defined"),
        )
    };
    let before = fp(SPEC);
    assert_eq!(before.len(), 16);
    let respaced = SPEC.replace("    \\A s \\in Shards :", "  \\A s \\in Shards   :\n  ");
    assert_eq!(fp(&respaced), before, "whitespace only");
    let commented = SPEC.replace("<= 1\n", "<= 1 \\* at most one\n");
    assert_eq!(fp(&commented), before, "a comment only");
    let changed = SPEC.replace("<= 1", "<= 2");
    assert_ne!(fp(&changed), before, "the definition changed");
    // A change of another operator leaves this one's fingerprint alone.
    let other = SPEC.replace("epoch[s] >= 0", "epoch[s] > 0");
    assert_eq!(fp(&other), before);
    assert!(matches(&before, &before) && !matches(&before, &fp(&changed)));
}

const HARNESSES: &str = r#"
#[cfg(kani)]
mod proofs {
    use super::*;

    /// Splitting keeps the children tiling the parent.
    #[kani::proof]
    #[kani::unwind(4)]
    fn split_tiles_parent() {
        let at: u8 = kani::any();
        assert!(split(at).0.end == split(at).1.start); // the seam
    }

    #[cfg_attr(kani, kani::proof)]
    fn fence_only_grows() {}

    fn not_a_harness() {}
}

impl Checker {
    pub fn s1_single_owner(&self) -> bool { true }
}

#[test]
fn zombie_is_rejected() {
    let url = "http://a//b"; /* block */
    assert_eq!(url.len(), 11);
}

fn loom_model() {
    loom::model(|| {});
}

fn shuttle_run() {
    shuttle::check_random(|| {}, 100);
}
"#;

#[test]
fn a_kani_harness_needs_its_attribute() {
    let f = locate(EvidenceKind::Kani, HARNESSES, "split_tiles_parent").expect("a harness");
    assert!(
        f.contains("#[kani::proof]") && f.trim_end().ends_with('}'),
        "{f}"
    );
    assert!(
        f.contains("/// Splitting"),
        "the item's text, its docs included: {f}"
    );
    assert!(locate(EvidenceKind::Kani, HARNESSES, "proofs::fence_only_grows").is_ok());
    assert_eq!(
        locate(EvidenceKind::Kani, HARNESSES, "not_a_harness"),
        Err(Gone::NotEvidence(
            "has no `#[kani::proof]`: it is no longer a proof harness"
        ))
    );
    let removed = HARNESSES.replace("#[kani::proof]\n", "");
    assert!(matches!(
        locate(EvidenceKind::Kani, &removed, "split_tiles_parent"),
        Err(Gone::NotEvidence(_))
    ));
}

#[test]
fn a_function_that_is_gone_is_not_found_and_two_of_a_name_are_ambiguous() {
    assert_eq!(
        locate(EvidenceKind::Test, HARNESSES, "zombie_is_gone"),
        Err(Gone::NotDefined)
    );
    let twice = format!("{HARNESSES}\nmod more {{ #[test] fn zombie_is_rejected() {{}} }}\n");
    assert!(matches!(
        locate(EvidenceKind::Test, &twice, "zombie_is_rejected"),
        Err(Gone::Ambiguous(paths)) if paths.len() == 2
    ));
    assert!(locate(EvidenceKind::Test, &twice, "more::zombie_is_rejected").is_ok());
    assert!(matches!(
        locate(EvidenceKind::Test, "fn broken(", "x"),
        Err(Gone::Unparsable(_))
    ));
}

#[test]
fn tests_models_and_simulation_invariants_by_what_makes_them_one() {
    assert!(locate(EvidenceKind::Test, HARNESSES, "zombie_is_rejected").is_ok());
    assert!(locate(EvidenceKind::Test, HARNESSES, "loom_model").is_err());
    assert!(locate(EvidenceKind::Loom, HARNESSES, "loom_model").is_ok());
    assert!(locate(EvidenceKind::Loom, HARNESSES, "shuttle_run").is_err());
    assert!(locate(EvidenceKind::Shuttle, HARNESSES, "shuttle_run").is_ok());
    let sim = locate(
        EvidenceKind::Simulation,
        HARNESSES,
        "Checker::s1_single_owner",
    );
    assert!(sim.is_ok_and(|t| t.starts_with("pub fn s1_single_owner")));
}

#[test]
fn rust_comments_go_and_literals_stay() {
    let text = "let a = \"x // y\"; // gone\nlet b = r#\"/* kept */\"#; /* gone /* nested */ */ let c = '\\'';\nlet d = 'a'; let e: &'static str;";
    let kept = strip_rust_comments(text);
    assert!(
        kept.contains("\"x // y\"") && kept.contains("/* kept */"),
        "{kept}"
    );
    assert!(!kept.contains("gone") && !kept.contains("nested"), "{kept}");
    assert!(kept.contains("'\\''") && kept.contains("'static"), "{kept}");
}
