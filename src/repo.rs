//! Postmortems as git stores them: the staged versions in the index (for
//! the pre-commit hook), a commit's tree (for the pre-push hook), and the
//! files changed since a revision (for pull-request CI).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use git2::{Delta, Diff, DiffFindOptions, DiffOptions, ObjectType, Oid, Repository, Tree};

use crate::config::Project;
use crate::discover::{self, PostmortemFilter};
use crate::error::Error;
use crate::lint::{Input, OtherFile};
use crate::model::FileProblem;
use crate::parse::action_ids::{ActionId, Scanner};

/// The git repository around a project.
pub struct Git {
    repo: Repository,
    workdir: PathBuf,
}

/// What to lint from git: the postmortems to check and the ids of the
/// others (postmortem and action ids), for cross-file checks.
pub struct Snapshot {
    pub targets: Vec<Input>,
    pub other_ids: Vec<OtherFile>,
}

/// A postmortem stored in git: its path relative to the work tree and its
/// blob.
struct Entry {
    path: String,
    blob: Oid,
    is_symlink: bool,
}

const SYMLINK_MODE: u32 = 0o120000;

fn git_error(what: &str, e: git2::Error) -> Error {
    Error::Config(format!("{what}: {}", e.message()))
}

impl Git {
    /// The repository holding `project`.
    pub fn open(project: &Project) -> Result<Git, Error> {
        Git::open_for(project, "--staged, --changed-since and hooks need one")
    }

    /// The repository holding `project`; `needed` says what needs one when
    /// there is none.
    pub fn open_for(project: &Project, needed: &str) -> Result<Git, Error> {
        let repo = Repository::discover(&project.root).map_err(|_| {
            Error::Config(format!(
                "{} is not in a git repository; {needed}",
                project.root.display()
            ))
        })?;
        let workdir = repo.workdir().ok_or_else(|| {
            Error::Config("the git repository is bare: it has no work tree".into())
        })?;
        let workdir = std::fs::canonicalize(workdir).map_err(|e| Error::io(workdir, e))?;
        Ok(Git { repo, workdir })
    }

    pub fn repository(&self) -> &Repository {
        &self.repo
    }

    /// The work tree's root (canonical).
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The directory git runs hooks from: `core.hooksPath` when set
    /// (relative to the work tree), else `hooks/` in the common git
    /// directory, shared by linked worktrees.
    pub fn hooks_dir(&self) -> Result<PathBuf, Error> {
        let config = self
            .repo
            .config()
            .map_err(|e| git_error("cannot read the git config", e))?;
        Ok(match config.get_path("core.hooksPath") {
            Ok(path) => self.workdir.join(path),
            Err(_) => self.repo.commondir().join("hooks"),
        })
    }

    /// The staged postmortems that differ from HEAD, read from the index,
    /// and the ids of every other staged postmortem.
    pub fn staged(&self, project: &Project) -> Result<Snapshot, Error> {
        let filter = PostmortemFilter::new(project)?;
        let index = self
            .repo
            .index()
            .map_err(|e| git_error("cannot read the git index", e))?;
        let head = self.head_tree()?;
        let mut options = self.diff_options(&filter);
        let diff = self
            .repo
            .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut options))
            .map_err(|e| git_error("cannot compare the index with HEAD", e))?;
        let changed = self.changed_paths(diff, &filter)?;
        if changed.is_empty() {
            return Ok(Snapshot {
                targets: Vec::new(),
                other_ids: Vec::new(),
            });
        }
        let entries: Vec<Entry> = index
            .iter()
            .filter_map(|e| {
                let path = String::from_utf8(e.path).ok()?;
                filter
                    .accepts_in_src(&self.workdir.join(&path))
                    .then_some(Entry {
                        path,
                        blob: e.id,
                        is_symlink: e.mode & 0o170000 == SYMLINK_MODE,
                    })
            })
            .collect();
        Ok(self.snapshot(project, entries, &changed))
    }

    /// The postmortems of commit `rev` (all of them, or those changed since
    /// the merge base with `since`), read from its tree.
    pub fn at_commit(
        &self,
        project: &Project,
        rev: &str,
        since: Option<&str>,
    ) -> Result<Snapshot, Error> {
        let filter = PostmortemFilter::new(project)?;
        let commit = self.commit(rev)?;
        let tree = commit
            .tree()
            .map_err(|e| git_error("cannot read the commit's tree", e))?;
        let mut entries = Vec::new();
        let src = filter
            .src()
            .strip_prefix(&self.workdir)
            .unwrap_or(Path::new(""));
        let src_tree = if src.as_os_str().is_empty() {
            Some(tree.clone())
        } else {
            tree.get_path(src)
                .ok()
                .and_then(|e| e.to_object(&self.repo).ok())
                .and_then(|o| o.into_tree().ok())
        };
        if let Some(src_tree) = src_tree {
            src_tree
                .walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                    if entry.kind() == Some(ObjectType::Blob)
                        && let Ok(name) = entry.name()
                    {
                        let path = src
                            .join(dir)
                            .join(name)
                            .to_string_lossy()
                            .replace('\\', "/");
                        if filter.accepts_in_src(&self.workdir.join(&path)) {
                            entries.push(Entry {
                                path,
                                blob: entry.id(),
                                is_symlink: entry.filemode() as u32 == SYMLINK_MODE,
                            });
                        }
                    }
                    git2::TreeWalkResult::Ok
                })
                .map_err(|e| git_error("cannot read the commit's tree", e))?;
        }
        let changed: HashSet<String> = match since {
            None => entries.iter().map(|e| e.path.clone()).collect(),
            Some(since) => {
                let base = self.merge_base_tree(since, commit.id())?;
                let mut options = self.diff_options(&filter);
                let diff = self
                    .repo
                    .diff_tree_to_tree(Some(&base), Some(&tree), Some(&mut options))
                    .map_err(|e| git_error("cannot compare the commits", e))?;
                self.changed_paths(diff, &filter)?
            }
        };
        Ok(self.snapshot(project, entries, &changed))
    }

    /// Postmortem files of the work tree that differ from the merge base of
    /// `since` and HEAD: committed, staged, modified or new.
    pub fn changed_in_worktree(
        &self,
        project: &Project,
        since: &str,
    ) -> Result<Vec<PathBuf>, Error> {
        let filter = PostmortemFilter::new(project)?;
        let head = self.commit("HEAD")?;
        let base = self.merge_base_tree(since, head.id())?;
        let mut options = self.diff_options(&filter);
        options.include_untracked(true).recurse_untracked_dirs(true);
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(Some(&base), Some(&mut options))
            .map_err(|e| git_error("cannot compare the work tree", e))?;
        let mut files: Vec<PathBuf> = self
            .changed_paths(diff, &filter)?
            .into_iter()
            .map(|p| self.workdir.join(p))
            .collect();
        files.sort();
        Ok(files)
    }

    fn commit(&self, rev: &str) -> Result<git2::Commit<'_>, Error> {
        self.repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| git_error(&format!("cannot resolve `{rev}` to a commit"), e))
    }

    fn head_tree(&self) -> Result<Option<Tree<'_>>, Error> {
        match self.repo.head() {
            Ok(head) => head
                .peel_to_tree()
                .map(Some)
                .map_err(|e| git_error("cannot read HEAD", e)),
            // A repository without commits yet: everything staged is new.
            Err(_) => Ok(None),
        }
    }

    fn merge_base_tree(&self, since: &str, head: Oid) -> Result<Tree<'_>, Error> {
        let since = self.commit(since)?;
        let base = self
            .repo
            .merge_base(since.id(), head)
            .map_err(|e| git_error("no common ancestor with the given revision", e))?;
        self.repo
            .find_commit(base)
            .and_then(|c| c.tree())
            .map_err(|e| git_error("cannot read the merge base", e))
    }

    fn diff_options(&self, filter: &PostmortemFilter) -> DiffOptions {
        let mut options = DiffOptions::new();
        if let Ok(src) = filter.src().strip_prefix(&self.workdir)
            && !src.as_os_str().is_empty()
        {
            options.pathspec(src.to_string_lossy().replace('\\', "/"));
        }
        options
    }

    /// The postmortem paths (relative to the work tree) added, modified,
    /// renamed or copied in `diff`; a rename counts under its new path.
    fn changed_paths(
        &self,
        mut diff: Diff<'_>,
        filter: &PostmortemFilter,
    ) -> Result<HashSet<String>, Error> {
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))
            .map_err(|e| git_error("cannot detect renames", e))?;
        Ok(diff
            .deltas()
            .filter(|d| {
                matches!(
                    d.status(),
                    Delta::Added
                        | Delta::Modified
                        | Delta::Renamed
                        | Delta::Copied
                        | Delta::Typechange
                        | Delta::Untracked
                )
            })
            .filter_map(|d| {
                d.new_file()
                    .path()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .filter(|p| filter.accepts_in_src(&self.workdir.join(p)))
            .collect())
    }

    /// Reads the changed entries in full, and takes the ids of the others
    /// from the id cache, reading only the blobs it does not know yet.
    fn snapshot(
        &self,
        project: &Project,
        entries: Vec<Entry>,
        changed: &HashSet<String>,
    ) -> Snapshot {
        let (targets, others): (Vec<Entry>, Vec<Entry>) =
            entries.into_iter().partition(|e| changed.contains(&e.path));
        let odb = self.repo.odb().ok();
        let read = |entry: &Entry| -> Result<String, (FileProblem, String)> {
            if entry.is_symlink {
                return discover::read(project, &self.workdir.join(&entry.path));
            }
            let object = odb
                .as_ref()
                .and_then(|odb| odb.read(entry.blob).ok())
                .ok_or_else(|| {
                    (
                        FileProblem::Unreadable(format!("blob {} is missing", entry.blob)),
                        String::new(),
                    )
                })?;
            let limit = project.config.lint.max_file_bytes;
            if object.len() as u64 > limit {
                return Err((
                    FileProblem::TooLarge {
                        bytes: object.len() as u64,
                        limit,
                    },
                    String::new(),
                ));
            }
            discover::decode(object.data().to_vec())
        };
        let display = |entry: &Entry| project.display_path(&self.workdir.join(&entry.path));
        let targets = targets
            .iter()
            .map(|entry| Input {
                path: display(entry),
                text: read(entry),
            })
            .collect();
        let scanner = Scanner::new(&project.config);
        let mut cache = IdCache::load(&self.repo, &scanner);
        let other_ids = others
            .iter()
            .map(|entry| {
                let path = display(entry);
                match (entry.is_symlink, cache.get(entry.blob)) {
                    (false, Some(ids)) => OtherFile { path, ..ids },
                    _ => {
                        let file = match read(entry) {
                            Ok(text) => OtherFile::scan(path, &text, &scanner),
                            Err(_) => OtherFile {
                                path,
                                ..OtherFile::default()
                            },
                        };
                        cache.insert(entry.blob, &file);
                        file
                    }
                }
            })
            .collect();
        cache.save(others.iter().map(|e| e.blob));
        Snapshot { targets, other_ids }
    }
}

/// The ids of each postmortem blob (its own and its explicit action ids),
/// kept in the git directory (`pmbook/ids`) so that the pre-commit hook
/// reads only the blobs it has never seen. Keyed by blob hash, and the file
/// records the Action items headings the scan looked for, so it can never be
/// stale; a missing, damaged, older-format or differently-configured cache is
/// rebuilt.
///
/// Format: a header line `pmbook-ids 2` followed by the headings, tab
/// separated; then per blob a line `<blob> <postmortem id>` (the id may be
/// empty) followed by one line `\t<action id>\t<item text>` per explicit
/// action id.
struct IdCache {
    path: PathBuf,
    header: String,
    ids: HashMap<Oid, OtherFile>,
    changed: bool,
}

const CACHE_FORMAT: &str = "pmbook-ids 2";

impl IdCache {
    fn load(repo: &Repository, scanner: &Scanner) -> IdCache {
        let path = repo.commondir().join("pmbook").join("ids");
        let header = std::iter::once(CACHE_FORMAT)
            .chain(scanner.headings().iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\t");
        let mut ids = HashMap::new();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut lines = text.lines();
        if lines.next() == Some(header.as_str()) {
            let mut current: Option<&mut OtherFile> = None;
            for line in lines {
                if let Some(action) = line.strip_prefix('\t') {
                    let (id, text) = action.split_once('\t').unwrap_or((action, ""));
                    if let Some(file) = current.as_mut() {
                        file.action_ids.push(ActionId {
                            id: id.to_owned(),
                            text: text.to_owned(),
                        });
                    }
                    continue;
                }
                let (oid, id) = line.split_once(' ').unwrap_or((line, ""));
                current = Oid::from_str(oid).ok().map(|oid| {
                    let file = OtherFile {
                        id: (!id.is_empty()).then(|| id.to_owned()),
                        ..OtherFile::default()
                    };
                    ids.entry(oid).insert_entry(file).into_mut()
                });
            }
        }
        IdCache {
            path,
            header,
            ids,
            changed: false,
        }
    }

    /// The cached ids of `blob`, with an empty path.
    fn get(&self, blob: Oid) -> Option<OtherFile> {
        self.ids.get(&blob).cloned()
    }

    fn insert(&mut self, blob: Oid, file: &OtherFile) {
        // An id that would break the line format is not stored; the blob
        // is read again next time instead.
        let storable = file
            .id
            .as_ref()
            .is_none_or(|id| !id.contains(char::is_whitespace))
            && file.action_ids.iter().all(|a| {
                !a.id.contains(['\t', '\n', '\r']) && !a.text.contains(['\t', '\n', '\r'])
            });
        if storable {
            self.ids.insert(
                blob,
                OtherFile {
                    path: String::new(),
                    ..file.clone()
                },
            );
            self.changed = true;
        }
    }

    /// Writes the cache, keeping only the blobs still in use, when anything
    /// was added. Failing to write only costs speed next time.
    fn save(mut self, in_use: impl Iterator<Item = Oid>) {
        if !self.changed {
            return;
        }
        let keep: HashSet<Oid> = in_use.collect();
        self.ids.retain(|oid, _| keep.contains(oid));
        let mut entries: Vec<(&Oid, &OtherFile)> = self.ids.iter().collect();
        entries.sort_by_key(|(oid, _)| **oid);
        let mut text = self.header.clone();
        text.push('\n');
        for (oid, file) in entries {
            text.push_str(&format!("{oid} {}\n", file.id.as_deref().unwrap_or("")));
            for action in &file.action_ids {
                text.push_str(&format!("\t{}\t{}\n", action.id, action.text));
            }
        }
        let Some(dir) = self.path.parent() else {
            return;
        };
        let temp = dir.join(format!("ids.{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&temp, text))
            .and_then(|()| std::fs::rename(&temp, &self.path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}
