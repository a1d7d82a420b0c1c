//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

/// Lint, track and publish incident postmortems kept as Markdown in git.
#[derive(Debug, Parser)]
#[command(name = "pmbook", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Run as if started in DIR.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,
    /// Use this config file instead of searching for pmbook.toml; its
    /// directory is the project root.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The date to consider today, for overdue action items (default: the
    /// system date).
    #[arg(long, value_name = "YYYY-MM-DD", global = true)]
    pub today: Option<jiff::civil::Date>,
    /// Say on standard error what was read, and from where.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check postmortems: front-matter, sections, times, timeline, action
    /// items and wording.
    Lint(LintArgs),
    /// List the lint rules, or show one rule's documentation.
    Rules(RulesArgs),
    /// Incident metrics: counts, time to detect and resolve, change failure
    /// rate, SLO budget, action items, reviews and recurrence.
    Stats(StatsArgs),
    /// List the action items of every postmortem: open, done or overdue,
    /// by owner, service, kind or severity, and with --history when each
    /// was opened and closed.
    Actions(ActionsArgs),
    /// Install or remove the git hooks that lint what is committed and
    /// pushed.
    Hooks(HooksArgs),
    /// Build the static knowledge-base site.
    Build(BuildArgs),
    /// Build the site, serve it on 127.0.0.1 and rebuild and reload pages
    /// when postmortems change.
    Serve(ServeArgs),
    /// Run the language server over standard input and output, for
    /// editors: diagnostics as you type, quick fixes, completion, hover and
    /// navigation.
    Lsp(LspArgs),
    /// Set up a repository: pmbook.toml, the postmortem directory and a
    /// .gitignore entry for the site. Never overwrites a file.
    Init(InitArgs),
    /// Start a postmortem from the template, as a draft.
    New(NewArgs),
    /// Convert existing postmortems (Markdown with YAML, TOML or no
    /// front-matter) into pmbook drafts in the postmortem directory. Never
    /// changes a source file or overwrites a file it did not write.
    Import(ImportArgs),
    /// Print the JSON Schema of a postmortem's front-matter or of
    /// pmbook.toml.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The language the postmortems are written in (`[book] language`):
    /// `fr` for the French template and wording rules (default: `en`).
    #[arg(long, value_parser = crate::language::CODES)]
    pub language: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's title; the file name and id are made from it.
    pub title: String,
    /// Severity, one of `[lint] severities` (default: the last, the least
    /// severe).
    #[arg(long)]
    pub severity: Option<String>,
    /// A service affected; repeat for several.
    #[arg(long = "service", value_name = "NAME")]
    pub services: Vec<String>,
    /// When the incident started, as an RFC 3339 date-time with an offset
    /// (default: now, to the minute, in UTC).
    #[arg(long, value_name = "DATETIME", value_parser = offset_datetime)]
    pub started: Option<toml::value::Datetime>,
    /// Use this template instead of the built-in one; `{{title}}` and the
    /// other placeholders are replaced (see "Writing postmortems" in the book).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

/// An RFC 3339 date-time with an offset, as TOML writes it.
fn offset_datetime(text: &str) -> Result<toml::value::Datetime, String> {
    const EXPECTED: &str = "expected a date-time with an offset, like 2026-11-03T09:12:00Z";
    match text.parse::<toml::value::Datetime>() {
        Ok(dt) if dt.date.is_some() && dt.time.is_some() && dt.offset.is_some() => Ok(dt),
        _ => Err(EXPECTED.to_owned()),
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or directories (every `.md` and `.markdown` file under them)
    /// to import.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Report what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Keep the headings that name a section by another name ("Chronologie
    /// détaillée") and add them to `[sections.aliases]` in pmbook.toml,
    /// instead of renaming them.
    #[arg(long)]
    pub aliases: bool,
    /// Output format of the per-file report.
    #[arg(long, value_enum, default_value_t = ImportFormat::Human)]
    pub format: ImportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// One line per file and its notes, for people.
    Human,
    /// An array of objects, one per file.
    Json,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema to print.
    #[arg(value_enum, default_value_t = SchemaKind::Postmortem)]
    pub kind: SchemaKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The front-matter of a postmortem.
    Postmortem,
    /// pmbook.toml.
    Config,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to lint (default: every postmortem). They are
    /// still checked against the whole repository for ids and references.
    #[arg(conflicts_with_all = ["staged", "changed_since", "commit"])]
    pub paths: Vec<PathBuf>,
    /// Lint the staged version of every staged postmortem (from the git
    /// index, not the working tree; `GIT_INDEX_FILE` when git sets it),
    /// against the staged versions of all postmortems. Postmortems whose
    /// `related` names an id that a staged deletion or rename removes are
    /// linted too. What the pre-commit hook runs.
    #[arg(long, conflicts_with_all = ["changed_since", "commit", "pre_commit"])]
    pub staged: bool,
    /// What the pre-commit framework's hook runs: lint the PATHS it passes
    /// (postmortems under `src`, as in the working tree the framework
    /// prepared) against the staged versions of the others, plus the
    /// postmortems a staged deletion or rename leaves with a dangling
    /// reference. In a push (`PRE_COMMIT_FROM_REF` and `PRE_COMMIT_TO_REF`
    /// set), lint what is pushed, as `--commit TO --changed-since FROM`.
    #[arg(long, conflicts_with_all = ["changed_since", "commit"])]
    pub pre_commit: bool,
    /// Lint the postmortems that differ between the merge base of REV and
    /// HEAD and the working tree (for pull requests: `--changed-since
    /// origin/main`).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Lint the postmortems as committed in REV instead of the working tree
    /// (with `--changed-since`, only those changed since). What the pre-push
    /// hook runs.
    #[arg(long, value_name = "REV")]
    pub commit: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Fix what is safe to fix, in the files on disk, then report what is
    /// left: add missing required sections and a missing id, and sort a
    /// timeline whose entries all have a date and a zone. Each fixed file is
    /// named on standard error. Not with `--staged`, `--commit` or
    /// `--changed-since`: pmbook does not fix the git index or history.
    #[arg(long, conflicts_with_all = ["staged", "changed_since", "commit", "pre_commit"])]
    pub fix: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output directory (default: `[site] out`, `site/`). An existing
    /// directory is replaced only if an earlier build made it.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Only postmortems with `visibility = "public"`, without the fields and
    /// sections `[site]` marks as internal, owners, edit links or authors.
    #[arg(long)]
    pub public: bool,
    /// Show drafts too, each with a "draft" badge (and "imported" for one
    /// `pmbook import` wrote), as `[site] drafts = true` does. Never with
    /// `--public`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Link of a rule's documentation, shown with its diagnostics; `{rule}`
    /// is replaced by the rule id (e.g.
    /// `https://docs.example.com/pmbook/rules/{rule}.html`); default:
    /// `[lint] rules_url`.
    #[arg(long, value_name = "URL")]
    pub rules_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
}

#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Only open items (the default).
    #[arg(long, conflicts_with_all = ["done", "all"])]
    pub open: bool,
    /// Only done items.
    #[arg(long, conflicts_with_all = ["all", "overdue"])]
    pub done: bool,
    /// Open and done items.
    #[arg(long)]
    pub all: bool,
    /// Only open items due before today (`--today`).
    #[arg(long)]
    pub overdue: bool,
    /// Only items of this owner (`@` optional); repeat for several.
    #[arg(long = "owner", value_name = "NAME")]
    pub owners: Vec<String>,
    /// Only items of postmortems that list this service; repeat for several.
    #[arg(long = "service", value_name = "NAME")]
    pub services: Vec<String>,
    /// Only items of this kind; repeat for several.
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only items of postmortems of this severity; repeat for several.
    #[arg(long = "severity", value_name = "SEVERITY")]
    pub severities: Vec<String>,
    /// Only items of this postmortem (its id); repeat for several.
    #[arg(long = "postmortem", value_name = "ID")]
    pub postmortems: Vec<String>,
    /// Add when each item was opened and closed, from the git history, and
    /// how long items took to close.
    #[arg(long)]
    pub history: bool,
    /// Count the items of drafts too (left out by default, as in `stats`).
    #[arg(long)]
    pub include_drafts: bool,
    /// Instead of listing items, print a digest per owner: overdue, due in
    /// the next 14 days, and closed in the last 14 days (from the git
    /// history), with links to the incident pages (`[site] url`). Markdown
    /// (also for the default `table`) or `--format json`.
    #[arg(long, conflicts_with_all = ["history", "open", "done", "all", "overdue", "tracker"])]
    pub digest: bool,
    /// Instead of listing items, check the tickets of open and done items
    /// against this export of the ticket tracker (`gh issue list --json
    /// number,state,title,closedAt,url` output or a Jira CSV export) and
    /// list where they disagree; exit code 1 when they do.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["history", "open", "done", "all", "overdue"])]
    pub tracker: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ActionsFormat::Table)]
    pub format: ActionsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionsFormat {
    /// An aligned table and a summary, for people.
    Table,
    /// An array of objects, one per item (keys documented in the book).
    Json,
    /// The same columns as JSON, with a header row (RFC 4180).
    Csv,
    /// A Markdown table and a summary, to paste into an issue.
    Markdown,
}

#[derive(Debug, Args)]
pub struct HooksArgs {
    #[command(subcommand)]
    pub action: HooksAction,
}

#[derive(Debug, Subcommand)]
pub enum HooksAction {
    /// Install the pre-commit and pre-push hooks into the repository's hooks
    /// directory (`core.hooksPath` when set). An existing hook that pmbook
    /// did not write is left alone unless `--chain` is given.
    Install {
        /// Keep an existing hook and run it before pmbook's.
        #[arg(long)]
        chain: bool,
    },
    /// Remove the hooks pmbook installed (and put chained ones back).
    Uninstall,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only incidents that started on or after this date (the date at the offset `started_at` is written with).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<jiff::civil::Date>,
    /// Only incidents that started on or before this date (the date at the offset `started_at` is written with).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<jiff::civil::Date>,
    /// Only incidents that list this service.
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,
    /// Only incidents of this severity (one of `[lint] severities`).
    #[arg(long)]
    pub severity: Option<String>,
    /// Only incidents of this root-cause category.
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Count drafts too (left out by default: their facts are not settled).
    #[arg(long)]
    pub include_drafts: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Aligned text for people.
    Table,
    /// The metrics as JSON (keys documented in the book).
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Show this rule's documentation.
    pub rule: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table of rules, or a rule's documentation as text.
    Text,
    /// The book page of the rule(s), in Markdown.
    Markdown,
    /// Rule metadata as JSON.
    Json,
}
