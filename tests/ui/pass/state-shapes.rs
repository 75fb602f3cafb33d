//! Shapes issue 21 added: a history invariant on a type (`old(..)`), which answers for a
//! method that states no fence check of its own, a type that owns cursors
//! carrying `pattern = "cursor"`, a borrowed view drawn from the state (`from_state`, and
//! `view(from_state(..))` of an owner), one
//! state machine over an inherent impl and a trait impl (`with`), and an op id scoped by its
//! run (`roles(op = "(run, op)")`).
#![deny(warnings)]
use distaudit::coordination;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpId(pub u8);

#[derive(Clone, Copy, Debug)]
pub struct Plan<'a> {
    pub points: &'a [u8],
}

#[coordination(
    pattern = "cursor",
    pattern = "fencing",
    cite = "bacon-2017",
    cite = "burrows-2006",
    invariant(holds = "self.fences.iter().all(|(s, f)| old(self.fences.clone()).get(s).is_none_or(|was| f >= was))")
)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coordinator {
    fences: BTreeMap<u8, u64>,
    cursors: BTreeMap<u8, Vec<u8>>,
    splits: usize,
    done: Vec<(u8, OpId)>,
}

#[must_use]
pub fn plans(_c: &Coordinator) -> Vec<Plan<'static>> {
    vec![Plan { points: b"m" }]
}

#[distaudit::audit(test(init = "Coordinator::default()", with = "Runs"))]
impl Coordinator {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(monotonic = "self.fences.get(&shard).copied()"),
                   test(strategy(shard = "0u8..3")))]
    pub fn grant(&mut self, shard: u8) -> Option<u64> {
        let fence = self.fences.entry(shard).or_insert(0);
        *fence += 1;
        Some(*fence)
    }

    /// States no fence check of its own: the type's history invariant holds the fences.
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    pub fn bump_all(&mut self) {
        for fence in self.fences.values_mut() {
            *fence += 1;
        }
    }

    #[coordination(pattern = "shard", cite = "chang-2006",
                   test(strategy(plan = from_state("plans", otherwise = "distaudit::proptest::strategy::Just(Plan { points: b\"m\" })"))))]
    pub fn split(&mut self, plan: Plan<'_>) -> Option<usize> {
        self.splits += plan.points.len();
        Some(self.splits)
    }

    /// A view whose owners are drawn from the state: nothing leaked for a `'static` view.
    #[coordination(pattern = "shard", cite = "chang-2006",
                   test(strategy(plan = view(from_state("owned_plans", otherwise = "distaudit::proptest::strategy::Just(OwnedPlan(vec![1]))"),
                                             owner = "OwnedPlan", with = "OwnedPlan::plan"))))]
    pub fn merge(&mut self, plan: &Plan<'_>) -> Option<usize> {
        self.splits = self.splits.saturating_sub(plan.points.len());
        Some(self.splits)
    }
}

#[derive(Clone, Debug)]
pub struct OwnedPlan(pub Vec<u8>);

impl OwnedPlan {
    #[must_use]
    pub fn plan(&self) -> Plan<'_> {
        Plan { points: &self.0 }
    }
}

#[must_use]
pub fn owned_plans(c: &Coordinator) -> Option<distaudit::proptest::strategy::BoxedStrategy<OwnedPlan>> {
    use distaudit::proptest::strategy::Strategy;
    (c.splits > 0).then(|| distaudit::proptest::collection::vec(0u8..9, 1..3).prop_map(OwnedPlan).boxed())
}

#[distaudit::audit]
pub trait Runs {
    fn finish(&mut self, run: u8, op: OpId) -> Result<(), ()>;
}

#[distaudit::audit(test(roles(op = "(run, op)")))]
impl Runs for Coordinator {
    #[coordination(pattern = "idempotency", cite = "kafka-kip-98", test(strategy(run = "0u8..2", op = "(0u8..3).prop_map(OpId)")))]
    fn finish(&mut self, run: u8, op: OpId) -> Result<(), ()> {
        if !self.done.contains(&(run, op)) {
            self.done.push((run, op));
        }
        Ok(())
    }
}

fn main() {}
