//! Completion: front-matter keys and values (the configured choices, and
//! the services, tags, authors and ids the repository already uses, most
//! used first), the sections still missing, and action-item metadata.

use std::collections::HashMap;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Range, TextEdit,
};

use super::text::Lines;
use super::workspace::{Facts, Workspace};
use crate::lint::rules::invalid_value::VISIBILITIES;
use crate::model::{Postmortem, Span};
use crate::parse::{action, front_matter};

pub fn complete(workspace: &Workspace, p: CompletionParams) -> Option<CompletionResponse> {
    let at = p.text_document_position;
    let path = workspace.postmortem_path(&at.text_document.uri)?;
    let pm = workspace.parse(&path);
    let lines = Lines::new(&pm.source);
    let offset = lines.offset(at.position);
    let line_start = pm.source.line_start(pm.source.line_of(offset));
    let before = &pm.source.text[line_start..offset];
    let cursor = Cursor {
        lines: &lines,
        line_start,
        offset,
        before,
    };
    let items = match front_matter::locate(&pm.source.text) {
        Ok(block) if block.inner.start <= line_start && line_start < block.inner.end => {
            front_matter_items(workspace, &pm, block, &cursor)
        }
        _ => body_items(workspace, &pm, &cursor),
    };
    Some(CompletionResponse::Array(items))
}

/// Where completion was asked: the text of the line before the cursor.
struct Cursor<'a> {
    lines: &'a Lines<'a>,
    line_start: usize,
    offset: usize,
    before: &'a str,
}

impl Cursor<'_> {
    /// The range from byte `start` of the line (relative to the line) to
    /// the cursor: what a completion replaces.
    fn from(&self, start: usize) -> Range {
        self.lines
            .range(Span::new(self.line_start + start, self.offset))
    }
}

/// One completion: `label`, shown; `text`, inserted over `range`.
fn item(
    label: &str,
    text: String,
    range: Range,
    kind: CompletionItemKind,
    detail: Option<String>,
    rank: usize,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail,
        sort_text: Some(format!("{rank:06}")),
        filter_text: Some(label.to_owned()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, text))),
        ..CompletionItem::default()
    }
}

fn front_matter_items(
    workspace: &Workspace,
    pm: &Postmortem,
    block: front_matter::Block,
    cursor: &Cursor,
) -> Vec<CompletionItem> {
    let text = &pm.source.text;
    let toml = &text[block.inner.range()];
    let trimmed = cursor.before.trim_start();
    if trimmed.starts_with('#') || trimmed.starts_with('[') {
        return Vec::new();
    }
    if !cursor.before.contains('=') {
        let written: Vec<&str> = toml.lines().filter_map(key_of).collect();
        let config = &workspace.project.config;
        let keys = front_matter::FIELDS
            .iter()
            .copied()
            .chain(config.lint.extra_fields.iter().map(String::as_str));
        let start = cursor.before.len() - trimmed.len();
        return keys
            .filter(|key| !written.contains(key))
            .enumerate()
            .map(|(rank, key)| {
                let insert = if key == "slo" {
                    "[slo]".to_owned()
                } else {
                    format!("{key} = ")
                };
                item(
                    key,
                    insert,
                    cursor.from(start),
                    CompletionItemKind::PROPERTY,
                    None,
                    rank,
                )
            })
            .collect();
    }
    // The key whose value this is: on this line, or above it for an array
    // written over several lines.
    let above = &text[block.inner.start..cursor.line_start];
    let Some(key) = key_of(cursor.before).or_else(|| above.lines().rev().find_map(key_of)) else {
        return Vec::new();
    };
    let value = cursor.before.rsplit('=').next().unwrap_or_default();
    let in_quotes = value.matches('"').count() % 2 == 1;
    let start = cursor
        .before
        .rfind(['"', '\'', '[', ',', '=', ' '])
        .map_or(0, |i| i + 1);
    let range = cursor.from(start);
    let quote = |v: &str| {
        if in_quotes {
            v.to_owned()
        } else {
            format!("\"{v}\"")
        }
    };
    let config = &workspace.project.config;
    let choices = |values: &[String]| -> Vec<CompletionItem> {
        values
            .iter()
            .enumerate()
            .map(|(rank, v)| {
                item(
                    v,
                    quote(v),
                    range,
                    CompletionItemKind::ENUM_MEMBER,
                    None,
                    rank,
                )
            })
            .collect()
    };
    let used = |field: fn(&Facts) -> &Vec<String>| -> Vec<CompletionItem> {
        let values = ranked(workspace.facts().flat_map(|(_, f)| field(f).iter()));
        values
            .into_iter()
            .enumerate()
            .map(|(rank, (v, n))| {
                let detail = format!("used in {n} postmortem{}", if n == 1 { "" } else { "s" });
                item(
                    &v,
                    quote(&v),
                    range,
                    CompletionItemKind::VALUE,
                    Some(detail),
                    rank,
                )
            })
            .collect()
    };
    match key {
        "status" => choices(&config.lint.statuses),
        "severity" => choices(&config.lint.severities),
        "root_cause_category" => choices(&config.lint.root_cause_categories),
        "visibility" => choices(&VISIBILITIES.map(String::from)),
        "caused_by_change" => ["true", "false"]
            .iter()
            .enumerate()
            .map(|(rank, v)| {
                item(
                    v,
                    (*v).to_owned(),
                    range,
                    CompletionItemKind::VALUE,
                    None,
                    rank,
                )
            })
            .collect(),
        "services" => used(|f| &f.services),
        "tags" => used(|f| &f.tags),
        "authors" => used(|f| &f.authors),
        "related" => related_ids(workspace, pm, range, &quote),
        _ => Vec::new(),
    }
}

/// The key of a `key = value` line.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

/// Values by how many times they occur, most first, then by name.
fn ranked<'a>(values: impl Iterator<Item = &'a String>) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for value in values {
        *counts.entry(value.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(String, usize)> =
        counts.into_iter().map(|(v, n)| (v.to_owned(), n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
}

/// The ids of the other postmortems, the most referred to first, then the
/// most recent.
fn related_ids(
    workspace: &Workspace,
    pm: &Postmortem,
    range: Range,
    quote: &dyn Fn(&str) -> String,
) -> Vec<CompletionItem> {
    let mut references: HashMap<&str, usize> = HashMap::new();
    for (_, facts) in workspace.facts() {
        for (id, _) in &facts.related {
            *references.entry(id.as_str()).or_default() += 1;
        }
    }
    let mut others: Vec<&Facts> = workspace
        .facts()
        .map(|(_, f)| f)
        .filter(|f| f.id.is_some() && f.id.as_deref() != pm.id())
        .collect();
    let count = |f: &Facts| references.get(f.id.as_deref().unwrap_or_default()).copied();
    others.sort_by(|a, b| {
        count(b)
            .cmp(&count(a))
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.id.cmp(&b.id))
    });
    others
        .into_iter()
        .enumerate()
        .filter_map(|(rank, f)| {
            let id = f.id.as_deref()?;
            Some(item(
                id,
                quote(id),
                range,
                CompletionItemKind::REFERENCE,
                f.title.clone(),
                rank,
            ))
        })
        .collect()
}

fn body_items(workspace: &Workspace, pm: &Postmortem, cursor: &Cursor) -> Vec<CompletionItem> {
    let trimmed = cursor.before.trim_start();
    if trimmed.starts_with('#') {
        return missing_sections(workspace, pm, cursor);
    }
    let is_list_item = ["- ", "* ", "+ "].iter().any(|m| trimmed.starts_with(m));
    let Some(open) = cursor.before.rfind('(') else {
        return Vec::new();
    };
    if !is_list_item || cursor.before[open..].contains(')') {
        return Vec::new();
    }
    let group = &cursor.before[open + 1..];
    let part_start = open + 1 + group.rfind(',').map_or(0, |i| i + 1);
    let part = &cursor.before[part_start..];
    let lead = part.len() - part.trim_start().len();
    match part.split_once(':') {
        None => {
            let written: Vec<&str> = group
                .split(',')
                .filter_map(|p| p.split_once(':'))
                .map(|(k, _)| k.trim())
                .collect();
            action::KEYS
                .iter()
                .filter(|k| !written.contains(k))
                .enumerate()
                .map(|(rank, key)| {
                    let insert = if *key == "owner" {
                        "owner: @".to_owned()
                    } else {
                        format!("{key}: ")
                    };
                    let range = cursor.from(part_start + lead);
                    item(key, insert, range, CompletionItemKind::PROPERTY, None, rank)
                })
                .collect()
        }
        Some((key, value)) => {
            let value_start = part_start + key.len() + 1 + (value.len() - value.trim_start().len());
            let range = cursor.from(value_start);
            match key.trim().to_lowercase().as_str() {
                "owner" => {
                    let owners = ranked(workspace.facts().flat_map(|(_, f)| f.owners.iter()));
                    owners
                        .into_iter()
                        .enumerate()
                        .map(|(rank, (owner, n))| {
                            let label = format!("@{owner}");
                            let detail =
                                format!("owns {n} action item{}", if n == 1 { "" } else { "s" });
                            item(
                                &label,
                                label.clone(),
                                range,
                                CompletionItemKind::VALUE,
                                Some(detail),
                                rank,
                            )
                        })
                        .collect()
                }
                "kind" => workspace
                    .project
                    .config
                    .actions
                    .kinds
                    .iter()
                    .enumerate()
                    .map(|(rank, k)| {
                        item(
                            k,
                            k.clone(),
                            range,
                            CompletionItemKind::ENUM_MEMBER,
                            None,
                            rank,
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            }
        }
    }
}

/// `## Name` for each configured section the postmortem does not have yet.
fn missing_sections(
    workspace: &Workspace,
    pm: &Postmortem,
    cursor: &Cursor,
) -> Vec<CompletionItem> {
    let sections = &workspace.project.config.sections;
    let start = cursor.before.len() - cursor.before.trim_start().len();
    sections
        .required
        .iter()
        .chain(&sections.optional)
        .filter(|name| pm.section(name).is_none())
        .enumerate()
        .map(|(rank, name)| {
            let heading = format!("## {name}");
            item(
                &heading,
                heading.clone(),
                cursor.from(start),
                CompletionItemKind::MODULE,
                None,
                rank,
            )
        })
        .collect()
}
