#!/usr/bin/env python3
"""size-hygiene on the real-world corpus: hadolint's count of the layer-hygiene codes before and after.

Copies every corpus Dockerfile to a scratch folder, rewrites the copies with
`slimfile rewrite --isolated --select size-hygiene --safety review`, and runs hadolint (the
repository's .venv has it) on each original and each rewrite. Prints, as Markdown: per code the
findings before and after, every other code that appears in a rewrite but not in its original
(must be none), and the files whose rewrite BuildKit's parser rejects or that are not a fixpoint
(must be none).

    cargo build --release --locked
    .venv/bin/python scripts/corpus/hygiene.py --bin target/release/slimfile --corpus /work/corpus
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import dockerfile

CODES = ["DL3009", "DL3015", "DL3019", "DL3042", "DL3060", "DL3032", "DL3040", "DL3036"]


def lint(hadolint: str, path: pathlib.Path) -> collections.Counter[str]:
    p = subprocess.run([hadolint, "--no-fail", "-f", "json", str(path)], capture_output=True, text=True)
    try:
        return collections.Counter(f["code"] for f in json.loads(p.stdout or "[]"))
    except json.JSONDecodeError:
        return collections.Counter()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/slimfile")
    ap.add_argument("--corpus", default="/work/corpus")
    a = ap.parse_args()
    hadolint = str(pathlib.Path(sys.executable).parent / "hadolint")
    files = sorted((pathlib.Path(a.corpus) / "files").iterdir())
    work = pathlib.Path(tempfile.mkdtemp(prefix="slimfile-hygiene-"))
    for f in files:
        d = work / f.name
        d.mkdir()
        shutil.copy(f, d / "Dockerfile")
    subprocess.run([a.bin, "rewrite", "--isolated", "--select", "size-hygiene", "--safety", "review", str(work)],
                   capture_output=True)
    before: collections.Counter[str] = collections.Counter()
    after: collections.Counter[str] = collections.Counter()
    new_codes: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    changed, rejected, not_fixpoint = 0, [], []
    def one(f: pathlib.Path):
        out = work / f.name / "Dockerfile"
        return f, out, lint(hadolint, f), lint(hadolint, out)
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        results = list(ex.map(one, files))
    for f, out, b, r in results:
        before.update({k: v for k, v in b.items() if k in CODES})
        after.update({k: v for k, v in r.items() if k in CODES})
        for k in r:
            if k not in CODES and r[k] > b.get(k, 0):
                new_codes[k] += 1
                examples.setdefault(k, f.name)
        if out.read_bytes() != f.read_bytes():
            changed += 1
            try:
                dockerfile.parse_file(str(out))
            except Exception:
                rejected.append(f.name)
    again = subprocess.run([a.bin, "rewrite", "--isolated", "--select", "size-hygiene", "--safety", "review",
                            "--check", str(work)], capture_output=True, text=True)
    summary = [l for l in (again.stdout + again.stderr).splitlines() if " would change" in l]
    if not summary or " 0 would change" not in summary[-1]:
        not_fixpoint.append(summary[-1] if summary else "no summary")
    total_b, total_a = sum(before.values()), sum(after.values())
    print(f"{len(files):,} files, {changed:,} changed by size-hygiene (review level)\n")
    print("| hadolint code | before | after |\n|---|---:|---:|")
    for c in CODES:
        print(f"| {c} | {before.get(c, 0):,} | {after.get(c, 0):,} |")
    pct = 100.0 * (total_b - total_a) / total_b if total_b else 0.0
    print(f"| **all** | **{total_b:,}** | **{total_a:,}** ({pct:.0f}% fewer) |\n")
    print(f"new hadolint codes of other kinds in rewrites: {dict(new_codes) or 'none'} {examples or ''}")
    print(f"rewrites BuildKit's parser rejects: {rejected or 'none'}")
    print(f"rewrites that are not a fixpoint: {not_fixpoint or 'none'}")
    shutil.rmtree(work)
    sys.exit(1 if rejected or not_fixpoint or new_codes else 0)


if __name__ == "__main__":
    main()
