//! `pmbook import`: an existing postmortem (any Markdown, with YAML, TOML or
//! no front-matter) rewritten as a pmbook draft. Nothing is invented: a
//! fact the original does not give is left unset and named in
//! `unconfirmed`, and what a person must supply is listed under
//! `## Import notes`.

mod actions;
pub mod aliases;
mod front_matter;
mod sections;
mod timeline;

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::config::Config;
use crate::lint::rules::id_format;

/// The heading of the list of what a person must supply.
pub const NOTES_HEADING: &str = crate::drafts::IMPORT_NOTES;
/// What a required section the original lacks holds.
pub const NOT_RECORDED: &str = "_Not recorded in the original._";

/// Something the import did (`todo: false`) or a person must do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub text: String,
    pub todo: bool,
}

impl Note {
    fn todo(text: String) -> Note {
        Note { text, todo: true }
    }

    fn info(text: String) -> Note {
        Note { text, todo: false }
    }
}

/// An original, converted; [`Imported::render`] writes it under an id.
pub struct Imported {
    /// The id the original suggests (its own, or its file name's).
    pub id: String,
    front: Vec<String>,
    extra: toml::Table,
    body: String,
    pub notes: Vec<Note>,
    /// The headings kept under their own name (`convert_keeping_headings`)
    /// that `[sections.aliases]` must hold: section → headings.
    pub aliases: std::collections::BTreeMap<String, Vec<String>>,
}

impl Imported {
    /// The pmbook postmortem, with `id` and `imported_from = source`.
    pub fn render(&self, id: &str, source: &str) -> String {
        let mut out = String::from("+++\n");
        out.push_str(&format!("id = {}\n", toml::Value::from(id)));
        for line in &self.front {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&format!("imported_from = {}\n", toml::Value::from(source)));
        if !self.extra.is_empty() {
            let mut wrapper = toml::Table::new();
            wrapper.insert("extra".to_owned(), toml::Value::Table(self.extra.clone()));
            let extra = toml::to_string(&wrapper).unwrap_or_default();
            out.push('\n');
            out.push_str(extra.trim_end());
            out.push('\n');
        }
        out.push_str("+++\n\n");
        out.push_str(&self.body);
        out
    }
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$").expect("valid pattern")
});

struct Heading {
    line: usize,
    level: usize,
    text: String,
    canonical: Option<String>,
}

/// Converts the text of one original; `stem` is its file name without the
/// extension. An error is `line:col: message`.
pub fn convert(text: &str, stem: &str, config: &Config) -> Result<Imported, String> {
    convert_with(text, stem, config, false)
}

/// As [`convert`], but a heading that names a section by another name
/// (`Chronologie détaillée`) keeps that name, made a `##` heading, and is
/// listed in [`Imported::aliases`] unless the configuration reads it
/// already.
pub fn convert_keeping_headings(
    text: &str,
    stem: &str,
    config: &Config,
) -> Result<Imported, String> {
    convert_with(text, stem, config, true)
}

fn convert_with(
    text: &str,
    stem: &str,
    config: &Config,
    keep_headings: bool,
) -> Result<Imported, String> {
    let section_names = crate::parse::sections::SectionNames::new(config);
    let mut aliases: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let text = text
        .strip_prefix(crate::model::source::BOM)
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let original = front_matter::split(&text)?;
    let mut notes = Vec::new();
    let mapped = front_matter::map(original.keys, config, &mut notes);
    let body = &text[original.body_start..];
    let lines: Vec<&str> = body.lines().collect();
    let headings = headings(&lines, config);

    // The first H1 that names no section is the title.
    let title_heading = headings
        .iter()
        .position(|h| h.level == 1 && h.canonical.is_none());
    let title = match (&mapped.title, title_heading) {
        (Some(title), _) => title.clone(),
        (None, Some(i)) => sections::clean(&headings[i].text),
        (None, None) => {
            notes.push(Note::todo(format!(
                "the original has no title: `title` is made from its file name `{stem}`"
            )));
            stem.replace(['-', '_'], " ")
        }
    };
    let section_level = headings
        .iter()
        .filter(|h| h.canonical.is_some())
        .map(|h| h.level)
        .min()
        .unwrap_or(2);
    // A deeper heading naming a section that no heading at the section
    // level names (`### Timeline` among `##` sections) is that section.
    let at_section_level = |name: &str| {
        headings
            .iter()
            .any(|h| h.level <= section_level && h.canonical.as_deref() == Some(name))
    };
    let promoted: Vec<usize> = headings
        .iter()
        .enumerate()
        .filter(|(_, h)| h.level > section_level)
        .filter_map(|(i, h)| Some((i, h.canonical.as_deref()?)))
        .filter(|(_, name)| !at_section_level(name))
        .map(|(i, _)| i)
        .collect();
    let top: Vec<&Heading> = headings
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            Some(*i) != title_heading && (h.level <= section_level || promoted.contains(i))
        })
        .map(|(_, h)| h)
        .collect();

    let rewritten: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| match headings.iter().find(|h| h.line == i) {
            Some(h) if h.level > section_level => {
                format!(
                    "{} {}",
                    "#".repeat((h.level - section_level + 2).min(6)),
                    h.text
                )
            }
            _ => (*line).to_owned(),
        })
        .collect();
    let zone = crate::time::zones::stated_zone(body);
    let defaults = timeline::Defaults {
        zone,
        day: mapped.day.clone(),
    };

    let mut out = format!("# {title}\n");
    let mut written: Vec<String> = Vec::new();
    let first_top = top.first().map_or(lines.len(), |h| h.line);
    let intro: Vec<&str> = rewritten[..first_top]
        .iter()
        .enumerate()
        .filter(|(i, _)| title_heading.map(|t| headings[t].line) != Some(*i))
        .map(|(_, l)| l.as_str())
        .collect();
    let intro = intro.join("\n");
    let has_summary = top
        .iter()
        .any(|h| h.canonical.as_deref() == Some("Summary"));
    if !intro.trim().is_empty() {
        if has_summary || !config.sections.required.iter().any(|s| s == "Summary") {
            out.push_str(&format!("\n{}\n", intro.trim()));
        } else {
            notes.push(Note::info(
                "the untitled introduction is the Summary".to_owned(),
            ));
            out.push_str(&format!("\n## Summary\n\n{}\n", intro.trim()));
            written.push("Summary".to_owned());
        }
    }
    for (n, heading) in top.iter().enumerate() {
        let end = top.get(n + 1).map_or(lines.len(), |h| h.line);
        let content: Vec<&str> = rewritten[heading.line + 1..end]
            .iter()
            .map(String::as_str)
            .collect();
        let cleaned = sections::clean(&heading.text);
        let content = match heading.canonical.as_deref() {
            Some(name) if written.iter().any(|w| w == name) => {
                notes.push(Note::info(format!(
                    "heading `{cleaned}` names `{name}` again: kept as a subsection"
                )));
                out.push_str(&format!("\n### {cleaned}\n"));
                content.iter().map(|l| (*l).to_owned()).collect()
            }
            Some(name) => {
                let configured = section_names.canonical(&cleaned) == Some(name);
                if keep_headings && configured {
                    out.push_str(&format!("\n## {cleaned}\n"));
                } else if keep_headings {
                    notes.push(Note::info(format!(
                        "heading `{}` kept as `## {cleaned}`, an alias of `{name}`",
                        heading.text
                    )));
                    let list = aliases.entry(name.to_owned()).or_default();
                    if !list.contains(&cleaned) {
                        list.push(cleaned.clone());
                    }
                    out.push_str(&format!("\n## {cleaned}\n"));
                } else {
                    if cleaned != name || heading.level != 2 {
                        notes.push(Note::info(format!(
                            "heading `{}` read as `## {name}`",
                            heading.text
                        )));
                    }
                    out.push_str(&format!("\n## {name}\n"));
                }
                written.push(name.to_owned());
                match name {
                    "Timeline" => timeline::normalize(&content, &defaults, &mut notes),
                    "Action items" => actions::normalize(&content, config, &mut notes),
                    _ => content.iter().map(|l| (*l).to_owned()).collect(),
                }
            }
            None => {
                out.push_str(&format!("\n## {cleaned}\n"));
                content.iter().map(|l| (*l).to_owned()).collect()
            }
        };
        let content = content.join("\n");
        if !content.trim().is_empty() {
            out.push_str(&format!("\n{}\n", content.trim_matches('\n')));
        }
    }
    for name in &config.sections.required {
        if !written.contains(name) {
            notes.push(Note::todo(format!(
                "the original has no `{name}` section: write it"
            )));
            out.push_str(&format!("\n## {name}\n\n{NOT_RECORDED}\n"));
        }
    }

    let mut front = Vec::new();
    let mut unconfirmed = Vec::new();
    let draft = config
        .lint
        .statuses
        .first()
        .cloned()
        .unwrap_or_else(|| "draft".to_owned());
    front.push(format!("title = {}", toml::Value::from(title.as_str())));
    front.push(format!("status = {}", toml::Value::from(draft.as_str())));
    let list = |items: &[String]| {
        toml::Value::Array(
            items
                .iter()
                .map(|s| toml::Value::from(s.as_str()))
                .collect(),
        )
    };
    match &mapped.severity {
        Some(sev) => front.push(format!("severity = {}", toml::Value::from(sev.as_str()))),
        None => unconfirmed.push("severity"),
    }
    if mapped.services.is_empty() {
        unconfirmed.push("services");
    } else {
        front.push(format!("services = {}", list(&mapped.services)));
    }
    if !mapped.tags.is_empty() {
        front.push(format!("tags = {}", list(&mapped.tags)));
    }
    if !mapped.authors.is_empty() {
        front.push(format!("authors = {}", list(&mapped.authors)));
    }
    for (field, at) in &mapped.times {
        front.push(format!("{field} = {at}"));
    }
    for field in ["started_at", "detected_at", "resolved_at"] {
        if !mapped.times.iter().any(|(f, _)| *f == field) {
            unconfirmed.push(field);
        }
    }
    unconfirmed.retain(|f| config.lint.required_fields.iter().any(|r| r == f));
    for field in &unconfirmed {
        notes.push(Note::todo(format!(
            "the original does not give `{field}`: set it and remove it from `unconfirmed`"
        )));
    }
    if !unconfirmed.is_empty() {
        let names: Vec<String> = unconfirmed.iter().map(|f| (*f).to_owned()).collect();
        front.push(format!("unconfirmed = {}", list(&names)));
    }

    out.push_str(&format!("\n## {NOTES_HEADING}\n\n"));
    for note in notes.iter().filter(|n| n.todo) {
        out.push_str(&format!("- {}\n", note.text));
    }
    out.push_str(&format!(
        "- Review the text against the original, then move `status` on from `{draft}`.\n"
    ));

    let id = mapped
        .id
        .filter(|id| id_format::is_valid(id))
        .unwrap_or_else(|| match crate::text::slugify(stem) {
            slug if slug.is_empty() => "incident".to_owned(),
            slug => slug,
        });
    Ok(Imported {
        id,
        front,
        extra: mapped.extra,
        body: single_blank_lines(&out),
        notes,
        aliases,
    })
}

/// `text` with runs of blank lines cut to one, outside fenced code.
fn single_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
        }
        let is_blank = line.trim().is_empty();
        if !(is_blank && blank && !fenced) {
            out.push_str(line);
            out.push('\n');
        }
        blank = is_blank;
    }
    out
}

fn headings(lines: &[&str], config: &Config) -> Vec<Heading> {
    let mut found = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        for mark in ["```", "~~~"] {
            if trimmed.starts_with(mark) {
                fence = match fence {
                    Some(open) if open == mark => None,
                    None => Some(mark),
                    other => other,
                };
            }
        }
        if fence.is_some() || line.starts_with([' ', '\t']) {
            continue;
        }
        if let Some(caps) = HEADING.captures(line) {
            let text = caps["text"].to_owned();
            found.push(Heading {
                line: i,
                level: caps["marks"].len(),
                canonical: sections::canonical(config, &text),
                text,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_input_is_converted_or_refused_without_a_panic() {
        let config = Config::default();
        for text in [
            "",
            "---\n",
            "+++\ntitle = \n+++\n",
            "---\n- a list\n---\n",
            "# T\n\n## Timeline\nAll times in +éa.\n- \u{661}\u{662}:\u{663}\u{664} UTC — x\n- 0900 +éa — y\n- 13:00 PM UTC — z\n",
            "## Timeline\n```\n## Root cause\n```\n| a |\n|---|\n| 25:00 UTC |\n",
            "# A\n# A\n### B\n#### C\n",
        ] {
            if let Ok(imported) = convert(text, "x", &config) {
                assert!(
                    imported
                        .render("x", "old/x.md")
                        .starts_with("+++\nid = \"x\"\n")
                );
            }
        }
        let error = convert("---\na: [\n---\n", "x", &config).err();
        assert_eq!(error.as_deref().map(|e| &e[..4]), Some("3:1:"), "{error:?}");
    }
}
