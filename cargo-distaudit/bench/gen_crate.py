#!/usr/bin/env python3
"""Generate a crate for timing `cargo distaudit` against `cargo check`.

  bench/gen_crate.py <out dir> [--files 1000] [--distaudit <path to the distaudit crate>]

Writes <out dir>/Cargo.toml and src/: `lib.rs` declares 20 group modules (`src/gNN/mod.rs`),
each declaring its share of the files (`src/gNN/mNNNN.rs`, about 200 lines each: a struct
with an impl of ten methods, an enum and its match, a trait and its impl, free functions,
a `#[cfg(test)]` module). One file in ten also holds coordination code: an annotated lease
function (`#[coordination(..)]`, when --distaudit is given, so `cargo check` runs the macro
too) and an un-annotated lease renewal the audit reports. The crate compiles without
warnings that would change the work either tool does.
"""

import argparse
import os

FILE = """//! Generated module {i}.

use std::collections::BTreeMap;
use std::fmt;

/// A record of module {i}.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record{i} {{
    pub id: u64,
    pub name: String,
    pub values: Vec<i64>,
    pub index: BTreeMap<String, usize>,
    pub flag: bool,
}}

impl Record{i} {{
    /// A new record.
    pub fn new(id: u64, name: &str) -> Self {{
        Record{i} {{ id, name: name.to_string(), values: Vec::new(), index: BTreeMap::new(), flag: false }}
    }}

    /// Add a value and index it.
    pub fn push(&mut self, key: &str, value: i64) -> usize {{
        self.values.push(value);
        let at = self.values.len() - 1;
        self.index.insert(key.to_string(), at);
        at
    }}

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<i64> {{
        self.index.get(key).and_then(|i| self.values.get(*i)).copied()
    }}

    /// The sum of the values.
    pub fn total(&self) -> i64 {{
        let mut sum = 0i64;
        for v in &self.values {{
            sum = sum.wrapping_add(*v);
        }}
        sum
    }}

    /// The largest value, if any.
    pub fn max(&self) -> Option<i64> {{
        self.values.iter().copied().max()
    }}

    /// Values above a threshold.
    pub fn above(&self, threshold: i64) -> Vec<i64> {{
        self.values.iter().copied().filter(|v| *v > threshold).collect()
    }}

    /// Sort the values and rebuild the index.
    pub fn normalize(&mut self) {{
        let mut pairs: Vec<(String, i64)> = self
            .index
            .iter()
            .map(|(k, i)| (k.clone(), self.values[*i]))
            .collect();
        pairs.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        self.values = pairs.iter().map(|p| p.1).collect();
        self.index = pairs.into_iter().enumerate().map(|(i, p)| (p.0, i)).collect();
    }}

    /// Toggle the flag, returning the old value.
    pub fn toggle(&mut self) -> bool {{
        let old = self.flag;
        self.flag = !old;
        old
    }}

    /// A short description.
    pub fn describe(&self) -> String {{
        format!("{{}}#{{}} ({{}} values, total {{}})", self.name, self.id, self.values.len(), self.total())
    }}

    /// Merge another record into this one.
    pub fn merge(&mut self, other: &Record{i}) {{
        for (k, i) in &other.index {{
            if let Some(v) = other.values.get(*i) {{
                self.push(k, *v);
            }}
        }}
        self.flag |= other.flag;
    }}
}}

/// What a step of module {i} does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step{i} {{
    Start,
    Read(u32),
    Write(u32),
    Skip,
    Retry(u8),
    Stop,
}}

impl Step{i} {{
    /// The cost of the step.
    pub fn cost(self) -> u32 {{
        match self {{
            Step{i}::Start => 1,
            Step{i}::Read(n) => n.saturating_mul(2),
            Step{i}::Write(n) => n.saturating_mul(3),
            Step{i}::Skip => 0,
            Step{i}::Retry(k) => u32::from(k) * 5,
            Step{i}::Stop => 1,
        }}
    }}
}}

impl fmt::Display for Step{i} {{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{
        match self {{
            Step{i}::Start => write!(f, "start"),
            Step{i}::Read(n) => write!(f, "read {{n}}"),
            Step{i}::Write(n) => write!(f, "write {{n}}"),
            Step{i}::Skip => write!(f, "skip"),
            Step{i}::Retry(k) => write!(f, "retry {{k}}"),
            Step{i}::Stop => write!(f, "stop"),
        }}
    }}
}}

/// Something that can be measured.
pub trait Measure{i} {{
    /// The size.
    fn size(&self) -> usize;
    /// Whether it is empty.
    fn is_empty(&self) -> bool {{
        self.size() == 0
    }}
}}

impl Measure{i} for Record{i} {{
    fn size(&self) -> usize {{
        self.values.len() + self.index.len()
    }}
}}

/// The total cost of a plan.
pub fn plan_cost_{i}(steps: &[Step{i}]) -> u64 {{
    steps.iter().map(|s| u64::from(s.cost())).sum()
}}

/// Parse a plan from text: `r3 w2 s x`.
pub fn parse_plan_{i}(text: &str) -> Result<Vec<Step{i}>, String> {{
    let mut out = Vec::new();
    for word in text.split_whitespace() {{
        let (head, tail) = word.split_at(1);
        let n: u32 = if tail.is_empty() {{ 0 }} else {{ tail.parse().map_err(|e| format!("{{word}}: {{e}}"))? }};
        out.push(match head {{
            "b" => Step{i}::Start,
            "r" => Step{i}::Read(n),
            "w" => Step{i}::Write(n),
            "s" => Step{i}::Skip,
            "t" => Step{i}::Retry(u8::try_from(n).map_err(|e| e.to_string())?),
            "x" => Step{i}::Stop,
            other => return Err(format!("unknown step {{other}}")),
        }});
    }}
    Ok(out)
}}

/// Histogram of the values of many records.
pub fn histogram_{i}(records: &[Record{i}], buckets: usize) -> Vec<usize> {{
    let mut out = vec![0; buckets.max(1)];
    for r in records {{
        for v in &r.values {{
            let b = (v.unsigned_abs() as usize) % out.len();
            out[b] += 1;
        }}
    }}
    out
}}

/// The records whose names start with `prefix`, by id.
pub fn select_{i}<'a>(records: &'a [Record{i}], prefix: &str) -> Vec<&'a Record{i}> {{
    let mut found: Vec<&Record{i}> = records.iter().filter(|r| r.name.starts_with(prefix)).collect();
    found.sort_by_key(|r| r.id);
    found
}}
{coordination}
#[cfg(test)]
mod tests {{
    use super::*;

    #[test]
    fn push_and_get() {{
        let mut r = Record{i}::new(1, "a");
        r.push("x", 3);
        assert_eq!(r.get("x"), Some(3));
    }}

    #[test]
    fn plans_parse() {{
        let plan = parse_plan_{i}("b r3 w2 s x").unwrap();
        assert_eq!(plan_cost_{i}(&plan), 1 + 6 + 6 + 1);
    }}
}}
"""

COORDINATION = """
/// A lease of module {i}.
pub struct Lease{i} {{
    pub holder: u64,
    pub deadline: u64,
    pub fence: u64,
}}

{annotation}pub fn grant_{i}(lease: &mut Lease{i}, worker: u64, now: u64) -> u64 {{
    lease.holder = worker;
    lease.deadline = now + 10;
    lease.fence += 1;
    lease.fence
}}

impl Lease{i} {{
    /// Not annotated: the audit reports it.
    pub fn renew_lease(&mut self, now: u64) -> bool {{
        if now < self.deadline {{
            self.deadline = now + 10;
            true
        }} else {{
            false
        }}
    }}
}}
"""

ANNOTATION = '#[distaudit::coordination(pattern = "lease", cite = "gray-cheriton-1989")]\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--distaudit", help="path to the distaudit crate (annotate items)")
    args = ap.parse_args()
    groups = 20
    src = os.path.join(args.out, "src")
    os.makedirs(src, exist_ok=True)
    deps = ""
    if args.distaudit:
        deps = f'distaudit = {{ path = "{os.path.abspath(args.distaudit)}" }}\n'
    with open(os.path.join(args.out, "Cargo.toml"), "w") as f:
        f.write(
            '[package]\nname = "generated"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n'
            f"[dependencies]\n{deps}\n[workspace]\n"
        )
    per_group = (args.files + groups - 1) // groups
    lines = 0
    with open(os.path.join(src, "lib.rs"), "w") as lib:
        lib.write("//! A generated crate.\n#![allow(dead_code)]\n\n")
        for g in range(groups):
            lib.write(f"pub mod g{g:02};\n")
    for g in range(groups):
        gdir = os.path.join(src, f"g{g:02}")
        os.makedirs(gdir, exist_ok=True)
        with open(os.path.join(gdir, "mod.rs"), "w") as m:
            m.write(f"//! Group {g}.\n\n")
            for k in range(per_group):
                i = g * per_group + k
                if i >= args.files:
                    break
                m.write(f"pub mod m{i:04};\n")
                coordination = ""
                if i % 10 == 0:
                    coordination = COORDINATION.format(
                        i=i, annotation=ANNOTATION if args.distaudit else ""
                    )
                text = FILE.format(i=i, coordination=coordination)
                lines += text.count("\n")
                with open(os.path.join(gdir, f"m{i:04}.rs"), "w") as f:
                    f.write(text)
    print(f"{args.files} files, {lines} lines in {args.out}")


if __name__ == "__main__":
    main()
