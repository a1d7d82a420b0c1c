//! `pmbook.toml`: discovery, defaults and validation.
//!
//! Everything works without a config file. The file is found by walking up
//! from the working directory (like `Cargo.toml`); its directory is the
//! project root, against which `book.src` and every reported path are
//! resolved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

use crate::error::{Error, SourceError};
use crate::model::Span;
use crate::text::did_you_mean;
use crate::time::Month;

pub const FILE_NAME: &str = "pmbook.toml";

/// `pmbook.toml`: every key is optional and keeps its default when left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "pmbook.toml")]
pub struct Config {
    /// Where the postmortems are and what the knowledge base is called.
    pub book: BookConfig,
    /// What `pmbook lint` accepts.
    pub lint: LintConfig,
    /// The level-2 sections of a postmortem.
    pub sections: SectionsConfig,
    /// Action items.
    pub actions: ActionsConfig,
    /// The static site.
    pub site: SiteConfig,
    /// Incident metrics (`pmbook stats` and the site's metrics page).
    pub metrics: MetricsConfig,
    /// `pmbook import`.
    pub import: ImportConfig,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ImportConfig {
    /// Severities of the originals and the configured severity each is
    /// imported as, e.g. `"major" = "SEV2"`; matched without regard to
    /// case, before the built-in reading of `P1`, `Sev-1`, `critical`, `1`.
    pub severity: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BookConfig {
    /// The knowledge base's title.
    pub title: String,
    /// Directory (relative to the project root) holding the postmortems.
    pub src: String,
    /// Glob patterns, relative to `src`, of Markdown files that are not
    /// postmortems.
    pub exclude: Vec<String>,
    /// The language the postmortems are written in, `en` or `fr`: it
    /// chooses the template of `pmbook new`, the wording rules' phrases and
    /// the site's words, dates and numbers.
    pub language: String,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: "Incident postmortems".into(),
            src: "postmortems".into(),
            exclude: strings(&["README.md", "**/README.md", "_*", "**/_*"]),
            language: "en".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LintConfig {
    /// Allowed severities, worst first.
    pub severities: Vec<String>,
    /// Allowed statuses; the first is the draft state.
    pub statuses: Vec<String>,
    /// Allowed root-cause (Ishikawa) categories.
    pub root_cause_categories: Vec<String>,
    /// Front-matter fields every postmortem must have.
    pub required_fields: Vec<String>,
    /// Extra front-matter fields a team uses, so `unknown-field` accepts them.
    pub extra_fields: Vec<String>,
    /// The blameless review is expected this many hours after `resolved_at`.
    pub review_window_hours: [u32; 2],
    /// Blaming or hindsight phrases (case-insensitive, whole words).
    pub blameful_phrases: Vec<String>,
    /// Placeholder words left from a template (case-sensitive, whole words).
    pub placeholders: Vec<String>,
    /// Files larger than this are reported instead of parsed.
    pub max_file_bytes: u64,
    /// Link of a rule's documentation page; `{rule}` is replaced by the
    /// rule id. Used by the SARIF output and `pmbook lsp`.
    pub rules_url: Option<String>,
    /// Per-rule level: "error", "warn" or "off".
    pub rules: BTreeMap<String, Level>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            severities: strings(&["SEV1", "SEV2", "SEV3", "SEV4"]),
            statuses: strings(&["draft", "in-review", "published"]),
            root_cause_categories: strings(&[
                "people",
                "process",
                "tooling",
                "code",
                "infrastructure",
                "external",
            ]),
            required_fields: strings(&[
                "id",
                "title",
                "status",
                "severity",
                "services",
                "started_at",
                "detected_at",
                "resolved_at",
            ]),
            extra_fields: Vec::new(),
            review_window_hours: [24, 72],
            blameful_phrases: strings(&[
                "human error",
                "operator error",
                "user error",
                "fault of",
                "to blame",
                "blame",
                "careless",
                "carelessly",
                "negligent",
                "negligence",
                "incompetent",
                "sloppy",
                "should have",
                "shouldn't have",
                "should not have",
                "could have",
                "failed to",
                "forgot to",
                "neglected to",
                "didn't bother",
                "obviously",
            ]),
            placeholders: strings(&["TODO", "TBD", "FIXME", "XXX", "lorem ipsum", "Lorem ipsum"]),
            max_file_bytes: 5 * 1024 * 1024,
            rules_url: None,
            rules: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SectionsConfig {
    /// Level-2 sections every postmortem must have.
    pub required: Vec<String>,
    /// Sections pmbook reads when present.
    pub optional: Vec<String>,
    /// Other headings accepted for a section, e.g. `"Timeline" = ["Chronologie"]`.
    pub aliases: BTreeMap<String, Vec<String>>,
}

impl Default for SectionsConfig {
    fn default() -> Self {
        SectionsConfig {
            required: strings(&[
                "Summary",
                "Impact",
                "Timeline",
                "Root cause",
                "Contributing factors",
                "Action items",
                "Communication",
            ]),
            optional: strings(&["Five whys", "Ishikawa", "Lessons learned"]),
            aliases: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ActionsConfig {
    /// Allowed action-item kinds.
    pub kinds: Vec<String>,
    /// Link for a ticket; `{ticket}` is replaced by the item's ticket.
    pub ticket_url: Option<String>,
    /// Days after `resolved_at` by which the open action items of an
    /// incident of this severity must be due; severities not listed have no
    /// limit.
    pub sla_days: BTreeMap<String, u32>,
    /// An export of the ticket tracker (GitHub's `gh issue list --json`
    /// output or Jira's CSV export), relative to the project directory:
    /// turns on the `action-ticket-state` rule.
    pub tracker: Option<String>,
}

impl Default for ActionsConfig {
    fn default() -> Self {
        ActionsConfig {
            kinds: strings(&[
                "fix", "automate", "tooling", "process", "test", "detect", "mitigate", "prevent",
            ]),
            ticket_url: None,
            sla_days: BTreeMap::from([("SEV1".into(), 28), ("SEV2".into(), 56)]),
            tracker: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Output directory of `pmbook build`, relative to the project root.
    pub out: String,
    /// "Edit this page" link; `{path}` is replaced by the file's path.
    pub edit_url: Option<String>,
    /// Front-matter fields left out of a public build (`--public`).
    pub public_exclude_fields: Vec<String>,
    /// Sections left out of a public build (`--public`).
    pub public_exclude_sections: Vec<String>,
    /// Absolute URL the site is published at, such as
    /// `https://postmortems.example.com/`: links that leave the site (the
    /// feed, canonical links, digests) are made absolute with it.
    pub url: Option<String>,
    /// The Mermaid renderer (`mermaid.min.js` of the npm `mermaid`
    /// package), relative to the project root, copied into the site to
    /// draw fenced `mermaid` blocks. Unset: `node_modules/mermaid/dist/`
    /// of the project root when `npm install mermaid` put it there, else
    /// the blocks show as code.
    pub mermaid: Option<String>,
    /// Show drafts in the site, each with a "draft" badge (as `pmbook build
    /// --drafts` does); a `--public` build never shows them.
    pub drafts: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            out: "site".into(),
            edit_url: None,
            public_exclude_fields: strings(&["authors"]),
            public_exclude_sections: strings(&["Internal notes"]),
            url: None,
            mermaid: None,
            drafts: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// Deployments per month, `"YYYY-MM" = count`: the denominator of the
    /// change failure rate. A month not listed is unknown, not zero, and is
    /// left out of the rate.
    pub deployments: BTreeMap<Month, u64>,
    /// A CSV file of `month,count` lines, relative to the project root, read
    /// in addition to `deployments` (a CI job can append to it without
    /// editing this file).
    pub deployments_csv: Option<String>,
    /// An incident recurs when an earlier one shares a service and its
    /// root-cause category and started at most this many days before it.
    pub recurrence_window_days: u32,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            deployments: BTreeMap::new(),
            deployments_csv: None,
            recurrence_window_days: 90,
        }
    }
}

/// How a rule's findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(extend("enum" = ["error", "warn", "warning", "off"]))]
pub enum Level {
    Error,
    #[serde(alias = "warning")]
    Warn,
    Off,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The project: its root directory and its configuration.
#[derive(Debug, Clone)]
pub struct Project {
    /// Directory holding `pmbook.toml` (or the starting directory's git work
    /// tree, or the starting directory itself, when there is none).
    pub root: PathBuf,
    /// Root of the enclosing git work tree; reported paths are relative to it.
    pub repo_root: PathBuf,
    pub config_path: Option<PathBuf>,
    pub config: Config,
}

impl Project {
    /// Finds and loads the project for `start` (the `-C` directory or the
    /// working directory), or from an explicit `--config` file.
    /// `rules` are the ids of the lint rules, which `[lint.rules]` may name.
    pub fn discover(
        start: &Path,
        explicit: Option<&Path>,
        rules: &[&str],
    ) -> Result<Project, Error> {
        let start = std::fs::canonicalize(start).map_err(|e| Error::io(start, e))?;
        let config_path = match explicit {
            Some(path) => {
                let path = start.join(path);
                Some(std::fs::canonicalize(&path).map_err(|e| Error::io(&path, e))?)
            }
            None => start
                .ancestors()
                .map(|dir| dir.join(FILE_NAME))
                .find(|candidate| candidate.is_file()),
        };
        let (root, config) = match &config_path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                let config = Config::from_toml(&text, path, rules)?;
                let root = path.parent().unwrap_or(&start).to_path_buf();
                (root, config)
            }
            None => (
                git_work_tree(&start).unwrap_or_else(|| start.clone()),
                Config::default(),
            ),
        };
        let repo_root = git_work_tree(&root).unwrap_or_else(|| root.clone());
        Ok(Project {
            root,
            repo_root,
            config_path,
            config,
        })
    }

    /// The directory holding the postmortems.
    pub fn src_dir(&self) -> PathBuf {
        self.root.join(&self.config.book.src)
    }

    /// The directory of the site's templates and assets that replace the
    /// built-in ones (`theme/`, next to `pmbook.toml`).
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("theme")
    }

    /// `path` (absolute) relative to the repository root, with `/`.
    pub fn display_path(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.repo_root).unwrap_or(path);
        let parts: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        parts.join("/")
    }
}

/// The closest directory at or above `dir` that holds `.git` (a directory,
/// or a file in linked worktrees).
fn git_work_tree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

impl Config {
    /// The configuration written in `text` (the file at `path`); `rules`
    /// are the ids of the lint rules, which `[lint.rules]` may name.
    pub fn from_toml(text: &str, path: &Path, rules: &[&str]) -> Result<Config, Error> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let span = e.span().map(|r| Span::new(r.start, r.end));
            let message = improve_serde_message(e.message());
            Error::Source(SourceError {
                path: path.to_path_buf(),
                text: text.to_owned(),
                span,
                message: format!("invalid {}: {message}", FILE_NAME),
            })
        })?;
        config.validate(text, path, rules)?;
        if let Some(url) = &mut config.site.url
            && !url.ends_with('/')
        {
            url.push('/');
        }
        Ok(config)
    }

    fn validate(&self, text: &str, path: &Path, known: &[&str]) -> Result<(), Error> {
        for rule in self.lint.rules.keys() {
            if !known.contains(&rule.as_str()) {
                let hint = match did_you_mean(rule, known.iter().copied()) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => "; `pmbook rules` lists them".into(),
                };
                return Err(Error::Source(SourceError {
                    path: path.to_path_buf(),
                    text: text.to_owned(),
                    span: located(text, &["lint", "rules", rule]).map(|at| at.key),
                    message: format!("unknown rule `{rule}` in [lint.rules]{hint}"),
                }));
            }
        }
        // The default table names the default severities; a team with its
        // own severities that leaves it alone simply has no limits.
        let sla_days_written = self.actions.sla_days != ActionsConfig::default().sla_days;
        for severity in self.actions.sla_days.keys() {
            if sla_days_written && !self.lint.severities.contains(severity) {
                let hint =
                    match did_you_mean(severity, self.lint.severities.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the severities are {}", self.lint.severities.join(", ")),
                    };
                return Err(Error::Source(SourceError {
                    path: path.to_path_buf(),
                    text: text.to_owned(),
                    span: located(text, &["actions", "sla_days", severity]).map(|at| at.key),
                    message: format!(
                        "[actions] sla_days names `{severity}`, which is not one of `[lint] severities`; {hint}"
                    ),
                }));
            }
        }
        for (n, pattern) in self.book.exclude.iter().enumerate() {
            if let Err(e) = globset::Glob::new(pattern) {
                return Err(Error::Source(SourceError {
                    path: path.to_path_buf(),
                    text: text.to_owned(),
                    span: located(text, &["book", "exclude"])
                        .and_then(|at| at.items.get(n).copied()),
                    message: format!("invalid pattern in `[book] exclude`: {}", e.kind()),
                }));
            }
        }
        if let Some(problem) = crate::language::problem(&self.book.language) {
            return Err(Error::Source(SourceError {
                path: path.to_path_buf(),
                text: text.to_owned(),
                span: located(text, &["book", "language"]).map(|at| at.value),
                message: problem,
            }));
        }
        if let Some(problem) = self.site.url.as_deref().and_then(site_url_problem) {
            return Err(Error::Source(SourceError {
                path: path.to_path_buf(),
                text: text.to_owned(),
                span: located(text, &["site", "url"]).map(|at| at.value),
                message: format!("invalid `[site] url`: {problem}"),
            }));
        }
        let [low, high] = self.lint.review_window_hours;
        if low > high {
            return Err(Error::Source(SourceError {
                path: path.to_path_buf(),
                text: text.to_owned(),
                span: located(text, &["lint", "review_window_hours"]).map(|at| at.value),
                message: format!(
                    "lint.review_window_hours must be [earliest, latest], got [{low}, {high}]"
                ),
            }));
        }
        Ok(())
    }

    /// The configured section names with their aliases, lowercased, for
    /// matching headings.
    pub fn section_names(&self) -> Vec<(String, String)> {
        let names = self.sections.required.iter().chain(&self.sections.optional);
        let mut out = Vec::new();
        for name in names {
            out.push((name.to_lowercase(), name.clone()));
            for alias in self.sections.aliases.get(name).into_iter().flatten() {
                out.push((alias.to_lowercase(), name.clone()));
            }
        }
        out
    }
}

/// Where an entry of the configuration is written, as the TOML parser read
/// it: whether the key is under a `[lint.rules]` header, a dotted key or in
/// an inline table.
pub struct Located {
    pub key: Span,
    pub value: Span,
    /// The items of an array value, in order (empty for other values).
    pub items: Vec<Span>,
}

/// Where the entry at `path` (`["lint", "rules", "x"]`) is written.
pub fn located(text: &str, path: &[&str]) -> Option<Located> {
    let document = DeTable::parse(text).ok()?;
    let (last, parents) = path.split_last()?;
    let mut table = document.get_ref();
    for name in parents {
        match table.get(*name)?.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => return None,
        }
    }
    let (key, value) = table.get_key_value(*last)?;
    let span = |r: std::ops::Range<usize>| Span::new(r.start, r.end);
    let items = match value.get_ref() {
        DeValue::Array(items) => items.iter().map(|item| span(item.span())).collect(),
        _ => Vec::new(),
    };
    Some(Located {
        key: span(key.span()),
        value: span(value.span()),
        items,
    })
}

/// What is wrong with `url` as the address a site is published at, which
/// pages are appended to: it must be an absolute `http` or `https` URL with
/// a host, and no query, fragment or spaces.
fn site_url_problem(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
    else {
        return Some(format!(
            "`{url}` is not an absolute http(s) URL; write it in full, such as `https://postmortems.example.com/`"
        ));
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Some(format!("`{url}` has no host"));
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || matches!(c, '?' | '#'))
    {
        return Some(format!(
            "`{url}` contains `{}`; pages are appended to it, so it must be a plain address",
            c.escape_default()
        ));
    }
    None
}

/// serde reports `unknown field `x`, expected one of `a`, `b``; turn the list
/// into a single suggestion, which is what a user needs.
fn improve_serde_message(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_owned();
    };
    let Some((field, expected)) = rest.split_once('`') else {
        return message.to_owned();
    };
    let candidates = expected.split('`').skip(1).step_by(2);
    match did_you_mean(field, candidates) {
        Some(best) => format!("unknown key `{field}`; did you mean `{best}`?"),
        None => message.replacen("unknown field", "unknown key", 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_unknown_field_becomes_a_suggestion() {
        let m = improve_serde_message(
            "unknown field `severites`, expected one of `severities`, `statuses`",
        );
        assert_eq!(m, "unknown key `severites`; did you mean `severities`?");
    }
}
