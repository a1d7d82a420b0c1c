//! The linter: rules (one per file under `rules/`), the registry that lists
//! them, and the engine that runs them over parsed postmortems.

pub mod fix;
pub mod registry;
pub mod rules;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;
use regex::Regex;

use crate::config::{Config, Level, Project};
use crate::diagnostics::{Diagnostic, FileReport, Report, Severity};
use crate::discover;
use crate::error::Error;
use crate::model::{FileProblem, Postmortem, Span};
use crate::parse;
use crate::parse::action_ids::{ActionId, Scanner};
pub use fix::Fix;

/// A lint rule. Its doc comment (collected by [`rule!`]) is its user
/// documentation: a summary line, then why it matters and how to fix.
pub struct Rule {
    pub id: &'static str,
    pub doc: &'static str,
    pub default_level: Level,
    /// In a draft, this rule reports warnings at most: an author fills the
    /// template in over several commits.
    pub relaxed_in_draft: bool,
    pub check: fn(&Context, &mut Vec<Violation>),
}

impl Rule {
    /// The first line of the documentation.
    pub fn summary(&self) -> &'static str {
        self.doc.lines().next().unwrap_or_default().trim()
    }

    /// The documentation with the leading space of each doc-comment line
    /// removed.
    pub fn documentation(&self) -> String {
        self.doc
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn level(&self, config: &Config) -> Level {
        config
            .lint
            .rules
            .get(self.id)
            .copied()
            .unwrap_or(self.default_level)
    }
}

/// Declares a rule; the doc comment becomes [`Rule::doc`].
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = {
            id: $id:literal,
            level: $level:ident,
            relaxed_in_draft: $relaxed:literal,
            check: $check:path $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::lint::Rule = $crate::lint::Rule {
            id: $id,
            doc: concat!($($doc, "\n"),*),
            default_level: $crate::config::Level::$level,
            relaxed_in_draft: $relaxed,
            check: $check,
        };
    };
}
pub(crate) use rule;

/// What a rule sees: one postmortem, the configuration, the date, and the ids
/// of every postmortem in the repository.
pub struct Context<'a> {
    pub pm: &'a Postmortem,
    pub config: &'a Config,
    pub today: Date,
    pub index: &'a RepoIndex,
    pub patterns: &'a Patterns,
}

impl Context<'_> {
    /// The first line of `span`, so that a snippet shows one line.
    pub fn first_line(&self, span: Span) -> Span {
        let text = &self.pm.source.text[span.range()];
        let len = text.find(['\r', '\n']).unwrap_or(text.len());
        Span::new(span.start, span.start + len)
    }

    /// Matches of `pattern` in the prose and the front-matter strings of the
    /// postmortem, outside inline code, HTML, link destinations and URLs.
    /// The text is scanned once, whatever the number of paragraphs.
    pub fn wording_matches(&self, pattern: &Regex) -> Vec<Span> {
        let pm = self.pm;
        let mut regions: Vec<Span> = pm
            .front_matter
            .iter()
            .flat_map(|fm| fm.strings().map(|f| f.span))
            .chain(pm.prose.iter().copied())
            .collect();
        regions.sort_by_key(|s| s.start);
        pattern
            .find_iter(&pm.source.text)
            .map(|m| Span::new(m.start(), m.end()))
            .filter(|found| {
                let before = regions.partition_point(|r| r.start <= found.start);
                let in_prose = before > 0 && regions[before - 1].end >= found.end;
                let hidden = pm
                    .not_prose
                    .iter()
                    .any(|c| c.start < found.end && found.start < c.end);
                in_prose && !hidden
            })
            .collect()
    }
}

/// Patterns built from the configuration once per run, not once per file.
pub struct Patterns {
    pub placeholders: Option<Regex>,
    pub blameful: Option<Regex>,
}

impl Patterns {
    pub fn new(config: &Config) -> Result<Patterns, Error> {
        Ok(Patterns {
            placeholders: words_pattern(&config.lint.placeholders, false)?,
            blameful: words_pattern(&config.lint.blameful_phrases, true)?,
        })
    }
}

/// A regex matching any of `words` as whole words; `None` for no words.
fn words_pattern(words: &[String], ignore_case: bool) -> Result<Option<Regex>, Error> {
    if words.is_empty() {
        return Ok(None);
    }
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alternatives: Vec<String> = sorted
        .iter()
        .map(|w| {
            let (first, last) = (w.chars().next(), w.chars().last());
            format!("{}{}{}", boundary(first), regex::escape(w), boundary(last))
        })
        .collect();
    let flags = if ignore_case { "(?i)" } else { "" };
    let pattern = format!("{flags}(?:{})", alternatives.join("|"));
    Regex::new(&pattern)
        .map(Some)
        .map_err(|e| Error::Config(format!("invalid word list in [lint]: {e}")))
}

/// The word boundary to put next to `c`: ASCII boundaries keep the search in
/// the fast DFA engines (Unicode ones make it fall back to a backtracker on
/// any non-ASCII text), so they are used unless the word starts or ends with
/// a non-ASCII letter.
fn boundary(c: Option<char>) -> &'static str {
    match c {
        Some(c) if c.is_ascii_alphanumeric() => r"(?-u:\b)",
        Some(c) if c.is_alphanumeric() => r"\b",
        _ => "",
    }
}

/// What a rule reports; the engine adds the rule id, level and position.
#[derive(Debug)]
pub struct Violation {
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// What `lint --fix` may change to solve it, when that is safe.
    pub fix: Option<Fix>,
}

impl Violation {
    pub fn at(span: Span, message: impl Into<String>) -> Violation {
        Violation {
            span: Some(span),
            message: message.into(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    pub fn file(message: impl Into<String>) -> Violation {
        Violation {
            span: None,
            message: message.into(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Violation {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Violation {
        self.notes.push(note.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Violation {
        self.fix = Some(fix);
        self
    }
}

/// Postmortem and action-item ids across the repository, for cross-file
/// rules.
#[derive(Debug, Default)]
pub struct RepoIndex {
    /// id → paths of the files that declare it, sorted.
    pub ids: HashMap<String, Vec<String>>,
    /// Explicit action-item id → where it is used, sorted by path.
    pub action_ids: HashMap<String, Vec<ActionIdUse>>,
    /// Where linked files are looked up; without it, only links that
    /// leave the project are reported.
    pub disk: Option<crate::links::Disk>,
    /// The ticket tracker's export of `[actions] tracker`, when set.
    pub tracker: Option<std::sync::Arc<crate::actions::tracker::Tracker>>,
}

/// One use of an explicit action-item id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ActionIdUse {
    pub path: String,
    /// The item's text.
    pub text: String,
}

impl RepoIndex {
    /// The ids of `inputs` (scanned here, in parallel) and of the `others`
    /// already scanned.
    fn new(config: &Config, inputs: &[Input], others: Vec<OtherFile>) -> RepoIndex {
        let scanner = Scanner::new(config);
        let scanned: Vec<OtherFile> = inputs
            .par_iter()
            .filter_map(|input| {
                let text = input.text.as_ref().ok()?;
                Some(OtherFile::scan(input.path.clone(), text, &scanner))
            })
            .collect();
        RepoIndex::of_files(scanned.into_iter().chain(others))
    }

    fn add(&mut self, id: String, path: String) {
        let paths = self.ids.entry(id).or_default();
        paths.push(path);
        paths.sort();
    }

    /// Adds the ids of one file.
    pub fn add_file(&mut self, file: OtherFile) {
        if let Some(id) = file.id {
            self.add(id, file.path.clone());
        }
        for action in file.action_ids {
            let uses = self.action_ids.entry(action.id).or_default();
            uses.push(ActionIdUse {
                path: file.path.clone(),
                text: action.text,
            });
            uses.sort();
        }
    }

    /// The index of the ids of `files`.
    pub fn of_files(files: impl IntoIterator<Item = OtherFile>) -> RepoIndex {
        let mut index = RepoIndex::default();
        for file in files {
            index.add_file(file);
        }
        index
    }

    /// Removes what [`RepoIndex::add_file`] added for `file`, before the
    /// file changes or goes away.
    pub fn remove_file(&mut self, file: &OtherFile) {
        if let Some(id) = &file.id
            && let Some(paths) = self.ids.get_mut(id)
        {
            paths.retain(|p| *p != file.path);
            if paths.is_empty() {
                self.ids.remove(id);
            }
        }
        for action in &file.action_ids {
            if let Some(uses) = self.action_ids.get_mut(&action.id) {
                uses.retain(|u| u.path != file.path);
                if uses.is_empty() {
                    self.action_ids.remove(&action.id);
                }
            }
        }
    }
}

/// What the cross-file rules need from a postmortem: its id, explicit
/// action ids and, where a change may remove ids, the ids it names in
/// `related`; read by a cheap scan rather than a parse, so that linting one
/// file does not parse the repository.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OtherFile {
    pub path: String,
    pub id: Option<String>,
    pub action_ids: Vec<ActionId>,
    pub related: Vec<String>,
}

impl OtherFile {
    /// The id and action ids of `text`; `related` is left empty.
    pub fn scan(path: String, text: &str, scanner: &Scanner) -> OtherFile {
        OtherFile {
            path,
            id: parse::front_matter::scan_id(text),
            action_ids: scanner.scan(text),
            related: Vec::new(),
        }
    }

    /// Also reads `related` from `text` (a front-matter parse), which only
    /// the checks of removed ids need.
    pub fn with_related(mut self, text: &str) -> OtherFile {
        self.related = parse::front_matter::scan_related(text);
        self
    }

    /// Whether `related` names one of `ids`.
    pub fn names_any(&self, ids: &HashSet<String>) -> bool {
        self.related.iter().any(|id| ids.contains(id))
    }
}

/// What to lint.
pub enum Targets {
    /// Every postmortem of the project.
    All,
    /// These files (absolute paths), checked against the whole repository.
    Files(Vec<PathBuf>),
    /// The files a change added or modified (absolute paths), and the ids
    /// of the postmortems it deleted, renamed or edited: the postmortems
    /// left naming one of those ids in `related` are linted too.
    Changed {
        files: Vec<PathBuf>,
        old_ids: Vec<String>,
    },
}

/// A file to lint: its path relative to the repository root, and its text
/// or why it has none (with what could be decoded, to locate the problem).
pub struct Input {
    pub path: String,
    pub text: Result<String, (FileProblem, String)>,
}

/// Lints `targets` of `project` from the files on disk.
pub fn run(project: &Project, targets: Targets, today: Date) -> Result<Report, Error> {
    let loaded = load(project, targets)?;
    let disk = Some(crate::links::Disk::of(project));
    let tracker = crate::actions::tracker::Tracker::configured(project)?;
    lint_inputs(
        &project.config,
        loaded.inputs,
        loaded.other_ids,
        today,
        disk,
        tracker,
    )
}

/// What [`lint_inputs`] needs, read from disk, and where each input is, for
/// `lint --fix` to write it back.
pub struct Loaded {
    /// The absolute path of each input, in the same order.
    pub paths: Vec<PathBuf>,
    pub inputs: Vec<Input>,
    pub other_ids: Vec<OtherFile>,
}

/// Reads `targets`, and the ids of the project's other postmortems.
pub fn load(project: &Project, targets: Targets) -> Result<Loaded, Error> {
    let (named, old_ids) = match targets {
        Targets::All => (None, Vec::new()),
        Targets::Files(files) => (Some(files), Vec::new()),
        Targets::Changed { files, old_ids } => (Some(files), old_ids),
    };
    let (mut targets, others) = match named {
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
    let read = |path: &PathBuf| Input {
        path: project.display_path(path),
        text: discover::read(project, path),
    };
    let mut inputs: Vec<Input> = targets.par_iter().map(read).collect();
    let scanner = Scanner::new(&project.config);
    let mut other_ids: Vec<(PathBuf, OtherFile)> = others
        .into_par_iter()
        .filter_map(|path| {
            let text = discover::read(project, &path).ok()?;
            let file = OtherFile::scan(project.display_path(&path), &text, &scanner);
            let file = if old_ids.is_empty() {
                file
            } else {
                file.with_related(&text)
            };
            Some((path, file))
        })
        .collect();
    let removed = removed_ids(old_ids, &inputs, other_ids.iter().map(|(_, f)| f));
    if !removed.is_empty() {
        let (citing, rest): (Vec<_>, Vec<_>) = other_ids
            .into_iter()
            .partition(|(_, file)| file.names_any(&removed));
        for (path, _) in citing {
            inputs.push(read(&path));
            targets.push(path);
        }
        other_ids = rest;
    }
    let other_ids = other_ids.into_iter().map(|(_, file)| file).collect();
    Ok(Loaded {
        paths: targets,
        inputs,
        other_ids,
    })
}

/// The ids of `old_ids` that neither `inputs` nor `others` declare: the
/// ones a change removed.
pub fn removed_ids<'a>(
    old_ids: Vec<String>,
    inputs: &[Input],
    others: impl Iterator<Item = &'a OtherFile>,
) -> HashSet<String> {
    let mut removed: HashSet<String> = old_ids.into_iter().collect();
    if removed.is_empty() {
        return removed;
    }
    for input in inputs {
        if let Some(id) = input
            .text
            .as_ref()
            .ok()
            .and_then(|t| parse::front_matter::scan_id(t))
        {
            removed.remove(&id);
        }
    }
    for file in others {
        if let Some(id) = &file.id {
            removed.remove(id);
        }
    }
    removed
}

/// Lints `inputs`; `other_ids` are the ids of the repository's other
/// postmortems, for cross-file checks, and `disk` where linked files are
/// (none when the inputs are not the files on disk), and `tracker` the
/// ticket tracker's export, if configured. Each text is parsed once,
/// checked, and its model dropped, so memory holds texts, not models.
pub fn lint_inputs(
    config: &Config,
    inputs: Vec<Input>,
    other_ids: Vec<OtherFile>,
    today: Date,
    disk: Option<crate::links::Disk>,
    tracker: Option<crate::actions::tracker::Tracker>,
) -> Result<Report, Error> {
    let patterns = Patterns::new(config)?;
    let mut index = RepoIndex::new(config, &inputs, other_ids);
    index.disk = disk;
    index.tracker = tracker.map(std::sync::Arc::new);
    let files_checked = inputs.len();
    let mut files: Vec<FileReport> = inputs
        .into_par_iter()
        .filter_map(|input| {
            let pm = match input.text {
                Ok(text) => parse::parse(input.path, text, config),
                Err((problem, text)) => parse::unreadable(input.path, text, problem),
            };
            let context = Context {
                pm: &pm,
                config,
                today,
                index: &index,
                patterns: &patterns,
            };
            let diagnostics = check(&context);
            (!diagnostics.is_empty()).then_some(FileReport {
                path: pm.path,
                source: pm.source,
                diagnostics,
            })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Report {
        files,
        files_checked,
    })
}

/// Runs every enabled rule on one postmortem.
pub fn check(context: &Context) -> Vec<Diagnostic> {
    check_with_fixes(context).0
}

/// Runs every enabled rule on one postmortem; also returns the fixes of the
/// diagnostics reported (a rule that is off or suppressed fixes nothing), in
/// rule order.
pub fn check_with_fixes(context: &Context) -> (Vec<Diagnostic>, Vec<Fix>) {
    let (mut diagnostics, fixes): (Vec<Diagnostic>, Vec<Option<Fix>>) =
        check_each(context).into_iter().unzip();
    diagnostics.sort_by(|a, b| (a.start, a.rule).cmp(&(b.start, b.rule)));
    (diagnostics, fixes.into_iter().flatten().collect())
}

/// Runs every enabled rule on one postmortem: each diagnostic with its fix,
/// in rule order, for an editor to offer the fix on its diagnostic.
pub fn check_each(context: &Context) -> Vec<(Diagnostic, Option<Fix>)> {
    let (pm, config) = (context.pm, context.config);
    let is_draft = pm.status() == config.lint.statuses.first().map(String::as_str);
    let mut found = Vec::new();
    let mut violations = Vec::new();
    for rule in registry::RULES {
        let severity = match rule.level(config) {
            Level::Off => continue,
            Level::Warn => Severity::Warning,
            Level::Error if rule.relaxed_in_draft && is_draft => Severity::Warning,
            Level::Error => Severity::Error,
        };
        (rule.check)(context, &mut violations);
        for v in violations.drain(..) {
            let start = v.span.map(|s| pm.source.position(s.start));
            let end = v.span.map(|s| pm.source.position(s.end.max(s.start)));
            if pm.suppressions.suppresses(rule.id, start.map(|p| p.line)) {
                continue;
            }
            let diagnostic = Diagnostic {
                rule: rule.id,
                severity,
                message: v.message,
                span: v.span,
                start,
                end,
                help: v.help,
                notes: v.notes,
            };
            found.push((diagnostic, v.fix));
        }
    }
    found
}
