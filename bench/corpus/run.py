#!/usr/bin/env python3
"""Issue 22's development corpus: fetch, audit and score `cargo distaudit` on real crates.

For every crate of corpus.toml (exact versions):
  1. fetch it with cargo (a throwaway crate in the work directory depends on it pinned with
     `=version`; `cargo fetch` brings the source into cargo's registry cache), unless the cache
     already has it; nothing of it is ever written into this repository;
  2. copy its source to <work>/src/<name>-<version> (the cache is never written to);
  3. run `cargo-distaudit distaudit --manifest-path <copy>/Cargo.toml --format json` and
     `cargo-distaudit distaudit suggest --manifest-path <copy>/Cargo.toml`;
  4. score against labels.tsv and references.tsv.

Scores:
  - recall per family: of the labelled coordination items (kind `item`), the share reported as
    uncited coordination code (DA0060 or DA0061) on that exact item path, and the share whose
    reported family fits the label;
  - precision per severity (BLOCK, WARN) and overall: a DA0060/DA0061 finding is right when its
    item is labelled with a family (kind `item` or `state`), wrong when labelled
    not-coordination or when it is in a control crate; an anti-pattern finding is right or
    wrong by its verdict label (DA00NN@LINE, DA00NN@* or item `*`); the rest are unlabelled and
    listed so the labels can be completed;
  - anti-pattern recall: verdicts `real` on a given line that no finding reports;
  - suggest: of the doc lines of references.tsv (each names a registry work), how many got a
    proposal with that id on the doc line or on its item's line; wrong ids are listed.

Usage:
  bench/corpus/run.py [--bin PATH] [--work DIR] [--json FILE] [--only NAME,..] [--no-suggest]

--bin defaults to $CARGO_TARGET_DIR/debug/cargo-distaudit (else target/debug/...) under the
repository; build it first with `cargo build -p cargo-distaudit`. Prints a markdown report.
Python 3.11+, standard library only.
"""

import argparse
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

FAMILIES = [
    "consensus",
    "fencing",
    "lease",
    "failure-detection",
    "retry",
    "idempotency",
    "shard",
    "cursor",
]
NOT = "not-coordination"
UNCITED = {"DA0060", "DA0061"}

# The tool's family names (families.rs, `Family::name`) and the label families each fits.
TOOL_FAMILY_FITS = {
    "lease acquire/renew/expire/revoke": {"lease", "fencing"},
    "epoch and fence checks": {"fencing", "consensus"},
    "cursor advancement and checkpoints": {"cursor"},
    "shard boundary operations and splits": {"shard"},
    "idempotency keys and op ids": {"idempotency"},
    "state-machine transitions": {"consensus"},
    "consensus, votes and leader election": {"consensus", "fencing"},
    "failure detection and heartbeats": {"failure-detection"},
    "retry, backoff and queue bounds": {"retry"},
}


def tool_families(finding):
    """The label families a finding's reported family (or families, `; `-separated) fits."""
    fits = set()
    for name in (finding.get("family") or "").split(";"):
        fits |= TOOL_FAMILY_FITS.get(name.strip(), set())
    return fits


# ---------------------------------------------------------------- inputs


def load_corpus():
    with open(os.path.join(HERE, "corpus.toml"), "rb") as f:
        corpus = tomllib.load(f)
    held = set(corpus.get("held_out", []))
    for c in corpus["crate"]:
        if c["name"] in held or c["name"].replace("_", "-") in held:
            raise SystemExit(f"corpus.toml names {c['name']}, which is held out (issue 22)")
        if not re.fullmatch(r"\d+\.\d+\.\d+([-+].*)?", c["version"]):
            raise SystemExit(f"{c['name']}: version {c['version']!r} is not exact")
    return corpus


def load_labels():
    """(items, verdicts): items[(crate, path)] = (kind, label, reason);
    verdicts[(crate, path, code, line or '*')] = (label, reason)."""
    items, verdicts = {}, {}
    for n, (crate, path, kind, label, reason) in tsv_rows("labels.tsv"):
        m = re.fullmatch(r"(DA\d{4})@(\d+|\*)", kind)
        if m:
            if label not in ("real", "false"):
                raise SystemExit(f"labels.tsv:{n}: a verdict is real or false, not {label}")
            verdicts[(crate, path, m.group(1), m.group(2))] = (label, reason)
        elif kind in ("item", "state"):
            if label not in FAMILIES and label != NOT:
                raise SystemExit(f"labels.tsv:{n}: unknown label {label}")
            if (crate, path) in items:
                raise SystemExit(f"labels.tsv:{n}: {crate} {path} labelled twice")
            items[(crate, path)] = (kind, label, reason)
        else:
            raise SystemExit(f"labels.tsv:{n}: unknown kind {kind}")
    return items, verdicts


def load_references():
    return [
        {"crate": crate, "file": file, "line": int(lineno), "id": rid, "what": what}
        for _, (crate, file, lineno, rid, what) in tsv_rows("references.tsv")
    ]


def tsv_rows(name, width=5):
    """(line number, columns) of each non-blank, non-comment line of HERE/name."""
    with open(os.path.join(HERE, name)) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != width:
                raise SystemExit(f"{name}:{n}: {width} tab-separated columns expected, got {len(cols)}")
            yield n, cols


# ---------------------------------------------------------------- fetching


def cargo_home():
    return os.environ.get("CARGO_HOME") or os.path.expanduser("~/.cargo")


def cached_source(name, version):
    hits = glob.glob(os.path.join(cargo_home(), "registry", "src", "*", f"{name}-{version}"))
    return hits[0] if hits else None


def fetch(name, version, work):
    """The crate's source directory in cargo's cache, fetched by cargo when missing."""
    src = cached_source(name, version)
    if src:
        return src
    probe = os.path.join(work, "fetch", f"{name}-{version}")
    os.makedirs(os.path.join(probe, "src"), exist_ok=True)
    open(os.path.join(probe, "src", "lib.rs"), "w").close()
    with open(os.path.join(probe, "Cargo.toml"), "w") as f:
        f.write(
            '[package]\nname = "distaudit-corpus-fetch"\nversion = "0.0.0"\nedition = "2021"\n'
            "publish = false\n\n[workspace]\n\n[dependencies]\n"
            f'{name} = {{ version = "={version}", default-features = false }}\n'
        )
    out = subprocess.run(
        ["cargo", "fetch", "--manifest-path", os.path.join(probe, "Cargo.toml")],
        capture_output=True,
        text=True,
    )
    src = cached_source(name, version)
    if not src:
        raise SystemExit(f"cargo could not fetch {name} {version}:\n{out.stderr.strip()}")
    return src


# ---------------------------------------------------------------- running


def run_audit(binary, manifest):
    t0 = time.perf_counter()
    out = subprocess.run(
        [binary, "distaudit", "--manifest-path", manifest, "--format", "json"],
        capture_output=True,
        text=True,
    )
    secs = time.perf_counter() - t0
    if out.returncode not in (0, 1) or not out.stdout.strip():
        raise SystemExit(f"cargo-distaudit could not run on {manifest}:\n{out.stderr.strip()}")
    return json.loads(out.stdout), secs


def run_suggest(binary, manifest):
    out = subprocess.run(
        [binary, "distaudit", "suggest", "--manifest-path", manifest],
        capture_output=True,
        text=True,
    )
    return out.stdout


PROPOSAL = re.compile(r"^(\S+):(\d+): (#\[.*\])\s*$")
NOTE = re.compile(r'^\s+"(.*)" -> (\S+) \(confidence ([0-9.]+)\)\s*$')
STUB_ROW = re.compile(r"\bcited at (\S+?):(\d+) with no registry entry\b")


def parse_suggest(text):
    """proposals[(file, line)] = [(reference text, id, confidence)], stubs = {(file, line)}."""
    proposals = collections.defaultdict(list)
    stubs = set()
    current = None
    for line in text.splitlines():
        m = PROPOSAL.match(line)
        if m:
            current = (m.group(1), int(m.group(2)))
            proposals.setdefault(current, [])
            continue
        m = NOTE.match(line)
        if m and current:
            proposals[current].append((m.group(1), m.group(2), float(m.group(3))))
            continue
        if not line.startswith(" "):
            current = None
        for m in STUB_ROW.finditer(line):
            stubs.add((m.group(1), int(m.group(2))))
    return proposals, stubs


def owner_line(path, doc_line):
    """The line of the item an outer doc comment at `doc_line` documents (the keyword line,
    past further doc lines and attributes), or None for an inner (`//!`) doc line."""
    with open(path) as f:
        lines = f.read().split("\n")
    if lines[doc_line - 1].lstrip().startswith("//!"):
        return None
    i, depth = doc_line, 0
    while i < len(lines):
        s = lines[i].strip()
        if depth > 0:
            depth += s.count("[") - s.count("]")
        elif s.startswith("///") or s == "" or s.startswith("//"):
            pass
        elif s.startswith("#["):
            depth = s.count("[") - s.count("]")
        else:
            return i + 1
        i += 1
    return None


def declared_names(src_dir):
    """Every identifier declared with an item keyword in the crate's sources (a cheap check
    that a label's last path segment exists in the pinned version)."""
    names = set()
    # A lookahead, so `const fn name` yields `name` as well.
    pat = re.compile(r"(?=\b(?:fn|struct|enum|trait|type|mod|union|const|static)\s+(?:r#)?([A-Za-z_]\w*))")
    for root, _, files in os.walk(src_dir):
        for n in files:
            if n.endswith(".rs"):
                with open(os.path.join(root, n), errors="replace") as f:
                    names.update(pat.findall(f.read()))
    return names


# ---------------------------------------------------------------- scoring


def verdict_of(verdicts, crate, item, code, line):
    for key in ((crate, item, code, str(line)), (crate, item, code, "*"), (crate, "*", code, "*")):
        if key in verdicts:
            return verdicts[key][0]
    return None


def pct(a, b):
    return f"{100 * a / b:.0f}%" if b else "n/a"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    ap.add_argument("--bin", default=os.path.join(target, "debug", "cargo-distaudit"))
    ap.add_argument("--work", default="/tmp/distaudit-corpus")
    ap.add_argument("--json", help="also write the figures and lists as JSON here")
    ap.add_argument("--only", help="comma-separated crate names")
    ap.add_argument("--no-suggest", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} not found: build it with `cargo build -p cargo-distaudit`")

    corpus = load_corpus()
    items, verdicts = load_labels()
    references = load_references()
    crates = corpus["crate"]
    if args.only:
        wanted = set(args.only.split(","))
        crates = [c for c in crates if c["name"] in wanted]
    role = {c["name"]: c["role"] for c in crates}
    os.makedirs(os.path.join(args.work, "src"), exist_ok=True)

    per_crate = []
    findings = []  # (crate, finding, class) with class TP, FP, unlabelled, input
    suggest_out = {}
    warnings = []
    for c in crates:
        name, version = c["name"], c["version"]
        src = fetch(name, version, args.work)
        copy = os.path.join(args.work, "src", f"{name}-{version}")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(src, copy, ignore=shutil.ignore_patterns("target"))
        manifest = os.path.join(copy, "Cargo.toml")
        doc, secs = run_audit(binary, manifest)
        if not args.no_suggest:
            suggest_out[name] = (copy, run_suggest(binary, manifest))
        names = declared_names(copy)
        for (crate, path), _ in items.items():
            if crate == name and path.split("::")[-1] not in names:
                warnings.append(f"{name}: label {path}: no item named {path.split('::')[-1]} in {version}")
        s = doc["summary"]
        per_crate.append({"crate": name, "version": version, "role": c["role"], "files": s["files"],
                          "lines": s["lines"], "block": s["block"], "warn": s["warn"], "seconds": secs})
        for f in doc["findings"]:
            code, item = f["code"], f["item"]
            if f.get("source") == "input":
                cls = "input"
            elif code in UNCITED:
                lab = items.get((name, item))
                if lab and lab[1] != NOT:
                    cls = "TP"
                elif lab or c["role"] == "control":
                    cls = "FP"
                else:
                    cls = "unlabelled"
            else:
                v = verdict_of(verdicts, name, item, code, f["line"])
                cls = {"real": "TP", "false": "FP"}.get(v, "unlabelled")
            findings.append((name, f, cls))

    # Recall of labelled coordination items.
    uncited_by_item = collections.defaultdict(list)
    for name, f, _ in findings:
        if f["code"] in UNCITED:
            uncited_by_item[(name, f["item"])].append(f)
    recall = {fam: [0, 0, 0] for fam in FAMILIES}  # labelled, found, family right
    crate_recall = collections.defaultdict(lambda: [0, 0])
    misses, found_items = [], []
    for (crate, path), (kind, label, reason) in sorted(items.items()):
        if crate not in role or kind != "item" or label == NOT:
            continue
        hits = uncited_by_item.get((crate, path), [])
        r = recall[label]
        r[0] += 1
        crate_recall[crate][0] += 1
        if hits:
            r[1] += 1
            crate_recall[crate][1] += 1
            right = any(label in tool_families(h) for h in hits)
            r[2] += right
            found_items.append((crate, path, label, hits[0]["code"], hits[0]["family"], right))
        else:
            misses.append((crate, path, label, reason))

    # Precision.
    prec = {k: collections.Counter() for k in ("BLOCK", "WARN", "all", "uncited", "anti-pattern")}
    by_code = collections.defaultdict(collections.Counter)
    by_tool_family = collections.defaultdict(collections.Counter)
    crate_prec = collections.defaultdict(collections.Counter)
    for name, f, cls in findings:
        if cls == "input":
            continue
        prec[f["severity"]][cls] += 1
        prec["all"][cls] += 1
        prec["uncited" if f["code"] in UNCITED else "anti-pattern"][cls] += 1
        by_code[f["code"]][cls] += 1
        crate_prec[name][cls] += 1
        if f["code"] in UNCITED:
            for fam in (f.get("family") or "?").split(";"):
                by_tool_family[fam.strip()][cls] += 1

    # Anti-pattern findings expected on given lines.
    ap_expected, ap_missed = 0, []
    present = {(n, f["code"], f["line"]) for n, f, _ in findings}
    for (crate, path, code, line), (label, reason) in sorted(verdicts.items()):
        if crate in role and label == "real" and line != "*":
            ap_expected += 1
            if (crate, code, int(line)) not in present:
                ap_missed.append((crate, path, code, line, reason))

    # suggest.
    sug = {"references": 0, "matched": 0, "stub_only": 0, "unseen": 0, "wrong": []}
    sug_rows = []
    if not args.no_suggest:
        parsed = {n: parse_suggest(out) for n, (_, out) in suggest_out.items()}
        for ref in references:
            if ref["crate"] not in parsed:
                continue
            copy = suggest_out[ref["crate"]][0]
            proposals, stubs = parsed[ref["crate"]]
            owner = owner_line(os.path.join(copy, ref["file"]), ref["line"])
            places = {(ref["file"], ref["line"])} | ({(ref["file"], owner)} if owner else set())
            notes = [n for p in places for n in proposals.get(p, [])]
            sug["references"] += 1
            if any(rid == ref["id"] for _, rid, _ in notes):
                sug["matched"] += 1
                state = "matched"
            elif places & stubs:
                sug["stub_only"] += 1
                state = "stub only"
            else:
                sug["unseen"] += 1
                state = "not seen"
            wrong = [(t, rid, conf) for t, rid, conf in notes if rid != ref["id"]]
            for t, rid, conf in wrong:
                sug["wrong"].append({"crate": ref["crate"], "file": ref["file"], "line": ref["line"],
                                     "expected": ref["id"], "got": rid, "confidence": conf})
            sug_rows.append((ref, state))
        sug["proposals"] = sum(len(p) for p, _ in parsed.values())
        sug["stubs"] = sum(len(s) for _, s in parsed.values())

    # ------------------------------------------------------------ report
    p = print
    p("# cargo distaudit on the real-code corpus\n")
    p(f"binary: `{binary}`\n")
    p("| crate | version | role | files | lines | BLOCK | WARN | labelled items | found | right | wrong | unlabelled | time |")
    p("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in per_crate:
        cr, cp = crate_recall[r["crate"]], crate_prec[r["crate"]]
        p(f"| {r['crate']} | {r['version']} | {r['role']} | {r['files']} | {r['lines']} | {r['block']} | "
          f"{r['warn']} | {cr[0]} | {cr[1]} | {cp['TP']} | {cp['FP']} | {cp['unlabelled']} | {r['seconds']:.2f}s |")
    total_lines = sum(r["lines"] for r in per_crate)
    p(f"\n{len(per_crate)} crates, {total_lines} lines.\n")

    p("## Recall per family (labelled coordination items reported as DA0060/DA0061)\n")
    p("| family | labelled | found | recall | family right |")
    p("|---|---:|---:|---:|---:|")
    tot = [0, 0, 0]
    for fam in FAMILIES:
        n, k, right = recall[fam]
        tot = [tot[0] + n, tot[1] + k, tot[2] + right]
        p(f"| {fam} | {n} | {k} | {pct(k, n)} | {right} |")
    p(f"| **all** | {tot[0]} | {tot[1]} | **{pct(tot[1], tot[0])}** | {tot[2]} |\n")

    p("## Precision (right / (right + wrong); unlabelled findings are left out and listed below)\n")
    p("| findings | right | wrong | unlabelled | precision |")
    p("|---|---:|---:|---:|---:|")
    for k in ("BLOCK", "WARN", "all", "uncited", "anti-pattern"):
        c = prec[k]
        label = {"all": "**all**", "uncited": "DA0060/DA0061 (uncited code)",
                 "anti-pattern": "anti-patterns"}.get(k, k)
        p(f"| {label} | {c['TP']} | {c['FP']} | {c['unlabelled']} | {pct(c['TP'], c['TP'] + c['FP'])} |")
    p("\n| code | right | wrong | unlabelled | precision |")
    p("|---|---:|---:|---:|---:|")
    for code in sorted(by_code):
        c = by_code[code]
        p(f"| {code} | {c['TP']} | {c['FP']} | {c['unlabelled']} | {pct(c['TP'], c['TP'] + c['FP'])} |")
    p("\n| reported family (DA0060/DA0061) | right | wrong | unlabelled | precision |")
    p("|---|---:|---:|---:|---:|")
    for fam in sorted(by_tool_family):
        c = by_tool_family[fam]
        p(f"| {fam} | {c['TP']} | {c['FP']} | {c['unlabelled']} | {pct(c['TP'], c['TP'] + c['FP'])} |")

    p(f"\n## Anti-patterns expected on a given line: {ap_expected - len(ap_missed)} of {ap_expected} reported\n")
    for crate, path, code, line, reason in ap_missed:
        p(f"- missed {code} {crate} `{path}` line {line}: {reason}")

    if not args.no_suggest:
        p(f"\n## suggest: {sug['matched']} of {sug['references']} references to registry works matched "
          f"({pct(sug['matched'], sug['references'])})\n")
        p(f"{sug['proposals']} proposals and {sug['stubs']} `[[citation]]` stubs over the corpus; "
          f"{sug['stub_only']} references only got a stub, {sug['unseen']} were not seen; "
          f"{len(sug['wrong'])} wrong ids.\n")
        p("| crate | doc line | expected | outcome |")
        p("|---|---|---|---|")
        for ref, state in sug_rows:
            p(f"| {ref['crate']} | {ref['file']}:{ref['line']} | {ref['id']} | {state} |")
        for w in sug["wrong"]:
            p(f"- wrong: {w['crate']} {w['file']}:{w['line']} expected {w['expected']}, got {w['got']} ({w['confidence']:.2f})")

    p(f"\n## Labelled items not reported ({len(misses)})\n")
    for crate, path, label, reason in misses:
        p(f"- {crate} `{path}` ({label}): {reason}")
    wrong = [(n, f) for n, f, cls in findings if cls == "FP"]
    p(f"\n## Wrong findings ({len(wrong)})\n")
    for n, f in wrong:
        why = ""
        if f["code"] in UNCITED:
            lab = items.get((n, f["item"]))
            why = lab[2] if lab else "control crate"
        else:
            v = None
            for key in ((n, f["item"], f["code"], str(f["line"])), (n, f["item"], f["code"], "*"), (n, "*", f["code"], "*")):
                if key in verdicts:
                    v = verdicts[key][1]
                    break
            why = v or ""
        p(f"- {n} {f['code']} {f['severity']} `{f['item']}` {f['file']}:{f['line']}: {why}")
    unl = [(n, f) for n, f, cls in findings if cls == "unlabelled"]
    p(f"\n## Unlabelled findings ({len(unl)}): label them in labels.tsv\n")
    for n, f in unl:
        p(f"- {n} {f['code']} {f['severity']} `{f['item']}` {f['file']}:{f['line']} ({f.get('family') or ''}): {f['what']}")
    inputs = [(n, f) for n, f, cls in findings if cls == "input"]
    if inputs:
        p(f"\n## Input findings ({len(inputs)})\n")
        for n, f in inputs:
            p(f"- {n} {f['code']} {f['file']}:{f['line']}: {f['what']}")
    if warnings:
        p("\n## Label warnings\n")
        for w in warnings:
            p(f"- {w}")

    if args.json:
        report = {
            "binary": binary,
            "crates": per_crate,
            "recall": {fam: dict(zip(("labelled", "found", "family_right"), recall[fam])) for fam in FAMILIES},
            "recall_all": dict(zip(("labelled", "found", "family_right"), tot)),
            "precision": {k: dict(v) for k, v in prec.items()},
            "precision_by_code": {k: dict(v) for k, v in by_code.items()},
            "anti_patterns_expected": ap_expected,
            "anti_patterns_missed": [dict(zip(("crate", "item", "code", "line", "reason"), m)) for m in ap_missed],
            "suggest": sug,
            "misses": [dict(zip(("crate", "item", "family", "reason"), m)) for m in misses],
            "findings": [{"crate": n, "class": cls, **f} for n, f, cls in findings],
            "warnings": warnings,
        }
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
