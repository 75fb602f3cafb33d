#!/usr/bin/env python3
"""Compare the machine code of the annotated functions with their bare / hand-written twins.

Usage: bench/runtime/compare_asm.py [MODE ...]     (MODE: on, off, default; all by default)

For each mode it builds the bench binary (`cargo bench --no-run`, same features as the
benchmark run), disassembles it with objdump, and compares `*_distaudit` with `*_bare`
(and, in mode `on`, with `*_hand`), addresses and symbol hashes normalised away. "Off is
identical to the bare function" is then a fact about the code, not a timing within noise.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The check mode is a whole-build cfg read by the macro, not a cargo feature (a feature would
# leak into every crate of the build).
MODES = {"on": '--cfg distaudit_checks="always"', "off": '--cfg distaudit_checks="off"', "default": ""}
PAIRS = [
    ("Position", "observe"),
    ("Counter", "bump"),
    ("ArrayCursor", "advance"),
    ("BoxedCursor", "advance"),
    ("BoxedCursor", "save"),
    ("OptionalCursor", "save"),
    ("Fence", "acquire"),
    ("ShardCursor", "seek"),
]


def bench_binary(mode: str) -> Path:
    cmd = ["cargo", "bench", "-p", "distaudit-bench", "--bench", "invariants", "--no-run",
           "--message-format", "json"]
    env = dict(os.environ, RUSTFLAGS=MODES[mode])
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    for line in p.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "invariants" \
                and msg.get("executable"):
            return Path(msg["executable"])
    raise SystemExit("bench executable not found")


def functions(binary: Path) -> dict:
    out = subprocess.run(["objdump", "-d", "-C", "--no-show-raw-insn", str(binary)],
                         capture_output=True, text=True, check=True).stdout
    funcs, name, body = {}, None, []
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            if name:
                funcs[name] = body
            name, body = m.group(1), []
        elif name and "\t" in line:
            ins = line.split("\t", 1)[1].strip()
            ins = re.sub(r"\b[0-9a-f]{6,}\b", "ADDR", ins)   # absolute addresses
            ins = re.sub(r"<[^>]*>", "<SYM>", ins)           # call/jump targets
            ins = re.sub(r"0x[0-9a-f]+\(%rip\)", "RIP", ins)  # rip-relative data
            body.append(ins)
    if name:
        funcs[name] = body
    return funcs


def symbols(binary: Path) -> dict:
    """Demangled function name -> address. Functions LLVM or the linker merged because their
    code was identical share one address (objdump then shows only one of the names)."""
    out = subprocess.run(["nm", "-C", str(binary)], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            syms[parts[2]] = parts[0]
    return syms


def find(syms: dict, ty: str, method: str):
    for name, addr in syms.items():
        if name.startswith("distaudit_bench::") and name.endswith(f"{ty}::{method}"):
            return name, addr
    return None, None


def compare(funcs: dict, syms: dict, ty: str, a: str, b: str) -> str:
    (na, aa), (nb, ab) = find(syms, ty, a), find(syms, ty, b)
    if na is None or nb is None:
        return "not found (inlined everywhere?)"
    if aa == ab:
        return "identical (one body: merged as identical code)"
    fa, fb = funcs.get(na), funcs.get(nb)
    if fa is None or fb is None:
        return "not disassembled"
    return f"{'identical' if fa == fb else 'differs'} ({len(fa)} vs {len(fb)} instructions)"


def main():
    modes = sys.argv[1:] or ["off", "default", "on"]
    for mode in modes:
        binary = bench_binary(mode)
        funcs, syms = functions(binary), symbols(binary)
        print(f"== mode {mode}: {binary.name}")
        for ty, method in PAIRS:
            for twin in ["bare"] + (["hand"] if mode == "on" else []):
                verdict = compare(funcs, syms, ty, f"{method}_distaudit", f"{method}_{twin}")
                print(f"  {ty}::{method}_distaudit vs _{twin}: {verdict}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("CARGO_TARGET_DIR", str(ROOT / "target"))
    sys.exit(main())
