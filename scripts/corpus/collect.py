#!/usr/bin/env python3
"""Collect a real-world Dockerfile corpus from repository mirrors.

Re-run (from the worktree root):

    python3 scripts/corpus/collect.py                 # reads scripts/corpus/repos.txt
    python3 scripts/corpus/collect.py --out /work/corpus --mirrors /work/.mirror

The mirrors are brought here by an agent's `fetch` tool call (one per line of
repos.txt: `fetch github:OWNER/NAME`), which leaves a git directory at
/work/.mirror/OWNER+NAME/repo (bare) or /work/.mirror/OWNER+NAME/repo/.git.
This script only reads those mirrors with `git ls-tree` / `git cat-file`; a
repository whose mirror is missing is reported and skipped.

repos.txt: one repository a line, `OWNER/NAME [max=N] [dataset]`; `#` starts a
comment. `max=N` keeps a deterministic sample of N files (smallest SHA-1 of the
path first); `dataset` marks a repository that is itself a collection of
Dockerfiles taken out of other repositories (no build context is available;
the upstream repository is recorded from the path when it can be read).

Output (the folder is emptied first):
  files/<owner>__<repo>__<path, / -> __>   one Dockerfile, byte for byte
  contexts/<same name>/                    its build context's manifests:
      regular files of the context folder's root up to 256 KiB each (not
      Dockerfile-like names, not .gitignore/.ignore/slimfile configs), the
      root's sub-folder names as empty folders, and *.go files up to 6 levels
      deep (vendor/, node_modules/, dot-folders skipped) within 200 KiB,
      files that mention "C" imports first
  index.tsv        file, repo, commit, path, context (folder in the repo, or
                   "-" when none is known), upstream (dataset entries)
  duplicates.tsv   file kept, repo, path of each identical copy left out
  templates.tsv    Dockerfile-named templates left out (.template, .j2, …)
  summary.json     counts before/after dedup, per repository

The build context is the Dockerfile's folder, unless none of its COPY/ADD
sources exists there and an ancestor folder has more of them (the common
`docker build -f docker/Dockerfile .` layout): then that ancestor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent

DOCKERFILE_NAME = re.compile(r"^(dockerfile.*|.*\.dockerfile|containerfile.*)$", re.I)
# Names that match the pattern but are templates, docs or other formats.
NOT_DOCKERFILE_SUFFIX = re.compile(
    r"\.(md|txt|ya?ml|json|sh|py|go|rs|js|ts|bak|orig|swp|lock|toml|cfg|ini|"
    r"dockerignore|gitignore|meta|patch|diff|html|xml|bat|ps1|lst|log)$",
    re.I,
)
TEMPLATE_SUFFIX = re.compile(r"(\.(template|tmpl|tpl|j2|jinja2?|erb|in|mustache|hbs|ejs|m4|envsubst)$)|\{\{", re.I)
SKIP_CONTEXT_NAMES = {".gitignore", ".ignore", "slimfile.toml", ".slimfile.toml"}
MAX_DOCKERFILE_BYTES = 1 << 20
MAX_CONTEXT_FILE_BYTES = 256 << 10
MAX_GO_BYTES = 200 << 10
GO_DEPTH = 6


def git_dir(mirrors: Path, repo: str) -> Path | None:
    base = mirrors / repo.replace("/", "+") / "repo"
    for cand in (base / ".git", base):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    return None


def git(gd: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={gd}", *args], check=True, capture_output=True).stdout


class Tree:
    """The HEAD tree of one mirror: path -> (blob id, size), and folder listings."""

    def __init__(self, gd: Path):
        self.gd = gd
        self.commit = git(gd, "rev-parse", "HEAD").decode().strip()
        self.blobs: dict[str, tuple[str, int]] = {}
        self.children: dict[str, set[str]] = defaultdict(set)  # folder -> names (files and folders)
        self.dirs: set[str] = {""}
        out = git(gd, "ls-tree", "-r", "-l", "-z", "HEAD")
        for rec in out.split(b"\0"):
            if not rec:
                continue
            meta, _, path = rec.partition(b"\t")
            mode, kind, oid, size = meta.split()
            p = path.decode("utf-8", "surrogateescape")
            parent = str(PurePosixPath(p).parent)
            parent = "" if parent == "." else parent
            self.children[parent].add(PurePosixPath(p).name)
            d = parent
            while d and d not in self.dirs:
                self.dirs.add(d)
                up = str(PurePosixPath(d).parent)
                up = "" if up == "." else up
                self.children[up].add(PurePosixPath(d).name)
                d = up
            if kind == b"blob" and mode in (b"100644", b"100755") and size.isdigit():
                # Size "BAD": the object is absent from the snapshot (files of 4 MiB and more).
                self.blobs[p] = (oid.decode(), int(size))

    def read_many(self, oids: list[str]) -> dict[str, bytes]:
        """Blob contents by id, through one `git cat-file --batch`."""
        res: dict[str, bytes] = {}
        if not oids:
            return res
        uniq = list(dict.fromkeys(oids))
        proc = subprocess.run(
            ["git", f"--git-dir={self.gd}", "cat-file", "--batch"],
            input=("\n".join(uniq) + "\n").encode(),
            capture_output=True,
            check=True,
        )
        buf, pos = proc.stdout, 0
        for oid in uniq:
            nl = buf.index(b"\n", pos)
            header = buf[pos:nl].split()
            pos = nl + 1
            if len(header) < 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            res[oid] = buf[pos : pos + size]
            pos += size + 1
        return res


def parse_repos(path: Path) -> list[dict]:
    repos = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        entry = {"repo": parts[0], "max": None, "dataset": False}
        for p in parts[1:]:
            if p.startswith("max="):
                entry["max"] = int(p[4:])
            elif p == "dataset":
                entry["dataset"] = True
            else:
                sys.exit(f"{path}: unknown option {p!r} for {parts[0]}")
        repos.append(entry)
    return repos


def is_dockerfile_path(p: str) -> str:
    """'' when p is not Dockerfile-like; 'template' for templates; 'yes' otherwise."""
    name = PurePosixPath(p).name
    if not DOCKERFILE_NAME.match(name) or NOT_DOCKERFILE_SUFFIX.search(name):
        return ""
    if TEMPLATE_SUFFIX.search(name):
        return "template"
    return "yes"


def flat_name(repo: str, path: str) -> str:
    owner, name = repo.split("/", 1)
    safe = re.sub(r"[^A-Za-z0-9._+,=@-]", "_", path.replace("/", "__"))
    return f"{owner}__{name}__{safe}"


COPY_RE = re.compile(r"^\s*(COPY|ADD)\s+(.*)$", re.I)


def copy_sources(text: str) -> list[str]:
    """First path components of COPY/ADD sources without --from (rough, for context choice)."""
    srcs: list[str] = []
    joined = re.sub(r"\\\r?\n", " ", text)
    for line in joined.splitlines():
        m = COPY_RE.match(line)
        if not m:
            continue
        words = [w for w in m.group(2).split() if not w.startswith("--")]
        if any(w.startswith("--from") for w in m.group(2).split()):
            continue
        if m.group(2).lstrip().startswith("["):
            try:
                words = json.loads(m.group(2).strip())
            except ValueError:
                continue
        for w in words[:-1]:
            if "://" in w or "$" in w:
                continue
            w = w.strip('"').lstrip("./")
            first = w.split("/", 1)[0]
            if first and first not in (".", "..") and not any(c in first for c in "*?["):
                srcs.append(first)
    return srcs


def choose_context(tree: Tree, path: str, text: str) -> str:
    here = str(PurePosixPath(path).parent)
    here = "" if here == "." else here
    srcs = set(copy_sources(text))
    if not srcs:
        return here
    def score(d: str) -> int:
        return len(srcs & tree.children.get(d, set()))
    best, best_score = here, score(here)
    if best_score > 0:
        return here
    d = here
    while d:
        d = str(PurePosixPath(d).parent)
        d = "" if d == "." else d
        s = score(d)
        if s > best_score:
            best, best_score = d, s
    return best


def context_files(tree: Tree, ctx: str) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, str, int]]]:
    """Root files (relative path, blob id) to keep, root folder names, deeper Go files."""
    prefix = f"{ctx}/" if ctx else ""
    keep: list[tuple[str, str]] = []
    root_dirs: list[str] = []
    for name in sorted(tree.children.get(ctx, ())):
        full = prefix + name
        if full in tree.dirs:
            root_dirs.append(name)
            continue
        if name in SKIP_CONTEXT_NAMES or DOCKERFILE_NAME.match(name):
            continue
        blob = tree.blobs.get(full)
        if blob and blob[1] <= MAX_CONTEXT_FILE_BYTES:
            keep.append((name, blob[0]))
    # Go sources a few levels deep, within a byte budget.
    go: list[tuple[str, str, int]] = []
    for p, (oid, size) in tree.blobs.items():
        if not p.endswith(".go") or not p.startswith(prefix):
            continue
        rel = p[len(prefix) :]
        parts = rel.split("/")
        if len(parts) > GO_DEPTH + 1 or any(
            x.startswith(".") or x in ("vendor", "node_modules") for x in parts[:-1]
        ):
            continue
        if "/" in rel:
            go.append((rel, oid, size))
    return keep, root_dirs, go


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repos", type=Path, default=HERE / "repos.txt")
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=Path("/work/corpus"))
    args = ap.parse_args()

    out: Path = args.out
    for sub in ("files", "contexts"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)

    seen: dict[str, str] = {}  # content sha1 -> file name kept
    index_rows, dup_rows, template_rows = [], [], []
    per_repo: dict[str, dict] = {}
    missing: list[str] = []
    total_found = 0

    for entry in parse_repos(args.repos):
        repo = entry["repo"]
        gd = git_dir(args.mirrors, repo)
        if gd is None:
            missing.append(repo)
            print(f"missing mirror: {repo}", file=sys.stderr)
            continue
        tree = Tree(gd)
        cands = []
        for p, (oid, size) in tree.blobs.items():
            kind = is_dockerfile_path(p)
            if kind == "template":
                template_rows.append((repo, tree.commit, p))
            elif kind == "yes" and 0 < size <= MAX_DOCKERFILE_BYTES:
                cands.append(p)
        found = len(cands)
        total_found += found
        cands.sort(key=lambda p: hashlib.sha1(f"{repo}/{p}".encode()).hexdigest())
        if entry["max"] is not None:
            cands = cands[: entry["max"]]
        cands.sort()
        texts = tree.read_many([tree.blobs[p][0] for p in cands])
        stats = {"found": found, "sampled": len(cands), "kept": 0, "duplicates": 0, "binary": 0, "commit": tree.commit}
        pending_ctx: list[tuple[str, str]] = []
        for p in cands:
            data = texts.get(tree.blobs[p][0], b"")
            if b"\0" in data:
                stats["binary"] += 1
                continue
            digest = hashlib.sha1(data).hexdigest()
            name = flat_name(repo, p)
            if digest in seen:
                stats["duplicates"] += 1
                dup_rows.append((seen[digest], repo, p))
                continue
            seen[digest] = name
            (out / "files" / name).write_bytes(data)
            stats["kept"] += 1
            upstream = "-"
            if entry["dataset"]:
                ctx = "-"
                m = re.match(r"^data/[^/]+/([^/]+)/([^/]+)/", p) or re.match(r"^github\.com/([^/]+)/([^/]+)/", p)
                if m:
                    upstream = f"{m.group(1)}/{m.group(2)}"
            else:
                ctx = choose_context(tree, p, data.decode("utf-8", "replace"))
                pending_ctx.append((name, ctx))
            index_rows.append((name, repo, tree.commit, p, ctx if ctx != "" else ".", upstream))
            (out / "contexts" / name).mkdir()
        # Build contexts: gather blob ids, read them in one batch, write.
        plans = []
        wanted: list[str] = []
        for name, ctx in pending_ctx:
            keep, root_dirs, go = context_files(tree, ctx)
            wanted += [oid for _, oid in keep] + [oid for _, oid, _ in go]
            plans.append((name, keep, root_dirs, go))
        blobs = tree.read_many(wanted)
        for name, keep, root_dirs, go in plans:
            cdir = out / "contexts" / name
            for d in root_dirs:
                (cdir / d).mkdir(exist_ok=True)
            for rel, oid in keep:
                (cdir / rel).write_bytes(blobs.get(oid, b""))
            # Go files: those that may import "C" first, then the rest, within the budget.
            go.sort(key=lambda g: (b'"C"' not in blobs.get(g[1], b""), g[0]))
            budget = MAX_GO_BYTES - sum((cdir / rel).stat().st_size for rel, _ in keep if rel.endswith(".go"))
            for rel, oid, size in go:
                if size > budget:
                    continue
                budget -= size
                target = cdir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blobs.get(oid, b""))
        per_repo[repo] = stats
        print(f"{repo}: {found} found, {len(cands)} sampled, {stats['kept']} kept, {stats['duplicates']} duplicates", file=sys.stderr)

    with open(out / "index.tsv", "w") as f:
        f.write("file\trepo\tcommit\tpath\tcontext\tupstream\n")
        for r in index_rows:
            f.write("\t".join(r) + "\n")
    with open(out / "duplicates.tsv", "w") as f:
        f.write("kept_as\trepo\tpath\n")
        for r in dup_rows:
            f.write("\t".join(r) + "\n")
    with open(out / "templates.tsv", "w") as f:
        f.write("repo\tcommit\tpath\n")
        for r in template_rows:
            f.write("\t".join(r) + "\n")
    summary = {
        "repositories": len(per_repo),
        "missing_mirrors": missing,
        "dockerfiles_found": total_found,
        "sampled": sum(s["sampled"] for s in per_repo.values()),
        "kept_after_dedup": len(index_rows),
        "duplicates": len(dup_rows),
        "templates_left_out": len(template_rows),
        "per_repo": per_repo,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(
        f"{summary['sampled']} sampled of {total_found} found in {len(per_repo)} repositories; "
        f"{len(index_rows)} kept after dedup ({len(dup_rows)} identical copies left out)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
