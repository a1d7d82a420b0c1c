//! The typed model of a postmortem. Everything downstream of parsing (rules,
//! reports) works on these types; every element keeps the span it came from.

use jiff::civil::Date;
use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};

pub mod source;

pub use source::{Source, Span};

/// A value and the span of the source it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Field<T> {
    pub fn new(value: T, span: Span) -> Field<T> {
        Field { value, span }
    }
}

/// An instant with the UTC offset it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub timestamp: Timestamp,
    pub offset: Offset,
}

impl DateTime {
    /// The civil date at the written offset ("the incident's day").
    pub fn date(&self) -> Date {
        self.offset.to_datetime(self.timestamp).date()
    }
}

/// One postmortem file, parsed.
#[derive(Debug)]
pub struct Postmortem {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    pub source: Source,
    /// `None` when the front-matter is missing or is not valid TOML; the
    /// reason is in `front_matter_problem`.
    pub front_matter: Option<FrontMatter>,
    pub front_matter_problem: Option<FrontMatterProblem>,
    pub sections: Vec<Section>,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<ActionItem>,
    pub whys: Vec<Field<String>>,
    pub ishikawa: Vec<IshikawaBone>,
    /// Spans of prose (paragraphs, headings, list items, table cells), outside
    /// code and raw HTML: what wording rules read.
    pub prose: Vec<Span>,
    /// Parts of the prose that are not wording, which wording rules skip:
    /// inline code, inline HTML (comments too), link destinations and titles,
    /// and URLs.
    pub not_prose: Vec<Span>,
    /// Code blocks and raw HTML blocks: not prose, but what readers find
    /// with search.
    pub code: Vec<Span>,
    /// The destination of each link and image of the body, with the span
    /// of the whole link.
    pub links: Vec<Field<String>>,
    pub suppressions: Suppressions,
    /// Set when the file could not be read as text; nothing else is then set.
    pub file_problem: Option<FileProblem>,
}

impl Postmortem {
    pub fn id(&self) -> Option<&str> {
        let fm = self.front_matter.as_ref()?;
        fm.id.as_ref().map(|f| f.value.as_str())
    }

    pub fn status(&self) -> Option<&str> {
        let fm = self.front_matter.as_ref()?;
        fm.status.as_ref().map(|f| f.value.as_str())
    }

    /// The section whose configured name is `canonical` (first one wins).
    pub fn section(&self, canonical: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.canonical.as_deref() == Some(canonical))
    }
}

/// A postmortem file as read, before parsing: its path relative to the
/// repository root, where it is on disk when it was read from the work
/// tree, and its text or why it has none (with what could be decoded, to
/// locate the problem).
#[derive(Clone)]
pub struct PostmortemFile {
    pub path: String,
    pub on_disk: Option<std::path::PathBuf>,
    pub text: Result<String, (FileProblem, String)>,
}

impl PostmortemFile {
    /// Whether `pm` was parsed from this file as it reads now: the same
    /// text, read without a problem then and now.
    pub fn is_text_of(&self, pm: &Postmortem) -> bool {
        pm.file_problem.is_none()
            && self
                .text
                .as_ref()
                .is_ok_and(|text| *pm.source.bytes() == *text.as_bytes())
    }
}

/// Why a file could not be read as a postmortem at all.
#[derive(Debug, Clone, PartialEq)]
pub enum FileProblem {
    Unreadable(String),
    /// Not UTF-8; the byte offset of the first invalid sequence.
    NotUtf8 {
        offset: usize,
    },
    /// Holds NUL bytes.
    Binary,
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    /// A symbolic link whose target is outside the project; not followed.
    SymlinkOutside {
        target: String,
    },
}

/// Why the front-matter could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum FrontMatterProblem {
    /// The file does not start with a `+++` line.
    Missing { looks_like_yaml: bool },
    /// No closing `+++` line; the span is the opening line.
    Unterminated { open: Span },
    /// TOML syntax error at `span`.
    Toml { span: Span, message: String },
}

/// The front-matter fields, each with its span. Fields are `None` when absent
/// or of the wrong type (the type error is then in `type_errors`).
#[derive(Debug, Default)]
pub struct FrontMatter {
    /// The TOML text between the `+++` lines.
    pub span: Span,
    /// Every top-level key, in source order.
    pub keys: Vec<Field<String>>,
    pub type_errors: Vec<TypeError>,

    pub id: Option<Field<String>>,
    pub title: Option<Field<String>>,
    pub status: Option<Field<String>>,
    pub severity: Option<Field<String>>,
    pub services: Option<Field<Vec<Field<String>>>>,
    pub tags: Option<Field<Vec<Field<String>>>>,
    pub authors: Option<Field<Vec<Field<String>>>>,
    pub started_at: Option<Field<DateTime>>,
    pub detected_at: Option<Field<DateTime>>,
    pub acknowledged_at: Option<Field<DateTime>>,
    pub mitigated_at: Option<Field<DateTime>>,
    pub resolved_at: Option<Field<DateTime>>,
    pub review_at: Option<Field<DateTime>>,
    pub trigger: Option<Field<String>>,
    pub caused_by_change: Option<Field<bool>>,
    pub root_cause_category: Option<Field<String>>,
    pub related: Option<Field<Vec<Field<String>>>>,
    pub visibility: Option<Field<String>>,
    pub slo: Vec<Field<Slo>>,
    /// Fields whose value the author has not confirmed yet (what `pmbook
    /// import` lists for facts the original did not give).
    pub unconfirmed: Option<Field<Vec<Field<String>>>>,
    /// The file `pmbook import` made this postmortem from.
    pub imported_from: Option<Field<String>>,
}

impl FrontMatter {
    /// The incident's milestones in the order they must happen.
    pub fn milestones(&self) -> [(&'static str, Option<&Field<DateTime>>); 5] {
        [
            ("started_at", self.started_at.as_ref()),
            ("detected_at", self.detected_at.as_ref()),
            ("acknowledged_at", self.acknowledged_at.as_ref()),
            ("mitigated_at", self.mitigated_at.as_ref()),
            ("resolved_at", self.resolved_at.as_ref()),
        ]
    }

    pub fn has_key(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k.value == key)
    }

    /// The entries of `unconfirmed`.
    pub fn unconfirmed(&self) -> impl Iterator<Item = &Field<String>> {
        self.unconfirmed.iter().flat_map(|list| list.value.iter())
    }

    /// Every string value written in the front-matter, for wording rules.
    pub fn strings(&self) -> impl Iterator<Item = &Field<String>> {
        let single = [
            &self.id,
            &self.title,
            &self.status,
            &self.severity,
            &self.trigger,
            &self.root_cause_category,
            &self.visibility,
            &self.imported_from,
        ]
        .into_iter()
        .flatten();
        let lists = [&self.services, &self.tags, &self.authors, &self.related]
            .into_iter()
            .flatten()
            .flat_map(|list| list.value.iter());
        single.chain(lists)
    }
}

/// Incident durations, from the front-matter times (`None` when a time is
/// missing).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Durations {
    pub to_detect: Option<SignedDuration>,
    pub to_acknowledge: Option<SignedDuration>,
    pub to_mitigate: Option<SignedDuration>,
    pub to_resolve: Option<SignedDuration>,
}

impl FrontMatter {
    pub fn durations(&self) -> Durations {
        let between = |from: &Option<Field<DateTime>>, to: &Option<Field<DateTime>>| {
            Some(
                from.as_ref()?
                    .value
                    .timestamp
                    .duration_until(to.as_ref()?.value.timestamp),
            )
        };
        Durations {
            to_detect: between(&self.started_at, &self.detected_at),
            to_acknowledge: between(&self.detected_at, &self.acknowledged_at),
            to_mitigate: between(&self.started_at, &self.mitigated_at),
            to_resolve: between(&self.started_at, &self.resolved_at),
        }
    }
}

/// A front-matter value of the wrong type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeError {
    pub key: String,
    pub span: Span,
    pub expected: &'static str,
    pub found: String,
    pub help: Option<String>,
}

/// A service-level objective the incident burned budget of (`[slo]` or
/// `[[slo]]`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slo {
    pub name: Option<Field<String>>,
    pub budget_consumed: Option<Field<f64>>,
}

/// A level-2 section.
#[derive(Debug, Clone)]
pub struct Section {
    /// The heading text as written.
    pub title: String,
    /// The configured section name it matched (directly or by alias).
    pub canonical: Option<String>,
    pub heading: Span,
    /// Whether anything but blank lines and HTML comments follows the heading.
    pub has_content: bool,
}

/// One entry of the Timeline section.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub span: Span,
    /// When it happened, or why the timestamp could not be read.
    pub at: Result<DateTime, TimelineProblem>,
    /// Whether the entry gave a full date (not only `HH:MM`).
    pub has_date: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TimelineProblem {
    /// The entry does not start with a timestamp.
    NoTimestamp,
    /// A date or time that does not exist (`2026-02-30`, `25:00`).
    Invalid(String),
    /// A local time that the clocks of `zone` skip (a daylight-saving gap,
    /// such as 02:30 on the last Sunday of March in `Europe/Paris`).
    Skipped { time: String, zone: String },
    /// A full date and time without a zone or offset.
    NoZone,
    /// A zone abbreviation (`PST`), which pmbook does not guess an offset
    /// for.
    Abbreviation(String),
    /// `HH:MM` with no date before it and no `started_at` to take the day from.
    NoDay,
}

/// A task-list item (or a plain list item, which is a mistake) of the Action
/// items section.
#[derive(Debug, Clone)]
pub struct ActionItem {
    pub span: Span,
    /// False for a plain `- item` without a `[ ]` box.
    pub is_task: bool,
    pub done: bool,
    /// The item text without its metadata group.
    pub text: String,
    pub owner: Option<Field<String>>,
    pub due: Option<Field<String>>,
    pub kind: Option<Field<String>>,
    pub ticket: Option<Field<String>>,
    pub id: Option<Field<String>>,
    pub closed: Option<Field<String>>,
    /// Metadata entries that are not `key: value` with a known key.
    pub unknown_metadata: Vec<Field<String>>,
}

impl ActionItem {
    pub fn due_date(&self) -> Option<Date> {
        self.due.as_ref()?.value.parse().ok()
    }

    /// The text as identity compares it: see [`normalize_action_text`].
    pub fn normalized_text(&self) -> String {
        normalize_action_text(&self.text)
    }
}

/// An action item's text reduced to what identifies it: lowercase, with
/// runs of whitespace collapsed to one space, so that re-wrapping a line or
/// fixing the case of a word does not make it another item.
pub fn normalize_action_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// One cause in the Ishikawa section (`- **Process**: no canary stage`).
#[derive(Debug, Clone)]
pub struct IshikawaBone {
    pub span: Span,
    pub category: Field<String>,
    pub text: String,
}

/// `<!-- pmbook-disable RULE -->` and `<!-- pmbook-disable-next-line RULE -->`.
/// An empty rule list means every rule.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    pub file: Vec<Vec<String>>,
    /// (line the comment applies to, rules)
    pub lines: Vec<(usize, Vec<String>)>,
}

impl Suppressions {
    pub fn suppresses(&self, rule: &str, line: Option<usize>) -> bool {
        let names = |rules: &Vec<String>| rules.is_empty() || rules.iter().any(|r| r == rule);
        self.file.iter().any(names)
            || line.is_some_and(|line| {
                self.lines
                    .iter()
                    .any(|(l, rules)| *l == line && names(rules))
            })
    }
}
