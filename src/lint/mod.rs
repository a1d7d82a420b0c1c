//! The linter: rules (one per file under `rules/`), the registry that lists
//! them, and the engine that runs them over parsed postmortems.

pub mod fix;
pub mod registry;
pub mod rules;

use jiff::civil::Date;
use rayon::prelude::*;
use regex::Regex;

use crate::actions::tracker::Tracker;
use crate::config::{Config, Level};
use crate::corpus::{Corpus, IdIndex};
use crate::diagnostics::{Diagnostic, FileReport, Report, Severity};
use crate::error::Error;
use crate::links::Disk;
use crate::model::{Postmortem, Span};
use crate::parse::{Parser, ids::FileIds};
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
    /// Set for a rule that reads the ids of the other postmortems
    /// ([`Context::index`]): whether it can report anything on a file with
    /// these ids, given the index. A whole-repository lint runs the other
    /// rules as it parses each file, before the index exists, and this one
    /// afterwards, only on the files where it can report.
    pub cross_file: Option<fn(&FileIds, &IdIndex) -> bool>,
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
            check: $check:path
            $(, cross_file: $cross_file:path)? $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::lint::Rule = $crate::lint::Rule {
            id: $id,
            doc: concat!($($doc, "\n"),*),
            default_level: $crate::config::Level::$level,
            relaxed_in_draft: $relaxed,
            check: $check,
            cross_file: $crate::lint::rule!(@cross_file $($cross_file)?),
        };
    };
    (@cross_file) => {
        None
    };
    (@cross_file $cross_file:path) => {
        Some($cross_file)
    };
}
pub(crate) use rule;

/// What a rule sees: one postmortem, the configuration, the date, where
/// linked files are, and the ids of every postmortem in the repository.
pub struct Context<'a> {
    pub pm: &'a Postmortem,
    pub config: &'a Config,
    pub today: Date,
    /// Where linked files are looked up; without it, only links that leave
    /// the project are reported.
    pub disk: Option<&'a Disk>,
    /// The ids of every postmortem; `None` while the linter checks a file
    /// as it parses it, before the index exists: only the rules without
    /// [`Rule::cross_file`] run then.
    pub index: Option<&'a IdIndex>,
    pub patterns: &'a Patterns,
    /// The ticket tracker's export of `[actions] tracker`, when set.
    pub tracker: Option<&'a Tracker>,
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
            blameful: if crate::language::is_french(&config.book.language) {
                Some(rules::blameful_language::french_pattern(
                    &config.lint.blameful_phrases,
                )?)
            } else {
                words_pattern(&config.lint.blameful_phrases, true)?
            },
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

/// Lints the postmortems of `corpus` read in full, against the ids of all
/// of them and, when given, the ticket tracker's export.
///
/// Each file is parsed once and checked at once by the rules that read
/// only it; its model is then dropped, and only its text, what was found
/// and its ids are kept, so memory holds the texts, not the documents. The
/// id index is built from those ids (and, for the other postmortems, from
/// their scan). Then each cross-file rule ([`Rule::cross_file`]) runs on
/// the files where it can report, parsed again from the kept text.
pub fn run(
    config: &Config,
    mut corpus: Corpus,
    today: Date,
    tracker: Option<&Tracker>,
) -> Result<Report, Error> {
    let patterns = Patterns::new(config)?;
    let disk = corpus.disk.take();
    let run = Run {
        config,
        today,
        disk: disk.as_ref(),
        patterns: &patterns,
        tracker,
    };
    let parser = Parser::new(config);
    let files_checked = corpus.files.len();
    let (checked, index) = corpus.map_indexed(config, |pm| {
        let single = registry::RULES
            .iter()
            .copied()
            .filter(|rule| rule.cross_file.is_none());
        let diagnostics = in_order(check_rules(&run.context(&pm, None), single));
        (pm.path, pm.source, diagnostics)
    });
    let mut files: Vec<FileReport> = checked
        .into_par_iter()
        .filter_map(|((path, mut source, mut diagnostics), ids)| {
            let cross_file: Vec<&Rule> = registry::RULES
                .iter()
                .copied()
                .filter(|rule| {
                    rule.cross_file
                        .zip(ids.as_ref())
                        .is_some_and(|(can_report, ids)| can_report(ids, &index))
                })
                .collect();
            if !cross_file.is_empty() {
                let pm = parser.parse(path.clone(), source.into_original());
                let found = check_rules(&run.context(&pm, Some(&index)), cross_file);
                diagnostics.extend(found.into_iter().map(|(diagnostic, _)| diagnostic));
                sort(&mut diagnostics);
                source = pm.source;
            }
            (!diagnostics.is_empty()).then_some(FileReport {
                path,
                source,
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
    sort(&mut diagnostics);
    (diagnostics, fixes.into_iter().flatten().collect())
}

/// What every postmortem of a whole-repository lint is checked with.
struct Run<'a> {
    config: &'a Config,
    today: Date,
    disk: Option<&'a Disk>,
    patterns: &'a Patterns,
    tracker: Option<&'a Tracker>,
}

impl Run<'_> {
    fn context<'a>(&'a self, pm: &'a Postmortem, index: Option<&'a IdIndex>) -> Context<'a> {
        Context {
            pm,
            config: self.config,
            today: self.today,
            disk: self.disk,
            index,
            patterns: self.patterns,
            tracker: self.tracker,
        }
    }
}

/// The diagnostics of `found`, in the order they are reported.
fn in_order(found: Vec<(Diagnostic, Option<Fix>)>) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = found.into_iter().map(|(d, _)| d).collect();
    sort(&mut diagnostics);
    diagnostics
}

/// Puts diagnostics in the order they are reported: by position, then by
/// rule. The sort is stable and the key holds the rule, so the diagnostics
/// of two sets of rules sorted together come out as if all the rules had
/// run at once.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (a.start, a.rule).cmp(&(b.start, b.rule)));
}

/// Runs every enabled rule on one postmortem: each diagnostic with its fix,
/// in rule order, for an editor to offer the fix on its diagnostic.
pub fn check_each(context: &Context) -> Vec<(Diagnostic, Option<Fix>)> {
    check_rules(context, registry::RULES.iter().copied())
}

/// Runs `rules` (those enabled) on one postmortem, in the order given.
fn check_rules<'r>(
    context: &Context,
    rules: impl IntoIterator<Item = &'r Rule>,
) -> Vec<(Diagnostic, Option<Fix>)> {
    let (pm, config) = (context.pm, context.config);
    let is_draft = pm.status() == config.lint.statuses.first().map(String::as_str);
    let mut found = Vec::new();
    let mut violations = Vec::new();
    for rule in rules {
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
