//! The postmortems of a project, read once from one source: the work tree,
//! the index being committed (`--staged`) or a commit (`--commit`).
//!
//! Every command starts from a [`Corpus`]: no command walks directories or
//! opens git on its own. A corpus holds in full the postmortems a command
//! works on (all of them, or those a change touched) and, for the others,
//! only their ids ([`FileIds`]), which is all the hook needs of them.

pub mod index;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::config::{Config, Project};
use crate::discover;
use crate::error::Error;
use crate::links::Disk;
use crate::model::{Postmortem, PostmortemFile};
use crate::parse::action_ids::Scanner;
use crate::parse::ids::{self, FileIds};
use crate::parse::{self, Parser};
use crate::repo::Git;
pub use index::{ActionIdUse, IdIndex};

/// Where a corpus was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    WorkTree,
    /// The index being committed (`GIT_INDEX_FILE` or the repository's).
    Index,
    /// The tree of this revision.
    Commit(String),
}

/// Which postmortems of the work tree to read in full.
pub enum Selection {
    /// Every postmortem of the project.
    All,
    /// These files (absolute paths); the others are known by their ids.
    Files(Vec<PathBuf>),
    /// The files a change added or modified (absolute paths), and the ids
    /// of the postmortems it deleted, renamed or edited: the postmortems
    /// left naming one of those ids in `related` are read in full too.
    Changed {
        files: Vec<PathBuf>,
        old_ids: Vec<String>,
    },
}

/// The postmortems of a project, as read from one source.
pub struct Corpus {
    pub origin: Origin,
    /// The postmortems read in full, in path order.
    pub files: Vec<PostmortemFile>,
    /// The project's other postmortems, known by their ids only.
    pub others: Vec<FileIds>,
    /// What the user should know about how the corpus was read (a shallow
    /// clone compared without its merge base).
    pub notes: Vec<String>,
    /// Where linked files are looked up: none for a commit, whose
    /// attachments are not on disk.
    pub disk: Option<Disk>,
}

/// How many corpora this process has read, for `--verbose`.
static LOADS: AtomicUsize = AtomicUsize::new(0);

/// How many times this process has read a project's postmortems.
pub fn loads() -> usize {
    LOADS.load(Ordering::Relaxed)
}

impl Corpus {
    /// A corpus just read from the repository.
    fn read(origin: Origin, files: Vec<PostmortemFile>, others: Vec<FileIds>) -> Corpus {
        LOADS.fetch_add(1, Ordering::Relaxed);
        Corpus::of(origin, files, others)
    }

    fn of(origin: Origin, files: Vec<PostmortemFile>, others: Vec<FileIds>) -> Corpus {
        Corpus {
            origin,
            files,
            others,
            notes: Vec::new(),
            disk: None,
        }
    }

    /// Every postmortem of the work tree, read in full.
    pub fn work_tree(project: &Project) -> Result<Corpus, Error> {
        Corpus::of_work_tree(project, Selection::All)
    }

    /// The postmortems of the work tree that `selection` names, read in
    /// full, and the ids of the others.
    pub fn of_work_tree(project: &Project, selection: Selection) -> Result<Corpus, Error> {
        let (named, old_ids) = match selection {
            Selection::All => (None, Vec::new()),
            Selection::Files(files) => (Some(files), Vec::new()),
            Selection::Changed { files, old_ids } => (Some(files), old_ids),
        };
        let (targets, others) = match named {
            None => (discover::postmortem_files(project)?, Vec::new()),
            Some(files) => {
                let all = if project.src_dir().is_dir() {
                    discover::postmortem_files(project)?
                } else {
                    Vec::new()
                };
                let named: HashSet<&PathBuf> = files.iter().collect();
                let others = all.into_iter().filter(|p| !named.contains(p)).collect();
                (files, others)
            }
        };
        let read = |path: &PathBuf| PostmortemFile {
            path: project.display_path(path),
            on_disk: Some(path.clone()),
            text: discover::read(project, path),
        };
        let mut files: Vec<PostmortemFile> = targets.par_iter().map(read).collect();
        let scanner = Scanner::new(&project.config);
        let mut others: Vec<(PathBuf, FileIds)> = others
            .into_par_iter()
            .filter_map(|path| {
                let text = discover::read(project, &path).ok()?;
                let file = FileIds::scan(project.display_path(&path), &text, &scanner);
                let file = if old_ids.is_empty() {
                    file
                } else {
                    file.with_related(&text)
                };
                Some((path, file))
            })
            .collect();
        let removed = ids::removed_ids(old_ids, &files, others.iter().map(|(_, f)| f));
        if !removed.is_empty() {
            let (citing, rest): (Vec<_>, Vec<_>) = others
                .into_iter()
                .partition(|(_, file)| file.names_any(&removed));
            files.extend(citing.iter().map(|(path, _)| read(path)));
            others = rest;
        }
        let mut corpus = Corpus::read(
            Origin::WorkTree,
            files,
            others.into_iter().map(|(_, file)| file).collect(),
        );
        corpus.disk = Some(Disk::of(project));
        Ok(corpus)
    }

    /// The postmortems of the work tree that differ from the merge base of
    /// `since` and HEAD (committed, staged, modified or new), and those
    /// left naming an id the change removed.
    pub fn changed_since(project: &Project, since: &str) -> Result<Corpus, Error> {
        let changes = Git::open(project)?.changed_in_worktree(project, since)?;
        let selection = Selection::Changed {
            files: changes.files,
            old_ids: changes.old_ids,
        };
        let mut corpus = Corpus::of_work_tree(project, selection)?;
        corpus.notes = changes.notes;
        Ok(corpus)
    }

    /// What the pre-commit hook checks: the staged postmortems that differ
    /// from HEAD, read from the index being committed, and the ids of every
    /// other staged postmortem.
    pub fn staged(project: &Project) -> Result<Corpus, Error> {
        let snapshot = Git::open(project)?.staged(project)?;
        Ok(Corpus::from_git(project, Origin::Index, snapshot))
    }

    /// What the pre-commit framework's hook checks outside a push: `files`
    /// (read from the work tree, which the framework has set to what is
    /// being committed) against the staged versions of the others.
    pub fn pre_commit(project: &Project, files: &[PathBuf]) -> Result<Corpus, Error> {
        let snapshot = Git::open(project)?.pre_commit(project, files)?;
        Ok(Corpus::from_git(project, Origin::Index, snapshot))
    }

    /// The postmortems of commit `rev` (all of them, or those changed since
    /// the merge base with `since`), read from its tree.
    pub fn at_commit(project: &Project, rev: &str, since: Option<&str>) -> Result<Corpus, Error> {
        let snapshot = Git::open(project)?.at_commit(project, rev, since)?;
        let mut corpus = Corpus::from_git(project, Origin::Commit(rev.to_owned()), snapshot);
        // An old commit's attachments are not on disk: only links that
        // leave the project are checked.
        corpus.disk = None;
        Ok(corpus)
    }

    fn from_git(project: &Project, origin: Origin, snapshot: crate::repo::Snapshot) -> Corpus {
        let mut corpus = Corpus::read(origin, snapshot.files, snapshot.others);
        corpus.notes = snapshot.notes;
        corpus.disk = Some(Disk::of(project));
        corpus
    }

    /// A corpus of texts held in memory (fixed texts, a test), checked as
    /// if they were the work tree's; it reads nothing.
    pub fn of_texts(files: Vec<PostmortemFile>, others: Vec<FileIds>) -> Corpus {
        Corpus::of(Origin::WorkTree, files, others)
    }

    /// One line for `--verbose`: what was read, from where.
    pub fn describe(&self) -> String {
        let from = match &self.origin {
            Origin::WorkTree => "the work tree".to_owned(),
            Origin::Index => "the index".to_owned(),
            Origin::Commit(rev) => format!("commit `{rev}`"),
        };
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        format!(
            "read {} postmortem{} from {from}, and the ids of {} other{}",
            self.files.len(),
            plural(self.files.len()),
            self.others.len(),
            plural(self.others.len()),
        )
    }

    /// Parses each file once, in parallel, in path order. A file that could
    /// not be read becomes a model holding only its problem.
    pub fn parse(self, config: &Config) -> Vec<Postmortem> {
        self.map(config, |pm| pm)
    }

    /// Parses each file once, in parallel, as [`Corpus::parse`] does, but
    /// takes from `earlier` (models of an earlier parse, by path) the model
    /// of each file whose text is the same. Returns which files were
    /// parsed anew.
    pub fn parse_over(
        self,
        config: &Config,
        mut earlier: HashMap<String, Postmortem>,
    ) -> (Vec<Postmortem>, HashSet<String>) {
        let work: Vec<Result<Postmortem, PostmortemFile>> = self
            .files
            .into_iter()
            .map(|file| match earlier.remove(&file.path) {
                Some(pm) if file.is_text_of(&pm) => Ok(pm),
                _ => Err(file),
            })
            .collect();
        let parsed_anew = work
            .iter()
            .filter_map(|w| w.as_ref().err().map(|file| file.path.clone()))
            .collect();
        let parser = Parser::new(config);
        let postmortems = work
            .into_par_iter()
            .map(|w| w.unwrap_or_else(|file| parse_file(file, &parser)))
            .collect();
        (postmortems, parsed_anew)
    }

    /// Parses each file once, in parallel, and keeps only what `take` draws
    /// from its model, so memory holds the results, not the documents.
    pub fn map<T: Send>(self, config: &Config, take: impl Fn(Postmortem) -> T + Sync) -> Vec<T> {
        let parser = Parser::new(config);
        self.files
            .into_par_iter()
            .map(|file| take(parse_file(file, &parser)))
            .collect()
    }

    /// Like [`Corpus::map`], and also builds the id index: from the parse
    /// of each file read in full, from the ids of the others. Each result
    /// comes with the ids of its file (`None` for a file that could not be
    /// read, which declares none).
    pub fn map_indexed<T: Send>(
        self,
        config: &Config,
        take: impl Fn(Postmortem) -> T + Sync,
    ) -> (Vec<(T, Option<FileIds>)>, IdIndex) {
        let parser = Parser::new(config);
        let results: Vec<(T, Option<FileIds>)> = self
            .files
            .into_par_iter()
            .map(|file| {
                let pm = parse_file(file, &parser);
                let ids = pm.file_problem.is_none().then(|| FileIds::of(&pm));
                (take(pm), ids)
            })
            .collect();
        let index = IdIndex::of_files(
            results
                .iter()
                .filter_map(|(_, ids)| ids.clone())
                .chain(self.others),
        );
        (results, index)
    }
}

fn parse_file(file: PostmortemFile, parser: &Parser) -> Postmortem {
    match file.text {
        Ok(text) => parser.parse(file.path, text),
        Err((problem, text)) => parse::unreadable(file.path, text, problem),
    }
}
