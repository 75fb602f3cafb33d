#!/usr/bin/env python3
"""Findings per 10,000 lines on code nobody here wrote: the sources of the workspace's own
dependencies in cargo's registry cache.

Each crate is copied to a temporary directory (the cache is not written to) and audited
with `cargo-distaudit distaudit --format json`. Prints, per crate, files, lines, BLOCK and
WARN counts, findings per 10,000 lines, and every BLOCK and WARN finding to be read.

Usage: bench/precision.py <path to cargo-distaudit binary> [crate-version ...]
"""

import collections
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

DEFAULT = [
    "syn-3.0.10",
    "serde-1.0.229",
    "serde_core-1.0.229",
    "proptest-1.12.0",
    "regex-syntax-0.8.12",
    "toml-1.2.2+spec-1.1.0",
]


def registry_dir(name):
    hits = glob.glob(os.path.expanduser(f"~/.cargo/registry/src/*/{name}"))
    if not hits:
        raise SystemExit(f"{name} is not in the registry cache")
    return hits[0]


def main():
    binary = os.path.abspath(sys.argv[1])
    crates = sys.argv[2:] or DEFAULT
    work = tempfile.mkdtemp(prefix="distaudit-precision-")
    total = collections.Counter()
    listing = []
    print("crate | files | lines | BLOCK | WARN | BLOCK/10k | WARN/10k")
    print("------|-------|-------|-------|------|-----------|---------")
    for name in crates:
        copy = os.path.join(work, name)
        shutil.copytree(registry_dir(name), copy, ignore=shutil.ignore_patterns("target"))
        out = subprocess.run(
            [binary, "distaudit", "--manifest-path", os.path.join(copy, "Cargo.toml"), "--format", "json"],
            capture_output=True,
            text=True,
        )
        if not out.stdout:
            print(f"{name}: could not run: {out.stderr.strip()}")
            continue
        doc = json.loads(out.stdout)
        s = doc["summary"]
        per = lambda n: 10000 * n / max(s["lines"], 1)
        print(f"{name} | {s['files']} | {s['lines']} | {s['block']} | {s['warn']} | {per(s['block']):.2f} | {per(s['warn']):.2f}")
        for k in ("files", "lines", "block", "warn"):
            total[k] += s[k]
        for f in doc["findings"]:
            total[f["code"]] += 1
            listing.append((name, f))
    per = lambda n: 10000 * n / max(total["lines"], 1)
    print(f"all | {total['files']} | {total['lines']} | {total['block']} | {total['warn']} | {per(total['block']):.2f} | {per(total['warn']):.2f}")
    print("\nby code:", ", ".join(f"{k} {v}" for k, v in sorted(total.items()) if k.startswith("DA")))
    for severity in ("BLOCK", "WARN"):
        print(f"\n{severity} findings:")
        for name, f in listing:
            if f["severity"] == severity:
                print(f"- {name} {f['file']}:{f['line']} {f['code']} {f['item']}: {f['what']}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
