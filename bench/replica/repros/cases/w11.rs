// W11: a borrowed cursor type (the first user's `CursorUpdate<'a>`) annotated
// `pattern = "cursor"` with a `last_key` field is not ordered by it: its `last_key` mentions the
// lifetime, so no position is generated and the cursor step never forms (`cursor 0 of N` in the
// statistics line of `cargo test -- --show-output`). With `roles(cursor = "update.last_key")`
// on the method's `test(..)` (uncomment below) it forms.
use distaudit::coordination;
#[coordination(pattern = "cursor", cite = "bacon-2017")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CursorUpdate<'a> { pub last_key: Option<&'a [u8]>, pub token: Option<&'a [u8]> }
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store { key: Option<Vec<u8>> }
#[distaudit::audit(test(init = "Store::default()"))]
impl Store {
    #[coordination(pattern = "cursor", cite = "bacon-2017",
        invariant(monotonic = "self.key"), invariant(never_none = "self.key"),
        ensures(holds = "self.key.is_some()", upholds = "D2.4"),
        test(strategy(update = "prop::sample::select(vec![&b\"a\"[..], b\"b\", b\"c\"]).prop_map(|k| CursorUpdate { last_key: Some(k), token: None })"),
             /* roles(cursor = "update.last_key") */))]
    pub fn checkpoint(&mut self, update: &CursorUpdate<'_>) -> Result<(), ()> {
        let key = update.last_key.ok_or(())?;
        if self.key.as_deref().is_some_and(|k| k > key) {
            return Err(());
        }
        self.key = Some(key.to_vec());
        Ok(())
    }
}
