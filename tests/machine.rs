//! The state-machine driver as generated code reaches it: an enum of calls, its `Debug`
//! written with `machine::call` and `__arg!`, its `Machine` impl judging returns with
//! `__outcome!`, and `machine::run`, all through `::distaudit::__private`, inside
//! `__require_test_feature!`. This file is the shape the engine emits, proven to compile
//! pedantic-clean and to run.
#![deny(warnings, clippy::pedantic)]
// The allowed lint concerns this file's own example methods (their asserts stand for woven
// checks), not the generated-shape module.
#![allow(clippy::missing_panics_doc)]

/// A shard owner with a fence and a cursor: `acquire` raises the fence, `checkpoint` moves
/// the cursor forward inside the shard under the current fence.
pub struct Owner {
    fence: u64,
    last_key: Option<Vec<u8>>,
}

/// Why a checkpoint was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum CheckpointError {
    /// The fence is not the current one.
    Fenced { current: u64 },
    /// The key is outside the shard `[b"a", b"n")`.
    OutOfRange,
    /// The key is not after the cursor.
    Backwards,
}

impl Owner {
    /// Grant the shard again: a fresh fence, never above `limit`.
    pub fn acquire(&mut self, limit: u64) -> Option<u64> {
        if self.fence >= limit {
            return None;
        }
        let before = self.fence;
        self.fence += 1;
        // A woven `ensures(holds = "ret > old(self.fence)")`, written out.
        assert!(
            self.fence > before,
            "distaudit: invariant fence grows violated"
        );
        Some(self.fence)
    }

    /// Move the cursor to `key` under `fence`.
    ///
    /// # Errors
    /// A stale fence, a key outside the shard, or a key not after the cursor.
    pub fn checkpoint(&mut self, fence: u64, key: &[u8]) -> Result<(), CheckpointError> {
        if fence == 0 || fence != self.fence {
            return Err(CheckpointError::Fenced {
                current: self.fence,
            });
        }
        if key < b"a".as_slice() || key >= b"n".as_slice() {
            return Err(CheckpointError::OutOfRange);
        }
        if self.last_key.as_deref().is_some_and(|last| key <= last) {
            return Err(CheckpointError::Backwards);
        }
        let before = self.last_key.clone();
        self.last_key = Some(key.to_vec());
        // A woven `monotonic(self.last_key)`, written out.
        assert!(
            before <= self.last_key,
            "distaudit: invariant monotonic(self.last_key) violated"
        );
        Ok(())
    }
}

// What `#[distaudit::audit(test(cases = 64, steps = 16, init = "Owner { .. }"))]` on the
// impl above emits beside it (names are the engine's to choose).
#[cfg(test)]
::distaudit::__require_test_feature! {
    mod distaudit_machine_owner {
        use super::*;
        use ::distaudit::__private::machine;
        #[allow(unused_imports)]
        use ::distaudit::__private::proptest;
        #[allow(unused_imports)]
        use ::distaudit::__private::proptest::prelude::*;

        #[derive(Clone)]
        pub enum Call {
            Acquire { limit: u64 },
            Checkpoint { fence: u64, key: ::distaudit::__private::Vec<u8> },
        }

        impl ::core::fmt::Debug for Call {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    Call::Acquire { limit } => machine::call(
                        f,
                        "acquire",
                        &[("limit", &::distaudit::__arg!(limit))],
                    ),
                    Call::Checkpoint { fence, key } => machine::call(
                        f,
                        "checkpoint",
                        &[
                            ("fence", &::distaudit::__arg!(fence)),
                            ("key", &::distaudit::__arg!(key)),
                        ],
                    ),
                }
            }
        }

        impl machine::Machine for Call {
            type Sut = Owner;
            fn init() -> Owner {
                Owner { fence: 0, last_key: None }
            }
            fn check_type(sut: &Owner) {
                // A type invariant: a cursor implies a granted fence.
                assert!(
                    sut.last_key.is_none() || sut.fence > 0,
                    "distaudit: type invariant violated"
                );
            }
            fn strategy() -> BoxedStrategy<Self> {
                prop_oneof![
                    (0u64..8).prop_map(|limit| Call::Acquire { limit }),
                    (0u64..4, proptest::collection::vec(b'a'..=b'p', 1..3))
                        .prop_map(|(fence, key)| Call::Checkpoint { fence, key }),
                ]
                .boxed()
            }
            fn apply(&self, sut: &mut Owner) -> machine::Outcome {
                match self.clone() {
                    Call::Acquire { limit } => ::distaudit::__outcome!(sut.acquire(limit)),
                    Call::Checkpoint { fence, key } => {
                        ::distaudit::__outcome!(sut.checkpoint(fence, &key))
                    }
                }
            }
        }

        #[test]
        fn owner_state_machine() {
            machine::run::<Call>(64, 1..=16, false, ::core::file!(), "owner_state_machine");
        }

        #[test]
        fn calls_print_as_calls_and_refusals_are_named() {
            let call = Call::Checkpoint { fence: 2, key: b"ab\x01".to_vec() };
            assert_eq!(format!("{call:?}"), "checkpoint(fence = 2, key = b\"ab\\x01\")");
            let mut owner = <Call as machine::Machine>::init();
            assert_eq!(
                machine::Machine::apply(&call, &mut owner),
                machine::Outcome::Refused("CheckpointError::Fenced".to_string())
            );
            assert_eq!(
                machine::Machine::apply(&Call::Acquire { limit: 1 }, &mut owner),
                machine::Outcome::Accepted
            );
            assert_eq!(
                machine::Machine::apply(&Call::Acquire { limit: 1 }, &mut owner),
                machine::Outcome::Refused("None".to_string())
            );
        }
    }
}

#[test]
fn the_testing_prelude_brings_proptest_itself() {
    use distaudit::testing::prelude::*;
    let strategy = proptest::collection::vec(any::<u8>(), 0..4);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let value =
        proptest::strategy::ValueTree::current(&strategy.new_tree(&mut runner).expect("a value"));
    assert!(value.len() < 4);
}
