//! Code actions: the fix `lint --fix` would make for a diagnostic, and a
//! suppression comment for its rule on its line or in its file.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, Range,
    TextEdit, Uri, WorkspaceEdit,
};

use super::diagnostics::{self, range};
use super::text::Lines;
use super::workspace::{Linted, Workspace};
use crate::diagnostics::Diagnostic;
use crate::lint::Fix;
use crate::lint::rules::invalid_file::INVALID_FILE;
use crate::model::Source;
use crate::parse::front_matter;

pub fn code_actions(workspace: &Workspace, p: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = p.text_document.uri;
    let path = workspace.postmortem_path(&uri)?;
    let linted = workspace.lint(&path);
    let lines = Lines::new(&linted.pm.source);
    let shown = diagnostics::to_lsp(&linted, None);
    let mut actions: Vec<CodeAction> = Vec::new();
    for ((diagnostic, fix), lsp) in linted.findings.iter().zip(shown) {
        if !touches(range(&lines, diagnostic), p.range) {
            continue;
        }
        if let Some(fix) = fix {
            actions.push(action(
                format!("Fix: {} {}", fix.verb, fix.object),
                &uri,
                fix_edits(&lines, fix),
                &lsp,
                true,
            ));
        }
        for (title, edit) in suppressions(&linted, diagnostic) {
            if !actions.iter().any(|a| a.title == title) {
                actions.push(action(title, &uri, vec![edit], &lsp, false));
            }
        }
    }
    Some(
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect(),
    )
}

/// Whether two ranges share a position (an empty range at a diagnostic's
/// edge touches it).
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn action(
    title: String,
    uri: &Uri,
    edits: Vec<TextEdit>,
    diagnostic: &lsp_types::Diagnostic,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    }
}

fn fix_edits(lines: &Lines, fix: &Fix) -> Vec<TextEdit> {
    fix.edits
        .iter()
        .map(|e| TextEdit::new(lines.range(e.span), e.replacement.clone()))
        .collect()
}

/// "Disable RULE on this line" (when the diagnostic has a line that a
/// comment can precede) and "Disable RULE in this file".
fn suppressions(linted: &Linted, diagnostic: &Diagnostic) -> Vec<(String, TextEdit)> {
    let rule = diagnostic.rule;
    if rule == INVALID_FILE.id {
        return Vec::new();
    }
    let source = &linted.pm.source;
    let lines = Lines::new(source);
    let block = front_matter::locate(&source.text).ok();
    let mut found = Vec::new();
    if let Some(line) = diagnostic.start.map(|p| p.line)
        && let Some(edit) = next_line_comment(source, block, line, rule)
    {
        found.push((format!("Disable `{rule}` on this line"), edit));
    }
    let at = block.map_or(0, |b| b.body_start);
    let comment = format!("<!-- pmbook-disable {rule} -->{}", source.line_ending());
    let position = lines.position(at);
    found.push((
        format!("Disable `{rule}` in this file"),
        TextEdit::new(Range::new(position, position), comment),
    ));
    found
}

/// A `pmbook-disable-next-line` comment for `line`, or `rule` added to the
/// one already above it (a second comment line would take the first one's
/// place above the line). Inside the front-matter the comment is a TOML
/// comment; the opening `+++` line cannot have one.
fn next_line_comment(
    source: &Source,
    block: Option<front_matter::Block>,
    line: usize,
    rule: &str,
) -> Option<TextEdit> {
    let lines = Lines::new(source);
    let start = source.line_start(line);
    if block.is_some() && line == 1 {
        return None;
    }
    if line > 1 {
        let above = source.line_text(line - 1);
        if above.contains("pmbook-disable-next-line")
            && let Some(close) = above.rfind("-->")
        {
            let at = source.line_start(line - 1) + above[..close].trim_end().len();
            let position = lines.position(at);
            return Some(TextEdit::new(
                Range::new(position, position),
                format!(", {rule}"),
            ));
        }
    }
    let in_front_matter = block.is_some_and(|b| b.inner.start <= start && start < b.body_start);
    let text = source.line_text(line);
    let indent = &text[..text.len() - text.trim_start().len()];
    let comment = format!("<!-- pmbook-disable-next-line {rule} -->");
    let comment = if in_front_matter {
        format!("{indent}# {comment}{}", source.line_ending())
    } else {
        format!("{indent}{comment}{}", source.line_ending())
    };
    let position = lines.position(start);
    Some(TextEdit::new(Range::new(position, position), comment))
}
