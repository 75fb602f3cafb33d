//! Strategies that read the state: `strategy(lease = from_state("testkit::live_leases"))`
//! names a function of the receiver whose values are drawn just before the step runs (a
//! live lease, a held fence, the cursor just written), mixed with values drawn up front.
//!
//! A sequence is drawn before any call runs, so each step carries a pick drawn with it;
//! at the step, the pick chooses between the value drawn up front and one drawn from what
//! the state offers, and seeds that draw. The same sequence on the same receiver draws the
//! same values: a failing sequence shrinks and replays as any other, and its seed alone
//! reproduces it.

use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::fmt::Debug;

/// Of every 4 picks, how many draw from the state when it offers anything; the others keep
/// the value drawn up front, so the test still explores values the state would not offer.
pub const FROM_STATE_OF_4: u64 = 3;

/// What a `from_state` function returns: a strategy over the values the state offers, or
/// nothing when it offers none (`None`, an empty `Vec`).
#[diagnostic::on_unimplemented(
    message = "a `from_state` function must return `BoxedStrategy<{T}>`, `Option<BoxedStrategy<{T}>>` or `Vec<{T}>`, not `{Self}`",
    label = "the values this function offers cannot be drawn as the parameter's type",
    note = "write `fn f(state: &Receiver) -> BoxedStrategy<T>` (`strategy.boxed()`), `Option<..>` of one when the state may offer none, or `Vec<T>` of the candidates"
)]
pub trait StateDraws<T> {
    /// The strategy to draw from, `None` when the state offers nothing.
    fn into_draws(self) -> Option<BoxedStrategy<T>>;
}

impl<T> StateDraws<T> for BoxedStrategy<T> {
    fn into_draws(self) -> Option<BoxedStrategy<T>> {
        Some(self)
    }
}

impl<T> StateDraws<T> for Option<BoxedStrategy<T>> {
    fn into_draws(self) -> Option<BoxedStrategy<T>> {
        self
    }
}

impl<T: Clone + Debug + 'static> StateDraws<T> for Vec<T> {
    fn into_draws(self) -> Option<BoxedStrategy<T>> {
        (!self.is_empty()).then(|| proptest::sample::select(self).boxed())
    }
}

/// Draw `slot` from what `offer` returns, as `pick` (the step's) and `salt` (the
/// parameter's position) choose: true when it did, false when the pick keeps the value drawn
/// up front or the state offers nothing (`offer` is then not called, or its answer unused).
pub fn from_state<T: Debug, D: StateDraws<T>>(
    slot: &mut T,
    pick: u64,
    salt: u64,
    offer: impl FnOnce() -> D,
) -> bool {
    let seed = mix(pick ^ mix(salt.wrapping_add(1)));
    if seed % 4 >= FROM_STATE_OF_4 {
        return false;
    }
    let Some(draws) = offer().into_draws() else {
        return false;
    };
    let mut bytes = [0u8; 32];
    for (chunk, word) in bytes.chunks_mut(8).zip(0u64..) {
        chunk.copy_from_slice(&mix(seed.wrapping_add(word)).to_le_bytes());
    }
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    match draws.new_tree(&mut runner) {
        Ok(tree) => {
            *slot = tree.current();
            true
        }
        Err(_) => false,
    }
}

/// splitmix64's finaliser: spreads a pick over all bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::{FROM_STATE_OF_4, from_state};
    use proptest::strategy::{BoxedStrategy, Just, Strategy};

    /// 3 picks in 4 draw from what the state offers, the same pick the same value; an offer
    /// of nothing keeps the value drawn up front.
    #[test]
    fn picks_mix_the_state_with_values_drawn_up_front() {
        let mut drawn = 0u64;
        for pick in 0..4000u64 {
            let mut value = 0u64;
            if from_state(&mut value, pick, 0, || vec![7u64, 8]) {
                assert!(value == 7 || value == 8);
                let mut again = 0u64;
                assert!(from_state(&mut again, pick, 0, || vec![7u64, 8]));
                assert_eq!(again, value, "pick {pick} draws the same value twice");
                drawn += 1;
            } else {
                assert_eq!(value, 0);
            }
            let mut none = 0u64;
            assert!(!from_state(&mut none, pick, 0, Vec::<u64>::new));
            assert!(!from_state(
                &mut none,
                pick,
                0,
                || None::<BoxedStrategy<u64>>
            ));
        }
        let expected = 4000 * FROM_STATE_OF_4 / 4;
        assert!(drawn.abs_diff(expected) < 150, "{drawn} of 4000");
        let mut boxed = 0u64;
        let from_boxed =
            (0..64u64).find(|&pick| from_state(&mut boxed, pick, 1, || Just(5u64).boxed()));
        assert!(from_boxed.is_some() && boxed == 5);
    }
}
