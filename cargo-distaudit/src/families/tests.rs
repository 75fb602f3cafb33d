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

// Detection by behaviour, second pass (issue 22): each rule from a minimal case.

fn has(d: &[Detection], family: Family) -> bool {
    d.iter().any(|d| d.family == family && d.behaviour)
}

#[test]
fn a_select_arm_on_a_timer_that_starts_an_election_is_failure_detection() {
    let d = fn_detect(
        "async fn run(&mut self) { loop { tokio::select! { _ = sleep_until(self.deadline) => self.set_role(Role::Candidate), Some(m) = self.rx.recv() => self.handle(m), } } }",
        Some("Node"),
    );
    assert!(has(&d, Family::FailureDetection), "{d:?}");
    // A tick that only wakes the worker up decides nothing.
    let d = fn_detect(
        "async fn run(&mut self) { loop { tokio::select! { biased; _ = self.stop.changed() => break, _ = interval.tick() => { trace!(\"wake\"); } } self.work().await; } }",
        Some("Worker"),
    );
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn a_self_method_changing_state_behind_a_lock_can_change_state() {
    let d = fn_detect(
        "fn deliver(&self, n: u64) -> u64 { let mut s = self.inner.lock().unwrap(); s.checkpoint += n; s.checkpoint }",
        Some("Tracker"),
    );
    assert!(has(&d, Family::Cursor), "{d:?}");
    // Without the lock the method only reads.
    let d = fn_detect(
        "fn peek(&self, n: u64) -> u64 { let s = self.inner.read_only(); let c = s.checkpoint + n; c }",
        Some("Tracker"),
    );
    assert!(!has(&d, Family::Cursor), "{d:?}");
}

#[test]
fn a_token_compared_through_a_local_bound_to_own_state_is_fencing() {
    let d = fn_detect(
        "fn apply(&mut self, incoming: Version, v: Value) { let current: Version = self.state.version(); if incoming <= current { return; } self.state.set(incoming, v); }",
        Some("Store"),
    );
    assert!(has(&d, Family::Fence), "{d:?}");
}

#[test]
fn a_stored_version_against_a_constant_is_not_a_token() {
    let d = fn_detect(
        "fn opcode(&self, n: u32) -> Op { if self.version >= Version(3, 5, 0) { Op::New(n) } else { Op::Old(n) } }",
        Some("Client"),
    );
    assert!(!has(&d, Family::Fence), "{d:?}");
}

#[test]
fn an_ordering_is_decided_by_its_leading_key() {
    let d = fn_detect(
        "fn cmp(&self, other: &Self) -> Ordering { self.unknown.cmp(&other.unknown).then_with(|| self.version.cmp(&other.version)) }",
        Some("Priority"),
    );
    assert!(!has(&d, Family::Fence), "{d:?}");
    let d = fn_detect(
        "fn cmp(&self, other: &Self) -> Ordering { self.ballot.cmp(&other.ballot).then(self.id.cmp(&other.id)) }",
        Some("Proposal"),
    );
    assert!(has(&d, Family::Fence), "{d:?}");
}

#[test]
fn a_guard_whose_drop_releases_is_the_release_however_short() {
    let d = fn_detect(
        "fn drop(&mut self) { self.client.release(&self.key).ok(); }",
        Some("LockGuard"),
    );
    assert!(has(&d, Family::Lease), "{d:?}");
    // A local mutex's guard unlocks with nothing to name.
    let d = fn_detect(
        "fn drop(&mut self) { self.inner.unlock(); }",
        Some("BiLockGuard"),
    );
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn resets_and_setters_by_match_decide_nothing() {
    assert!(
        fn_detect(
            "fn clear(&mut self) { self.probe = None; self.acks.clear(); self.count = 0; }",
            Some("Probe")
        )
        .is_empty()
    );
    assert!(
        fn_detect(
            "fn set_leader(&mut self, u: Update) { self.cache.clear(); match u { Update::Me => { self.leader = Some(self.id); } Update::Unknown => { self.leader = None; } } }",
            Some("RaftNode")
        )
        .is_empty()
    );
}

#[test]
fn a_call_repeated_until_it_succeeds_is_retry_an_accept_loop_is_not() {
    let d = fn_detect(
        "async fn until_ok(op: impl Fn() -> F) -> Result<T, E> { loop { return match op().await { Err(E::Lost) => continue, r => r }; } }",
        None,
    );
    assert!(has(&d, Family::RetryBackpressure), "{d:?}");
    let d = fn_detect(
        "async fn serve(l: Listener) { loop { let s = match l.accept().await { Ok(s) => s, Err(_) => continue }; spawn(s); } }",
        None,
    );
    assert!(d.is_empty(), "{d:?}");
    // A constant pause after an error in a worker's loop is no retry policy.
    let d = fn_detect(
        "async fn work(&self) { loop { if let Err(e) = self.step().await { log(e); sleep(Duration::from_secs(5)).await; } } }",
        Some("Worker"),
    );
    assert!(!has(&d, Family::RetryBackpressure), "{d:?}");
}

#[test]
fn lease_holder_checks_expiry_waits_and_acquire_release_pairs() {
    let d = fn_detect(
        "fn is_current_for(&self, who: &str) -> bool { self.holder == who && self.valid() }",
        Some("Claim"),
    );
    assert!(has(&d, Family::Lease), "{d:?}");
    let d = fn_detect(
        "async fn wait_out(&self) { let left = self.expiry - now(); sleep(left).await; }",
        Some("Lease"),
    );
    assert!(has(&d, Family::Lease), "{d:?}");
    let d = fn_detect(
        "async fn with_lock<C, F>(conns: &[C], f: F) -> Result<u8, E> where C: redis::aio::ConnectionLike { let l = acquire_lock(conns).await?; let out = f.await; release_lock(conns, &l).await?; Ok(out) }",
        None,
    );
    assert!(has(&d, Family::Lease), "{d:?}");
    // An in-process mutex taken and released is not a lease.
    let d = fn_detect(
        "fn with_mutex(m: &Mutex, f: F) -> u8 { m.lock(); let out = f(); m.unlock(); out }",
        None,
    );
    assert!(!has(&d, Family::Lease), "{d:?}");
}

#[test]
fn an_entry_stamped_with_the_current_term_is_consensus_a_metrics_copy_is_not() {
    let d = fn_detect(
        "fn append(&mut self, data: Vec<u8>) -> Entry { let e = Entry { index: self.last_index + 1, term: self.current_term, data }; self.log.push(e.clone()); e }",
        Some("Node"),
    );
    assert!(has(&d, Family::Consensus), "{d:?}");
    let d = fn_detect(
        "fn report(&mut self) { let r = self.tx.send(Metrics { term: self.current_term, last_log_index: self.last_index }); if r.is_err() { warn(); } }",
        Some("Node"),
    );
    assert!(!has(&d, Family::Consensus), "{d:?}");
}

#[test]
fn failure_detection_by_deadlines_timers_ratios_and_announcements() {
    let d = fn_detect(
        "fn next_timeout(&mut self) -> Instant { let t = Instant::now() + self.random_election_timeout(); self.next_election_deadline = Some(t); t }",
        Some("Core"),
    );
    assert!(has(&d, Family::FailureDetection), "{d:?}");
    let d = fn_detect(
        "fn connect(&mut self, rt: &mut Rt) { self.connected = true; rt.submit_after(Timer::Probe(self.token), self.period); }",
        Some("Membership"),
    );
    assert!(has(&d, Family::FailureDetection), "{d:?}");
    let d = fn_detect(
        "fn suspicion(&self) -> Option<f64> { let last = self.last_heartbeat?; Some(last.elapsed().as_secs_f64() / self.mean) }",
        Some("Window"),
    );
    assert!(has(&d, Family::FailureDetection), "{d:?}");
    let d = fn_detect(
        "fn leave(&mut self) -> Result<(), E> { let m = Member::down(self.id.clone()); self.updates.push(m); self.gossip()?; Ok(()) }",
        Some("Cluster"),
    );
    assert!(has(&d, Family::FailureDetection), "{d:?}");
}

#[test]
fn progress_committed_remotely_and_rings_kept_in_order() {
    let d = fn_detect(
        "async fn commit(&mut self) -> Result<(), E> { let next: Vec<_> = self.consumed.iter().map(|(p, o)| (p, o.offset + 1)).collect(); self.client.commit_offsets(&self.group, next).await?; Ok(()) }",
        Some("Consumer"),
    );
    assert!(has(&d, Family::Cursor), "{d:?}");
    let d = fn_detect(
        "fn add(&mut self, node: N) { let k = hash(&node); self.ring.push((k, node)); self.ring.sort(); }",
        Some("HashRing"),
    );
    assert!(has(&d, Family::Shard), "{d:?}");
}

#[test]
fn a_role_named_wrapper_of_one_field_keeps_nothing() {
    let s: syn::ItemStruct =
        syn::parse_str("struct FollowerState<'a> { core: &'a mut Core }").expect("parses");
    assert!(detect(&Candidate::Struct(&s)).is_empty());
}

#[test]
fn a_remote_helper_of_a_lease_type_decides_nothing_its_operations_do() {
    let d = fn_detect(
        "async fn patch(&self, p: &Patch) -> Result<Lease, E> { let params = Params { manager: self.manager.clone(), ..Default::default() }; self.api.patch(&self.name, &params, p).await.map_err(into) }",
        Some("LeaseManager"),
    );
    assert!(d.is_empty(), "{d:?}");
    let d = fn_detect(
        "async fn renew(&self, claim: &Claim) -> Result<Lease, E> { let body = json!({ \"renewTime\": claim.at }); let l = self.api.patch(&self.name, &body).await?; Ok(l) }",
        Some("LeaseManager"),
    );
    assert!(has(&d, Family::Lease), "{d:?}");
}

#[test]
fn a_conditional_remote_write_of_a_checkpoint_is_a_cursor_decision() {
    let d = fn_detect(
        "async fn save(&self, key: &Key, checkpoint: &str) -> Result<bool, E> { let r = self.db.update(key).set(\"checkpoint\", checkpoint).condition_expression(\"owner = :me\").send().await; match r { Ok(_) => Ok(true), Err(e) if e.is_conflict() => Ok(false), Err(e) => Err(e.into()) } }",
        Some("Store"),
    );
    assert!(has(&d, Family::Cursor), "{d:?}");
}

#[test]
fn recording_which_effects_took_place_by_id_is_idempotency() {
    let d = fn_detect(
        "async fn relay(&self, events: Vec<Event>) -> Result<(), E> { let mut done = Vec::new(); for ev in events { let id = ev.id; match self.bus.publish(ev).await { Ok(()) => done.push(id), Err(e) => warn(e) } } self.store.mark_sent(&done).await?; Ok(()) }",
        Some("Relay"),
    );
    assert!(has(&d, Family::Idempotency), "{d:?}");
    // Results gathered without ids are not a record of what took effect.
    let d = fn_detect(
        "async fn gather(&self, urls: Vec<Url>) -> Vec<Body> { let mut out = Vec::new(); for u in urls { match self.http.get(u).await { Ok(b) => out.push(b), Err(e) => warn(e) } } out }",
        Some("Fetcher"),
    );
    assert!(!has(&d, Family::Idempotency), "{d:?}");
}

#[test]
fn a_lock_held_by_the_first_of_the_sorted_contenders_is_a_lease_decision() {
    let d = fn_detect(
        "async fn wait_lock(&self, mine: &str) -> Result<(), E> { loop { let mut nodes = self.children().await?; nodes.sort(); match nodes.binary_search_by(|n| n.as_str().cmp(mine)) { Ok(0) => return Ok(()), Ok(i) => self.watch(&nodes[i - 1]).await?, Err(_) => return Err(E) } } }",
        Some("Client"),
    );
    assert!(has(&d, Family::Lease), "{d:?}");
    // Sorting and searching a list is not a lock.
    let d = fn_detect(
        "fn dedup_sorted(&mut self, x: u32) -> bool { loop { self.items.sort(); match self.items.binary_search(&x) { Ok(_) => return false, Err(i) => { self.items.insert(i, x); return true; } } } }",
        Some("Set"),
    );
    assert!(!has(&d, Family::Lease), "{d:?}");
}
