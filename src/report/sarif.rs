//! `--format sarif`: SARIF 2.1.0 for code-scanning upload, with the rules'
//! metadata so that each alert links to its documentation.

use std::io::Write;

use serde_json::{Value, json};

use crate::config::Level;
use crate::diagnostics::{Diagnostic, FileReport, Report, Severity};
use crate::lint::registry::RULES;
use crate::model::{Source, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the tool is documented when no `[lint] rules_url` is set: its
/// manual page, which `pmbook man` writes.
const MANUAL: &str = "man:pmbook(1)";

/// Lines of context shown before and after a finding.
const CONTEXT_LINES: usize = 2;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The friendly name of a rule: its id in PascalCase (`invalid-file` is
/// `InvalidFile`), with `Rule` appended when that differs from the id only
/// in case (`placeholder` is `PlaceholderRule`), as the name must differ
/// from the id.
fn friendly_name(id: &str) -> String {
    let name: String = id
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect();
    if name.eq_ignore_ascii_case(id) {
        name + "Rule"
    } else {
        name
    }
}

/// `rules_url` is `[lint] rules_url`, with `{rule}` in place of the rule id.
pub fn render(
    report: &Report,
    rules_url: Option<&str>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            let default = match rule.default_level {
                Level::Error => "error",
                Level::Warn => "warning",
                Level::Off => "none",
            };
            let mut descriptor = json!({
                "id": rule.id,
                "name": friendly_name(rule.id),
                "shortDescription": { "text": rule.summary() },
                "fullDescription": { "text": rule.documentation() },
                "help": { "text": rule.documentation(), "markdown": rule.documentation() },
                "defaultConfiguration": { "level": default },
            });
            if let Some(template) = rules_url {
                descriptor["helpUri"] = json!(template.replace("{rule}", rule.id));
            }
            descriptor
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics()
        .map(|(file, d)| result(file, d))
        .collect();
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pmbook",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": MANUAL,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

fn result(file: &FileReport, d: &Diagnostic) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let source = &file.source;
    let mut location = json!({
        "artifactLocation": {
            "uri": crate::text::url_path(&file.path),
            "uriBaseId": "%SRCROOT%",
        },
    });
    match (d.span, d.start, d.end) {
        (Some(span), Some(start), Some(end)) => {
            location["region"] = json!({
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
                "snippet": { "text": &source.text[span.range()] },
            });
            let context = context_lines(source, span);
            // A span ending with a line break ends at column 1 of the next
            // line, which the context then includes.
            let lines = (
                source.line_of(context.start),
                last_line(source, context).max(end.line),
            );
            // A context region must be larger than the region it surrounds: there
            // is none when the finding's lines are the whole file.
            if lines != (start.line, end.line) {
                location["contextRegion"] = json!({
                    "startLine": lines.0,
                    "endLine": lines.1,
                    "snippet": { "text": &source.text[context.range()] },
                });
            }
        }
        // A finding about the whole file covers all its lines; a file whose
        // text was not read (binary, too large, a link leaving the project)
        // is reported on its first line.
        _ => {
            let whole = Span::new(0, source.text.len());
            let mut region = json!({
                "startLine": 1,
                "endLine": last_line(source, whole),
            });
            if !source.text.is_empty() {
                region["snippet"] = json!({ "text": source.text });
            }
            location["region"] = region;
        }
    }
    json!({
        "ruleId": d.rule,
        "ruleIndex": RULES.iter().position(|r| r.id == d.rule),
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": location }],
    })
}

/// Whole lines around `span`, `CONTEXT_LINES` more on each side.
fn context_lines(source: &Source, span: Span) -> Span {
    let lines = source.line_span(span);
    let first = source
        .line_of(lines.start)
        .saturating_sub(CONTEXT_LINES)
        .max(1);
    let last = last_line(source, lines) + CONTEXT_LINES;
    Span::new(source.line_start(first), source.line_start(last + 1))
}

/// The last line holding text of `span` (a span ending with a line break
/// ends on that line, not the empty one after it).
fn last_line(source: &Source, span: Span) -> usize {
    source.line_of(span.end.saturating_sub(1).max(span.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finding on the whole last line, line break included, ends at
    /// column 1 of the (empty) line after it: the context must reach it.
    #[test]
    fn the_context_contains_a_region_ending_after_the_last_line_break() {
        let source = Source::new("a\nb\nc\n".into());
        let span = Span::new(4, 6);
        let report = Report {
            files: vec![FileReport {
                path: "postmortems/x.md".into(),
                diagnostics: vec![Diagnostic {
                    rule: "placeholder",
                    severity: Severity::Error,
                    message: "m".into(),
                    span: Some(span),
                    start: Some(source.position(span.start)),
                    end: Some(source.position(span.end)),
                    help: None,
                    notes: Vec::new(),
                }],
                source,
            }],
            files_checked: 1,
        };
        let mut out = Vec::new();
        render(&report, None, &mut out).unwrap();
        let sarif: Value = serde_json::from_slice(&out).unwrap();
        let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(
            location["region"],
            json!({ "startLine": 3, "startColumn": 1, "endLine": 4, "endColumn": 1, "snippet": { "text": "c\n" } })
        );
        assert_eq!(
            location["contextRegion"],
            json!({ "startLine": 1, "endLine": 4, "snippet": { "text": "a\nb\nc\n" } })
        );
    }
}
