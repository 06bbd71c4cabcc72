#!/usr/bin/env python3
"""Speed against the yardstick: `slimfile rewrite --dry-run` (all passes, unsafe level, so every
pass runs) over a folder of Dockerfiles, next to a bare single-threaded dockerfile-parser parse
of the same files (`examples/bare_parse.rs`), in the same run.

Usage: scripts/bench-vs-parse.py DIR [RUNS=3]   (SLIMFILE_BIN=path measures another build)
Prints a Markdown table (best of RUNS): the bare parse alone (reading the files is not timed),
and the bare-parse program as a whole process (walk, read, parse), which is what slimfile's own
rows time. Benchmarks measure; tests assert: nothing here fails.
"""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
folder = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "slimfile", "--example", "bare_parse"],
               cwd=root, check=True)
exe = os.environ.get("SLIMFILE_BIN", root / "target/release/slimfile")  # another build to compare


def bare():
    """(seconds parsing, wall seconds of the whole process: walk, read and parse)."""
    start = time.perf_counter()
    out = subprocess.run([str(root / "target/release/examples/bare_parse"), folder],
                         check=True, capture_output=True, text=True).stdout
    whole = time.perf_counter() - start
    return float(re.search(r"([0-9.]+) s", out).group(1)), whole


def slimfile(threads):
    """(wall, cpu) seconds of one dry run; threads None means all cores."""
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    start = time.perf_counter()
    proc = subprocess.Popen([str(exe), "rewrite", "--dry-run", "--isolated", "--quiet", "--safety", "unsafe",
                             folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


parse = []
cores, one = [], []
for _ in range(runs):  # interleaved, so a slow spell of the machine hits every row alike
    parse.append(bare())
    cores.append(slimfile(None))
    one.append(slimfile(1))
p = min(t for t, _ in parse)
w = min(t for _, t in parse)
print("| what | wall | CPU | × bare parse (wall) | × bare-parse program (wall) | peak |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| bare dockerfile-parser parse, one thread | {p:.2f} s | {p:.2f} s | 1.0× | | |")
print(f"| the bare-parse program, whole process (walk, read, parse) | {w:.2f} s | | {w / p:.1f}× | 1.0× | |")
for label, rows in [(f"slimfile, all cores ({os.cpu_count()})", cores), ("slimfile, one thread", one)]:
    wall, cpu, rss = min(rows)
    print(f"| {label} | {wall:.2f} s | {cpu:.2f} s | {wall / p:.1f}× | {wall / w:.1f}× | {rss:.0f} MB |")
