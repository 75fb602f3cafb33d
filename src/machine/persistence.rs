//! Where failing cases are kept: proptest's `proptest-regressions/` files, which it asks
//! users to commit, with seeds only. proptest writes each failure's `Debug` form beside its
//! seed, and a call's arguments may hold key bytes (revealed by `DISTAUDIT_REVEAL`, or a
//! type whose `Debug` shows them); the seed alone replays the failure, and holds no key.

use proptest::test_runner::{Config, FailurePersistence, FileFailurePersistence, PersistedSeed};
use std::any::Any;
use std::fmt::{self, Debug, Formatter};

/// The proptest configuration of a generated test: `cases` cases, failing seeds kept beside
/// `source_file` in `proptest-regressions/`, without the failing values.
#[must_use]
pub fn test_config(cases: u32, source_file: &'static str) -> Config {
    Config {
        cases,
        source_file: Some(source_file),
        failure_persistence: Some(Box::new(SeedsOnly(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        )))),
        ..Config::default()
    }
}

/// A [`FailurePersistence`] that stores what the inner one would, with the failing value
/// replaced by a note that it is withheld.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct SeedsOnly(pub(super) FileFailurePersistence);

/// What a seed's comment says in place of the failing sequence.
struct Withheld;

impl Debug for Withheld {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(
            "(withheld by distaudit: arguments may hold key bytes; the seed replays the failure)",
        )
    }
}

impl FailurePersistence for SeedsOnly {
    fn load_persisted_failures2(&self, source_file: Option<&'static str>) -> Vec<PersistedSeed> {
        self.0.load_persisted_failures2(source_file)
    }

    fn save_persisted_failure2(
        &mut self,
        source_file: Option<&'static str>,
        seed: PersistedSeed,
        _shrunken_value: &dyn Debug,
    ) {
        self.0.save_persisted_failure2(source_file, seed, &Withheld);
    }

    fn box_clone(&self) -> Box<dyn FailurePersistence> {
        Box::new(*self)
    }

    fn eq(&self, other: &dyn FailurePersistence) -> bool {
        other
            .as_any()
            .downcast_ref::<Self>()
            .is_some_and(|other| other == self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
