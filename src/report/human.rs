//! rustc-style output: `error[rule]: message`, the location, the source line
//! with a caret, help and notes, then a summary line.

use std::io::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostics::{Diagnostic, FileReport, Report, Severity};

pub fn render(report: &Report, styled: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for (file, diagnostic) in report.diagnostics() {
        let group = group(file, diagnostic);
        writeln!(out, "{}\n", renderer.render(&[group]))?;
    }
    writeln!(out, "{}", summary(report))
}

fn group<'a>(file: &'a FileReport, d: &'a Diagnostic) -> Group<'a> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.rule);
    let mut group = match d.span {
        Some(span) => {
            let source = &file.source;
            let lines = source.line_span(span);
            let start = span.start - lines.start;
            let end = (span.end.min(lines.end))
                .saturating_sub(lines.start)
                .max(start);
            title.element(
                Snippet::source(&source.text[lines.range()])
                    .line_start(source.line_of(lines.start))
                    .path(file.path.as_str())
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        }
        None => title.element(Origin::path(file.path.as_str())),
    };
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    for note in &d.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    group
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `pmbook: 2 errors, 1 warning in 14 files` or `pmbook: 14 files, no problems`.
pub fn summary(report: &Report) -> String {
    let files = plural(report.files_checked, "file");
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    if errors + warnings == 0 {
        format!("pmbook: {files} checked, no problems")
    } else {
        format!(
            "pmbook: {}, {} in {files}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}
