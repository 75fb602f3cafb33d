#!/usr/bin/env python3
"""Recall and precision of the family detector on the example coordinator.

Copies examples/coordinator to a temporary directory with every #[coordination(..)]
attribute (and #[distaudit::audit]) removed, runs `cargo-distaudit distaudit --format json`
on the copy, and reports:
  - recall: of the items that carried an annotation, the fraction reported as uncited
    coordination code (DA0060 or DA0061), item by item;
  - the flagged items that carried no annotation (to be read: coordination or not?).

Usage: bench/recall.py <path to cargo-distaudit binary> [<crate dir> | <dir of .rs files>]

A directory without a Cargo.toml (such as ../tests/ui/pass) is turned into one crate whose
lib.rs declares every file as a module.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ITEM = re.compile(
    r"\b(?:fn|struct|enum|trait|mod|type|const|static)\s+(r#)?([A-Za-z_][A-Za-z0-9_]*)"
    r"|\bimpl\b[^{;]*?(?:\bfor\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:<[^{]*>)?\s*(?:where[^{]*)?\{"
)


def attribute_end(text, start):
    """Index just past the `]` closing the attribute that starts at `start` (`#[`)."""
    depth = 0
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unterminated attribute")


def block_end(text, start):
    """Index of the `}` closing the first `{` at or after `start` (strings and line
    comments skipped), or `start` when a `;` comes first (`struct S(u8);`)."""
    i, depth = start, 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif text.startswith("//", i):
            i = text.find("\n", i)
            if i < 0:
                return len(text)
        elif c == ";" and depth == 0:
            return i
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text)


def strip(text):
    """Remove the annotations; return the new text and, for each item that carried one,
    (line, name, last line, container): the line of its name in the new text, and whether
    it is an impl, trait or module (found when anything inside it is reported)."""
    # `#[distaudit::audit]` and `#[distaudit::audit(..)]` first (on lines of their own), so
    # the lines recorded for the items below are final.
    while True:
        m = re.search(r"(?m)^[ \t]*#\[distaudit::audit\b", text)
        if not m:
            break
        end = attribute_end(text, text.index("#", m.start()))
        line_end = text.find("\n", end)
        text = text[: m.start()] + text[(len(text) if line_end < 0 else line_end + 1) :]
    pattern = re.compile(r"#\[(?:distaudit::)?coordination\b")
    items = []
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if not m:
            break
        # Skip the attribute's name inside a comment (`//! carries a `#[coordination(..)]``).
        line_start = text.rfind("\n", 0, m.start()) + 1
        if "//" in text[line_start:m.start()]:
            pos = m.end()
            continue
        end = attribute_end(text, m.start())
        # Remove the attribute with its own line when nothing else is on it.
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start:m.start()].strip() == "" and text[end:line_end].strip() == "":
            text = text[:line_start] + text[line_end + 1 :]
            at = line_start
        else:
            text = text[: m.start()] + text[end:]
            at = m.start()
        pos = at
        item = ITEM.search(text, at)
        name = item.group(2) or item.group(3)
        name_at = item.start(2) if item.group(2) else item.start(3)
        keyword = item.group(0).split()[0]
        container = keyword in ("impl", "trait", "mod")
        last = text.count("\n", 0, block_end(text, item.start())) + 1
        items.append((text.count("\n", 0, name_at) + 1, name, last, container))
    return text, items


def main():
    binary = os.path.abspath(sys.argv[1])
    source = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "..", "examples", "coordinator"
    )
    work = tempfile.mkdtemp(prefix="distaudit-recall-")
    copy = os.path.join(work, "coordinator")
    if os.path.exists(os.path.join(source, "Cargo.toml")):
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("target"))
    else:
        os.makedirs(os.path.join(copy, "src"))
        names = []
        for name in sorted(os.listdir(source)):
            if name.endswith(".rs"):
                module = "m_" + name[:-3].replace("-", "_")
                shutil.copy(os.path.join(source, name), os.path.join(copy, "src", module + ".rs"))
                names.append(module)
        with open(os.path.join(copy, "src", "lib.rs"), "w") as f:
            f.write("".join(f"mod {n};\n" for n in names))
    # A stand-alone manifest (the example inherits from the workspace); the copy is read,
    # never compiled, so it needs no dependencies.
    with open(os.path.join(copy, "Cargo.toml"), "w") as f:
        f.write('[package]\nname = "coordinator"\nversion = "0.1.0"\nedition = "2024"\n\n[workspace]\n')
    annotated = {}
    for root, _, files in os.walk(copy):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(root, name)
            with open(path) as f:
                text, items = strip(f.read())
            with open(path, "w") as f:
                f.write(text)
            rel = os.path.relpath(path, copy)
            for line, item, last, container in items:
                annotated[(rel, line)] = (item, last, container)
    out = subprocess.run(
        [binary, "distaudit", "--manifest-path", os.path.join(copy, "Cargo.toml"), "--format", "json"],
        capture_output=True,
        text=True,
    )
    doc = json.loads(out.stdout)
    flagged = {}
    for f in doc["findings"]:
        if f["code"] in ("DA0060", "DA0061") and f["line"] is not None:
            flagged[(f["file"], f["line"])] = (f["code"], f["item"], f["family"])
    found = 0
    inside = set()
    print("annotated item | file:line | reported")
    for key in sorted(annotated):
        name, last, container = annotated[key]
        hit = flagged.get(key)
        how = ""
        if hit is None and container:
            within = sorted(k for k in flagged if k[0] == key[0] and key[1] <= k[1] <= last)
            if within:
                hit = flagged[within[0]]
                inside.update(within)
                how = f" inside, line {within[0][1]}"
        found += hit is not None
        print(f"{name} | {key[0]}:{key[1]} | {hit[0] + ' (' + hit[2] + ')' + how if hit else 'MISSED'}")
    print(f"\nrecall: {found}/{len(annotated)} = {found / len(annotated):.1%}")
    extra = sorted(k for k in flagged if k not in annotated and k not in inside)
    print(f"\nflagged items that carried no annotation: {len(extra)}")
    for key in extra:
        code, item, family = flagged[key]
        print(f"{code} {item} ({family}) at {key[0]}:{key[1]}")
    print("\nsummary:", json.dumps(doc["summary"]))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
