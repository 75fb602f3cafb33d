#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "idempotency", cite = "kafka-kip-98", invariant(holds = "ret.len() == items.len()"))]
pub fn dedupe<'a, T: Clone + PartialEq, I>(items: &'a [T], extra: I) -> Vec<T>
where
    I: IntoIterator<Item = T>,
{
    let _ = extra.into_iter().count();
    items.to_vec()
}

#[coordination(pattern = "retry", cite = "bacon-2017")]
pub fn attempts(policy: impl Fn(u32) -> bool) -> u32 {
    (0..5).take_while(|n| policy(*n)).count() as u32
}

fn main() {
    assert_eq!(dedupe(&[1, 2], Vec::new()).len(), 2);
    assert_eq!(attempts(|n| n < 2), 2);
}
