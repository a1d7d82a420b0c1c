//! Diagnostics: what a rule found, where; [`crate::report`] renders them.

use serde::Serialize;

use crate::model::source::Position;
use crate::model::{Source, Span};

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
