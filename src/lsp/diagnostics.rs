//! Lint diagnostics as the protocol's: the rule id as code, a link to the
//! rule's documentation, the help and notes in the message.

use std::str::FromStr;

use lsp_types::{CodeDescription, DiagnosticSeverity, NumberOrString, Range, Uri};

use super::text::Lines;
use super::workspace::Linted;
use crate::diagnostics::{Diagnostic, Severity};

/// The source every diagnostic names.
pub const SOURCE: &str = "pmbook";

/// Where a diagnostic is: its span, or the start of the file for findings
/// about the whole file.
pub fn range(lines: &Lines, diagnostic: &Diagnostic) -> Range {
    diagnostic
        .span
        .map_or_else(Range::default, |span| lines.range(span))
}

pub fn to_lsp(linted: &Linted, rules_url: Option<&str>) -> Vec<lsp_types::Diagnostic> {
    let lines = Lines::new(&linted.pm.source);
    linted
        .findings
        .iter()
        .map(|(d, _)| convert(&lines, d, rules_url))
        .collect()
}

fn convert(lines: &Lines, d: &Diagnostic, rules_url: Option<&str>) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let href =
        rules_url.and_then(|template| Uri::from_str(&template.replace("{rule}", d.rule)).ok());
    lsp_types::Diagnostic {
        range: range(lines, d),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.rule.to_owned())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}
