//! Run-time cost of distaudit's woven-in invariant checks.
//!
//! Run once per mode (the mode is fixed when the proc macro expands, so each is its own build):
//!
//! ```text
//! RUSTFLAGS='--cfg distaudit_checks="always"' cargo bench -p distaudit-bench --bench invariants  # vs hand-written
//! RUSTFLAGS='--cfg distaudit_checks="off"' cargo bench -p distaudit-bench --bench invariants     # vs bare
//! cargo bench -p distaudit-bench                       --bench invariants   # default features
//! ```
//!
//! Benchmark ids are `<kind>/<mode>/<version>`: `version` is `distaudit` (annotated),
//! `hand` (the same check written by hand, always on) or `bare` (no check).

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use distaudit_bench::{
    ArrayCursor, BoxedCursor, Counter, Exhausted, Fence, MODE, OptionalCursor, Position,
    ShardCursor, checks_active, key32,
};
use std::hint::black_box;
use std::time::Duration;

/// Fail loudly if the build is not in the mode it claims: a bench of "checks on" that
/// silently measured checks off would be worse than none. Only under `cargo bench` (which
/// passes `--bench`): `cargo test --all-targets` runs each benchmark once as a smoke test, in
/// a debug build, with the workspace's features unified.
fn assert_mode() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let active = checks_active();
    // distaudit's default keeps checks in debug builds: off in the bench profile.
    let expected = MODE == "on" || (MODE == "default" && cfg!(debug_assertions));
    assert_eq!(
        active, expected,
        "distaudit-bench built in mode `{MODE}` but checks_active() = {active}"
    );
    // Counting passed checks (`distaudit::count_checks(true)`) adds an atomic add per check:
    // it is off unless a program turns it on, and nothing here does.
    let mut p = Position::default();
    p.observe_distaudit(1);
    assert_eq!(
        distaudit::checks_passed(),
        0,
        "counting of passed checks is on: the bench measures checks without it"
    );
}

// Every version of an operation is measured through the same compiled loop: the helpers
// below are generic over the state type only and take the function as a pointer, so the
// distaudit, hand-written and bare versions differ in the callee alone. (Separate closures
// per version put each loop at its own address, and at 1 to 2 ns per call that alone moved
// identical functions by up to 2x.)

type Group<'a> = BenchmarkGroup<'a, WallTime>;

fn bench_u64<S: Default>(g: &mut Group<'_>, version: &str, f: fn(&mut S, u64)) {
    let f = black_box(f);
    let (mut s, mut n) = (S::default(), 0_u64);
    g.bench_function(BenchmarkId::new(MODE, version), |b| {
        b.iter(|| {
            n += 1;
            f(black_box(&mut s), black_box(n));
        });
    });
}

/// `key(n)`: the key of the n-th call (increasing, or cycling through a shard).
fn bench_key<S>(
    g: &mut Group<'_>,
    version: &str,
    mut s: S,
    key: fn(u64) -> [u8; 32],
    f: fn(&mut S, &[u8; 32]),
) {
    let f = black_box(f);
    let mut n = 0_u64;
    g.bench_function(BenchmarkId::new(MODE, version), |b| {
        b.iter(|| {
            n += 1;
            let k = key(n);
            f(black_box(&mut s), black_box(&k));
        });
    });
}

fn bench_slice<S: Default>(g: &mut Group<'_>, version: &str, f: fn(&mut S, &[u8])) {
    let f = black_box(f);
    let (mut s, mut n) = (S::default(), 0_u64);
    g.bench_function(BenchmarkId::new(MODE, version), |b| {
        b.iter(|| {
            n += 1;
            let k = key32(n);
            f(black_box(&mut s), black_box(&k[..]));
        });
    });
}

fn bench_fence(g: &mut Group<'_>, version: &str, f: fn(&mut Fence) -> Result<u64, Exhausted>) {
    let f = black_box(f);
    let mut s = Fence::default();
    g.bench_function(BenchmarkId::new(MODE, version), |b| {
        b.iter(|| black_box(f(black_box(&mut s))));
    });
}

fn monotonic_u64(c: &mut Criterion) {
    let mut g = c.benchmark_group("monotonic_u64");
    bench_u64(&mut g, "distaudit", Position::observe_distaudit);
    bench_u64(&mut g, "hand", Position::observe_hand);
    bench_u64(&mut g, "bare", Position::observe_bare);
    g.finish();
}

fn ensures_old_u64(c: &mut Criterion) {
    let mut g = c.benchmark_group("ensures_old_requires_u64");
    bench_u64(&mut g, "distaudit", Counter::bump_distaudit);
    bench_u64(&mut g, "hand", Counter::bump_hand);
    bench_u64(&mut g, "bare", Counter::bump_bare);
    g.finish();
}

fn monotonic_key32(c: &mut Criterion) {
    let mut g = c.benchmark_group("monotonic_key32_array");
    let fresh = ArrayCursor::default;
    bench_key(
        &mut g,
        "distaudit",
        fresh(),
        key32,
        ArrayCursor::advance_distaudit,
    );
    bench_key(&mut g, "hand", fresh(), key32, ArrayCursor::advance_hand);
    bench_key(&mut g, "bare", fresh(), key32, ArrayCursor::advance_bare);
    g.finish();

    let mut g = c.benchmark_group("monotonic_key32_boxed");
    bench_slice(&mut g, "distaudit", BoxedCursor::advance_distaudit);
    bench_slice(&mut g, "hand", BoxedCursor::advance_hand);
    bench_slice(&mut g, "bare", BoxedCursor::advance_bare);
    g.finish();
}

fn strictly_increasing_fence(c: &mut Criterion) {
    let mut g = c.benchmark_group("strictly_increasing_fence");
    bench_fence(&mut g, "distaudit", Fence::acquire_distaudit);
    bench_fence(&mut g, "hand", Fence::acquire_hand);
    bench_fence(&mut g, "bare", Fence::acquire_bare);
    g.finish();
}

fn within_key32(c: &mut Criterion) {
    let mut g = c.benchmark_group("within_key32");
    // Keys cycle through [0, 64) against the shard [16, 48): half in, half out.
    let cycling = |n: u64| key32(n & 63);
    let fresh = || ShardCursor::new(16, 48);
    bench_key(
        &mut g,
        "distaudit",
        fresh(),
        cycling,
        ShardCursor::seek_distaudit,
    );
    bench_key(&mut g, "hand", fresh(), cycling, ShardCursor::seek_hand);
    bench_key(&mut g, "bare", fresh(), cycling, ShardCursor::seek_bare);
    g.finish();
}

fn never_none(c: &mut Criterion) {
    let mut g = c.benchmark_group("never_none_key32_array");
    let fresh = OptionalCursor::default;
    bench_key(
        &mut g,
        "distaudit",
        fresh(),
        key32,
        OptionalCursor::save_distaudit,
    );
    bench_key(&mut g, "hand", fresh(), key32, OptionalCursor::save_hand);
    bench_key(&mut g, "bare", fresh(), key32, OptionalCursor::save_bare);
    g.finish();

    let mut g = c.benchmark_group("never_none_key32_boxed");
    bench_slice(&mut g, "distaudit", BoxedCursor::save_distaudit);
    bench_slice(&mut g, "hand", BoxedCursor::save_hand);
    bench_slice(&mut g, "hand_clone", BoxedCursor::save_hand_clone);
    bench_slice(&mut g, "bare", BoxedCursor::save_bare);
    g.finish();
}

fn config() -> Criterion {
    assert_mode();
    // Short runs: 2 cores shared with other builds; the medians are what the tables use.
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = monotonic_u64, ensures_old_u64, monotonic_key32, strictly_increasing_fence, within_key32, never_none
}
criterion_main!(benches);
