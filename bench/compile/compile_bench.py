#!/usr/bin/env python3
"""Compile-time cost of distaudit's attribute, side by side with peers.

Generates crates of N annotated methods (one small fenced, monotonic state update each) in
these variants:

  plain      no attribute: the floor
  gate       distaudit, citation gate only:
               #[coordination(pattern = "retry", cite = "bacon-2017")]
             (a state-changing `fencing` method must declare an epoch invariant, DA rule
             "fence epoch invariant declared", so the gate-only variant names the `retry`
             pattern with a citation that supports it; the body and the rules run are the
             same otherwise)
  invariant  distaudit with the epoch check:
               #[coordination(pattern = "fencing", cite = "burrows-2006",
                              invariant(strictly_increasing = "self.epoch"))]
  ensures_old  distaudit with the contracts variant's postcondition:
               #[coordination(pattern = "retry", cite = "bacon-2017",
                              ensures(holds = "self.epoch > old(self.epoch)"))]
  contracts  contracts 0.6: #[debug_ensures(self.epoch > old(self.epoch))]
  tracing    tracing 0.1:   #[instrument(skip(self))]
  passthrough, record, syn_record
             the bench's own attributes, the floors of the gate: the item returned as it
             is; a record of the gate's length inserted with no analysis; the same record
             rendered from arguments and signature read with syn (distaudit's version and
             features), body unparsed, no registry and no rules

and times `cargo check` of each crate with its dependencies already built: the crate's
source is touched before each run, CARGO_INCREMENTAL=0, median of --runs runs (hyperfine
when installed, else /usr/bin/time), plus peak memory (max RSS of the cargo process tree,
from /usr/bin/time -v). It prints the overhead per annotated item against `plain` and the
ratios against the peers.

With --deps it also times a clean build of distaudit's own dependency tree (a crate whose
only dependency is distaudit) against a proc-macro crate depending only on syn (full),
quote and darling.

Generated crates live under --work (default /tmp/distaudit-compile-bench), never in the
repo. They depend on distaudit by path (--distaudit, default /work/main); --snapshot copies
that tree first, so edits made to it while the benchmark runs cannot trigger a rebuild in
the middle of a timed run.

Examples:
  bench/compile/compile_bench.py                       # quick: N = 100, 1000
  bench/compile/compile_bench.py --sizes 100,1000,5000 --runs 5 --deps --snapshot
  bench/compile/compile_bench.py --variants plain,invariant --sizes 1000
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARIANTS = ["plain", "gate", "invariant", "ensures_old", "contracts", "tracing", "passthrough", "record", "syn_record"]
PEERS = ["contracts", "tracing"]
METHODS_PER_MODULE = 100

# The annotation of each variant, and the `use` lines it needs.
ATTRS = {
    "plain": ("", ""),
    "gate": (
        "use distaudit::coordination;\n",
        '#[coordination(pattern = "retry", cite = "bacon-2017")]',
    ),
    "invariant": (
        "use distaudit::coordination;\n",
        '#[coordination(pattern = "fencing", cite = "burrows-2006", '
        'invariant(strictly_increasing = "self.epoch"))]',
    ),
    # The same postcondition as the contracts variant, in distaudit's words.
    "ensures_old": (
        "use distaudit::coordination;\n",
        '#[coordination(pattern = "retry", cite = "bacon-2017", '
        'ensures(holds = "self.epoch > old(self.epoch)"))]',
    ),
    "contracts": (
        "use contracts::debug_ensures;\n",
        "#[debug_ensures(self.epoch > old(self.epoch))]",
    ),
    "tracing": ("use tracing::instrument;\n", "#[instrument(skip(self))]"),
    # The floors of the gate, from a proc macro of the bench's own (no dependencies, built
    # at the same opt-level): an attribute that returns the item as it is, and one that
    # inserts a decision record as long as the gate's after the item's attributes, with no
    # analysis. gate - record is the gate's analysis and rendering; record - passthrough is
    # emitting the record (the bridge and rustc's handling of the doc attribute).
    "passthrough": ("use cb_floor::pass;\n", "#[pass]"),
    "record": ("use cb_floor::record;\n", "#[record]"),
    # The floor of an attribute that reads what it checks with syn: it parses its
    # `name = "value"` arguments and the function's signature (body left unparsed, as the
    # gate leaves a quiet body) with syn at distaudit's version and features, renders the
    # same record from the arguments and inserts it. No registry, no rules.
    "syn_record": (
        "use cb_synfloor::syn_record;\n",
        '#[syn_record(pattern = "retry", cite = "bacon-2017")]',
    ),
}

# The gate's record as distaudit renders it for the bench's items (565 bytes).
GATE_RECORD = (
    "\n# Coordination audit\n\n| Field | Detail |\n|---|---|\n| Pattern | `retry` (Retry with "
    "backoff), evidence level 4: [what it is, safety, liveness](https://docs.rs/distaudit/0.1.0/"
    "distaudit/#pattern-retry) |\n| Provenance | [bacon-2017](https://doi.org/10.1145/3035918."
    "3056103): Bacon et al., *Spanner: Becoming a SQL System* (level 4, peer-reviewed) |\n"
    "| Verification | citation gate only |\n"
)


def floor_macros(work: Path) -> Path:
    """The bench's own proc-macro crate for the `passthrough` and `record` variants."""
    crate = work / "cb-floor"
    (crate / "src").mkdir(parents=True, exist_ok=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "cb_floor"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        "[lib]\nproc-macro = true\n\n[workspace]\n"
    )
    (crate / "src" / "lib.rs").write_text(
        "use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};\n\n"
        "#[proc_macro_attribute]\n"
        "pub fn pass(_args: TokenStream, item: TokenStream) -> TokenStream {\n    item\n}\n\n"
        "#[proc_macro_attribute]\n"
        "pub fn record(_args: TokenStream, item: TokenStream) -> TokenStream {\n"
        "    let trees: Vec<TokenTree> = item.into_iter().collect();\n"
        "    let mut at = 0;\n"
        "    while matches!(trees.get(at), Some(TokenTree::Punct(p)) if p.as_char() == '#') {\n"
        "        at += 2;\n"
        "    }\n"
        "    let doc: TokenStream = [\n"
        "        TokenTree::Ident(Ident::new(\"doc\", Span::call_site())),\n"
        "        TokenTree::Punct(Punct::new('=', Spacing::Alone)),\n"
        f"        TokenTree::Literal(Literal::string({json.dumps(GATE_RECORD)})),\n"
        "    ]\n    .into_iter()\n    .collect();\n"
        "    let mut out: TokenStream = trees[..at].iter().cloned().collect();\n"
        "    out.extend([\n"
        "        TokenTree::Punct(Punct::new('#', Spacing::Alone)),\n"
        "        TokenTree::Group(Group::new(Delimiter::Bracket, doc)),\n"
        "    ]);\n"
        "    out.extend(trees[at..].iter().cloned());\n"
        "    out\n}\n"
    )
    return crate


def dependencies(variant: str, distaudit: Path) -> str:
    if variant in ("gate", "invariant", "ensures_old"):
        return f'distaudit = {{ path = "{distaudit}" }}\n'
    if variant == "contracts":
        return 'contracts = "0.6"\n'
    if variant == "tracing":
        return 'tracing = "0.1"\n'
    return ""


def module_source(variant: str, index: int, count: int) -> str:
    use, attr = ATTRS[variant]
    out = [
        f"//! Generated by bench/compile/compile_bench.py: {count} methods, variant {variant}.\n",
        "#![allow(clippy::all)]\n",
        use,
        "\n/// A fence issuer.\n#[derive(Debug, Default)]\npub struct Node {\n",
        "    /// The last epoch issued.\n    pub epoch: u64,\n}\n\nimpl Node {\n",
    ]
    for m in range(count):
        n = index * METHODS_PER_MODULE + m
        if attr:
            out.append(f"    {attr}\n")
        out.append(
            f"    /// Issue an epoch above both the last one and `seen` ({n}).\n"
            f"    pub fn advance_{n}(&mut self, seen: u64) -> u64 {{\n"
            f"        let next = self.epoch.max(seen) + 1;\n"
            f"        self.epoch = next;\n"
            f"        next\n"
            f"    }}\n\n"
        )
    out.append("}\n")
    return "".join(out)


def syn_floor_macro(work: Path, distaudit: Path) -> Path:
    """The bench's own syn-based floor attribute (`syn_record`), with distaudit's syn."""
    crate = work / "cb-synfloor"
    (crate / "src").mkdir(parents=True, exist_ok=True)
    manifest = (distaudit / "Cargo.toml").read_text()
    syn_line = re.search(r"^syn = .*$", manifest, re.M)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "cb_synfloor"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        "[lib]\nproc-macro = true\n\n[dependencies]\n"
        + (syn_line.group(0) if syn_line else 'syn = { version = "3", features = ["full"] }')
        + '\nproc-macro2 = "1"\n\n[workspace]\n'
    )
    head, tail = GATE_RECORD.split("[bacon-2017]", 1)
    (crate / "src" / "lib.rs").write_text(
        "use proc_macro::TokenStream;\n"
        "use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenTree};\n"
        "use syn::parse::Parser;\n\n"
        "#[proc_macro_attribute]\n"
        "pub fn syn_record(args: TokenStream, item: TokenStream) -> TokenStream {\n"
        "    let args = syn::punctuated::Punctuated::<syn::MetaNameValue, syn::Token![,]>::parse_terminated\n"
        "        .parse2(proc_macro2::TokenStream::from(args))\n"
        "        .expect(\"name = value arguments\");\n"
        "    let mut cite = String::new();\n"
        "    for arg in &args {\n"
        "        if arg.path.is_ident(\"cite\")\n"
        "            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &arg.value\n"
        "        {\n"
        "            cite = s.value();\n"
        "        }\n"
        "    }\n"
        "    let trees: Vec<TokenTree> = proc_macro2::TokenStream::from(item).into_iter().collect();\n"
        "    let (body, head) = trees.split_last().expect(\"a function\");\n"
        "    let mut lean: proc_macro2::TokenStream = head.iter().cloned().collect();\n"
        "    lean.extend([TokenTree::Group(Group::new(Delimiter::Brace, Default::default()))]);\n"
        "    let f: syn::ImplItemFn = syn::parse2(lean).expect(\"a method\");\n"
        "    let mut at = 0;\n"
        "    while matches!(trees.get(at), Some(TokenTree::Punct(p)) if p.as_char() == '#') {\n"
        "        at += 2;\n"
        "    }\n"
        f"    let record = format!(\"{{}}[{{cite}}]{{}}\", {json.dumps(head)}, {json.dumps(tail)});\n"
        "    let _ = &f.sig.ident;\n"
        "    let doc: proc_macro2::TokenStream = [\n"
        "        TokenTree::Ident(Ident::new(\"doc\", Span::call_site())),\n"
        "        TokenTree::Punct(Punct::new('=', Spacing::Alone)),\n"
        "        TokenTree::Literal(Literal::string(&record)),\n"
        "    ]\n    .into_iter()\n    .collect();\n"
        "    let mut out: proc_macro2::TokenStream = trees[..at].iter().cloned().collect();\n"
        "    out.extend([\n"
        "        TokenTree::Punct(Punct::new('#', Spacing::Alone)),\n"
        "        TokenTree::Group(Group::new(Delimiter::Bracket, doc)),\n"
        "    ]);\n"
        "    out.extend(head[at..].iter().cloned());\n"
        "    out.extend([body.clone()]);\n"
        "    out.into()\n}\n"
    )
    return crate


def generate(work: Path, variant: str, size: int, distaudit: Path, lockfile: Path | None) -> Path:
    """Write the crate `<variant>-<size>` and return its directory."""
    crate = work / f"{variant}-{size}"
    src = crate / "src"
    if crate.exists():
        shutil.rmtree(crate)
    src.mkdir(parents=True)
    name = f"cb_{variant}_{size}"
    (crate / "Cargo.toml").write_text(
        "[package]\n"
        f'name = "{name}"\n'
        'version = "0.0.0"\n'
        'edition = "2024"\n'
        "publish = false\n\n"
        "[dependencies]\n"
        f"{dependencies(variant, distaudit)}"
        + (f'cb_floor = {{ path = "{floor_macros(work)}" }}\n' if variant in ("passthrough", "record") else "")
        + (f'cb_synfloor = {{ path = "{syn_floor_macro(work, distaudit)}" }}\n' if variant == "syn_record" else "")
        + "\n"
        "# Not part of any enclosing workspace.\n[workspace]\n"
    )
    modules = (size + METHODS_PER_MODULE - 1) // METHODS_PER_MODULE
    lib = ["//! Generated: see bench/compile/compile_bench.py.\n"]
    for i in range(modules):
        count = min(METHODS_PER_MODULE, size - i * METHODS_PER_MODULE)
        (src / f"m{i}.rs").write_text(module_source(variant, i, count))
        lib.append(f"pub mod m{i};\n")
    (src / "lib.rs").write_text("".join(lib))
    if lockfile and lockfile.exists():
        # Same versions of syn, quote, darling, ... as distaudit's own workspace.
        shutil.copy(lockfile, crate / "Cargo.lock")
    return crate


def env_for(target: Path, macro_opt_level: str | None = None) -> dict:
    env = dict(os.environ)
    env["CARGO_TARGET_DIR"] = str(target)
    env["CARGO_INCREMENTAL"] = "0"
    env.pop("RUSTFLAGS", None)
    if macro_opt_level is not None:
        # Proc macros (and build scripts) are compiled with this opt-level instead of
        # cargo's default 0: what `[profile.dev.build-override] opt-level = N` does.
        env["CARGO_PROFILE_DEV_BUILD_OVERRIDE_OPT_LEVEL"] = macro_opt_level
    return env


def run(cmd: list[str], cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)} in {cwd}")
    return p


def timed_v(cmd: list[str], cwd: Path, env: dict) -> tuple[float, int, str]:
    """One run under /usr/bin/time -v: wall seconds, max RSS in KiB, stderr."""
    p = run(["/usr/bin/time", "-v", *cmd], cwd, env)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    return seconds, int(rss.group(1)), p.stderr


def touch(path: Path) -> None:
    now = time.time()
    os.utime(path, (now, now))


PASSES = {
    "expand": "macro_expand_crate",
    "typeck": "type_check_crate",
    "borrowck": "MIR_borrow_checking",
    "total": "total",
}


def time_passes(crate: Path, env: dict) -> dict:
    """Where rustc spends a `cargo check` of the crate: -Z time-passes, once.

    -Z flags need a nightly compiler; RUSTC_BOOTSTRAP=1 unlocks them on stable for this one
    diagnostic run (never for the timed runs)."""
    touch(crate / "src" / "lib.rs")
    env = dict(env, RUSTC_BOOTSTRAP="1")
    p = run(["cargo", "rustc", "--quiet", "--profile", "check", "--", "-Ztime-passes"], crate, env, check=False)
    out = {}
    for key, name in PASSES.items():
        m = None
        for m in re.finditer(r"time:\s+([\d.]+);.*\s" + re.escape(name) + r"$", p.stderr, re.M):
            pass
        if m:
            out[key] = float(m.group(1))
    return out


def measure_check(crate: Path, env: dict, runs: int, mem_runs: int, timer: str) -> dict:
    """Median `cargo check` wall time (deps built, crate touched) and peak memory."""
    lib = crate / "src" / "lib.rs"
    # Build the dependencies, and make sure the crate itself compiles without warnings.
    p = run(["cargo", "check", "--message-format", "short"], crate, env)
    warnings = [l for l in p.stderr.splitlines() if "warning:" in l]
    if warnings:
        sys.stderr.write(f"note: {crate.name} compiles with warnings: {warnings[:3]}\n")
    samples: list[float] = []
    if timer == "hyperfine":
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            export = tmp.name
        run(
            [
                "hyperfine", "--style", "none", "--warmup", "1", "--runs", str(runs),
                "--prepare", f"touch {lib}", "--export-json", export,
                "cargo check --quiet",
            ],
            crate,
            env,
        )
        data = json.loads(Path(export).read_text())
        os.unlink(export)
        samples = list(data["results"][0]["times"])
    else:
        touch(lib)
        run(["cargo", "check", "--quiet"], crate, env)  # warm-up
        for _ in range(runs):
            touch(lib)
            seconds, _, _ = timed_v(["cargo", "check", "--quiet"], crate, env)
            samples.append(seconds)
    rss = []
    for _ in range(mem_runs):
        touch(lib)
        _, kib, _ = timed_v(["cargo", "check", "--quiet"], crate, env)
        rss.append(kib)
    return {
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "max_s": max(samples),
        "samples_s": samples,
        "peak_rss_mib": statistics.median(rss) / 1024 if rss else None,
    }


def measure_deps(work: Path, distaudit: Path, lockfile: Path | None, runs: int, jobs: int | None) -> dict:
    """Clean `cargo build` of distaudit's dependency tree vs syn + quote + darling."""
    crates = {}
    da = work / "deps-distaudit"
    if da.exists():
        shutil.rmtree(da)
    (da / "src").mkdir(parents=True)
    (da / "Cargo.toml").write_text(
        '[package]\nname = "deps_distaudit"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f'[dependencies]\ndistaudit = {{ path = "{distaudit}" }}\n\n[workspace]\n'
    )
    (da / "src" / "lib.rs").write_text("pub use distaudit::coordination;\n")
    crates["distaudit"] = da

    base = work / "deps-baseline"
    if base.exists():
        shutil.rmtree(base)
    (base / "src").mkdir(parents=True)
    versions = locked_versions(lockfile, ["syn", "quote", "darling", "proc-macro2"])
    syn_v = versions.get("syn", "2")
    (base / "Cargo.toml").write_text(
        '[package]\nname = "deps_baseline"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        "[lib]\nproc-macro = true\n\n[dependencies]\n"
        f'syn = {{ version = "{syn_v}", features = ["full"] }}\n'
        f'quote = "{versions.get("quote", "1")}"\n'
        f'proc-macro2 = "{versions.get("proc-macro2", "1")}"\n'
        f'darling = "{versions.get("darling", "0.20")}"\n\n[workspace]\n'
    )
    (base / "src" / "lib.rs").write_text(
        "use proc_macro::TokenStream;\n\n"
        "#[proc_macro_attribute]\n"
        "pub fn noop(_args: TokenStream, item: TokenStream) -> TokenStream {\n"
        "    let item: syn::Item = syn::parse_macro_input!(item);\n"
        "    quote::quote!(#item).into()\n"
        "}\n"
    )
    crates["syn+quote+darling"] = base

    # The tree the expansion-cost issue names: syn (full) + quote + proc-macro2, no darling.
    bare = work / "deps-syn-quote"
    if bare.exists():
        shutil.rmtree(bare)
    (bare / "src").mkdir(parents=True)
    (bare / "Cargo.toml").write_text(
        (base / "Cargo.toml").read_text()
        .replace('name = "deps_baseline"', 'name = "deps_syn_quote"')
        .replace(f'darling = "{versions.get("darling", "0.20")}"\n', "")
    )
    (bare / "src" / "lib.rs").write_text((base / "src" / "lib.rs").read_text())
    crates["syn+quote+proc-macro2"] = bare

    out = {}
    for label, crate in crates.items():
        if lockfile and lockfile.exists():
            shutil.copy(lockfile, crate / "Cargo.lock")
        target = work / f"target-{crate.name}"
        env = env_for(target)
        run(["cargo", "fetch", "--quiet"], crate, env)
        cmd = ["cargo", "build", "--quiet"] + (["-j", str(jobs)] if jobs else [])
        samples, rss = [], []
        for _ in range(runs):
            shutil.rmtree(target, ignore_errors=True)
            seconds, kib, _ = timed_v(cmd, crate, env)
            samples.append(seconds)
            rss.append(kib)
        p = run(["cargo", "tree", "--edges", "normal,build", "--prefix", "none"], crate, env)
        units = sorted({l.split(" (")[0].strip() for l in p.stdout.splitlines() if l.strip()})
        out[label] = {
            "median_s": statistics.median(samples),
            "samples_s": samples,
            "peak_rss_mib": max(rss) / 1024,
            "packages": len(units),
        }
    return out


def locked_versions(lockfile: Path | None, names: list[str]) -> dict:
    """The highest locked version of each name in a Cargo.lock."""
    if not lockfile or not lockfile.exists():
        return {}
    text = lockfile.read_text()
    found: dict[str, list[tuple[int, ...]]] = {}
    for m in re.finditer(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"', text):
        name, version = m.groups()
        if name in names:
            nums = tuple(int(x) for x in re.findall(r"\d+", version.split("-")[0]))
            found.setdefault(name, []).append(nums)
    return {k: ".".join(map(str, max(v))) for k, v in found.items()}


def tree_hash(root: Path) -> str:
    """A hash of distaudit's sources, to say exactly what was measured."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts and rel.parts[0] in ("target", ".git", "bench", "examples", "tests"):
            continue
        if path.is_file() and path.suffix in (".rs", ".toml", ".md"):
            h.update(str(rel).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def snapshot(src: Path, work: Path) -> Path:
    dst = work / "distaudit-snapshot"
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("target", ".git", "proptest-regressions"))
    return dst


def machine() -> dict:
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": out(["nproc"]),
        "mem": out(["free", "-g"]).splitlines()[1].split()[1] + " GiB" if out(["free", "-g"]) else "?",
        "rustc": out(["rustc", "-V"]),
        "cargo": out(["cargo", "-V"]),
        "cpu": next(
            (l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
             if l.startswith("model name")),
            platform.processor(),
        ) if Path("/proc/cpuinfo").exists() else platform.processor(),
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def report(results: dict, sizes: list[int], variants: list[str]) -> str:
    lines = []
    lines.append("## cargo check (deps built, crate touched, CARGO_INCREMENTAL=0)\n")
    lines.append("| N | variant | median s | min-max s | peak RSS MiB | overhead vs plain, ms/item | marginal, ms/item |")
    lines.append("|---:|---|---:|---:|---:|---:|---:|")
    for i, n in enumerate(sizes):
        plain = results.get(f"plain-{n}")
        smaller = sizes[i - 1] if i > 0 else None
        for v in variants:
            r = results.get(f"{v}-{n}")
            if not r:
                continue
            over = ""
            if plain and v != "plain":
                over = f"{(r['median_s'] - plain['median_s']) * 1000 / n:.3f}"
            rss = f"{r['peak_rss_mib']:.0f}" if r.get("peak_rss_mib") else ""
            # The slope from the next smaller N, net of plain's: the per-item cost without the
            # fixed costs (loading the macro, parsing the registry once per process).
            marginal = ""
            if smaller and v != "plain":
                rs, ps = results.get(f"{v}-{smaller}"), results.get(f"plain-{smaller}")
                if rs and ps and plain:
                    extra = (r["median_s"] - plain["median_s"]) - (rs["median_s"] - ps["median_s"])
                    marginal = f"{extra * 1000 / (n - smaller):.3f}"
            lines.append(
                f"| {n} | {v} | {r['median_s']:.2f} | {r['min_s']:.2f}-{r['max_s']:.2f} | {rss} | {over} | {marginal} |"
            )
    if any("passes_s" in r for r in results.values()):
        lines.append("")
        lines.append("## where rustc spends it (-Z time-passes, one run, seconds)\n")
        lines.append("| N | variant | expand | type check | borrow check | rustc total |")
        lines.append("|---:|---|---:|---:|---:|---:|")
        for n in sizes:
            for v in variants:
                r = results.get(f"{v}-{n}")
                if not r or "passes_s" not in r:
                    continue
                p = r["passes_s"]
                cells = " | ".join(f"{p[k]:.3f}" if k in p else "" for k in PASSES)
                lines.append(f"| {n} | {v} | {cells} |")
    lines.append("")
    lines.append("## distaudit's per-item overhead against the peers' (ratio of overheads)\n")
    lines.append("| N | gate / contracts | invariant / contracts | gate / tracing | invariant / tracing |")
    lines.append("|---:|---:|---:|---:|---:|")
    for n in sizes:
        plain = results.get(f"plain-{n}")
        if not plain:
            continue

        def over(v):
            r = results.get(f"{v}-{n}")
            return None if not r else r["median_s"] - plain["median_s"]

        def ratio(a, b):
            x, y = over(a), over(b)
            return "" if x is None or y is None or y <= 0 else f"{x / y:.2f}"

        lines.append(
            f"| {n} | {ratio('gate', 'contracts')} | {ratio('invariant', 'contracts')} | "
            f"{ratio('gate', 'tracing')} | {ratio('invariant', 'tracing')} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000", help="comma-separated N (default: 100,1000)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, from: " + ",".join(VARIANTS))
    ap.add_argument("--runs", type=int, default=5, help="timed runs per crate (median reported)")
    ap.add_argument("--mem-runs", type=int, default=1, help="extra /usr/bin/time -v runs for peak memory")
    ap.add_argument("--timer", choices=["auto", "hyperfine", "time"], default="auto")
    ap.add_argument("--distaudit", default="/work/main", help="distaudit's source tree")
    ap.add_argument("--snapshot", action="store_true", help="copy --distaudit first and depend on the copy")
    ap.add_argument("--work", default="/tmp/distaudit-compile-bench", help="where crates are generated")
    ap.add_argument("--deps", action="store_true", help="also time clean builds of the dependency trees")
    ap.add_argument("--deps-runs", type=int, default=3)
    ap.add_argument("--deps-jobs", type=int, default=None, help="-j for the clean builds")
    ap.add_argument("--no-check", action="store_true", help="skip the cargo check matrix (with --deps)")
    ap.add_argument("--passes", action="store_true",
                    help="also split each crate's check into expansion / type check / borrow check "
                         "(rustc -Z time-passes through RUSTC_BOOTSTRAP=1, one extra run)")
    ap.add_argument("--macro-opt-level", default=None,
                    help="compile proc macros with this opt-level (cargo's default is 0); uses its own target dir")
    ap.add_argument("--json", help="write all results as JSON here")
    args = ap.parse_args()

    sizes = [int(s) for s in args.sizes.split(",") if s]
    variants = [v for v in args.variants.split(",") if v]
    for v in variants:
        if v not in VARIANTS:
            raise SystemExit(f"unknown variant {v}; choose from {VARIANTS}")
    timer = args.timer
    if timer == "auto":
        timer = "hyperfine" if shutil.which("hyperfine") else "time"
    if not Path("/usr/bin/time").exists():
        raise SystemExit("/usr/bin/time is needed (apt-get install time)")

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    source = Path(args.distaudit).resolve()
    lockfile = source / "Cargo.lock"
    distaudit = snapshot(source, work) if args.snapshot else source
    info = machine()
    info["timer"] = timer
    info["distaudit"] = str(distaudit)
    info["distaudit_sources_sha256"] = tree_hash(distaudit)
    head = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    info["commit"] = head.stdout.strip() or "?"
    print(json.dumps(info, indent=2), flush=True)

    results: dict = {}
    if not args.no_check:
        target = work / ("target" if args.macro_opt_level is None else f"target-macro-o{args.macro_opt_level}")
        env = env_for(target, args.macro_opt_level)
        info["macro_opt_level"] = args.macro_opt_level or "0 (cargo default)"
        for n in sizes:
            for v in variants:
                crate = generate(work, v, n, distaudit, lockfile)
                t0 = time.time()
                r = measure_check(crate, env, args.runs, args.mem_runs, timer)
                if args.passes:
                    r["passes_s"] = time_passes(crate, env)
                results[f"{v}-{n}"] = r
                print(
                    f"{v:>10} N={n:<5} median {r['median_s']:.3f}s "
                    f"[{r['min_s']:.3f}-{r['max_s']:.3f}] rss {r['peak_rss_mib'] or 0:.0f} MiB "
                    f"({time.time() - t0:.0f}s)",
                    flush=True,
                )
        print()
        print(report(results, sizes, variants))

    deps = None
    if args.deps:
        deps = measure_deps(work, distaudit, lockfile, args.deps_runs, args.deps_jobs)
        print("## clean `cargo build` of the dependency tree\n")
        print("| tree | packages | median s | runs s | peak RSS MiB |")
        print("|---|---:|---:|---|---:|")
        for label, r in deps.items():
            runs = ", ".join(f"{s:.1f}" for s in r["samples_s"])
            print(f"| {label} | {r['packages']} | {r['median_s']:.1f} | {runs} | {r['peak_rss_mib']:.0f} |")
        print()
        for label, r in deps.items():
            if label != "distaudit":
                print(f"distaudit / {label}: {deps['distaudit']['median_s'] / r['median_s']:.2f}x")

    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "check": results, "deps": deps}, indent=2))


if __name__ == "__main__":
    main()
