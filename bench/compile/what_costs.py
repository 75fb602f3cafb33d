#!/usr/bin/env python3
"""What in distaudit's generated code costs `cargo check` time: an ablation.

The `invariant` variant of compile_bench.py pays twice: running the proc macro (expansion)
and type-checking what it generates. This script measures the second part alone, and what
each piece of it costs, by compiling N methods whose bodies are written-out copies of the
expansion of

    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(strictly_increasing = "self.epoch"))]
    pub fn advance_N(&mut self, seen: u64) -> u64 { .. }

as distaudit expands it today (the doc attribute left out), then with one piece removed or
replaced at a time. No proc macro runs: every difference is type check, borrow check and
the rest of rustc's front end. The crates depend on distaudit (for `__private`) by path.
The macro's own time is compile_bench.py's `invariant` overhead minus `generated` here.

  plain                the body alone (the floor)
  hand_debug_assert    the same check by hand: `let before = ..; ..; debug_assert!(..)`
  generated            the expansion as distaudit emits it: an entry snapshot, one call of
                       `__private::increased::<Self, _>` with the site as four strings and
                       the describer chosen by `probe(..).describer()` (autoderef over
                       inherent methods)
  autoref_describer    the describer chosen an earlier way: five traits imported in a
                       block and five levels of autoref (a stand-in of the same shape)
  no_describer         a describer that needs no probe (a generic function)
  no_owner             `NoOwner` for the owner type instead of `Self`
  site_no_module_path  a literal instead of `module_path!()` among the site's strings
  site_literal         the earlier call: a promoted `Site` struct literal and the owner as
                       `Some(type_name::<Self>())` (a stand-in helper of the same shape)
  static_site          the same with the `Site` as a `static` item per check
  inline_check         the comparison and report written at the site (`if !(a > b) {
                       violated_compare(..) }`) instead of one helper call
  site_as_text         the site as two strings (module; item, invariant and upholds joined)
  bare_call            one generic helper call with no site, owner or describer (its
                       report is a panic): the floor of the one-call design
  ensures_*            the same for `ensures(holds = "self.epoch > old(self.epoch)")`:
                       as emitted, sides bound by `let`, no sides described, `()` owner,
                       the snapshot as a free function

It also reports each crate's peak RSS (one more check under /usr/bin/time -v).

Usage: bench/compile/what_costs.py [--n 1000] [--runs 5] [--distaudit /work/main]
                                   [--variants generated,no_describer,..]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

BODY = "let next = self.epoch.max(seen) + 1; self.epoch = next; next"
GATE = "#[cfg(any(debug_assertions, test))]"
P = "::distaudit::__private"
# As the attribute emits them for a method: the owner as a type argument (`Self` where the
# macro cannot see the type; `()` where it can), the site as four strings.
OWNER = "Self"
SITE_ARGS = '::core::module_path!(), "advance_{n}", "strictly_increasing(self.epoch)", "fencing, burrows-2006"'
# The earlier form, for the ablation: a `Site` literal and `Some(type_name::<Self>())`.
OWNER_VALUE = "::core::option::Option::Some(::core::any::type_name::<Self>())"
SITE_FIELDS = ('module: ::core::module_path!(), item: "advance_{n}", '
               'invariant: "strictly_increasing(self.epoch)", upholds: "fencing, burrows-2006"')
PROMOTED_SITE = "&" + P + "::Site {{ " + SITE_FIELDS + " }}"
STATIC_SITE = "static DISTAUDIT_SITE_0: " + P + "::Site = " + P + "::Site {{ " + SITE_FIELDS + " }};"
DESCRIBER = P + "::probe(&distaudit_before_0).describer()"
NO_DESCRIBER = "crate::stand_in::opaque::<u64>"
AUTOREF_DESCRIBER = ("{{ #[allow(unused_imports)] use crate::stand_in::{{Clear as _, Key as _, OptKey as _, "
                     "Dbg as _, Opaque as _}}; (&&&&&crate::stand_in::Probe::of(&distaudit_before_0)).describer() }}")


def expansion(describer: str = DESCRIBER, owner: str = OWNER, site_args: str = SITE_ARGS,
              check: str | None = None, prelude: str = "") -> str:
    """The `invariant` variant's expansion (`invariant(strictly_increasing = "self.epoch")`)
    as distaudit emits it, or with `check` (DESCRIBER stands for the describer) instead."""
    if check is None:
        check = (P + "::increased::<" + owner + ", _>(" + site_args
                 + ", &distaudit_before_0, &(self.epoch), DESCRIBER);")
    check = check.replace("DESCRIBER", describer)
    return ("""
    pub fn advance_{n}(&mut self, seen: u64) -> u64 {{
        """ + GATE + """
        let distaudit_before_0 = """ + P + """::snapshot(&(self.epoch));
        let distaudit_ret: u64 = {{ """ + BODY + """ }};
        """ + GATE + """
        #[allow(unused_variables, clippy::shadow_unrelated)]
        {{ """ + prelude + check + """ }}
        distaudit_ret
    }}
""")


def ensures(form: str = "operator", owner: str = OWNER, snapshot: str = P + "::Snapshot::snapshot") -> str:
    """The `ensures_old` variant's expansion (`ensures(holds = "self.epoch > old(self.epoch)")`)
    as distaudit emits it (`form="operator"`: the operator's helper compares the sides, each
    an argument with its describer), or an earlier or reduced form: `"matched"` (the sides
    bound by `match`, compared at the site, one describer probe each, as before 2026-11-25
    fourth stop), `"let"` (the same, bound by `let`), `"no_sides"` (a `bool`, no sides)."""
    site = ('::core::module_path!(), "advance_{n}", "ensures holds(self.epoch > old(self.epoch))", '
            '"bacon-2017"')
    if form == "operator":
        check = (P + "::held_gt::<" + owner + ", _, _>(" + site + ", \"false on exit\", "
                 + P + "::probe(&(self.epoch)).side(), " + P + "::probe(&(distaudit_old_0)).side());")
    elif form in ("matched", "let"):
        call = ("crate::stand_in::held_sides::<" + owner + ", _, _>(" + site
                + ", *distaudit_left > *distaudit_right, \"false on exit\", distaudit_left, "
                + P + "::probe(distaudit_left).describer(), distaudit_right, "
                + P + "::probe(distaudit_right).describer())")
        if form == "matched":
            check = ("match (&(self.epoch), &(distaudit_old_0)) {{ (distaudit_left, distaudit_right) => "
                     + call + ", }}")
        else:
            check = "let distaudit_left = &(self.epoch); let distaudit_right = &(distaudit_old_0); " + call + ";"
    else:
        check = P + "::held::<" + owner + ">(" + site + ", self.epoch > distaudit_old_0, \"false on exit\");"
    return ("""
    pub fn advance_{n}(&mut self, seen: u64) -> u64 {{
        """ + GATE + """
        let distaudit_old_0 = """ + snapshot + """(&(self.epoch));
        let distaudit_ret: u64 = {{ """ + BODY + """ }};
        """ + GATE + """
        #[allow(unused_variables, clippy::shadow_unrelated)]
        {{ """ + check + """ }}
        distaudit_ret
    }}
""")


STAND_IN = """
/// Stand-ins for the ablations.
pub mod stand_in {
    /// The earlier calling form: a `Site` and the owner's name as values.
    #[inline]
    #[track_caller]
    pub fn inc_site<T: PartialOrd + ?Sized>(
        site: &distaudit::__private::Site, owner: Option<&str>, before: &T, after: &T,
        describe: fn(&T) -> String,
    ) {
        let held = after > before;
        if !held {
            distaudit::__private::violated_compare(site, owner, "did not increase", before, after, describe);
        }
    }
    /// The site as two strings (module, and item/invariant/upholds joined), the owner as a
    /// type parameter: no struct literal to promote.
    #[inline]
    #[track_caller]
    pub fn inc_text<O: ?Sized, T: PartialOrd + ?Sized>(
        module: &'static str, text: &'static str, before: &T, after: &T, describe: fn(&T) -> String,
    ) {
        if !(after > before) {
            let mut parts = text.split('\\u{1f}');
            let site = distaudit::__private::Site {
                module,
                item: parts.next().unwrap_or(""),
                invariant: parts.next().unwrap_or(""),
                upholds: parts.next().unwrap_or(""),
            };
            let _ = site;
            panic!("{}", core::any::type_name::<O>());
        }
    }
    /// One helper call with nothing to report but a panic: the floor of a call per check.
    #[inline]
    pub fn increased<T: PartialOrd + ?Sized>(before: &T, now: &T) {
        if !(now > before) {
            panic!("did not increase")
        }
    }
    /// The earlier comparison helper: the sides bound and compared at the site, the result
    /// and both sides with their describers passed in.
    #[inline]
    #[track_caller]
    #[allow(clippy::too_many_arguments)]
    pub fn held_sides<O: ?Sized, L: ?Sized, R: ?Sized>(
        module: &'static str, item: &'static str, invariant: &'static str, upholds: &'static str,
        held: bool, what: &str, left: &L, describe_left: fn(&L) -> String, right: &R,
        describe_right: fn(&R) -> String,
    ) {
        if !held {
            panic!("{module}{item}{invariant}{upholds}{what}{}{}{}", describe_left(left), describe_right(right),
                   core::any::type_name::<O>());
        }
    }
    /// The comparison in the helper, the describers as closures (type-checked after the
    /// other arguments, so both sides' types are known when the probes resolve).
    #[inline]
    #[track_caller]
    #[allow(clippy::too_many_arguments)]
    pub fn gt_late<O: ?Sized, L: PartialOrd<R> + ?Sized, R: ?Sized>(
        module: &'static str, item: &'static str, invariant: &'static str, upholds: &'static str,
        what: &str, left: &L, right: &R, describe_left: fn(&L) -> String, describe_right: fn(&R) -> String,
    ) {
        if !PartialOrd::gt(left, right) {
            panic!("{module}{item}{invariant}{upholds}{what}{}{}{}", describe_left(left), describe_right(right),
                   core::any::type_name::<O>());
        }
    }
    /// A describer that needs no probe.
    pub fn opaque<T: ?Sized>(_: &T) -> String {
        String::new()
    }
    /// The autoref probe of earlier releases, in the same shape: five traits, five levels.
    pub struct Probe<T: ?Sized>(core::marker::PhantomData<fn(&T)>);
    impl<T: ?Sized> Probe<T> {
        pub fn of(_: &T) -> Self {
            Probe(core::marker::PhantomData)
        }
    }
    pub trait Clear<T: ?Sized> { fn describer(&self) -> fn(&T) -> String; }
    impl<T: core::fmt::Display + ?Sized> Clear<T> for &&&&Probe<T> { fn describer(&self) -> fn(&T) -> String { |v| v.to_string() } }
    pub trait Key<T: ?Sized> { fn describer(&self) -> fn(&T) -> String; }
    impl<T: AsRef<[u8]> + ?Sized> Key<T> for &&&Probe<T> { fn describer(&self) -> fn(&T) -> String { |v| v.as_ref().len().to_string() } }
    pub trait OptKey<T: ?Sized> { fn describer(&self) -> fn(&T) -> String; }
    impl<K: AsRef<[u8]>> OptKey<Option<K>> for &&Probe<Option<K>> { fn describer(&self) -> fn(&Option<K>) -> String { |_| String::new() } }
    pub trait Dbg<T: ?Sized> { fn describer(&self) -> fn(&T) -> String; }
    impl<T: core::fmt::Debug + ?Sized> Dbg<T> for &Probe<T> { fn describer(&self) -> fn(&T) -> String { |v| format!("{v:?}") } }
    pub trait Opaque<T: ?Sized> { fn describer(&self) -> fn(&T) -> String; }
    impl<T: ?Sized> Opaque<T> for Probe<T> { fn describer(&self) -> fn(&T) -> String { |_| String::new() } }
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

VARIANTS = {
    "plain": PLAIN,
    "hand_debug_assert": HAND,
    "generated": expansion(),
    "autoref_describer": expansion(describer=AUTOREF_DESCRIBER),
    "no_describer": expansion(describer=NO_DESCRIBER),
    "no_owner": expansion(owner=P + "::NoOwner"),
    "site_no_module_path": expansion(site_args=SITE_ARGS.replace("::core::module_path!()", '"m"')),
    # The earlier forms of the call: a promoted `Site` literal and the owner's name as a value
    # (what the attribute emitted until the site became arguments), a `static` per check, and
    # the comparison written at the site.
    "site_literal": expansion(check="crate::stand_in::inc_site(" + PROMOTED_SITE + ", " + OWNER_VALUE
                              + ", &distaudit_before_0, &(self.epoch), DESCRIBER);"),
    "static_site": expansion(prelude=STATIC_SITE,
                             check="crate::stand_in::inc_site(&DISTAUDIT_SITE_0, " + OWNER_VALUE
                             + ", &distaudit_before_0, &(self.epoch), DESCRIBER);"),
    "inline_check": expansion(check="if !(::core::cmp::PartialOrd::gt(&(self.epoch), &distaudit_before_0)) {{ "
                              + P + "::violated_compare(" + PROMOTED_SITE + ", " + OWNER_VALUE
                              + ', "did not increase", &distaudit_before_0, &(self.epoch), DESCRIBER) }}'),
    "site_as_text": expansion(check="crate::stand_in::inc_text::<Self, _>(::core::module_path!(), "
                              "\"advance_{n}\\u{{1f}}strictly_increasing(self.epoch)\\u{{1f}}fencing, burrows-2006\", "
                              "&distaudit_before_0, &(self.epoch), DESCRIBER);"),
    "bare_call": expansion(check="crate::stand_in::increased(&distaudit_before_0, &(self.epoch));"),
    # ensures(holds = "self.epoch > old(self.epoch)"), and what each piece of it costs.
    "ensures_generated": ensures(),
    "ensures_matched_sides": ensures(form="matched"),
    "ensures_let_sides": ensures(form="let"),
    "ensures_no_sides": ensures(form="no_sides"),
    "ensures_no_owner": ensures(owner=P + "::NoOwner"),
    "ensures_closure_describers": ensures(form="no_sides").replace(
        P + "::held::<" + OWNER + ">(", "crate::stand_in::gt_late::<" + OWNER + ", _, _>(").replace(
        'self.epoch > distaudit_old_0, "false on exit");',
        '"false on exit", &(self.epoch), &(distaudit_old_0), |v| ' + P + '::probe(v).describer()(v), |v| '
        + P + '::probe(v).describer()(v));'),
    "ensures_fn_snapshot": ensures(snapshot=P + "::snapshot"),
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
    rss = {}
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
        # Peak memory of one more check (max RSS of the cargo process tree).
        os.utime(lib)
        p = subprocess.run(["/usr/bin/time", "-v", "cargo", "check", "-q"], cwd=crate, env=env,
                           check=True, capture_output=True, text=True)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
        rss[name] = int(m.group(1)) / 1024 if m else float("nan")
    plain = results["plain"]
    print(f"| body (N = {args.n}) | cargo check median s | over plain, ms/item | peak RSS MiB | RSS / plain |")
    print("|---|---:|---:|---:|---:|")
    for name, t in results.items():
        print(f"| {name} | {t:.3f} | {(t - plain) * 1000 / args.n:.3f} | {rss[name]:.0f} | {rss[name] / rss['plain']:.2f} |")


if __name__ == "__main__":
    main()
