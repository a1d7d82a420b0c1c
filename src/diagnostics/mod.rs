//! Diagnostics and their renderers: human (rustc-style), JSON, SARIF and
//! GitHub workflow commands, GitLab Code Quality.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use serde::Serialize;

use crate::model::{Source, Span};
use crate::parse::source::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding of a rule in a file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where in the file; `None` for findings about the whole file.
    pub span: Option<Span>,
    pub start: Option<Position>,
    pub end: Option<Position>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

/// The diagnostics of one file, with its text for snippets.
#[derive(Debug)]
pub struct FileReport {
    /// Relative to the repository root, with `/`.
    pub path: String,
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything a lint run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Files with at least one diagnostic, sorted by path.
    pub files: Vec<FileReport>,
    /// How many files were checked.
    pub files_checked: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics()
            .filter(|(_, d)| d.severity == severity)
            .count()
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }
}

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
