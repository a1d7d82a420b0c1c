"""A real LSP client (pytest-lsp) driving the `pmbook lsp` binary named by
PMBOOK_BIN, on projects written to temporary directories."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import make_test_lsp_client

TODAY = "2026-11-23"
RULES_URL = "https://docs.example.com/pmbook/rules/{rule}.html"
VALID = (Path(__file__).parent.parent / "fixtures" / "valid.md").read_text()
VALID_ID = "2026-11-03-checkout-latency"


def binary() -> str:
    path = os.environ.get("PMBOOK_BIN")
    if not path:
        pytest.fail("PMBOOK_BIN must name the pmbook binary (cargo test --test lsp sets it)")
    return path


def postmortem(id: str, *changes: tuple[str, str]) -> str:
    """The valid fixture under another id, with each (old, new) text change
    made."""
    text = VALID.replace(VALID_ID, id)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


class Project:
    def __init__(self, root: Path):
        self.root = root
        (root / "postmortems").mkdir()

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        return path

    def uri(self, relative: str) -> str:
        return (self.root / relative).as_uri()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path.resolve())


PUSH = types.ClientCapabilities()
PULL = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        diagnostic=types.DiagnosticClientCapabilities()
    )
)


@contextlib.asynccontextmanager
async def session(
    project: Project,
    capabilities: types.ClientCapabilities = PUSH,
    args: tuple[str, ...] = (),
    cwd: Path | None = None,
    folder: Path | None = None,
    rules_url: str | None = RULES_URL,
):
    """An initialized client of a server started in `cwd` with `args` (and
    `--rules-url` unless `rules_url` is None), whose
    workspace folder is `folder` (default: the project); shuts the server
    down cleanly at the end and checks that it exited with status 0."""
    client = make_test_lsp_client()
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    links = ("--rules-url", rules_url) if rules_url else ()
    await client.start_io(binary(), *args, "lsp", "--today", TODAY, *links, cwd=cwd)
    folder = folder or project.root
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=folder.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="project")],
        )
    )
    client.result = result
    try:
        yield client
    finally:
        await client.shutdown_session()
        code = client._server.returncode if client._server else None
        await client.stop()
        assert code == 0, f"the server exited with {code}"


def open_doc(client, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=version, text=text
            )
        )
    )


def change_doc(client, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_of(client, uri: str):
    """Waits for the next diagnostics the server pushes for `uri` (those of
    other files, re-checked because ids changed, are passed over)."""
    while True:
        params = await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=30
        )
        if params.uri == uri:
            return list(params.diagnostics)


def position_of(text: str, needle: str, nth: int = 0) -> types.Position:
    """The protocol position (UTF-16 columns) of the start of `needle`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    column = len(text[line_start:index].encode("utf-16-le")) // 2
    return types.Position(line=line, character=column)


def apply_edits(text: str, edits) -> str:
    """`text` with LSP text edits applied (positions in UTF-16 units)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        line = lines[position.line]
        units = 0
        for i, ch in enumerate(line):
            if units >= position.character:
                return starts[position.line] + i
            units += len(ch.encode("utf-16-le")) // 2
        return starts[position.line] + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
