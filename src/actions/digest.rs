//! `pmbook actions --digest`: per owner, what is overdue, what is due in the
//! next [`WINDOW_DAYS`] days and what was closed in the last
//! [`WINDOW_DAYS`] (closing dates from the git history), with links to the
//! incident pages, as Markdown to post as an issue or a chat message, or as
//! JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};

use jiff::ToSpan;
use jiff::civil::Date;
use serde_json::json;

use super::history::History;
use super::{Action, Times};
use crate::time::utc_date;

/// How far ahead "due soon" and how far back "recently closed" look.
pub const WINDOW_DAYS: i64 = 14;

/// The digest of one owner (`None`: the items without one).
pub struct OwnerDigest<'a> {
    pub owner: Option<String>,
    /// Open, due before today, by due date.
    pub overdue: Vec<(&'a Action, Date)>,
    /// Open, due today through today + [`WINDOW_DAYS`], by due date.
    pub due_soon: Vec<(&'a Action, Date)>,
    /// Done, closed today − [`WINDOW_DAYS`] through today, by closing date.
    pub closed: Vec<(&'a Action, Date)>,
}

impl OwnerDigest<'_> {
    fn is_empty(&self) -> bool {
        self.overdue.is_empty() && self.due_soon.is_empty() && self.closed.is_empty()
    }
}

pub struct Digest<'a> {
    pub today: Date,
    /// `[site] url`, ending in `/`; links are relative without it.
    pub site_url: Option<String>,
    /// Owners in name order (case-insensitive), the items without owner
    /// last; owners with nothing to report are left out.
    pub owners: Vec<OwnerDigest<'a>>,
}

impl<'a> Digest<'a> {
    /// The digest of `actions` (sorted by due date, as the index is).
    pub fn of(
        actions: impl Iterator<Item = &'a Action>,
        history: &History,
        today: Date,
        site_url: Option<&str>,
    ) -> Digest<'a> {
        let soon = today.checked_add(WINDOW_DAYS.days()).unwrap_or(Date::MAX);
        let since = today.checked_sub(WINDOW_DAYS.days()).unwrap_or(Date::MIN);
        // Grouped without `@` and case; shown as first written.
        let mut by_owner: BTreeMap<(bool, String), OwnerDigest<'a>> = BTreeMap::new();
        for action in actions {
            let name = action.owner.as_deref().map(|o| o.trim_start_matches('@'));
            let group = by_owner
                .entry((
                    name.is_none(),
                    name.map(str::to_lowercase).unwrap_or_default(),
                ))
                .or_insert_with(|| OwnerDigest {
                    owner: name.map(str::to_owned),
                    overdue: Vec::new(),
                    due_soon: Vec::new(),
                    closed: Vec::new(),
                });
            if action.done() {
                let closed = Times::of(action, history.get(&action.key))
                    .closed
                    .map(|c| utc_date(c.at));
                if let Some(closed) = closed.filter(|c| (since..=today).contains(c)) {
                    group.closed.push((action, closed));
                }
            } else if let Some(due) = action.due {
                if due < today {
                    group.overdue.push((action, due));
                } else if due <= soon {
                    group.due_soon.push((action, due));
                }
            }
        }
        let mut owners: Vec<OwnerDigest> =
            by_owner.into_values().filter(|o| !o.is_empty()).collect();
        for owner in &mut owners {
            owner.closed.sort_by_key(|(_, date)| *date);
        }
        Digest {
            today,
            site_url: site_url.map(|u| format!("{}/", u.trim_end_matches('/'))),
            owners,
        }
    }

    /// The page of the incident that lists `action` first, if it has an id.
    fn url(&self, action: &Action) -> Option<String> {
        let id = action.first().postmortem.as_deref()?;
        Some(format!(
            "{}incidents/{id}.html",
            self.site_url.as_deref().unwrap_or_default()
        ))
    }
}

/// Markdown: a heading per owner (without `@`, so that posting the digest
/// does not notify everyone), a list per part.
pub fn markdown(digest: &Digest, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Action items, {}", digest.today)?;
    if digest.owners.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Nothing overdue, due in the next {WINDOW_DAYS} days or closed in the last {WINDOW_DAYS} days."
        )?;
    }
    let line = |action: &Action, what: String| {
        let mut line = format!("- {} — {what}", action.text);
        if let Some(ticket) = &action.ticket {
            line.push_str(&format!(" · ticket {ticket}"));
        }
        if let (Some(id), Some(url)) = (&action.first().postmortem, digest.url(action)) {
            line.push_str(&format!(" · [{id}]({url})"));
        }
        line
    };
    for owner in &digest.owners {
        writeln!(out)?;
        writeln!(out, "## {}", owner.owner.as_deref().unwrap_or("No owner"))?;
        let parts: [(String, Vec<String>); 3] = [
            (
                "Overdue".into(),
                owner
                    .overdue
                    .iter()
                    .map(|(a, due)| {
                        let late = (digest.today - *due).get_days();
                        let unit = if late == 1 { "day" } else { "days" };
                        line(a, format!("due {due}, {late} {unit} late"))
                    })
                    .collect(),
            ),
            (
                format!("Due in the next {WINDOW_DAYS} days"),
                owner
                    .due_soon
                    .iter()
                    .map(|(a, due)| line(a, format!("due {due}")))
                    .collect(),
            ),
            (
                format!("Closed in the last {WINDOW_DAYS} days"),
                owner
                    .closed
                    .iter()
                    .map(|(a, closed)| line(a, format!("closed {closed}")))
                    .collect(),
            ),
        ];
        for (title, lines) in parts.iter().filter(|(_, lines)| !lines.is_empty()) {
            writeln!(out)?;
            writeln!(out, "{title}:")?;
            writeln!(out)?;
            for line in lines {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// JSON: `today`, `window_days`, `site_url` and `owners`, each with its
/// `owner` and the `overdue`, `due_soon` and `closed` items (keys
/// documented in the book).
pub fn json(digest: &Digest, out: &mut dyn Write) -> io::Result<()> {
    let item = |action: &Action, closed: Option<Date>| {
        json!({
            "id": action.id,
            "text": action.text,
            "due": action.due.map(|d| d.to_string()),
            "closed_at": closed.map(|d| d.to_string()),
            "kind": action.kind,
            "ticket": action.ticket,
            "postmortem": action.first().postmortem,
            "url": digest.url(action),
        })
    };
    let owners: Vec<serde_json::Value> = digest
        .owners
        .iter()
        .map(|o| {
            json!({
                "owner": o.owner,
                "overdue": o.overdue.iter().map(|(a, _)| item(a, None)).collect::<Vec<_>>(),
                "due_soon": o.due_soon.iter().map(|(a, _)| item(a, None)).collect::<Vec<_>>(),
                "closed": o.closed.iter().map(|(a, c)| item(a, Some(*c))).collect::<Vec<_>>(),
            })
        })
        .collect();
    let value = json!({
        "today": digest.today.to_string(),
        "window_days": WINDOW_DAYS,
        "site_url": digest.site_url,
        "owners": owners,
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
