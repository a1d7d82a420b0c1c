//! Postmortems as git stores them: the staged versions in the index (for
//! the pre-commit hook), a commit's tree (for the pre-push hook), and the
//! files changed since a revision (for pull-request CI).

pub mod history;
pub mod site;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use git2::{Delta, Diff, DiffFindOptions, DiffOptions, Index, ObjectType, Oid, Repository, Tree};

use crate::config::Project;
use crate::discover::{self, PostmortemFilter};
use crate::error::Error;
use crate::model::{FileProblem, PostmortemFile};
use crate::parse::action_ids::{ActionId, Scanner};
use crate::parse::ids::{self, FileIds};

/// The git repository around a project.
pub struct Git {
    repo: Repository,
    workdir: PathBuf,
}

/// Postmortems read from git: those to check, in full, and the ids of the
/// others (postmortem and action ids), for cross-file checks.
#[derive(Default)]
pub struct Snapshot {
    pub files: Vec<PostmortemFile>,
    pub others: Vec<FileIds>,
    /// What the user should know about how the snapshot was taken (a
    /// shallow clone compared without its merge base).
    pub notes: Vec<String>,
}

/// The postmortem files of the work tree that differ from a revision.
pub struct WorktreeChanges {
    /// Added, modified or renamed (new path), absolute.
    pub files: Vec<PathBuf>,
    /// The ids that the revision's versions of the deleted, renamed and
    /// modified postmortems had: those no postmortem declares any more
    /// leave references dangling.
    pub old_ids: Vec<String>,
    pub notes: Vec<String>,
}

/// A postmortem stored in git: its path relative to the work tree and its
/// blob.
struct Entry {
    path: String,
    blob: Oid,
    is_symlink: bool,
}

/// What a diff between two versions of the postmortems changed.
#[derive(Default)]
struct Changes {
    /// Paths (relative to the work tree) added, modified, renamed or copied;
    /// a rename counts under its new path.
    paths: HashSet<String>,
    /// The ids of the old versions of deleted, renamed and modified files.
    old_ids: Vec<String>,
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
        // libgit2 checks the hash of every object it reads (SHA-1 with
        // collision detection), which was half the time of a long walk; git
        // does not check objects on reads either.
        git2::opts::strict_hash_verification(false);
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

    /// The index being committed: the one git names in `GIT_INDEX_FILE`
    /// (a relative path is relative to the work tree, where git runs hooks)
    /// or the repository's own. `git commit -a`, `git commit PATH` and
    /// `--only` hand the pre-commit hook a temporary index this way.
    fn index(&self) -> Result<Index, Error> {
        match std::env::var_os("GIT_INDEX_FILE").filter(|p| !p.is_empty()) {
            Some(path) => {
                let path = self.workdir.join(path);
                Index::open(&path).map_err(|e| {
                    git_error(
                        &format!("cannot read the index {} (GIT_INDEX_FILE)", path.display()),
                        e,
                    )
                })
            }
            None => self
                .repo
                .index()
                .map_err(|e| git_error("cannot read the git index", e)),
        }
    }

    /// The staged postmortems that differ from HEAD, read from the index,
    /// and the ids of every other staged postmortem. The staged postmortems
    /// whose `related` names an id that a staged deletion, rename or edit
    /// removes are linted too.
    pub fn staged(&self, project: &Project) -> Result<Snapshot, Error> {
        let filter = PostmortemFilter::new(project)?;
        let index = self.index()?;
        let changes = self.staged_changes(&index, &filter)?;
        if changes.paths.is_empty() && changes.old_ids.is_empty() {
            // Nothing to check: a commit without postmortems pays nothing.
            return Ok(Snapshot::default());
        }
        let entries = self.index_entries(&index, &filter);
        Ok(self.snapshot(project, entries, changes, &[]))
    }

    /// What the pre-commit framework's hook checks outside a push: the
    /// `files` it names (postmortems under `src`, read from the work tree,
    /// which the framework has set to what is being committed), against
    /// the staged versions of every other postmortem; and, as with
    /// `--staged`, the staged postmortems left naming an id that a staged
    /// deletion, rename or edit removes.
    pub fn pre_commit(&self, project: &Project, files: &[PathBuf]) -> Result<Snapshot, Error> {
        let filter = PostmortemFilter::new(project)?;
        let named: Vec<PathBuf> = files
            .iter()
            .filter(|p| filter.accepts_in_src(p))
            .cloned()
            .collect();
        let index = self.index()?;
        // The framework names the staged files itself; only the removed ids
        // are taken from the index.
        let changes = Changes {
            paths: HashSet::new(),
            old_ids: self.staged_changes(&index, &filter)?.old_ids,
        };
        if named.is_empty() && changes.old_ids.is_empty() {
            return Ok(Snapshot::default());
        }
        let entries = self.index_entries(&index, &filter);
        Ok(self.snapshot(project, entries, changes, &named))
    }

    /// What `index` changes against HEAD.
    fn staged_changes(&self, index: &Index, filter: &PostmortemFilter) -> Result<Changes, Error> {
        let head = self.head_tree()?;
        let mut options = self.diff_options(filter);
        let diff = self
            .repo
            .diff_tree_to_index(head.as_ref(), Some(index), Some(&mut options))
            .map_err(|e| git_error("cannot compare the index with HEAD", e))?;
        self.changes(diff, filter)
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
        let entries = self.tree_entries(&tree, &filter)?;
        let (changes, notes) = match since {
            None => (
                Changes {
                    paths: entries.iter().map(|e| e.path.clone()).collect(),
                    old_ids: Vec::new(),
                },
                Vec::new(),
            ),
            Some(since) => {
                let (base, notes) = self.base_tree(since, &commit)?;
                let mut options = self.diff_options(&filter);
                let diff = self
                    .repo
                    .diff_tree_to_tree(Some(&base), Some(&tree), Some(&mut options))
                    .map_err(|e| git_error("cannot compare the commits", e))?;
                (self.changes(diff, &filter)?, notes)
            }
        };
        let mut snapshot = self.snapshot(project, entries, changes, &[]);
        snapshot.notes = notes;
        Ok(snapshot)
    }

    /// Postmortem files of the work tree that differ from the merge base of
    /// `since` and HEAD: committed, staged, modified or new.
    pub fn changed_in_worktree(
        &self,
        project: &Project,
        since: &str,
    ) -> Result<WorktreeChanges, Error> {
        let filter = PostmortemFilter::new(project)?;
        let head = self.commit("HEAD")?;
        let (base, notes) = self.base_tree(since, &head)?;
        let mut options = self.diff_options(&filter);
        options.include_untracked(true).recurse_untracked_dirs(true);
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(Some(&base), Some(&mut options))
            .map_err(|e| git_error("cannot compare the work tree", e))?;
        let changes = self.changes(diff, &filter)?;
        let mut files: Vec<PathBuf> = changes
            .paths
            .into_iter()
            .map(|p| self.workdir.join(p))
            .collect();
        files.sort();
        Ok(WorktreeChanges {
            files,
            old_ids: changes.old_ids,
            notes,
        })
    }

    fn commit(&self, rev: &str) -> Result<git2::Commit<'_>, Error> {
        self.repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| {
                let mut message = format!("cannot resolve `{rev}` to a commit: {}", e.message());
                if self.repo.is_shallow() {
                    message.push_str(&format!(
                        "\nthis is a shallow clone: fetch the revision first ({}), or clone with the whole history (`fetch-depth: 0` in actions/checkout, `GIT_DEPTH: 0` in GitLab CI)",
                        fetch_command(rev)
                    ));
                }
                Error::Config(message)
            })
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

    /// The tree to compare `commit` with for `--changed-since since`: the
    /// merge base's. A shallow clone often lacks it; then `since`'s own tree
    /// is used, which lints every postmortem that differs between the two
    /// (a superset of what the branch changed), and a note says so.
    fn base_tree(
        &self,
        since: &str,
        commit: &git2::Commit<'_>,
    ) -> Result<(Tree<'_>, Vec<String>), Error> {
        let since_commit = self.commit(since)?;
        match self.repo.merge_base(since_commit.id(), commit.id()) {
            Ok(base) => {
                let base = self
                    .repo
                    .find_commit(base)
                    .and_then(|c| c.tree())
                    .map_err(|e| git_error("cannot read the merge base", e))?;
                Ok((base, Vec::new()))
            }
            Err(_) if self.repo.is_shallow() => {
                let note = format!(
                    "this shallow clone does not hold the merge base of `{since}` and the commit checked; comparing with the tree of `{since}` itself, so postmortems changed there since the branch point are linted too (to compare with the merge base, fetch more history: `git fetch --deepen=100`, or `fetch-depth: 0` in actions/checkout)"
                );
                let tree = since_commit
                    .tree()
                    .map_err(|e| git_error(&format!("cannot read the tree of `{since}`"), e))?;
                Ok((tree, vec![note]))
            }
            Err(e) => Err(git_error(
                &format!("`{since}` and the commit checked have no common ancestor"),
                e,
            )),
        }
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

    /// The postmortems of `index`.
    fn index_entries(&self, index: &Index, filter: &PostmortemFilter) -> Vec<Entry> {
        index
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
            .collect()
    }

    /// The postmortems of `tree`.
    fn tree_entries(
        &self,
        tree: &Tree<'_>,
        filter: &PostmortemFilter,
    ) -> Result<Vec<Entry>, Error> {
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
        Ok(entries)
    }

    /// The postmortems `diff` adds, modifies, renames or copies, and the ids
    /// of the old versions of those it deletes, renames or modifies.
    fn changes(&self, mut diff: Diff<'_>, filter: &PostmortemFilter) -> Result<Changes, Error> {
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))
            .map_err(|e| git_error("cannot detect renames", e))?;
        let is_postmortem = |path: Option<&Path>| {
            path.map(|p| p.to_string_lossy().replace('\\', "/"))
                .filter(|p| filter.accepts_in_src(&self.workdir.join(p)))
        };
        let odb = self.repo.odb().ok();
        let mut changes = Changes::default();
        for delta in diff.deltas() {
            let status = delta.status();
            if matches!(
                status,
                Delta::Added
                    | Delta::Modified
                    | Delta::Renamed
                    | Delta::Copied
                    | Delta::Typechange
                    | Delta::Untracked
            ) && let Some(path) = is_postmortem(delta.new_file().path())
            {
                changes.paths.insert(path);
            }
            let old = delta.old_file();
            if matches!(
                status,
                Delta::Deleted | Delta::Modified | Delta::Renamed | Delta::Typechange
            ) && is_postmortem(old.path()).is_some()
                && let Some(object) = odb.as_ref().and_then(|odb| odb.read(old.id()).ok())
                && let Ok(text) = std::str::from_utf8(object.data())
                && let Some(id) = crate::parse::front_matter::scan_id(text)
            {
                changes.old_ids.push(id);
            }
        }
        Ok(changes)
    }

    /// Reads the changed entries (and the work-tree files `named`) in
    /// full, takes the ids of the others from the id cache, reading only
    /// the blobs it does not know yet, and adds to the targets the others
    /// left naming an id that no postmortem declares any more.
    fn snapshot(
        &self,
        project: &Project,
        entries: Vec<Entry>,
        changes: Changes,
        named: &[PathBuf],
    ) -> Snapshot {
        let named_paths: HashSet<String> = named
            .iter()
            .filter_map(|p| p.strip_prefix(&self.workdir).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let (targets, others): (Vec<Entry>, Vec<Entry>) = entries
            .into_iter()
            .filter(|e| !named_paths.contains(&e.path))
            .partition(|e| changes.paths.contains(&e.path));
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
        let mut inputs: Vec<PostmortemFile> = named
            .iter()
            .map(|path| PostmortemFile {
                path: project.display_path(path),
                on_disk: Some(path.clone()),
                text: discover::read(project, path),
            })
            .chain(targets.iter().map(|entry| PostmortemFile {
                path: display(entry),
                on_disk: None,
                text: read(entry),
            }))
            .collect();
        let scanner = Scanner::new(&project.config);
        let mut cache = IdCache::load(&self.repo, &scanner);
        let mut other_ids: Vec<(&Entry, FileIds)> = others
            .iter()
            .map(|entry| {
                let path = display(entry);
                let file = match (entry.is_symlink, cache.get(entry.blob)) {
                    (false, Some(ids)) => FileIds { path, ..ids },
                    _ => {
                        let file = match read(entry) {
                            // The cache keeps `related` for later deletions.
                            Ok(text) => FileIds::scan(path, &text, &scanner).with_related(&text),
                            Err(_) => FileIds {
                                path,
                                ..FileIds::default()
                            },
                        };
                        cache.insert(entry.blob, &file);
                        file
                    }
                };
                (entry, file)
            })
            .collect();
        cache.save(others.iter().map(|e| e.blob));
        let removed = ids::removed_ids(changes.old_ids, &inputs, other_ids.iter().map(|(_, f)| f));
        if !removed.is_empty() {
            let (citing, rest): (Vec<_>, Vec<_>) = other_ids
                .into_iter()
                .partition(|(_, file)| file.names_any(&removed));
            inputs.extend(citing.into_iter().map(|(entry, file)| PostmortemFile {
                path: file.path,
                on_disk: None,
                text: read(entry),
            }));
            other_ids = rest;
        }
        Snapshot {
            files: inputs,
            others: other_ids.into_iter().map(|(_, file)| file).collect(),
            notes: Vec::new(),
        }
    }
}

/// The id git would give `text` stored as a file (its SHA-1 object hash):
/// a stable, compact name for a piece of text.
pub fn object_id(text: &str) -> Option<String> {
    Oid::hash_object(ObjectType::Blob, text.as_bytes())
        .ok()
        .map(|oid| oid.to_string())
}

/// The command that fetches `rev` into a shallow clone: `origin/main` is
/// branch `main` of remote `origin`.
fn fetch_command(rev: &str) -> String {
    match rev.split_once('/') {
        Some((remote, branch)) if !remote.is_empty() && !branch.is_empty() => {
            format!("`git fetch --depth=1 {remote} {branch}:refs/remotes/{remote}/{branch}`")
        }
        _ => format!("`git fetch --depth=1 origin {rev}`"),
    }
}

/// The ids of each postmortem blob (its own and its explicit action ids),
/// kept in the git directory (`pmbook/ids`) so that the pre-commit hook
/// reads only the blobs it has never seen. Keyed by blob hash, and the file
/// records the Action items headings the scan looked for, so it can never be
/// stale; a missing, damaged, older-format or differently-configured cache is
/// rebuilt.
///
/// Format: a header line `pmbook-ids 4` followed by the headings, tab
/// separated; then per blob a line `<blob> <postmortem id>` (the id may be
/// empty) followed by one line `\t<action id>\t<item text>` per explicit
/// action id and one line `@<id>` per id named in `related`.
struct IdCache {
    path: PathBuf,
    header: String,
    ids: HashMap<Oid, FileIds>,
    changed: bool,
}

const CACHE_FORMAT: &str = "pmbook-ids 4";

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
            let mut current: Option<&mut FileIds> = None;
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
                if let Some(related) = line.strip_prefix('@') {
                    if let Some(file) = current.as_mut() {
                        file.related.push(related.to_owned());
                    }
                    continue;
                }
                let (oid, id) = line.split_once(' ').unwrap_or((line, ""));
                current = Oid::from_str(oid).ok().map(|oid| {
                    let file = FileIds {
                        id: (!id.is_empty()).then(|| id.to_owned()),
                        ..FileIds::default()
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
    fn get(&self, blob: Oid) -> Option<FileIds> {
        self.ids.get(&blob).cloned()
    }

    fn insert(&mut self, blob: Oid, file: &FileIds) {
        // An id that would break the line format is not stored; the blob
        // is read again next time instead.
        let storable = file
            .id
            .as_ref()
            .is_none_or(|id| !id.contains(char::is_whitespace))
            && file.action_ids.iter().all(|a| {
                !a.id.contains(['\t', '\n', '\r']) && !a.text.contains(['\t', '\n', '\r'])
            })
            && file.related.iter().all(|id| !id.contains(['\n', '\r']));
        if storable {
            self.ids.insert(
                blob,
                FileIds {
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
        let mut entries: Vec<(&Oid, &FileIds)> = self.ids.iter().collect();
        entries.sort_by_key(|(oid, _)| **oid);
        let mut text = self.header.clone();
        text.push('\n');
        for (oid, file) in entries {
            text.push_str(&format!("{oid} {}\n", file.id.as_deref().unwrap_or("")));
            for action in &file.action_ids {
                text.push_str(&format!("\t{}\t{}\n", action.id, action.text));
            }
            for id in &file.related {
                text.push_str(&format!("@{id}\n"));
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
