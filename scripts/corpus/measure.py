#!/usr/bin/env python3
"""Run slimfile over the Dockerfile corpus and check every output.

    /work/main/.venv/bin/python scripts/corpus/measure.py --bin target/release/slimfile \
        --out /work/corpus --name final --compare /work/corpus/baseline.json

writes /work/corpus/final.md and final.json (see scripts/corpus/README.md).

Needs Python 3.11 and the PyPI `dockerfile` package (BuildKit's parser). The corpus is
/work/corpus (made by collect.py): files/NAME and contexts/NAME/.

How it runs slimfile (the real CLI, nothing re-implemented):
  --mode bulk (default): lays out TREE/NAME/ = contexts/NAME (hard links) + Dockerfile, runs
      `slimfile rewrite --isolated --format json TREE` once (slimfile walks and rewrites the
      tree in place on all cores), reads the rewritten files, then runs
      `slimfile rewrite --isolated --check --format json` on the changed ones (idempotence).
  --mode stdin: one process per file, in parallel: `rewrite - --stdin-filename
      contexts/NAME/Dockerfile --format json` for the report and the same without --format for
      the text; the output again through stdin for idempotence. Slower; for cross-checks.

Checks on every output (each a separate counter with example files):
  parse          BuildKit's parser (PyPI `dockerfile`) accepts the output
  idempotent     rewriting the output again changes nothing
Static trust checks, on outputs that split stages (more stages than the input) or swapped a
base (some FROM image changed). "Runtime" = the output's final stage (and the in-file stages it
is built FROM); "original" = the input's final stage likewise. Conservative: a shape is only
counted when the evidence is in the text.
  contract-<X>      the final stage's runtime contract differs: X in ENV, USER, WORKDIR
                    (effective: the base image's default WORKDIR when none is set, from a
                    small table: golang /go, php /var/www/html, tomcat /usr/local/tomcat …),
                    ENTRYPOINT, CMD, EXPOSE, VOLUME, LABEL, HEALTHCHECK, STOPSIGNAL, SHELL
  cmd-file-missing  a file the final command names (`./server`, `/app/app.py`,
                    `/entrypoint.sh`, `python app.py` → WORKDIR/app.py) that the original had
                    (a COPY/ADD destination covers it, or a RUN names it) but the runtime
                    neither copies nor produces
  copy-outside-app-dropped  a COPY/ADD destination of the original outside its final WORKDIR
                    (`COPY entrypoint.sh /`, configs into /etc …) not covered in the runtime
  earlier-workdir-dropped   the same, for a destination under an earlier WORKDIR of the
                    original (several WORKDIRs, only the last carried)
  global-install-dropped    `npm install -g X` / `yarn global add X` / `pnpm add -g X` in the
                    original, X used by the command or HEALTHCHECK, not installed in the runtime
  tool-dropped      a package the original installed (apt-get/apk/yum) that provides a tool the
                    command/HEALTHCHECK uses (bash, curl …), absent from the runtime: not
                    installed there and not in its base image (table below)
  run-tool-missing  a RUN in a split-off runtime stage uses a tool (curl, wget, git, make, gcc,
                    ssh, unzip, bash) that its base lacks and the stage does not install
  base-tool-lost    a swapped base: a tool the command/HEALTHCHECK/RUN uses that the old base
                    has and the new base lacks (curl/git/make on a -slim image …), not installed
  user-dropped      useradd/adduser/usermod in the original, `USER name` in the runtime
                    without the user created there (or /etc/passwd copied)
  run-workdir-moved a RUN of the original carried into the runtime where it runs in another
                    WORKDIR, and it names relative paths (`chown -R app ../` before the WORKDIR)
  etc-edit-dropped  update-ca-certificates or a RUN that writes into /etc in the original, not
                    repeated in the runtime nor the /etc path copied
  no-shell-base     shell-form CMD/ENTRYPOINT/HEALTHCHECK, a command running
                    sh/bash/python/node/java/ruby/php, or a RUN, on a runtime base that lacks it
                    (scratch, distroless of another language)
  venv-on-python2   `python -m venv` added in a stage on a Python 2 base
  package-not-in-release  a runtime package the output installs that does not exist in the
                    base's release (table RELEASE_PACKAGES below, with sources)
  pkg-manager-mismatch      apk on a non-Alpine base, apt-get on an Alpine base (added lines)
  cross-libc-copy   COPY --from a musl (Alpine) stage into a glibc runtime or the reverse
                    (not scratch; not a Go build with CGO_ENABLED=0)
  doubled-tag       a FROM tag with a repeated suffix (`-slim-slim`, `-alpine-alpine` …)
  env-from-builder-base     an ENV/ARG value in the runtime that expands a variable defined
                    only by the builder's base image or builder stage (`$GOPATH` on scratch)
  go-source-copied  COPY --from copies a *.go file into the runtime
  binary-not-on-path        a binary copied to a folder not on PATH while the exec-form
                    command uses its bare name (and the original's resolved)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

import dockerfile  # PyPI `dockerfile`: BuildKit's parser

DEFAULT_BIN = "/work/main/target/release/slimfile"
EXAMPLES = 5

# ---------------------------------------------------------------------------------------------
# Base-image knowledge (small tables; from the official images' Dockerfiles on Docker Hub).

# Default WORKDIR of a base image family when the Dockerfile sets none.
BASE_WORKDIR = {
    "golang": "/go",
    "php": "/var/www/html",
    "wordpress": "/var/www/html",
    "tomcat": "/usr/local/tomcat",
    "httpd": "/usr/local/apache2",
    "gradle": "/home/gradle",
    "jenkins/jenkins": "/",
    "drupal": "/var/www/html",
    "joomla": "/var/www/html",
    "ghost": "/var/lib/ghost",
    "redmine": "/usr/src/redmine",
    "nextcloud": "/var/www/html",
}
# Environment variables a base image family defines (for the env-from-builder-base check).
BASE_ENV = {
    "golang": {"GOPATH", "GOLANG_VERSION", "GOTOOLCHAIN"},
    "python": {"PYTHON_VERSION", "PYTHON_PIP_VERSION", "PYTHON_GET_PIP_URL", "GPG_KEY", "LANG"},
    "node": {"NODE_VERSION", "YARN_VERSION"},
    "ruby": {"RUBY_VERSION", "GEM_HOME", "BUNDLE_PATH", "BUNDLE_SILENCE_ROOT_WARNING", "BUNDLE_APP_CONFIG", "RUBY_MAJOR"},
    "rust": {"RUSTUP_HOME", "CARGO_HOME", "RUST_VERSION"},
    "openjdk": {"JAVA_HOME", "JAVA_VERSION"},
    "eclipse-temurin": {"JAVA_HOME", "JAVA_VERSION"},
    "maven": {"JAVA_HOME", "MAVEN_HOME", "MAVEN_CONFIG", "JAVA_VERSION"},
    "gradle": {"JAVA_HOME", "GRADLE_HOME", "GRADLE_VERSION", "JAVA_VERSION"},
    "php": {"PHP_INI_DIR", "PHP_VERSION", "PHPIZE_DEPS"},
    "elixir": {"ELIXIR_VERSION"},
    "dotnet/sdk": {"DOTNET_VERSION", "DOTNET_SDK_VERSION", "ASPNETCORE_URLS"},
    # every flavor (base, runtime, devel) of nvidia/cuda sets these (gitlab.com/nvidia/container-images/cuda)
    "nvidia/cuda": {"CUDA_VERSION", "LD_LIBRARY_PATH", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES",
                    "NVIDIA_REQUIRE_CUDA", "NVARCH", "NV_CUDA_CUDART_VERSION", "NV_CUDA_COMPAT_PACKAGE"},
    "pytorch/pytorch": {"LD_LIBRARY_PATH", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES", "PYTORCH_VERSION"},
    "continuumio/miniconda3": {"LANG", "LC_ALL"},
}
LANG_BINARIES = {
    "python": {"python", "python3", "pip", "pip3"},
    "pypy": {"pypy", "pypy3", "python", "python3"},
    "node": {"node", "npm", "npx", "yarn", "corepack"},
    "golang": {"go", "gofmt"},
    "rust": {"cargo", "rustc"},
    "ruby": {"ruby", "gem", "bundle", "bundler", "irb", "rake"},
    "openjdk": {"java", "javac"},
    "eclipse-temurin": {"java"},
    "amazoncorretto": {"java"},
    "maven": {"java", "mvn"},
    "gradle": {"java", "gradle"},
    "tomcat": {"java", "catalina.sh"},
    "php": {"php", "php-fpm", "docker-php-ext-install", "apache2-foreground"},
    "nginx": {"nginx"},
    "httpd": {"httpd", "httpd-foreground"},
    "dotnet/sdk": {"dotnet"},
    "dotnet/aspnet": {"dotnet"},
    "dotnet/runtime": {"dotnet"},
    "elixir": {"elixir", "mix", "erl", "iex"},
    "erlang": {"erl", "rebar3"},
    "perl": {"perl", "cpanm"},
}
FULL_TOOLS = {"sh", "bash", "curl", "wget", "git", "make", "gcc", "g++", "ssh", "tar", "gzip", "xz", "unzip", "apt-get", "dpkg"}
SLIM_TOOLS = {"sh", "bash", "tar", "gzip", "apt-get", "dpkg", "sed", "grep"}
ALPINE_TOOLS = {"sh", "ash", "wget", "nc", "tar", "gzip", "unzip", "apk", "sed", "grep", "vi"}
# apt packages whose set-up fails without /usr/share/man/man1 (update-alternatives with man-page
# slaves in postinst; Debian bug #863199; docker-library/openjdk and postgres made the folder first)
MAN_DIR_PACKAGES = r"openjdk-|default-jre|default-jdk|ca-certificates-java|tomcat\d|jetty\d|maven\b|postgresql"
# Families whose default (non-slim, non-alpine) variant is built on buildpack-deps (full tools).
BUILDPACK_FAMILIES = {"golang", "python", "node", "ruby", "rust", "gcc", "openjdk", "buildpack-deps", "perl", "pypy", "haskell", "elixir", "erlang", "julia"}
DISTRO_FAMILIES = {"debian", "ubuntu", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "redhat/ubi8", "redhat/ubi9", "opensuse/leap"}

# Package (apt/apk name) -> tools it provides.
PACKAGE_TOOLS = {
    "bash": {"bash"}, "curl": {"curl"}, "wget": {"wget"}, "git": {"git"}, "jq": {"jq"},
    "tini": {"tini"}, "dumb-init": {"dumb-init"}, "su-exec": {"su-exec"}, "gosu": {"gosu"},
    "supervisor": {"supervisord", "supervisorctl"}, "nginx": {"nginx"}, "openssl": {"openssl"},
    "netcat": {"nc", "netcat"}, "netcat-openbsd": {"nc"}, "netcat-traditional": {"nc"},
    "ffmpeg": {"ffmpeg", "ffprobe"}, "imagemagick": {"convert", "magick"}, "python3": {"python3"},
    "nodejs": {"node"}, "npm": {"npm"}, "postgresql-client": {"psql", "pg_isready", "pg_dump"},
    "mysql-client": {"mysql"}, "default-mysql-client": {"mysql"}, "mariadb-client": {"mysql"},
    "redis-tools": {"redis-cli"}, "redis": {"redis-cli", "redis-server"}, "cron": {"cron"},
    "openssh-client": {"ssh"}, "rsync": {"rsync"}, "unzip": {"unzip"}, "procps": {"ps", "pkill"},
    "gettext": {"envsubst"}, "gettext-base": {"envsubst"}, "tzdata": set(), "xvfb": {"Xvfb", "xvfb-run"},
    "chromium": {"chromium"}, "wkhtmltopdf": {"wkhtmltopdf"}, "pandoc": {"pandoc"},
}

# Runtime packages that do not exist in a release. Sources: the package pages
# packages.debian.org/<release>/<pkg> and packages.ubuntu.com/<release>/<pkg> (library soname
# packages per release: OpenSSL 1.1 in stretch–bullseye and bionic–focal, OpenSSL 3 from bookworm
# and jammy; readline 8 from bullseye and focal; oniguruma 5 from buster and focal; libffi 8 from
# bookworm and Ubuntu 21.10 (canonical/core-base PR #8), libffi7 in bullseye and 20.04, libffi6
# before (haiwen/seafile-rpi PR #102); ICU 72 only in bookworm). Trixie and noble renamed many
# of these to *t64 (the 64-bit time_t transition: libssl3 → libssl3t64), so the table does not
# speak for them. Recalled, not re-verified package by package: treat a hit as "look at it".
RELEASE_ORDER = ["wheezy", "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie"]
UBUNTU_ORDER = ["trusty", "xenial", "bionic", "focal", "jammy", "noble"]
# Releases the table speaks for (trixie and noble renamed many libraries to *t64: left out).
TABLE_RELEASES = {"wheezy", "jessie", "stretch", "buster", "bullseye", "bookworm", "trusty", "xenial", "bionic", "focal", "jammy"}
RELEASE_PACKAGES = {
    # package: set of releases where it exists (releases not listed: it does not)
    "libssl3": {"bookworm", "jammy"},
    "libssl1.1": {"stretch", "buster", "bullseye", "bionic", "focal"},
    "libssl1.0.0": {"wheezy", "jessie", "xenial", "trusty"},
    "libncursesw6": {"buster", "bullseye", "bookworm", "focal", "jammy"},
    "libreadline8": {"bullseye", "bookworm", "focal", "jammy"},
    "libreadline7": {"stretch", "buster", "bionic"},
    "libonig5": {"buster", "bullseye", "bookworm", "focal", "jammy", "noble"},
    "libffi8": {"bookworm", "jammy"},
    "libffi7": {"bullseye", "focal"},
    "libffi6": {"wheezy", "jessie", "stretch", "buster", "trusty", "xenial", "bionic"},
    "libicu72": {"bookworm"},
    "libicu67": {"bullseye"},
    "libicu63": {"buster"},
    "libicu70": {"jammy"},
    "libicu66": {"focal"},
    "libmysqlclient21": {"focal", "jammy", "noble"},
    "libjpeg62-turbo": set(RELEASE_ORDER) - {"wheezy"},
    "libjpeg-turbo8": set(UBUNTU_ORDER),
}
UBUNTU_VERSIONS = {"12.04": "precise", "14.04": "trusty", "16.04": "xenial", "18.04": "bionic", "20.04": "focal", "22.04": "jammy", "24.04": "noble"}
DEBIAN_VERSIONS = {"7": "wheezy", "8": "jessie", "9": "stretch", "10": "buster", "11": "bullseye", "12": "bookworm", "13": "trixie"}

DEFAULT_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
BASE_PATH_EXTRA = {"golang": ["/go/bin", "/usr/local/go/bin"], "rust": ["/usr/local/cargo/bin"], "openjdk": ["/usr/java/openjdk/bin"], "eclipse-temurin": ["/opt/java/openjdk/bin"]}

# ---------------------------------------------------------------------------------------------
# Images


def split_image(ref: str) -> tuple[str, str]:
    """(family, tag) of an image reference: registry and library/ dropped, digest ignored."""
    ref = ref.split("@", 1)[0]
    name, tag = ref, ""
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = ref.rsplit(":", 1)
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        host = parts[0]
        parts = parts[1:]
        if host == "mcr.microsoft.com" and parts[:1] == ["dotnet"]:
            parts = parts[:2]
        if host in ("gcr.io", "cgr.dev") and parts and parts[0] in ("distroless", "chainguard"):
            return "/".join(parts), tag
    if parts[:1] == ["library"]:
        parts = parts[1:]
    return "/".join(parts).lower(), tag.lower()


class Image:
    def __init__(self, ref: str):
        self.ref = ref
        self.family, self.tag = split_image(ref)
        fam, tag = self.family, self.tag
        self.scratch = fam == "scratch"
        self.distroless = fam.startswith("distroless/") or fam.startswith("chainguard/")
        self.alpine = fam == "alpine" or "alpine" in tag
        self.slim = "slim" in tag or fam in DISTRO_FAMILIES
        self.release = self._release()

    def _release(self) -> str | None:
        for r in RELEASE_ORDER + UBUNTU_ORDER:
            if r in self.tag:
                return r
        if self.family == "ubuntu":
            for v, r in UBUNTU_VERSIONS.items():
                if self.tag.startswith(v):
                    return r
        if self.family == "debian":
            m = re.match(r"(\d+)", self.tag)
            if m and m.group(1) in DEBIAN_VERSIONS:
                return DEBIAN_VERSIONS[m.group(1)]
        return None

    def libc(self) -> str | None:
        if self.scratch:
            return None
        if self.alpine:
            return "musl"
        if self.distroless or self.family in BUILDPACK_FAMILIES or self.family in DISTRO_FAMILIES or "slim" in self.tag:
            return "glibc"
        return None

    def tools(self) -> set[str] | None:
        """Commands the image has, or None when not known."""
        if self.scratch:
            return set()
        lang = set(LANG_BINARIES.get(self.family, ()))
        if self.distroless:
            if "python" in self.family:
                return {"python3", "python"}
            if "java" in self.family:
                return {"java"}
            if "nodejs" in self.family:
                return {"node", "nodejs"}
            return set()
        if self.alpine:
            return ALPINE_TOOLS | lang
        if self.family == "eclipse-temurin":
            # the Ubuntu-based temurin images: curl and wget, the JDK's tools only in -jdk
            jdk = {"javac", "jar", "keytool"} if "jre" not in self.tag else {"keytool"}
            return SLIM_TOOLS | {"curl", "wget", "java"} | jdk
        if self.family in DISTRO_FAMILIES or "slim" in self.tag:
            return SLIM_TOOLS | lang
        if self.family in BUILDPACK_FAMILIES:
            return FULL_TOOLS | lang
        return None

    def default_workdir(self) -> str:
        return BASE_WORKDIR.get(self.family, "/")

    def path(self) -> list[str]:
        return BASE_PATH_EXTRA.get(self.family, []) + DEFAULT_PATH


# ---------------------------------------------------------------------------------------------
# Dockerfile model (from the `dockerfile` package's instructions)


class Stage:
    def __init__(self, base: str, name: str | None, index: int):
        self.base, self.name, self.index = base, name, index
        self.cmds: list = []
        self.parent: Stage | None = None  # in-file stage it is built FROM


class Doc:
    def __init__(self, text: str):
        self.text = text
        cmds = dockerfile.parse_string(text)
        self.global_args: dict[str, str] = {}
        self.stages: list[Stage] = []
        for c in cmds:
            if c.cmd == "FROM":
                v = [x for x in c.value]
                base = v[0] if v else "scratch"
                name = v[2].lower() if len(v) >= 3 and v[1].lower() == "as" else None
                st = Stage(base, name, len(self.stages))
                for s in self.stages:
                    if s.name and s.name == base.lower():
                        st.parent = s
                self.stages.append(st)
            elif not self.stages:
                if c.cmd == "ARG":
                    for a in c.value:
                        k, _, val = a.partition("=")
                        self.global_args[k] = val
            else:
                self.stages[-1].cmds.append(c)

    def stage(self, ref: str) -> Stage | None:
        ref = ref.lower()
        for s in self.stages:
            if s.name == ref or str(s.index) == ref:
                return s
        return None

    def final(self) -> Stage:
        return self.stages[-1]

    def chain(self, st: Stage) -> list[Stage]:
        out, seen = [], set()
        while st is not None and st.index not in seen:
            seen.add(st.index)
            out.append(st)
            st = st.parent
        return list(reversed(out))

    def root_image(self, st: Stage) -> Image:
        return Image(self.expand(self.chain(st)[0].base))

    def expand(self, s: str) -> str:
        def rep(m):
            k = m.group(1) or m.group(2)
            return self.global_args.get(k, m.group(0))

        return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)", rep, s)

    def cmds_of(self, st: Stage) -> list:
        return [c for s in self.chain(st) for c in s.cmds]


def kv_pairs(c) -> list[tuple[str, str]]:
    v = list(c.value)
    return [(v[i], v[i + 1] if i + 1 < len(v) else "") for i in range(0, len(v), 2)]


def exec_words(c) -> list[str]:
    """Words of a CMD/ENTRYPOINT (exec form: as given; shell form: split)."""
    if c.json:
        return list(c.value)
    try:
        return shlex.split(" ".join(c.value))
    except ValueError:
        return " ".join(c.value).split()


class Runtime:
    """The effective runtime configuration of one stage (with its in-file parents)."""

    def __init__(self, doc: Doc, st: Stage):
        self.doc, self.st = doc, st
        self.image = doc.root_image(st)
        self.env: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.user = None
        self.workdir = None
        self.workdirs: list[str] = []
        self.entrypoint = None
        self.cmd = None
        self.expose: set[str] = set()
        self.volume: set[str] = set()
        self.healthcheck = None
        self.stopsignal = None
        self.shell = None
        self.copies: list[tuple[str, list[str], str, str | None]] = []  # (dest abs, sources, workdir, from)
        self.runs: list[str] = []
        self.run_workdirs: list[tuple[str, str]] = []  # (RUN line as written, WORKDIR it runs in)
        self.args: set[str] = set(doc.global_args)
        wd = None
        for c in doc.cmds_of(st):
            k = c.cmd
            if k == "ENV":
                for a, b in kv_pairs(c):
                    self.env[a] = expand_env(b.strip('"'), self.env)
            elif k == "ARG":
                for a in c.value:
                    self.args.add(a.partition("=")[0])
            elif k == "LABEL":
                for a, b in kv_pairs(c):
                    self.labels[a] = b.strip('"')
            elif k == "USER":
                self.user = " ".join(c.value)
            elif k == "WORKDIR":
                wd = norm(join(wd or self.image.default_workdir(), " ".join(c.value)))
                self.workdir = wd
                if wd not in self.workdirs:
                    self.workdirs.append(wd)
            elif k == "ENTRYPOINT":
                self.entrypoint = (c.json, tuple(c.value))
                self.cmd = None  # a new ENTRYPOINT resets CMD
            elif k == "CMD":
                self.cmd = (c.json, tuple(c.value))
            elif k == "EXPOSE":
                self.expose |= {p if "/" in p else p + "/tcp" for p in c.value}
            elif k == "VOLUME":
                self.volume |= set(c.value)
            elif k == "HEALTHCHECK":
                self.healthcheck = tuple(c.value)
            elif k == "STOPSIGNAL":
                self.stopsignal = tuple(c.value)
            elif k == "SHELL":
                self.shell = tuple(c.value)
            elif k in ("COPY", "ADD"):
                v = list(c.value)
                if len(v) >= 2:
                    frm = next((f.split("=", 1)[1] for f in c.flags if f.startswith("--from=")), None)
                    dest = norm(join(wd or self.image.default_workdir(), v[-1]))
                    if v[-1].endswith("/") or v[-1] in (".", "./"):
                        dest = dest.rstrip("/") + "/"
                    self.copies.append((dest, v[:-1], wd or self.image.default_workdir(), frm))
            elif k == "RUN":
                self.run_workdirs.append((c.original, wd or self.image.default_workdir()))
                self.runs.append(" ".join(c.value) + " " + " ".join(h.content for h in getattr(c, "heredocs", ()) or ()))
        self.eff_workdir = self.workdir or self.image.default_workdir()

    def command_words(self) -> list[str]:
        words = []
        for part in (self.entrypoint, self.cmd):
            if part:
                words += exec_words(type("C", (), {"json": part[0], "value": part[1]}))
        return words

    def healthcheck_words(self) -> list[str]:
        if not self.healthcheck or self.healthcheck[0].upper() == "NONE":
            return []
        rest = " ".join(self.healthcheck[1:])
        try:
            return shlex.split(rest)
        except ValueError:
            return rest.split()

    def installed_packages(self) -> set[str]:
        pk = set()
        for r in self.runs:
            for m in re.finditer(r"(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(?:-\S+\s+)*(?:install|add)\s+([^;&|]*)", r):
                for w in m.group(1).split():
                    if not w.startswith("-") and not w.startswith("$"):
                        pk.add(re.split(r"[=<>]", w)[0].lower())
        return pk

    def covers(self, path: str) -> bool:
        """A COPY/ADD destination or a RUN that covers `path`."""
        for dest, srcs, _, _ in self.copies:
            d = dest.rstrip("/") or "/"
            if path == d or path.startswith(d.rstrip("/") + "/"):
                return True
            if dest.endswith("/") is False and path == d:
                return True
        base = PurePosixPath(path).name
        return any(base and re.search(r"(^|[\s/'\"=])" + re.escape(base) + r"($|[\s'\";&|])", r) for r in self.runs)


def expand_env(value: str, env: dict[str, str]) -> str:
    """$VAR / ${VAR} replaced by an earlier in-file ENV value; others left as written."""

    def rep(m):
        k = m.group(1) or m.group(2)
        return env[k] if k in env else "${" + k + "}"

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", rep, value)


def join(wd: str, p: str) -> str:
    return p if p.startswith("/") else wd.rstrip("/") + "/" + p


def norm(p: str) -> str:
    parts: list[str] = []
    for x in p.split("/"):
        if x in ("", "."):
            continue
        if x == "..":
            if parts:
                parts.pop()
            continue
        parts.append(x)
    return "/" + "/".join(parts)


# ---------------------------------------------------------------------------------------------
# Trust checks

INTERPRETERS = {"python", "python3", "python2", "node", "ruby", "php", "perl", "sh", "bash", "java", "deno", "bun"}
SHELLS_AND_LANGS = {"sh", "bash", "ash", "python", "python3", "python2", "node", "java", "ruby", "php", "perl", "npm", "yarn", "npx"}
FILE_EXT = re.compile(r"\.(py|js|mjs|cjs|ts|sh|rb|php|jar|pl|war|dll)$")


def command_files(rt: Runtime) -> list[str]:
    """Absolute paths of files the final command names."""
    w = rt.command_words()
    out = []
    for i, x in enumerate(w):
        if "$" in x or x.startswith("-"):
            continue
        if i == 0 and (x.startswith("./") or x.startswith("/")):
            out.append(norm(join(rt.eff_workdir, x)))
        elif i > 0 and (x.startswith("./") or x.startswith("/")) and FILE_EXT.search(x):
            out.append(norm(join(rt.eff_workdir, x)))
        elif i > 0 and FILE_EXT.search(x) and PurePosixPath(w[i - 1]).name.rstrip("0123456789.") in INTERPRETERS | {"-jar"} and "=" not in x:
            out.append(norm(join(rt.eff_workdir, x)))
    return [p for p in out if not p.startswith(("/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/"))]


def used_words(rt: Runtime) -> set[str]:
    words = set()
    for w in rt.command_words() + rt.healthcheck_words():
        words.add(PurePosixPath(w).name)
    return words


def installed_requirements(orig: Doc, ctx: Path) -> str:
    """The requirements files the original's pip installs read, found in the build context through
    the COPY that placed them (`COPY api/requirements.txt .` + `pip install -r requirements.txt`
    reads api/requirements.txt); a file no COPY names is read from the context's root."""
    out = []
    runs = [" ".join(c.value) for c in orig.final().cmds if c.cmd == "RUN"]
    files = {m.group(1) for r in runs for m in re.finditer(r"(?:-r|--requirement)[=\s]+(\S+)", r)}
    copies = [c.value for c in orig.final().cmds if c.cmd in ("COPY", "ADD") and not any(f.startswith("--from") for f in c.flags)]
    for f in files:
        name = PurePosixPath(f).name
        src = None
        for parts in copies:
            srcs, dest = parts[:-1], parts[-1]
            for sv in srcs:
                if PurePosixPath(sv).name == name or (len(srcs) == 1 and PurePosixPath(dest).name == name):
                    src = sv
        for cand in ([src] if src else []) + [f.lstrip("./"), name]:
            p = ctx / cand.lstrip("/")
            if p.is_file():
                out.append(p.read_text(errors="replace")[:200_000])
                break
    return "\n".join(out)


def check_pair(orig: Doc, new: Doc, split: bool, swapped: bool, manifests: str = "", ctx: Path | None = None) -> dict[str, str]:
    """Trust findings: counter -> short detail. `manifests`: the text of the requirement files
    (requirements*.txt, pyproject.toml, package.json …) of the build context, if at hand."""
    found: dict[str, str] = {}
    o = Runtime(orig, orig.final())
    n = Runtime(new, new.final())

    # Runtime contract.
    for key, a, b in (
        ("ENV", o.env, n.env),
        ("USER", o.user, n.user),
        ("WORKDIR", o.eff_workdir, n.eff_workdir),
        ("ENTRYPOINT", o.entrypoint, n.entrypoint),
        ("CMD", o.cmd, n.cmd),
        ("EXPOSE", o.expose, n.expose),
        ("VOLUME", o.volume, n.volume),
        ("LABEL", o.labels, n.labels),
        ("HEALTHCHECK", o.healthcheck, n.healthcheck),
        ("STOPSIGNAL", o.stopsignal, n.stopsignal),
        ("SHELL", o.shell, n.shell),
    ):
        if key == "ENV":
            a = {k: v for k, v in a.items()}
            b = {k: v for k, v in b.items() if k in a or k not in {"CGO_ENABLED"}}
            missing = set()
            for k in a:
                if k == "PATH" and k in b:
                    # Entries may be added (a venv's bin); none of the original's may go.
                    if set(a[k].split(":")) - set(b[k].split(":")):
                        missing.add(k)
                elif a[k] != b.get(k):
                    missing.add(k)
            if missing:
                found["contract-ENV"] = "lost/changed: " + ", ".join(sorted(missing))[:120]
            continue
        if a != b:
            found[f"contract-{key}"] = f"{str(a)[:60]} → {str(b)[:60]}"

    if split:
        # Files the command names.
        for f in command_files(o):
            if o.covers(f) and not n.covers(f):
                found["cmd-file-missing"] = f
                break
        # COPY destinations outside the app folder / under an earlier WORKDIR.
        app = o.eff_workdir.rstrip("/")
        for dest, srcs, wd, frm in o.copies:
            targets = [dest.rstrip("/") or "/"]
            if dest.endswith("/"):
                names = [PurePosixPath(x).name for x in srcs if x not in (".", "./") and not re.search(r"[*?\[$]", x)]
                targets = [norm(dest + x) for x in names] or targets
            for d in targets:
                if d == app or d.startswith(app + "/") or d == "/":
                    continue
                if n.covers(d):
                    continue
                # copied over from the builder by path (itself or a folder holding it)
                if any(frm2 and (d == x.rstrip("/") or d.startswith(x.rstrip("/") + "/")) for _, xs, _, frm2 in n.copies for x in xs):
                    continue
                earlier = [w for w in o.workdirs[:-1] if d == w or d.startswith(w.rstrip("/") + "/")]
                key = "earlier-workdir-dropped" if earlier else "copy-outside-app-dropped"
                found.setdefault(key, d)
        used = used_words(o)
        # Global installs.
        n_runs = " ".join(n.runs)
        for r in o.runs:
            for m in re.finditer(r"(?:npm\s+(?:install|i|add)\s+(?:\S+\s+)*?(?:-g|--global)|yarn\s+global\s+add|pnpm\s+(?:add|install)\s+(?:-g|--global))\s+([^;&|]*)", r):
                for pkg in m.group(1).split():
                    if pkg.startswith("-"):
                        continue
                    binname = re.sub(r"@[^/]*$", "", pkg).split("/")[-1]
                    if binname in used and binname not in (n.image.tools() or set()) and binname not in n_runs and not any("node_modules" in s or "/usr/local/bin" in d for d, ss, _, _ in n.copies for s in ss):
                        found.setdefault("global-install-dropped", binname)
        # Tools the original installed.
        n_pk = n.installed_packages()
        n_tools = n.image.tools()
        for pkg in o.installed_packages():
            for tool in PACKAGE_TOOLS.get(pkg, ()):
                if tool in used and pkg not in n_pk and n_tools is not None and tool not in n_tools:
                    found.setdefault("tool-dropped", f"{tool} ({pkg}) on {n.image.ref}")
        # Users.
        if n.user:
            uname = n.user.split(":")[0]
            created = " ".join(o.runs)
            if not uname.isdigit() and uname != "root" and re.search(r"(useradd|adduser|usermod)\b[^;&|]*\b" + re.escape(uname) + r"\b", created):
                ok = re.search(r"(useradd|adduser)\b[^;&|]*\b" + re.escape(uname) + r"\b", n_runs) or any(
                    "/etc/passwd" in d or "/etc/passwd" in " ".join(ss) for d, ss, _, _ in n.copies
                )
                if not ok:
                    found["user-dropped"] = uname
        # A RUN carried into the runtime that now runs in another folder and names relative paths.
        o_wd = dict(o.run_workdirs)
        for line, wd in n.run_workdirs:
            if line in o_wd and o_wd[line] != wd and re.search(r"(^|\s)(\.\.?)(/|\s|$)", line.split(None, 1)[-1]):
                found.setdefault("run-workdir-moved", f"{line[:50]} ({o_wd[line]} → {wd})")
        # /etc edits.
        for r in o.runs:
            if "update-ca-certificates" in r and "update-ca-certificates" not in n_runs and not any(
                "/etc/ssl" in d or "ca-certificates" in d for d, *_ in n.copies
            ):
                found.setdefault("etc-edit-dropped", "update-ca-certificates")
            for m in re.finditer(r"(?:>>?|sed\s+-i[^/]*|ln\s+-\S+\s+\S+|tee\s+(?:-a\s+)?)\s*(/etc/[\w./-]+)", r):
                path = m.group(1).rstrip("/.")
                if path in n_runs or n.covers(path) or any(path.startswith(d.rstrip("/")) and d.rstrip("/") for d, *_ in n.copies if d.startswith("/etc")):
                    continue
                found.setdefault("etc-edit-dropped", path)

    # Tools lost by a base swap (same stage, other base), or a RUN of the runtime stage that
    # needs a tool its base lacks.
    def run_tools(runs: list[str]) -> set[str]:
        need = set()
        for r in runs:
            need |= set(re.findall(r"(?:^|[;&|(]\s*|&&\s*|\s)(curl|wget|git|make|gcc|g\+\+|ssh|unzip|bash)(?=\s|$)", r))
        return need

    ot, nt = o.image.tools(), n.image.tools()
    provided = {t for p in n.installed_packages() for t in PACKAGE_TOOLS.get(p, {p})}
    if swapped and not split and ot is not None and nt is not None:
        lost = {t for t in used_words(n) | run_tools(n.runs) if t in ot and t not in nt} - provided
        if lost:
            found["base-tool-lost"] = ", ".join(sorted(lost)) + f" ({o.image.ref} → {n.image.ref})"
        # a stage with no command of its own is a toolchain image: its compilers are the product
        own_command = any(c.cmd in ("CMD", "ENTRYPOINT") for c in orig.final().cmds)
        dropped = {t for t in ("javac", "gcc", "g++", "make", "go", "rustc", "cargo") if t in ot and t not in nt}
        if not own_command and dropped:
            found["toolchain-dropped"] = ", ".join(sorted(dropped)) + f" ({o.image.ref} → {n.image.ref})"
    if swapped and not split:
        # slim and minimized images leave out /usr/share/man: these packages' set-up needs man1
        slimmed = "slim" in n.image.tag or n.image.family == "eclipse-temurin"
        for r in n.runs:
            if not slimmed or re.search(r"mkdir\s+(-\S+\s+)*/usr/share/man(/man1)?\b", r):
                continue
            m = re.search(r"apt(?:-get)?\s[^;&|]*?install[^;&|]*?\s(" + MAN_DIR_PACKAGES + r")\S*", r)
            if m:
                found.setdefault("man-dir-missing", f"{m.group(1)} on {n.image.ref}")
    if split and nt is not None:
        runtime_runs = [" ".join(c.value) for c in new.final().cmds if c.cmd == "RUN"]
        missing = run_tools(runtime_runs) - nt - provided
        if missing:
            found["run-tool-missing"] = ", ".join(sorted(missing)) + f" on {n.image.ref}"

    # Shell / interpreter on a base that lacks it.
    nt = n.image.tools()
    if n.image.scratch or n.image.distroless:
        why = None
        for part, label in ((n.entrypoint, "ENTRYPOINT"), (n.cmd, "CMD")):
            if part and not part[0]:
                why = f"shell-form {label}"
        words = n.command_words()
        if words and PurePosixPath(words[0]).name in SHELLS_AND_LANGS and PurePosixPath(words[0]).name not in (nt or set()):
            why = f"command runs {words[0]}"
        if n.healthcheck and n.healthcheck[0].upper() == "CMD-SHELL":
            why = "shell-form HEALTHCHECK"
        new_stage_runs = [c for c in new.final().cmds if c.cmd == "RUN"]
        if new_stage_runs:
            why = "RUN on " + n.image.ref
        if why:
            found["no-shell-base"] = why

    # Per-stage checks on the output.
    orig_lines = set(orig.text.splitlines())
    for st in new.stages:
        img = Image(new.expand(new.chain(st)[0].base))
        added_runs = [" ".join(c.value) for c in st.cmds if c.cmd == "RUN" and c.original not in orig_lines]
        added = " ".join(added_runs)
        if re.search(r"-m\s+venv\b", added) and img.family in ("python", "pypy") and re.match(r"2(\.|$|-)", img.tag):
            found["venv-on-python2"] = img.ref
        if img.release in TABLE_RELEASES:
            for m in re.finditer(r"[\w.+-]+", added):
                pkg = m.group(0)
                if pkg in RELEASE_PACKAGES and img.release not in RELEASE_PACKAGES[pkg]:
                    found.setdefault("package-not-in-release", f"{pkg} on {img.ref}")
        if (re.search(r"\bapk\s+add\b", added) and not img.alpine and img.libc() == "glibc") or (
            re.search(r"\bapt-get\s+install\b", added) and img.alpine
        ):
            found["pkg-manager-mismatch"] = img.ref
        if re.search(r":[^/]*?(-[a-z]+)\1(\b|$)", st.base):
            found["doubled-tag"] = st.base
    # A stage of the original that builds (native gems, PHP extensions, C) moved onto a
    # slim or alpine base, which has no compiler, without installing one itself.
    for i, st in enumerate(new.stages[: len(orig.stages)]):
        before, after = orig.stages[i].base, st.base
        if before == after or not re.search(r"slim|alpine", after) or re.search(r"slim|alpine", before):
            continue
        if Image(orig.expand(before)).family in ("debian", "ubuntu"):
            continue  # the plain OS images have no compiler either
        runs = " ".join(" ".join(c.value) for c in new.cmds_of(st) if c.cmd == "RUN")
        builds = re.search(r"\bbundle\s+install\b|\bdocker-php-ext-install\b|\bpecl\s+install\b|\b(gcc|g\+\+|make)\b", runs)
        brings = re.search(r"\b(build-essential|build-base|gcc|g\+\+)\b.*", runs) and re.search(r"\b(apt-get|apk|yum|dnf)\b", runs)
        if not builds and Image(orig.expand(before)).family == "python":
            # pip builds a package with no wheel from source
            builds = re.search(r"\bpip3?\s+install\b(?!.*--only-binary)(?![^&;|]*wheel)", runs)
        if builds and not brings:
            found["build-on-slim"] = f"{builds.group(0)} on {after} (was {before})"
    # A package pip or node-gyp builds on the full image links one of its libraries; the slim
    # runtime must install it.
    ofam = Image(orig.expand(orig.final().base)).family
    if (split or swapped) and ofam in ("python", "node") and re.search(r"slim", new.final().base) \
            and not re.search(r"slim|alpine", orig.final().base):
        text = (orig.text + "\n" + manifests).lower()
        runtime_runs = " ".join(" ".join(c.value) for c in new.final().cmds if c.cmd == "RUN")
        for pkg, lib in SOURCE_BUILD_LIBS[ofam]:
            if re.search(rf"(?<![\w.-]){re.escape(pkg)}(?![\w.-])", text) and lib not in runtime_runs:
                found.setdefault("source-build-lib-missing", f"{pkg} needs {lib} on {new.final().base}")
    # A wheel that loads a system library it does not bundle (LightGBM: libgomp1; OpenCV: libGL,
    # GLib): a split's runtime (slim, a runtime flavor, or the same base without the compilers
    # that pulled the library in) must install it.
    if split:
        installed = installed_requirements(orig, ctx) if ctx is not None else manifests
        text = (orig.text + "\n" + installed).lower()
        runtime_runs = " ".join(" ".join(c.value) for c in new.final().cmds if c.cmd == "RUN")
        for pkg, libs in WHEEL_LIBS:
            if re.search(rf"(?<![\w.-]){re.escape(pkg)}(?![\w.-])", text):
                missing = [lib for lib in libs if lib not in runtime_runs]
                if missing:
                    found.setdefault("wheel-lib-missing", f"{pkg} needs {', '.join(missing)} on {new.final().base}")
    # Cross-libc copies and Go sources into the runtime.
    rt_stage = new.final()
    rimg = n.image
    for c in rt_stage.cmds:
        if c.cmd not in ("COPY", "ADD"):
            continue
        frm = next((f.split("=", 1)[1] for f in c.flags if f.startswith("--from=")), None)
        if not frm:
            continue
        src_stage = new.stage(frm)
        if src_stage is None:
            continue
        simg = new.root_image(src_stage)
        src_text = " ".join(" ".join(x.value) for x in new.cmds_of(src_stage))
        cgo_off = "CGO_ENABLED=0" in src_text or (
            # golang images have no C compiler: cgo is off unless one is installed
            simg.family == "golang" and not re.search(r"\b(gcc|build-base|musl-dev|build-essential|clang)\b", src_text)
        )
        if simg.libc() and rimg.libc() and simg.libc() != rimg.libc() and not cgo_off:
            if not all(s.startswith("/etc/ssl") or s.endswith(".crt") for s in c.value[:-1]):
                found.setdefault("cross-libc-copy", f"{simg.ref} → {rimg.ref}")
        for s in c.value[:-1]:
            if s.endswith(".go"):
                found.setdefault("go-source-copied", s)
    # ENV expanding a variable only the builder (stage or base image) defines.
    defined = set(n.env) | n.args
    rt_fams = {rimg.family}
    builder_vars = set()
    for st in new.stages[:-1]:
        builder_vars |= BASE_ENV.get(new.root_image(st).family, set())
        builder_vars |= {a for c in new.cmds_of(st) if c.cmd == "ENV" for a, _ in kv_pairs(c)}
    own_base_vars = set().union(*(BASE_ENV.get(f, set()) for f in rt_fams))
    for c in new.cmds_of(new.final()):
        if c.cmd not in ("ENV", "ARG"):
            continue
        pairs = kv_pairs(c) if c.cmd == "ENV" else [(a.partition("=")[0], a.partition("=")[2]) for a in c.value]
        for key, v in pairs:
            for m in re.finditer(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)(:?-)?", v):
                var = m.group(1)
                # `PORT=${PORT:-9090}`, `PYTHONPATH=/app:$PYTHONPATH`: the variable extends itself,
                # written as in the original, where it was no more defined before the line than here
                if var == key and (m.group(2) or any(
                    c2.cmd == "ENV" and (key, v) in kv_pairs(c2) for c2 in orig.final().cmds
                )) and var not in BASE_ENV.get(Image(orig.expand(orig.final().base)).family, set()):
                    continue
                if var in builder_vars and var not in own_base_vars and var not in n.args and var not in {"PATH", "HOME"}:
                    prior = [a for x in new.cmds_of(new.final()) if x.cmd == "ENV" and x.start_line < c.start_line for a, _ in kv_pairs(x)]
                    if var not in prior:
                        found.setdefault("env-from-builder-base", f"${var} on {rimg.ref}")
    # Binary copied off PATH while the exec-form command uses its bare name.
    def off_path(rt: Runtime, name: str) -> str | None:
        dirs = rt.env.get("PATH", ":".join(rt.image.path())).replace("$PATH", ":".join(rt.image.path()))
        dirs = dirs.replace("${PATH}", ":".join(rt.image.path())).split(":")
        for dest, _, _, _ in rt.copies:
            # (a copied WORKDIR is the app's folder, not a program named like it)
            if dest in rt.workdirs:
                continue
            if not dest.endswith("/") and PurePosixPath(dest).name == name and str(PurePosixPath(dest).parent) not in dirs:
                return dest
        return None

    words = n.command_words()
    first = words[0] if words else ""
    exec_form = (n.entrypoint and n.entrypoint[0]) or (not n.entrypoint and n.cmd and n.cmd[0])
    # (a program the runtime image has itself, `bundle` on ruby, is found whatever is copied)
    has_it = first in (n.image.tools() or set())
    if first and "/" not in first and "$" not in first and exec_form and not has_it:
        dest = off_path(n, first)
        if dest and not off_path(o, first):
            found["binary-not-on-path"] = dest
    return found


# Packages built from source on the full python/node image that link a library the slim image
# lacks (psycopg2 and mysqlclient have no Linux wheels; pg-native links libpq).
# Wheels that load a system library they do not bundle (LightGBM's install docs: libgomp1;
# opencv-python's README: libGL and libgthread; the headless build: libgthread).
WHEEL_LIBS = [
    ("lightgbm", ["libgomp1"]),
    ("opencv-python", ["libgl1", "libglib2.0-0"]),
    ("opencv-contrib-python", ["libgl1", "libglib2.0-0"]),
    ("opencv-python-headless", ["libglib2.0-0"]),
]
SOURCE_BUILD_LIBS = {
    "python": [("psycopg2", "libpq5"), ("mysqlclient", "libmariadb3"), ("uwsgi", "libxml2")],
    "node": [("pg-native", "libpq5")],
}


# Each check once planted in a small pair (original, output) it must flag, and one benign split
# that must flag nothing: `measure.py --self-test`.
SELF_TESTS = [
    ("source-build-lib-missing", "FROM python:3.12\nWORKDIR /app\nRUN pip install psycopg2==2.9.9\nCOPY . .\nCMD [\"python\",\"a.py\"]\n",
     "FROM python:3.12 AS b\nRUN python -m venv /opt/venv\nWORKDIR /app\nRUN pip install psycopg2==2.9.9\nCOPY . .\nFROM python:3.12-slim\nCOPY --from=b /opt/venv /opt/venv\nCOPY --from=b /app /app\nCMD [\"python\",\"a.py\"]\n"),
    ("build-on-slim", "FROM ruby:2.7\nWORKDIR /app\nCOPY . .\nRUN bundle install\nCMD [\"bundle\",\"exec\",\"puma\"]\n",
     "FROM ruby:2.7-slim\nWORKDIR /app\nCOPY . .\nRUN bundle install\nCMD [\"bundle\",\"exec\",\"puma\"]\n"),
    ("contract-USER", "FROM node:20\nUSER node\nCMD [\"node\",\"a.js\"]\n",
     "FROM node:20 AS b\nUSER node\nFROM node:20-slim\nCOPY --from=b /a.js /a.js\nCMD [\"node\",\"a.js\"]\n"),
    ("contract-WORKDIR", "FROM golang:1.22\nCOPY . .\nRUN go build -o s .\nCMD [\"./s\"]\n",
     "FROM golang:1.22 AS b\nCOPY . .\nRUN go build -o s .\nFROM scratch\nCOPY --from=b /go/s /go/s\nCMD [\"./s\"]\n"),
    ("cmd-file-missing", "FROM python:3.11\nWORKDIR /app\nCOPY . .\nCMD [\"python\",\"app.py\"]\n",
     "FROM python:3.11 AS b\nWORKDIR /app\nCOPY . .\nFROM python:3.11-slim\nWORKDIR /app\nCOPY --from=b /opt/venv /opt/venv\nCMD [\"python\",\"app.py\"]\n"),
    ("copy-outside-app-dropped", "FROM node:20\nWORKDIR /app\nCOPY entrypoint.sh /\nCOPY . .\nCMD [\"node\",\"a.js\"]\n",
     "FROM node:20 AS b\nWORKDIR /app\nCOPY entrypoint.sh /\nCOPY . .\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=b /app /app\nCMD [\"node\",\"a.js\"]\n"),
    ("earlier-workdir-dropped", "FROM node:20\nWORKDIR /lib\nCOPY lib .\nWORKDIR /app\nCOPY . .\nCMD [\"node\",\"a.js\"]\n",
     "FROM node:20 AS b\nWORKDIR /lib\nCOPY lib .\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=b /app /app\nCMD [\"node\",\"a.js\"]\n"),
    ("global-install-dropped", "FROM node:20\nRUN npm install -g pm2\nWORKDIR /app\nCOPY . .\nCMD [\"pm2-runtime\",\"a.js\"]\nRUN npm i -g pm2-runtime\n",
     "FROM node:20 AS b\nRUN npm install -g pm2\nWORKDIR /app\nCOPY . .\nRUN npm i -g pm2-runtime\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=b /app /app\nCMD [\"pm2-runtime\",\"a.js\"]\n"),
    ("tool-dropped", "FROM python:3.11\nRUN apt-get install -y curl\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD curl -f http://localhost/\nCMD [\"python\",\"a.py\"]\n",
     "FROM python:3.11 AS b\nRUN apt-get install -y curl\nWORKDIR /app\nCOPY . .\nFROM python:3.11-slim\nWORKDIR /app\nCOPY --from=b /app /app\nHEALTHCHECK CMD curl -f http://localhost/\nCMD [\"python\",\"a.py\"]\n"),
    ("wheel-lib-missing", "FROM python:3.12\nWORKDIR /app\nRUN pip install lightgbm==4.5.0\nCOPY . .\nCMD [\"python\",\"a.py\"]\n",
     "FROM python:3.12 AS b\nRUN python -m venv /opt/venv\nWORKDIR /app\nRUN pip install lightgbm==4.5.0\nCOPY . .\nFROM python:3.12-slim\nCOPY --from=b /opt/venv /opt/venv\nCOPY --from=b /app /app\nCMD [\"python\",\"a.py\"]\n"),
    ("toolchain-dropped", "FROM openjdk:8-jdk\nRUN apt-get update && apt-get install -y lib32stdc++6\n",
     "FROM eclipse-temurin:8-jre\nRUN apt-get update && apt-get install -y lib32stdc++6\n"),
    ("man-dir-missing", "FROM debian:jessie\nRUN apt-get update && apt-get install -y openjdk-7-jdk\nCMD [\"java\",\"-jar\",\"/a.jar\"]\n",
     "FROM debian:jessie-slim\nRUN apt-get update && apt-get install -y openjdk-7-jdk\nCMD [\"java\",\"-jar\",\"/a.jar\"]\n"),
    ("base-tool-lost", "FROM python:3.11\nHEALTHCHECK CMD curl -f http://localhost/\nCMD [\"python\",\"a.py\"]\n",
     "FROM python:3.11-slim\nHEALTHCHECK CMD curl -f http://localhost/\nCMD [\"python\",\"a.py\"]\n"),
    ("run-tool-missing", "FROM node:20\nWORKDIR /app\nRUN curl -o /x http://x && useradd app\nCOPY . .\nCMD [\"node\",\"a.js\"]\n",
     "FROM node:20 AS b\nWORKDIR /app\nRUN curl -o /x http://x && useradd app\nCOPY . .\nFROM node:20-slim\nRUN curl -o /x http://x && useradd app\nWORKDIR /app\nCOPY --from=b /app /app\nCMD [\"node\",\"a.js\"]\n"),
    ("user-dropped", "FROM node:20\nRUN useradd -m app\nWORKDIR /app\nCOPY . .\nUSER app\nCMD [\"node\",\"a.js\"]\n",
     "FROM node:20 AS b\nRUN useradd -m app\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=b /app /app\nUSER app\nCMD [\"node\",\"a.js\"]\n"),
    ("run-workdir-moved", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN useradd app && chown -R app ../\nUSER app\nCMD [\"node\",\"a.js\"]\n",
     "FROM node:20 AS b\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nRUN useradd app && chown -R app ../\nWORKDIR /app\nCOPY --from=b /app /app\nUSER app\nCMD [\"node\",\"a.js\"]\n"),
    ("etc-edit-dropped", "FROM debian:12\nRUN echo UTC > /etc/timezone && make install\nCMD [\"x\"]\n",
     "FROM debian:12 AS b\nRUN echo UTC > /etc/timezone && make install\nFROM debian:12-slim\nCOPY --from=b /usr/local /usr/local\nCMD [\"x\"]\n"),
    ("no-shell-base", "FROM golang:1.22\nRUN go build -o /s .\nCMD /s --flag\n",
     "FROM golang:1.22 AS b\nRUN go build -o /s .\nFROM scratch\nCOPY --from=b /s /s\nCMD /s --flag\n"),
    ("venv-on-python2", "FROM python:2.7\nRUN pip install x\nCMD [\"python\",\"-m\",\"x\"]\n",
     "FROM python:2.7 AS b\nRUN python -m venv /opt/venv\nRUN pip install x\nFROM python:2.7-slim\nCOPY --from=b /opt/venv /opt/venv\nCMD [\"python\",\"-m\",\"x\"]\n"),
    ("package-not-in-release", "FROM debian:buster\nRUN make install\nCMD [\"x\"]\n",
     "FROM debian:buster AS b\nRUN make install\nFROM debian:buster-slim\nRUN apt-get install -y libssl3\nCOPY --from=b /usr/local /usr/local\nCMD [\"x\"]\n"),
    ("pkg-manager-mismatch", "FROM debian:12\nRUN make install\nCMD [\"x\"]\n",
     "FROM debian:12 AS b\nRUN make install\nFROM debian:12-slim\nRUN apk add libssl3\nCOPY --from=b /usr/local /usr/local\nCMD [\"x\"]\n"),
    ("cross-libc-copy", "FROM rust:1-alpine\nRUN cargo build --release\nCMD [\"/app\"]\n",
     "FROM rust:1-alpine AS b\nRUN cargo build --release\nFROM debian:bookworm-slim\nCOPY --from=b /app /app\nCMD [\"/app\"]\n"),
    ("doubled-tag", "FROM python:3.11-slim\nCMD [\"python\"]\n", "FROM python:3.11-slim-slim\nCMD [\"python\"]\n"),
    ("env-from-builder-base", "FROM golang:1.22\nRUN go build -o /s .\nENV BIN=$GOPATH/bin\nCMD [\"/s\"]\n",
     "FROM golang:1.22 AS b\nRUN go build -o /s .\nFROM scratch\nCOPY --from=b /s /s\nENV BIN=$GOPATH/bin\nCMD [\"/s\"]\n"),
    ("go-source-copied", "FROM golang:1.22\nCOPY main.go .\nRUN go build -o /s .\nCMD [\"/s\"]\n",
     "FROM golang:1.22 AS b\nCOPY main.go .\nRUN go build -o /s .\nFROM scratch\nCOPY --from=b /go/main.go /s\nCMD [\"/s\"]\n"),
    ("binary-not-on-path", "FROM golang:1.22\nRUN go build -o /go/bin/srv .\nCMD [\"srv\"]\n",
     "FROM golang:1.22 AS b\nRUN go build -o /go/bin/srv .\nFROM scratch\nCOPY --from=b /go/bin/srv /app/srv\nCMD [\"srv\"]\n"),
]
BENIGN = ("FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nEXPOSE 8080\nCMD [\"./server\"]\n",
          "FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o server .\nEXPOSE 8080\nCMD [\"./server\"]\n"
          "FROM scratch AS runtime\nWORKDIR /app\nCOPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n"
          "COPY --from=builder /app/server /app/server\nEXPOSE 8080\nCMD [\"./server\"]\n")


def self_test() -> int:
    bad = 0
    for key, o, n in SELF_TESTS:
        od, nd = Doc(o), Doc(n)
        split = len(nd.stages) > len(od.stages)
        got = check_pair(od, nd, split, not split)
        if key not in got:
            bad += 1
            print(f"FAIL {key}: not flagged (got {sorted(got)})")
    got = check_pair(Doc(BENIGN[0]), Doc(BENIGN[1]), True, True)
    if got:
        bad += 1
        print(f"FAIL benign split flagged: {got}")
    print(f"{len(SELF_TESTS) + 1 - bad} passed, {bad} failed")
    return 1 if bad else 0


# ---------------------------------------------------------------------------------------------
# Running slimfile


ECOSYSTEMS = [
    ("Go", ("golang",)),
    ("Node", ("node", "mhart/alpine-node", "oven/bun", "denoland/deno")),
    ("Python", ("python", "pypy", "jupyter/", "continuumio/", "tiangolo/", "conda/")),
    ("Java/JVM", ("openjdk", "eclipse-temurin", "maven", "gradle", "tomcat", "amazoncorretto", "java", "jetty", "adoptopenjdk", "ibmjava", "sbt", "clojure", "jenkins")),
    ("Rust", ("rust", "clux/muslrust", "ekidd/rust-musl-builder")),
    ("Ruby", ("ruby", "jruby", "redmine")),
    ("PHP", ("php", "wordpress", "composer", "drupal", "nextcloud")),
    (".NET", ("dotnet/", "microsoft/dotnet", "microsoft/aspnetcore", "mono")),
    ("C/C++", ("gcc", "buildpack-deps", "conanio/", "emscripten/")),
    ("OS base (Debian/Ubuntu/Alpine/RHEL…)", ("debian", "ubuntu", "alpine", "centos", "fedora", "busybox", "amazonlinux", "rockylinux", "almalinux", "opensuse", "archlinux", "redhat/", "scratch", "oraclelinux")),
]


def manifests_of(ctx: Path) -> str:
    """The requirement files of a build context (root and one level down), joined."""
    out = []
    for pat in ("requirements*.txt", "*/requirements*.txt", "pyproject.toml", "setup.py", "Pipfile", "package.json"):
        for f in sorted(ctx.glob(pat))[:8]:
            try:
                out.append(f.read_text(errors="replace")[:200_000])
            except OSError:
                pass
    return "\n".join(out)


def ecosystem(text: str) -> str:
    try:
        doc = Doc(text)
    except Exception:
        return "unparsed"
    if not doc.stages:
        return "unparsed"
    fams = [doc.root_image(s).family for s in doc.stages]
    for label, prefixes in ECOSYSTEMS[:-1]:
        if any(f == p or f.startswith(p) or f.split("/")[-1] == p for f in fams for p in prefixes):
            return label
    if any(f.split("/")[-1] in ECOSYSTEMS[-1][1] or f.startswith(ECOSYSTEMS[-1][1]) for f in fams):
        return ECOSYSTEMS[-1][0]
    return "other image"


def error_class(msg: str) -> str:
    msg = re.sub(r"`[^`]*`", "`…`", msg)
    msg = re.sub(r"\d+", "N", msg)
    return msg.split(":")[0][:80] if len(msg) > 80 else msg


def run_bulk(bin_: str, corpus: Path, names: list[str], work: Path) -> tuple[dict, dict, dict, float]:
    tree = work / "tree"
    for name in names:
        shutil.copytree(corpus / "contexts" / name, tree / name, copy_function=os.link, dirs_exist_ok=True)
        shutil.copyfile(corpus / "files" / name, tree / name / "Dockerfile")
    t0 = time.monotonic()
    p = subprocess.run([bin_, "rewrite", "--isolated", "--format", "json", str(tree)], capture_output=True)
    elapsed = time.monotonic() - t0
    if not p.stdout:
        sys.exit(f"slimfile printed nothing (exit {p.returncode}): {p.stderr.decode()[:2000]}")
    rep = json.loads(p.stdout)
    reports, outputs = {}, {}
    for f in rep["files"]:
        name = Path(f["path"]).parent.name
        reports[name] = f
    for name in names:
        if reports.get(name, {}).get("status") == "changed":
            outputs[name] = (tree / name / "Dockerfile").read_bytes()
    # Idempotence: rewrite the rewritten files once more (check mode).
    changed = [str(tree / n / "Dockerfile") for n in outputs]
    second = {}
    for i in range(0, len(changed), 500):
        q = subprocess.run([bin_, "rewrite", "--isolated", "--check", "--format", "json", *changed[i : i + 500]], capture_output=True)
        for f in json.loads(q.stdout)["files"]:
            second[Path(f["path"]).parent.name] = f
    return reports, outputs, second, elapsed


def run_stdin(bin_: str, corpus: Path, names: list[str], jobs: int) -> tuple[dict, dict, dict, float]:
    def one(name: str):
        data = (corpus / "files" / name).read_bytes()
        fn = str(corpus / "contexts" / name / "Dockerfile")
        base = [bin_, "rewrite", "-", "--stdin-filename", fn, "--isolated"]
        j = subprocess.run(base + ["--format", "json"], input=data, capture_output=True)
        if j.stdout:
            rep = json.loads(j.stdout)["files"][0]
        else:  # errors go to stderr as `PATH:LINE:COL: error: message`
            msg = j.stderr.decode("utf-8", "replace").strip().splitlines()
            msg = re.sub(r"^.*?: error: ", "", msg[0]) if msg else f"exit {j.returncode}, no message"
            rep = {"status": "error", "error": {"message": msg}}
        out = sec = None
        if rep.get("status") == "changed":
            out = subprocess.run(base, input=data, capture_output=True).stdout
            s = subprocess.run(base + ["--format", "json"], input=out, capture_output=True)
            sec = json.loads(s.stdout)["files"][0] if s.stdout else {"status": "error"}
        return name, rep, out, sec

    t0 = time.monotonic()
    reports, outputs, second = {}, {}, {}
    with ThreadPoolExecutor(jobs) as ex:
        for name, rep, out, sec in ex.map(one, names):
            reports[name] = rep
            if out is not None:
                outputs[name], second[name] = out, sec
    return reports, outputs, second, time.monotonic() - t0


# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description="Run slimfile over the corpus and check every output.")
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--corpus", type=Path, default=Path("/work/corpus"))
    ap.add_argument("--out", type=Path, default=None, help="folder for NAME.md and NAME.json (default: only print Markdown)")
    ap.add_argument("--name", default="report", help="file name stem of the report (default: report)")
    ap.add_argument("--compare", type=Path, default=None, help="an earlier report .json: add a before/after table")
    ap.add_argument("--mode", choices=["bulk", "stdin"], default="bulk")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (for a quick try)")
    ap.add_argument("--keep", type=Path, default=None, help="write each changed output to this folder")
    ap.add_argument("--self-test", action="store_true", help="check that each trust check fires on a planted case")
    ap.add_argument("--ml", action="store_true", help="also run ml_checks.py's ML trust checks (and count them)")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    ml = None
    if args.ml:
        import ml_checks as ml  # the optional ML checks, beside this file

    index = {}
    with open(args.corpus / "index.tsv") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(head, line.rstrip("\n").split("\t")))
            index[row["file"]] = row
    names = sorted(index)
    if args.limit:
        names = names[: args.limit]
    version = subprocess.run([args.bin, "--version"], capture_output=True, text=True).stdout.strip()

    with tempfile.TemporaryDirectory(prefix="slimfile-corpus-") as tmp:
        if args.mode == "bulk":
            reports, outputs, second, elapsed = run_bulk(args.bin, args.corpus, names, Path(tmp))
        else:
            reports, outputs, second, elapsed = run_stdin(args.bin, args.corpus, names, args.jobs)

    res: dict = {
        "slimfile": version,
        "binary": args.bin,
        "mode": args.mode,
        "slimfile_seconds": round(elapsed, 1),
        "files_read": len(names),
        "refused": 0,
        "refused_by_class": Counter(),
        "internal_errors": [],
        "changed": 0,
        "unchanged": 0,
        "skipped_pragma": 0,
        "changed_per_pass": Counter(),
        "changes_per_pass": Counter(),
        "suggestions_per_pass": Counter(),
        "left_alone": Counter(),
        "estimated_bytes_saved": 0,
        "split_stages_files": 0,
        "base_swapped_files": 0,
        "checks": {},
    }
    examples: dict[str, list] = defaultdict(list)
    counts: Counter = Counter()

    def flag(key: str, name: str, detail: str = ""):
        counts[key] += 1
        if len(examples[key]) < EXAMPLES:
            examples[key].append({"file": name, "repo": index[name]["repo"], "path": index[name]["path"], "detail": detail})

    res["ecosystems"] = Counter(
        ecosystem((args.corpus / "files" / n).read_bytes().decode("utf-8", "replace")) for n in names
    )
    trust_flagged: set[str] = set()
    ml_flagged: set[str] = set()
    for name in names:
        r = reports.get(name)
        if r is None:
            flag("not-reported", name)
            continue
        st = r.get("status")
        if r.get("skipped"):
            res["skipped_pragma"] += 1
        for nt in r.get("notes") or []:
            res["left_alone"][f"{nt.get('pass', '?')}/{nt.get('code', '?')}"] += 1
        for s in r.get("suggestions") or []:
            res["suggestions_per_pass"][s.get("pass", "?")] += 1
        if st == "error":
            msg = (r.get("error") or {}).get("message", "")
            if "internal error" in msg:
                res["internal_errors"].append({"file": name, "repo": index[name]["repo"], "path": index[name]["path"], "message": msg})
            else:
                res["refused"] += 1
                res["refused_by_class"][error_class(msg)] += 1
            continue
        if st != "changed":
            res["unchanged"] += 1
            continue
        res["changed"] += 1
        res["estimated_bytes_saved"] += r.get("estimated_bytes_saved") or 0
        for p in {c["pass"] for c in r.get("changes", [])}:
            res["changed_per_pass"][p] += 1
        for c in r.get("changes", []):
            res["changes_per_pass"][c["pass"]] += 1

        out = outputs.get(name, b"")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / name).write_bytes(out)
        text = out.decode("utf-8", "replace")
        orig_text = (args.corpus / "files" / name).read_bytes().decode("utf-8", "replace")
        # (a) BuildKit's parser.
        try:
            new = Doc(text)
        except Exception as e:  # the parser's own error type
            flag("parse", name, str(e)[:200])
            continue
        # (b) Idempotence.
        sec = second.get(name) or {}
        if sec.get("status") != "unchanged":
            flag("idempotent", name, sec.get("status", "?") + " " + "; ".join(c["message"][:80] for c in sec.get("changes", [])[:2]))
        # (c) Trust checks.
        try:
            orig = Doc(orig_text)
        except Exception:
            continue
        if not orig.stages or not new.stages:
            continue
        split = len(new.stages) > len(orig.stages)
        obases = [s.base for s in orig.stages]
        nbases = [s.base for s in new.stages[: len(orig.stages)]]
        swapped = obases != nbases or (split and new.final().base != orig.final().base)
        if split:
            res["split_stages_files"] += 1
        if swapped and not split:
            res["base_swapped_files"] += 1
        if not (split or swapped):
            continue
        try:
            ctx = args.corpus / "contexts" / name
            found = check_pair(orig, new, split, swapped, manifests_of(ctx), ctx)
        except Exception as e:  # a bug in a check must not hide the others
            flag("check-crashed", name, repr(e)[:200])
            continue
        for key, detail in sorted(found.items()):
            flag(key, name, detail)
        if found:
            trust_flagged.add(name)
        if ml is not None:
            try:
                ml_found = ml.check_ml_pair(orig, new, args.corpus / "contexts" / name)
            except Exception as e:  # likewise
                ml_found = {"ml-check-crashed": repr(e)[:200]}
            for key, detail in sorted(ml_found.items()):
                flag(key, name, detail)
            if ml_found:
                ml_flagged.add(name)

    checked = res["changed"]
    trusted = res["split_stages_files"] + res["base_swapped_files"]
    res["checks"] = {
        k: {"count": counts[k], "examples": examples[k]} for k in sorted(counts)
    }
    res["checked_outputs"] = checked
    res["trust_checked_outputs"] = trusted
    res["trust_flagged_outputs"] = len(trust_flagged)
    if ml is not None:
        res["ml_flagged_outputs"] = len(ml_flagged)
    for k in ("ecosystems", "refused_by_class", "changed_per_pass", "changes_per_pass", "suggestions_per_pass", "left_alone"):
        res[k] = dict(sorted(res[k].items(), key=lambda kv: (-kv[1], kv[0])))
    md = render(res, index)
    if args.compare:
        md += compare(json.loads(args.compare.read_text()), res, args.compare.name)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{args.name}.json").write_text(json.dumps(res, indent=1) + "\n")
        (args.out / f"{args.name}.md").write_text(md)
        print(f"wrote {args.out}/{args.name}.md and {args.name}.json", file=sys.stderr)
    print(md)
    return 1 if res["internal_errors"] or counts["parse"] or counts["idempotent"] else 0


def compare(old: dict, new: dict, label: str) -> str:
    rows = [
        ("refused", old["refused"], new["refused"]),
        ("internal errors", len(old["internal_errors"]), len(new["internal_errors"])),
        ("changed", old["changed"], new["changed"]),
        ("split into stages", old["split_stages_files"], new["split_stages_files"]),
        ("base swapped (no split)", old["base_swapped_files"], new["base_swapped_files"]),
        ("outputs with a trust finding", old.get("trust_flagged_outputs", 0), new.get("trust_flagged_outputs", 0)),
        ("estimated saved (MB)", round(old["estimated_bytes_saved"] / 1e6), round(new["estimated_bytes_saved"] / 1e6)),
    ]
    for p in sorted(set(old["changed_per_pass"]) | set(new["changed_per_pass"])):
        rows.append((f"files changed by {p}", old["changed_per_pass"].get(p, 0), new["changed_per_pass"].get(p, 0)))
    for k in sorted(set(old["checks"]) | set(new["checks"])):
        rows.append((f"check {k}", old["checks"].get(k, {}).get("count", 0), new["checks"].get(k, {}).get("count", 0)))
    L = ["", f"Compared with `{label}` ({old.get('slimfile', '?')}):", "", "| measure | before | after |", "|---|---:|---:|"]
    L += [f"| {a} | {b:,} | {c:,} |" for a, b, c in rows]
    return "\n".join(L) + "\n"


def render(res: dict, index: dict) -> str:
    mb = res["estimated_bytes_saved"] / 1e6
    L = [
        f"## Corpus run: {res['slimfile']}",
        "",
        f"{res['files_read']:,} Dockerfiles from {len({r['repo'] for r in index.values()})} repositories "
        f"(two of them collections taken from {len({r['upstream'] for r in index.values() if r.get('upstream', '-') != '-'}):,} more) "
        f"(mode `{res['mode']}`, slimfile ran {res['slimfile_seconds']} s).",
        "",
        "Ecosystems (by the images the stages are built on): "
        + ", ".join(f"{k} {v:,}" for k, v in res["ecosystems"].items())
        + ".",
        "",
        "| measure | files |",
        "|---|---:|",
        f"| read | {res['files_read']:,} |",
        f"| refused (not a Dockerfile BuildKit accepts, not UTF-8 …) | {res['refused']:,} |",
        f"| internal errors | {len(res['internal_errors'])} |",
        f"| changed | {res['changed']:,} |",
        f"| unchanged | {res['unchanged']:,} |",
        f"| skipped by pragma | {res['skipped_pragma']} |",
        f"| split into stages | {res['split_stages_files']:,} |",
        f"| base swapped (no split) | {res['base_swapped_files']:,} |",
        f"| estimated saved, all changed files | {mb:,.0f} MB |",
        "",
        "| pass | files changed | changes | suggestions |",
        "|---|---:|---:|---:|",
    ]
    for p in sorted(set(res["changed_per_pass"]) | set(res["suggestions_per_pass"])):
        L.append(f"| {p} | {res['changed_per_pass'].get(p, 0):,} | {res['changes_per_pass'].get(p, 0):,} | {res['suggestions_per_pass'].get(p, 0):,} |")
    L += ["", "Left alone (pass/reason code: files):", ""]
    L.append(", ".join(f"`{k}` {v:,}" for k, v in res["left_alone"].items()) or "none")
    L += ["", "Refused, by error message:", ""]
    for k, v in res["refused_by_class"].items():
        L.append(f"- {v:,} × {k}")
    if res["internal_errors"]:
        L += ["", "**Internal errors:**", ""]
        for e in res["internal_errors"]:
            L.append(f"- `{e['file']}` ({e['repo']} `{e['path']}`): {e['message']}")
    L += [
        "",
        f"Checks on the {res['checked_outputs']:,} outputs; {res['trust_checked_outputs']:,} split or base-swapped ones "
        f"trust-checked, {res['trust_flagged_outputs']:,} of them with at least one finding"
        + (f"; {res['ml_flagged_outputs']:,} with an ML finding (ml_checks.py)" if "ml_flagged_outputs" in res else "") + ":",
        "",
        "| check | outputs | examples |",
        "|---|---:|---|",
    ]
    order = ["parse", "idempotent"]
    for k in order + sorted(set(res["checks"]) - set(order)):
        c = res["checks"].get(k, {"count": 0, "examples": []})
        ex = "; ".join(f"`{e['file']}` ({e['detail']})" if e["detail"] else f"`{e['file']}`" for e in c["examples"][:3])
        ex = ex.replace("|", "\\|")
        L.append(f"| {k} | {c['count']:,} | {ex} |")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.exit(main())
