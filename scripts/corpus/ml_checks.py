#!/usr/bin/env python3
"""Static trust checks for the ways a rewrite can break a machine-learning image.

    /work/main/.venv/bin/python scripts/corpus/ml_checks.py --corpus /work/corpus-ml --outputs DIR
    /work/main/.venv/bin/python scripts/corpus/ml_checks.py --self-test

DIR holds rewritten Dockerfiles named like the corpus's files/ (measure.py --keep DIR writes
them). measure.py runs the same checks with `--ml`. Like measure.py's trust checks they read the
Dockerfiles with BuildKit's parser (PyPI `dockerfile`, through measure.py's Doc model),
independently of slimfile's Rust code, and are applied to outputs that split stages or swap a
base. "Original" is the input's final stage (with the in-file stages it is built FROM),
"runtime" the output's. The build context (contexts/NAME: its *.py files, manifests and
scripts, as collect_ml.py keeps them) is read where a check needs to know what a script does.
Conservative: a counter is a shape to look at, not a proof of a broken image, and a missing
count proves nothing either (a script outside the context, a base image's own ENTRYPOINT, a
variable set at `docker run` are out of sight).

  model-cache-dropped    the original's final stage downloads a model during the build (HF
                         from_pretrained / snapshot_download / pipeline, huggingface-cli or
                         `hf download`, sentence-transformers, timm/open_clip pretrained, torch
                         hub and torchvision weights, keras applications / get_file, nltk,
                         whisper, clip, TF hub, gensim, stanza, easyocr; in a RUN or in a
                         context script a RUN runs) into a cache folder (the default under
                         HOME, or HF_HOME, HF_HUB_CACHE, TRANSFORMERS_CACHE, TORCH_HOME,
                         SENTENCE_TRANSFORMERS_HOME, KERAS_HOME, NLTK_DATA, XDG_CACHE_HOME …, or
                         an explicit cache_dir / download_dir), and the runtime neither runs the
                         download itself nor copies that folder to the same path, or it does
                         but resolves the cache elsewhere (other variables, HOME or USER).
                         spaCy's `spacy download` installs a pip package: it travels with the
                         environment and is not counted.
  written-path-dropped   an absolute path that the original's CMD/ENTRYPOINT or ENV names (or a
                         model file, *.pkl/*.pt/*.onnx …, the command names relative to
                         WORKDIR) that a RUN of the original wrote (an output option such as
                         --out, -o, --output-dir, --model-dir, --save-path, --local-dir;
                         mkdir; a redirect; wget -O/-P; curl -o; cp/mv/ln; tar -C; unzip -d;
                         git clone; a venv or conda prefix; a context script the RUN runs that
                         names the path, or the variable holding it, and saves a file) is not
                         in the runtime (not copied there, not written by a runtime RUN)
  cuda-flavor-mismatch   a runtime FROM nvidia/cuda whose CUDA version (major.minor), cuDNN
                         word or OS differs from the original's CUDA image; or a `-base`
                         runtime while the build links CUDA libraries beyond cudart: it
                         installs cuBLAS/cuDNN/cuFFT/cuRAND/cuSPARSE/NCCL packages, compiles
                         CUDA code (nvcc, CUDAExtension, TORCH_CUDA_ARCH_LIST, a source build of
                         torch), installs tensorflow without `[and-cuda]`, or the original
                         was a cudnn/runtime/devel flavor. (torch and jax wheels from PyPI or
                         PyTorch's index carry their CUDA libraries in nvidia-* wheels, so a
                         pip install of torch alone is not counted.) Also: the runtime has no
                         CUDA at all while the original's CUDA build compiled CUDA code.
  runtime-compiler-dropped  the context's sources or the installs use torch.compile / TorchInductor
                         or triton (need a host C compiler), torch.utils.cpp_extension
                         load/load_inline, vllm or sglang (need nvcc and the CUDA headers),
                         jax with a local CUDA (`jax[cudaNN_local]`, jaxlib +cuda: needs ptxas),
                         the original's image had that tool (devel flavor, NGC framework image,
                         full python/buildpack image, or installed it) and the runtime does not
                         (a -runtime/-base flavor, slim, distroless, a plain OS image) nor
                         installs it
  conda-run-dropped      the final CMD/ENTRYPOINT/SHELL (or the entrypoint script it runs, read
                         from the context) uses `conda run|activate`, `source activate`,
                         `mamba run` or `micromamba run|activate`, and the runtime has no conda
                         (its base is not a conda image, it installs none and does not copy a
                         whole conda root or the conda/micromamba binary)
  conda-prefix-moved     a conda environment or prefix (a path the original's build created with
                         `conda create -p`, `conda env create`, an installer's `-b -p`, or under
                         a conda base image's /opt/conda) copied into the runtime at another
                         path (environments are not relocatable; conda-pack + conda-unpack
                         excepted), or at the same path without PATH reaching its bin while the
                         original's PATH (or its base's activation) did and the command names
                         a bare program
  python-missing-on-cuda a runtime on nvidia/cuda (which has no Python) that runs Python (the
                         command, a .py file, gunicorn/uvicorn/…, or a venv/site-packages copied
                         in) without installing a python3 package or copying an interpreter or a
                         conda prefix, where the original installed one
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import shlex
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import Doc, Image, expand_env, join, kv_pairs, norm  # noqa: E402

CHECKS = [
    "model-cache-dropped",
    "written-path-dropped",
    "cuda-flavor-mismatch",
    "runtime-compiler-dropped",
    "conda-run-dropped",
    "conda-prefix-moved",
    "python-missing-on-cuda",
]

# ---------------------------------------------------------------------------------------------
# Base images (small tables; from the images' published Dockerfiles)

CONDA_ROOT = "/opt/conda"


def family(img: Image) -> str:
    return img.family


def is_cuda(img: Image) -> bool:
    return img.family == "nvidia/cuda" or img.family.startswith("nvidia/cuda")


def is_conda_base(img: Image) -> bool:
    f = img.family
    return (
        f.startswith("continuumio/")
        or f.startswith("condaforge/")
        or f == "pytorch/pytorch"
        or f.startswith("jupyter/")
        or f.startswith("quay.io/jupyter/")
        or f in ("conda/miniconda3", "conda/miniconda2")
    )


def is_micromamba_base(img: Image) -> bool:
    return img.family in ("mambaorg/micromamba",)


def is_ngc_framework(img: Image) -> bool:
    # NGC framework containers ship the whole CUDA toolkit (nvcc, headers, ptxas).
    return bool(re.match(r"(nvcr\.io/)?nvidia/(pytorch|tensorflow|jax|tritonserver|nemo|mxnet|paddlepaddle|pyg|dgl)", img.family)) or img.family.startswith("nvcr.io/")


def base_user_home(img: Image) -> tuple[str | None, str]:
    f = img.family
    if f.startswith("jupyter/") or f.startswith("quay.io/jupyter/"):
        return "jovyan", "/home/jovyan"
    if f == "mambaorg/micromamba":
        return "mambauser", "/home/mambauser"
    return None, "/root"


def base_env(img: Image) -> dict[str, str]:
    if is_conda_base(img):
        return {"PATH": "/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "CONDA_DIR": "/opt/conda"}
    if is_micromamba_base(img):
        # the image's entrypoint activates the base environment (MAMBA_ROOT_PREFIX)
        return {"MAMBA_ROOT_PREFIX": "/opt/conda", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
    if is_cuda(img):
        return {"PATH": "/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "CUDA_VERSION": ""}
    return {}


def base_activated_bins(img: Image) -> set[str]:
    """Folders a base image puts on the effective PATH (its ENV or its entrypoint's activation)."""
    if is_conda_base(img) or is_micromamba_base(img):
        return {"/opt/conda/bin"}
    return set()


CUDA_TAG = re.compile(
    r"^(?P<ver>\d+\.\d+)(?:\.\d+)?(?:-(?P<cudnn>cudnn\d*))?-(?P<flavor>base|runtime|devel)(?:-(?P<os>[a-z]+\d+(?:\.\d+)?))?"
)
PYTORCH_TAG = re.compile(r"cuda(?P<ver>\d+\.\d+)(?:\.\d+)?-(?P<cudnn>cudnn\d*)-(?P<flavor>runtime|devel)")


def cuda_info(img: Image) -> dict | None:
    """{ver, cudnn, flavor, os} of an nvidia/cuda or pytorch/pytorch tag, or None."""
    if is_cuda(img):
        m = CUDA_TAG.match(img.tag)
        if m:
            return m.groupdict()
        return None
    if img.family == "pytorch/pytorch":
        m = PYTORCH_TAG.search(img.tag)
        if m:
            d = m.groupdict()
            d["os"] = None
            return d
    return None


def flavor(img: Image) -> str | None:
    """devel / runtime / base / slim / distroless / full / os / None (unknown)."""
    info = cuda_info(img)
    if info:
        return info["flavor"]
    if is_ngc_framework(img):
        return "devel"
    if img.scratch or img.distroless:
        return "distroless"
    if img.family in ("debian", "ubuntu", "alpine") or img.family in ("centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "redhat/ubi8", "redhat/ubi9"):
        return "os"
    if "slim" in img.tag or img.alpine:
        return "slim"
    tools = img.tools()
    if tools is not None and "gcc" in tools:
        return "full"
    if is_conda_base(img) or is_micromamba_base(img):
        return "conda"
    return None


# ---------------------------------------------------------------------------------------------
# Stage walk: every RUN with the ENV, USER and WORKDIR it runs with


class Step:
    def __init__(self, text: str, original: str, workdir: str, env: dict[str, str], user: str | None, line: int):
        self.text, self.original, self.workdir, self.env, self.user, self.line = text, original, workdir, env, user, line


class Rt:
    """The runtime view of one stage (with its in-file parents) that the ML checks need."""

    def __init__(self, doc: Doc, st):
        self.doc, self.st = doc, st
        self.image = doc.root_image(st)
        self.env: dict[str, str] = dict(base_env(self.image))
        self.user: str | None = base_user_home(self.image)[0]
        self.homes: dict[str, str] = {}  # user -> home from useradd -d / -m
        self.workdir = self.image.default_workdir()
        self.steps: list[Step] = []
        self.copies: list[tuple[str, list[str], str | None]] = []  # (dest, sources normalised, from)
        self.entrypoint = self.cmd = self.shell = None
        for c in doc.cmds_of(st):
            k = c.cmd
            if k == "ENV":
                for a, b in kv_pairs(c):
                    self.env[a] = expand_env(b.strip('"').strip("'"), self.env)
            elif k == "USER":
                self.user = " ".join(c.value).split(":")[0]
            elif k == "WORKDIR":
                self.workdir = norm(join(self.workdir, expand_env(" ".join(c.value), self.env)))
            elif k == "ENTRYPOINT":
                self.entrypoint = (c.json, tuple(c.value))
                self.cmd = None
            elif k == "CMD":
                self.cmd = (c.json, tuple(c.value))
            elif k == "SHELL":
                self.shell = tuple(c.value)
            elif k in ("COPY", "ADD"):
                v = [expand_env(x, self.env) for x in c.value]
                if len(v) < 2:
                    continue
                frm = next((f.split("=", 1)[1] for f in c.flags if f.startswith("--from=")), None)
                dest = v[-1]
                d = norm(join(self.workdir, dest)) + ("/" if dest.endswith("/") or dest in (".", "./") else "")
                srcs = [norm("/" + s) if frm else s for s in v[:-1]]
                self.copies.append((d, srcs, frm))
            elif k == "RUN":
                text = " ".join(c.value) + " " + " ".join(h.content for h in getattr(c, "heredocs", ()) or ())
                self.steps.append(Step(text, c.original, self.workdir, dict(self.env), self.user, c.start_line))
                for m in re.finditer(r"(?:useradd|adduser)\b([^;&|]*)", text):
                    args = m.group(1).split()
                    name = next((a for a in reversed(args) if not a.startswith("-")), None)
                    hm = re.search(r"(?:-d|--home(?:-dir)?)[= ](\S+)", m.group(1))
                    if name:
                        self.homes[name] = hm.group(1) if hm else f"/home/{name}"

    def home(self, user: str | None = None, env: dict | None = None) -> str:
        env = self.env if env is None else env
        if "HOME" in env and env["HOME"].startswith("/"):
            return env["HOME"]
        u = self.user if user is None else user
        if not u or u in ("root", "0"):
            return "/root"
        if u in self.homes:
            return self.homes[u]
        bu, bh = base_user_home(self.image)
        if u == bu:
            return bh
        return f"/home/{u}" if not u.isdigit() else "/"

    def command_words(self) -> list[str]:
        words: list[str] = []
        for part in (self.entrypoint, self.cmd):
            if not part:
                continue
            if part[0]:
                words += list(part[1])
            else:
                s = " ".join(part[1])
                try:
                    words += shlex.split(s)
                except ValueError:
                    words += s.split()
        return words

    def run_text(self) -> str:
        return "\n".join(s.text for s in self.steps)

    def installs(self, pattern: str) -> bool:
        """A RUN installs a package whose name matches `pattern` (apt/apk/yum/dnf/conda/pip)."""
        rx = re.compile(pattern)
        for s in self.steps:
            for m in re.finditer(r"(?:apt-get|apt|apk|yum|dnf|microdnf|zypper|conda|mamba|micromamba|pip[0-9.]*|uv\s+pip)\s+(?:-\S+\s+)*(?:install|add)\s+([^;&|]*)", s.text):
                for w in m.group(1).split():
                    if not w.startswith("-") and rx.fullmatch(re.split(r"[=<>~]", w.strip("\"'"))[0].lower()):
                        return True
        return False

    def path_dirs(self) -> set[str]:
        p = self.env.get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        return {norm(x) for x in p.split(":") if x.startswith("/")}


def copy_target(dest: str, src: str) -> set[str]:
    """Where a COPY puts `src`: dest itself (a folder's contents, or a renamed file) or dest/name."""
    d = dest.rstrip("/") or "/"
    return {d, norm(d + "/" + PurePosixPath(src).name)}


def under(p: str, root: str) -> bool:
    root = root.rstrip("/") or "/"
    return p == root or p.startswith(root + "/") or root == "/"


def same_path_copy(rt: Rt, path: str) -> bool:
    """The runtime copies `path` (or a folder holding it) from a stage to the same place, or from
    the build context to that place."""
    for dest, srcs, frm in rt.copies:
        for s in srcs:
            if frm:
                if (under(path, s) and s != "/") and s in copy_target(dest, s):
                    return True
                if s == "/" and dest.rstrip("/") in ("", "/"):
                    return True
            else:
                if under(path, dest.rstrip("/") or "/") and dest.rstrip("/") not in ("", "/"):
                    return True
    return False


def copies_root(rt: Rt) -> bool:
    """The runtime copies a stage's whole file system (`COPY --from=X / /`)."""
    return any(frm and "/" in srcs and (dest.rstrip("/") or "/") == "/" for dest, srcs, frm in rt.copies)


def any_copy_into(rt: Rt, path: str) -> bool:
    """Something is copied to `path`, into it, or into a folder holding it."""
    if copies_root(rt):
        return True
    for dest, srcs, frm in rt.copies:
        d = dest.rstrip("/") or "/"
        if d == "/":
            continue
        if under(path, d) or under(d, path):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Build context


class Ctx:
    """The build context folder of one corpus file (may be None or empty)."""

    def __init__(self, root: Path | None):
        self.root = root if root and root.is_dir() else None
        self._files: list[str] | None = None
        self._text: dict[str, str] = {}

    def files(self) -> list[str]:
        if self._files is None:
            self._files = []
            if self.root:
                for p in sorted(self.root.rglob("*")):
                    if p.is_file():
                        self._files.append(p.relative_to(self.root).as_posix())
        return self._files

    def read(self, rel: str) -> str:
        if rel not in self._text:
            try:
                self._text[rel] = (self.root / rel).read_text(errors="replace")[:400_000] if self.root else ""
            except OSError:
                self._text[rel] = ""
        return self._text[rel]

    def find(self, ref: str) -> str | None:
        """The context file a path in a RUN/CMD refers to (as given, else by name)."""
        ref = ref.strip("\"'")
        if not ref or "$" in ref or not self.root:
            return None
        rel = ref.lstrip("/")
        while rel.startswith("./"):
            rel = rel[2:]
        files = self.files()
        if rel in files:
            return rel
        name = PurePosixPath(ref).name
        best = None
        for f in files:
            if PurePosixPath(f).name == name:
                score = (not ref.endswith(f), f.count("/"), f)
                if best is None or score < best[0]:
                    best = (score, f)
        return best[1] if best else None

    def module(self, mod: str) -> str | None:
        rel = mod.replace(".", "/")
        for cand in (rel + ".py", rel + "/__main__.py"):
            if cand in self.files():
                return cand
        tail = rel.split("/")[-1] + ".py"
        return self.find(tail) if "/" not in rel else next((f for f in self.files() if f.endswith(rel + ".py")), None)

    def copied(self, rt: "Rt") -> list[str]:
        """The context files a COPY/ADD of the stage (not --from) brings into the image."""
        out: list[str] = []
        srcs = [s for _, ss, frm in rt.copies if not frm for s in ss]
        for f in self.files():
            for s in srcs:
                s = s.strip("\"'")
                while s.startswith("./"):
                    s = s[2:]
                s = s.rstrip("/")
                if s in ("", ".", "*") or f == s or f.startswith(s + "/") or (any(c in s for c in "*?[") and fnmatch.fnmatch(f, s)):
                    out.append(f)
                    break
        return out

    def sources(self, rt: "Rt") -> str:
        """The Python sources the stage copies in, joined."""
        return "\n".join(self.read(f) for f in self.copied(rt) if f.endswith(".py"))

    def manifests(self, rt: "Rt") -> str:
        """The requirement / environment / project files the stage's RUNs install from."""
        text = rt.run_text()
        refs = re.findall(r"(?:\s-r\s*|--requirement[= ]|\s-f\s*|--file[= ]|\s-c\s*|--constraint[= ])([^\s;&|]+)", text)
        if re.search(r"(?:pip[0-9.]*|uv\s+pip)\s+install\b[^;&|\n]*\s(?:-e\s+)?\.(?:\[[^\]]*\])?(?=\s|$)|poetry\s+install|uv\s+sync|pipenv\s+install", text):
            refs += ["pyproject.toml", "setup.py", "setup.cfg", "Pipfile"]
        if re.search(r"\bconda\s+env\s+(?:create|update)\b", text) and not re.search(r"\bconda\s+env\s+(?:create|update)\b[^;&|\n]*(?:-f|--file)", text):
            refs.append("environment.yml")
        files = [self.find(r) for r in refs]
        return "\n".join(self.read(f) for f in dict.fromkeys(f for f in files if f))


PY_RUN = re.compile(
    r"(?:^|[\s;&|(])(?:[\w./-]*/)?python[0-9.]*(?:\s+-[uBOIsSE]+)*\s+(?:-m\s+([\w.]+)|-c\s+(\"(?:[^\"\\]|\\.)*\"|'[^']*'|\S+)|([^\s;&|-][^\s;&|]*\.py))"
)
SH_RUN = re.compile(r"(?:^|[\s;&|(])(?:(?:ba)?sh\s+(?:-\w+\s+)*)?((?:\.{0,2}/)?[\w./-]*[\w-]+\.sh)\b")


def scripts_of(step_text: str, ctx: Ctx) -> list[tuple[str, str]]:
    """(name, text) of the code a RUN runs: inline `python -c`, context scripts (*.py, -m, *.sh)."""
    out = []
    for m in PY_RUN.finditer(step_text):
        mod, code, path = m.groups()
        if code:
            out.append(("-c", code.strip("\"'")))
        elif mod:
            f = ctx.module(mod)
            if f:
                out.append((f, ctx.read(f)))
        elif path:
            f = ctx.find(path)
            if f:
                out.append((f, ctx.read(f)))
    for m in SH_RUN.finditer(step_text):
        f = ctx.find(m.group(1))
        if f:
            out.append((f, ctx.read(f)))
    return out


# ---------------------------------------------------------------------------------------------
# Model downloads and caches

# kind -> (variables that set the folder, in precedence order; default under HOME or absolute)
CACHE_KINDS: dict[str, tuple[list[str], str]] = {
    "hf": (["HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "TRANSFORMERS_CACHE", "HF_HOME", "XDG_CACHE_HOME"], "~/.cache/huggingface"),
    "sentence-transformers": (["SENTENCE_TRANSFORMERS_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"], "~/.cache/huggingface"),
    "torch": (["TORCH_HOME", "XDG_CACHE_HOME"], "~/.cache/torch"),
    "keras": (["KERAS_HOME"], "~/.keras"),
    "nltk": (["NLTK_DATA"], "~/nltk_data"),
    "whisper": (["XDG_CACHE_HOME"], "~/.cache/whisper"),
    "clip": ([], "~/.cache/clip"),
    "tfhub": (["TFHUB_CACHE_DIR"], "/tmp/tfhub_modules"),
    "gensim": (["GENSIM_DATA_DIR"], "~/gensim-data"),
    "stanza": (["STANZA_RESOURCES_DIR"], "~/stanza_resources"),
    "easyocr": (["EASYOCR_MODULE_PATH", "MODULE_PATH"], "~/.EasyOCR"),
}
# Sub-folder a variable means for a kind (XDG_CACHE_HOME/huggingface, HF_HOME/hub is inside HF_HOME).
VAR_SUFFIX = {("hf", "XDG_CACHE_HOME"): "/huggingface", ("sentence-transformers", "XDG_CACHE_HOME"): "/huggingface",
              ("torch", "XDG_CACHE_HOME"): "/torch", ("whisper", "XDG_CACHE_HOME"): "/whisper"}
CACHE_VARS = sorted({v for vs, _ in CACHE_KINDS.values() for v in vs})

DOWNLOADS: list[tuple[str, re.Pattern]] = [
    ("hf", re.compile(r"\.from_pretrained\(\s*(?![\"'](?:/|\./|\.\./))")),
    ("hf", re.compile(r"\b(?:snapshot_download|hf_hub_download)\(")),
    ("hf", re.compile(r"\bhuggingface-cli\s+download\b|(?:^|[\s;&|])hf\s+download\b")),
    ("hf", re.compile(r"\bpipeline\(\s*(?:task\s*=\s*)?[\"'][\w-]+[\"']")),
    ("hf", re.compile(r"\btimm\.create_model\([^)]*pretrained\s*=\s*True|\bopen_clip\.create_model\w*\([^)]*pretrained\s*=")),
    ("hf", re.compile(r"\bWhisperModel\(|\bCrossEncoder\(")),
    ("sentence-transformers", re.compile(r"\bSentenceTransformer\(")),
    ("torch", re.compile(r"\btorch\.hub\.load\(|\bload_state_dict_from_url\(")),
    ("torch", re.compile(r"\bmodels\.\w+\([^)]*(?:pretrained\s*=\s*True|weights\s*=\s*(?!None)[\w\"'.])")),
    ("keras", re.compile(r"\bapplications\.\w+\([^)]*weights\s*=\s*[\"']imagenet|\bapplications\.(?:ResNet50|VGG16|VGG19|InceptionV3|MobileNet\w*|EfficientNet\w*|Xception|DenseNet\d+)\(\s*\)")),
    ("keras", re.compile(r"\butils\.get_file\(|\bget_file\(\s*[\"']")),
    ("nltk", re.compile(r"\bnltk\.download\(|-m\s+nltk\.downloader\b|\bnltk\.downloader\.download\(")),
    ("whisper", re.compile(r"\bwhisper\.load_model\(")),
    ("clip", re.compile(r"\bclip\.load\(")),
    ("tfhub", re.compile(r"\bhub\.(?:load|KerasLayer)\(")),
    ("gensim", re.compile(r"\bgensim\.downloader\b|\bapi\.load\([\"']")),
    ("stanza", re.compile(r"\bstanza\.download\(")),
    ("easyocr", re.compile(r"\beasyocr\.Reader\(")),
]
SPACY_DOWNLOAD = re.compile(r"\bspacy\s+download\b|\bspacy\.cli\.download\(")
WEIGHT_FETCH = re.compile(
    r"\b(?:wget|curl|gdown|aria2c|gsutil\s+cp|aws\s+s3\s+cp)\b[^;&|\n]*?(?:"
    r"\.(?:pt|pth|onnx|h5|hdf5|ckpt|safetensors|pb|tflite|gguf|ggml|caffemodel|weights|pkl|joblib|npz)\b"
    r"|huggingface\.co/[^\s]*/resolve/"
    r"|(?:model|weight|pretrain|checkpoint|ckpt)[^\s/]*\.(?:bin|zip|tar\.gz|tgz|tar)\b)",
    re.I,
)
# An explicit folder for the download.
EXPLICIT_DIR = re.compile(
    r"(?:cache_dir|cache_folder|download_root|download_dir|local_dir|model_dir|root|save_dir)\s*=\s*[\"']([^\"']+)[\"']"
    r"|--(?:cache-dir|local-dir|download-dir)[= ]\s*([^\s;&|]+)"
    r"|nltk\.downloader\s+(?:-\w+\s+)*-d\s+([^\s;&|]+)"
)
# os.environ["HF_HOME"] = "/models" inside a script
SCRIPT_ENV = re.compile(r"os\.environ\[\s*[\"'](\w+)[\"']\s*\]\s*=\s*[\"']([^\"']+)[\"']|os\.environ\.setdefault\(\s*[\"'](\w+)[\"']\s*,\s*[\"']([^\"']+)[\"']")
TRAIN_SCRIPT = re.compile(r"(?:^|[\s/])(?:train|training|fit|train_model|model_train|build_model|make_model)[\w-]*\.py\b|-m\s+[\w.]*train[\w]*\b|\b(?:rasa|spacy|ludwig|allennlp)\s+train\b|\bdvc\s+repro\b|\bmlflow\s+run\b", re.I)
TRAIN_CODE = re.compile(r"\.fit\(|\btrainer\.train\(|\.train\(\s*\)|\bfit_generator\(|\bmodel\.learn\(|\btrain_model\(")
SAVE_CODE = re.compile(r"\b(?:joblib\.dump|pickle\.dump|dill\.dump|torch\.save|save_model|save_pretrained|\.save\(|to_pickle|save_weights|onnx\.save|export\()")


class Download:
    def __init__(self, kind: str, explicit: str | None, step: Step, where: str, env_over: dict[str, str]):
        self.kind, self.explicit, self.step, self.where, self.env_over = kind, explicit, step, where, env_over


def downloads_in(step: Step, ctx: Ctx) -> list[Download]:
    out: list[Download] = []
    texts = [("RUN", step.text)] + scripts_of(step.text, ctx)
    for where, text in texts:
        env_over = {}
        for m in SCRIPT_ENV.finditer(text):
            k, v = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            env_over[k] = v
        ex = EXPLICIT_DIR.search(text)
        explicit = next((g for g in ex.groups() if g), None) if ex else None
        for kind, rx in DOWNLOADS:
            if rx.search(text):
                if kind == "hf" and "pipeline(" in text and not re.search(r"transformers|from_pretrained|snapshot_download", text) and not rx.pattern.startswith("\\.from"):
                    continue
                out.append(Download(kind, explicit, step, where, env_over))
                break
    return out


def cache_dir(d: Download, rt: Rt, env: dict[str, str], user: str | None, workdir: str) -> str:
    """The folder the download lands in, resolved with `env`, `user` (HOME) and `workdir`."""
    env = {**env, **d.env_over}
    if d.explicit and "$" not in d.explicit:
        return norm(join(workdir, d.explicit))
    if d.explicit:
        return norm(join(workdir, expand_env(d.explicit, env)))
    vars_, default = CACHE_KINDS[d.kind]
    for v in vars_:
        if env.get(v):
            val = env[v].split(":")[0]
            if "${" in val:
                continue
            return norm(join(workdir, val)) + VAR_SUFFIX.get((d.kind, v), "")
    if default.startswith("~"):
        return norm(rt.home(user, env) + default[1:])
    return default


def check_model_cache(o: Rt, n: Rt, ctx: Ctx) -> str | None:
    # downloads the runtime's own RUNs make (the same RUN, maybe reworded by another pass)
    n_downloads = [(ns, nd) for ns in n.steps for nd in downloads_in(ns, ctx)]
    for st in o.steps:
        for d in downloads_in(st, ctx):
            where = cache_dir(d, o, st.env, st.user, st.workdir)
            # an explicit folder is read by path, not through the variables
            by_path = bool(d.explicit) and not any(v in (d.explicit or "") for v in CACHE_VARS)
            o_looks = where if by_path else cache_dir(d, o, o.env, o.user, o.workdir)
            # the download repeated in the runtime (it lands where the runtime's variables say),
            # or the folder copied to the same path
            again = next(((ns, nd) for ns, nd in n_downloads if nd.kind == d.kind and nd.explicit == d.explicit), None)
            if again:
                placed = cache_dir(again[1], n, again[0].env, again[0].user, again[0].workdir)
            elif same_path_copy(n, where):
                placed = where
            else:
                return f"{d.kind} cache {where} ({d.where}) not in the runtime"
            # the runtime's process looks where its own variables and HOME say
            n_looks = placed if by_path else cache_dir(d, n, n.env, n.user, n.workdir)
            if o_looks == where and n_looks != placed:
                return f"{d.kind} cache built at {placed}, runtime looks in {n_looks}"
    return None


# ---------------------------------------------------------------------------------------------
# Paths a RUN writes

P = r"([\"']?[$/\w.~{}-][^\s;&|>\"')]*)"
WRITE_RXS = [
    re.compile(r"(?:--out|--output|--output[-_]dir|--output[-_]path|--out[-_]dir|--outdir|--model[-_]dir|--model[-_]path|--save[-_]path|--save[-_]dir|--save[-_]to|--dest|--destination|--local[-_]dir|--cache[-_]dir|--target[-_]dir|--export[-_]dir|--checkpoint[-_]dir|--prefix|--model[-_]store)[= ]\s*" + P),
    re.compile(r"(?:^|\s)-(?:o|O|P|d)\s*" + P),
    re.compile(r"\bmkdir\s+((?:-\S+\s+)*(?:[^\s;&|]+\s*)+)"),
    re.compile(r"(?<![<&0-9])>>?\s*" + P),
    re.compile(r"\btee\s+(?:-a\s+)?" + P),
    re.compile(r"\btouch\s+" + P),
    re.compile(r"\btar\b[^;&|\n]*?\s-C\s*" + P),
    re.compile(r"-m\s+venv\s+(?:--\S+\s+)*" + P + r"|\bvirtualenv\s+(?:-\S+\s+)*" + P),
    re.compile(r"\.sh\b[^;&|\n]*?\s-p\s+" + P),
]
MULTI_ARG_WRITERS = re.compile(r"\b(?:cp|mv|ln|rsync|install)\s+([^;&|\n]+)")
GIT_CLONE = re.compile(r"\bgit\s+clone\s+(?:-\S+(?:\s+\d+)?\s+)*\S+\s+" + P)
MODEL_FILE = re.compile(r"\.(?:pkl|pickle|joblib|pt|pth|bin|onnx|h5|hdf5|keras|ckpt|safetensors|pb|tflite|gguf|model|sav|cbm|xgb|lgb|json)$")


def written_paths(step: Step) -> set[tuple[str, bool]]:
    """(absolute path, is a folder whose whole content the RUN makes) a RUN writes, by the
    shapes above, resolved in its WORKDIR and ENV. A file write (a redirect, -o, cp's
    destination) covers that path only; a folder (mkdir, a clone, tar -C, --output-dir, a venv
    or prefix) covers what is under it."""
    out: set[tuple[str, bool]] = set()
    text = step.text

    def add(p: str, folder: bool, src: str | None = None):
        p = p.strip("\"'")
        if not p or p.startswith("-") or "://" in p or "*" in p:
            return
        p = expand_env(p, step.env)
        if "$" in p or p.startswith("~"):
            return
        if p.endswith("/") and src and not folder:
            p = p + PurePosixPath(src.strip("\"'")).name
        out.add((norm(join(step.workdir, p)), folder))

    for i, rx in enumerate(WRITE_RXS):
        for m in rx.finditer(text):
            groups = [g for g in m.groups() if g]
            if not groups:
                continue
            if i == 2:  # mkdir
                for w in groups[0].split():
                    if not w.startswith("-"):
                        add(w, True)
            else:
                # -o/-O (a file), a redirect, tee, touch: files; the rest make folders
                add(groups[0], i not in (3, 4, 5) and not (i == 1 and re.match(r"\s*-[oO]", m.group(0))))
    for m in MULTI_ARG_WRITERS.finditer(text):
        words = [w for w in m.group(1).split() if not w.startswith("-")]
        if len(words) >= 2:
            add(words[-1], False, words[-2])
    for m in GIT_CLONE.finditer(text):
        add(m.group(1), True)
    return out


def covers_written(written: set[tuple[str, bool]], path: str) -> bool:
    for w, folder in written:
        if w == path or (folder and w not in SKIP_EXACT and under(path, w)) or under(w, path):
            return True
    return False


def script_writes(step: Step, ctx: Ctx, path: str, var_names: set[str]) -> bool:
    """A context script the RUN runs names `path` (or a variable holding it) and saves a file."""
    for name, text in scripts_of(step.text, ctx):
        if not SAVE_CODE.search(text) and "download" not in text:
            continue
        base = PurePosixPath(path).name
        if path in text or any(re.search(rf"[\"']{re.escape(v)}[\"']", text) for v in var_names):
            return True
        if base and MODEL_FILE.search(base) and re.search(rf"[\"'/]{re.escape(base)}[\"']", text):
            return True
    return False


SKIP_PREFIX = ("/etc/", "/dev/", "/proc/", "/sys/", "/usr/bin/", "/bin/", "/sbin/", "/usr/sbin/", "/usr/lib/", "/lib/", "/usr/include/")
SKIP_EXACT = {"/", "/usr", "/usr/local", "/opt", "/root", "/home", "/tmp", "/var", "/etc", "/srv", "/mnt", "/data", "/app", "/workspace", "/code", "/src"}


def named_paths(o: Rt) -> dict[str, set[str]]:
    """Absolute paths the original's CMD/ENTRYPOINT or ENV names -> the ENV variables holding them."""
    out: dict[str, set[str]] = defaultdict(set)
    for w in o.command_words():
        for part in re.split(r"[=,:]", w):
            if "$" in part or part.startswith("-"):
                continue
            if part.startswith("/"):
                out[norm(part)]
            elif MODEL_FILE.search(part) and re.fullmatch(r"[\w./-]+", part):
                out[norm(join(o.workdir, part))]  # a model file named relative to WORKDIR
    for k, v in o.env.items():
        if k in ("PATH", "LD_LIBRARY_PATH", "PYTHONPATH", "LIBRARY_PATH", "CPATH", "MANPATH", "PKG_CONFIG_PATH", "HOME") or k in CACHE_VARS:
            continue
        for part in re.split(r"[\s:,;]", v):
            if part.startswith("/") and "$" not in part:
                out[norm(part)].add(k)
    return {p: vs for p, vs in out.items() if p not in SKIP_EXACT and not p.startswith(SKIP_PREFIX)}


def check_written_path(o: Rt, n: Rt, ctx: Ctx) -> str | None:
    names = named_paths(o)
    if not names:
        return None
    n_written = set().union(*(written_paths(s) for s in n.steps)) if n.steps else set()
    for path, vars_ in sorted(names.items()):
        how = None
        for st in o.steps:
            if covers_written(written_paths(st), path):
                how = st.original.split(None, 1)[-1][:50]
                break
            if script_writes(st, ctx, path, vars_):
                how = "script: " + st.original.split(None, 1)[-1][:44]
                break
        if not how:
            continue
        if covers_written(n_written, path):
            continue
        if any_copy_into(n, path):
            continue
        if any(script_writes(s, ctx, path, vars_) for s in n.steps):
            continue
        return f"{path} (written by `{how}`)"
    return None


# ---------------------------------------------------------------------------------------------
# CUDA flavors

CUDA_LIB_PKG = re.compile(r"\b(?:lib)?(cublas|cudnn|cufft|curand|cusparse|cusolver|nccl|npp|nvjpeg)[\w.-]*(?:-dev)?\b", re.I)
CUDA_COMPILE = re.compile(r"\bnvcc\b|CUDAExtension|TORCH_CUDA_ARCH_LIST|FORCE_CUDA=1|-DWITH_CUDA=ON|CMAKE_CUDA|-DUSE_CUDA=ON|-DGPU_RUNTIME=CUDA|\bcuda_ext\b|--cuda_ext|github\.com/pytorch/pytorch", re.I)
TF_PIP = re.compile(r"(?:pip[0-9.]*|uv\s+pip)\s+(?:-\S+\s+)*install\b[^;&|\n]*\btensorflow(?:-gpu)?(?![\w-]|\[and-cuda\])", re.I)


def check_cuda_flavor(o: Rt, n: Rt, orig: Doc, new: Doc, ctx: Ctx) -> str | None:
    ni = cuda_info(n.image) if is_cuda(n.image) else None
    oi = cuda_info(o.image)
    if ni and oi:
        diffs = []
        if ni["ver"] != oi["ver"]:
            diffs.append(f"CUDA {oi['ver']} → {ni['ver']}")
        oc, nc = oi.get("cudnn") or "", ni.get("cudnn") or ""
        if bool(oc) != bool(nc) or (oc[5:] and nc[5:] and oc != nc):
            diffs.append(f"cuDNN {oc or 'none'} → {nc or 'none'}")
        if oi.get("os") and ni.get("os") and oi["os"] != ni["os"]:
            diffs.append(f"{oi['os']} → {ni['os']}")
        if diffs:
            return ", ".join(diffs) + f" ({o.image.ref} → {n.image.ref})"
    build_text = "\n".join(" ".join(c.value) for c in orig.cmds_of(orig.final()) if c.cmd == "RUN")
    if ni and ni["flavor"] == "base" and not copies_root(n):
        # an original on a -base image too: only the CUDA libraries it installed can go missing
        orig_base = bool(oi) and oi["flavor"] == "base"
        why = f"original on {oi['flavor']} flavor" if oi and not orig_base else None
        m = re.search(r"(?:apt-get|apt|yum|dnf|conda|mamba)\s+[^;&|\n]*install[^;&|\n]*?" + CUDA_LIB_PKG.pattern, build_text, re.I)
        if m:
            why = f"installs {m.group(1)}"
        elif orig_base:
            pass
        elif CUDA_COMPILE.search(build_text):
            why = "compiles CUDA code"
        elif TF_PIP.search(build_text) or re.search(r"^\s*tensorflow(?:-gpu)?\s*(?:[=<>~!].*)?$", ctx.manifests(o), re.M):
            why = "tensorflow needs the system CUDA libraries"
        if why and not n.installs(r".*(cublas|cudnn|cufft|curand|cusparse|nccl|cuda-libraries|cuda-runtime|cuda-toolkit).*"):
            return f"-base runtime: {why} ({n.image.ref})"
    if not ni and oi and is_cuda(o.image) and CUDA_COMPILE.search(build_text) and not is_ngc_framework(n.image) and n.image.family != "pytorch/pytorch":
        if not re.search(r"cuda", n.image.ref, re.I):
            return f"no CUDA in the runtime ({n.image.ref}) while the build compiles CUDA code"
    return None


# ---------------------------------------------------------------------------------------------
# Compilers at run time

NEED_CC = re.compile(r"\btorch\.compile\(|@torch\.compile\b|\bimport\s+triton\b|\bfrom\s+triton\b|\btriton\.jit\b|\btorch\._inductor\b|TORCHINDUCTOR")
NEED_NVCC_SRC = re.compile(r"torch\.utils\.cpp_extension\b[\s\S]{0,2000}?\b(?:load|load_inline)\(|from\s+torch\.utils\.cpp_extension\s+import\s+[^\n]*\bload(?:_inline)?\b")
NEED_NVCC_PKG = re.compile(r"(?<![\w-])(vllm|sglang)(?![\w-])(?:\[[^\]]*\])?(?:\s*[=<>~!]=?\s*[\w.*]+)?(?=\s|$|[\"',;])", re.I | re.M)
NEED_PTXAS = re.compile(r"jax\[cuda\d*_local\]|jax\[cuda\]|jaxlib[^\s]*\+cuda|jax_cuda_releases", re.I)


def provides(rt: Rt, tool: str) -> bool | None:
    """Whether the runtime image (base + its RUNs + copies) has `tool` (cc, nvcc, ptxas); None: unknown."""
    f = flavor(rt.image)
    if copies_root(rt):
        return None
    if tool == "cc":
        if rt.installs(r"(build-essential|gcc|gcc-\d+|g\+\+|g\+\+-\d+|clang|clang-\d+|gxx|gxx_linux-64|gcc_linux-64|build-base|cxx-compiler|c-compiler)"):
            return True
        if f in ("devel", "full"):
            return True
        if f in ("runtime", "base", "slim", "distroless", "os"):
            return False
        return None
    if tool in ("nvcc", "ptxas"):
        if rt.installs(r"(cuda-nvcc.*|cuda-toolkit.*|nvidia-cuda-toolkit|cuda-compiler.*|nvidia-cuda-nvcc-cu\d+|cuda-minimal-build.*|cudatoolkit-dev)"):
            return True
        if f == "devel":
            return True
        if f in ("runtime", "base", "slim", "distroless", "os", "full"):
            return False
        return None
    return None


def check_runtime_compiler(o: Rt, n: Rt, orig: Doc, ctx: Ctx) -> str | None:
    src = ctx.sources(o)
    installs = "\n".join(s.text for s in o.steps) + "\n" + ctx.manifests(o)
    needs = []
    m = NEED_CC.search(src)
    if m:
        needs.append(("cc", m.group(0)))
    m = NEED_NVCC_SRC.search(src)
    if m:
        needs.append(("nvcc", "torch.utils.cpp_extension load"))
    for line in installs.splitlines():
        if re.search(r"\b(?:pip[0-9.]*|uv\s+pip|conda|mamba)\s+(?:-\S+\s+)*install\b", line) or not re.search(r"\binstall\b|RUN\b", line):
            mm = NEED_NVCC_PKG.search(line)
            if mm and not line.lstrip().startswith("#"):
                needs.append(("nvcc", mm.group(1).lower()))
                break
    m = NEED_PTXAS.search(installs)
    if m:
        needs.append(("ptxas", m.group(0)))
    for tool, why in needs:
        if provides(o, tool) and provides(n, tool) is False:
            return f"{why} needs {'a C compiler' if tool == 'cc' else tool} ({o.image.ref} → {n.image.ref})"
    return None


# ---------------------------------------------------------------------------------------------
# conda

CONDA_USE = re.compile(r"\b(conda|mamba|micromamba)\s+(?:run|activate)\b|\bsource\s+activate\b|\bconda\.sh\b")


def has_conda(rt: Rt, tool: str) -> bool:
    if copies_root(rt):
        return True
    if tool == "micromamba":
        if is_micromamba_base(rt.image) or rt.installs(r"micromamba") or "micromamba" in rt.run_text() and re.search(r"(curl|wget)[^\n]*micromamba", rt.run_text()):
            return True
    if is_conda_base(rt.image) or (tool != "micromamba" and is_micromamba_base(rt.image) and tool == "mamba"):
        return True
    if re.search(r"(Miniconda|Miniforge|Mambaforge|Anaconda|micromamba)[^\s]*\.sh|install\.micromamba|micro\.mamba\.pm|conda-forge/miniforge", rt.run_text(), re.I):
        return True
    for dest, srcs, frm in rt.copies:
        for s in srcs:
            if re.search(r"/(conda|mamba|micromamba)$", s) or (frm and re.fullmatch(r"/opt/(conda|miniconda\d?|miniforge\d?|mambaforge)|/root/(miniconda\d?|anaconda\d?|miniforge\d?)|/usr/local/(conda|miniconda\d?)", s)):
                return True
    return False


def conda_uses(rt: Rt, ctx: Ctx) -> str | None:
    words = rt.command_words()
    text = " ".join(words)
    if rt.shell:
        text += " " + " ".join(rt.shell)
    m = CONDA_USE.search(text)
    if m:
        return m.group(0)
    # the entrypoint script the command runs
    for w in words[:3]:
        if w.endswith(".sh"):
            f = ctx.find(w)
            if f:
                m = CONDA_USE.search(ctx.read(f))
                if m:
                    return f"{m.group(0)} in {PurePosixPath(f).name}"
    return None


def check_conda_run(o: Rt, n: Rt, ctx: Ctx) -> str | None:
    use = conda_uses(n, ctx)
    if not use:
        return None
    tool = "micromamba" if "micromamba" in use else ("mamba" if "mamba" in use else "conda")
    if has_conda(n, tool):
        return None
    if not has_conda(o, tool):
        return None  # the original had none either: not the rewrite's doing
    return f"{use} on {n.image.ref}"


CONDA_PREFIX_WRITE = re.compile(
    r"\b(?:conda|mamba|micromamba)\s+(?:env\s+)?create\b[^;&|\n]*?(?:-p|--prefix)[= ]\s*([^\s;&|]+)"
    r"|\.sh\b[^;&|\n]*?\s-p\s+([^\s;&|]+)"
)
CONDA_NAMED = re.compile(r"\b(?:conda|mamba|micromamba)\s+(?:env\s+)?create\b[^;&|\n]*?(?:-n|--name)[= ]\s*([^\s;&|]+)")


def conda_prefixes(o: Rt, ctx: Ctx) -> set[str]:
    """Conda roots and environments the original's build made or had."""
    out: set[str] = set()
    if is_conda_base(o.image) or is_micromamba_base(o.image):
        out.add(CONDA_ROOT)
    root = o.env.get("CONDA_DIR") or o.env.get("MAMBA_ROOT_PREFIX") or o.env.get("CONDA_PREFIX")
    for st in o.steps:
        for m in CONDA_PREFIX_WRITE.finditer(st.text):
            p = expand_env(m.group(1) or m.group(2), st.env)
            if "$" not in p:
                out.add(norm(join(st.workdir, p)))
        for m in CONDA_NAMED.finditer(st.text):
            r = root or (CONDA_ROOT if out else None)
            if r and "$" not in m.group(1):
                out.add(norm(f"{r}/envs/{m.group(1)}"))
        if re.search(r"\bconda\s+env\s+create\b", st.text) and not CONDA_NAMED.search(st.text):
            r = root or (CONDA_ROOT if out else None)
            fm = re.search(r"(?:-f|--file)[= ]\s*(\S+)", st.text)
            f = ctx.find(fm.group(1)) if fm else ctx.find("environment.yml")
            if r and f:
                nm = re.search(r"^name:\s*(\S+)", ctx.read(f), re.M)
                if nm:
                    out.add(norm(f"{r}/envs/{nm.group(1)}"))
    return out


def check_conda_prefix(o: Rt, n: Rt, new: Doc, ctx: Ctx) -> str | None:
    prefixes = conda_prefixes(o, ctx)
    if not prefixes:
        return None
    packed = "conda-unpack" in n.run_text() or "conda-pack" in n.run_text() or "conda pack" in n.run_text()
    o_bins = {d for d in o.path_dirs()} | base_activated_bins(o.image)
    first = (n.command_words() or [""])[0]
    for dest, srcs, frm in n.copies:
        if not frm:
            continue
        for s in srcs:
            pre = next((p for p in sorted(prefixes, key=len, reverse=True) if s == p or (s.startswith(p + "/") and "/envs/" not in s[len(p):] and s.count("/") - p.count("/") <= 1 and not re.search(r"/(lib|bin|share|include|pkgs)(/|$)", s[len(p):]))), None)
            if pre is None or s != pre:
                continue
            targets = copy_target(dest, s)
            if s not in targets and not packed:
                return f"{s} copied to {dest} (a conda prefix is not relocatable)"
            bin_ = s + "/bin"
            if s in targets and bin_ in o_bins and bin_ not in n.path_dirs() and first and "/" not in first and not first.startswith("$"):
                return f"{s} copied but {bin_} not on PATH (command `{first}`)"
    return None


# ---------------------------------------------------------------------------------------------
# Python on a CUDA runtime

PY_WORDS = re.compile(r"^(python[0-9.]*|pip[0-9.]*|gunicorn|uvicorn|hypercorn|streamlit|gradio|jupyter|jupyter-lab|jupyter-notebook|flask|celery|torchrun|accelerate|deepspeed|huggingface-cli|mlflow|bentoml|ray|fastapi)$")
PY_INSTALL = r"(python3(\.\d+)?|python3(\.\d+)?-(dev|venv|pip|minimal|full|distutils)|python-is-python3|python|python2(\.\d+)?|python3-pip|python3-dev|rh-python3\d+)"


def runs_python(rt: Rt) -> str | None:
    words = rt.command_words()
    for w in words[:4]:
        base = PurePosixPath(w).name
        if PY_WORDS.match(base) or base.endswith(".py"):
            return f"command `{base}`"
    for dest, srcs, frm in rt.copies:
        for s in srcs:
            if frm and re.search(r"(venv|site-packages|dist-packages)(/|$)", s):
                return f"copies {s}"
    return None


def check_python_on_cuda(o: Rt, n: Rt) -> str | None:
    if not is_cuda(n.image):
        return None
    why = runs_python(n)
    if not why:
        return None
    if copies_root(n) or n.installs(PY_INSTALL) or re.search(r"deadsnakes|pyenv\s+install|uv\s+python\s+install|get-pip\.py|Miniconda|Miniforge|micromamba", n.run_text()):
        return None
    for dest, srcs, frm in n.copies:
        for s in srcs:
            if re.search(r"/(python[0-9.]*)$|/usr/local/lib/python3|/usr/lib/python3|/opt/conda$|/opt/(miniconda|miniforge|mambaforge)\w*$|/opt/python|/root/\.pyenv|/root/\.local/share/uv/python|/usr/local/bin/?$|/usr/local/?$", s):
                return None
    if not (o.installs(PY_INSTALL) or re.search(r"deadsnakes|pyenv\s+install|uv\s+python\s+install", o.run_text())):
        return None
    return f"{why} on {n.image.ref}, no python3 installed"


# ---------------------------------------------------------------------------------------------


def check_ml_pair(orig: Doc, new: Doc, ctx_dir: Path | None = None) -> dict[str, str]:
    """ML trust findings for one (input, output) pair: check name -> short detail."""
    ctx = Ctx(ctx_dir)
    o, n = Rt(orig, orig.final()), Rt(new, new.final())
    found: dict[str, str] = {}
    for key, fn in (
        ("model-cache-dropped", lambda: check_model_cache(o, n, ctx)),
        ("written-path-dropped", lambda: check_written_path(o, n, ctx)),
        ("cuda-flavor-mismatch", lambda: check_cuda_flavor(o, n, orig, new, ctx)),
        ("runtime-compiler-dropped", lambda: check_runtime_compiler(o, n, orig, ctx)),
        ("conda-run-dropped", lambda: check_conda_run(o, n, ctx)),
        ("conda-prefix-moved", lambda: check_conda_prefix(o, n, new, ctx)),
        ("python-missing-on-cuda", lambda: check_python_on_cuda(o, n)),
    ):
        detail = fn()
        if detail:
            found[key] = detail
    return found


def split_or_swapped(orig: Doc, new: Doc) -> tuple[bool, bool]:
    """measure.py's gate: more stages than the input, or a FROM image changed."""
    split = len(new.stages) > len(orig.stages)
    obases = [s.base for s in orig.stages]
    nbases = [s.base for s in new.stages[: len(orig.stages)]]
    swapped = obases != nbases or (split and new.final().base != orig.final().base)
    return split, swapped


# ---------------------------------------------------------------------------------------------
# Image shapes, for collect_ml.py's figures (the same detectors as the checks)


def shapes(text: str, ctx_dir: Path | None = None) -> dict[str, bool]:
    """What an ML Dockerfile does, read from its final stage (and the in-file stages it is built
    FROM) and the context scripts its RUNs run."""
    doc = Doc(text)
    ctx = Ctx(ctx_dir)
    rt = Rt(doc, doc.final())
    out = {
        "own_command": any(c.cmd in ("CMD", "ENTRYPOINT") for c in doc.final().cmds),
        "train_during_build": False,
        "model_download_during_build": False,
        "conda_env": False,
        "cuda_devel_base": False,
        "jupyter": False,
    }
    for st in rt.steps:
        scripts = scripts_of(st.text, ctx)
        if TRAIN_SCRIPT.search(st.text) or any(TRAIN_CODE.search(t) and SAVE_CODE.search(t) for _, t in scripts) or (
            TRAIN_CODE.search(st.text) and re.search(r"python[0-9.]*\s+-c", st.text)
        ):
            out["train_during_build"] = True
        if downloads_in(st, ctx) or SPACY_DOWNLOAD.search(st.text) or WEIGHT_FETCH.search(st.text) or any(
            SPACY_DOWNLOAD.search(t) or WEIGHT_FETCH.search(t) for _, t in scripts
        ):
            out["model_download_during_build"] = True
        if re.search(r"\b(?:conda|mamba|micromamba)\s+(?:env\s+)?(?:create|update)\b|\b(?:conda|mamba|micromamba)\s+install\b[^;&|\n]*(?:-f|--file)\b", st.text):
            out["conda_env"] = True
    if is_conda_base(rt.image) or is_micromamba_base(rt.image):
        out["conda_env"] = out["conda_env"] or bool(re.search(r"\b(?:conda|mamba|micromamba)\s+(?:env\s+)?(?:create|install|update)\b", rt.run_text()))
    for s in doc.stages:
        img = doc.root_image(s)
        if flavor(img) == "devel":
            out["cuda_devel_base"] = True
    img = rt.image
    words = " ".join(rt.command_words())
    out["jupyter"] = img.family.startswith(("jupyter/", "quay.io/jupyter/")) or bool(
        re.search(r"\bjupyter(?:lab|-lab|-notebook)?\b|\bnotebook\b", words)
    ) or bool(re.search(r"(?:pip[0-9.]*|conda|mamba)\s+(?:-\S+\s+)*install\b[^;&|\n]*\b(?:jupyterlab|jupyter|notebook)\b", rt.run_text()))
    return out


# ---------------------------------------------------------------------------------------------
# Self-test: each check planted once (it must fire) and once done right (it must not)

SELF_TESTS: list[tuple[str, str, str, dict[str, str] | None, bool]] = [
    # (check, original, output, context files, must fire)
    ("model-cache-dropped",
     "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install transformers torch\n"
     "RUN python -c \"from transformers import AutoModel; AutoModel.from_pretrained('bert-base-uncased')\"\nCMD [\"python\",\"serve.py\"]\n",
     "FROM python:3.11 AS builder\nWORKDIR /app\nCOPY . .\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install transformers torch\n"
     "RUN python -c \"from transformers import AutoModel; AutoModel.from_pretrained('bert-base-uncased')\"\n"
     "FROM python:3.11-slim\nWORKDIR /app\nCOPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /app /app\nENV PATH=/opt/venv/bin:$PATH\nCMD [\"python\",\"serve.py\"]\n",
     None, True),
    ("model-cache-dropped",
     "FROM python:3.11\nENV HF_HOME=/models\nWORKDIR /app\nCOPY . .\nRUN pip install transformers torch\nRUN python download.py\nCMD [\"python\",\"serve.py\"]\n",
     "FROM python:3.11 AS builder\nENV HF_HOME=/models\nWORKDIR /app\nCOPY . .\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install transformers torch\nRUN python download.py\n"
     "FROM python:3.11-slim\nENV HF_HOME=/models\nWORKDIR /app\nCOPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /models /models\nCOPY --from=builder /app /app\nENV PATH=/opt/venv/bin:$PATH\nCMD [\"python\",\"serve.py\"]\n",
     {"download.py": "from sentence_transformers import SentenceTransformer\nSentenceTransformer('all-MiniLM-L6-v2')\n"}, False),
    ("written-path-dropped",
     "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install scikit-learn joblib\nRUN python train.py --out /models/model.joblib\nENV MODEL_PATH=/models/model.joblib\nCMD [\"python\",\"app.py\"]\n",
     "FROM python:3.11 AS builder\nWORKDIR /app\nCOPY . .\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install scikit-learn joblib\nRUN python train.py --out /models/model.joblib\n"
     "FROM python:3.11-slim\nWORKDIR /app\nCOPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /app /app\nENV PATH=/opt/venv/bin:$PATH\nENV MODEL_PATH=/models/model.joblib\nCMD [\"python\",\"app.py\"]\n",
     None, True),
    ("written-path-dropped",
     "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install scikit-learn joblib\nRUN python train.py --out /models/model.joblib\nENV MODEL_PATH=/models/model.joblib\nCMD [\"python\",\"app.py\"]\n",
     "FROM python:3.11 AS builder\nWORKDIR /app\nCOPY . .\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install scikit-learn joblib\nRUN python train.py --out /models/model.joblib\n"
     "FROM python:3.11-slim\nWORKDIR /app\nCOPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /models /models\nCOPY --from=builder /app /app\nENV PATH=/opt/venv/bin:$PATH\nENV MODEL_PATH=/models/model.joblib\nCMD [\"python\",\"app.py\"]\n",
     None, False),
    ("cuda-flavor-mismatch",
     "FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04\nRUN apt-get update && apt-get install -y python3 python3-pip\nCOPY . /app\nRUN pip3 install -r /app/requirements.txt\nCMD [\"python3\",\"/app/run.py\"]\n",
     "FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04 AS builder\nRUN apt-get update && apt-get install -y python3 python3-pip python3-venv\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nCOPY . /app\nRUN pip3 install -r /app/requirements.txt\n"
     "FROM nvidia/cuda:12.4.1-runtime-ubuntu20.04\nRUN apt-get update && apt-get install -y python3\nCOPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /app /app\nENV PATH=/opt/venv/bin:$PATH\nCMD [\"python3\",\"/app/run.py\"]\n",
     None, True),
    ("cuda-flavor-mismatch",
     "FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04\nRUN apt-get update && apt-get install -y python3 python3-pip\nCOPY . /app\nRUN pip3 install -r /app/requirements.txt\nCMD [\"python3\",\"/app/run.py\"]\n",
     "FROM nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04 AS builder\nRUN apt-get update && apt-get install -y python3 python3-pip python3-venv\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nCOPY . /app\nRUN pip3 install -r /app/requirements.txt\n"
     "FROM nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04\nRUN apt-get update && apt-get install -y python3\nCOPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /app /app\nENV PATH=/opt/venv/bin:$PATH\nCMD [\"python3\",\"/app/run.py\"]\n",
     None, False),
    ("runtime-compiler-dropped",
     "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\",\"train.py\"]\n",
     "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel AS builder\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
     "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime\nCOPY --from=builder /opt/conda /opt/conda\nCOPY --from=builder /app /app\nWORKDIR /app\nCMD [\"python\",\"train.py\"]\n",
     {"train.py": "import torch\nmodel = torch.compile(torch.nn.Linear(2, 2))\n", "requirements.txt": "numpy\n"}, True),
    ("runtime-compiler-dropped",
     "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\",\"train.py\"]\n",
     "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel AS builder\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
     "FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nCOPY --from=builder /opt/conda /opt/conda\nCOPY --from=builder /app /app\nWORKDIR /app\nCMD [\"python\",\"train.py\"]\n",
     {"train.py": "import torch\nmodel = torch.compile(torch.nn.Linear(2, 2))\n", "requirements.txt": "numpy\n"}, False),
    ("conda-run-dropped",
     "FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\nENTRYPOINT [\"conda\",\"run\",\"--no-capture-output\",\"-n\",\"ml\",\"python\",\"app.py\"]\n",
     "FROM continuumio/miniconda3 AS builder\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\n"
     "FROM debian:bookworm-slim\nCOPY --from=builder /opt/conda/envs/ml /opt/conda/envs/ml\nCOPY --from=builder /app /app\nWORKDIR /app\nENTRYPOINT [\"conda\",\"run\",\"--no-capture-output\",\"-n\",\"ml\",\"python\",\"app.py\"]\n",
     {"environment.yml": "name: ml\ndependencies:\n  - python=3.11\n  - scikit-learn\n"}, True),
    ("conda-run-dropped",
     "FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\nENTRYPOINT [\"conda\",\"run\",\"--no-capture-output\",\"-n\",\"ml\",\"python\",\"app.py\"]\n",
     "FROM continuumio/miniconda3 AS builder\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\n"
     "FROM debian:bookworm-slim\nCOPY --from=builder /opt/conda/envs/ml /opt/conda/envs/ml\nCOPY --from=builder /app /app\nWORKDIR /app\nENV PATH=/opt/conda/envs/ml/bin:$PATH\nENTRYPOINT [\"python\",\"app.py\"]\n",
     {"environment.yml": "name: ml\ndependencies:\n  - python=3.11\n  - scikit-learn\n"}, False),
    ("conda-prefix-moved",
     "FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nENV PATH=/opt/conda/envs/ml/bin:$PATH\nCOPY . .\nCMD [\"python\",\"app.py\"]\n",
     "FROM continuumio/miniconda3 AS builder\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\n"
     "FROM debian:bookworm-slim\nCOPY --from=builder /opt/conda/envs/ml /venv\nCOPY --from=builder /app /app\nWORKDIR /app\nENV PATH=/venv/bin:$PATH\nCMD [\"python\",\"app.py\"]\n",
     {"environment.yml": "name: ml\ndependencies:\n  - python=3.11\n"}, True),
    ("conda-prefix-moved",
     "FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nENV PATH=/opt/conda/envs/ml/bin:$PATH\nCOPY . .\nCMD [\"python\",\"app.py\"]\n",
     "FROM continuumio/miniconda3 AS builder\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\n"
     "FROM debian:bookworm-slim\nCOPY --from=builder /opt/conda/envs/ml /opt/conda/envs/ml\nCOPY --from=builder /app /app\nWORKDIR /app\nENV PATH=/opt/conda/envs/ml/bin:$PATH\nCMD [\"python\",\"app.py\"]\n",
     {"environment.yml": "name: ml\ndependencies:\n  - python=3.11\n"}, False),
    ("python-missing-on-cuda",
     "FROM nvidia/cuda:12.1.1-devel-ubuntu22.04\nRUN apt-get update && apt-get install -y python3 python3-pip python3-venv\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install torch\nCOPY . /app\nCMD [\"python\",\"/app/run.py\"]\n",
     "FROM nvidia/cuda:12.1.1-devel-ubuntu22.04 AS builder\nRUN apt-get update && apt-get install -y python3 python3-pip python3-venv\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install torch\nCOPY . /app\n"
     "FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04\nCOPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /app /app\nENV PATH=/opt/venv/bin:$PATH\nCMD [\"python\",\"/app/run.py\"]\n",
     None, True),
    ("python-missing-on-cuda",
     "FROM nvidia/cuda:12.1.1-devel-ubuntu22.04\nRUN apt-get update && apt-get install -y python3 python3-pip python3-venv\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install torch\nCOPY . /app\nCMD [\"python\",\"/app/run.py\"]\n",
     "FROM nvidia/cuda:12.1.1-devel-ubuntu22.04 AS builder\nRUN apt-get update && apt-get install -y python3 python3-pip python3-venv\nRUN python3 -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install torch\nCOPY . /app\n"
     "FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*\nCOPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /app /app\nENV PATH=/opt/venv/bin:$PATH\nCMD [\"python\",\"/app/run.py\"]\n",
     None, False),
]


def self_test() -> int:
    bad = 0
    with tempfile.TemporaryDirectory(prefix="ml-checks-") as tmp:
        for i, (key, o, n, files, fire) in enumerate(SELF_TESTS):
            ctx = None
            if files:
                ctx = Path(tmp) / str(i)
                for rel, text in files.items():
                    (ctx / rel).parent.mkdir(parents=True, exist_ok=True)
                    (ctx / rel).write_text(text)
            od, nd = Doc(o), Doc(n)
            split, swapped = split_or_swapped(od, nd)
            if not (split or swapped):
                bad += 1
                print(f"FAIL {key} #{i}: the pair neither splits nor swaps a base")
                continue
            got = check_ml_pair(od, nd, ctx)
            if fire and key not in got:
                bad += 1
                print(f"FAIL {key} #{i}: not flagged (got {got})")
            if not fire and got:
                bad += 1
                print(f"FAIL {key} #{i} (correct rewrite) flagged: {got}")
    missing = set(CHECKS) - {k for k, *_ , f in SELF_TESTS if f} - set()
    if missing:
        bad += 1
        print(f"FAIL no planted case for {sorted(missing)}")
    print(f"{len(SELF_TESTS) - bad} passed, {bad} failed")
    return 1 if bad else 0


# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description="ML trust checks on (corpus input, rewritten output) pairs.")
    ap.add_argument("--corpus", type=Path, default=Path("/work/corpus-ml"))
    ap.add_argument("--outputs", type=Path, help="folder of rewritten Dockerfiles named like the corpus's files/ (measure.py --keep)")
    ap.add_argument("--json", type=Path, default=None, help="also write the findings here")
    ap.add_argument("--self-test", action="store_true", help="each check on a planted case and on a correct rewrite")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.outputs:
        ap.error("--outputs DIR is needed (or --self-test)")
    index = {}
    with open(args.corpus / "index.tsv") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(head, line.rstrip("\n").split("\t")))
            index[row["file"]] = row
    counts: Counter = Counter()
    examples: dict[str, list] = defaultdict(list)
    checked = flagged = 0
    for out in sorted(args.outputs.iterdir()):
        name = out.name
        if name not in index:
            continue
        try:
            orig = Doc((args.corpus / "files" / name).read_bytes().decode("utf-8", "replace"))
            new = Doc(out.read_bytes().decode("utf-8", "replace"))
        except Exception:
            counts["unparsed"] += 1
            continue
        if not orig.stages or not new.stages:
            continue
        split, swapped = split_or_swapped(orig, new)
        if not (split or swapped):
            continue
        checked += 1
        try:
            found = check_ml_pair(orig, new, args.corpus / "contexts" / name)
        except Exception as e:  # a bug in one check must not hide the others
            found = {"check-crashed": repr(e)[:200]}
        flagged += bool(found)
        for k, d in found.items():
            counts[k] += 1
            if len(examples[k]) < 5:
                examples[k].append({"file": name, "repo": index[name]["repo"], "path": index[name]["path"], "detail": d})
    res = {"checked_outputs": checked, "flagged_outputs": flagged,
           "checks": {k: {"count": counts[k], "examples": examples[k]} for k in sorted(counts)}}
    lines = [f"ML checks on {checked} split or base-swapped outputs; {flagged} with at least one finding:", "",
             "| check | outputs | examples |", "|---|---:|---|"]
    for k in CHECKS + sorted(set(counts) - set(CHECKS)):
        ex = "; ".join(f"`{e['file']}` ({e['detail']})" for e in examples.get(k, [])[:3]).replace("|", "\\|")
        lines.append(f"| {k} | {counts.get(k, 0)} | {ex} |")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
