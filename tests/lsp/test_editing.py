"""Quick fixes, suppression comments and completion."""

from __future__ import annotations

from lsprotocol import types

from conftest import apply_edits, change_doc, diagnostics_of, open_doc, position_of, postmortem, session


async def code_actions(client, uri, diagnostic):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )


async def apply(client, uri, text, action, version):
    """Applies a code action's edit as an editor would, sends the change and
    returns the new text and diagnostics."""
    edits = action.edit.changes[uri]
    text = apply_edits(text, edits)
    change_doc(client, uri, text, version)
    return text, await diagnostics_of(client, uri)


async def test_the_fix_of_lint_fix_is_offered_and_applying_it_clears_the_diagnostic(project):
    uri = project.uri("postmortems/a.md")
    text = postmortem("a", ("## Communication\n\nStatus page updated at 09:30 and 10:35 UTC.\n\n", ""))
    async with session(project) as client:
        open_doc(client, uri, text)
        [diagnostic] = await diagnostics_of(client, uri)
        assert diagnostic.code == "required-section"
        actions = await code_actions(client, uri, diagnostic)
        titles = [a.title for a in actions]
        assert titles[0] == "Fix: added ## Communication"
        assert actions[0].is_preferred
        assert actions[0].diagnostics[0].code == "required-section"
        text, diagnostics = await apply(client, uri, text, actions[0], 2)
        # As with `lint --fix`: the section is there, for the author to write.
        assert [d.code for d in diagnostics] == ["empty-section"]
        assert "\n## Communication\n" in text


async def test_suppressing_a_rule_on_its_line_and_in_the_front_matter(project):
    uri = project.uri("postmortems/a.md")
    text = postmortem(
        "a",
        ("doubled checkout latency", "doubled TODO latency"),
        ('trigger = "deploy"', 'trigger = "deploy"\nrunbook = "wiki"'),
    )
    async with session(project) as client:
        open_doc(client, uri, text)
        diagnostics = await diagnostics_of(client, uri)
        assert sorted(d.code for d in diagnostics) == ["placeholder", "unknown-field"]
        version = 1
        for code in ["placeholder", "unknown-field"]:
            [diagnostic] = [d for d in diagnostics if d.code == code]
            actions = await code_actions(client, uri, diagnostic)
            [line_action] = [a for a in actions if a.title == f"Disable `{code}` on this line"]
            assert any(a.title == f"Disable `{code}` in this file" for a in actions)
            version += 1
            text, diagnostics = await apply(client, uri, text, line_action, version)
            assert code not in [d.code for d in diagnostics]
        assert "<!-- pmbook-disable-next-line placeholder -->\nA cache deploy doubled TODO" in text
        assert '# <!-- pmbook-disable-next-line unknown-field -->\nrunbook = "wiki"' in text
        assert diagnostics == []


async def test_a_second_rule_on_a_line_joins_the_comment_above_it(project):
    uri = project.uri("postmortems/a.md")
    text = postmortem("a", ("doubled checkout latency", "doubled TODO latency, blame"))
    async with session(project) as client:
        open_doc(client, uri, text)
        diagnostics = await diagnostics_of(client, uri)
        version = 1
        for code in ["placeholder", "blameful-language"]:
            [diagnostic] = [d for d in diagnostics if d.code == code]
            actions = await code_actions(client, uri, diagnostic)
            [line_action] = [a for a in actions if a.title == f"Disable `{code}` on this line"]
            version += 1
            text, diagnostics = await apply(client, uri, text, line_action, version)
        assert diagnostics == []
        assert "<!-- pmbook-disable-next-line placeholder, blameful-language -->\n" in text


async def complete(client, uri, text, needle):
    """Completion items at the end of `needle` in `text` (the first match),
    which must not span lines."""
    position = position_of(text, needle)
    position = types.Position(line=position.line, character=position.character + len(needle.encode("utf-16-le")) // 2)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    items = result.items if hasattr(result, "items") else result
    return sorted(items, key=lambda i: i.sort_text or i.label)


async def complete_line(client, uri, text, line):
    """Completion items at the end of the line that reads `line`."""
    number = text.split("\n").index(line)
    position = types.Position(line=number, character=len(line))
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    return sorted(result, key=lambda i: i.sort_text or i.label)


async def test_completion_offers_the_services_of_the_repository_most_used_first(project):
    project.write("postmortems/b.md", postmortem("b", ('services = ["checkout", "cache"]', 'services = ["payments", "cache"]')))
    project.write("postmortems/c.md", postmortem("c", ('services = ["checkout", "cache"]', 'services = ["payments"]')))
    project.write("postmortems/d.md", postmortem("d", ('services = ["checkout", "cache"]', 'services = ["payments", "cache", "search"]')))
    uri = project.uri("postmortems/new.md")
    text = postmortem("new", ('services = ["checkout", "cache"]', 'services = ["pay'))
    async with session(project) as client:
        open_doc(client, uri, text)
        items = await complete(client, uri, text, 'services = ["pay')
        labels = [i.label for i in items]
        # payments 3, cache 2, search 1: the file being edited counts no service yet.
        assert labels == ["payments", "cache", "search"]
        first = items[0]
        assert first.detail == "used in 3 postmortems"
        assert first.text_edit.new_text == "payments"
        edited = apply_edits(text, [first.text_edit])
        assert 'services = ["payments' in edited

        unquoted = text.replace('services = ["pay', "services = [pay")
        change_doc(client, uri, unquoted, 2)
        await diagnostics_of(client, uri)
        items = await complete(client, uri, unquoted, "services = [pay")
        assert items[0].text_edit.new_text == '"payments"'


async def test_completion_of_keys_enums_owners_sections_and_action_keys(project):
    project.write("postmortems/b.md", postmortem("b", ("owner: @alice", "owner: @carol")))
    project.write("postmortems/c.md", postmortem("c", ("owner: @alice", "owner: @carol"), ("owner: @bob", "owner: @carol")))
    uri = project.uri("postmortems/new.md")
    text = postmortem(
        "new",
        ('severity = "SEV2"\n', 'severity = "\n'),
        ('tags = ["deploy"]\n', "ta\n"),
        ("## Communication\n\nStatus page updated at 09:30 and 10:35 UTC.\n\n", "## \n\n"),
        ("(owner: @bob, kind: fix, closed: 2026-11-03)", "(owner: @"),
        ("ticket: OPS-123)", "ticket: OPS-123, "),
    )
    async with session(project) as client:
        open_doc(client, uri, text)
        labels = [i.label for i in await complete(client, uri, text, 'severity = "')]
        assert labels == ["SEV1", "SEV2", "SEV3", "SEV4"]
        keys = [i.label for i in await complete_line(client, uri, text, "ta")]
        assert "tags" in keys and "title" not in keys and "severity" not in keys
        owners = await complete(client, uri, text, "(owner: @")
        # carol owns 3 items, bob 1; new.md's items are being written.
        assert [i.label for i in owners] == ["@carol", "@bob"]
        assert owners[0].detail == "owns 3 action items"
        assert owners[0].text_edit.new_text == "@carol"
        sections = [i.label for i in await complete_line(client, uri, text, "## ")]
        assert sections == ["## Communication"]
        action_keys = [i.label for i in await complete(client, uri, text, "ticket: OPS-123, ")]
        assert action_keys == ["id", "closed"]
