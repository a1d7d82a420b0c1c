#!/usr/bin/env python3
"""Generate a git repository with a long history of postmortems, for timing
`pmbook actions --history`.

    gen_history.py OUT_DIR [--postmortems N] [--commits C] [--seed S]

Creates OUT_DIR as a git repository (branch main, checked out) whose C commits
(default 2,000) add N postmortems (default 500, made by gen_corpus.py's
generator, so each is ~4 KB in the format of the design notes) and then work
on them the way a team does: check open action items (adding `closed:`), add
new items (half of them with an explicit `id:`), reword items (with and
without an id), rename files, and commit unrelated files outside
`postmortems/` (commits that `--history` skips without a diff). Commits are
1-48 hours apart from 2019-01-07, with a fixed author and committer.

The repository is built with `git fast-import` from a stream that depends
only on the arguments, so two runs give the same commit hashes.

Python 3.11+, standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_corpus  # noqa: E402  (the postmortem generator, same directory)

START = dt.datetime(2019, 1, 7, 9, 0, tzinfo=dt.timezone.utc)
IDENT = "pmbook bench <bench@pmbook.invalid>"
NEW_ITEMS = [
    "Add a dashboard panel for {svc} saturation",
    "Document the {svc} failover in the runbook",
    "Alert when {svc} error budget burn exceeds 2x for an hour",
    "Add an integration test for the {svc} retry path",
    "Automate the {svc} capacity report",
    "Review timeouts between {svc} and its dependencies",
]
REWORDS = [" in every region", " before the next release", " and announce it", " (follow-up)"]


class Postmortem:
    """One postmortem file: its path and lines, edited in place."""

    def __init__(self, n: int, pm_id: str, svc: str, text: str):
        self.n = n
        self.id = pm_id
        self.svc = svc
        self.path = f"postmortems/{pm_id}.md"
        self.lines = text.split("\n")
        self.added = 0

    def text(self) -> str:
        return "\n".join(self.lines)

    def item_lines(self, mark: str) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line.startswith(mark)]

    def close(self, rng: random.Random, day: dt.date) -> bool:
        open_items = self.item_lines("- [ ] ")
        if not open_items:
            return False
        i = rng.choice(open_items)
        line = "- [x] " + self.lines[i][len("- [ ] "):]
        self.lines[i] = line[:-1] + f", closed: {day})" if line.endswith(")") else line
        return True

    def add_item(self, rng: random.Random, day: dt.date) -> bool:
        items = self.item_lines("- [")
        if not items:
            return False
        self.added += 1
        text = rng.choice(NEW_ITEMS).format(svc=self.svc)
        meta = (f"owner: @{rng.choice(gen_corpus.AUTHORS)}, due: {day + dt.timedelta(days=rng.randint(14, 90))}, "
                f"kind: {rng.choice(gen_corpus.ACTION_KINDS)}")
        if rng.random() < 0.5:
            meta += f", id: ACT-{self.n}-{self.added}"
        self.lines.insert(items[-1] + 1, f"- [ ] {text} ({meta})")
        return True

    def reword(self, rng: random.Random) -> bool:
        open_items = self.item_lines("- [ ] ")
        if not open_items:
            return False
        i = rng.choice(open_items)
        head, sep, meta = self.lines[i].rpartition(" (")
        if not sep:
            return False
        self.lines[i] = f"{head}{rng.choice(REWORDS)} ({meta}"
        return True


def data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def stream(postmortems: int, commits: int, seed: int) -> bytes:
    rng = random.Random(f"pmbook-bench-history/{seed}")
    master = random.Random(f"pmbook-bench/{seed}/dates")
    starts = sorted(gen_corpus.EPOCH + dt.timedelta(minutes=master.randrange(gen_corpus.SPAN_MINUTES))
                    for _ in range(postmortems))
    out = [b"reset refs/heads/main\n"]
    live: list[Postmortem] = []
    earlier: dict[str, list[str]] = {}
    ids: list[str] = []
    when = START
    for n in range(commits):
        when += dt.timedelta(minutes=rng.randint(60, 48 * 60))
        day = when.date()
        ops: list[bytes] = []
        left = postmortems - len(ids)
        if n == 0:
            ops.append(b"M 100644 inline pmbook.toml\n" + data('[book]\ntitle = "History benchmark"\n'))
        if left and (not live or rng.random() < left / (commits - n)):
            pm_id, svc, text = gen_corpus.make_postmortem(len(ids) + 1, starts[len(ids)], seed, earlier, ids, None)
            ids.append(pm_id)
            earlier.setdefault(svc, []).append(pm_id)
            pm = Postmortem(len(ids), pm_id, svc, text)
            live.append(pm)
            message = f"Add postmortem {pm_id}"
            ops.append(f"M 100644 inline {pm.path}\n".encode() + data(pm.text()))
        else:
            pm = rng.choice(live)
            op = rng.choices(["close", "add", "reword", "rename", "other"], [55, 15, 12, 5, 13])[0]
            if op == "rename":
                old = pm.path
                pm.path = f"postmortems/{day.year}/{pm.id}.md"
                if pm.path == old:
                    op = "other"
                else:
                    ops.append(f"D {old}\n".encode())
                    ops.append(f"M 100644 inline {pm.path}\n".encode() + data(pm.text()))
                    message = f"Move {pm.id} under {day.year}/"
            if op in ("close", "add", "reword"):
                changed = {"close": lambda: pm.close(rng, day),
                           "add": lambda: pm.add_item(rng, day),
                           "reword": lambda: pm.reword(rng)}[op]()
                if changed:
                    message = f"{op.capitalize()} an action item of {pm.id}"
                    ops.append(f"M 100644 inline {pm.path}\n".encode() + data(pm.text()))
                else:
                    op = "other"
            if op == "other":
                message = f"Team notes, week {n}"
                ops.append(b"M 100644 inline notes/log.md\n" + data(f"# Notes\n\nLast edited in commit {n}.\n"))
        stamp = f"{int(when.timestamp())} +0000"
        out.append(f"commit refs/heads/main\nauthor {IDENT} {stamp}\ncommitter {IDENT} {stamp}\n".encode())
        out.append(data(message))
        out.extend(ops)
        out.append(b"\n")
    out.append(b"done\n")
    return b"".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir", metavar="OUT_DIR", type=Path)
    p.add_argument("--postmortems", type=int, default=500, help="postmortems added (default 500)")
    p.add_argument("--commits", type=int, default=2000, help="commits in all (default 2000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    a = p.parse_args(argv)
    if not 1 <= a.postmortems <= a.commits:
        p.error("need 1 <= --postmortems <= --commits")
    if a.out_dir.exists() and any(a.out_dir.iterdir()):
        p.error(f"{a.out_dir} is not empty; remove it first")
    a.out_dir.mkdir(parents=True, exist_ok=True)
    cfg = ["-c", "core.hooksPath=/dev/null", "-c", "core.autocrlf=false", "-c", "init.defaultBranch=main"]

    def git(*args: str, **kw) -> None:
        subprocess.run(["git", *cfg, *args], cwd=a.out_dir, check=True, **kw)

    git("init", "-q")
    git("fast-import", "--quiet", "--done", input=stream(a.postmortems, a.commits, a.seed))
    git("checkout", "-q", "-f", "main")
    return 0


if __name__ == "__main__":
    sys.exit(main())
