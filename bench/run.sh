#!/usr/bin/env bash
# pmbook timing harness.
#
#   bench/run.sh [PMBOOK_BIN]        (default: target/release/pmbook)
#
# Generates (or reuses) synthetic corpora of 1,000 and 10,000 postmortems with
# bench/gen_corpus.py, times pmbook on them with hyperfine (or a plain loop of
# date +%s.%N when hyperfine is missing), records the peak RSS of one run of
# each command with GNU time, and prints a Markdown table that is also written
# to target/bench-results.md. See bench/README.md.
#
# Knobs (environment):
#   BENCH_SIZES="1000 10000"   corpus sizes
#   BENCH_RUNS=5 BENCH_WARMUP=1
#   BENCH_SEED=1               generator seed
#   BENCH_BROKEN_EVERY=50      one lint defect every K files (0: a clean corpus)
#   BENCH_COMPARE_SIZE=10000   size at which other Markdown linters are timed
#   BENCH_HISTORY="2000 500"   commits and postmortems of the repository that
#                              `actions --history` is timed on ("": skip it)
#   BENCH_LSP_CHANGES=50       edits sent to `pmbook lsp` (bench/lsp_latency.py)
#   BENCH_BASELINE=PATH        an older pmbook binary, timed on the same commands
#                              in the same run (rows marked "(baseline)")
#   BENCH_SITE_EXTRAS=1        after each build: the site's sizes, the search
#                              page's payload, the rebuild of `pmbook serve`,
#                              and Pagefind on the same site (0: skip them)
#   BENCH_SEARCH_WORD=payments the one-word query of the search measures
#   BENCH_SERVE_EDITS=3        timed edits while `pmbook serve` runs
#   BENCH_PAGEFIND_GLOB="incidents/*.html"  the pages Pagefind indexes
#   BENCH_ONLY="FN ..."        run only these measure lists (e.g.
#                              bench_site_extras), no others, no history
#   CARGO_TARGET_DIR           where target/ is (corpora and results go there)
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=$ROOT/bench
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
GEN=$BENCH_DIR/gen_corpus.py
HIST_GEN=$BENCH_DIR/gen_history.py

SIZES=${BENCH_SIZES:-"1000 10000"}
RUNS=${BENCH_RUNS:-5}
WARMUP=${BENCH_WARMUP:-1}
SEED=${BENCH_SEED:-1}
BROKEN_EVERY=${BENCH_BROKEN_EVERY:-50}
COMPARE_SIZE=${BENCH_COMPARE_SIZE:-10000}
HISTORY=${BENCH_HISTORY-"2000 500"}
LSP_CHANGES=${BENCH_LSP_CHANGES:-50}
BASELINE=${BENCH_BASELINE:-}
SITE_EXTRAS=${BENCH_SITE_EXTRAS:-1}
SEARCH_WORD=${BENCH_SEARCH_WORD:-payments}
SERVE_EDITS=${BENCH_SERVE_EDITS:-3}
PAGEFIND_GLOB=${BENCH_PAGEFIND_GLOB:-"incidents/*.html"}
ONLY=${BENCH_ONLY:-}

CACHE=$TARGET_DIR/bench-corpus
TOOLS=$TARGET_DIR/bench-tools
RESULTS=$TARGET_DIR/bench-results.md
JSON_DIR=$TARGET_DIR/bench-json

die() { echo "bench: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------

BIN=${1:-$TARGET_DIR/release/pmbook}
if [[ $BIN == */* ]]; then
    [[ $BIN == /* ]] || BIN=$PWD/$BIN
else
    BIN=$(command -v "$BIN") || die "pmbook binary '${1}' not found on PATH"
fi
[[ -x $BIN ]] || die "no pmbook binary at $BIN — build it first: cargo build --release"
if [[ -n $BASELINE ]]; then
    [[ $BASELINE == /* ]] || BASELINE=$PWD/$BASELINE
    [[ -x $BASELINE ]] || die "no pmbook binary at BENCH_BASELINE=$BASELINE"
fi
command -v python3 >/dev/null || die "python3 is needed to generate the corpus"
command -v git >/dev/null || die "git is needed (the corpus is a git repository)"

HAVE_HYPERFINE=0
command -v hyperfine >/dev/null && HAVE_HYPERFINE=1
HAVE_TIME=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' true >/dev/null 2>&1; then HAVE_TIME=1; fi
((HAVE_HYPERFINE)) || note "hyperfine not installed (apt-get install hyperfine or cargo install hyperfine); using a plain loop of $RUNS runs"
((HAVE_TIME)) || note "GNU time not installed (apt-get install time); peak RSS will be shown as n/a"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pmbook-bench.XXXXXX")
cleanup() { rm -rf "$WORK"; [[ -n ${GEN_TMP:-} ]] && rm -rf "$GEN_TMP"; return 0; }
trap cleanup EXIT
mkdir -p "$CACHE" "$JSON_DIR"

GEN_HASH=$(sha256sum "$GEN" | cut -c1-12)
HIST_HASH=$(cat "$GEN" "$HIST_GEN" | sha256sum | cut -c1-12)
PMBOOK_VERSION=$("$BIN" --version 2>/dev/null | head -n1) || PMBOOK_VERSION="unknown ($BIN --version failed)"
CPU_MODEL=$(grep -m1 -E '^(model name|Model|cpu model)' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//') || true
CPU_MODEL=${CPU_MODEL:-$(uname -m)}
NPROC=$(nproc)

# ---------------------------------------------------------------------------
# Corpora: cached under target/bench-corpus/<size>-s<seed>-b<K>-<generator hash>
# ---------------------------------------------------------------------------

# Set CORPUS to the corpus with $1 postmortems, generating it if needed.
corpus_for() {
    local size=$1 dir
    dir=$CACHE/$size-s$SEED-b$BROKEN_EVERY-$GEN_HASH
    CORPUS=$dir
    if [[ ! -d $dir ]]; then
        note "generating $size postmortems into $dir"
        GEN_TMP=$(mktemp -d "$CACHE/.tmp.XXXXXX")   # same filesystem: the mv below is atomic
        python3 "$GEN" "$GEN_TMP/corpus" --count "$size" --seed "$SEED" \
            --broken-every "$BROKEN_EVERY" --git >&2
        mv "$GEN_TMP/corpus" "$dir"
        rm -rf "$GEN_TMP"; GEN_TMP=
    fi
}

# Drop corpora made by an older generator (they are ~60-100 MB each).
prune_stale_corpora() {
    local d
    for d in "$CACHE"/*-s*-b*-*; do
        [[ -d $d && $d != *-"$GEN_HASH" ]] && { note "removing stale corpus $d"; rm -rf "$d"; }
    done
    for d in "$CACHE"/history-*; do
        [[ -d $d && $d != *-"$HIST_HASH" ]] && { note "removing stale history $d"; rm -rf "$d"; }
    done
    return 0
}

# Set HISTORY_REPO to the repository of $1 commits adding $2 postmortems
# (bench/gen_history.py), generating it if needed.
history_repo_for() {
    local commits=$1 postmortems=$2 dir
    dir=$CACHE/history-c$commits-p$postmortems-s$SEED-$HIST_HASH
    HISTORY_REPO=$dir
    if [[ ! -d $dir ]]; then
        note "generating a history of $commits commits and $postmortems postmortems into $dir"
        GEN_TMP=$(mktemp -d "$CACHE/.tmp.XXXXXX")
        python3 "$HIST_GEN" "$GEN_TMP/repo" --commits "$commits" --postmortems "$postmortems" \
            --seed "$SEED" >&2
        mv "$GEN_TMP/repo" "$dir"
        rm -rf "$GEN_TMP"; GEN_TMP=
    fi
}

# A clean postmortem from the middle of the corpus (not one of the broken ones),
# as a path relative to the corpus root.
one_file() {
    local corpus=$1 size=$2 n f
    n=$((size / 2 + 1))
    while ((BROKEN_EVERY > 0 && n % BROKEN_EVERY == 0)); do n=$((n + 1)); done
    for f in "$corpus"/postmortems/*-"$n".md; do
        [[ -f $f ]] && { printf 'postmortems/%s\n' "${f##*/}"; return 0; }
    done
    die "no postmortem numbered $n in $corpus"
}

# ---------------------------------------------------------------------------
# Measuring one command
# ---------------------------------------------------------------------------

ROWS=()

# bench LABEL SIZE DIR -- CMD ARGS...
#   Times CMD (run in DIR) and adds a row to the table. Exit codes 0 and 1 are
#   normal (1 = lint findings); anything else marks the row, because then the
#   numbers time an error path. Set OK_EXITS to change that for one call.
bench() {
    local label=$1 size=$2 dir=$3; shift 4
    local -a cmd=("$@")
    local ok=${OK_EXITS:-"0 1"} rss="n/a" rc=0 mean min max flag="" slug json
    slug=$(printf '%s-%s' "$label" "$size" | tr -c 'A-Za-z0-9\n' '-' | tr -s '-')
    json=$JSON_DIR/$slug.json
    note "[$size files] $label"

    # One run for the exit code and the peak RSS (resident set, KiB -> MiB).
    if ((HAVE_TIME)); then
        (cd "$dir" && /usr/bin/time -f '%M' -o "$WORK/rss" "${cmd[@]}" >"$WORK/out" 2>"$WORK/err") || rc=$?
        rss=$(awk 'END { printf "%.1f", $1 / 1024 }' "$WORK/rss")
    else
        (cd "$dir" && "${cmd[@]}" >"$WORK/out" 2>"$WORK/err") || rc=$?
    fi
    if [[ " $ok " != *" $rc "* ]]; then
        flag=" (exit $rc!)"
        note "  '$label' exited $rc; its timing is of an error path. stderr:"
        head -n 5 "$WORK/err" | sed 's/^/    /' >&2
    fi

    if ((HAVE_HYPERFINE)); then
        local shell_cmd
        shell_cmd=$(printf '%q ' "${cmd[@]}")
        (cd "$dir" && hyperfine --warmup "$WARMUP" --runs "$RUNS" --ignore-failure \
            --style basic --export-json "$json" --command-name "$label" "$shell_cmd" >&2)
        read -r mean min max < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.3f %.3f %.3f" % (r["mean"], r["min"], r["max"]))' "$json")
    else
        local i t0 t1
        : >"$WORK/times"
        for ((i = 0; i < WARMUP; i++)); do (cd "$dir" && "${cmd[@]}" >/dev/null 2>&1) || true; done
        for ((i = 0; i < RUNS; i++)); do
            t0=$(date +%s.%N)
            (cd "$dir" && "${cmd[@]}" >/dev/null 2>&1) || true
            t1=$(date +%s.%N)
            awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$WORK/times"
        done
        read -r mean min max < <(awk 'NR == 1 { lo = hi = $1 } { s += $1; if ($1 < lo) lo = $1; if ($1 > hi) hi = $1 }
            END { printf "%.3f %.3f %.3f\n", s / NR, lo, hi }' "$WORK/times")
    fi
    ROWS+=("| \`$label\`$flag | $size | $mean | $min | $max | $rss |")
}

# bench_once LABEL SIZE DIR -- CMD ARGS...
#   Times a single run of CMD (for states a run changes, such as a cold
#   cache): mean, min and max are that one run.
bench_once() {
    local label=$1 size=$2 dir=$3; shift 4
    local -a cmd=("$@")
    local t0 t1 secs rss="n/a"
    note "[$size files] $label (one run)"
    t0=$(date +%s.%N)
    if ((HAVE_TIME)); then
        (cd "$dir" && /usr/bin/time -f '%M' -o "$WORK/rss" "${cmd[@]}" >/dev/null 2>&1) || true
        rss=$(awk 'END { printf "%.1f", $1 / 1024 }' "$WORK/rss")
    else
        (cd "$dir" && "${cmd[@]}" >/dev/null 2>&1) || true
    fi
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    ROWS+=("| \`$label\` | $size | $secs | $secs | $secs | $rss |")
}

# ---------------------------------------------------------------------------
# Measured command lists: one function each, called with SIZE CORPUS_DIR.
# To time another command, write a function here and add it to BENCH_LISTS.
# Commands run with the corpus as working directory (and -C CORPUS as well).
# Keep the corpus unchanged: it is cached and reused (write output to $WORK).
# ---------------------------------------------------------------------------

bench_lint() {
    local size=$1 corpus=$2 file
    file=$(one_file "$corpus" "$size")
    # Whole-repository lint; exits 1 because the corpus holds broken files.
    bench "pmbook lint --format json$TAG" "$size" "$corpus" -- \
        "$PM" -C "$corpus" lint --format json
    # One file, checked against the repository (the pre-commit case).
    bench "pmbook lint <one file>$TAG" "$size" "$corpus" -- \
        "$PM" -C "$corpus" lint "$file"
}

# --- EXTEND HERE ------------------------------------------------------------
bench_lint_staged() {   # the pre-commit hook: one staged, modified file
    local size=$1 corpus=$2 file
    file=$(one_file "$corpus" "$size")
    echo "<!-- bench edit -->" >>"$corpus/$file"; git -C "$corpus" add "$file"
    # Warm: the id cache in .git/pmbook is filled by the warm-up run.
    bench "pmbook lint --staged$TAG" "$size" "$corpus" -- "$PM" -C "$corpus" lint --staged
    # Cold: the first commit after cloning reads every other staged blob once.
    rm -rf "$corpus/.git/pmbook"
    bench_once "pmbook lint --staged (cold id cache)$TAG" "$size" "$corpus" -- "$PM" -C "$corpus" lint --staged
    git -C "$corpus" reset -q --hard   # leave the cached corpus as it was
}
bench_actions() {   # every postmortem read and parsed once, items merged and sorted
    bench "pmbook actions --all --format json$TAG" "$1" "$2" -- "$PM" -C "$2" actions --all --format json
    bench "pmbook actions$TAG" "$1" "$2" -- "$PM" -C "$2" actions
}
bench_stats() {   # every postmortem parsed once, metrics computed, JSON printed
    bench "pmbook stats --format json$TAG" "$1" "$2" -- "$PM" -C "$2" stats --format json
}
bench_build() {   # the site goes to $WORK, never into the cached corpus
    local size=$1 corpus=$2
    rm -rf "$WORK/site-$size"
    bench "pmbook build$TAG" "$size" "$corpus" -- "$PM" -C "$corpus" build --out "$WORK/site-$size"
    note "[$size files] site size: $(du -sh "$WORK/site-$size" | cut -f1)"
    ROWS+=("| site size (\`du -sh\`)$TAG | $size | $(du -sh "$WORK/site-$size" | cut -f1) | | | |")
    ((SITE_EXTRAS)) && site_extras "$size" "$corpus" "$WORK/site-$size"
    if [[ -z $TAG && " $MDBOOK_SIZES " == *" $size "* ]]; then
        compare_mdbook "$size" "$corpus"
    fi
    [[ -n $TAG ]] || compare_hugo "$size" "$corpus"
}

# Hugo (Debian's `hugo`) building the same postmortems: their `+++` TOML
# front-matter is Hugo's own; bench/hugo holds the config (taxonomies for
# services, tags, severity and cause) and a minimal theme.
compare_hugo() {
    local size=$1 corpus=$2 src="$WORK/hugo-src" out="$WORK/hugo-$1"
    if ! command -v hugo >/dev/null; then
        SKIPPED+=("Hugo (apt-get install hugo)")
        return
    fi
    rm -rf "$src" "$out"; cp -r "$BENCH_DIR/hugo" "$src"   # Hugo writes into its source
    bench "hugo (same postmortems, taxonomies)" "$size" "$src" -- \
        hugo --quiet --source "$src" --contentDir "$corpus/postmortems" --destination "$out"
    ROWS+=("| Hugo's site size (\`du -sh\`) | $size | $(du -sh "$out" | cut -f1) | | | |")
    ((SITE_EXTRAS)) && site_sizes "$size" "$out" --label "Hugo's "
    return 0
}

# --- The site beyond its build (BENCH_SITE_EXTRAS) --------------------------
# Each takes SIZE and a built site (or the corpus) and adds rows; pmbook's
# measures run for the baseline too (TAG), Pagefind's once.

# The site's files, largest page, largest file (bench/site_sizes.py).
site_sizes() {
    local size=$1 site=$2 rows; shift 2
    rows=$(python3 "$BENCH_DIR/site_sizes.py" "$site" --files "$size" "$@") || {
        ROWS+=("| site sizes (failed!)$TAG | $size | | | | |"); return 0; }
    while IFS= read -r row; do ROWS+=("$row"); done <<<"$rows"
}

# The browser tools, pinned, into the target directory (never the system):
# playwright-core drives Debian's Chromium, pagefind ships its binary.
PLAYWRIGHT_VERSION=1.65.1
PAGEFIND_VERSION=1.6.0
CHROMIUM=/usr/bin/chromium
HAVE_TOOLS=
bench_tools() {
    if [[ -z $HAVE_TOOLS ]]; then
        HAVE_TOOLS=0
        if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
            SKIPPED+=("search payloads and Pagefind (apt-get install nodejs npm)")
        elif [[ ! -x $CHROMIUM ]]; then
            SKIPPED+=("search payloads (apt-get install chromium)")
        elif [[ -f $TOOLS/node_modules/playwright-core/package.json && -x $TOOLS/node_modules/.bin/pagefind ]] &&
            grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$TOOLS/node_modules/playwright-core/package.json" &&
            [[ $("$TOOLS/node_modules/.bin/pagefind" --version 2>/dev/null) == "pagefind $PAGEFIND_VERSION" ]]; then
            HAVE_TOOLS=1
        else
            note "installing playwright-core@$PLAYWRIGHT_VERSION and pagefind@$PAGEFIND_VERSION into $TOOLS"
            if npm install --silent --no-audit --no-fund --prefix "$TOOLS" \
                "playwright-core@$PLAYWRIGHT_VERSION" "pagefind@$PAGEFIND_VERSION" >&2; then
                HAVE_TOOLS=1
            else
                SKIPPED+=("search payloads and Pagefind (npm install into $TOOLS failed)")
            fi
        fi
    fi
    ((HAVE_TOOLS))
}

# payload_rows SIZE WHAT JSON: the rows of one bench/search_payload.js line.
payload_rows() {
    local rows
    rows=$(python3 -c '
import json, sys
size, what, r = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
def kb(n): return "%.1f kB" % (n / 1000)
p = r["parts"]
print("| %s, query \"%s\": bytes loaded | %s | %s (%s gzip), %d requests: page %s, search code %s, index %s (%d) | | | |" % (
    what, r["word"], size, kb(r["bytes"]), kb(r["gzip"]), r["requests"], kb(p["page"]["bytes"]),
    kb(p["engine"]["bytes"]), kb(p["index"]["bytes"]), p["index"]["requests"]))
print("| %s, query \"%s\": input to %d results shown (%d found) | %s | %.3f | | | |" % (
    what, r["word"], r["shown"], r["found"], size, r["ms"] / 1000))' "$1" "$2" "$3") || {
        ROWS+=("| $2 (failed!) | $1 | | | | |"); return 0; }
    while IFS= read -r row; do ROWS+=("$row"); done <<<"$rows"
}

# The search page of the built site, one query (bench/search_payload.js).
site_search() {
    local size=$1 site=$2 json
    bench_tools || return 0
    note "[$size files] search page payload, \"$SEARCH_WORD\""
    if json=$(NODE_PATH=$TOOLS/node_modules node "$BENCH_DIR/search_payload.js" pmbook "$site" "$SEARCH_WORD"); then
        payload_rows "$size" "search page$TAG" "$json"
    else
        ROWS+=("| search page$TAG (failed!) | $size | | | | |")
    fi
}

# Pagefind over a copy of the same site: its time, index and the payload of
# the same query (its JS API, the first 10 results' data).
site_pagefind() {
    local size=$1 site=$2 copy="$WORK/pagefind-$1" json
    bench_tools || return 0
    rm -rf "$copy"; cp -r "$site" "$copy"
    bench_once "pagefind --site SITE --glob '$PAGEFIND_GLOB'" "$size" "$copy" -- \
        "$TOOLS/node_modules/.bin/pagefind" --site "$copy" --glob "$PAGEFIND_GLOB"
    if [[ ! -f $copy/pagefind/pagefind.js ]]; then
        ROWS+=("| Pagefind (failed!) | $size | | | | |")
    else
        site_sizes "$size" "$copy" --label "Pagefind's " --index pagefind --index-only
        note "[$size files] Pagefind payload, \"$SEARCH_WORD\""
        if json=$(NODE_PATH=$TOOLS/node_modules node "$BENCH_DIR/search_payload.js" pagefind "$copy" "$SEARCH_WORD"); then
            payload_rows "$size" "Pagefind" "$json"
        else
            ROWS+=("| Pagefind search (failed!) | $size | | | | |")
        fi
    fi
    rm -rf "$copy"
}

# `pmbook serve` on a copy of the corpus: one postmortem edited, the time
# until the new site is ready (bench/serve_rebuild.py).
site_serve() {
    local size=$1 corpus=$2 copy="$WORK/serve-corpus-$1" rows
    note "[$size files] pmbook serve: $SERVE_EDITS edits"
    rm -rf "$copy" "$WORK/serve-site-$size"; cp -r "$corpus" "$copy"
    if rows=$(python3 "$BENCH_DIR/serve_rebuild.py" "$PM" "$copy" "$WORK/serve-site-$size" \
        --file "$(one_file "$corpus" "$size")" --edits "$SERVE_EDITS" --files "$size" --tag "$TAG"); then
        while IFS= read -r row; do ROWS+=("$row"); done <<<"$rows"
    else
        ROWS+=("| \`pmbook serve\`$TAG (failed!) | $size | | | | |")
    fi
    rm -rf "$copy" "$WORK/serve-site-$size"
}

# All of them, after a build of SITE from CORPUS.
site_extras() {
    local size=$1 corpus=$2 site=$3
    site_sizes "$size" "$site" --tag "$TAG" --index search-index.js --index search
    site_search "$size" "$site"
    [[ -n $TAG ]] || site_pagefind "$size" "$site"
    site_serve "$size" "$corpus"
}

# Only these measures (BENCH_ONLY=bench_site_extras): one timed build, then
# the extras and one Hugo build, without hyperfine's repeated runs or mdBook.
bench_site_extras() {
    local size=$1 corpus=$2
    rm -rf "$WORK/site-$size"
    bench_once "pmbook build$TAG" "$size" "$corpus" -- "$PM" -C "$corpus" build --out "$WORK/site-$size"
    site_extras "$size" "$corpus" "$WORK/site-$size"
    [[ -n $TAG ]] || RUNS=1 WARMUP=0 compare_hugo "$size" "$corpus"
}

# mdBook rendering the same postmortems as a book (one chapter each), for
# scale. Its cost grows faster than linearly, so it runs only at
# BENCH_MDBOOK_SIZES (default 1000).
MDBOOK_SIZES=${BENCH_MDBOOK_SIZES:-1000}
compare_mdbook() {
    local size=$1 corpus=$2 book="$WORK/mdbook-$1"
    if ! command -v mdbook >/dev/null; then
        SKIPPED+=("mdBook (cargo install mdbook)")
        return
    fi
    rm -rf "$book"; mkdir -p "$book/src"
    printf '[book]\ntitle = "Benchmark corpus"\n' >"$book/book.toml"
    {
        echo "# Summary"
        echo
        for f in "$corpus"/postmortems/*.md; do
            # The chapter without its TOML front-matter.
            awk 'n >= 2 { print } /^\+\+\+$/ { n++ }' "$f" >"$book/src/${f##*/}"
            echo "- [${f##*/}](${f##*/})"
        done
    } >"$book/src/SUMMARY.md"
    RUNS=2 WARMUP=0 bench "mdbook build (same pages)" "$size" "$book" -- mdbook build "$book"
}
bench_lsp() {   # the language server: the project loaded once, then one file re-checked per change
    local size=$1 corpus=$2 rows
    note "[$size files] pmbook lsp"
    if rows=$(python3 "$BENCH_DIR/lsp_latency.py" "$BIN" "$corpus" \
        --file "$(one_file "$corpus" "$size")" --changes "$LSP_CHANGES"); then
        while IFS= read -r row; do ROWS+=("$row"); done <<<"$rows"
    else
        note "  the pmbook lsp benchmark failed"
        ROWS+=("| \`pmbook lsp\` (failed!) | $size | | | | |")
    fi
}
BENCH_LISTS=(bench_lint bench_lint_staged bench_stats bench_build bench_actions)
# Timed for the binary measured only.
ONCE_LISTS=(bench_lsp)

# each_pmbook FN ARGS...: runs FN with PM set to the binary measured (TAG
# empty), then, with BENCH_BASELINE, to the baseline (TAG " (baseline)").
PM=$BIN TAG=""
each_pmbook() {
    local fn=$1; shift
    PM=$BIN TAG=""; "$fn" "$@"
    if [[ -n $BASELINE ]]; then PM=$BASELINE TAG=" (baseline)"; "$fn" "$@"; fi
    PM=$BIN TAG=""
}

# `actions --history` depends on the length of the history, not the size of
# the corpus: it is timed once, on its own repository (BENCH_HISTORY).
bench_actions_history() {
    local commits=$1 postmortems=$2
    history_repo_for "$commits" "$postmortems"
    bench "pmbook actions --all --history --format json ($commits commits)$TAG" "$postmortems" "$HISTORY_REPO" -- \
        "$PM" -C "$HISTORY_REPO" actions --all --history --format json
}

# Other Markdown linters over the same corpus, for scale (only when installed,
# only at COMPARE_SIZE). They check generic Markdown style, not postmortems.
compare_markdownlint() {
    local size=$1 corpus=$2
    if command -v markdownlint-cli2 >/dev/null; then
        # About a minute a run at 10,000 files: two runs, no warm-up.
        RUNS=2 WARMUP=0 bench "markdownlint-cli2 postmortems/**/*.md" "$size" "$corpus" -- \
            markdownlint-cli2 "postmortems/**/*.md"
    else
        SKIPPED+=("markdownlint-cli2 (npm install -g markdownlint-cli2)")
    fi
}
compare_rumdl() {
    local size=$1 corpus=$2
    local -a extra=()
    if command -v rumdl >/dev/null; then
        # No cache, so warm runs are not cache hits (flag exists in newer rumdl).
        rumdl check --help 2>/dev/null | grep -q -- '--no-cache' && extra=(--no-cache)
        bench "rumdl check postmortems" "$size" "$corpus" -- \
            rumdl check "${extra[@]}" postmortems
    else
        SKIPPED+=("rumdl (pip install rumdl or cargo install rumdl)")
    fi
}
COMPARE_LISTS=(compare_markdownlint compare_rumdl)
if [[ -n $ONLY ]]; then
    read -r -a BENCH_LISTS <<<"$ONLY"
    ONCE_LISTS=() COMPARE_LISTS=() HISTORY=
    for fn in "${BENCH_LISTS[@]}"; do
        declare -F "$fn" >/dev/null || die "BENCH_ONLY: no measure list '$fn' in bench/run.sh"
    done
fi

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

SKIPPED=()
prune_stale_corpora
for size in $SIZES; do
    corpus_for "$size"
    for fn in "${BENCH_LISTS[@]}"; do each_pmbook "$fn" "$size" "$CORPUS"; done
    for fn in "${ONCE_LISTS[@]}"; do "$fn" "$size" "$CORPUS"; done
    if [[ $size == "$COMPARE_SIZE" ]]; then
        for fn in "${COMPARE_LISTS[@]}"; do "$fn" "$size" "$CORPUS"; done
    fi
done
if [[ -n $HISTORY ]]; then
    # shellcheck disable=SC2086 # "COMMITS POSTMORTEMS", split on purpose
    each_pmbook bench_actions_history $HISTORY
fi
[[ " $SIZES " == *" $COMPARE_SIZE "* ]] || SKIPPED+=("other linters (BENCH_COMPARE_SIZE=$COMPARE_SIZE is not among BENCH_SIZES)")

if ((HAVE_HYPERFINE)); then
    TIMING="hyperfine $(hyperfine --version | awk '{print $2}'), --warmup $WARMUP --runs $RUNS (JSON in ${JSON_DIR#"$ROOT"/})"
else
    TIMING="plain loop, $WARMUP warm-up + $RUNS timed runs (date +%s.%N); install hyperfine for better numbers"
fi
if ((BROKEN_EVERY > 0)); then DEFECTS="one lint defect every $BROKEN_EVERY files"; else DEFECTS="no defects"; fi

{
    echo "# pmbook benchmark"
    echo
    echo "- pmbook: $PMBOOK_VERSION"
    [[ -z $BASELINE ]] || echo "- baseline: $BASELINE ($("$BASELINE" --version 2>/dev/null | head -n1)), rows marked (baseline)"
    echo "- machine: $CPU_MODEL, nproc $NPROC"
    echo "- corpus: bench/gen_corpus.py ($GEN_HASH), seed $SEED, ~4 KB per file, $DEFECTS, git repository"
    if [[ -n $HISTORY ]]; then
        read -r hist_commits hist_postmortems <<<"$HISTORY"
        echo "- history: bench/gen_history.py ($HIST_HASH), seed $SEED, $hist_commits commits adding $hist_postmortems postmortems, first-parent"
    fi
    [[ -z $ONLY ]] || echo "- only: $ONLY (BENCH_ONLY)"
    echo "- timing: $TIMING; peak RSS from one run ($([[ $HAVE_TIME == 1 ]] && echo "/usr/bin/time -f %M" || echo "GNU time missing"))"
    for s in "${SKIPPED[@]}"; do echo "- not measured: $s"; done
    echo
    echo "| command | files | mean s | min s | max s | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
} >"$WORK/results.md"

mv "$WORK/results.md" "$RESULTS"
echo
cat "$RESULTS"
echo
note "written to ${RESULTS#"$ROOT"/}"
