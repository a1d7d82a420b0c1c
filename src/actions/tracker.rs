//! The ticket tracker's word on action items: an export of the tracker
//! (GitHub's `gh issue list --json number,state,title,closedAt,url`, or
//! Jira's CSV export), and where an item's `ticket` disagrees with it.
//!
//! A ticket is matched by reference, however it is written: GitHub issues
//! by number (`#123`, `123`, `owner/repo#123` or the issue's URL), Jira
//! issues by key (`OPS-12`, any case, or a `…/browse/OPS-12` URL). A bare
//! number takes its repository from `[actions] ticket_url` when that is a
//! GitHub issue URL.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::config::Project;
use crate::error::Error;

/// What a ticket is called, once its spelling is set aside.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reference {
    /// A GitHub issue or pull request; `repo` is `owner/name`, lowercase,
    /// when known.
    Issue { repo: Option<String>, number: u64 },
    /// A Jira issue key, uppercase.
    Key(String),
}

impl Reference {
    /// The reference of a ticket as written in a postmortem; `None` for
    /// free text that names no ticket.
    pub fn parse(ticket: &str, ticket_url: Option<&str>) -> Option<Reference> {
        let ticket = ticket.trim();
        let found = if ticket.contains("://") {
            from_url(ticket)
        } else if let Some((repo, number)) = ticket.split_once('#') {
            let number = number.parse().ok()?;
            let repo = (!repo.is_empty() && repo.contains('/')).then(|| repo.to_lowercase());
            // `#123`, or `owner/repo#123`.
            if repo.is_none() && !ticket.starts_with('#') {
                return None;
            }
            Some(Reference::Issue { repo, number })
        } else if let Ok(number) = ticket.parse() {
            Some(Reference::Issue { repo: None, number })
        } else if is_key(ticket) {
            Some(Reference::Key(ticket.to_uppercase()))
        } else {
            None
        };
        match found {
            // A bare number belongs to the repository of `ticket_url`.
            Some(Reference::Issue { repo: None, number }) => {
                let repo = ticket_url
                    .map(|url| url.replace("{ticket}", &number.to_string()))
                    .and_then(|url| match from_url(&url) {
                        Some(Reference::Issue { repo, .. }) => repo,
                        _ => None,
                    });
                Some(Reference::Issue { repo, number })
            }
            found => found,
        }
    }
}

/// A Jira key: a project key (a letter, then letters, digits or `_`), a
/// dash and a number.
fn is_key(text: &str) -> bool {
    let Some((project, number)) = text.rsplit_once('-') else {
        return false;
    };
    let mut chars = project.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

/// The reference of a tracker URL: `…/owner/repo/issues/12` (or `pull`),
/// or a last path segment that is a Jira key (`…/browse/OPS-12`).
fn from_url(url: &str) -> Option<Reference> {
    let rest = url.split_once("://")?.1;
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // segments[0] is the host.
    if let Some(at) = segments
        .iter()
        .rposition(|s| *s == "issues" || *s == "pull")
        && let Some(number) = segments.get(at + 1).and_then(|n| n.parse().ok())
    {
        let repo = (at >= 3).then(|| format!("{}/{}", segments[at - 2], segments[at - 1]));
        return Some(Reference::Issue {
            repo: repo.map(|r| r.to_lowercase()),
            number,
        });
    }
    let last = segments.get(1..)?.last()?;
    is_key(last).then(|| Reference::Key(last.to_uppercase()))
}

/// A ticket of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub reference: Reference,
    /// As the tracker writes it (`CLOSED`, `In Progress`).
    pub status: String,
    pub closed: bool,
    /// When it was closed, as the tracker writes it.
    pub closed_at: Option<String>,
}

/// The tickets of a tracker export.
#[derive(Debug, Default)]
pub struct Tracker {
    /// By number or key; several repositories may share a number.
    tickets: HashMap<Lookup, Vec<Ticket>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Lookup {
    Number(u64),
    Key(String),
}

/// How an item and its ticket disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disagreement<'a> {
    /// The ticket is closed, the item open.
    TicketClosed(&'a Ticket),
    /// The item is done, the ticket open.
    TicketOpen(&'a Ticket),
    /// The export has no such ticket.
    Unknown,
}

impl Disagreement<'_> {
    /// A short name, for JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Disagreement::TicketClosed(_) => "ticket-closed",
            Disagreement::TicketOpen(_) => "ticket-open",
            Disagreement::Unknown => "ticket-unknown",
        }
    }

    /// What it means, as a sentence fragment about the ticket.
    pub fn describe(&self, ticket: &str) -> String {
        match self {
            Disagreement::TicketClosed(t) => match &t.closed_at {
                Some(at) => format!(
                    "ticket {ticket} is closed ({}, {at}) but the item is open",
                    t.status
                ),
                None => format!(
                    "ticket {ticket} is closed ({}) but the item is open",
                    t.status
                ),
            },
            Disagreement::TicketOpen(t) => {
                format!(
                    "the item is done but ticket {ticket} is open ({})",
                    t.status
                )
            }
            Disagreement::Unknown => format!("ticket {ticket} is not in the tracker export"),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            Disagreement::TicketClosed(_) => {
                "check the item (`- [x]`) if the work is done, or reopen the ticket"
            }
            Disagreement::TicketOpen(_) => {
                "close the ticket, or uncheck the item if the work is not done"
            }
            Disagreement::Unknown => {
                "fix the ticket reference, or export closed tickets too (`gh issue list --state all`)"
            }
        }
    }
}

impl Tracker {
    /// The ticket `ticket` (as written in a postmortem) refers to.
    pub fn find(&self, ticket: &str, ticket_url: Option<&str>) -> Option<&Ticket> {
        match Reference::parse(ticket, ticket_url)? {
            Reference::Key(key) => self.tickets.get(&Lookup::Key(key))?.first(),
            Reference::Issue { repo, number } => {
                self.tickets.get(&Lookup::Number(number))?.iter().find(|t| {
                    match (&repo, &t.reference) {
                        (Some(wanted), Reference::Issue { repo: Some(r), .. }) => wanted == r,
                        _ => true,
                    }
                })
            }
        }
    }

    /// How an item (done or not) with `ticket` disagrees with the tracker.
    pub fn check(
        &self,
        ticket: &str,
        done: bool,
        ticket_url: Option<&str>,
    ) -> Option<Disagreement<'_>> {
        match self.find(ticket, ticket_url) {
            None => Some(Disagreement::Unknown),
            Some(t) if t.closed && !done => Some(Disagreement::TicketClosed(t)),
            Some(t) if !t.closed && done => Some(Disagreement::TicketOpen(t)),
            Some(_) => None,
        }
    }

    fn add(&mut self, ticket: Ticket) {
        let lookup = match &ticket.reference {
            Reference::Issue { number, .. } => Lookup::Number(*number),
            Reference::Key(key) => Lookup::Key(key.clone()),
        };
        self.tickets.entry(lookup).or_default().push(ticket);
    }

    /// Reads the export at `path`; the error names the file and why it
    /// cannot be read.
    pub fn load(path: &Path) -> Result<Tracker, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::Config(format!(
                "{}: the tracker export is not UTF-8 text",
                path.display()
            ))
        })?;
        Tracker::parse(&text).map_err(|reason| {
            Error::Config(format!(
                "{}: not a tracker export pmbook can read: {reason}",
                path.display()
            ))
        })
    }

    /// Reads an export: JSON when it starts with `[` or `{`, else CSV.
    pub fn parse(text: &str) -> Result<Tracker, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        match text.trim_start().chars().next() {
            None => Err("the file is empty".into()),
            Some('[' | '{') => github(text),
            Some(_) => jira(text),
        }
    }

    /// The tracker of `[actions] tracker`, read relative to the project
    /// directory; `None` when it is not set.
    pub fn configured(project: &Project) -> Result<Option<Tracker>, Error> {
        let Some(path) = &project.config.actions.tracker else {
            return Ok(None);
        };
        Tracker::load(&project.root.join(path)).map(Some)
    }
}

#[derive(Deserialize)]
struct GithubIssue {
    number: u64,
    state: String,
    #[serde(rename = "closedAt")]
    closed_at: Option<String>,
    url: Option<String>,
}

/// `gh issue list --json number,state,title,closedAt,url`: an array of
/// issues (or pull requests, whose `MERGED` is closed).
fn github(text: &str) -> Result<Tracker, String> {
    let issues: Vec<GithubIssue> = serde_json::from_str(text).map_err(|e| {
        format!(
            "line {}, column {}: {e} (expected the output of `gh issue list --json number,state,title,closedAt,url`)",
            e.line(),
            e.column()
        )
    })?;
    let mut tracker = Tracker::default();
    for issue in issues {
        let closed = match issue.state.to_ascii_uppercase().as_str() {
            "OPEN" => false,
            "CLOSED" | "MERGED" => true,
            other => {
                return Err(format!(
                    "issue #{} has state `{other}`, expected OPEN or CLOSED",
                    issue.number
                ));
            }
        };
        let repo = issue.url.as_deref().and_then(|url| match from_url(url) {
            Some(Reference::Issue { repo, .. }) => repo,
            _ => None,
        });
        tracker.add(Ticket {
            reference: Reference::Issue {
                repo,
                number: issue.number,
            },
            status: issue.state,
            closed,
            closed_at: issue.closed_at.filter(|at| !at.is_empty()),
        });
    }
    Ok(tracker)
}

/// Jira statuses that mean the work is over, when the export has neither a
/// `Resolved` date nor a `Status Category`.
const JIRA_CLOSED: [&str; 7] = [
    "done",
    "closed",
    "resolved",
    "won't do",
    "won't fix",
    "cancelled",
    "canceled",
];

/// Jira's CSV export: one row per issue, with at least the `Issue key` and
/// `Status` columns. An issue is closed when its `Resolved` date is set,
/// its `Status Category` is `Done`, or its status is one of
/// [`JIRA_CLOSED`].
fn jira(text: &str) -> Result<Tracker, String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(&e))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect::<Vec<String>>();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(key_at), Some(status_at)) = (column("Issue key"), column("Status")) else {
        return Err(
            "neither JSON (GitHub: `gh issue list --json number,state,title,closedAt,url`) nor a Jira CSV export with `Issue key` and `Status` columns".into(),
        );
    };
    let resolved_at = column("Resolved");
    let category_at = column("Status Category");
    let mut tracker = Tracker::default();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |at: Option<usize>| {
            at.and_then(|at| record.get(at))
                .map(str::trim)
                .filter(|c| !c.is_empty())
        };
        let Some(key) = cell(Some(key_at)) else {
            return Err(format!("line {line}: the `Issue key` is empty"));
        };
        if !is_key(key) {
            return Err(format!(
                "line {line}: `{key}` is not a Jira issue key (like OPS-12)"
            ));
        }
        let status = cell(Some(status_at)).unwrap_or_default().to_owned();
        let resolved = cell(resolved_at).map(str::to_owned);
        let closed = resolved.is_some()
            || cell(category_at).is_some_and(|c| c.eq_ignore_ascii_case("done"))
            || JIRA_CLOSED.contains(&status.to_lowercase().as_str());
        tracker.add(Ticket {
            reference: Reference::Key(key.to_uppercase()),
            status,
            closed,
            closed_at: resolved,
        });
    }
    Ok(tracker)
}

fn csv_error(e: &csv::Error) -> String {
    match e.position() {
        Some(at) => format!("line {}: {}", at.line(), csv_reason(e)),
        None => csv_reason(e),
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(repo: Option<&str>, number: u64) -> Option<Reference> {
        Some(Reference::Issue {
            repo: repo.map(str::to_owned),
            number,
        })
    }

    #[test]
    fn tickets_are_read_however_they_are_written() {
        let url = Some("https://github.com/Acme/Shop/issues/{ticket}");
        assert_eq!(Reference::parse("#12", None), issue(None, 12));
        assert_eq!(Reference::parse("12", url), issue(Some("acme/shop"), 12));
        assert_eq!(Reference::parse("#12", url), issue(Some("acme/shop"), 12));
        assert_eq!(
            Reference::parse("acme/web#7", url),
            issue(Some("acme/web"), 7)
        );
        assert_eq!(
            Reference::parse("https://github.com/acme/web/pull/7/files", None),
            issue(Some("acme/web"), 7)
        );
        assert_eq!(
            Reference::parse("ops-12", None),
            Some(Reference::Key("OPS-12".into()))
        );
        assert_eq!(
            Reference::parse("https://acme.atlassian.net/browse/OPS-12?focus=1", None),
            Some(Reference::Key("OPS-12".into()))
        );
        assert_eq!(Reference::parse("see the runbook", None), None);
        assert_eq!(Reference::parse("foo#12", None), None);
        assert_eq!(Reference::parse("OPS-", None), None);
    }

    #[test]
    fn a_repository_is_matched_only_when_both_sides_name_one() {
        let tracker = github(
            r#"[{"number":3,"state":"OPEN","url":"https://github.com/acme/shop/issues/3"}]"#,
        )
        .expect("parses");
        assert!(tracker.find("#3", None).is_some());
        assert!(tracker.find("acme/shop#3", None).is_some());
        assert!(tracker.find("acme/web#3", None).is_none());
    }
}
