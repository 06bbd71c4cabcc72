#!/usr/bin/env python3
"""Speed benchmark for the README: a generated corpus of realistic Dockerfiles through the release
binary. Measures wall time and peak memory of `rewrite --dry-run` over the corpus (all cores and
one thread), and the editor contract (stdin -> stdout, process start included) per file.

Usage: scripts/bench.py [N_FILES=5000] [RUNS=10]
Prints a Markdown table. Benchmarks measure; tests assert: no threshold here fails anything.
"""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
n_files = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "slimfile", "--example", "gen_corpus"],
               cwd=root, check=True)
exe = root / "target/release/slimfile"
corpus = root / "target/bench-corpus"
subprocess.run(["rm", "-rf", str(corpus)], check=True)
gen = subprocess.run([str(root / "target/release/examples/gen_corpus"), str(corpus), str(n_files)],
                     check=True, capture_output=True, text=True)
size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())


def measure(cmd, env=None, stdin=None):
    """(wall seconds, peak RSS in MB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    if stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024


rows = []
for label, env in [(f"all cores ({os.cpu_count()})", None), ("one thread", {"RAYON_NUM_THREADS": "1"})]:
    samples = [measure([str(exe), "rewrite", "--dry-run", "--quiet", str(corpus)], env) for _ in range(runs)]
    walls = [s[0] for s in samples]
    rows.append((f"`rewrite --dry-run`, {n_files} files, {label}",
                 f"{statistics.median(walls) * 1000:.0f} ms (min {min(walls) * 1000:.0f})",
                 f"{max(s[1] for s in samples):.1f} MB"))

files = sorted(p for p in corpus.rglob("*") if p.is_file())[:300]
samples = [measure([str(exe), "rewrite", "-", "--stdin-filename", str(f), "--safety", "safe", "--quiet"],
                   stdin=f.read_bytes()) for f in files]
walls = sorted(s[0] * 1000 for s in samples)
rows.append((f"stdin → stdout, {len(files)} files one by one (process start included)",
             f"median {statistics.median(walls):.1f} ms, p95 {walls[int(len(walls) * 0.95)]:.1f} ms",
             f"{max(s[1] for s in samples):.1f} MB"))

# the editor on save next to a big Go tree: at --safety safe the context is not scanned
tree = root / "target/bench-go-tree"
if not (tree / "Dockerfile").exists():
    subprocess.run(["rm", "-rf", str(tree)], check=True)
    for i in range(50_000):
        d = tree / f"pkg{i // 500:03d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i}.go").write_text(f"package pkg{i // 500}\n\nfunc F{i}() int {{ return {i} }}\n")
    (tree / "go.mod").write_text("module example.com/big\n\ngo 1.22\n")
    (tree / "Dockerfile").write_text("FROM golang:1.22 as build\nWORKDIR /src\nCOPY . .\n"
                                     "RUN go build -o /out/app .\nFROM scratch\nCOPY --from=0 /out/app /app\n"
                                     "ENTRYPOINT [\"/app\"]\n")
dockerfile = (tree / "Dockerfile").read_bytes()
for level in ["safe", "review"]:
    samples = [measure([str(exe), "rewrite", "-", "--stdin-filename", str(tree / "Dockerfile"), "--safety",
                        level, "--quiet"], stdin=dockerfile) for _ in range(max(runs, 30))]
    walls = sorted(s[0] * 1000 for s in samples)
    rows.append((f"stdin → stdout at `--safety {level}`, next to a 50,000-file Go tree",
                 f"median {statistics.median(walls):.1f} ms, p95 {walls[int(len(walls) * 0.95)]:.1f} ms",
                 f"{max(s[1] for s in samples):.1f} MB"))

print(f"Corpus: {gen.stdout.strip()} ({size / 1e6:.1f} MB on disk); {runs} runs each; "
      f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}\n")
print("| what | wall time | peak memory |")
print("|---|---:|---:|")
for r in rows:
    print(f"| {r[0]} | {r[1]} | {r[2]} |")
