#!/usr/bin/env python3
"""Generate transforms/dev-packages.toml: each `-dev` apt package → the runtime
library packages a program built against it needs, per Debian/Ubuntu release.

Regenerate (one command, ~1 minute, downloads ~90 MB of package indexes):

    python3 scripts/debian-dev-packages.py --out transforms/dev-packages.toml

`--cache DIR` keeps the downloaded indexes (and reuses them when present);
`--offline` uses only the cache. Python 3 standard library only.

Where the data comes from: the `Packages.xz` index (amd64) of
- Debian bullseye, bookworm, trixie: `main` at deb.debian.org;
- Ubuntu xenial, bionic, focal, jammy, noble: `main` and `universe` at
  archive.ubuntu.com (the release pocket, not -updates: library package names
  do not change within a release).
Debian buster (and older) left deb.debian.org for archive.debian.org, which
this machine could not reach when the script was written: buster is not in the
data (add it to `SUITES` when that archive is reachable); the loader
(src/packages.rs) judges a buster base by the Debian releases that agree, and
its notes say the index is missing.

What a `-dev` package needs at run time, in one suite:
1. the packages of section `libs` its Depends names that come from the same
   source package (`libpq-dev` → `libpq5`), plus those of the same-source
   `-dev` packages it depends on (`libjpeg-dev` → `libjpeg62-turbo-dev` →
   `libjpeg62-turbo`);
2. when that is empty (a metapackage from a `*-defaults` source, `ruby-dev`,
   `libboost-all-dev`, `default-libmysqlclient-dev`), the same, recursively,
   for the `-dev` packages of other sources it depends on;
3. build-only, nothing at run time: the toolchain's own `-dev` packages
   (glibc's, the kernel headers, GCC's `libstdc++-N-dev` and `libgcc-N-dev`:
   libc6, libstdc++6 and libgcc-s1 are in every base that has apt), and
   architecture-independent `-dev` packages (headers, build scripts:
   `dpkg-dev`, `autotools-dev`, `libglm-dev`) whose source builds no `libs`
   package and whose `-dev` dependencies' sources neither;
4. empty otherwise, or another -dev package of glibc, the kernel or GCC
   (whose runtime libraries the newest gcc-N source builds): not known (the
   package is left out of that suite).
A name that is no real package in a suite but is provided (`Provides`) by
exactly one package there is resolved through it (`libxslt-dev` →
`libxslt1-dev`); a name not in a suite's index is not installable there.

Output: one line per `-dev` package. A string when every suite that has the
package agrees (`"libargon2-dev" = "libargon2-1"`, names separated by spaces),
else an inline table with a `default` and the suites that differ; in it `-`
means "not installable / not known in that suite" and `""` "nothing at run
time". Build-only packages are listed in the `build_only` array. The output is sorted
and deterministic for the same indexes.
"""

from __future__ import annotations

import argparse
import lzma
import re
import sys
import urllib.request
from collections import Counter
from pathlib import Path

DEBIAN = "http://deb.debian.org/debian"
UBUNTU = "http://archive.ubuntu.com/ubuntu"

# (suite, archive, components), oldest first within each distribution
SUITES = [
    ("bullseye", DEBIAN, ["main"]),
    ("bookworm", DEBIAN, ["main"]),
    ("trixie", DEBIAN, ["main"]),
    ("xenial", UBUNTU, ["main", "universe"]),
    ("bionic", UBUNTU, ["main", "universe"]),
    ("focal", UBUNTU, ["main", "universe"]),
    ("jammy", UBUNTU, ["main", "universe"]),
    ("noble", UBUNTU, ["main", "universe"]),
]

# sources of the C library and the kernel headers: every program needs
# libc6, which every base has; following them would add it everywhere
# (and GCC's libstdc++/libgcc, which every C++ program links and every base has)
SKIP_SOURCES = re.compile(r"^(glibc|linux|musl|gcc-defaults|gcc(-\d+(\.\d+)?)?)$")

# sections of -dev packages for other languages' package managers (Rust crates, Go modules,
# Haskell, OCaml, Mono …): their builds do not link a system library through them
OTHER_ECOSYSTEMS = {"rust", "golang", "haskell", "ocaml", "cli-mono", "javascript", "java", "lisp", "doc", "perl", "gnu-r"}

# … and their names, for the packages filed under another section
OTHER_ECOSYSTEM_PREFIXES = ("golang-", "librust-", "libghc-")

# package names that are not a runtime library even in section libs
NOT_RUNTIME = re.compile(r"-(dev|doc|dbg|dbgsym|common|data|bin|tools|utils|examples)$")


def fetch(url: str, cache: Path | None, offline: bool) -> bytes:
    name = re.sub(r"[^A-Za-z0-9.]+", "_", url.split("://", 1)[1])
    cached = cache / name if cache else None
    if cached and cached.exists():
        return cached.read_bytes()
    if offline:
        sys.exit(f"--offline and {url} is not in the cache")
    with urllib.request.urlopen(url, timeout=300) as r:
        data = r.read()
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
    return data


def release_date(archive: str, suite: str, cache: Path | None, offline: bool) -> str:
    text = fetch(f"{archive}/dists/{suite}/Release", cache, offline).decode("utf-8", "replace")
    m = re.search(r"^Date: (.+)$", text, re.M)
    return m.group(1).strip() if m else "unknown"


def parse_packages(text: str) -> dict[str, dict[str, str]]:
    """Package name → its fields (Source without version, Depends, Provides, Section)."""
    out: dict[str, dict[str, str]] = {}
    for para in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in para.split("\n"):
            if line.startswith((" ", "\t")) and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        name = fields.get("Package")
        if not name:
            continue
        source = fields.get("Source", name).split(" ")[0]
        section = fields.get("Section", "").rsplit("/", 1)[-1]
        out[name] = {
            "source": source,
            "section": section,
            "depends": fields.get("Depends", "") + ("," + fields["Pre-Depends"] if "Pre-Depends" in fields else ""),
            "provides": fields.get("Provides", ""),
            "architecture": fields.get("Architecture", ""),
        }
    return out


def names(field: str) -> list[str]:
    """The first alternative of each dependency, without version or arch qualifier."""
    out = []
    for dep in field.split(","):
        first = dep.split("|")[0].strip()
        if not first:
            continue
        out.append(re.split(r"[\s(:]", first, maxsplit=1)[0])
    return out


class Suite:
    def __init__(self, packages: dict[str, dict[str, str]]):
        self.packages = packages
        self.providers: dict[str, list[str]] = {}
        for name, p in packages.items():
            for v in names(p["provides"]):
                self.providers.setdefault(v, []).append(name)
        self.sources_with_libs = {
            p["source"] for n, p in packages.items() if self.is_runtime_library(n)
        }
        self.memo: dict[str, list[str] | None] = {}
        self.cycles = 0

    def is_runtime_library(self, name: str) -> bool:
        p = self.packages.get(name)
        return bool(p) and p["section"] == "libs" and not NOT_RUNTIME.search(name)

    def real(self, name: str) -> str | None:
        """The package apt installs for `name`: itself, or its only provider."""
        if name in self.packages:
            return name
        providers = sorted(set(self.providers.get(name, [])))
        return providers[0] if len(providers) == 1 else None

    def runtime(self, name: str, seen: frozenset = frozenset()) -> list[str] | None:
        """Runtime libraries of -dev package `name` (rules 1–2), None when not a package here."""
        real = self.real(name)
        if real is None:
            return None
        if real in self.memo:
            return self.memo[real]
        if real in seen:
            self.cycles += 1
            return []
        cycles_before = self.cycles
        seen = seen | {real}
        p = self.packages[real]
        deps = names(p["depends"])
        same = [d for d in deps if self.packages.get(d, {}).get("source") == p["source"]]
        libs = [d for d in same if self.is_runtime_library(d)]
        for d in same:
            if self.is_dev(d):
                libs += self.runtime(d, seen) or []
        if not libs:
            for r in self.other_dev_dependencies(real):
                libs += self.runtime(r, seen) or []
        result = sorted(set(libs))
        # a result cut short by a dependency cycle depends on where the walk began: not kept
        if self.cycles == cycles_before:
            self.memo[real] = result
        return result

    def is_dev(self, name: str) -> bool:
        return name.endswith("-dev") or self.packages[name]["section"] == "libdevel"

    def other_dev_dependencies(self, real: str) -> list[str]:
        """The -dev packages of other sources (not libc's, the kernel's or GCC's) `real` depends on."""
        source = self.packages[real]["source"]
        out = []
        for d in names(self.packages[real]["depends"]):
            r = self.real(d)
            if r and self.is_dev(r) and self.packages[r]["source"] != source and not SKIP_SOURCES.match(self.packages[r]["source"]):
                out.append(r)
        return out

    def build_only(self, name: str) -> bool:
        """Rule 3: the toolchain's own -dev packages (libc6, libstdc++6 and libgcc-s1 are in
        every base that has apt: glibc's, the kernel headers, libstdc++-N-dev, libgcc-N-dev); else an architecture-independent package (headers, scripts:
        nothing it ships is linked) with no library in its source and no -dev dependency on a
        source that has one."""
        real = self.real(name)
        if real is None:
            return False
        p = self.packages[real]
        if p["source"] in ("glibc", "linux", "musl") or (
            re.match(r"^gcc-[\d.]+$", p["source"]) and re.match(r"^lib(stdc\+\+|gcc)-[\d.]+-dev$", real)
        ):
            return True
        if p["architecture"] != "all" or p["source"] in self.sources_with_libs:
            return False
        return all(self.packages[r]["source"] not in self.sources_with_libs for r in self.other_dev_dependencies(real))

    def dev_names(self) -> set[str]:
        def wanted(name: str) -> bool:
            real = self.real(name)
            return (
                bool(real)
                and self.packages[real]["section"] not in OTHER_ECOSYSTEMS
                and not name.startswith(OTHER_ECOSYSTEM_PREFIXES)
            )

        devs = {n for n in self.packages if n.endswith("-dev")}
        devs |= {v for v in self.providers if v.endswith("-dev")}
        return {d for d in devs if wanted(d)}


def toml_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("transforms/dev-packages.toml"))
    ap.add_argument("--cache", type=Path, default=None, help="keep and reuse the downloaded indexes here")
    ap.add_argument("--offline", action="store_true", help="use only the cache")
    args = ap.parse_args()

    per_suite: dict[str, dict[str, str]] = {}  # suite → dev → value ("-", "", "a b")
    dates = {}
    for suite, archive, components in SUITES:
        packages: dict[str, dict[str, str]] = {}
        for comp in components:
            url = f"{archive}/dists/{suite}/{comp}/binary-amd64/Packages.xz"
            print(f"reading {url}", file=sys.stderr)
            packages.update(parse_packages(lzma.decompress(fetch(url, args.cache, args.offline)).decode("utf-8", "replace")))
        dates[suite] = release_date(archive, suite, args.cache, args.offline)
        s = Suite(packages)
        values = {}
        for dev in sorted(s.dev_names()):
            if s.build_only(dev):
                values[dev] = ""
                continue
            # GCC's other runtime libraries come from the newest gcc-N source, not the -dev's own
            if SKIP_SOURCES.match(s.packages[s.real(dev) or dev]["source"]):
                continue
            libs = s.runtime(dev)
            if libs:
                values[dev] = " ".join(libs)
        per_suite[suite] = values

    order = [s for s, _, _ in SUITES]
    devs = sorted({d for v in per_suite.values() for d in v})
    runtime_lines, build_only = [], []
    for dev in devs:
        vals = {s: per_suite[s].get(dev, "-") for s in order}
        present = {s: v for s, v in vals.items() if v != "-"}
        if all(v == "" for v in present.values()):
            build_only.append(dev)
            continue
        # default: the most common value among the suites that have it; ties: the newest suite's
        counts = Counter(present.values())
        default = max(reversed([s for s in order if s in present]), key=lambda s: counts[present[s]])
        default = present[default]
        diffs = [(s, v) for s, v in vals.items() if v != default]
        if not diffs:
            runtime_lines.append(f"{toml_string(dev)} = {toml_string(default)}")
        else:
            cells = [f"default = {toml_string(default)}"] + [f"{s} = {toml_string(v)}" for s, v in diffs]
            runtime_lines.append(f"{toml_string(dev)} = {{ {', '.join(cells)} }}")

    header = [
        "# GENERATED by scripts/debian-dev-packages.py — do not edit; regenerate with",
        "#   python3 scripts/debian-dev-packages.py --out transforms/dev-packages.toml",
        "# A -dev apt package → the runtime library packages (section libs) its Depends names from the",
        "# same source package, per release. Read by src/packages.rs; the hand-written map in",
        "# transforms/recipes.toml [packages] wins over it.",
        "# Indexes (amd64, Packages.xz; Debian main, Ubuntu main+universe), with their Release dates:",
    ]
    for suite, archive, components in SUITES:
        header.append(f"#   {suite}: {archive} {'+'.join(components)} ({dates[suite]})")
    header += [
        "# Debian buster and older: not in the data (archive.debian.org was not reachable).",
        "# Values: library names separated by spaces; an inline table gives a `default` and the",
        "# releases that differ; `-` = not installable or no library known there, \"\" = nothing at run time.",
        "",
        f"suites = [{', '.join(toml_string(s) for s in order)}]",
        "",
        "# -dev packages whose source builds no shared library (headers, build tools): nothing at run time",
        "build_only = [",
    ]
    body = [f"  {toml_string(d)}," for d in build_only] + ["]", "", "[runtime]"] + runtime_lines
    args.out.write_text("\n".join(header + body) + "\n")
    print(f"wrote {args.out}: {len(runtime_lines)} -dev packages with runtime libraries, {len(build_only)} build-only", file=sys.stderr)


if __name__ == "__main__":
    main()
