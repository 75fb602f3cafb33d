#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "state-machine", cite = "schneider-1990")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardState {
    Active,
    Parked,
    Done,
}

fn main() {
    assert_ne!(ShardState::Active, ShardState::Done);
    let _ = ShardState::Parked;
}
