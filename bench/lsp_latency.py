#!/usr/bin/env python3
"""Time `pmbook lsp` on a corpus: how long it takes to load the project, and
how long after a change of one postmortem its diagnostics arrive.

    lsp_latency.py PMBOOK_BIN CORPUS_DIR [--file postmortems/X.md] [--changes N]

Starts the server on CORPUS_DIR, opens one postmortem and sends N full-text
changes that alternately add and remove a defect (a placeholder word), so
every change yields new diagnostics. Each latency is measured from writing the
change to reading the diagnostics the server pushes for it. Prints Markdown
table rows in the format of bench/run.sh:

    | command | files | mean s | min s | max s | peak RSS MB |

Python 3.11+, standard library only: the client side of the protocol here is a
few lines of framing, not a library, so that the benchmark needs nothing more
than the corpus generator.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


class Client:
    def __init__(self, command: list[str]):
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                return message

    def notify(self, method: str, params) -> None:
        self.send({"method": method, "params": params})

    def read(self) -> dict:
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("lsp_latency: the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def diagnostics_for(self, uri: str) -> list:
        while True:
            message = self.read()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]

    def peak_rss_mb(self) -> str:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return "%.1f" % (int(line.split()[1]) / 1024)
        except OSError:
            pass
        return "n/a"


def middle_file(corpus: Path) -> Path:
    files = sorted((corpus / "postmortems").glob("*.md"))
    if not files:
        sys.exit(f"lsp_latency: no postmortems under {corpus}/postmortems")
    return files[len(files) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--file", help="the postmortem to edit, relative to CORPUS_DIR")
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()

    corpus = args.corpus.resolve()
    path = corpus / args.file if args.file else middle_file(corpus)
    count = len(list((corpus / "postmortems").glob("**/*.md")))
    uri = path.as_uri()
    text = path.read_text()
    marker = "\n## Summary\n"
    if marker not in text:
        sys.exit(f"lsp_latency: {path} has no ## Summary section to edit")

    client = Client([args.binary, "-C", str(corpus), "lsp"])
    started = time.perf_counter()
    client.request("initialize", {"processId": None, "rootUri": corpus.as_uri(), "capabilities": {}})
    loaded = time.perf_counter() - started
    client.notify("initialized", {})
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    )
    baseline = len(client.diagnostics_for(uri))

    latencies = []
    for version in range(2, args.changes + 2):
        broken = version % 2 == 0
        changed = text.replace(marker, marker + "\nTODO: write this.\n", 1) if broken else text
        start = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": changed}],
            },
        )
        diagnostics = client.diagnostics_for(uri)
        latencies.append(time.perf_counter() - start)
        expected = baseline + 1 if broken else baseline
        if len(diagnostics) != expected:
            sys.exit(f"lsp_latency: change {version} gave {len(diagnostics)} diagnostics, expected {expected}")

    rss = client.peak_rss_mb()
    client.request("shutdown", None)
    client.notify("exit", None)
    client.process.wait(timeout=30)

    print(f"| `pmbook lsp`: initialize (load the project) | {count} | {loaded:.3f} | {loaded:.3f} | {loaded:.3f} | {rss} |")
    print(
        f"| `pmbook lsp`: diagnostics after a change ({len(latencies)} changes, median {statistics.median(latencies) * 1000:.1f} ms) "
        f"| {count} | {statistics.mean(latencies):.4f} | {min(latencies):.4f} | {max(latencies):.4f} | {rss} |"
    )


if __name__ == "__main__":
    main()
