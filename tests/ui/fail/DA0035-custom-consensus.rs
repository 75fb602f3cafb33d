use distaudit::coordination;

#[coordination(pattern = "leader-election", cite = "hunt-2010")]
pub fn elect_lowest_id(candidates: &[u64]) -> Option<u64> {
    candidates.iter().copied().min()
}

fn main() {}
