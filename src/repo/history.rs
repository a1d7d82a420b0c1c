//! The main line's history of the postmortem directory: which postmortem
//! files each commit set or removed.
//!
//! The history is walked once, oldest commit first, along the first parent
//! of HEAD (the main line: a change merged from a branch counts from the
//! merge commit). Commits whose postmortem directory (`[book] src`) is the
//! same tree as the previous commit's are skipped without reading anything;
//! for the others only that directory is diffed, with rename detection.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use git2::{Delta, DiffFindOptions, DiffOptions, FileMode, Oid, Repository, Sort, Tree};
use jiff::Timestamp;
use rayon::prelude::*;

use super::Git;
use crate::config::Project;
use crate::discover::{self, PostmortemFilter};
use crate::error::Error;

/// A commit's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommitId(Oid);

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A stored version of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlobId(Oid);

impl BlobId {
    /// The id git gives a file holding `bytes` (when no filter such as
    /// `core.autocrlf` changes them on the way in).
    pub fn of_bytes(bytes: &[u8]) -> Option<BlobId> {
        Oid::hash_object(git2::ObjectType::Blob, bytes)
            .ok()
            .map(BlobId)
    }
}

/// The postmortem changes of one commit of the main line.
pub struct Step {
    pub commit: CommitId,
    /// Committer time.
    pub at: Timestamp,
    pub changes: Vec<Change>,
}

pub enum Change {
    /// The file at `path` now holds `blob`; `from` is where it was before
    /// (itself, or the old path of a rename), if it existed.
    Set {
        path: String,
        from: Option<String>,
        blob: BlobId,
    },
    Remove {
        path: String,
    },
}

fn git_error(what: &str) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::Config(format!("{what}: {}", e.message()))
}

impl Git {
    /// The postmortem changes of every commit of the main line, oldest
    /// first.
    pub fn postmortem_history(&self, project: &Project) -> Result<Vec<Step>, Error> {
        let src = project
            .src_dir()
            .strip_prefix(self.workdir())
            .map(Path::to_path_buf)
            .map_err(|_| {
                Error::Config(format!(
                    "the postmortem directory {} is outside the git work tree {}",
                    project.src_dir().display(),
                    self.workdir().display()
                ))
            })?;
        let filter = PostmortemFilter::new(project)?;
        let prefix = src.to_string_lossy().replace('\\', "/");
        let accepts = |path: &str| filter.accepts_in_src(&self.workdir().join(path));
        changes(self.repository(), &src, &prefix, &accepts)
    }

    /// `take` applied to the text of each blob, in parallel; a blob that is
    /// larger than `max_bytes` or is not text is left out.
    pub fn map_blobs<T: Send>(
        &self,
        blobs: &[BlobId],
        max_bytes: u64,
        take: impl Fn(String) -> T + Sync,
    ) -> Result<HashMap<BlobId, T>, Error> {
        let git_dir = self.repository().path();
        // Each worker opens its own handle on the repository (a handle is
        // not shared between threads).
        let chunks: Vec<Vec<(BlobId, T)>> = blobs
            .par_chunks(32)
            .map(|chunk| {
                let repo =
                    Repository::open(git_dir).map_err(git_error("cannot open the repository"))?;
                Ok(chunk
                    .iter()
                    .filter_map(|&blob| {
                        let found = repo.find_blob(blob.0).ok()?;
                        if found.size() as u64 > max_bytes {
                            return None;
                        }
                        let text = discover::decode(found.content().to_vec()).ok()?;
                        Some((blob, take(text)))
                    })
                    .collect())
            })
            .collect::<Result<_, Error>>()?;
        Ok(chunks.into_iter().flatten().collect())
    }
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
                        blob: BlobId(delta.new_file().id()),
                    });
                }
                (Delta::Modified | Delta::Renamed | Delta::Typechange, Some(path), None) => {
                    changes.push(Change::Remove { path });
                }
                _ => {}
            }
        }
        steps.push(Step {
            commit: CommitId(oid),
            at: Timestamp::from_second(commit.time().seconds()).unwrap_or_default(),
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
