#!/usr/bin/env python3
"""The size of a built site: all its files, its largest HTML page, its largest
file, and optionally the part that is its search index.

    site_sizes.py SITE_DIR --files N [--label PREFIX] [--tag SUFFIX]
                  [--index PATH ...] [--index-only]

Prints Markdown table rows in the format of bench/run.sh, the figure in the
`mean s` column:

    | command | files | mean s | min s | max s | peak RSS MB |

Sizes are the apparent sizes of the files (what `du -sb` counts, without the
directories themselves), in decimal units (1 kB = 1,000 bytes). `--index`
names files or directories, relative to SITE_DIR, that make up the search
index (pmbook: `search-index.js` and `search/`; Pagefind: `pagefind/`);
`--index-only` prints only that row.

Python 3.11+, standard library only.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def human(n: int) -> str:
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def files_under(path: Path):
    if path.is_file():
        yield path, path.stat().st_size
        return
    for dirpath, _dirs, names in os.walk(path):
        for name in names:
            file = Path(dirpath, name)
            yield file, file.lstat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--files", required=True, help="the table's files column")
    parser.add_argument("--label", default="", help="put before each row's name, e.g. \"Hugo's \"")
    parser.add_argument("--tag", default="", help="put after each row's name, e.g. \" (baseline)\"")
    parser.add_argument("--index", action="append", default=[], help="a search index file or directory")
    parser.add_argument("--index-only", action="store_true", help="print only the search index's row")
    args = parser.parse_args()
    if not args.site.is_dir():
        sys.exit(f"site_sizes: {args.site} is not a directory")

    def rel(path: Path) -> str:
        return path.relative_to(args.site).as_posix()

    def row(name: str, value: str) -> None:
        print(f"| {args.label}{name}{args.tag} | {args.files} | {value} | | | |")

    if not args.index_only:
        files = list(files_under(args.site))
        total = sum(size for _, size in files)
        largest = max(files, key=lambda f: f[1])
        pages = [f for f in files if f[0].suffix == ".html"]
        largest_page = max(pages, key=lambda f: f[1]) if pages else None
        row("site: all files", f"{human(total)} ({total:,} B, {len(files):,} files)")
        if largest_page:
            page, size = largest_page
            row(f"site: largest HTML page (`{rel(page)}`)", f"{human(size)} ({size:,} B)")
        row(f"site: largest file (`{rel(largest[0])}`)", f"{human(largest[1])} ({largest[1]:,} B)")
    if args.index:
        index = [f for p in args.index if (args.site / p).exists() for f in files_under(args.site / p)]
        size = sum(s for _, s in index)
        names = ", ".join(f"`{p}/`" if (args.site / p).is_dir() else f"`{p}`" for p in args.index)
        row(f"search index ({names})", f"{human(size)} ({size:,} B, {len(index):,} files)")


if __name__ == "__main__":
    main()
