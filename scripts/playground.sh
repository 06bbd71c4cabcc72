#!/usr/bin/env bash
# The browser playground (playground/): slimfile's rewrite core built for WebAssembly, and the
# static page around it.
#
#   scripts/playground.sh              build into target/playground/ and serve it on
#                                      http://127.0.0.1:8000/ (PORT=… for another port)
#   scripts/playground.sh build [DIR]  build only (into DIR, default target/playground/);
#                                      DIR is a static site: any web server can serve it
#
# Needs Rust's wasm32-unknown-unknown target (`rustup target add wasm32-unknown-unknown`) and
# the wasm-bindgen CLI of exactly the version playground/Cargo.toml pins (`cargo install
# wasm-bindgen-cli --version <it> --locked`); serving needs python3. The page must come from a
# web server: browsers do not load WebAssembly from file:// pages.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-target}
out=${2:-$target/playground}
version=$(sed -n 's/^wasm-bindgen = "=\(.*\)".*/\1/p' playground/Cargo.toml)

build() {
    if ! command -v wasm-bindgen >/dev/null; then
        echo "wasm-bindgen is not on PATH: cargo install wasm-bindgen-cli --version $version --locked" >&2
        exit 1
    fi
    found=$(wasm-bindgen --version | awk '{print $2}')
    if [ "$found" != "$version" ]; then
        echo "wasm-bindgen $found on PATH, the playground needs $version:" \
            "cargo install wasm-bindgen-cli --version $version --locked --force" >&2
        exit 1
    fi
    cargo build --locked --quiet -p slimfile-playground --profile wasm --target wasm32-unknown-unknown
    rm -rf "$out"
    mkdir -p "$out/pkg"
    cp playground/web/index.html playground/web/playground.js playground/web/style.css "$out/"
    wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
        --out-dir "$out/pkg" "$target/wasm32-unknown-unknown/wasm/slimfile_playground.wasm"
    echo "playground built in $out ($(du -k "$out/pkg/slimfile_playground_bg.wasm" | cut -f1) KiB of wasm)" >&2
}

case "${1:-serve}" in
    build) build ;;
    serve)
        build
        port=${PORT:-8000}
        echo "serving the playground on http://127.0.0.1:$port/ (Ctrl-C stops)" >&2
        exec python3 -m http.server --bind 127.0.0.1 --directory "$out" "$port"
        ;;
    *)
        echo "usage: scripts/playground.sh [serve | build [DIR]]" >&2
        exit 2
        ;;
esac
