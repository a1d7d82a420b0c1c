//! When each action item was opened and closed, from the git history.
//!
//! The history is walked once, oldest commit first, along the first parent
//! of HEAD (the main line: a change merged from a branch counts from the
//! merge commit). Commits whose postmortem directory (`[book] src`) is the
//! same tree as the previous commit's are skipped without reading anything;
//! for the others only that directory is diffed, with rename detection, and
//! only the blobs that changed are parsed — each blob once, in parallel,
//! however many commits hold it. The walk then replays the changes in order,
//! keeping for every item identity how many copies are present and checked.
//!
//! An item is *opened* by the first commit that contains it and *closed* by
//! the commit that checked its last open copy (after which it stayed
//! checked: reopening an item forgets its earlier close). Dates are commit
//! (committer) times in UTC.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use git2::{Delta, DiffFindOptions, DiffOptions, FileMode, Oid, Repository, Sort, Tree};
use jiff::Timestamp;
use rayon::prelude::*;

use super::Key;
use crate::config::{Config, Project};
use crate::discover::{self, PostmortemFilter};
use crate::error::Error;
use crate::parse;
use crate::repo::Git;

/// A commit, as history reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub commit: Oid,
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

/// Reads the history of the repository holding `project`.
pub fn read(project: &Project) -> Result<History, Error> {
    let git = Git::open_for(
        project,
        "`pmbook actions --history` reads when items were opened and closed from the git history: run it inside the repository's work tree, or leave out --history",
    )?;
    // libgit2 checks the hash of every object it reads (SHA-1 with
    // collision detection), which was half the time of a long walk; git
    // does not check objects on reads either.
    git2::opts::strict_hash_verification(false);
    let repo = git.repository();
    let src = project
        .src_dir()
        .strip_prefix(git.workdir())
        .map(Path::to_path_buf)
        .map_err(|_| {
            Error::Config(format!(
                "the postmortem directory {} is outside the git work tree {}",
                project.src_dir().display(),
                git.workdir().display()
            ))
        })?;
    let filter = PostmortemFilter::new(project)?;
    let prefix = src.to_string_lossy().replace('\\', "/");
    let accepts = |path: &str| filter.accepts_in_src(&git.workdir().join(path));
    let steps = changes(repo, &src, &prefix, &accepts)?;
    let blobs: Vec<Oid> = steps
        .iter()
        .flat_map(|s| &s.changes)
        .filter_map(|c| match c {
            Change::Set { blob, .. } => Some(*blob),
            Change::Remove { .. } => None,
        })
        .collect::<HashSet<Oid>>()
        .into_iter()
        .collect();
    let parsed = parse_blobs(repo.path(), &blobs, &project.config)?;
    Ok(replay(&steps, &parsed))
}

/// The postmortem changes of one commit of the main line.
struct Step {
    stamp: Stamp,
    changes: Vec<Change>,
}

enum Change {
    /// The file at `path` now holds `blob`; `from` is where it was before
    /// (itself, or the old path of a rename), if it existed.
    Set {
        path: String,
        from: Option<String>,
        blob: Oid,
    },
    Remove {
        path: String,
    },
}

fn git_error(what: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::Config(format!("{what}: {}", e.message()))
}

/// Walks the first-parent history of HEAD, oldest first, and diffs the
/// postmortem directory of each commit whose directory changed.
fn changes(
    repo: &Repository,
    src: &Path,
    prefix: &str,
    accepts: &dyn Fn(&str) -> bool,
) -> Result<Vec<Step>, Error> {
    let mut walk = repo
        .revwalk()
        .map_err(git_error("cannot walk the history"))?;
    if repo.head().is_err() {
        // No commit yet: no history.
        return Ok(Vec::new());
    }
    walk.push_head().map_err(git_error("cannot read HEAD"))?;
    walk.simplify_first_parent()
        .map_err(git_error("cannot walk the history"))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(git_error("cannot walk the history"))?;
    let full_path = |path: &Path| {
        let path = path.to_string_lossy().replace('\\', "/");
        if prefix.is_empty() {
            path
        } else {
            format!("{prefix}/{path}")
        }
    };
    let mut steps = Vec::new();
    let mut previous: Option<Tree<'_>> = None;
    for oid in walk {
        let oid = oid.map_err(git_error("cannot walk the history"))?;
        let commit = repo
            .find_commit(oid)
            .map_err(git_error("cannot read a commit"))?;
        let tree = commit
            .tree()
            .map_err(git_error("cannot read a commit's tree"))?;
        let subtree = subtree(repo, &tree, src);
        if subtree.as_ref().map(Tree::id) == previous.as_ref().map(Tree::id) {
            continue;
        }
        let mut diff = repo
            .diff_tree_to_tree(
                previous.as_ref(),
                subtree.as_ref(),
                Some(DiffOptions::new().skip_binary_check(true)),
            )
            .map_err(git_error("cannot compare two commits"))?;
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))
            .map_err(git_error("cannot detect renames"))?;
        let mut changes = Vec::new();
        for delta in diff.deltas() {
            let old = delta
                .old_file()
                .path()
                .map(full_path)
                .filter(|p| accepts(p));
            let new = delta
                .new_file()
                .path()
                .map(full_path)
                .filter(|p| accepts(p) && delta.new_file().mode() != FileMode::Link);
            match (delta.status(), old, new) {
                (Delta::Deleted, Some(path), _) => changes.push(Change::Remove { path }),
                (
                    Delta::Added
                    | Delta::Modified
                    | Delta::Renamed
                    | Delta::Copied
                    | Delta::Typechange,
                    old,
                    Some(path),
                ) => {
                    let from = old.filter(|_| delta.status() != Delta::Copied);
                    changes.push(Change::Set {
                        path,
                        from,
                        blob: delta.new_file().id(),
                    });
                }
                (Delta::Modified | Delta::Renamed | Delta::Typechange, Some(path), None) => {
                    changes.push(Change::Remove { path });
                }
                _ => {}
            }
        }
        steps.push(Step {
            stamp: Stamp {
                commit: oid,
                at: Timestamp::from_second(commit.time().seconds()).unwrap_or_default(),
            },
            changes,
        });
        previous = subtree;
    }
    Ok(steps)
}

/// The tree at `src` in `tree` (`tree` itself for an empty path).
fn subtree<'r>(repo: &'r Repository, tree: &Tree<'r>, src: &Path) -> Option<Tree<'r>> {
    if src.as_os_str().is_empty() {
        return Some(tree.clone());
    }
    tree.get_path(src)
        .ok()?
        .to_object(repo)
        .ok()?
        .into_tree()
        .ok()
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

/// Parses each blob once, in parallel; each worker opens its own handle on
/// the repository (a handle is not shared between threads).
fn parse_blobs(
    git_dir: &Path,
    blobs: &[Oid],
    config: &Config,
) -> Result<HashMap<Oid, Arc<FileItems>>, Error> {
    let chunks: Vec<Vec<(Oid, Arc<FileItems>)>> = blobs
        .par_chunks(32)
        .map(|chunk| {
            let repo =
                Repository::open(git_dir).map_err(git_error("cannot open the repository"))?;
            Ok(chunk
                .iter()
                .map(|&oid| (oid, Arc::new(parse_blob(&repo, oid, config))))
                .collect())
        })
        .collect::<Result<_, Error>>()?;
    Ok(chunks.into_iter().flatten().collect())
}

/// The items of one blob; nothing for a blob that is not a readable
/// postmortem (`lint` reports those).
fn parse_blob(repo: &Repository, oid: Oid, config: &Config) -> FileItems {
    let Ok(blob) = repo.find_blob(oid) else {
        return FileItems::default();
    };
    if blob.size() as u64 > config.lint.max_file_bytes {
        return FileItems::default();
    }
    let Ok(text) = discover::decode(blob.content().to_vec()) else {
        return FileItems::default();
    };
    let pm = parse::parse(String::new(), text, config);
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

/// Replays the steps in order.
fn replay(steps: &[Step], parsed: &HashMap<Oid, Arc<FileItems>>) -> History {
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
            replay.settle(key, step.stamp);
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
