//! Action items written as a table in the Action items section:
//! `| Action | Owner | Due | Ticket | Status |`, one item per row.
//!
//! The header names the columns (without regard to case, with a few
//! synonyms); a table without an action column is not read. A row is a task
//! item, done when its status says so ([`is_done`]). A row carries no
//! explicit `id`: the text of its action cell is its text, metadata and all,
//! so the hook's cheap id scan, which reads task-list items only, agrees.

use crate::model::{ActionItem, Field, Span};

/// What a column of an action table holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Column {
    Action,
    Owner,
    Due,
    Ticket,
    Status,
    Kind,
    Closed,
}

/// The header names of each column, compared lowercased and trimmed.
const HEADERS: &[(Column, &[&str])] = &[
    (
        Column::Action,
        &[
            "action",
            "actions",
            "action item",
            "action items",
            "item",
            "task",
            "description",
            "what",
            "tâche",
            "remediation",
            "follow-up",
        ],
    ),
    (
        Column::Owner,
        &[
            "owner",
            "owners",
            "assignee",
            "assigned to",
            "responsible",
            "who",
            "responsable",
            "porteur",
        ],
    ),
    (
        Column::Due,
        &["due", "due date", "deadline", "target date", "échéance"],
    ),
    (
        Column::Ticket,
        &[
            "ticket", "tickets", "issue", "tracking", "jira", "link", "lien",
        ],
    ),
    (
        Column::Status,
        &["status", "state", "done", "état", "statut"],
    ),
    (Column::Kind, &["kind"]),
    (Column::Closed, &["closed", "closed on"]),
];

/// The words of a status cell that mean the item is done; any other status
/// (`open`, `in progress`, empty) is open.
const DONE: &[&str] = &[
    "done",
    "closed",
    "fixed",
    "complete",
    "completed",
    "resolved",
    "shipped",
    "yes",
    "✅",
    "✔",
    "✔️",
    "☑",
    "☑️",
    "[x]",
    "x",
    "fait",
    "terminé",
];

/// One cell: its text (lines joined, trimmed) and its span.
pub struct Cell {
    pub text: String,
    pub span: Span,
}

/// The action items of a table of `header` cells and `rows`, each with its
/// span; none when no column of the header is the action.
pub fn items(header: &[String], rows: Vec<(Span, Vec<Cell>)>) -> Vec<ActionItem> {
    let columns: Vec<Option<Column>> = header.iter().map(|h| column(h)).collect();
    if !columns.contains(&Some(Column::Action)) {
        return Vec::new();
    }
    let mut items = Vec::new();
    for (span, cells) in rows {
        let mut item = ActionItem {
            span,
            is_task: true,
            done: false,
            text: String::new(),
            owner: None,
            due: None,
            kind: None,
            ticket: None,
            id: None,
            closed: None,
            unknown_metadata: Vec::new(),
        };
        for (column, cell) in columns.iter().zip(cells) {
            let value =
                || (!is_blank(&cell.text)).then(|| Field::new(cell.text.clone(), cell.span));
            match column {
                Some(Column::Action) if item.text.is_empty() => item.text = cell.text.clone(),
                Some(Column::Owner) => {
                    item.owner = value().map(|mut owner| {
                        owner.value = owner.value.trim_start_matches('@').to_owned();
                        owner
                    })
                }
                Some(Column::Due) => item.due = value(),
                Some(Column::Ticket) => item.ticket = value(),
                Some(Column::Kind) => item.kind = value(),
                Some(Column::Closed) => item.closed = value(),
                Some(Column::Status) => item.done = is_done(&cell.text),
                _ => {}
            }
        }
        if !item.text.is_empty() {
            items.push(item);
        }
    }
    items
}

/// The column a header cell names, if any (`pmbook import` reads its
/// tables by the same names).
pub fn column(header: &str) -> Option<Column> {
    let key = header.trim().trim_matches(['*', '_']).trim().to_lowercase();
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(column, _)| *column)
}

/// Whether a status cell says the item is done: `Done`, `Closed`, `Fixed`,
/// `✅`… (the first word, without regard to case or emphasis).
pub fn is_done(status: &str) -> bool {
    let status = status
        .trim()
        .trim_matches(['*', '_', '`'])
        .trim()
        .to_lowercase();
    let first = status
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(')
        .next()
        .unwrap_or_default();
    DONE.contains(&status.as_str()) || DONE.contains(&first)
}

/// A cell that says nothing: empty, a dash, `n/a`, `TBD`.
fn is_blank(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "" | "-" | "—" | "–" | "n/a" | "na" | "tbd" | "?"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Cell {
        Cell {
            text: text.to_owned(),
            span: Span::default(),
        }
    }

    #[test]
    fn columns_are_named_by_the_header_in_any_case() {
        let header: Vec<String> = ["ACTION", "Assignee", "Due date", "Jira", "State"]
            .map(str::to_owned)
            .into();
        let rows = vec![
            (
                Span::default(),
                vec![
                    cell("Add a canary"),
                    cell("@maria"),
                    cell("2026-12-01"),
                    cell("OPS-1"),
                    cell("Closed"),
                ],
            ),
            (
                Span::default(),
                vec![
                    cell("Alert on errors"),
                    cell("—"),
                    cell(""),
                    cell("OPS-2"),
                    cell("In progress"),
                ],
            ),
            (Span::default(), vec![cell(""), cell("tom")]),
        ];
        let items = items(&header, rows);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].text, "Add a canary");
        assert_eq!(items[0].owner.as_ref().unwrap().value, "maria");
        assert_eq!(items[0].due.as_ref().unwrap().value, "2026-12-01");
        assert!(items[0].done);
        assert!(items[1].owner.is_none() && items[1].due.is_none());
        assert!(!items[1].done);
    }

    #[test]
    fn a_table_without_an_action_column_is_not_read() {
        let header: Vec<String> = ["Owner", "Status"].map(str::to_owned).into();
        let rows = vec![(Span::default(), vec![cell("maria"), cell("done")])];
        assert!(items(&header, rows).is_empty());
    }

    #[test]
    fn done_statuses() {
        for done in [
            "done",
            "Closed",
            "FIXED",
            "✅",
            "✅ done",
            "**Done**",
            "Fixed (v2)",
            "terminé",
        ] {
            assert!(is_done(done), "{done}");
        }
        for open in ["open", "In progress", "", "not done", "todo", "wontfix"] {
            assert!(!is_done(open), "{open}");
        }
    }
}
