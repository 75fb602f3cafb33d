//! Pre- and postconditions, `old(..)`, `ret` by value without `Clone`, and type invariants
//! on a struct and an enum.
use distaudit::coordination;

/// Not `Clone`: `ret` is moved out, checked and moved back.
#[derive(Debug, PartialEq)]
pub struct Grant {
    pub fence: u64,
}

#[coordination(pattern = "shard", cite = "chang-2006",
               invariant(holds = "self.start < self.end || self.end.is_empty()"))]
pub struct Span {
    pub start: Vec<u8>,
    pub end: Vec<u8>,
}

#[coordination(pattern = "state-machine", cite = "schneider-1990",
               invariant(holds = "!matches!(self, Holder::Held { fence: 0 })"))]
pub enum Holder {
    Free,
    Held { fence: u64 },
}

pub struct Table {
    pub fence: u64,
    pub holder: Holder,
}

#[distaudit::audit]
impl Table {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   requires = "now < u64::MAX",
                   invariant(monotonic = "self.fence"),
                   ensures(holds = "ret.fence > old(self.fence)"),
                   ensures(holds = "ret.fence == self.fence", upholds = "D2.3"))]
    pub fn grant(&mut self, now: u64) -> Result<Grant, ()> {
        let _ = now;
        self.fence += 1;
        self.holder = Holder::Held { fence: self.fence };
        Ok(Grant { fence: self.fence })
    }
}

#[distaudit::audit]
impl Span {
    pub fn new(start: Vec<u8>, end: Vec<u8>) -> Option<Self> {
        (start < end || end.is_empty()).then_some(Span { start, end })
    }
}

fn main() {
    let mut t = Table { fence: 0, holder: Holder::Free };
    assert_eq!(t.grant(1), Ok(Grant { fence: 1 }));
    assert!(Span::new(b"a".to_vec(), b"b".to_vec()).is_some());
    assert!(Span::new(b"b".to_vec(), b"a".to_vec()).is_none());
    let plan = SplitPlan { parent: Span::new(b"a".to_vec(), b"z".to_vec()).unwrap(), at: b"m".to_vec() };
    assert!(distaudit::KeyRange::contains_key(&plan.parent, &plan.at));
}

/// A split plan carries a shard range but is not one.
#[coordination(pattern = "shard", cite = "chang-2006", fields(range = "parent"))]
pub struct SplitPlan {
    pub parent: Span,
    pub at: Vec<u8>,
}

pub struct Cursor {
    pub last_key: Option<Vec<u8>>,
}

impl Cursor {
    /// A storage primitive that cannot see the shard: the bounds check is its caller's.
    #[coordination(pattern = "cursor", cite = "bacon-2017",
                   invariant(monotonic = "self.last_key"),
                   invariant(never_none = "self.last_key"),
                   delegates(decision = "D2.4", to = "crate::checkpoint"))]
    pub fn update(&mut self, key: &[u8]) {
        if self.last_key.as_deref().is_none_or(|k| k < key) {
            self.last_key = Some(key.to_vec());
        }
    }
}

#[coordination(pattern = "cursor", cite = "bacon-2017",
               invariant(monotonic = "cursor.last_key"),
               invariant(never_none = "cursor.last_key"),
               ensures(within(key = "key", range = "span")))]
pub fn checkpoint(cursor: &mut Cursor, key: &[u8], span: &Span) -> Result<(), ()> {
    if !distaudit::KeyRange::contains_key(span, key) {
        return Err(());
    }
    cursor.update(key);
    Ok(())
}

pub struct Bounded {
    pub span: Span,
    pub last_key: Option<Vec<u8>>,
}

/// A delegation within one audited impl, to `Self::`, is checked where it is written.
#[distaudit::audit]
impl Bounded {
    #[coordination(pattern = "cursor", cite = "bacon-2017",
                   invariant(monotonic = "self.last_key"),
                   invariant(never_none = "self.last_key"),
                   delegates(decision = "D2.4", to = "Self::checkpoint"))]
    fn store(&mut self, key: &[u8]) {
        if self.last_key.as_deref().is_none_or(|k| k < key) {
            self.last_key = Some(key.to_vec());
        }
    }

    #[coordination(pattern = "cursor", cite = "bacon-2017",
                   invariant(monotonic = "self.last_key"),
                   invariant(never_none = "self.last_key"),
                   ensures(within(key = "key", range = "self.span")))]
    pub fn checkpoint(&mut self, key: &[u8]) -> Result<(), ()> {
        if !distaudit::KeyRange::contains_key(&self.span, key) {
            return Err(());
        }
        self.store(key);
        Ok(())
    }
}
