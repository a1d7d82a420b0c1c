//! Action items of existing postmortems (plain bullets, numbered lists,
//! tables such as `Action | Type | Owner | Ticket | Status`) as pmbook task
//! items, with the owner, ticket and due date kept and the kind inferred
//! only where one keyword names it.

use super::Note;
use super::timeline::strip_marker;
use crate::config::Config;

const KIND_WORDS: &[(&str, &[&str])] = &[
    (
        "detect",
        &[
            "monitor",
            "monitoring",
            "alert",
            "alerting",
            "alerts",
            "dashboard",
            "détection",
            "supervision",
            "detection",
        ],
    ),
    ("test", &["test", "tests", "testing"]),
    ("automate", &["automate", "automation", "automatiser"]),
    (
        "process",
        &[
            "runbook",
            "process",
            "procedure",
            "playbook",
            "procédure",
            "documentation",
        ],
    ),
    ("prevent", &["prevent", "prevention", "prévenir"]),
    ("mitigate", &["mitigate", "mitigation"]),
    ("fix", &["fix", "bug", "patch", "corriger", "repair"]),
];

/// The configured kind one keyword of `text` names, when exactly one does.
fn infer_kind(text: &str, config: &Config) -> Option<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .collect();
    let mut found = KIND_WORDS.iter().filter(|(kind, keys)| {
        config.actions.kinds.iter().any(|k| k == kind) && keys.iter().any(|k| words.contains(k))
    });
    match (found.next(), found.next()) {
        (Some((kind, _)), None) => Some((*kind).to_owned()),
        _ => None,
    }
}

/// A kind written in a table's Type column, if it names a configured kind.
fn named_kind(text: &str, config: &Config) -> Option<String> {
    let lower = text.trim().to_lowercase();
    let lower = match lower.as_str() {
        "prevention" | "preventive" => "prevent",
        "mitigation" => "mitigate",
        "detection" => "detect",
        "repair" | "bugfix" => "fix",
        other => other,
    };
    config.actions.kinds.iter().find(|k| *k == lower).cloned()
}

#[derive(Default)]
struct Item {
    done: bool,
    text: String,
    owner: Option<String>,
    ticket: Option<String>,
    due: Option<String>,
    kind: Option<String>,
}

impl Item {
    fn write(&self, indent: &str) -> String {
        let mut meta = Vec::new();
        if let Some(owner) = &self.owner {
            let owner = owner.replace(',', ";");
            if owner.contains(' ') || owner.starts_with('@') {
                meta.push(format!("owner: {owner}"));
            } else {
                meta.push(format!("owner: @{owner}"));
            }
        }
        if let Some(due) = &self.due {
            meta.push(format!("due: {due}"));
        }
        if let Some(kind) = &self.kind {
            meta.push(format!("kind: {kind}"));
        }
        if let Some(ticket) = &self.ticket {
            meta.push(format!("ticket: {}", ticket.replace(',', ";")));
        }
        let check = if self.done { 'x' } else { ' ' };
        let group = if meta.is_empty() {
            String::new()
        } else {
            format!(" ({})", meta.join(", "))
        };
        format!("{indent}- [{check}] {}{group}", self.text)
    }
}

/// `[OPS-1](https://…)` → (`OPS-1`, the link).
fn link_text(cell: &str) -> (String, Option<String>) {
    let cell = cell.trim();
    match cell.strip_prefix('[').and_then(|r| r.split_once("](")) {
        Some((text, _)) => (text.to_owned(), Some(cell.to_owned())),
        None => (cell.to_owned(), None),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Text,
    Owner,
    Ticket,
    Status,
    Kind,
    Due,
    Other,
}

/// The columns lint reads ([`crate::parse::action_table::column`]), and
/// those only the import reads: a type or category, mapped to a kind when
/// it names one, and a date.
fn column(header: &str) -> Column {
    use crate::parse::action_table::Column as Read;
    match crate::parse::action_table::column(header) {
        Some(Read::Action) => Column::Text,
        Some(Read::Owner) => Column::Owner,
        Some(Read::Ticket) => Column::Ticket,
        Some(Read::Status) => Column::Status,
        Some(Read::Kind) => Column::Kind,
        Some(Read::Due) => Column::Due,
        Some(Read::Closed) | None => {
            match header.trim().trim_matches('*').to_lowercase().as_str() {
                "type" | "category" | "catégorie" => Column::Kind,
                "date" => Column::Due,
                _ => Column::Other,
            }
        }
    }
}

fn cells(row: &str) -> Vec<String> {
    row.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_owned())
        .collect()
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| "|-: ".contains(c))
}

pub fn normalize(lines: &[&str], config: &Config, notes: &mut Vec<Note>) -> Vec<String> {
    let mut out = Vec::new();
    let mut columns: Option<Vec<Column>> = None;
    let mut converted = 0;
    let mut iter = lines.iter().peekable();
    while let Some(line) = iter.next() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with('|') {
            if is_separator(trimmed) {
                continue;
            }
            if iter.peek().is_some_and(|next| is_separator(next)) {
                columns = Some(cells(trimmed).iter().map(|h| column(h)).collect());
                continue;
            }
            let Some(cols) = &columns else {
                out.push((*line).to_owned());
                continue;
            };
            out.push(row_item(cols, &cells(trimmed), config).write(""));
            converted += 1;
            continue;
        }
        columns = None;
        let Some(rest) = strip_marker(trimmed) else {
            out.push((*line).to_owned());
            continue;
        };
        if ["[ ]", "[x]", "[X]"].iter().any(|b| rest.starts_with(b)) {
            out.push((*line).to_owned());
            continue;
        }
        let lower = rest.to_lowercase();
        let done = rest.contains('✅')
            || lower.starts_with("done:")
            || lower.ends_with("(done)")
            || lower.ends_with("[done]");
        let item = Item {
            done,
            kind: infer_kind(rest, config).filter(|_| !rest.trim_end().ends_with(')')),
            text: rest.to_owned(),
            ..Item::default()
        };
        out.push(item.write(indent));
        converted += 1;
    }
    if converted > 0 {
        notes.push(Note::info(format!(
            "{converted} action item(s) written as task items"
        )));
    }
    out
}

fn row_item(columns: &[Column], row: &[String], config: &Config) -> Item {
    let mut item = Item::default();
    let mut text = Vec::new();
    let mut links = Vec::new();
    for (i, cell) in row.iter().enumerate() {
        if cell.is_empty() || cell == "-" || cell == "—" {
            continue;
        }
        match columns.get(i).copied().unwrap_or(Column::Other) {
            Column::Text => text.push(cell.clone()),
            Column::Owner => item.owner = Some(cell.clone()),
            Column::Ticket => {
                let (ticket, link) = link_text(cell);
                item.ticket = Some(ticket);
                links.extend(link);
            }
            Column::Status => {
                item.done = crate::parse::action_table::is_done(cell);
                if !item.done {
                    text.push(format!("status: {cell}"));
                }
            }
            Column::Kind => match named_kind(cell, config) {
                Some(kind) => item.kind = Some(kind),
                None => text.push(format!("type: {cell}")),
            },
            Column::Due if cell.parse::<jiff::civil::Date>().is_ok() => {
                item.due = Some(cell.clone())
            }
            Column::Due | Column::Other => text.push(cell.clone()),
        }
    }
    let mut text = text.join(" — ");
    for link in links {
        text.push_str(&format!(" — {link}"));
    }
    if item.kind.is_none() {
        item.kind = infer_kind(&text, config);
    }
    item.text = text;
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_and_tables_become_task_items() {
        let config = Config::default();
        let mut notes = Vec::new();
        let out = normalize(
            &[
                "- Add an alert on queue depth",
                "* Review the rollout process and the tests",
                "| Action | Type | Owner | Ticket | Status |",
                "|---|---|---|---|---|",
                "| Roll back | mitigation | bob | [OPS-9](https://t/OPS-9) | Done |",
                "| Write a runbook | Process | Jane Doe | OPS-10 | open |",
            ],
            &config,
            &mut notes,
        );
        assert_eq!(
            out,
            [
                "- [ ] Add an alert on queue depth (kind: detect)",
                "- [ ] Review the rollout process and the tests",
                "- [x] Roll back — [OPS-9](https://t/OPS-9) (owner: @bob, kind: mitigate, ticket: OPS-9)",
                "- [ ] Write a runbook — status: open (owner: Jane Doe, kind: process, ticket: OPS-10)",
            ]
        );
    }

    /// The import reads a table by the column names lint reads it by, and
    /// a status as lint does (`not done` is open).
    #[test]
    fn tables_are_read_by_the_columns_of_the_parse() {
        let config = Config::default();
        let mut notes = Vec::new();
        let out = normalize(
            &[
                "| Remediation | Assigned to | Target date | Category | State |",
                "|---|---|---|---|---|",
                "| Add a canary | maria | 2026-12-01 | Prevention | not done |",
            ],
            &config,
            &mut notes,
        );
        assert_eq!(
            out,
            [
                "- [ ] Add a canary — status: not done (owner: @maria, due: 2026-12-01, kind: prevent)"
            ]
        );
    }
}
