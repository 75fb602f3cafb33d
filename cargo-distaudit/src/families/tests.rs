//! Unit tests of the family detector: one minimal case per behaviour and per shape it stays quiet on.

use super::*;

fn fn_detect(src: &str, self_ty: Option<&str>) -> Vec<Detection> {
    let f: syn::ItemFn = syn::parse_str(src).expect("test fn parses");
    detect(&Candidate::Fn {
        sig: &f.sig,
        block: &f.block,
        self_ty,
        module: None,
    })
}

fn families(d: &[Detection]) -> Vec<(Family, bool)> {
    d.iter().map(|d| (d.family, d.behaviour)).collect()
}

#[test]
fn words_split_snake_and_camel() {
    assert_eq!(words_of("renew_lease"), ["renew", "lease"]);
    assert_eq!(words_of("FenceEpoch"), ["fence", "epoch"]);
    assert_eq!(words_of("HTTPRetry"), ["httpretry"]);
    assert!(Words::of(&["OpLog".into()]).has("oplog"));
    assert!(Words::of(&["op_id".into()]).has("opid"));
}

#[test]
fn renew_lease_with_deadline_check_blocks() {
    let d = fn_detect(
        "fn renew_lease(&mut self, now: u64) -> bool { if now < self.deadline { self.deadline = now + 5; true } else { false } }",
        None,
    );
    assert_eq!(d[0].family, Family::Lease);
    assert!(d[0].behaviour);
}

#[test]
fn a_lease_verb_with_a_lease_in_the_signature_names_the_family() {
    let d = fn_detect(
        "fn acquire(&mut self, now: u64) -> Result<Lease, E> { if let Some(h) = self.holder.filter(|h| h.is_live(now)) { return Err(E); } self.grant(now) }",
        Some("Table"),
    );
    assert_eq!(families(&d), [(Family::Lease, true)]);
    // The verb alone is not enough: acquiring a mutex is not a lease.
    assert!(
        fn_detect(
            "fn acquire(&mut self) -> Guard { self.lock.acquire() }",
            None
        )
        .is_empty()
    );
}

#[test]
fn fence_compared_blocks_and_name_alone_warns() {
    let d = fn_detect(
        "fn check_fence(&self, presented: u64) -> bool { presented == self.fence }",
        None,
    );
    assert!(d.iter().any(|d| d.family == Family::Fence && d.behaviour));
    let d = fn_detect(
        "fn log_fence(&mut self) { let n = self.n; self.out.write(n); self.out.flush(); }",
        None,
    );
    assert!(d.iter().any(|d| d.family == Family::Fence && !d.behaviour));
    // Read-only and named only: decides nothing.
    assert!(fn_detect("fn log_fence(&self) { println!(\"hi\"); }", None).is_empty());
}

#[test]
fn epoch_increment_on_host_type_counts() {
    let d = fn_detect(
        "fn bump(&mut self) { self.fence += 1; }",
        Some("FenceClock"),
    );
    assert!(
        d.iter().any(|d| d.family == Family::Fence && d.behaviour),
        "{d:?}"
    );
    // Without the confirming body, the impl's name alone says nothing; a verb of the
    // family on it is a name to review.
    assert!(fn_detect("fn tick(&mut self) { self.n += 1; }", Some("FenceClock")).is_empty());
    assert_eq!(
        families(&fn_detect(
            "fn bump(&mut self) { self.n += 1; }",
            Some("FenceClock")
        )),
        [(Family::Fence, false)]
    );
    // An epoch is a fence next to a lease or a token; a collector's epoch is not, even
    // beside a memory fence.
    assert!(
        fn_detect(
            "fn try_advance(&self, guard: &Guard) -> Epoch { let e = self.epoch.load(); atomic::fence(Ordering::SeqCst); if e == self.local_epoch { self.epoch.store(e.successor()); } e }",
            Some("Global")
        )
        .is_empty()
    );
    assert_eq!(
        families(&fn_detect(
            "fn check_epoch(&self, lease: &Lease) -> bool { lease.epoch == self.epoch }",
            None
        )),
        [(Family::Fence, true)]
    );
}

#[test]
fn methods_of_a_coordinator_that_change_state_and_act_block() {
    let d = fn_detect(
        "fn create_run(&mut self, points: &[Box<[u8]>]) -> Run { let specs = split_at(&Spec::whole(), points); Run { specs } }",
        Some("InMemoryCoordinator"),
    );
    assert_eq!(families(&d), [(Family::Shard, true)]);
    // A read-only query of a coordinator decides nothing.
    assert!(
        fn_detect(
            "fn run_shards(&self, run: u32) -> Vec<u32> { self.runs.get(&run).cloned().unwrap_or_default() }",
            Some("InMemoryCoordinator")
        )
        .is_empty()
    );
}

#[test]
fn a_module_names_its_free_functions_but_plays_no_role() {
    let f: syn::ItemFn = syn::parse_str(
        "fn delay_ms(attempt: u32) -> u64 { 100u64.saturating_mul(1 << attempt.min(10)) }",
    )
    .expect("parses");
    let in_module = |module| {
        families(&detect(&Candidate::Fn {
            sig: &f.sig,
            block: &f.block,
            self_ty: None,
            module: Some(module),
        }))
    };
    assert_eq!(in_module("backoff"), [(Family::RetryBackpressure, true)]);
    assert!(in_module("util").is_empty());
    // A method of a coordinator that changes state and acts is coordination; a free
    // function of a module called `coordinator` is not for that alone.
    let g: syn::ItemFn = syn::parse_str(
        "fn tenant_record(shards: &mut Map, lease: &Lease) -> Result<u8, E> { let r = shards.get_mut(&lease.shard)?; if r.tenant != lease.tenant { return Err(E); } Ok(0) }",
    )
    .expect("parses");
    let d = detect(&Candidate::Fn {
        sig: &g.sig,
        block: &g.block,
        self_ty: None,
        module: Some("coordinator"),
    });
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn a_field_of_the_family_changed_names_it() {
    let d = fn_detect(
        "fn acquire(&mut self, now: u64) -> Result<u64, ()> { self.fence += 1; Ok(self.fence) }",
        Some("Memory"),
    );
    assert_eq!(families(&d), [(Family::Fence, true)]);
    // An id counter is not a range.
    let d = fn_detect(
        "fn new_shard(&mut self, r: Record) -> u64 { let id = self.next_shard; self.next_shard += 1; id }",
        Some("Table"),
    );
    assert!(d.iter().all(|d| !d.behaviour), "{d:?}");
}

#[test]
fn a_parser_cursor_is_not_a_checkpoint() {
    // syn's buffer cursor: no key, no checkpoint.
    assert!(
        fn_detect(
            "fn skip(mut cursor: Cursor) -> Option<Cursor> { if cursor.eof() { return None; } cursor = cursor.next(); Some(cursor) }",
            Some("Cursor")
        )
        .is_empty()
    );
    let s: syn::ItemStruct =
        syn::parse_str("struct Cursor { ptr: *const Entry, scope: *const Entry }").expect("parses");
    assert!(detect(&Candidate::Struct(&s)).is_empty());
    // A scan cursor: a key layer.
    let s: syn::ItemStruct =
        syn::parse_str("struct Cursor { last_key: Option<Box<[u8]>>, token: Option<Box<[u8]>> }")
            .expect("parses");
    assert_eq!(
        families(&detect(&Candidate::Struct(&s))),
        [(Family::Cursor, true)]
    );
    let d = fn_detect(
        "fn check_advance(current: &Cursor, next: &Cursor) -> Result<(), E> { let key = next.last_key(); if current.last_key().is_some_and(|old| key < old) { return Err(E); } Ok(()) }",
        None,
    );
    assert_eq!(families(&d), [(Family::Cursor, true)]);
}

#[test]
fn accessor_is_not_coordination() {
    assert!(
        fn_detect(
            "fn fence(&self) -> FenceEpoch { self.fence }",
            Some("Lease")
        )
        .is_empty()
    );
}

#[test]
fn backoff_loop_is_retry() {
    let d = fn_detect(
        "fn with_retry(op: impl Fn() -> bool) { let mut delay = 1; loop { if op() { return; } std::thread::sleep(d(delay)); delay *= 2; } }",
        None,
    );
    assert!(
        d.iter()
            .any(|d| d.family == Family::RetryBackpressure && d.behaviour)
    );
}

#[test]
fn structs_keep_state() {
    let s: syn::ItemStruct = syn::parse_str(
        "struct ShardTable { ranges: BTreeMap<Vec<u8>, ShardRange>, start: Vec<u8> }",
    )
    .expect("parses");
    let d = detect(&Candidate::Struct(&s));
    assert!(d.iter().any(|d| d.family == Family::Shard && d.behaviour));
    // A bounded queue: a collection and a capacity.
    let s: syn::ItemStruct =
        syn::parse_str("struct WorkQueue<T> { items: VecDeque<T>, capacity: usize }")
            .expect("parses");
    assert_eq!(
        families(&detect(&Candidate::Struct(&s))),
        [(Family::RetryBackpressure, true)]
    );
    let s: syn::ItemStruct =
        syn::parse_str("struct JobQueue<T> { items: VecDeque<T> }").expect("parses");
    assert!(
        detect(&Candidate::Struct(&s)).is_empty(),
        "unbounded: the anti-pattern's job"
    );
    let s: syn::ItemStruct =
        syn::parse_str("struct OpLog { entries: VecDeque<OpEntry> }").expect("parses");
    assert_eq!(
        families(&detect(&Candidate::Struct(&s))),
        [(Family::Idempotency, true)]
    );
    // A coordinator keeping shards and a fence counter.
    let s: syn::ItemStruct = syn::parse_str(
        "struct InMemoryCoordinator { shards: BTreeMap<ShardId, ShardRecord>, fence_clock: FenceEpoch, next_run: u32 }",
    )
    .expect("parses");
    assert_eq!(
        families(&detect(&Candidate::Struct(&s))),
        [(Family::Fence, true), (Family::Shard, true)]
    );
    // A newtype named for the family: a name only.
    let s: syn::ItemStruct = syn::parse_str("struct FenceEpoch(pub u64);").expect("parses");
    assert!(detect(&Candidate::Struct(&s)).is_empty());
    // A lock's shard is not a keyspace's.
    let s: syn::ItemStruct =
        syn::parse_str("struct Shard { lock: RwLock<()>, write_guard: UnsafeCell<u8> }")
            .expect("parses");
    assert!(detect(&Candidate::Struct(&s)).is_empty());
    // Fields alone do not make a struct coordination.
    let s: syn::ItemStruct =
        syn::parse_str("struct Report { lease: Lease, cursor: Cursor }").expect("parses");
    assert!(detect(&Candidate::Struct(&s)).is_empty());
}

#[test]
fn an_interface_decides_nothing() {
    // A storage or backend interface: its implementations decide, and are read as methods.
    let t: syn::ItemTrait = syn::parse_str(
        "trait Backend { fn acquire(&mut self, now: u64) -> Result<Lease, E>; fn renew(&mut self, lease: &Lease) -> Result<Lease, E>; fn name(&self) -> String; }",
    )
    .expect("parses");
    assert!(detect(&Candidate::Trait(&t)).is_empty());
    let t: syn::ItemTrait =
        syn::parse_str("trait Parse { fn parse(input: ParseStream) -> Result<Self>; }")
            .expect("parses");
    assert!(detect(&Candidate::Trait(&t)).is_empty());
}

#[test]
fn state_enum_of_worker_is_state_machine() {
    let e: syn::ItemEnum =
        syn::parse_str("enum WorkerState { Idle, Scanning, Done }").expect("parses");
    let d = detect(&Candidate::Enum(&e));
    assert!(
        d.iter()
            .any(|d| d.family == Family::StateMachine && d.behaviour)
    );
}

#[test]
fn ordinary_code_is_not_flagged() {
    assert!(fn_detect("fn parse_ident(input: &str) -> usize { if input.len() < 3 { 0 } else { input.len() } }", None).is_empty());
    let e: syn::ItemEnum = syn::parse_str("enum LeaseError { Expired, Stale }").expect("parses");
    assert!(detect(&Candidate::Enum(&e)).is_empty());
}

#[test]
fn a_key_looked_up_before_acting_is_idempotency() {
    let d = fn_detect(
        "async fn check_cached_reply(hash: &str, store: &Store) -> Result<Option<Reply>, E> { let hit = store.get(hash).await?; let r = if let Some(b) = hit { Some(decode(b)?) } else { None }; Ok(r) }",
        None,
    );
    assert_eq!(families(&d), [(Family::Idempotency, true)], "{d:?}");
}
