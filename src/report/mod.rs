//! The renderers of a lint [`Report`]: human (rustc-style), JSON, SARIF,
//! GitHub workflow commands and GitLab Code Quality.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use std::io::Write;

use crate::diagnostics::Report;

/// The output formats of `pmbook lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// One JSON document (see the book for its shape).
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A GitLab Code Quality report (`artifacts:reports:codequality`).
    Gitlab,
}

/// Writes `report` in `format`; `rules_url` links each rule's page (SARIF).
pub fn render(
    format: Format,
    report: &Report,
    rules_url: Option<&str>,
    styled: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::render(report, styled, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, rules_url, out),
        Format::Github => github::render(report, out),
        Format::Gitlab => gitlab::render(report, out),
    }?;
    out.flush()
}
