//! A generated test defined inside a function body would never run: the test harness
//! cannot name it. Both a free function and an audited impl there are refused, on `test`.
use distaudit::coordination;

pub fn setup() -> u8 {
    #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(holds = "x < 200"), test)]
    fn clamp(x: u8) -> u8 {
        x.min(100)
    }
    clamp(7)
}

pub fn scenario() -> Option<u64> {
    pub struct Counter {
        pub epoch: u64,
    }

    #[distaudit::audit]
    impl Counter {
        #[coordination(pattern = "fencing", cite = "burrows-2006", invariant(strictly_increasing = "self.epoch"),
                       test(init = "Counter { epoch: 0 }"))]
        pub fn bump(&mut self) -> Option<u64> {
            self.epoch += 1;
            Some(self.epoch)
        }
    }

    Counter { epoch: 0 }.bump()
}

fn main() {}
