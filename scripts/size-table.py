#!/usr/bin/env python3
"""Writes the README's end-to-end size table from target/e2e/sizes.json.

The JSON is written by tests/e2e.rs (`slimfile verify` on every app under tests/e2e/, built with
each engine of scripts/container-lab.sh, podman and Docker Engine with BuildKit, on its stand-in
images): one row per app, one before/after pair per engine, and the OS packages before → after
as `slimfile verify` reads them from the images' filesystems (the same on both engines). The table goes between the
`<!-- e2e-sizes:start -->` and `<!-- e2e-sizes:end -->` markers of README.md.
Usage: scripts/size-table.py [--check]   (--check: exit 1 when the README's table differs)
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
rows = json.loads((root / "target/e2e/sizes.json").read_text())
mb = lambda b: f"{b / 1e6:,.1f} MB"
engines = sorted({r.get("engine", "podman") for r in rows}, key=lambda e: (e != "podman", e))
by_app = {}
for r in rows:
    by_app.setdefault(r["app"], {})[r.get("engine", "podman")] = r
lines = [
    "| app | " + " | ".join(f"{e}: original → rewritten | smaller by" for e in engines)
    + " | OS packages | final base | required |",
    "|---|" + "---:|---:|" * len(engines) + "---:|---|---:|",
]
for app in sorted(by_app):
    cells = []
    for e in engines:
        r = by_app[app].get(e)
        cells.append(
            f"{mb(r['before_bytes'])} → {mb(r['after_bytes'])} | {r['ratio']:.1f}×" if r else "– | –"
        )
    any_row = next(iter(by_app[app].values()))
    count = lambda n: "?" if n is None else str(n)
    packages = (f"{count(any_row.get('before_packages'))} → {count(any_row.get('after_packages'))}"
                if "before_packages" in any_row else "–")
    lines.append(
        f"| `{app}` | " + " | ".join(cells) + f" | {packages}"
        + (f" | `{any_row['rewritten_base']}`" if any_row["rewritten_base"] else " | (base unchanged)")
        + (f", at `--safety {any_row['safety']}`" if any_row.get("safety") else "")
        + f" | ≥ {any_row['min_ratio']:g}× |"
    )
table = "\n".join(lines)
readme = root / "README.md"
text = readme.read_text()
start, end = "<!-- e2e-sizes:start -->", "<!-- e2e-sizes:end -->"
if start not in text or end not in text:
    sys.exit("README.md has no e2e-sizes markers")
head, rest = text.split(start, 1)
_, tail = rest.split(end, 1)
new = f"{head}{start}\n{table}\n{end}{tail}"
if "--check" in sys.argv:
    sys.exit(0 if new == text else 1)
readme.write_text(new)
print(table)
