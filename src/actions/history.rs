//! When each action item was opened and closed, from the git history.
//!
//! The main line's changes of the postmortem directory come from
//! [`crate::repo::history`]; only the versions that changed are parsed —
//! each once, in parallel, however many commits hold it, and not at all
//! when the caller already parsed that version (the work tree's files are
//! usually the newest ones committed). The changes are
//! then replayed in order, keeping for every item identity how many copies
//! are present and checked.
//!
//! An item is *opened* by the first commit that contains it and *closed* by
//! the commit that checked its last open copy (after which it stayed
//! checked: reopening an item forgets its earlier close). Dates are commit
//! (committer) times in UTC.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use jiff::Timestamp;

use super::Key;
use crate::config::{Config, Project};
use crate::error::Error;
use crate::model::Postmortem;
use crate::parse;
use crate::repo::Git;
use crate::repo::history::{BlobId, Change, CommitId, Step};

/// A commit, as history reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub commit: CommitId,
    /// Committer time.
    pub at: Timestamp,
}

/// What the history says about one item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub opened: Option<Stamp>,
    /// The commit that checked its last open copy; `None` while open.
    pub closed: Option<Stamp>,
}

/// Records by item identity.
#[derive(Debug, Default)]
pub struct History {
    records: HashMap<Key, Record>,
    /// Identities that continue an older one: the implicit identities of a
    /// postmortem whose id (or, without one, path) changed.
    aliases: HashMap<Key, Key>,
}

impl History {
    /// The record of the item with identity `key`.
    pub fn get(&self, key: &Key) -> Option<&Record> {
        self.records.get(&self.resolve(key))
    }

    fn resolve(&self, key: &Key) -> Key {
        self.aliases.get(key).unwrap_or(key).clone()
    }
}

/// A version of a postmortem that the caller has parsed already (a work
/// tree file, usually the newest one committed): reading the history takes
/// its items from here instead of parsing it again.
pub struct Version {
    blob: BlobId,
    items: Arc<FileItems>,
}

impl Version {
    pub fn of(pm: &Postmortem) -> Option<Version> {
        Some(Version {
            blob: BlobId::of_bytes(&pm.source.bytes())?,
            items: Arc::new(FileItems::of(pm)),
        })
    }
}

/// What to tell a user whose project is not in a git repository.
pub const NEEDS_GIT: &str = "`pmbook actions --history` reads when items were opened and closed from the git history: run it inside the repository's work tree, or leave out --history";

/// Reads the history of the repository holding `project`; `parsed` are
/// versions the caller has parsed already.
pub fn read(project: &Project, parsed: Vec<Version>) -> Result<History, Error> {
    let git = Git::open_for(project, NEEDS_GIT)?;
    let steps = git.postmortem_history(project)?;
    let mut items: HashMap<BlobId, Arc<FileItems>> =
        parsed.into_iter().map(|v| (v.blob, v.items)).collect();
    let blobs: Vec<BlobId> = steps
        .iter()
        .flat_map(|s| &s.changes)
        .filter_map(|c| match c {
            Change::Set { blob, .. } => Some(*blob),
            Change::Remove { .. } => None,
        })
        .filter(|blob| !items.contains_key(blob))
        .collect::<HashSet<BlobId>>()
        .into_iter()
        .collect();
    let config = &project.config;
    items.extend(git.map_blobs(&blobs, config.lint.max_file_bytes, |text| {
        Arc::new(file_items(text, config))
    })?);
    Ok(replay(&steps, &items))
}

/// What replaying needs from one version of a postmortem.
#[derive(Debug, Default)]
struct FileItems {
    postmortem: Option<String>,
    /// (explicit id, normalized text, checked) of each task item.
    items: Vec<(Option<String>, String, bool)>,
}

impl FileItems {
    fn keys<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (Key, bool)> + 'a {
        let postmortem = self.postmortem.as_deref().unwrap_or(path);
        self.items.iter().map(move |(id, text, done)| {
            let key = match id {
                Some(id) => Key::Explicit(id.clone()),
                None => Key::Implicit {
                    postmortem: postmortem.to_owned(),
                    text: text.clone(),
                },
            };
            (key, *done)
        })
    }
}

/// The items of one version of a postmortem.
fn file_items(text: String, config: &Config) -> FileItems {
    FileItems::of(&parse::parse(String::new(), text, config))
}

impl FileItems {
    fn of(pm: &Postmortem) -> FileItems {
        FileItems {
            postmortem: pm.id().map(str::to_owned),
            items: pm
                .actions
                .iter()
                .filter(|a| a.is_task)
                .map(|a| {
                    (
                        a.id.as_ref().map(|f| f.value.clone()),
                        a.normalized_text(),
                        a.done,
                    )
                })
                .collect(),
        }
    }
}

/// Replays the steps in order.
fn replay(steps: &[Step], parsed: &HashMap<BlobId, Arc<FileItems>>) -> History {
    let mut replay = Replay::default();
    for step in steps {
        let mut touched = Vec::new();
        for change in &step.changes {
            match change {
                Change::Remove { path } => {
                    if let Some(old) = replay.files.remove(path) {
                        replay.count(&old, path, -1, &mut touched);
                    }
                }
                Change::Set { path, from, blob } => {
                    let new = parsed.get(blob).cloned().unwrap_or_default();
                    let old = from.as_ref().and_then(|from| {
                        let old = replay.files.remove(from)?;
                        Some((old, from.as_str()))
                    });
                    if let Some((old, from)) = &old {
                        replay.count(old, from, -1, &mut touched);
                        replay.continue_identities(old, from, &new, path);
                    } else if let Some(old) = replay.files.remove(path) {
                        // Added over a file the diff did not pair with it.
                        replay.count(&old, path, -1, &mut touched);
                    }
                    replay.count(&new, path, 1, &mut touched);
                    replay.files.insert(path.clone(), new);
                }
            }
        }
        touched.sort();
        touched.dedup();
        for key in touched {
            replay.settle(
                key,
                Stamp {
                    commit: step.commit,
                    at: step.at,
                },
            );
        }
    }
    History {
        records: replay
            .records
            .into_iter()
            .map(|(key, state)| (key, state.record))
            .collect(),
        aliases: replay.aliases,
    }
}

#[derive(Default)]
struct Replay {
    /// The postmortems of the current commit, by path.
    files: HashMap<String, Arc<FileItems>>,
    /// Copies of each identity present and checked.
    counts: HashMap<Key, (u32, u32)>,
    records: HashMap<Key, State>,
    aliases: HashMap<Key, Key>,
}

#[derive(Default)]
struct State {
    record: Record,
    done: bool,
}

impl Replay {
    fn resolve(&self, key: Key) -> Key {
        match self.aliases.get(&key) {
            Some(older) => older.clone(),
            None => key,
        }
    }

    /// Adds (`by` = 1) or removes (-1) the items of a file.
    fn count(&mut self, file: &FileItems, path: &str, by: i32, touched: &mut Vec<Key>) {
        for (key, done) in file.keys(path) {
            let key = self.resolve(key);
            let (present, checked) = self.counts.entry(key.clone()).or_default();
            *present = present.saturating_add_signed(by);
            if done {
                *checked = checked.saturating_add_signed(by);
            }
            touched.push(key);
        }
    }

    /// When a postmortem's id (or, without one, its path) changed, its
    /// items without an explicit id continue their old identity.
    fn continue_identities(&mut self, old: &FileItems, from: &str, new: &FileItems, path: &str) {
        let old_name = old.postmortem.as_deref().unwrap_or(from);
        let new_name = new.postmortem.as_deref().unwrap_or(path);
        if old_name == new_name {
            return;
        }
        let old_texts: HashSet<&str> = old
            .items
            .iter()
            .filter(|(id, ..)| id.is_none())
            .map(|(_, text, _)| text.as_str())
            .collect();
        for (_, text, _) in new.items.iter().filter(|(id, ..)| id.is_none()) {
            if !old_texts.contains(text.as_str()) {
                continue;
            }
            let new_key = Key::Implicit {
                postmortem: new_name.to_owned(),
                text: text.clone(),
            };
            let known = self.records.contains_key(&new_key)
                || self.counts.contains_key(&new_key)
                || self.aliases.contains_key(&new_key);
            if known {
                continue;
            }
            let older = self.resolve(Key::Implicit {
                postmortem: old_name.to_owned(),
                text: text.clone(),
            });
            self.aliases.insert(new_key, older);
        }
    }

    /// Records what changed for `key` at `stamp`.
    fn settle(&mut self, key: Key, stamp: Stamp) {
        let (present, checked) = self.counts.get(&key).copied().unwrap_or_default();
        if present == 0 {
            return;
        }
        let state = self.records.entry(key).or_default();
        state.record.opened.get_or_insert(stamp);
        let done = checked == present;
        if done && !state.done {
            state.record.closed = Some(stamp);
        } else if !done {
            state.record.closed = None;
        }
        state.done = done;
    }
}
