//! The project as the server holds it: what every postmortem contributes to
//! cross-file checks, completion and navigation, loaded once and kept
//! current from the editor's buffers and file events, so that a change
//! re-lints only the file that changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use lsp_types::{Range, Uri};
use rayon::prelude::*;

use super::text::{Lines, path_of};
use crate::actions::tracker::Tracker;
use crate::config::Project;
use crate::corpus::{Corpus, IdIndex};
use crate::diagnostics::Diagnostic;
use crate::discover::{self, PostmortemFilter};
use crate::error::Error;
use crate::links::Disk;
use crate::lint::{self, Context, Fix, Patterns};
use crate::model::{FileProblem, Postmortem};
use crate::parse;
use crate::parse::ids::FileIds;

/// What navigation and completion need from one postmortem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub id: Option<String>,
    pub title: Option<String>,
    /// The day `started_at` falls on.
    pub date: Option<Date>,
    pub severity: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// Owners of action items, without `@`.
    pub owners: Vec<String>,
    /// Ids named in `related`, and where.
    pub related: Vec<(String, Range)>,
}

impl Facts {
    fn of(pm: &Postmortem) -> Facts {
        let Some(fm) = &pm.front_matter else {
            return Facts::default();
        };
        let lines = Lines::new(&pm.source);
        let values = |list: &Option<crate::model::Field<Vec<crate::model::Field<String>>>>| {
            list.iter()
                .flat_map(|l| &l.value)
                .map(|f| f.value.clone())
                .collect::<Vec<_>>()
        };
        Facts {
            id: pm.id().map(str::to_owned),
            title: fm.title.as_ref().map(|f| f.value.clone()),
            date: fm.started_at.as_ref().map(|f| f.value.date()),
            severity: fm.severity.as_ref().map(|f| f.value.clone()),
            services: values(&fm.services),
            tags: values(&fm.tags),
            authors: values(&fm.authors),
            owners: pm
                .actions
                .iter()
                .filter_map(|a| a.owner.as_ref())
                .map(|o| o.value.clone())
                .filter(|o| !o.is_empty())
                .collect(),
            related: fm
                .related
                .iter()
                .flat_map(|l| &l.value)
                .map(|f| (f.value.clone(), lines.range(f.span)))
                .collect(),
        }
    }
}

/// One postmortem of the project.
struct Entry {
    ids: FileIds,
    facts: Facts,
}

/// One postmortem, parsed and checked.
pub struct Linted {
    pub pm: Postmortem,
    /// Each diagnostic with the fix `lint --fix` would make.
    pub findings: Vec<(Diagnostic, Option<Fix>)>,
}

pub struct Workspace {
    pub project: Project,
    filter: PostmortemFilter,
    patterns: Patterns,
    /// `--today`, else the date of each check.
    today: Option<Date>,
    index: IdIndex,
    /// Where linked files are looked up: on disk, as `pmbook lint` does.
    disk: Disk,
    /// The ticket tracker's export of `[actions] tracker`, when set.
    tracker: Option<Tracker>,
    entries: HashMap<PathBuf, Entry>,
    /// The editor's text of each open postmortem, which wins over the disk.
    open: HashMap<PathBuf, String>,
}

impl Workspace {
    /// Reads every postmortem of `project` once.
    pub fn load(project: Project, today: Option<Date>) -> Result<Workspace, Error> {
        let filter = PostmortemFilter::new(&project)?;
        let patterns = Patterns::new(&project.config)?;
        // A project without its postmortem directory yet has no postmortems.
        let files = Corpus::work_tree(&project)
            .map(|corpus| corpus.files)
            .unwrap_or_default();
        let disk = Disk::of(&project);
        let mut workspace = Workspace {
            project,
            filter,
            patterns,
            today,
            index: IdIndex::default(),
            disk,
            tracker: None,
            entries: HashMap::new(),
            open: HashMap::new(),
        };
        let entries: Vec<(PathBuf, Entry)> = files
            .into_par_iter()
            .filter_map(|file| {
                let path = file.on_disk?;
                let entry = workspace.entry(&path, file.text).0;
                Some((path, entry))
            })
            .collect();
        workspace.index = IdIndex::of_files(entries.iter().map(|(_, e)| e.ids.clone()));
        workspace.tracker = Tracker::configured(&workspace.project)?;
        workspace.entries = entries.into_iter().collect();
        Ok(workspace)
    }

    /// The path of `uri` when it is one of the project's postmortems.
    pub fn postmortem_path(&self, uri: &Uri) -> Option<PathBuf> {
        let path = path_of(uri)?;
        // An editor may name the file through a symbolic link of a directory.
        let path = match (path.parent(), path.file_name()) {
            (Some(dir), Some(name)) => std::fs::canonicalize(dir)
                .map(|d| d.join(name))
                .unwrap_or(path),
            _ => path,
        };
        self.filter.accepts_in_src(&path).then_some(path)
    }

    fn today(&self) -> Date {
        self.today.unwrap_or_else(|| jiff::Zoned::now().date())
    }

    /// Parses `text` and reads what the index and the facts need.
    fn entry(
        &self,
        path: &Path,
        text: Result<String, (FileProblem, String)>,
    ) -> (Entry, Postmortem) {
        let display = self.project.display_path(path);
        let config = &self.project.config;
        let pm = match text {
            Ok(text) => parse::parse(display, text, config),
            Err((problem, text)) => parse::unreadable(display, text, problem),
        };
        let ids = FileIds::of(&pm);
        let facts = Facts::of(&pm);
        (Entry { ids, facts }, pm)
    }

    /// The text of a postmortem: the editor's, else the file's.
    fn text(&self, path: &Path) -> Result<String, (FileProblem, String)> {
        match self.open.get(path) {
            Some(text) => self.editor_text(text.clone()),
            None => discover::read(&self.project, path),
        }
    }

    /// An editor's buffer passes the checks a file on disk does: its size
    /// and NUL bytes.
    fn editor_text(&self, text: String) -> Result<String, (FileProblem, String)> {
        let limit = self.project.config.lint.max_file_bytes;
        if text.len() as u64 > limit {
            let bytes = text.len() as u64;
            return Err((FileProblem::TooLarge { bytes, limit }, String::new()));
        }
        discover::decode(text.into_bytes())
    }

    /// Records the editor's text of `path`. Returns whether the ids the
    /// other files are checked against changed.
    pub fn set_open(&mut self, path: &Path, text: String) -> bool {
        self.open.insert(path.to_path_buf(), text);
        self.refresh(path)
    }

    /// The editor closed `path`: the file on disk counts again.
    pub fn close(&mut self, path: &Path) -> bool {
        self.open.remove(path);
        self.refresh(path)
    }

    /// Whether the editor has `path` open.
    pub fn is_open(&self, path: &Path) -> bool {
        self.open.contains_key(path)
    }

    /// The open postmortems.
    pub fn open_paths(&self) -> Vec<PathBuf> {
        self.open.keys().cloned().collect()
    }

    /// A file changed, appeared or went away on disk. Returns whether the
    /// ids changed.
    pub fn file_changed(&mut self, path: &Path) -> bool {
        if self.is_open(path) {
            return false;
        }
        self.refresh(path)
    }

    /// Reads `path` again (from the editor or the disk) and updates the
    /// index; a file that no longer exists is dropped.
    fn refresh(&mut self, path: &Path) -> bool {
        let old = self.entries.remove(path);
        if let Some(old) = &old {
            self.index.remove_file(&old.ids);
        }
        let exists = self.is_open(path) || std::fs::symlink_metadata(path).is_ok();
        if !exists {
            return old.is_some();
        }
        let entry = self.entry(path, self.text(path)).0;
        let changed = match &old {
            Some(old) => old.ids != entry.ids,
            None => entry.ids.id.is_some() || !entry.ids.action_ids.is_empty(),
        };
        self.index.add_file(entry.ids.clone());
        self.entries.insert(path.to_path_buf(), entry);
        changed
    }

    /// Lints `path` against the index.
    pub fn lint(&self, path: &Path) -> Linted {
        let pm = self.entry(path, self.text(path)).1;
        let context = Context {
            pm: &pm,
            config: &self.project.config,
            today: self.today(),
            disk: Some(&self.disk),
            index: Some(&self.index),
            patterns: &self.patterns,
            tracker: self.tracker.as_ref(),
        };
        let findings = lint::check_each(&context);
        Linted { pm, findings }
    }

    /// Parses `path` without checking it.
    pub fn parse(&self, path: &Path) -> Postmortem {
        self.entry(path, self.text(path)).1
    }

    /// Every postmortem with its facts, by path.
    pub fn facts(&self) -> impl Iterator<Item = (&Path, &Facts)> {
        self.entries.iter().map(|(p, e)| (p.as_path(), &e.facts))
    }

    /// The postmortems that declare `id`.
    pub fn declaring(&self, id: &str) -> Vec<(&Path, &Facts)> {
        let mut found: Vec<_> = self
            .facts()
            .filter(|(_, f)| f.id.as_deref() == Some(id))
            .collect();
        found.sort_by_key(|(p, _)| *p);
        found
    }
}
