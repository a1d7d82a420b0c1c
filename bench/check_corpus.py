#!/usr/bin/env python3
"""Sanity-check a corpus made by gen_corpus.py (independent of pmbook).

    check_corpus.py CORPUS_DIR [--broken-every K]

Checks every file: front-matter parses with tomllib, required fields present,
id matches the file name and is unique, related ids exist and are earlier,
started <= detected <= acknowledged <= mitigated <= resolved, review 24-72 h
after resolved, all sections present, timeline has 5-10 ordered entries,
3-6 action items each with an owner, no blameful words. With --broken-every K
it expects exactly the K-th files to fail (each with one problem) and all
others to pass. Prints a size summary. Exit 0 when everything is as expected.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tomllib
from pathlib import Path

REQUIRED = ["id", "title", "status", "severity", "services", "tags", "authors", "started_at",
            "detected_at", "acknowledged_at", "mitigated_at", "resolved_at", "review_at", "trigger",
            "caused_by_change", "root_cause_category", "related", "visibility"]
SECTIONS = ["Summary", "Impact", "Timeline", "Root cause", "Contributing factors", "Five whys",
            "Ishikawa", "Action items", "Communication", "Lessons learned"]
BLAMEFUL = re.compile(r"human error|should have|failed to|forgot to|careless|\bTODO\b|\bTBD\b", re.I)
TL = re.compile(r"^- (\d{4}-\d\d-\d\d \d\d:\d\d) UTC — \S")
ACTION = re.compile(r"^- \[( |x)\] .+ \((.+)\)$")


def check(path: Path, known: dict[str, dt.datetime]) -> list[str]:
    errs: list[str] = []
    text = path.read_text(encoding="utf-8")
    if not text.startswith("+++\n"):
        return ["no front-matter"]
    fm_text, _, body = text[4:].partition("\n+++\n")
    try:
        fm = tomllib.loads(fm_text)
    except tomllib.TOMLDecodeError as e:
        return [f"toml: {e}"]
    for k in fm:
        if k not in REQUIRED and k != "slo":
            errs.append(f"unknown field {k}")
    for k in REQUIRED:
        if k not in fm:
            errs.append(f"missing field {k}")
    if fm.get("id") != path.stem:
        errs.append("id != file name")
    if fm.get("status") != "published" or fm.get("severity") not in ("SEV1", "SEV2", "SEV3", "SEV4"):
        errs.append("bad status/severity")
    times = [fm.get(k) for k in ("started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at")]
    times = [t for t in times if t is not None]
    if any(not isinstance(t, dt.datetime) or t.tzinfo is None for t in times):
        errs.append("time not an offset datetime")
    elif times != sorted(times):
        errs.append("time order")
    if "review_at" in fm and "resolved_at" in fm:
        h = (fm["review_at"] - fm["resolved_at"]).total_seconds() / 3600
        if not 24 <= h <= 72:
            errs.append(f"review {h:.1f} h after resolved")
    started = fm.get("started_at")
    for r in fm.get("related", []):
        if r not in known or (started and known[r] > started):
            errs.append(f"related {r} unknown or later")
    if not 0 <= len(fm.get("related", [])) <= 2:
        errs.append("related count")

    heads = re.findall(r"^## (.+)$", body, re.M)
    if heads != SECTIONS:
        errs.append(f"sections {sorted(set(SECTIONS) - set(heads))} missing")
    secs = dict(zip(heads, re.split(r"^## .+$", body, flags=re.M)[1:]))
    tl = [ln for ln in secs.get("Timeline", "").splitlines() if ln.strip()]
    stamps = [TL.match(ln) for ln in tl]
    if not 5 <= len(tl) <= 10 or not all(stamps):
        errs.append("timeline entries")
    elif [m.group(1) for m in stamps] != sorted(m.group(1) for m in stamps):
        errs.append("timeline order")
    items = [ln for ln in secs.get("Action items", "").splitlines() if ln.strip()]
    if not 3 <= len(items) <= 6:
        errs.append("action item count")
    for ln in items:
        m = ACTION.match(ln)
        if not m or "owner: @" not in m.group(2):
            errs.append("action item without owner")
    if not re.search(r"^1\. Why ", secs.get("Five whys", ""), re.M):
        errs.append("five whys")
    if not re.search(r"^- \*\*[A-Z][a-z]+\*\*: ", secs.get("Ishikawa", ""), re.M):
        errs.append("ishikawa")
    if BLAMEFUL.search(text):
        errs.append("blameful phrase")
    return errs


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("corpus", type=Path)
    p.add_argument("--broken-every", type=int, default=0)
    a = p.parse_args()
    files = sorted((a.corpus / "postmortems").glob("*.md"), key=lambda q: int(q.stem.rsplit("-", 1)[1]))
    known: dict[str, dt.datetime] = {}
    sizes, bad, unexpected = [], 0, 0
    for q in files:
        n = int(q.stem.rsplit("-", 1)[1])
        sizes.append(q.stat().st_size)
        errs = check(q, known)
        expect_broken = bool(a.broken_every) and n % a.broken_every == 0
        if errs:
            bad += 1
        if bool(errs) != expect_broken or len(errs) > 2:  # a field typo also drops a required field
            unexpected += 1
            print(f"{q.name}: expected {'broken' if expect_broken else 'clean'}: {errs}")
        if q.stem in known:
            unexpected += 1
            print(f"{q.name}: duplicate id")
        try:
            known[q.stem] = tomllib.loads(q.read_text().split("+++\n")[1])["started_at"]
        except Exception:
            pass
    clean = sorted(s for q, s in zip(files, sizes)
                   if not (a.broken_every and int(q.stem.rsplit("-", 1)[1]) % a.broken_every == 0))
    if clean:
        print(f"{len(files)} files, {bad} with problems; clean sizes: min {clean[0]} "
              f"median {clean[len(clean) // 2]} max {clean[-1]} bytes; "
              f"outside 3500-4500: {sum(not 3500 <= s <= 4500 for s in clean)}")
    return 1 if unexpected or not files else 0


if __name__ == "__main__":
    sys.exit(main())
