//! Action items across the repository: one index of every task item of
//! every postmortem's Action items section, the filters of `pmbook
//! actions`, and (in [`history`]) when each item was opened and closed.
//!
//! An item's identity is its explicit `id:` when it has one, else its
//! postmortem's id and its normalized text. Items with the same identity and
//! text are one item listed in several places (a follow-up shared by two
//! postmortems): it is done only when every copy is checked, so that a stale
//! box keeps showing up until it is fixed.

pub mod digest;
pub mod history;
pub mod past_sla;
pub mod reconcile;
pub mod render;
pub mod stats;
pub mod tracker;

use std::collections::HashMap;

use jiff::civil::Date;

use self::history::{Record, Stamp};
use crate::config::Config;
use crate::corpus::Corpus;
use crate::model::{ActionItem, Postmortem};

/// How an action item is recognised across files, edits and commits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// The item's explicit `id:`.
    Explicit(String),
    /// The postmortem's id (its path when it has none) and the item's
    /// normalized text.
    Implicit { postmortem: String, text: String },
}

impl Key {
    /// The identity of `item` of the postmortem `postmortem` (its id, or
    /// its path when it has none).
    pub fn of(postmortem: &str, item: &ActionItem) -> Key {
        match &item.id {
            Some(id) => Key::Explicit(id.value.clone()),
            None => Key::Implicit {
                postmortem: postmortem.to_owned(),
                text: item.normalized_text(),
            },
        }
    }
}

/// One place an item is listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub postmortem: Option<String>,
    pub path: String,
    pub line: usize,
    pub done: bool,
    pub services: Vec<String>,
    pub severity: Option<String>,
}

/// An action item, with what its first listing says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub key: Key,
    /// The explicit `id:`, if any.
    pub id: Option<String>,
    pub text: String,
    pub owner: Option<String>,
    /// `None` when missing or not a valid date (`lint` reports that).
    pub due: Option<Date>,
    pub kind: Option<String>,
    pub ticket: Option<String>,
    /// Every copy of the item: sorted by postmortem id and path, the first
    /// is the one shown.
    pub listings: Vec<Listing>,
}

impl Action {
    /// The listing the item is shown under.
    pub fn first(&self) -> &Listing {
        &self.listings[0]
    }

    /// Done when every copy is checked.
    pub fn done(&self) -> bool {
        self.listings.iter().all(|l| l.done)
    }

    /// Open and due before `today`.
    pub fn overdue(&self, today: Date) -> bool {
        !self.done() && self.due.is_some_and(|due| due < today)
    }

    /// The severity of the first listing that has one.
    pub fn severity(&self) -> Option<&str> {
        self.listings.iter().find_map(|l| l.severity.as_deref())
    }
}

/// The action items of a project, and the drafts left out of them.
#[derive(Default)]
pub struct Indexed {
    /// Merged by identity, sorted (see [`merge`]).
    pub actions: Vec<Action>,
    /// Paths of the drafts whose items are left out, in file-name order.
    pub drafts: Vec<String>,
    /// The versions read, for [`history::read`], when asked.
    pub versions: Vec<history::Version>,
}

/// Every action item of the postmortems of `corpus`, merged by identity
/// and sorted by due date (undated last), postmortem, path and line;
/// drafts (see [`crate::drafts`]) are left out unless `include_drafts`.
/// Each model is dropped once its items (and, with `versions`, what the
/// history needs of it) are taken.
pub fn index(corpus: Corpus, config: &Config, include_drafts: bool, versions: bool) -> Indexed {
    let parsed = corpus.map(config, |pm| {
        let version = versions.then(|| history::Version::of(&pm)).flatten();
        (of_postmortem(&pm, config, include_drafts), version)
    });
    let mut indexed = Indexed::default();
    let mut items = Vec::new();
    for ((draft, actions), version) in parsed {
        indexed.drafts.extend(draft);
        items.extend(actions);
        indexed.versions.extend(version);
    }
    indexed.actions = merge(items);
    indexed
}

/// The action items of `pm`, or its path when it is a draft left out.
pub fn of_postmortem(
    pm: &Postmortem,
    config: &Config,
    include_drafts: bool,
) -> (Option<String>, Vec<Action>) {
    if pm.file_problem.is_some() {
        return (None, Vec::new());
    }
    if !include_drafts && crate::drafts::is_draft(config, pm.status()) {
        return (Some(pm.path.clone()), Vec::new());
    }
    (None, actions_of(pm))
}

/// The task items of one postmortem, one [`Action`] each (plain list
/// items are mistakes `lint` reports, not action items).
pub fn actions_of(pm: &Postmortem) -> Vec<Action> {
    let fm = pm.front_matter.as_ref();
    let postmortem = pm.id().map(str::to_owned);
    let services: Vec<String> = fm
        .and_then(|fm| fm.services.as_ref())
        .map(|s| s.value.iter().map(|f| f.value.clone()).collect())
        .unwrap_or_default();
    let severity = fm
        .and_then(|fm| fm.severity.as_ref())
        .map(|f| f.value.clone());
    let value =
        |field: &Option<crate::model::Field<String>>| field.as_ref().map(|f| f.value.clone());
    pm.actions
        .iter()
        .filter(|item| item.is_task)
        .map(|item| Action {
            key: Key::of(postmortem.as_deref().unwrap_or(&pm.path), item),
            id: value(&item.id),
            text: item.text.clone(),
            owner: value(&item.owner),
            due: item.due_date(),
            kind: value(&item.kind),
            ticket: value(&item.ticket),
            listings: vec![Listing {
                postmortem: postmortem.clone(),
                path: pm.path.clone(),
                line: pm.source.position(item.span.start).line,
                done: item.done,
                services: services.clone(),
                severity: severity.clone(),
            }],
        })
        .collect()
}

/// Merges the copies of each item (same identity, same normalized text)
/// and sorts the result. Two different items with one explicit id stay
/// apart: `duplicate-action-id` reports them.
pub fn merge(mut items: Vec<Action>) -> Vec<Action> {
    items.sort_by(|a, b| listing_order(a.first(), b.first()));
    let mut merged: Vec<Action> = Vec::with_capacity(items.len());
    // An implicit identity holds the normalized text already; an explicit
    // one is paired with it, so that two different items stay apart.
    let mut at: HashMap<(Key, Option<String>), usize> = HashMap::new();
    for item in items {
        let text = match &item.key {
            Key::Explicit(_) => Some(crate::model::normalize_action_text(&item.text)),
            Key::Implicit { .. } => None,
        };
        let group = (item.key.clone(), text);
        match at.get(&group) {
            Some(&i) => merged[i].listings.extend(item.listings),
            None => {
                at.insert(group, merged.len());
                merged.push(item);
            }
        }
    }
    merged.sort_by(|a, b| {
        let undated = |x: &Action| (x.due.is_none(), x.due);
        undated(a)
            .cmp(&undated(b))
            .then_with(|| listing_order(a.first(), b.first()))
    });
    merged
}

/// Postmortem id (postmortems without one last), then path and line.
fn listing_order(a: &Listing, b: &Listing) -> std::cmp::Ordering {
    (a.postmortem.is_none(), &a.postmortem, &a.path, a.line).cmp(&(
        b.postmortem.is_none(),
        &b.postmortem,
        &b.path,
        b.line,
    ))
}

/// An action item as reported: the item, and what the history says.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub action: &'a Action,
    pub overdue: bool,
    /// `Some` with `--history`.
    pub history: Option<Times>,
}

/// When an item was opened and closed (`closed` only for a done item whose
/// closing is committed).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Times {
    pub opened: Option<Stamp>,
    pub closed: Option<Stamp>,
}

impl Times {
    pub fn of(action: &Action, record: Option<&Record>) -> Times {
        let record = record.cloned().unwrap_or_default();
        Times {
            opened: record.opened,
            closed: record.closed.filter(|_| action.done()),
        }
    }

    /// Days from opening to closing (fractional). `None` for an item that
    /// was already checked in the commit that added it: the history never
    /// saw it open, so it says nothing about how long it took.
    pub fn days_to_close(&self) -> Option<f64> {
        let (opened, closed) = (self.opened?, self.closed?);
        if opened.commit == closed.commit {
            return None;
        }
        Some(opened.at.duration_until(closed.at).as_secs_f64() / 86_400.0)
    }
}

/// Which items have which status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Done,
    All,
}

/// The filters of `pmbook actions`. Each list matches any of its values
/// (case-insensitively, a leading `@` ignored); an empty list matches
/// everything.
#[derive(Debug, Clone)]
pub struct Filter {
    pub status: Status,
    pub overdue: bool,
    pub owners: Vec<String>,
    pub services: Vec<String>,
    pub kinds: Vec<String>,
    pub severities: Vec<String>,
    pub postmortems: Vec<String>,
    pub today: Date,
}

impl Filter {
    /// Whether `action` is one of the items the summary counts: every
    /// filter except the status ones (`--open`, `--done`, `--all`,
    /// `--overdue`), so that the closure rate has both sides.
    pub fn in_scope(&self, action: &Action) -> bool {
        let any = |wanted: &[String], value: Option<&str>| {
            wanted.is_empty()
                || value.is_some_and(|v| {
                    wanted
                        .iter()
                        .any(|w| w.trim_start_matches('@').eq_ignore_ascii_case(v))
                })
        };
        any(&self.owners, action.owner.as_deref())
            && any(&self.kinds, action.kind.as_deref())
            && action.listings.iter().any(|l| {
                any(&self.postmortems, l.postmortem.as_deref())
                    && any(&self.severities, l.severity.as_deref())
                    && (self.services.is_empty()
                        || l.services.iter().any(|s| any(&self.services, Some(s))))
            })
    }

    /// Whether `action` is listed.
    pub fn matches(&self, action: &Action) -> bool {
        let status = match self.status {
            Status::Open => !action.done(),
            Status::Done => action.done(),
            Status::All => true,
        };
        status && (!self.overdue || action.overdue(self.today)) && self.in_scope(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn actions(path: &str, id: &str, items: &str) -> Vec<Action> {
        let text = format!(
            "+++\nid = \"{id}\"\nseverity = \"SEV2\"\nservices = [\"checkout\"]\n+++\n\n## Action items\n\n{items}"
        );
        actions_of(&crate::parse::parse(path.into(), text, &Config::default()))
    }

    #[test]
    fn identity_is_the_explicit_id_else_the_postmortem_and_text() {
        let found = actions(
            "p/a.md",
            "a",
            "- [ ] Add  a Canary (id: X-1)\n- [x] Roll  BACK (owner: bob)\n- plain item\n",
        );
        let keys: Vec<&Key> = found.iter().map(|a| &a.key).collect();
        assert_eq!(
            keys,
            [
                &Key::Explicit("X-1".into()),
                &Key::Implicit {
                    postmortem: "a".into(),
                    text: "roll back".into()
                }
            ]
        );
        assert_eq!(found[1].first().line, 10);
        assert_eq!(found[1].owner.as_deref(), Some("bob"));
    }

    #[test]
    fn a_shared_item_is_done_when_every_copy_is() {
        let mut items = actions("p/b.md", "b", "- [x] Shared follow-up (id: S)\n");
        items.extend(actions("p/a.md", "a", "- [ ] shared  FOLLOW-UP (id: S)\n"));
        items.extend(actions("p/c.md", "c", "- [ ] Something else (id: S)\n"));
        let merged = merge(items);
        assert_eq!(merged.len(), 2, "{merged:#?}");
        assert_eq!(merged[0].first().postmortem.as_deref(), Some("a"));
        assert_eq!(merged[0].listings.len(), 2);
        assert!(!merged[0].done());
        assert_eq!(merged[1].first().postmortem.as_deref(), Some("c"));
    }

    #[test]
    fn sorted_by_due_date_undated_last() {
        let items = actions(
            "p/a.md",
            "a",
            "- [ ] undated (kind: fix)\n- [ ] later (due: 2026-12-02)\n- [ ] sooner (due: 2026-12-01)\n",
        );
        let texts: Vec<String> = merge(items).into_iter().map(|a| a.text).collect();
        assert_eq!(texts, ["sooner", "later", "undated"]);
    }
}
