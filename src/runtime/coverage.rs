//! The record of evaluated checks, opt-in: with `DISTAUDIT_COVERAGE=<directory>` set, every
//! check a woven function or a type invariant evaluates is counted by its site (module,
//! item, the check as written), with how often it failed and, in a generated state-machine
//! test, whether the call it ran in was accepted or refused. `cargo distaudit --coverage
//! <directory>` reads the record.
//!
//! Each thread counts on its own (no lock per check) and hands its counts to the process's
//! total when it ends (a test's thread ends with its test) and every
//! [`FLUSH_EVERY`] evaluations; the total is written then, whole, as JSON lines to one file
//! per process in the directory (written beside and renamed, so a reader never sees half a
//! file), so parallel test threads and test binaries never write the same file.
//!
//! Unset, a check costs what it did: the one relaxed load of `FLAGS` that counting
//! (`count_checks`) already needed, both switches being bits of the same byte.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

/// The environment variable that turns the record on: a directory.
pub const COVERAGE_ENV: &str = "DISTAUDIT_COVERAGE";

/// Passed checks are counted (`count_checks(true)`).
pub(super) const COUNT: u8 = 0b001;
/// Evaluations are recorded (`DISTAUDIT_COVERAGE` is set).
const RECORD: u8 = 0b010;
/// The environment has not been read yet.
const UNREAD: u8 = 0b100;

/// The switches a check reads, all in one byte: 0 when neither counting nor the record is
/// on, once the environment has been read.
pub(super) static FLAGS: AtomicU8 = AtomicU8::new(UNREAD);

/// A thread hands its counts on after this many evaluations, besides when it ends: what a
/// program evaluating checks on its main thread (whose thread-locals are not dropped at
/// exit) can lose.
pub const FLUSH_EVERY: u32 = 1 << 14;

/// The switches, the environment read on first use.
#[inline]
pub(super) fn flags() -> u8 {
    let f = FLAGS.load(Ordering::Relaxed);
    if f & UNREAD == 0 {
        f
    } else {
        read_environment()
    }
}

#[cold]
fn read_environment() -> u8 {
    let record = std::env::var_os(COVERAGE_ENV).is_some_and(|v| !v.is_empty());
    let set = if record { RECORD } else { 0 };
    let before = FLAGS.fetch_and(!UNREAD, Ordering::Relaxed);
    if record {
        FLAGS.fetch_or(set, Ordering::Relaxed);
    }
    (before & !UNREAD) | set
}

/// Whether evaluations are recorded in this process.
#[must_use]
pub fn recording() -> bool {
    flags() & RECORD != 0
}

/// Where a check is: what the woven code passes (`module_path!()`, the item, the check as
/// written), the owner type's name where the macro wrote `Self`, and for a type invariant
/// the type's name alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    module: &'static str,
    item: &'static str,
    /// `None` for a type's invariants, checked together.
    check: Option<&'static str>,
    owner: Option<&'static str>,
}

/// How often a site was evaluated, failed, and ran in accepted or refused calls of a
/// state-machine test (the rest ran elsewhere: a hand-written test, a property test).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    evaluated: u64,
    failed: u64,
    accepted: u64,
    refused: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.evaluated += other.evaluated;
        self.failed += other.failed;
        self.accepted += other.accepted;
        self.refused += other.refused;
    }
}

/// One thread's counts since it last handed them on.
#[derive(Default)]
struct Local {
    counts: HashMap<Key, Counts>,
    /// Inside a state-machine call: the sites evaluated so far in it.
    step: Option<Vec<Key>>,
    since_flush: u32,
}

impl Local {
    fn evaluated(&mut self, key: Key, held: bool) {
        let c = self.counts.entry(key).or_default();
        c.evaluated += 1;
        c.failed += u64::from(!held);
        if let Some(step) = &mut self.step {
            step.push(key);
        }
        self.since_flush += 1;
        if self.since_flush >= FLUSH_EVERY {
            self.flush();
        }
    }

    /// Hand the counts to the process's total, and write it.
    fn flush(&mut self) {
        self.since_flush = 0;
        if self.counts.is_empty() {
            return;
        }
        let mut total = total()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (key, counts) in self.counts.drain() {
            total.entry(key).or_default().add(counts);
        }
        // A record that cannot be written must not fail the test run it observes.
        let _ = write(&total);
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        self.flush();
    }
}

thread_local! {
    static LOCAL: RefCell<Local> = RefCell::new(Local::default());
}

fn total() -> &'static Mutex<HashMap<Key, Counts>> {
    static TOTAL: OnceLock<Mutex<HashMap<Key, Counts>>> = OnceLock::new();
    TOTAL.get_or_init(|| Mutex::new(HashMap::new()))
}

fn with_local(f: impl FnOnce(&mut Local)) {
    // At thread exit the thread-local may be gone: that evaluation is not recorded.
    let _ = LOCAL.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            f(&mut l);
        }
    });
}

/// Record one evaluation of a woven check (slow path: the record is on).
#[cold]
#[inline(never)]
pub(super) fn record(
    module: &'static str,
    item: &'static str,
    check: &'static str,
    owner: Option<&'static str>,
    held: bool,
) {
    let key = Key {
        module,
        item,
        check: Some(check),
        owner,
    };
    with_local(|l| l.evaluated(key, held));
}

/// Record one evaluation of a type's invariants, all together (the type's name is all the
/// caller knows); a failing one is recorded by its site through [`record`].
#[cold]
#[inline(never)]
pub(super) fn record_type(type_name: &'static str) {
    let key = Key {
        module: "",
        item: "",
        check: None,
        owner: Some(type_name),
    };
    with_local(|l| l.evaluated(key, true));
}

/// Run one call of a generated state-machine test, and count the checks it evaluated as
/// evaluated in an accepted or a refused call.
pub fn in_call<R>(call: impl FnOnce() -> R, refused: impl FnOnce(&R) -> bool) -> R {
    if !recording() {
        return call();
    }
    with_local(|l| l.step = Some(Vec::new()));
    let out = call();
    let refused = refused(&out);
    with_local(|l| {
        for key in l.step.take().unwrap_or_default() {
            let c = l.counts.entry(key).or_default();
            if refused {
                c.refused += 1;
            } else {
                c.accepted += 1;
            }
        }
    });
    out
}

/// The file this process writes: `<program>-<pid>-<start>.jsonl` in the directory.
fn file() -> Option<&'static PathBuf> {
    static FILE: OnceLock<Option<PathBuf>> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = PathBuf::from(std::env::var_os(COVERAGE_ENV)?);
        let program = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "process".into());
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{program}-{}-{start}.jsonl", std::process::id());
        Some(dir.join(name))
    })
    .as_ref()
}

/// The whole total as JSON lines, written beside the file and renamed over it.
fn write(total: &HashMap<Key, Counts>) -> std::io::Result<()> {
    let Some(path) = file() else {
        return Ok(());
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut entries: Vec<(&Key, &Counts)> = total.iter().collect();
    entries.sort_by_key(|(k, _)| (k.module, k.item, k.check, k.owner));
    let mut text = String::new();
    for (k, c) in entries {
        text.push_str(&line(k, c));
        text.push('\n');
    }
    let partial = path.with_extension("jsonl.partial");
    std::fs::write(&partial, text)?;
    std::fs::rename(&partial, path)
}

/// One site as a JSON object: `module`, `item`, `check` (null for a type's invariants),
/// `owner` (the type's name where the woven code had only `Self`, or the type of type
/// invariants), then the counts.
fn line(k: &Key, c: &Counts) -> String {
    let text = |s: Option<&str>| s.map_or_else(|| "null".to_string(), json_string);
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\"module\":{},\"item\":{},\"check\":{},\"owner\":{},\"evaluated\":{},\"failed\":{},\"accepted\":{},\"refused\":{}}}",
        json_string(k.module),
        json_string(k.item),
        text(k.check),
        text(k.owner),
        c.evaluated,
        c.failed,
        c.accepted,
        c.refused
    );
    out
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_json_with_every_count() {
        let k = Key {
            module: "app::shard",
            item: "Shard::split",
            check: Some("holds(self.end > \"a\")"),
            owner: None,
        };
        let c = Counts {
            evaluated: 3,
            failed: 1,
            accepted: 1,
            refused: 2,
        };
        assert_eq!(
            line(&k, &c),
            r#"{"module":"app::shard","item":"Shard::split","check":"holds(self.end > \"a\")","owner":null,"evaluated":3,"failed":1,"accepted":1,"refused":2}"#
        );
    }
}
