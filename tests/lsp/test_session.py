"""Initialize and shutdown, diagnostics pushed and pulled, malformed files."""

from __future__ import annotations

from lsprotocol import types

from conftest import (
    PULL,
    RULES_URL,
    change_doc,
    diagnostics_of,
    open_doc,
    position_of,
    postmortem,
    session,
)


async def test_initialize_announces_the_features_and_shutdown_exits_cleanly(project):
    async with session(project) as client:
        result = client.result
        assert result.server_info.name == "pmbook"
        caps = result.capabilities
        assert caps.text_document_sync == types.TextDocumentSyncKind.Full
        assert caps.diagnostic_provider.identifier == "pmbook"
        assert caps.completion_provider is not None
        assert caps.hover_provider is True
        assert caps.definition_provider is True
        assert caps.references_provider is True
        assert caps.document_symbol_provider is True
        assert list(caps.code_action_provider.code_action_kinds) == [types.CodeActionKind.QuickFix]


async def test_rule_links_come_from_the_configuration_without_the_option(project):
    uri = project.uri("postmortems/a.md")
    broken = postmortem("a", ("doubled checkout latency", "doubled TODO latency"))
    project.write("postmortems/a.md", broken)
    project.write("pmbook.toml", '[lint]\nrules_url = "https://wiki.example.com/{rule}"\n')
    async with session(project, rules_url=None) as client:
        open_doc(client, uri, broken)
        diagnostics = await diagnostics_of(client, uri)
        assert str(diagnostics[0].code_description.href) == "https://wiki.example.com/placeholder"


async def test_diagnostics_appear_on_open_with_utf16_ranges_and_clear_when_fixed(project):
    uri = project.uri("postmortems/a.md")
    broken = postmortem("a", ("doubled checkout latency", "doubled 😀é TODO latency"))
    project.write("postmortems/a.md", broken)
    async with session(project) as client:
        open_doc(client, uri, broken)
        diagnostics = await diagnostics_of(client, uri)
        assert [d.code for d in diagnostics] == ["placeholder"]
        found = diagnostics[0]
        assert found.source == "pmbook"
        assert found.severity == types.DiagnosticSeverity.Error
        assert str(found.code_description.href) == RULES_URL.replace("{rule}", "placeholder")
        start = position_of(broken, "TODO")
        # "doubled " (8) + 😀 (2 UTF-16 units) + "é " (2)
        assert start.character == len("A cache deploy doubled ") + 2 + 2
        assert found.range.start == start
        assert found.range.end == types.Position(line=start.line, character=start.character + 4)

        change_doc(client, uri, postmortem("a"), version=2)
        assert await diagnostics_of(client, uri) == []

        # Still there on disk, but the editor's text counts.
        change_doc(client, uri, broken, version=3)
        assert [d.code for d in await diagnostics_of(client, uri)] == ["placeholder"]
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        assert await diagnostics_of(client, uri) == []


async def test_checks_are_against_the_whole_project(project):
    project.write("postmortems/first.md", postmortem("same-id"))
    uri = project.uri("postmortems/second.md")
    text = postmortem("same-id", ('visibility = "internal"', 'related = ["no-such-incident"]\nvisibility = "internal"'))
    async with session(project) as client:
        open_doc(client, uri, text)
        codes = sorted(d.code for d in await diagnostics_of(client, uri))
        assert codes == ["broken-reference", "duplicate-id"]
        # The other file gets another id on disk; the editor reports it.
        project.write("postmortems/first.md", postmortem("other-id"))
        project.write("postmortems/no-such-incident.md", postmortem("no-such-incident"))
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(uri=project.uri("postmortems/first.md"), type=types.FileChangeType.Changed),
                    types.FileEvent(
                        uri=project.uri("postmortems/no-such-incident.md"), type=types.FileChangeType.Created
                    ),
                ]
            )
        )
        assert await diagnostics_of(client, uri) == []


async def test_a_link_to_a_missing_file_is_reported_and_clears_once_the_file_exists(project):
    uri = project.uri("postmortems/a.md")
    text = postmortem("a", ("## Impact\n", "## Impact\n\n![p99 latency](img/p99.png)\n"))
    async with session(project) as client:
        open_doc(client, uri, text)
        assert [d.code for d in await diagnostics_of(client, uri)] == ["broken-link"]
        project.write("postmortems/img/p99.png", b"\x89PNG\r\n")
        change_doc(client, uri, text + "\n", 2)
        assert await diagnostics_of(client, uri) == []


async def test_files_outside_the_postmortem_directory_are_ignored(project):
    outside = project.uri("notes/todo.md")
    inside = project.uri("postmortems/a.md")
    async with session(project) as client:
        open_doc(client, outside, "# Notes\n\nTODO\n")
        open_doc(client, inside, postmortem("a"))
        assert await diagnostics_of(client, inside) == []
        assert outside not in client.diagnostics
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=outside))
        )
        assert list(report.items) == []


async def test_pull_diagnostics_and_no_push_to_a_client_that_pulls(project):
    uri = project.uri("postmortems/a.md")
    text = postmortem("a", ("## Impact", "## Impactt"))
    async with session(project, PULL) as client:
        open_doc(client, uri, text)
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        assert report.kind == "full"
        assert [d.code for d in report.items] == ["required-section"]
        assert "Impact" in report.items[0].message
        assert client.diagnostics == {}


async def test_malformed_files_are_reported_and_do_not_stop_the_server(project):
    project.write("postmortems/binary.md", b"+++\n\x00\x01\x02\xff" * 100)
    project.write("postmortems/latin1.md", postmortem("latin1").encode() + "café".encode("latin-1"))
    project.write("postmortems/good.md", postmortem("good"))
    async with session(project) as client:
        for name in ["binary", "latin1"]:
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=project.uri(f"postmortems/{name}.md"))
                )
            )
            assert [d.code for d in report.items] == ["invalid-file"], name

        nul = project.uri("postmortems/nul.md")
        open_doc(client, nul, "+++\n\x00\x00\x00\n+++\n")
        assert [d.code for d in await diagnostics_of(client, nul)] == ["invalid-file"]

        huge = project.uri("postmortems/huge.md")
        open_doc(client, huge, postmortem("huge") + "x" * (6 * 1024 * 1024))
        diagnostics = await diagnostics_of(client, huge)
        assert [d.code for d in diagnostics] == ["invalid-file"]
        assert "over the limit" in diagnostics[0].message

        garbage = project.uri("postmortems/garbage.md")
        open_doc(client, garbage, "+++\n\ud7ff\ufffd[[[ = \n+++\n## \n- [ ] (owner: @, due: 99-99-99\n")
        assert await diagnostics_of(client, garbage) != []

        # Every request still works on these files and the server is alive.
        for uri in [nul, huge, garbage, project.uri("postmortems/binary.md")]:
            position = types.Position(line=1, character=2)
            doc = types.TextDocumentIdentifier(uri=uri)
            await client.text_document_hover_async(types.HoverParams(text_document=doc, position=position))
            await client.text_document_completion_async(
                types.CompletionParams(text_document=doc, position=position)
            )
            await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=doc,
                    range=types.Range(start=position, end=position),
                    context=types.CodeActionContext(diagnostics=[]),
                )
            )
            await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=project.uri("postmortems/good.md")))
        )
        assert list(report.items) == []


async def test_the_project_is_found_from_the_workspace_folder_or_from_c_and_config(project):
    """The workspace folder may be a subdirectory; `-C` and a `--config`
    relative to the working directory win over it."""
    project.write("pmbook.toml", '[book]\nsrc = "incidents"\n')
    (project.root / "incidents").mkdir()
    uri = project.uri("incidents/a.md")
    text = postmortem("a", ("doubled checkout latency", "doubled TODO latency"))
    async with session(project, folder=project.root / "incidents") as client:
        open_doc(client, uri, text)
        assert [d.code for d in await diagnostics_of(client, uri)] == ["placeholder"]

    elsewhere = project.root / "elsewhere"
    elsewhere.mkdir()
    project.write("other/custom.toml", '[book]\nsrc = "pm"\n')
    uri = project.uri("other/pm/b.md")
    for args, cwd in [
        (("-C", str(project.root / "other"), "--config", "custom.toml"), None),
        (("--config", "other/custom.toml"), project.root),
    ]:
        async with session(project, args=args, cwd=cwd, folder=elsewhere) as client:
            open_doc(client, uri, text)
            assert [d.code for d in await diagnostics_of(client, uri)] == ["placeholder"], args


async def test_diagnostics_come_back_under_the_uri_the_editor_used(project, tmp_path_factory):
    """A project reached through a symbolic link, percent-escapes: the
    editor's own spelling of the file's URI is kept."""
    link = tmp_path_factory.mktemp("links") / "linked project"
    link.symlink_to(project.root, target_is_directory=True)
    uri = (link / "postmortems" / "a.md").as_uri()
    assert "%20" in uri
    text = postmortem("a", ("doubled checkout latency", "doubled TODO latency"))
    async with session(project) as client:
        open_doc(client, uri, text)
        assert [d.code for d in await diagnostics_of(client, uri)] == ["placeholder"]
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        assert await diagnostics_of(client, uri) == []


async def test_the_server_asks_to_hear_of_markdown_files_changing_on_disk(project):
    watching = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=True
            )
        )
    )
    async with session(project, watching) as client:
        # Any answer comes after the registration request, which the server
        # sends right after initializing.
        await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=project.uri("postmortems/a.md")))
        )
        [registration] = client.registrations
        assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        [watcher] = registration.register_options["watchers"]
        assert watcher["globPattern"] == "**/*.md"
    async with session(project) as client:
        await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=project.uri("postmortems/a.md")))
        )
        assert client.registrations == []
