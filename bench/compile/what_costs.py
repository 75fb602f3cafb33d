#!/usr/bin/env python3
"""What in distaudit's generated code costs `cargo check` time: an ablation.

The `invariant` variant of compile_bench.py pays twice: running the proc macro (expansion)
and type-checking what it generates. This script measures the second part alone, and what
each piece of it costs, by compiling N methods whose bodies are written-out copies of the
expansion of

    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(strictly_increasing = "self.epoch"))]
    pub fn advance_N(&mut self, seen: u64) -> u64 { .. }

(as distaudit expanded it at the commit docs/benchmarks.md names; the doc attribute is left
out: rustc reads a 1 KB doc literal at no measurable cost), then with one piece removed or
replaced at a time. No proc macro runs: every difference is type check, borrow check and
the rest of rustc's front end. The crates depend on distaudit (for `__private`) by path.

  plain                  the body alone (the floor)
  hand_debug_assert      the same check by hand: `let before = ..; ..; debug_assert!(..)`
  generated              the expansion as distaudit emits it
  no_describe            the report's two `__describe!` (autoref-specialised) replaced by `{:?}`
  no_format              no `format!` at all: a static message
  no_closure             the expansion with the body inlined instead of run in a closure
  no_format_no_closure   both
  outlined               a proposal: no closure, the whole report in one generic #[cold]
                         function (a stand-in for a `__private` helper), so each site only
                         calls it

Usage: bench/compile/what_costs.py [--n 1000] [--runs 5] [--distaudit /work/main]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

BODY = "let next = self.epoch.max(seen) + 1; self.epoch = next; next"
SKELETON = """
    pub fn advance_{n}(&mut self, seen: u64) -> u64 {{
        let distaudit_on: bool = ::core::cfg!(any(debug_assertions, test));
        let distaudit_before_0 = if distaudit_on {{ ::core::option::Option::Some(::distaudit::__private::snapshot(&(self.epoch))) }} else {{ ::core::option::Option::None }};
        let distaudit_ret = @CALL@;
        #[allow(unused_variables, clippy::shadow_unrelated)]
        {{
            if let (::core::option::Option::Some(distaudit_before_0),) = (distaudit_before_0,) {{
                let ret = &distaudit_ret;
                static DISTAUDIT_SITE_0: ::distaudit::__private::Site = ::distaudit::__private::Site {{ module: ::core::module_path!(), item: "advance_{n}", invariant: "strictly_increasing(self.epoch)", upholds: "fencing, burrows-2006" }};
                let distaudit_after = &(self.epoch);
                if !(::core::cmp::PartialOrd::gt(distaudit_after, &distaudit_before_0)) {{
                    @REPORT@
                }}
            }}
        }}
        distaudit_ret
    }}
"""
CLOSURE = "::distaudit::__private::call::<u64, _>(|| {{ " + BODY + " }})"
INLINE = "{{ " + BODY + " }}"
OWNER = "::core::option::Option::Some(::core::any::type_name::<Self>())"
REPORT = {
    "full": "::distaudit::__private::violated(&DISTAUDIT_SITE_0, " + OWNER + ", &::std::format!("
            "concat!(\"did not increase\", \": before {{}}, after {{}}\"), "
            "::distaudit::__describe!(&distaudit_before_0), ::distaudit::__describe!(distaudit_after)))",
    "debug": "::distaudit::__private::violated(&DISTAUDIT_SITE_0, " + OWNER + ", &::std::format!("
             "concat!(\"did not increase\", \": before {{:?}}, after {{:?}}\"), "
             "distaudit_before_0, distaudit_after))",
    "static": "::distaudit::__private::violated(&DISTAUDIT_SITE_0, " + OWNER + ", \"did not increase\")",
    "outlined": "crate::stand_in::order_violated(&DISTAUDIT_SITE_0, " + OWNER
                + ", \"did not increase\", &distaudit_before_0, distaudit_after)",
}
STAND_IN = """
/// Stand-in for a `distaudit::__private` helper: the report, out of line, once per type.
pub mod stand_in {
    #[cold]
    #[inline(never)]
    #[track_caller]
    pub fn order_violated<T: ?Sized>(
        site: &::distaudit::__private::Site,
        owner: Option<&str>,
        what: &str,
        before: &T,
        after: &T,
    ) -> ! {
        let _ = (before, after);
        let detail = format!("{what}: before <{}>, after <{}>", core::any::type_name::<T>(), core::any::type_name::<T>());
        ::distaudit::__private::violated(site, owner, &detail)
    }
}
"""
PLAIN = """
    pub fn advance_{n}(&mut self, seen: u64) -> u64 {{
        """ + BODY + """
    }}
"""
HAND = """
    pub fn advance_{n}(&mut self, seen: u64) -> u64 {{
        let before = self.epoch;
        let next = self.epoch.max(seen) + 1;
        self.epoch = next;
        debug_assert!(self.epoch > before, "strictly_increasing(self.epoch) violated");
        next
    }}
"""


def expansion(call: str, report: str) -> str:
    return SKELETON.replace("@CALL@", call).replace("@REPORT@", REPORT[report])


VARIANTS = {
    "plain": PLAIN,
    "hand_debug_assert": HAND,
    "generated": expansion(CLOSURE, "full"),
    "no_describe": expansion(CLOSURE, "debug"),
    "no_format": expansion(CLOSURE, "static"),
    "no_closure": expansion(INLINE, "full"),
    "no_format_no_closure": expansion(INLINE, "static"),
    "outlined": expansion(INLINE, "outlined"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--distaudit", default="/work/main")
    ap.add_argument("--work", default="/tmp/distaudit-what-costs")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CARGO_TARGET_DIR=str(work / "target"), CARGO_INCREMENTAL="0")
    results = {}
    for name, template in VARIANTS.items():
        crate = work / name
        shutil.rmtree(crate, ignore_errors=True)
        (crate / "src").mkdir(parents=True)
        (crate / "Cargo.toml").write_text(
            f'[package]\nname = "wc_{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
            f'[dependencies]\ndistaudit = {{ path = "{args.distaudit}" }}\n\n[workspace]\n'
        )
        methods = "".join(template.format(n=i) for i in range(args.n))
        (crate / "src" / "lib.rs").write_text(
            "#![allow(clippy::all)]\n#[derive(Debug, Default)]\npub struct Node { pub epoch: u64 }\n"
            f"impl Node {{\n{methods}}}\n" + (STAND_IN if name == "outlined" else "")
        )
        subprocess.run(["cargo", "check", "-q"], cwd=crate, env=env, check=True)
        lib = crate / "src" / "lib.rs"
        samples = []
        if shutil.which("hyperfine"):
            export = work / "h.json"
            subprocess.run(["hyperfine", "--style", "none", "-w", "1", "-r", str(args.runs),
                            "--prepare", f"touch {lib}", "--export-json", str(export), "cargo check -q"],
                           cwd=crate, env=env, check=True, capture_output=True)
            samples = json.loads(export.read_text())["results"][0]["times"]
        else:
            import time
            for _ in range(args.runs + 1):
                os.utime(lib)
                t = time.perf_counter()
                subprocess.run(["cargo", "check", "-q"], cwd=crate, env=env, check=True)
                samples.append(time.perf_counter() - t)
            samples = samples[1:]
        results[name] = statistics.median(samples)
    plain = results["plain"]
    print(f"| body (N = {args.n}) | cargo check median s | over plain, ms/item |")
    print("|---|---:|---:|")
    for name, t in results.items():
        print(f"| {name} | {t:.3f} | {(t - plain) * 1000 / args.n:.3f} |")


if __name__ == "__main__":
    main()
