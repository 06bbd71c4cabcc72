#!/usr/bin/env python3
"""Collect the machine-learning Dockerfile sample from repository mirrors.

Re-run (from the worktree root; the figures need BuildKit's parser, which /work/main/.venv has):

    /work/main/.venv/bin/python scripts/corpus/collect_ml.py      # reads scripts/corpus/ml-repos.txt
    /work/main/.venv/bin/python scripts/corpus/collect_ml.py --out /work/corpus-ml --mirrors /work/.mirror

The mirrors come as for collect.py (an agent's `fetch github:OWNER/NAME` per line of
ml-repos.txt, a git directory at /work/.mirror/OWNER+NAME/repo); a missing mirror is reported and
skipped. The repository list has collect.py's format (`OWNER/NAME [max=N] [dataset]`); `max=N`
is honoured the same way (deterministic sample), but it is applied to the ML files only.

Which Dockerfiles are kept: every Dockerfile-named file (collect.py's rules) of every listed
repository that matches at least one criterion below; the criteria each file matched are the
`ml` column of index.tsv (comma-separated):
  from:<family>    a FROM (global ARG defaults expanded) of nvidia/cuda, pytorch/pytorch,
                   tensorflow/tensorflow, nvcr.io/nvidia/*, continuumio/*conda*, condaforge/*,
                   mambaorg/micromamba, jupyter/* or quay.io/jupyter/*, huggingface/*, rocm/*
  install:<pkg>    a pip / uv pip / conda / mamba / micromamba install in the Dockerfile of
                   torch, tensorflow, jax, transformers, scikit-learn, keras, xgboost, lightgbm,
                   onnxruntime, vllm, sentence-transformers, diffusers, spacy, nltk, opencv-python
                   (and their -gpu/-cpu/-headless variants, conda's `pytorch`, `sklearn`, wheel
                   URLs and git URLs of them)
  reqs:<pkg>       the same package listed in a requirements / environment / pyproject / Pipfile
                   file of the build context that the Dockerfile installs (`pip install -r F`,
                   `conda env create -f F`, `pip install .`, `poetry install` …)
  script:<pkg>     the same package installed by a shell script of the build context that a RUN
                   runs (`RUN ./install.sh`, `RUN bash scripts/setup.sh`)
  conda-env        a conda environment file install (`conda env create|update`, `conda|mamba|
                   micromamba create|install|update -f F`, `conda install --file F`)

Output (the folder is emptied first), collect.py's layout plus:
  files/, contexts/   as collect.py (contexts: the root files, folder names and Go sources that
                   collect.py keeps), and in addition the context's *.py files and its
                   requirements*.txt / *.in, environment*.yml|yaml, conda files (name with
                   "conda" or "environment", .yml/.yaml/.txt/.lock), pyproject.toml, setup.cfg
                   and shell scripts a RUN names, in sub-folders up to 4 levels deep
                   (dot-folders, node_modules, vendor, site-packages, venvs skipped), within
                   300 KiB a context: manifests first, then the files the Dockerfile names, then
                   the shallower and smaller ones. The context folder is collect.py's choice,
                   except for a Dockerfile whose only COPY/ADD source is the whole context
                   (`COPY . .`, as in docker/x/Dockerfile built with `-f` from the repository
                   root): there the nearest folder, its own or an ancestor, that holds most of
                   the files its RUNs name (`pip install -r requirements.txt`) is taken
  index.tsv        file, repo, commit, path, context, upstream, ml
  duplicates.tsv   kept_as, repo, path (identical content kept once; repositories with a build
                   context are read before the dataset collections, so the copy kept is the one
                   with a context when there is one)
  templates.tsv    Dockerfile-named templates left out that match a criterion
  summary.json     per repository: Dockerfiles found, ML files, kept, duplicates; per criterion
  figures.md       the sample's figures (per source and criterion, contexts, own command, FROM
                   bases, train / model download during the build, conda, CUDA devel, images
                   with no command)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import collect  # noqa: E402  (collect.py's mirror reading, naming and context choice)

EXTRA_BUDGET = 300 << 10
EXTRA_DEPTH = 4  # folders below the context root
SKIP_DIRS = {"node_modules", "vendor", "site-packages", "venv", ".venv", "env", "__pycache__", "dist-packages", "third_party_licenses"}

# ---------------------------------------------------------------------------------------------
# Criteria

BASE_FAMILIES = [
    ("nvidia/cuda", re.compile(r"^nvidia/cuda(:|@|$)")),
    ("pytorch/pytorch", re.compile(r"^pytorch/pytorch(:|@|$)")),
    ("tensorflow/tensorflow", re.compile(r"^tensorflow/tensorflow(:|@|$)")),
    ("nvcr.io/nvidia", re.compile(r"^nvcr\.io/nvidia/")),
    ("continuumio", re.compile(r"^continuumio/[^:@]*conda")),
    ("condaforge", re.compile(r"^condaforge/")),
    ("mambaorg/micromamba", re.compile(r"^mambaorg/micromamba(:|@|$)")),
    ("jupyter", re.compile(r"^(quay\.io/)?jupyter/")),
    ("huggingface", re.compile(r"^huggingface/")),
    ("rocm", re.compile(r"^rocm/")),
]

# Distribution name (PEP 503 normalised) or conda package name -> criterion package.
PACKAGES = {
    "torch": "torch", "pytorch": "torch", "pytorch-gpu": "torch", "pytorch-cpu": "torch", "torch-cpu": "torch",
    "tensorflow": "tensorflow", "tensorflow-gpu": "tensorflow", "tensorflow-cpu": "tensorflow",
    "tf-nightly": "tensorflow", "tf-nightly-gpu": "tensorflow", "tensorflow-macos": "tensorflow",
    "intel-tensorflow": "tensorflow", "tensorflow-intel": "tensorflow", "tensorflow-rocm": "tensorflow",
    "jax": "jax", "jaxlib": "jax",
    "transformers": "transformers",
    "scikit-learn": "scikit-learn", "sklearn": "scikit-learn",
    "keras": "keras", "tf-keras": "keras", "keras-nightly": "keras",
    "xgboost": "xgboost", "py-xgboost": "xgboost", "py-xgboost-gpu": "xgboost",
    "lightgbm": "lightgbm",
    "onnxruntime": "onnxruntime", "onnxruntime-gpu": "onnxruntime", "onnxruntime-openvino": "onnxruntime",
    "onnxruntime-directml": "onnxruntime", "onnxruntime-training": "onnxruntime",
    "vllm": "vllm",
    "sentence-transformers": "sentence-transformers",
    "diffusers": "diffusers",
    "spacy": "spacy", "spacy-nightly": "spacy",
    "nltk": "nltk",
    "opencv-python": "opencv-python", "opencv-python-headless": "opencv-python",
    "opencv-contrib-python": "opencv-python", "opencv-contrib-python-headless": "opencv-python",
}
# GitHub repositories whose source install (`pip install git+…`, a clone) is one of the packages.
GIT_REPOS = {
    "pytorch/pytorch": "torch", "tensorflow/tensorflow": "tensorflow", "google/jax": "jax", "jax-ml/jax": "jax",
    "huggingface/transformers": "transformers", "scikit-learn/scikit-learn": "scikit-learn",
    "keras-team/keras": "keras", "fchollet/keras": "keras", "dmlc/xgboost": "xgboost",
    "microsoft/lightgbm": "lightgbm", "microsoft/onnxruntime": "onnxruntime", "vllm-project/vllm": "vllm",
    "ukplab/sentence-transformers": "sentence-transformers", "huggingface/sentence-transformers": "sentence-transformers",
    "huggingface/diffusers": "diffusers", "explosion/spacy": "spacy", "nltk/nltk": "nltk",
    "opencv/opencv-python": "opencv-python",
}

PKG_TOOL = r"(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip|uv\s+pip|conda|mamba|micromamba|pipx|easy_install)"
# `pip [opts] install ARGS` up to the end of the shell command.
INSTALL_RE = re.compile(rf"(?<![\w/.-]){PKG_TOOL}\s+(?:-{{1,2}}[\w-]+(?:[= ](?!install\b)[^\s-][^\s]*)?\s+)*?install\b([^;&|\n)]*)", re.I)
CONDA_ENV_RE = re.compile(
    r"(?<![\w/.-])(?:conda|mamba|micromamba)\s+(?:env\s+(?:create|update)\b[^;&|\n]*"
    r"|(?:create|install|update)\b[^;&|\n]*?(?:\s-f\s*|\s--file[= ])\s*\S+)",
    re.I,
)
REQ_FILE_RE = re.compile(r"(?:\s-r\s*|\s--requirement[= ]|\s-c\s*|\s--constraint[= ])\s*([^\s;&|]+)")
ENV_FILE_RE = re.compile(r"(?:\s-f\s*|\s--file[= ])\s*([^\s;&|]+)")
PROJECT_INSTALL_RE = re.compile(
    r"(?<![\w/.-])(?:(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip|uv\s+pip)\s+install\b[^;&|\n]*?\s(?:-e\s+)?(\.{1,2}(?:/[^\s\[;&|]*)?|/[^\s\[;&|]+)(?:\[[^\]]*\])?(?=\s|$)"
    r"|poetry\s+install|uv\s+sync|pipenv\s+install|pdm\s+install|python[0-9.]*\s+setup\.py\s+(?:install|develop))",
    re.I,
)
SCRIPT_RUN_RE = re.compile(r"(?:^|[;&|]\s*|\s)(?:(?:ba)?sh\s+(?:-\w+\s+)*)?((?:\.{0,2}/)?[\w./${}-]*[\w-]+\.sh)\b")
GIT_URL_RE = re.compile(r"github\.com[/:]([\w.-]+)/([\w.-]+?)(?:\.git)?(?=[@#/\s\"']|$)", re.I)


def norm_pkg(word: str) -> str | None:
    """The criterion package a pip/conda install argument names, or None."""
    w = word.strip("\"'").strip()
    if not w or w.startswith("-") or w.startswith("$"):
        return None
    if "://" in w or w.endswith(".whl") or w.startswith("git+"):
        m = GIT_URL_RE.search(w)
        if m and f"{m.group(1)}/{m.group(2)}".lower() in GIT_REPOS:
            return GIT_REPOS[f"{m.group(1)}/{m.group(2)}".lower()]
        base = w.rstrip("/").rsplit("/", 1)[-1]
        m = re.match(r"([A-Za-z0-9_.]+?)-\d", base)
        if m:
            return PACKAGES.get(re.sub(r"[-_.]+", "-", m.group(1)).lower())
        return None
    if "::" in w:  # conda channel::package
        w = w.split("::", 1)[1]
    m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)", w)
    if not m:
        return None
    return PACKAGES.get(re.sub(r"[-_.]+", "-", m.group(1)).lower())


def expand_vars(text: str, values: dict[str, str]) -> str:
    def rep(m):
        k = m.group(1) or m.group(3)
        if k in values and values[k]:
            return values[k]
        if m.group(2):  # ${K:-default}
            return m.group(2)
        return m.group(0)

    return re.sub(r"\$\{([A-Za-z_]\w*)(?::?[-=]([^}]*))?\}|\$([A-Za-z_]\w*)", rep, text)


def logical_lines(text: str) -> list[str]:
    """Instructions with continuation lines joined, comments dropped (rough, for matching)."""
    out: list[str] = []
    cur = ""
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#") and not cur:
            continue
        if cur and s.startswith("#"):
            continue
        if s.endswith("\\"):
            cur += s[:-1] + " "
            continue
        cur += s
        if cur.strip():
            out.append(cur.strip())
        cur = ""
    if cur.strip():
        out.append(cur.strip())
    return out


def arg_values(lines: list[str]) -> dict[str, str]:
    vals: dict[str, str] = {}
    for ln in lines:
        m = re.match(r"(ARG|ENV)\s+(.*)$", ln, re.I)
        if not m:
            continue
        body = m.group(2)
        pairs = re.findall(r"([A-Za-z_]\w*)=(\"[^\"]*\"|'[^']*'|\S*)", body)
        if not pairs and m.group(1).upper() == "ENV":
            parts = body.split(None, 1)
            if len(parts) == 2:
                pairs = [(parts[0], parts[1])]
        for k, v in pairs:
            v = v.strip("\"'")
            if v and k not in vals:
                vals[k] = expand_vars(v, vals)
    return vals


def image_family_tag(ref: str) -> str:
    ref = ref.strip().strip("\"'")
    ref = re.sub(r"^(docker\.io/|index\.docker\.io/|registry\.hub\.docker\.com/)", "", ref)
    ref = re.sub(r"^library/", "", ref)
    return ref.lower()


def from_images(lines: list[str], vals: dict[str, str]) -> list[str]:
    imgs = []
    for ln in lines:
        m = re.match(r"FROM\s+(?:--\S+\s+)*(\S+)", ln, re.I)
        if m:
            imgs.append(image_family_tag(expand_vars(m.group(1), vals)))
    return imgs


class Context:
    """Read access to one build context inside a mirror (paths relative to the context)."""

    def __init__(self, tree: "collect.Tree", ctx: str):
        self.tree, self.ctx = tree, ctx
        self.prefix = f"{ctx}/" if ctx else ""
        self._cache: dict[str, bytes] = {}

    def files(self) -> list[str]:
        p = self.prefix
        return [x[len(p):] for x in self.tree.blobs if x.startswith(p)]

    def find(self, ref: str) -> str | None:
        """A context path for a file the Dockerfile names (as given, or by its name)."""
        ref = ref.strip("\"'")
        if "$" in ref or not ref:
            return None
        rel = ref.lstrip("./") if not ref.startswith("/") else ref.lstrip("/")
        if self.prefix + rel in self.tree.blobs:
            return rel
        name = PurePosixPath(ref).name
        best = None
        for f in self.files():
            if PurePosixPath(f).name == name and f.count("/") <= EXTRA_DEPTH:
                # an absolute in-image path: prefer a context path that ends the same way
                score = (not ref.endswith(f), f.count("/"), f)
                if best is None or score < best[0]:
                    best = (score, f)
        return best[1] if best else None

    def read(self, rel: str) -> str:
        full = self.prefix + rel
        if full not in self._cache:
            blob = self.tree.blobs.get(full)
            if not blob or blob[1] > 1 << 20:
                self._cache[full] = b""
            else:
                self._cache[full] = self.tree.read_many([blob[0]]).get(blob[0], b"")
        return self._cache[full].decode("utf-8", "replace")


def packages_in_manifest(text: str, ctx: Context | None = None, depth: int = 0) -> set[str]:
    """Criterion packages a requirements / environment / pyproject / Pipfile text lists."""
    found: set[str] = set()
    for line in text.splitlines():
        s = line.split("#", 1)[0].strip()
        if not s:
            continue
        m = re.match(r"-r\s*(\S+)|--requirement[= ](\S+)", s)
        if m and ctx is not None and depth < 2:
            inc = ctx.find(m.group(1) or m.group(2))
            if inc:
                found |= packages_in_manifest(ctx.read(inc), ctx, depth + 1)
            continue
        s = re.sub(r"^-\s+", "", s)  # YAML list item
        s = re.sub(r"^(-e\s+)", "", s)
        for tok in re.findall(r"\"([^\"]+)\"|'([^']+)'|^([^\s=:]+)", s):
            w = next(t for t in tok if t)
            pkg = norm_pkg(w)
            if pkg:
                found.add(pkg)
        # TOML `torch = "^2.0"` / Pipfile `torch = "*"`
        m = re.match(r"([A-Za-z0-9_.-]+)\s*=", s)
        if m and norm_pkg(m.group(1)):
            found.add(norm_pkg(m.group(1)))
    return found


def install_packages(segment: str) -> set[str]:
    out = set()
    for w in segment.split():
        p = norm_pkg(w)
        if p:
            out.add(p)
    return out


def classify(text: str, ctx: Context | None) -> list[str]:
    """The criteria a Dockerfile matches (sorted); empty when it is not an ML Dockerfile."""
    lines = logical_lines(text)
    vals = arg_values(lines)
    crit: set[str] = set()
    for img in from_images(lines, vals):
        for label, rx in BASE_FAMILIES:
            if rx.match(img):
                crit.add(f"from:{label}")
    runs = [expand_vars(ln, vals) for ln in lines if re.match(r"RUN\b", ln, re.I)]
    body = "\n".join(runs)
    for m in INSTALL_RE.finditer(body):
        for p in install_packages(m.group(1)):
            crit.add(f"install:{p}")
    for m in re.finditer(r"git\s+clone\b[^;&|\n]*", body):
        g = GIT_URL_RE.search(m.group(0))
        if g and f"{g.group(1)}/{g.group(2)}".lower() in GIT_REPOS:
            crit.add(f"install:{GIT_REPOS[f'{g.group(1)}/{g.group(2)}'.lower()]}")
    if CONDA_ENV_RE.search(body):
        crit.add("conda-env")
    if ctx is not None:
        copied = [w for ln in lines if re.match(r"(COPY|ADD)\s", ln, re.I) for w in ln.split()[1:-1] if not w.startswith("--")]
        for f in manifests_installed(body, ctx, copied):
            for p in packages_in_manifest(ctx.read(f), ctx):
                crit.add(f"reqs:{p}")
        for f in scripts_run(body, ctx):
            stext = ctx.read(f)
            stext = re.sub(r"\\\r?\n", " ", stext)
            for m in INSTALL_RE.finditer(stext):
                for p in install_packages(m.group(1)):
                    crit.add(f"script:{p}")
            if CONDA_ENV_RE.search(stext):
                crit.add("conda-env")
    return sorted(crit)


def manifests_installed(body: str, ctx: Context, copied: list[str] = ()) -> list[str]:
    """Context paths of the manifests the RUNs install from."""
    out: list[str] = []
    for m in INSTALL_RE.finditer(body):
        seg = " " + m.group(1)
        for r in REQ_FILE_RE.finditer(seg):
            f = ctx.find(r.group(1))
            if f:
                out.append(f)
    for m in CONDA_ENV_RE.finditer(body):
        fm = ENV_FILE_RE.search(" " + m.group(0))
        f = ctx.find(fm.group(1)) if fm else ctx.find("environment.yml") or ctx.find("environment.yaml")
        if f:
            out.append(f)
    projects = ["pyproject.toml", "setup.py", "setup.cfg", "Pipfile"]
    for m in PROJECT_INSTALL_RE.finditer(body):
        sub = m.group(1) if m.group(1) and not m.group(1).startswith("/") else "."
        sub = sub.strip("./")
        for name in projects:
            rel = f"{sub}/{name}" if sub else name
            if ctx.prefix + rel in ctx.tree.blobs:
                out.append(rel)
    if PROJECT_INSTALL_RE.search(body):
        # project files the Dockerfile copies in (`COPY sub/pyproject.toml sub/` then `uv sync`)
        for src in copied:
            if PurePosixPath(src).name in projects:
                f = ctx.find(src)
                if f:
                    out.append(f)
    return list(dict.fromkeys(out))


def scripts_run(body: str, ctx: Context) -> list[str]:
    out = []
    for m in SCRIPT_RUN_RE.finditer(body):
        f = ctx.find(m.group(1))
        if f:
            out.append(f)
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------------------------
# Context choice

# A relative path a RUN names (its first component is matched against the candidate folders).
RUN_REF_RE = re.compile(r"(?<![\w/.$@:=-])(?:\./)?([\w.-]+(?:/[\w.-]+)*\.(?:txt|toml|cfg|py|sh|ya?ml|lock|in|json))(?![\w/])")
COPY_ALL_RE = re.compile(r"^\s*(?:COPY|ADD)\s+(?:--\S+\s+)*\.{1,2}/?\s+\S+\s*$", re.I | re.M)


def choose_context(tree: "collect.Tree", path: str, text: str) -> str:
    """collect.py's context folder, but for a Dockerfile that copies the whole context and names
    no other source (collect.py then takes the Dockerfile's own folder, which for docker/x/Dockerfile
    or .devops/x.Dockerfile built with `-f` from the root is not the context): the nearest folder,
    its own or an ancestor, holding most of the files its RUNs name."""
    ctx = collect.choose_context(tree, path, text)
    if collect.copy_sources(text) or not COPY_ALL_RE.search(re.sub(r"\\\r?\n", " ", text)):
        return ctx
    runs = " ".join(ln for ln in logical_lines(text) if re.match(r"RUN\b", ln, re.I))
    refs = {m.group(1).split("/", 1)[0] for m in RUN_REF_RE.finditer(runs)} - {".", ".."}
    if not refs:
        return ctx

    def score(d: str) -> int:
        return len(refs & tree.children.get(d, set()))

    best, best_score, d = ctx, score(ctx), ctx
    while d:
        d = str(PurePosixPath(d).parent)
        d = "" if d == "." else d
        if score(d) > best_score:
            best, best_score = d, score(d)
    return best


# ---------------------------------------------------------------------------------------------
# Context files beyond collect.py's


def is_manifest(name: str) -> bool:
    n = name.lower()
    return bool(
        re.match(r"requirements.*\.(txt|in)$", n)
        or re.match(r".*(environment|conda).*\.(ya?ml|txt|lock)$", n)
        or n in ("pyproject.toml", "setup.cfg", "pipfile")
    )


def extra_context_files(tree: "collect.Tree", ctx: str, dockerfile_text: str) -> list[tuple[str, str, int]]:
    """(relative path, blob id, size) of the *.py files, manifests and RUN-named shell scripts in
    sub-folders, in the order they are taken within EXTRA_BUDGET."""
    prefix = f"{ctx}/" if ctx else ""
    named = set(re.findall(r"[\w.-]+\.(?:py|sh|txt|ya?ml)", dockerfile_text))
    cands = []
    for p, (oid, size) in tree.blobs.items():
        if not p.startswith(prefix):
            continue
        rel = p[len(prefix):]
        parts = rel.split("/")
        if len(parts) < 2 or len(parts) - 1 > EXTRA_DEPTH:
            continue  # root files are collect.py's
        if any(x.startswith(".") or x in SKIP_DIRS for x in parts[:-1]):
            continue
        name = parts[-1]
        if collect.DOCKERFILE_NAME.match(name):
            continue
        if is_manifest(name):
            rank = 0
        elif name in named and (name.endswith(".py") or name.endswith(".sh")):
            rank = 1
        elif name.endswith(".py"):
            rank = 3 if any(x in ("test", "tests", "docs", "examples", "benchmarks") for x in parts[:-1]) else 2
        else:
            continue
        cands.append((rank, len(parts), size, rel, oid))
    cands.sort()
    out, budget = [], EXTRA_BUDGET
    for rank, _, size, rel, oid in cands:
        if size > budget:
            continue
        budget -= size
        out.append((rel, oid, size))
    return out


def upstream_of(path: str) -> str:
    m = re.match(r"^data/[^/]+/([^/]+)/([^/]+)/", path) or re.match(r"^github\.com/([^/]+)/([^/]+)/", path)
    return f"{m.group(1)}/{m.group(2)}" if m else "-"


# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repos", type=Path, default=HERE / "ml-repos.txt")
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=Path("/work/corpus-ml"))
    ap.add_argument("--count-only", action="store_true", help="print per repository how many ML files it holds; write nothing")
    ap.add_argument("--no-figures", action="store_true", help="do not write figures.md")
    ap.add_argument("repo", nargs="*", help="only these repositories (OWNER/NAME; with --count-only: need not be listed)")
    args = ap.parse_args()

    entries = collect.parse_repos(args.repos)
    if args.repo:
        listed = {e["repo"]: e for e in entries}
        entries = [listed.get(r, {"repo": r, "max": None, "dataset": False}) for r in args.repo]
    # Repositories with a build context first, so a file's kept copy is the one with its context.
    entries.sort(key=lambda e: e["dataset"])

    out: Path = args.out
    if not args.count_only:
        for sub in ("files", "contexts"):
            shutil.rmtree(out / sub, ignore_errors=True)
            (out / sub).mkdir(parents=True)

    seen: dict[str, str] = {}
    index_rows, dup_rows, template_rows = [], [], []
    per_repo: dict[str, dict] = {}
    per_criterion: Counter = Counter()
    missing: list[str] = []

    for entry in entries:
        repo = entry["repo"]
        gd = collect.git_dir(args.mirrors, repo)
        if gd is None:
            missing.append(repo)
            print(f"missing mirror: {repo}", file=sys.stderr)
            continue
        tree = collect.Tree(gd)
        cands, templates = [], []
        for p, (oid, size) in tree.blobs.items():
            kind = collect.is_dockerfile_path(p)
            if kind == "template" and 0 < size <= collect.MAX_DOCKERFILE_BYTES:
                templates.append(p)
            elif kind == "yes" and 0 < size <= collect.MAX_DOCKERFILE_BYTES:
                cands.append(p)
        found = len(cands)
        texts = tree.read_many([tree.blobs[p][0] for p in cands + templates])
        ml: list[tuple[str, bytes, list[str], str]] = []
        binary = 0
        for p in sorted(cands):
            data = texts.get(tree.blobs[p][0], b"")
            if b"\0" in data:
                binary += 1
                continue
            text = data.decode("utf-8", "replace")
            ctx = "-" if entry["dataset"] else choose_context(tree, p, text)
            crit = classify(text, None if entry["dataset"] else Context(tree, ctx))
            if crit:
                ml.append((p, data, crit, ctx))
        for p in sorted(templates):
            data = texts.get(tree.blobs[p][0], b"")
            if b"\0" not in data and classify(data.decode("utf-8", "replace"), None):
                template_rows.append((repo, tree.commit, p))
        n_ml = len(ml)
        if entry["max"] is not None:
            ml.sort(key=lambda x: hashlib.sha1(f"{repo}/{x[0]}".encode()).hexdigest())
            ml = sorted(ml[: entry["max"]])
        stats = {"found": found, "ml": n_ml, "sampled": len(ml), "kept": 0, "duplicates": 0, "binary": binary,
                 "with_context": 0, "commit": tree.commit, "dataset": entry["dataset"]}
        if args.count_only:
            uniq = len({hashlib.sha1(d).hexdigest() for _, d, _, _ in ml})
            print(f"{repo}: {found} Dockerfiles, {n_ml} ML ({uniq} distinct)")
            continue
        plans = []
        for p, data, crit, ctx in ml:
            digest = hashlib.sha1(data).hexdigest()
            name = collect.flat_name(repo, p)
            if digest in seen:
                stats["duplicates"] += 1
                dup_rows.append((seen[digest], repo, p))
                continue
            seen[digest] = name
            (out / "files" / name).write_bytes(data)
            (out / "contexts" / name).mkdir()
            stats["kept"] += 1
            for c in crit:
                per_criterion[c] += 1
            upstream = upstream_of(p) if entry["dataset"] else "-"
            if not entry["dataset"]:
                stats["with_context"] += 1
                plans.append((name, ctx, data.decode("utf-8", "replace")))
            index_rows.append((name, repo, tree.commit, p, ctx if ctx != "" else ".", upstream, ",".join(crit)))
        write_contexts(tree, out, plans)
        per_repo[repo] = stats
        print(f"{repo}: {found} Dockerfiles, {n_ml} ML, {stats['kept']} kept, {stats['duplicates']} duplicates", file=sys.stderr)

    if args.count_only:
        return 0
    with open(out / "index.tsv", "w") as f:
        f.write("file\trepo\tcommit\tpath\tcontext\tupstream\tml\n")
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
        "dockerfiles_found": sum(s["found"] for s in per_repo.values()),
        "ml_found": sum(s["ml"] for s in per_repo.values()),
        "sampled": sum(s["sampled"] for s in per_repo.values()),
        "kept_after_dedup": len(index_rows),
        "duplicates": len(dup_rows),
        "with_context": sum(s["with_context"] for s in per_repo.values()),
        "templates_left_out": len(template_rows),
        "per_criterion": dict(sorted(per_criterion.items(), key=lambda kv: (-kv[1], kv[0]))),
        "per_repo": per_repo,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(
        f"{summary['ml_found']} ML Dockerfiles of {summary['dockerfiles_found']} in {len(per_repo)} repositories; "
        f"{len(index_rows)} kept after dedup ({len(dup_rows)} identical copies left out)",
        file=sys.stderr,
    )
    if not args.no_figures:
        try:
            (out / "figures.md").write_text(figures(out))
            print(f"wrote {out}/figures.md", file=sys.stderr)
        except ImportError as e:  # the figures read the files with BuildKit's parser
            print(f"figures.md not written ({e}): run with /work/main/.venv/bin/python", file=sys.stderr)
    return 0


def figures(out: Path) -> str:
    """figures.md: the sample's figures, from index.tsv, summary.json and the files."""
    import ml_checks  # needs BuildKit's parser (PyPI `dockerfile`)

    rows = []
    with open(out / "index.tsv") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    summary = json.loads((out / "summary.json").read_text())
    crit: Counter = Counter()
    groups: Counter = Counter()
    pkgs: Counter = Counter()
    bases: Counter = Counter()
    final_bases: Counter = Counter()
    shape: Counter = Counter()
    unparsed = 0
    for r in rows:
        cs = [c for c in r["ml"].split(",") if c]
        crit.update(cs)
        g = {c.split(":")[0] for c in cs}
        groups.update(g)
        if g == {"from"}:
            groups["only from:"] += 1
        pkgs.update({c.split(":", 1)[1] for c in cs if c.split(":")[0] in ("install", "reqs", "script")})
        text = (out / "files" / r["file"]).read_bytes().decode("utf-8", "replace")
        ctx = out / "contexts" / r["file"] if r["context"] != "-" else None
        try:
            sh = ml_checks.shapes(text, ctx)
            doc = ml_checks.Doc(text)
        except Exception:
            unparsed += 1
            continue
        fams = {doc.root_image(st).family.strip("\"'") or "(ARG without a default)" for st in doc.stages if st.parent is None}
        bases.update(fams)
        if doc.stages:
            final_bases[doc.root_image(doc.final()).family.strip("\"'") or "(ARG without a default)"] += 1
        for k, v in sh.items():
            if v:
                shape[k] += 1
        if not sh["own_command"]:
            shape["no_command"] += 1
            if sh["jupyter"]:
                shape["no_command_jupyter"] += 1
        elif sh["jupyter"]:
            shape["jupyter_with_command"] += 1
        if r["context"] != "-" and sh["own_command"]:
            shape["own_command_with_context"] += 1
    n = len(rows)
    with_ctx = sum(1 for r in rows if r["context"] != "-")
    pct = lambda k: f"{k:,} ({100 * k / n:.0f}%)" if n else "0"  # noqa: E731
    L = [
        "# ML Dockerfile sample: figures",
        "",
        f"{n:,} distinct ML Dockerfiles (after removing {summary['duplicates']:,} identical copies) of "
        f"{summary['ml_found']:,} ML files among {summary['dockerfiles_found']:,} Dockerfiles in "
        f"{summary['repositories']} repositories"
        + (f" ({len(summary['missing_mirrors'])} listed repositories without a mirror)" if summary["missing_mirrors"] else "")
        + ". Made by `scripts/corpus/collect_ml.py`; criteria in its docstring.",
        "",
        f"- with a build context (a repository, not a dataset collection): {pct(with_ctx)}; without: {pct(n - with_ctx)}",
        f"- with a CMD or ENTRYPOINT of their own (final stage): {pct(shape['own_command'])}; "
        f"of those with a build context: {shape['own_command_with_context']:,}",
        f"- not read by BuildKit's parser: {unparsed:,}",
        "",
        "## Per source",
        "",
        "| repository | Dockerfiles | ML | kept | identical copies | with context | upstream repos |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    ups = defaultdict(set)
    for r in rows:
        if r.get("upstream", "-") != "-":
            ups[r["repo"]].add(r["upstream"])
    for repo, st in sorted(summary["per_repo"].items(), key=lambda kv: (-kv[1]["kept"], kv[0])):
        L.append(f"| {repo} | {st['found']:,} | {st['ml']:,} | {st['kept']:,} | {st['duplicates']:,} | {st['with_context']:,} | "
                 f"{len(ups[repo]) if repo in ups else '-'} |")
    L += ["", "## Per criterion (a file counts once per criterion it matches)", "",
          "| kind | files |", "|---|---:|"]
    for k in ("from", "install", "reqs", "script", "conda-env", "only from:"):
        L.append(f"| {k}{':*' if k in ('from', 'install', 'reqs', 'script') else ''} | {groups.get(k, 0):,} |")
    L += ["", "| package (install:, reqs: or script:) | files |", "|---|---:|"]
    L += [f"| {k} | {v:,} |" for k, v in pkgs.most_common()]
    L += ["", "| criterion | files |", "|---|---:|"]
    L += [f"| `{k}` | {v:,} |" for k, v in sorted(crit.items(), key=lambda kv: (-kv[1], kv[0]))]
    L += ["", "## FROM bases (top 30; image families of the stages not built on an in-file stage, once a file)", "",
          "| image | files | as the final stage's |", "|---|---:|---:|"]
    L += [f"| `{k}` | {v:,} | {final_bases.get(k, 0):,} |" for k, v in bases.most_common(30)]
    L += ["", "## Shapes (final stage and the in-file stages it is built on; context scripts its RUNs run)", "",
          "| shape | files |", "|---|---:|",
          f"| trains during the build (RUN of a train script / `.fit(` + save in a script it runs, `rasa/spacy train`, `dvc repro`) | {pct(shape['train_during_build'])} |",
          f"| downloads a model during the build (HF, sentence-transformers, torch hub, keras, nltk, spaCy, whisper …, or wget/curl of weights) | {pct(shape['model_download_during_build'])} |",
          f"| conda environment (env file / `conda create` / conda installs on a conda base) | {pct(shape['conda_env'])} |",
          f"| CUDA devel base (nvidia/cuda *-devel*, pytorch/pytorch *-devel, NGC framework image) in some stage | {pct(shape['cuda_devel_base'])} |",
          f"| environment images with no command of their own | {pct(shape['no_command'])} |",
          f"| … of which Jupyter (jupyter base or installs) | {shape['no_command_jupyter']:,} |",
          f"| Jupyter images with a command | {shape['jupyter_with_command']:,} |",
          ""]
    return "\n".join(L) + "\n"


def write_contexts(tree: "collect.Tree", out: Path, plans: list[tuple[str, str, str]]) -> None:
    """collect.py's context files plus the ML extras, read in one batch."""
    full = []
    wanted: list[str] = []
    for name, ctx, text in plans:
        keep, root_dirs, go = collect.context_files(tree, ctx)
        extra = extra_context_files(tree, ctx, text)
        wanted += [oid for _, oid in keep] + [oid for _, oid, _ in go] + [oid for _, oid, _ in extra]
        full.append((name, keep, root_dirs, go, extra))
    blobs = tree.read_many(wanted)
    for name, keep, root_dirs, go, extra in full:
        cdir = out / "contexts" / name
        for d in root_dirs:
            (cdir / d).mkdir(exist_ok=True)
        for rel, oid in keep:
            (cdir / rel).write_bytes(blobs.get(oid, b""))
        # Go files as collect.py takes them: cgo ones first, within its budget.
        go.sort(key=lambda g: (b'"C"' not in blobs.get(g[1], b""), g[0]))
        budget = collect.MAX_GO_BYTES
        for rel, oid, size in go:
            if size > budget:
                continue
            budget -= size
            t = cdir / rel
            t.parent.mkdir(parents=True, exist_ok=True)
            t.write_bytes(blobs.get(oid, b""))
        for rel, oid, _ in extra:
            t = cdir / rel
            if t.exists():
                continue
            t.parent.mkdir(parents=True, exist_ok=True)
            t.write_bytes(blobs.get(oid, b""))


if __name__ == "__main__":
    sys.exit(main())
