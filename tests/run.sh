#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests drive when it
# is missing (the pre-commit framework and pytest-lsp from PyPI, Debian's
# Chromium), then runs the whole suite, including the tests a plain
# `cargo test` ignores because they need those tools (and fail without them).
set -euo pipefail
cd "$(dirname "$0")/.."

# The pre-commit framework (tests/pre_commit.rs) and the LSP client that
# drives `pmbook lsp` (tests/lsp.rs).
if ! python3 -m pre_commit --version >/dev/null 2>&1 ||
    ! python3 -c "import pytest_lsp" >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check pre-commit pytest-lsp
fi
# pyenv puts new scripts (`pre-commit`) on PATH only after a rehash.
if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt_get=(apt-get)
    elif command -v sudo >/dev/null 2>&1; then
        apt_get=(sudo apt-get)
    else
        echo "tests/run.sh: the browser tests need Chromium: install it (Debian: apt-get install chromium)" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${apt_get[@]}" update -qq
    "${apt_get[@]}" install -y -qq chromium >/dev/null
fi

exec cargo test --locked "$@" -- --include-ignored
