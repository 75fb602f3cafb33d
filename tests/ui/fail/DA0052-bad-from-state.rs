//! `from_state(..)` names a function of the receiver, as a string, with at most one
//! `otherwise`; a strategy is a string or `from_state(..)`.
use distaudit::coordination;

#[derive(Debug, Default)]
pub struct Ledger {
    open: Vec<u64>,
}

#[distaudit::audit(test(init = "Ledger::default()"))]
impl Ledger {
    #[coordination(pattern = "state-machine", cite = "schneider-1990",
                   test(strategy(ticket = draw("open"))))]
    pub fn close(&mut self, ticket: u64) -> Option<()> {
        self.open.retain(|t| *t != ticket);
        Some(())
    }

    #[coordination(pattern = "state-machine", cite = "schneider-1990",
                   test(strategy(ticket = from_state(open))))]
    pub fn reopen(&mut self, ticket: u64) -> Option<()> {
        self.open.push(ticket);
        Some(())
    }

    #[coordination(pattern = "state-machine", cite = "schneider-1990",
                   test(strategy(ticket = from_state("open", fallback = "0u64..9"))))]
    pub fn touch(&mut self, ticket: u64) -> Option<()> {
        self.open.push(ticket);
        Some(())
    }
}

fn main() {}
