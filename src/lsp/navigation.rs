//! Hover, go-to-definition, find references and document symbols.

use std::collections::HashMap;

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location, MarkupContent, MarkupKind,
    Range, ReferenceParams, SymbolKind, TextDocumentPositionParams,
};

use super::text::{Lines, uri_of};
use super::workspace::{Facts, Workspace};
use crate::lint::registry;
use crate::model::{Postmortem, Span};
use crate::parse::front_matter;

/// Front-matter key → its documentation, from the front-matter's schema.
pub fn field_docs() -> HashMap<String, String> {
    let schema = serde_json::to_value(crate::schema::postmortem()).unwrap_or_default();
    let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) else {
        return HashMap::new();
    };
    properties
        .iter()
        .filter_map(|(key, value)| {
            let doc = value.get("description")?.as_str()?;
            Some((key.clone(), doc.to_owned()))
        })
        .collect()
}

/// The word under the cursor: letters, digits, `-`, `_` and `.`, as ids,
/// rule ids and keys are written.
struct Word {
    span: Span,
    text: String,
    /// The text of its line before it.
    before: String,
    /// Its whole line.
    line: String,
}

fn word_at(workspace: &Workspace, at: &TextDocumentPositionParams) -> Option<(Postmortem, Word)> {
    let path = workspace.postmortem_path(&at.text_document.uri)?;
    let pm = workspace.parse(&path);
    let lines = Lines::new(&pm.source);
    let offset = lines.offset(at.position);
    let source = &pm.source;
    let line_number = source.line_of(offset);
    let line_start = source.line_start(line_number);
    let line = source.line_text(line_number);
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let cursor = offset - line_start;
    let start = line[..cursor.min(line.len())]
        .char_indices()
        .rfind(|&(_, c)| !is_word(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = line[start..]
        .find(|c: char| !is_word(c))
        .map_or(line.len(), |i| start + i);
    if start >= end {
        return None;
    }
    let word = Word {
        span: Span::new(line_start + start, line_start + end),
        text: line[start..end].trim_end_matches('.').to_owned(),
        before: line[..start].to_owned(),
        line: line.to_owned(),
    };
    Some((pm, word))
}

fn in_front_matter(pm: &Postmortem, offset: usize) -> bool {
    front_matter::locate(&pm.source.text)
        .is_ok_and(|block| block.inner.start <= offset && offset < block.inner.end)
}

pub fn hover(
    workspace: &Workspace,
    field_docs: &HashMap<String, String>,
    p: HoverParams,
) -> Option<Hover> {
    let (pm, word) = word_at(workspace, &p.text_document_position_params)?;
    let markdown = if word.line.contains("pmbook-disable")
        && let Some(rule) = registry::find(&word.text)
    {
        format!("**{}**\n\n{}", rule.id, rule.documentation())
    } else if in_front_matter(&pm, word.span.start)
        && word.before.trim().is_empty()
        && let Some(doc) = field_docs.get(&word.text)
    {
        format!("**{}**\n\n{}", word.text, doc.replace('\n', " "))
    } else if let Some((_, facts)) = workspace.declaring(&word.text).first() {
        incident(&word.text, facts)
    } else {
        return None;
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(Lines::new(&pm.source).range(word.span)),
    })
}

/// "**Title**" and the incident's date and severity.
fn incident(id: &str, facts: &Facts) -> String {
    let title = facts.title.as_deref().unwrap_or(id);
    let mut line = vec![format!("`{id}`")];
    line.extend(facts.date.map(|d| d.to_string()));
    line.extend(facts.severity.clone());
    format!("**{title}**\n\n{}", line.join(" · "))
}

pub fn definition(
    workspace: &Workspace,
    p: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let (_, word) = word_at(workspace, &p.text_document_position_params)?;
    let locations: Vec<Location> = workspace
        .declaring(&word.text)
        .into_iter()
        .map(|(path, _)| Location::new(uri_of(path), Range::default()))
        .collect();
    (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
}

/// The postmortems whose `related` names the id under the cursor.
pub fn references(workspace: &Workspace, p: ReferenceParams) -> Option<Vec<Location>> {
    let (_, word) = word_at(workspace, &p.text_document_position)?;
    let id = word.text;
    let mut locations: Vec<Location> = Vec::new();
    if p.context.include_declaration {
        locations.extend(
            workspace
                .declaring(&id)
                .into_iter()
                .map(|(path, _)| Location::new(uri_of(path), Range::default())),
        );
    }
    let mut naming: Vec<(&std::path::Path, Range)> = workspace
        .facts()
        .flat_map(|(path, facts)| {
            facts
                .related
                .iter()
                .filter(|(r, _)| *r == id)
                .map(move |(_, range)| (path, *range))
        })
        .collect();
    naming.sort_by_key(|(path, range)| (*path, range.start));
    locations.extend(
        naming
            .into_iter()
            .map(|(path, range)| Location::new(uri_of(path), range)),
    );
    Some(locations)
}

/// The level-2 sections, each up to the next.
pub fn symbols(workspace: &Workspace, p: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let path = workspace.postmortem_path(&p.text_document.uri)?;
    let pm = workspace.parse(&path);
    let lines = Lines::new(&pm.source);
    let end = pm.source.text.len();
    let symbols = pm
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let until = pm
                .sections
                .get(i + 1)
                .map_or(end, |next| next.heading.start);
            #[allow(deprecated)] // `deprecated` is a field every literal must give
            DocumentSymbol {
                name: section.title.clone(),
                detail: section.canonical.clone().filter(|c| *c != section.title),
                kind: SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range: lines.range(Span::new(section.heading.start, until)),
                selection_range: lines.range(section.heading),
                children: None,
            }
        })
        .collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}
