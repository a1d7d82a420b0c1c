//! `--format json`: one document, stable keys (documented in the book).

use std::io::Write;

use serde::Serialize;

use crate::diagnostics::{Report, Severity};

#[derive(Serialize)]
struct Output<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let diagnostics = report
        .diagnostics()
        .map(|(file, d)| JsonDiagnostic {
            path: &file.path,
            line: d.start.map(|p| p.line),
            column: d.start.map(|p| p.column),
            end_line: d.end.map(|p| p.line),
            end_column: d.end.map(|p| p.column),
            rule: d.rule,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
            notes: &d.notes,
        })
        .collect();
    let output = Output {
        diagnostics,
        summary: Summary {
            files: report.files_checked,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
