#!/usr/bin/env python3
"""Big files: wall time and peak memory of `slimfile rewrite --dry-run --safety unsafe` on
generated Dockerfiles of 1, 5 and 10 MB, in five shapes (one heredoc RUN, one RUN continued over
many lines, many one-line RUNs, many two-line stages, and a realistic build of many services:
a Go builder and a Python runtime per service).

Usage: scripts/bench-big.py [SIZES_MB=1,5,10] [SHAPES=heredoc,cont,runs,stages,realistic]
Prints a Markdown table. Benchmarks measure; tests assert: nothing here fails.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "1,5,10").split(",")]


def heredoc(n):
    head = "FROM debian:bookworm AS app\nRUN <<EOF\n"
    line = "echo 'a line of a very long generated install script' >> /tmp/log\n"
    return head + line * ((n - len(head)) // len(line) + 1) + "EOF\nCMD [\"sh\"]\n"


def lines(head, line, tail, n):
    out, size, i = [head], len(head), 0
    while size < n:
        piece = line(i)
        out.append(piece)
        size += len(piece)
        i += 1
    out.append(tail)
    return "".join(out)


def cont(n):
    return lines("FROM debian:bookworm AS app\nRUN apt-get install -y \\\n", lambda i: f"    pkg-{i} \\\n",
                 "    last\nCMD [\"sh\"]\n", n)


def runs(n):
    return lines("FROM debian:bookworm AS app\n", lambda i: f"RUN echo step {i} >> /var/log/build.log\n",
                 "CMD [\"sh\"]\n", n)


def stages(n):
    return lines("", lambda i: f"FROM debian:bookworm AS s{i}\nRUN echo {i} > /v\n", "CMD [\"sh\"]\n", n)


def realistic(n):
    return lines("", lambda i: (
        f"FROM golang:1.22 AS build{i}\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
        f"COPY . .\nRUN CGO_ENABLED=0 go build -o /out/app{i} ./cmd/app{i}\n\n"
        f"FROM python:3.12 AS py{i}\nWORKDIR /app\nCOPY requirements.txt .\n"
        f"RUN pip install --no-cache-dir -r requirements.txt\n"
        f"RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        f"COPY --from=build{i} /out/app{i} /usr/local/bin/\nENV APP_{i}=1\n\n"), "CMD [\"python\", \"main.py\"]\n", n)


shapes = dict(heredoc=heredoc, cont=cont, runs=runs, stages=stages, realistic=realistic)
chosen = (sys.argv[2] if len(sys.argv) > 2 else ",".join(shapes)).split(",")
subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "slimfile"], cwd=root, check=True)
exe = root / "target/release/slimfile"
out = root / "target/bench-big"
out.mkdir(parents=True, exist_ok=True)
print("| shape | size | wall | peak | bytes of memory per input byte |")
print("|---|---:|---:|---:|---:|")
for name in chosen:
    for mb in sizes:
        path = out / f"{name}-{mb}.Dockerfile"
        text = shapes[name](mb * 1_000_000)
        path.write_text(text)
        start = time.perf_counter()
        proc = subprocess.Popen([str(exe), "rewrite", "--dry-run", "--isolated", "--quiet", "--safety", "unsafe",
                                 str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        peak = usage.ru_maxrss * 1024
        print(f"| {name} | {mb} MB | {wall:.2f} s | {peak / 2**20:.0f} MB | {peak / len(text):.0f} |"
              + ("" if os.waitstatus_to_exitcode(status) in (0, 1) else " (failed)"), flush=True)
