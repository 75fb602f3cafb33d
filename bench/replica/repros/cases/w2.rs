use distaudit::coordination;
use std::collections::BTreeMap;
#[coordination(pattern = "cursor", cite = "bacon-2017")]
pub struct Coordinator { cursors: BTreeMap<u64, Option<Box<[u8]>>> }
