//! The record of evaluated checks (`DISTAUDIT_COVERAGE`): a test binary of its own, since
//! the variable is read once per process, at the first check.
#![allow(clippy::missing_errors_doc, clippy::result_unit_err)]

use distaudit::coordination;
use std::path::PathBuf;

pub struct Epoch {
    pub fence: u64,
}

impl Epoch {
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.fence")
    )]
    pub fn advance(&mut self, to: u64) -> Result<(), ()> {
        if to < self.fence {
            return Err(());
        }
        self.fence = to;
        Ok(())
    }

    /// Seeded bug: lowers the fence.
    #[coordination(
        pattern = "fencing",
        cite = "burrows-2006",
        invariant(monotonic = "self.fence")
    )]
    pub fn lower(&mut self, to: u64) -> Result<(), ()> {
        self.fence = to;
        Ok(())
    }
}

/// One site of the record, by its check as written and its item (a method whose type the
/// macro does not see names it by `Self`: the record has the type's name as `owner`).
fn site<'a>(lines: &'a [serde_json::Value], item: &str) -> &'a serde_json::Value {
    lines
        .iter()
        .find(|l| {
            l["item"] == item
                && l["owner"] == "coverage::Epoch"
                && l["check"] == "monotonic(self.fence)"
        })
        .unwrap_or_else(|| panic!("no line for {item}: {lines:#?}"))
}

#[test]
fn every_evaluation_is_recorded_by_site_with_failures_and_refusals() {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("distaudit-coverage-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // SAFETY: the only test of this binary, before any check (and so any read of it).
    unsafe { std::env::set_var("DISTAUDIT_COVERAGE", &dir) };
    std::thread::spawn(|| {
        let mut e = Epoch { fence: 5 };
        let refused = |r: &Result<(), ()>| r.is_err();
        use distaudit::__private::coverage::in_call;
        assert!(in_call(|| e.advance(7), refused).is_ok());
        assert!(in_call(|| e.advance(3), refused).is_err());
        assert!(e.advance(9).is_ok());
        let failed = std::panic::catch_unwind(move || {
            let _ = e.lower(1);
        });
        assert!(failed.is_err(), "the seeded bug is caught");
    })
    .join()
    .expect("the thread ran");

    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the record's directory")
        .map(|e| e.expect("an entry").path())
        .collect();
    assert_eq!(files.len(), 1, "one file per process: {files:?}");
    assert!(
        files[0].extension().is_some_and(|x| x == "jsonl"),
        "{files:?}"
    );
    let text = std::fs::read_to_string(&files[0]).expect("the record");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let advance = site(&lines, "advance");
    assert_eq!(advance["module"], "coverage");
    assert_eq!(
        (
            &advance["evaluated"],
            &advance["failed"],
            &advance["accepted"],
            &advance["refused"]
        ),
        (&3.into(), &0.into(), &1.into(), &1.into()),
        "{advance}"
    );
    let lower = site(&lines, "lower");
    assert_eq!(
        (&lower["evaluated"], &lower["failed"]),
        (&1.into(), &1.into())
    );
    let _ = std::fs::remove_dir_all(&dir);
}
