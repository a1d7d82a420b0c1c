#!/usr/bin/env python3
"""Time `pmbook serve`: its first build, and the rebuild after an edit.

    serve_rebuild.py PMBOOK_BIN CORPUS_COPY OUT_DIR --file postmortems/X.md
                     [--edits N] [--tag SUFFIX] [--files N]

Starts `pmbook -C CORPUS_COPY serve --port 0 --out OUT_DIR` and waits until
it prints the address it serves. It appends a line to the body of the given
postmortem and waits for the rebuild, untimed (a warm-up; the edit is made
again if no build follows within 10 s plus three times the first build,
which older binaries needed: their watcher started after the address was
printed). Then, N times (default 3): appends a
sentence to the body of the given postmortem and times from the write until
`/__pmbook/wait?since=G` (the long poll of live reload) answers a generation
number above G, the one before the edit: a new site is ready. Then N times
the same with an edit of its front-matter: ` (n)` put at the end of its
title, which every list showing the incident shows. That is what a
reader of `serve` waits for, whatever the rebuild does (the watcher's 100 ms
of settling included). Prints Markdown table rows in the format of
bench/run.sh:

    | command | files | mean s | min s | max s | peak RSS MB |

the first from the start to the address printed (the first build), the
next two the median, minimum and maximum of the N rebuilds of each kind; the peak RSS is
the server's high-water mark (VmHWM) after the last rebuild.

CORPUS_COPY is changed: give it a copy, never a cached corpus.

Python 3.11+, standard library only.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ADDRESS = re.compile(r"serving .* at (http://127\.0\.0\.1:\d+/)")
# The title line, without the suffix a timed edit adds: ` (N)` at its end.
TITLE = re.compile(r'^(title = "[^"\n]*?)(?: \(\d+\))?"', re.MULTILINE)
TIMEOUT = 600
WARM_UP_TRIES = 3


def generation(base: str, since: int, timeout: float = TIMEOUT) -> int | None:
    """The generation number once it is above `since`, or None after
    `timeout` seconds (the server answers with the current one after 25 s
    without a change: ask again)."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            with urllib.request.urlopen(f"{base}__pmbook/wait?since={since}", timeout=min(left, 60)) as answer:
                number = int(answer.read().decode().strip())
        except TimeoutError:
            return None
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError):
                return None
            raise
        if number > since:
            return number
    return None


def append(file: Path, line: str) -> float:
    """Appends `line` to `file`; returns the time of the write."""
    with file.open("a", encoding="utf-8") as f:
        t0 = time.monotonic()
        f.write(f"\n{line}\n")
    return t0


def retitle(file: Path, suffix: str) -> float:
    """Puts `suffix` at the end of the title of the front-matter of `file`
    (after any suffix an earlier edit put there); returns the time of the
    write."""
    text = file.read_text(encoding="utf-8")
    changed, count = TITLE.subn(lambda m: f'{m.group(1)}{suffix}"', text, count=1)
    if count != 1:
        sys.exit(f"serve_rebuild: no title = \"...\" line in {file}")
    with file.open("w", encoding="utf-8") as f:
        t0 = time.monotonic()
        f.write(changed)
    return t0


def peak_rss_mb(pid: int) -> str:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return f"{int(line.split()[1]) / 1024:.1f}"
    except OSError:
        pass
    return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pmbook", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--file", required=True, help="the postmortem to edit, relative to the corpus")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--tag", default="", help="put after each row's name, e.g. \" (baseline)\"")
    parser.add_argument("--files", default="", help="the table's files column (default: count postmortems/*.md)")
    args = parser.parse_args()
    edited = args.corpus / args.file
    if not edited.is_file():
        sys.exit(f"serve_rebuild: no postmortem {edited}")
    files = args.files or str(len(list((args.corpus / "postmortems").glob("*.md"))))

    start = time.monotonic()
    server = subprocess.Popen(
        [str(args.pmbook), "-C", str(args.corpus), "serve", "--port", "0", "--out", str(args.out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        base = None
        for line in server.stdout:
            found = ADDRESS.search(line)
            if found:
                base = found.group(1)
                break
        if base is None:
            sys.exit(f"serve_rebuild: pmbook serve stopped (exit {server.wait()}) before serving")
        first = time.monotonic() - start
        # Keep reading its output so that it never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()

        # The watcher starts after the address is printed.
        time.sleep(1)
        current = None
        for n in range(WARM_UP_TRIES):
            if n:
                print(f"serve_rebuild: no rebuild after an edit; editing {edited} again", file=sys.stderr)
            append(edited, f"The benchmark warmed the server up ({n + 1}).")
            current = generation(base, 1, timeout=10 + 3 * first)
            if current:
                break
        if current is None:
            sys.exit(f"serve_rebuild: no rebuild after {WARM_UP_TRIES} edits of {edited}")

        def timed(edit) -> list[float]:
            nonlocal current
            times = []
            for n in range(args.edits):
                t0 = edit(n)
                number = generation(base, current)
                if number is None:
                    sys.exit(f"serve_rebuild: no rebuild within {TIMEOUT} s of an edit of {edited}")
                current = number
                times.append(time.monotonic() - t0)
            return times

        prose = timed(lambda n: append(edited, f"The benchmark edited this postmortem ({n + 1})."))
        titled = timed(lambda n: retitle(edited, f" ({n + 1})"))
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()

    print(f"| `pmbook serve`: first build, until serving{args.tag} | {files} | {first:.3f} | {first:.3f} | {first:.3f} | {rss} |")
    for what, times in [("of prose", prose), ("of the title", titled)]:
        print(
            f"| `pmbook serve`: rebuilt after an edit {what} (median of {len(times)}){args.tag} | {files} | "
            f"{statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} | {rss} |"
        )


if __name__ == "__main__":
    main()
