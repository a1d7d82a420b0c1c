//! The output formats of `pmbook actions`: an aligned table for people,
//! JSON and CSV for tools (the same columns, documented in the book), and a
//! Markdown table to paste into an issue.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Row;
use super::stats::{ActionStats, HistorySummary};
use crate::text::{capitalize, format_share, url_component};
use crate::time::utc_date;

/// The columns of JSON and CSV, in order.
pub const COLUMNS: [&str; 11] = [
    "id",
    "postmortem",
    "path",
    "line",
    "text",
    "status",
    "owner",
    "due",
    "kind",
    "ticket",
    "overdue",
];

/// The columns `--history` adds.
pub const HISTORY_COLUMNS: [&str; 5] = [
    "opened_at",
    "opened_commit",
    "closed_at",
    "closed_commit",
    "days_to_close",
];

/// A value of a JSON or CSV column.
enum Value {
    Null,
    Text(String),
    Integer(usize),
    Bool(bool),
    /// Days, rounded to one decimal.
    Days(f64),
}

fn text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, |v| Value::Text(v.to_owned()))
}

/// The values of `row`, in the order of [`COLUMNS`] then, with history,
/// [`HISTORY_COLUMNS`].
fn values(row: &Row) -> Vec<Value> {
    let action = row.action;
    let first = action.first();
    let mut values = vec![
        text(action.id.as_deref()),
        text(first.postmortem.as_deref()),
        Value::Text(first.path.clone()),
        Value::Integer(first.line),
        Value::Text(action.text.clone()),
        Value::Text(status(row, false).to_owned()),
        text(action.owner.as_deref()),
        action
            .due
            .map_or(Value::Null, |d| Value::Text(d.to_string())),
        text(action.kind.as_deref()),
        text(action.ticket.as_deref()),
        Value::Bool(row.overdue),
    ];
    if let Some(times) = row.history {
        let stamp = |s: Option<super::Stamp>| {
            s.map_or((Value::Null, Value::Null), |s| {
                (
                    Value::Text(s.at.to_string()),
                    Value::Text(s.commit.to_string()),
                )
            })
        };
        let (opened_at, opened_commit) = stamp(times.opened);
        let (closed_at, closed_commit) = stamp(times.closed);
        values.extend([opened_at, opened_commit, closed_at, closed_commit]);
        values.push(
            times
                .days_to_close()
                .map_or(Value::Null, |d| Value::Days((d * 10.0).round() / 10.0)),
        );
    }
    values
}

fn status(row: &Row, mark_overdue: bool) -> &'static str {
    match (row.action.done(), row.overdue && mark_overdue) {
        (true, _) => "done",
        (false, true) => "overdue",
        (false, false) => "open",
    }
}

fn columns(history: bool) -> impl Iterator<Item = &'static str> {
    let extra: &[&str] = if history { &HISTORY_COLUMNS } else { &[] };
    COLUMNS.iter().chain(extra).copied()
}

/// One row as a JSON object, keys in column order.
struct JsonRow<'a>(&'a Row<'a>);

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let values = values(self.0);
        let mut map = serializer.serialize_map(Some(values.len()))?;
        for (key, value) in columns(self.0.history.is_some()).zip(values) {
            match value {
                Value::Null => map.serialize_entry(key, &())?,
                Value::Text(t) => map.serialize_entry(key, &t)?,
                Value::Integer(n) => map.serialize_entry(key, &n)?,
                Value::Bool(b) => map.serialize_entry(key, &b)?,
                Value::Days(d) => map.serialize_entry(key, &d)?,
            }
        }
        map.end()
    }
}

pub fn json(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<JsonRow> = rows.iter().map(JsonRow).collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}

/// CSV as RFC 4180 describes it: a header row, CRLF line ends, and fields
/// holding a comma, a quote or a line break quoted, with quotes doubled.
/// Missing values are empty fields.
pub fn csv(rows: &[Row], history: bool, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<&str> = columns(history).collect();
    write!(out, "{}\r\n", header.join(","))?;
    for row in rows {
        let fields: Vec<String> = values(row)
            .into_iter()
            .map(|value| match value {
                Value::Null => String::new(),
                Value::Text(t) => csv_field(&t),
                Value::Integer(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Days(d) => format!("{d:.1}"),
            })
            .collect();
        write!(out, "{}\r\n", fields.join(","))?;
    }
    Ok(())
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The summary under the table and the Markdown table.
pub struct Summary {
    pub counts: ActionStats,
    pub history: Option<HistorySummary>,
    /// `1 draft left out: …`, when drafts are left out.
    pub drafts: Option<String>,
}

/// The cells of the table and Markdown formats.
fn cells(row: &Row) -> Vec<String> {
    let action = row.action;
    let or_dash = |v: Option<&str>| v.unwrap_or("-").to_owned();
    let mut cells = vec![
        action.due.map_or("-".into(), |d| d.to_string()),
        status(row, true).to_owned(),
        or_dash(action.owner.as_deref()),
        or_dash(action.kind.as_deref()),
        or_dash(action.ticket.as_deref()),
        or_dash(action.first().postmortem.as_deref()),
    ];
    if let Some(times) = row.history {
        let date = |s: Option<super::Stamp>| s.map_or("-".into(), |s| utc_date(s.at).to_string());
        cells.push(date(times.opened));
        cells.push(date(times.closed));
        cells.push(
            times
                .days_to_close()
                .map_or("-".into(), |d| format!("{d:.1}")),
        );
    }
    cells.push(action.text.clone());
    cells
}

fn headers(history: bool) -> Vec<&'static str> {
    let mut headers = vec!["due", "status", "owner", "kind", "ticket", "postmortem"];
    if history {
        headers.extend(["opened", "closed", "days"]);
    }
    headers.push("item");
    headers
}

/// An aligned table; overdue items in red when colour is on.
pub fn table(rows: &[Row], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let history = summary.history.is_some();
    if rows.is_empty() {
        writeln!(out, "no action items match")?;
    } else {
        let headers: Vec<String> = headers(history)
            .into_iter()
            .map(str::to_uppercase)
            .collect();
        let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
        let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for cells in &body {
            for (width, cell) in widths.iter_mut().zip(cells) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut line = String::new();
            for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
                if i + 1 == cells.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(&format!("{cell:<width$}  "));
                }
            }
            line
        };
        let bold = Style::new().bold();
        writeln!(out, "{bold}{}{bold:#}", line(&headers))?;
        let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
        for (row, cells) in rows.iter().zip(&body) {
            if row.overdue {
                writeln!(out, "{red}{}{red:#}", line(cells))?;
            } else {
                writeln!(out, "{}", line(cells))?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", counts_line(summary))?;
    if let Some(history) = &summary.history {
        let rows: Vec<[String; 4]> = std::iter::once([
            "days to close".to_owned(),
            "items".into(),
            "median".into(),
            "p90".into(),
        ])
        .chain(history.groups.iter().map(|g| {
            [
                g.label.clone(),
                g.items.to_string(),
                days(g.median),
                days(g.p90),
            ]
        }))
        .collect();
        let first = rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
        for r in &rows {
            writeln!(
                out,
                "{:<first$}  {:>5}  {:>6}  {:>6}",
                r[0], r[1], r[2], r[3]
            )?;
        }
        writeln!(out, "{}", late_line(history))?;
    }
    Ok(())
}

/// The link of `ticket`: `pattern` (`[actions] ticket_url`) with
/// `{ticket}` replaced by the ticket, percent-encoded.
pub fn ticket_link(pattern: &str, ticket: &str) -> String {
    pattern.replace("{ticket}", &url_component(ticket))
}

/// A Markdown table; `|` in a cell is escaped, tickets link to
/// `[actions] ticket_url` when it is set. Owners are written without `@`,
/// so that pasting the table does not notify everyone.
pub fn markdown(
    rows: &[Row],
    summary: &Summary,
    ticket_url: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let history = summary.history.is_some();
    let headers = headers(history);
    let titles: Vec<String> = headers.iter().map(|h| capitalize(h)).collect();
    writeln!(out, "| {} |", titles.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(headers.len()))?;
    for row in rows {
        let mut cells: Vec<String> = cells(row).iter().map(|c| escape(c)).collect();
        if let (Some(url), Some(ticket)) = (ticket_url, &row.action.ticket) {
            let link = ticket_link(url, ticket);
            cells[4] = format!("[{}]({})", escape(ticket), escape(&link));
        }
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    writeln!(out)?;
    writeln!(out, "{}", counts_line(summary))?;
    if let Some(history) = &summary.history {
        writeln!(out)?;
        writeln!(out, "| Days to close | Items | Median | p90 |")?;
        writeln!(out, "|---|--:|--:|--:|")?;
        for g in &history.groups {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape(&g.label),
                g.items,
                days(g.median),
                days(g.p90)
            )?;
        }
        writeln!(out)?;
        writeln!(out, "{}", late_line(history))?;
    }
    Ok(())
}

fn counts_line(summary: &Summary) -> String {
    let counts = &summary.counts;
    let rate = match counts.closure_rate {
        Some(rate) => format!(
            "closure rate {} ({} of {})",
            format_share(Some(rate)),
            counts.done,
            counts.open + counts.done
        ),
        None => "closure rate n/a (no items)".into(),
    };
    let mut line = format!(
        "{} open ({} overdue), {} done; {rate}",
        counts.open, counts.overdue, counts.done
    );
    if let Some(drafts) = &summary.drafts {
        line.push_str(&format!("\n{drafts} (--include-drafts counts them)"));
    }
    line
}

fn late_line(history: &HistorySummary) -> String {
    format!(
        "past due: {} closed after their due date, {} open and overdue",
        history.closed_late, history.open_late
    )
}

fn days(value: Option<f64>) -> String {
    value.map_or("-".into(), |d| format!("{d:.1}"))
}

pub(super) fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain text"), "plain text");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn markdown_escaping() {
        assert_eq!(escape("a | b"), "a \\| b");
    }
}
