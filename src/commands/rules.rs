//! `pmbook rules [ID]`

use std::process::ExitCode;

use serde_json::json;

use super::CLEAN;
use crate::cli::{RulesArgs, RulesFormat};
use crate::config::Level;
use crate::error::Error;
use crate::lint::rules::invalid_file::INVALID_FILE;
use crate::lint::{Rule, registry};
use crate::text::did_you_mean;

pub fn run(args: RulesArgs) -> Result<ExitCode, Error> {
    let rules: Vec<&Rule> = match &args.rule {
        Some(id) => vec![registry::find(id).ok_or_else(|| {
            let hint = did_you_mean(id, registry::RULES.iter().map(|r| r.id))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            Error::Config(format!("no rule `{id}`{hint} (`pmbook rules` lists them)"))
        })?],
        None => registry::RULES.to_vec(),
    };
    let text = match (args.format, &args.rule) {
        (RulesFormat::Json, _) => {
            let list: Vec<_> = rules
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "level": level_name(r.default_level),
                        "relaxed_in_draft": r.relaxed_in_draft,
                        "summary": r.summary(),
                        "documentation": r.documentation(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).expect("rule metadata serializes") + "\n"
        }
        (RulesFormat::Markdown, _) => rules
            .iter()
            .map(|r| book_page(r))
            .collect::<Vec<_>>()
            .join("\n"),
        (RulesFormat::Text, Some(_)) => format!("{}\n", rules[0].documentation().trim_end()),
        (RulesFormat::Text, None) => rules
            .iter()
            .map(|r| {
                format!(
                    "{:<20} {:<6} {}\n",
                    r.id,
                    level_name(r.default_level),
                    r.summary()
                )
            })
            .collect(),
    };
    print!("{text}");
    Ok(ExitCode::from(CLEAN))
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warn => "warn",
        Level::Off => "off",
    }
}

/// The rule's page in the book (`book/src/rules/ID.md`).
pub fn book_page(rule: &Rule) -> String {
    let doc = rule.documentation();
    let mut lines = doc.trim_end().lines();
    let summary = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines.collect();
    let draft = if rule.relaxed_in_draft {
        "; a warning at most while `status` is the draft status"
    } else {
        ""
    };
    // A file pmbook cannot read has no comments it could read.
    let silence = if rule.id == INVALID_FILE.id {
        "It cannot be silenced with a suppression comment: pmbook reads no comments in a file it cannot read. Set it to `\"off\"` in `[lint.rules]`, or exclude the file with `[book] exclude`.".to_owned()
    } else {
        format!(
            "Silence it in one file with `<!-- pmbook-disable {id} -->`, or on the next line with `<!-- pmbook-disable-next-line {id} -->`.",
            id = rule.id
        )
    };
    format!(
        "# {id}\n\n{summary}\n\nDefault level: **{level}**{draft}. Configure it in `pmbook.toml`:\n\n```toml\n[lint.rules]\n{id} = \"{level}\"\n```\n\n{silence}\n{rest}\n",
        id = rule.id,
        silence = silence,
        level = level_name(rule.default_level),
        rest = rest.join("\n").replace("\n## ", "\n### "),
    )
}
