#!/usr/bin/env python3
"""Tabulate the criterion results of benches/invariants.rs (medians, in ns per call).

Usage: bench/runtime/report.py [CRITERION_DIR ...]
CRITERION_DIR defaults to $CARGO_TARGET_DIR/criterion, else target/criterion. Given several
(copies of the criterion directory after repeated runs), each cell is the median across
them, and each ratio the median of the per-run ratios (the machine is shared: a single
run's ratio can be off by tens of percent at the 1-2 ns scale).

Reads <group>/<mode>/<version>/new/estimates.json for mode in on/off/default and prints one
Markdown table: checks on against hand-written, checks off and default (release build
without `release-checks`) against the bare function.
"""

import json
import os
import statistics
import sys
from pathlib import Path

GROUPS = [
    ("monotonic_u64", "monotonic, u64"),
    ("ensures_old_requires_u64", "`requires` + `ensures` with `old`, u64"),
    ("monotonic_key32_array", "monotonic, 32-byte key `[u8; 32]`"),
    ("monotonic_key32_boxed", "monotonic, 32-byte key `Option<Box<[u8]>>`"),
    ("strictly_increasing_fence", "strictly_increasing, u64 fence (`Result`)"),
    ("within_key32", "within, 32-byte key in `[start, end)`"),
    ("never_none_key32_array", "never_none, `Option<[u8; 32]>`"),
    ("never_none_key32_boxed", "never_none, `Option<Box<[u8]>>` (32 bytes)"),
]


def median_ns(root: Path, group: str, mode: str, version: str):
    path = root / group / mode / version / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(x):
    return "" if x is None else (f"{x:.2f}" if x < 10 else f"{x:.1f}")


def ratio(roots, group, mode, a, b):
    rs = []
    for root in roots:
        x, y = median_ns(root, group, mode, a), median_ns(root, group, mode, b)
        if x is not None and y:
            rs.append(x / y)
    return f"{statistics.median(rs):.2f}x" if rs else ""


def cell(roots, group, mode, version):
    return med([median_ns(r, group, mode, version) for r in roots])


def main():
    if len(sys.argv) > 1:
        roots = [Path(a) for a in sys.argv[1:]]
    else:
        target = os.environ.get("CARGO_TARGET_DIR", "target")
        roots = [Path(target) / "criterion"]
    for root in roots:
        if not root.exists():
            raise SystemExit(f"no criterion results in {root}: run the benches first (see bench/README.md)")
    print("| invariant | on: distaudit | on: hand | on: ratio | off: distaudit | off: bare | off: ratio "
          "| default: distaudit | default: bare | default: ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for group, label in GROUPS:
        c = lambda mode, v: fmt(cell(roots, group, mode, v))  # noqa: E731
        r = lambda mode, a, b: ratio(roots, group, mode, a, b)  # noqa: E731
        print(
            f"| {label} | {c('on', 'distaudit')} | {c('on', 'hand')} | {r('on', 'distaudit', 'hand')} | "
            f"{c('off', 'distaudit')} | {c('off', 'bare')} | {r('off', 'distaudit', 'bare')} | "
            f"{c('default', 'distaudit')} | {c('default', 'bare')} | {r('default', 'distaudit', 'bare')} |"
        )
    extra = cell(roots, "never_none_key32_boxed", "on", "hand_clone")
    if extra is not None:
        print(f"\nnever_none on `Option<Box<[u8]>>`, hand-written with a cloned snapshot as distaudit does: "
              f"{fmt(extra)} ns")
    bare_on = {g: cell(roots, g, "on", "bare") for g, _ in GROUPS}
    if any(v is not None for v in bare_on.values()):
        print("\nbare function in the `on` build (ns): " +
              ", ".join(f"{g} {fmt(v)}" for g, v in bare_on.items()))


if __name__ == "__main__":
    main()
