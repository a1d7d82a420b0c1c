"""Hover, go-to-definition, find references and document symbols."""

from __future__ import annotations

from lsprotocol import types

from conftest import diagnostics_of, open_doc, position_of, postmortem, session

RELATED = ('visibility = "internal"', 'related = ["older-outage"]\nvisibility = "internal"')
OLDER = postmortem(
    "older-outage",
    ('title = "Checkout latency after cache deploy"', 'title = "Payments down for an hour"'),
    ('severity = "SEV2"', 'severity = "SEV1"'),
    ("started_at = 2026-11-03T09:12:00Z", "started_at = 2026-11-02T23:30:00-02:00"),
)


def at(uri, text, needle, offset=1):
    position = position_of(text, needle)
    return types.TextDocumentIdentifier(uri=uri), types.Position(
        line=position.line, character=position.character + offset
    )


async def hover(client, uri, text, needle, offset=1):
    doc, position = at(uri, text, needle, offset)
    return await client.text_document_hover_async(types.HoverParams(text_document=doc, position=position))


async def test_hover_on_a_related_id_a_field_and_a_rule(project):
    project.write("postmortems/older-outage.md", OLDER)
    uri = project.uri("postmortems/a.md")
    text = postmortem(
        "a",
        RELATED,
        ("## Summary\n", "## Summary\n\n<!-- pmbook-disable-next-line placeholder -->\n"),
    )
    async with session(project) as client:
        open_doc(client, uri, text)
        await diagnostics_of(client, uri)
        found = await hover(client, uri, text, "older-outage", offset=3)
        assert found.contents.kind == types.MarkupKind.Markdown
        # The date is the incident's day where it started (UTC-2).
        assert found.contents.value == "**Payments down for an hour**\n\n`older-outage` · 2026-11-02 · SEV1"
        assert found.range.start == position_of(text, "older-outage")

        field = await hover(client, uri, text, "root_cause_category")
        assert field.contents.value == (
            "**root_cause_category**\n\nOne of `[lint] root_cause_categories` (default `people`,"
            " `process`, `tooling`, `code`, `infrastructure`, `external`)."
        )

        rule = await hover(client, uri, text, "placeholder -->")
        assert rule.contents.value.startswith("**placeholder**\n\n")
        assert "TODO" in rule.contents.value

        assert await hover(client, uri, text, "A cache deploy") is None


async def test_definition_and_references_of_an_id(project):
    older = project.write("postmortems/older-outage.md", OLDER)
    project.write("postmortems/b.md", postmortem("b", RELATED))
    uri = project.uri("postmortems/a.md")
    text = postmortem("a", RELATED)
    async with session(project) as client:
        open_doc(client, uri, text)
        await diagnostics_of(client, uri)
        doc, position = at(uri, text, "older-outage")
        [location] = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc, position=position)
        )
        assert location.uri == older.as_uri()
        assert location.range.start == types.Position(line=0, character=0)

        references = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc,
                position=position,
                context=types.ReferenceContext(include_declaration=False),
            )
        )
        assert [r.uri for r in references] == [uri, project.uri("postmortems/b.md")]
        assert references[0].range.start == types.Position(
            line=position.line, character=position.character - 2
        )

        with_declaration = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc,
                position=position,
                context=types.ReferenceContext(include_declaration=True),
            )
        )
        assert with_declaration[0].uri == older.as_uri()
        assert len(with_declaration) == 3


async def test_document_symbols_are_the_sections(project):
    uri = project.uri("postmortems/a.md")
    text = postmortem("a")
    async with session(project) as client:
        open_doc(client, uri, text)
        symbols = await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        names = [s.name for s in symbols]
        assert names == [
            "Summary",
            "Impact",
            "Timeline",
            "Root cause",
            "Contributing factors",
            "Five whys",
            "Ishikawa",
            "Action items",
            "Communication",
            "Lessons learned",
        ]
        summary = symbols[0]
        assert summary.selection_range.start == position_of(text, "## Summary")
        assert summary.range.end == position_of(text, "## Impact")
