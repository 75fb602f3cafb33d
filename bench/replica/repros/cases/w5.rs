use distaudit::coordination;
#[derive(Clone, Copy, Debug)]
pub struct Plan<'a> { pub points: &'a [u8] }
#[derive(Clone, Debug, PartialEq, Default)]
pub struct S { n: usize }
pub fn plans(_s: &S) -> Vec<Plan<'static>> { vec![Plan { points: b"m" }] }
pub fn any_plan() -> impl distaudit::proptest::strategy::Strategy<Value = Plan<'static>> { distaudit::proptest::strategy::Just(Plan { points: b"m" }) }
#[distaudit::audit(test(init = "S::default()"))]
impl S {
    #[coordination(pattern = "shard", cite = "chang-2006",
        test(strategy(plan = from_state("plans", otherwise = "any_plan()"))))]
    pub fn split(&mut self, plan: Plan<'_>) -> Option<usize> { self.n += plan.points.len(); Some(self.n) }
}
