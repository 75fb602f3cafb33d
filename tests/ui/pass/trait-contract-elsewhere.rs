//! A trait's contract reaches an audited impl written in a module that does not import
//! `coordination`: the attribute the contract adds is named through the runtime.
pub mod time {
    use distaudit::coordination;

    #[distaudit::audit]
    pub trait Clock {
        #[coordination(pattern = "lease", cite = "gray-cheriton-1989", requires = "now > 0")]
        fn renew(&mut self, now: u64) -> u64;
    }
}

pub mod holders {
    pub struct Holder {
        pub expiry: u64,
    }

    #[distaudit::audit]
    impl crate::time::Clock for Holder {
        fn renew(&mut self, now: u64) -> u64 {
            self.expiry = now + 10;
            self.expiry
        }
    }
}

fn main() {
    use time::Clock;
    let mut h = holders::Holder { expiry: 0 };
    assert_eq!(h.renew(1), 11);
    // The contract's precondition is woven into the impl: `now = 0` breaks it (the report
    // is expected, so it is not printed).
    std::panic::set_hook(Box::new(|_| {}));
    let broken = std::panic::catch_unwind(move || {
        let mut h = holders::Holder { expiry: 0 };
        h.renew(0)
    });
    assert!(broken.is_err());
}
