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
GATE = "#[cfg(any(debug_assertions, test))]"
OWNER = "::core::option::Option::None"
# The expansion as distaudit emits it (doc attribute left out), with @..@ holes for the
# pieces the ablations replace.
SKELETON = """
    pub fn advance_{n}(&mut self, seen: u64) -> u64 {{
        """ + GATE + """
        let distaudit_before_0 = ::distaudit::__private::snapshot(&(self.epoch));
        let distaudit_ret: u64 = {{ """ + BODY + """ }};
        @EXIT@
        distaudit_ret
    }}
"""
SITE_FIELDS = 'module: ::core::module_path!(), item: "advance_{n}", invariant: "strictly_increasing(self.epoch)", upholds: "fencing, burrows-2006"'
STATIC_SITE = "static DISTAUDIT_SITE_0: ::distaudit::__private::Site = ::distaudit::__private::Site {{ " + SITE_FIELDS + " }};"
DESCRIBER = "::distaudit::__describer!(&distaudit_before_0)"
NO_DESCRIBER = "crate::stand_in::opaque::<u64>"
# The describer macro's expansion written out: what the macro_rules step costs.
DESCRIBER_INLINE = ("{{ #[allow(unused_imports)] use ::distaudit::__private::{{DescribeClear as _, DescribeDebug as _, "
                    "DescribeKey as _, DescribeOpaque as _, DescribeOptKey as _}}; "
                    "(&&&&&::distaudit::__private::Probe::of(&distaudit_before_0)).describer() }}")
# Autoderef specialisation over inherent methods: no `use` at the site.
DESCRIBER_DEREF = "crate::stand_in::probe(&distaudit_before_0).describer()"
# A two-level probe (clear text, else opaque): what each level of autoref costs.
DESCRIBER_TWO = ("{{ #[allow(unused_imports)] use ::distaudit::__private::{{DescribeClear as _, DescribeOpaque as _}}; "
                 "(&&&&&::distaudit::__private::Probe::of(&distaudit_before_0)).describer() }}")
COUNT = "::distaudit::__private::count_check();"


def block_exit(site_static: bool, describer: str, count: bool) -> str:
    site = STATIC_SITE if site_static else ""
    site_ref = "&DISTAUDIT_SITE_0" if site_static else "&::distaudit::__private::Site {{ " + SITE_FIELDS + " }}"
    return (GATE + """
        #[allow(unused_variables, clippy::shadow_unrelated)]
        let distaudit_ret = {{ {{
            let ret = distaudit_ret;
            """ + site + """
            let distaudit_after = &(self.epoch);
            if !(::core::cmp::PartialOrd::gt(distaudit_after, &distaudit_before_0)) {{
                ::distaudit::__private::violated_compare(""" + site_ref + ", " + OWNER
            + ', "did not increase", &distaudit_before_0, distaudit_after, ' + describer + """)
            }}
            """ + (COUNT if count else "") + """
            ret
        }} }};""")


def helper_exit(describer: str, site: str = "promoted") -> str:
    if site == "static":
        return (GATE + "\n        {{ " + STATIC_SITE + "crate::stand_in::increased(&DISTAUDIT_SITE_0, " + OWNER
                + ", &distaudit_before_0, &(self.epoch), " + describer + "); }}")
    return (GATE + "\n        crate::stand_in::increased(&::distaudit::__private::Site {{ " + SITE_FIELDS
            + " }}, " + OWNER + ", &distaudit_before_0, &(self.epoch), " + describer + ");")


STAND_IN = """
/// Stand-ins for proposed `distaudit::__private` helpers.
pub mod stand_in {
    /// One call per check: the comparison inline, the report out of line.
    #[inline]
    #[track_caller]
    pub fn increased<T: PartialOrd + ?Sized>(
        site: &'static ::distaudit::__private::Site,
        owner: Option<&str>,
        before: &T,
        after: &T,
        describe: fn(&T) -> String,
    ) {
        if !(after > before) {
            ::distaudit::__private::violated_compare(site, owner, "did not increase", before, after, describe)
        }
    }
    /// Autoderef specialisation with inherent methods: no trait to import at the site.
    pub struct P0<T: ?Sized>(core::marker::PhantomData<fn(&T)>);
    pub struct P1<T: ?Sized>(P0<T>);
    pub struct P2<T: ?Sized>(P1<T>);
    pub struct P3<T: ?Sized>(P2<T>);
    impl<T: ?Sized> core::ops::Deref for P3<T> { type Target = P2<T>; fn deref(&self) -> &P2<T> { &self.0 } }
    impl<T: ?Sized> core::ops::Deref for P2<T> { type Target = P1<T>; fn deref(&self) -> &P1<T> { &self.0 } }
    impl<T: ?Sized> core::ops::Deref for P1<T> { type Target = P0<T>; fn deref(&self) -> &P0<T> { &self.0 } }
    impl<T: core::fmt::Display + ?Sized> P3<T> { pub fn describer(&self) -> fn(&T) -> String { |v| v.to_string() } }
    impl<T: AsRef<[u8]> + ?Sized> P2<T> { pub fn describer(&self) -> fn(&T) -> String { |v| v.as_ref().len().to_string() } }
    impl<T: core::fmt::Debug + ?Sized> P1<T> { pub fn describer(&self) -> fn(&T) -> String { |v| format!("{v:?}") } }
    impl<T: ?Sized> P0<T> { pub fn describer(&self) -> fn(&T) -> String { |_| String::new() } }
    pub fn probe<T: ?Sized>(_: &T) -> P3<T> { P3(P2(P1(P0(core::marker::PhantomData)))) }
    /// A describer that needs no probe.
    pub fn opaque<T: ?Sized>(_: &T) -> String {
        String::new()
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


def expansion(exit: str) -> str:
    return SKELETON.replace("@EXIT@", exit)


VARIANTS = {
    "plain": PLAIN,
    "hand_debug_assert": HAND,
    "generated": expansion(block_exit(True, DESCRIBER, True)),
    "no_count": expansion(block_exit(True, DESCRIBER, False)),
    "no_static": expansion(block_exit(False, DESCRIBER, True)),
    "no_describer": expansion(block_exit(True, NO_DESCRIBER, True)),
    "helper": expansion(helper_exit(DESCRIBER)),
    "helper_no_describer": expansion(helper_exit(NO_DESCRIBER)),
    "helper_static_site": expansion(helper_exit(DESCRIBER, "static")),
    "helper_probe_deref": expansion(helper_exit(DESCRIBER_DEREF)),
    "helper_probe_inline": expansion(helper_exit(DESCRIBER_INLINE)),
    "helper_probe_two": expansion(helper_exit(DESCRIBER_TWO)),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--distaudit", default="/work/main")
    ap.add_argument("--work", default="/tmp/distaudit-what-costs")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, from: " + ",".join(VARIANTS))
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CARGO_TARGET_DIR=str(work / "target"), CARGO_INCREMENTAL="0")
    results = {}
    chosen = args.variants.split(",")
    if "plain" not in chosen:
        chosen.insert(0, "plain")
    for name in chosen:
        template = VARIANTS[name]
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
            f"impl Node {{\n{methods}}}\n" + STAND_IN
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
