#!/usr/bin/env python3
"""Where the runtime-deps pass has something to check in the corpus.

Reads every Dockerfile of the corpus with BuildKit's parser (PyPI `dockerfile`), independently of
slimfile's code, and sorts the multi-stage ones: final stage built on an earlier stage (runtime-deps
leaves those alone: they have everything the parent has), final stage copying nothing from a stage,
and final stage copying from a builder stage, by the builder's base family. Then it reads the
`repair.json` (or `--report`) that measure.py wrote and prints what runtime-deps changed or warned.

    .venv/bin/python scripts/corpus/multistage.py --corpus /work/corpus --report /work/corpus/repair.json
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import re

import dockerfile


def family(image: str) -> str:
    name = image.split("@")[0]
    name = re.sub(r":[^/]*$", "", name)
    return name.rsplit("/", 1)[-1].lower()


def classify(text: str) -> str | None:
    try:
        cmds = dockerfile.parse_string(text)
    except Exception:
        return None
    stages: list[dict] = []
    for c in cmds:
        if c.cmd.upper() == "FROM":
            v = [w for w in c.value]
            name = v[2].lower() if len(v) >= 3 and v[1].upper() == "AS" else None
            stages.append({"base": v[0] if v else "", "name": name, "copies": []})
        elif stages and c.cmd.upper() in ("COPY", "ADD"):
            for f in c.flags:
                if f.startswith("--from="):
                    stages[-1]["copies"].append(f.split("=", 1)[1].lower())
    if len(stages) < 2:
        return None
    names = {s["name"]: i for i, s in enumerate(stages) if s["name"]}
    last = stages[-1]
    if last["base"].lower() in names:
        return "final stage built on an earlier stage"
    builders = [names[r] if r in names else int(r) if r.isdigit() and int(r) < len(stages) - 1 else None for r in last["copies"]]
    builders = [b for b in builders if b is not None]
    if not builders:
        return "final stage copies nothing from a stage"
    b = stages[builders[0]]
    # follow FROM <stage> to the image the builder ultimately builds on
    seen = 0
    while b["base"].lower() in names and seen < len(stages):
        b = stages[names[b["base"].lower()]]
        seen += 1
    return f"copies from a {family(b['base'])} builder"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="/work/corpus")
    ap.add_argument("--report", default=None)
    a = ap.parse_args()
    files = sorted((pathlib.Path(a.corpus) / "files").iterdir())
    classes: collections.Counter[str] = collections.Counter()
    for f in files:
        c = classify(f.read_text(errors="replace"))
        if c:
            classes[c] += 1
    print(f"multi-stage files: {sum(classes.values()):,}")
    for k, n in classes.most_common(12):
        print(f"  {n:5,}  {k}")
    if a.report:
        r = json.loads(pathlib.Path(a.report).read_text())
        print("runtime-deps files changed:", r.get("changed_per_pass", {}).get("runtime-deps", 0))
        left = {k: v for k, v in r.get("left_alone", {}).items() if k.startswith("runtime-deps/")}
        print("runtime-deps warnings:", left or 0)


if __name__ == "__main__":
    main()
