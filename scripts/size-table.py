#!/usr/bin/env python3
"""Writes the README's end-to-end size table from target/e2e/sizes.json.

The JSON is written by tests/e2e.rs (`slimfile verify` on every app under tests/e2e/, built with
podman on the stand-in images of scripts/container-lab.sh). The table goes between the
`<!-- e2e-sizes:start -->` and `<!-- e2e-sizes:end -->` markers of README.md.
Usage: scripts/size-table.py [--check]   (--check: exit 1 when the README's table differs)
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
rows = json.loads((root / "target/e2e/sizes.json").read_text())
mb = lambda b: f"{b / 1e6:,.1f} MB"
lines = [
    "| app | original | rewritten (final base) | smaller by | required |",
    "|---|---:|---|---:|---:|",
]
for r in sorted(rows, key=lambda r: r["app"]):
    lines.append(
        f"| `{r['app']}` | {mb(r['before_bytes'])} | {mb(r['after_bytes'])} (`{r['rewritten_base']}`) "
        f"| {r['ratio']:.1f}× | ≥ {r['min_ratio']:g}× |"
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
