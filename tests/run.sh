#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests drive when it
# is missing (the pre-commit framework, pytest-lsp and icalendar from PyPI, Debian's
# Chromium, shells and man, the SARIF Multitool, axe-core and Mermaid from npm), then runs the whole suite, including the tests a plain
# `cargo test` ignores because they need those tools (and fail without them).
set -euo pipefail
cd "$(dirname "$0")/.."

# The pre-commit framework (tests/pre_commit.rs), the LSP client that
# drives `pmbook lsp` (tests/lsp.rs) and the iCalendar parser that reads
# the site's calendars (tests/calendar.rs).
if ! python3 -m pre_commit --version >/dev/null 2>&1 ||
    ! python3 -c "import pytest_lsp" >/dev/null 2>&1 ||
    ! python3 -c "import icalendar" >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check pre-commit pytest-lsp icalendar
fi
# pyenv puts new scripts (`pre-commit`) on PATH only after a rehash.
if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi

# Debian packages: Chromium (tests/browser.rs), the shells the completions
# are loaded in and man (tests/packaging.rs), jq (the guide's blocks,
# tests/guide.rs), npm for the SARIF multitool and axe-core.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)
command -v man >/dev/null 2>&1 || missing+=(man-db)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt_get=(apt-get)
    elif command -v sudo >/dev/null 2>&1; then
        apt_get=(sudo apt-get)
    else
        echo "tests/run.sh: the tests need ${missing[*]}: install them (Debian: apt-get install ${missing[*]})" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${apt_get[@]}" update -qq
    "${apt_get[@]}" install -y -qq "${missing[@]}" >/dev/null
fi

# The SARIF Multitool (tests/sarif.rs), from npm, into the target directory
# rather than the system.
tools="$(pwd)/target/test-tools"
if [ ! -x "$tools/node_modules/.bin/sarif-multitool" ]; then
    npm install --silent --no-audit --no-fund --prefix "$tools" @microsoft/sarif-multitool@5.7.0
fi
# axe-core (tests/browser.rs), whose script the browser test injects into
# every kind of page.
if [ ! -f "$tools/node_modules/axe-core/axe.min.js" ]; then
    npm install --silent --no-audit --no-fund --prefix "$tools" axe-core@4.14.1
fi
export AXE_CORE="$tools/node_modules/axe-core/axe.min.js"
# npm may leave the packaged binary without its execute bit.
chmod u+x "$tools"/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool 2>/dev/null || true
export SARIF_MULTITOOL="$tools/node_modules/.bin/sarif-multitool"

# The Mermaid renderer the site copies (tests/browser.rs draws a diagram
# with it), pinned, from npm.
if [ ! -f "$tools/node_modules/mermaid/dist/mermaid.min.js" ]; then
    npm install --silent --no-audit --no-fund --prefix "$tools" mermaid@12.3.0
fi
export MERMAID_JS="$tools/node_modules/mermaid/dist/mermaid.min.js"

exec cargo test --locked "$@" -- --include-ignored
