//! `pmbook actions --tracker FILE`: the items whose ticket disagrees with
//! the tracker's export (see [`super::tracker`]), as a list for people,
//! JSON for tools, or a Markdown table to paste into an issue.

use std::io::{self, Write};

use serde_json::json;

use super::Action;
use super::render::escape;
use super::tracker::{Disagreement, Tracker};

/// An item whose ticket disagrees with the tracker.
pub struct Finding<'a> {
    pub action: &'a Action,
    pub ticket: &'a str,
    pub disagreement: Disagreement<'a>,
}

/// The findings of the items of `actions` that have a ticket, in their
/// order; `checked` is how many have one.
pub fn reconcile<'a>(
    actions: impl Iterator<Item = &'a Action>,
    tracker: &'a Tracker,
    ticket_url: Option<&str>,
) -> (Vec<Finding<'a>>, usize) {
    let mut checked = 0;
    let mut findings = Vec::new();
    for action in actions {
        let Some(ticket) = action.ticket.as_deref() else {
            continue;
        };
        checked += 1;
        if let Some(disagreement) = tracker.check(ticket, action.done(), ticket_url) {
            findings.push(Finding {
                action,
                ticket,
                disagreement,
            });
        }
    }
    (findings, checked)
}

fn summary(findings: &[Finding], checked: usize, export: &str) -> String {
    let items = if checked == 1 { "item" } else { "items" };
    match findings.len() {
        0 => format!("{checked} {items} with a ticket checked against {export}: all agree"),
        1 => format!("{checked} {items} with a ticket checked against {export}: 1 disagreement"),
        n => format!("{checked} {items} with a ticket checked against {export}: {n} disagreements"),
    }
}

/// One line per finding, `path:line: what (owner): item`, then a summary.
pub fn text(
    findings: &[Finding],
    checked: usize,
    export: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    for f in findings {
        let first = f.action.first();
        let owner = f
            .action
            .owner
            .as_deref()
            .map_or(String::new(), |o| format!(" (owner: {o})"));
        writeln!(
            out,
            "{}:{}: {}{owner}: {}",
            first.path,
            first.line,
            f.disagreement.describe(f.ticket),
            f.action.text
        )?;
    }
    if !findings.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary(findings, checked, export))
}

/// A Markdown table (owners without `@`, as in `pmbook actions --format
/// markdown`), then the summary.
pub fn markdown(
    findings: &[Finding],
    checked: usize,
    export: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    if !findings.is_empty() {
        writeln!(out, "| Ticket | Disagreement | Owner | Postmortem | Item |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for f in findings {
            let what = match f.disagreement {
                Disagreement::TicketClosed(t) => format!("ticket closed ({}), item open", t.status),
                Disagreement::TicketOpen(t) => format!("item done, ticket open ({})", t.status),
                Disagreement::Unknown => "ticket not in the export".into(),
            };
            let first = f.action.first();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                escape(f.ticket),
                escape(&what),
                escape(f.action.owner.as_deref().unwrap_or("-")),
                escape(first.postmortem.as_deref().unwrap_or(&first.path)),
                escape(&f.action.text)
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", summary(findings, checked, export))
}

/// An array of objects, one per finding (keys documented in the book).
pub fn json(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let values: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let first = f.action.first();
            let (status, closed_at) = match f.disagreement {
                Disagreement::TicketClosed(t) | Disagreement::TicketOpen(t) => {
                    (Some(t.status.as_str()), t.closed_at.as_deref())
                }
                Disagreement::Unknown => (None, None),
            };
            json!({
                "disagreement": f.disagreement.name(),
                "ticket": f.ticket,
                "ticket_status": status,
                "ticket_closed_at": closed_at,
                "item_status": if f.action.done() { "done" } else { "open" },
                "id": f.action.id,
                "postmortem": first.postmortem,
                "path": first.path,
                "line": first.line,
                "owner": f.action.owner,
                "text": f.action.text,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &values)?;
    writeln!(out)
}
