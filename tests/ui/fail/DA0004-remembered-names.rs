//! Did-you-mean searches what people remember of a work: a system's name, a blog's topic.
use distaudit::coordination;

#[coordination(pattern = "lease", cite = "chubby")]
pub fn acquire() {}

#[coordination(pattern = "idempotency", cite = "stripe-idempotency")]
pub fn apply() {}

#[coordination(pattern = "lease", cite = "jepsen")]
pub fn renew() {}

fn main() {}
