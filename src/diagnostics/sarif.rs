//! `--format sarif`: SARIF 2.1.0 for code-scanning upload, with the rules'
//! metadata so that each alert links to its documentation.

use std::io::Write;

use serde_json::{Value, json};

use super::{Report, Severity};
use crate::config::Level;
use crate::lint::registry::RULES;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            let default = match rule.default_level {
                Level::Error => "error",
                Level::Warn => "warning",
                Level::Off => "none",
            };
            json!({
                "id": rule.id,
                "name": rule.id,
                "shortDescription": { "text": rule.summary() },
                "fullDescription": { "text": rule.documentation() },
                "help": { "text": rule.documentation(), "markdown": rule.documentation() },
                "defaultConfiguration": { "level": default },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics()
        .map(|(file, d)| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut location = json!({
                "artifactLocation": { "uri": file.path, "uriBaseId": "%SRCROOT%" },
            });
            if let (Some(start), Some(end)) = (d.start, d.end) {
                location["region"] = json!({
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                });
            }
            json!({
                "ruleId": d.rule,
                "ruleIndex": RULES.iter().position(|r| r.id == d.rule),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{ "physicalLocation": location }],
            })
        })
        .collect();
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pmbook",
                    "version": env!("CARGO_PKG_VERSION"),
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
