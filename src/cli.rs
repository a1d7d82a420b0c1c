//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostics::Format;

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
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to lint (default: every postmortem). They are
    /// still checked against the whole repository for ids and references.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
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
