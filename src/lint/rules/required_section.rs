use jiff::civil::Date;

use crate::config::Config;
use crate::lint::fix::{Edit, Fix};
use crate::lint::{Context, Violation, rule};
use crate::model::Span;
use crate::parse::sections;
use crate::template;

rule! {
    /// A required section is missing.
    ///
    /// Sections are level-2 headings (`## Timeline`), matched
    /// case-insensitively (and without regard to the Unicode form of
    /// accents or to curly apostrophes) against the names in `[sections]
    /// required`, their aliases in `[sections.aliases]`, and, in a French
    /// book (`[book] language = "fr"`), the built-in French names of the
    /// default sections (`## Chronologie`, `## Cause
    /// racine`, `## Éléments d'action`, ...). The defaults cover the four
    /// parts of a postmortem:
    /// facts (Summary, Impact, Timeline), analysis (Root cause, Contributing
    /// factors), actions (Action items) and communication.
    ///
    /// `pmbook lint --fix` adds the missing sections, empty, in the
    /// configured order: each before the next required section present, or
    /// at the end. Under each heading it writes the template's guidance as
    /// an HTML comment, so that `empty-section` still asks for the text. In
    /// a French book (`[book] language = "fr"`) the heading and guidance
    /// added are those of the French template (`## Cause racine`).
    pub static REQUIRED_SECTION = {
        id: "required-section",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    if ctx.pm.file_problem.is_some() || ctx.pm.front_matter_problem.is_some() {
        return;
    }
    let source = &ctx.pm.source;
    let nl = source.line_ending();
    let required = &ctx.config.sections.required;
    let mut added_at_end = false;
    let day = ctx
        .pm
        .front_matter
        .as_ref()
        .and_then(|fm| fm.started_at.as_ref())
        .map(|at| at.value.date());
    for (position, name) in required.iter().enumerate() {
        if ctx.pm.section(name).is_some() {
            continue;
        }
        let canonical = name;
        let name = sections::written_name(canonical, &ctx.config.book.language);
        let next_present = required[position + 1..]
            .iter()
            .find_map(|next| ctx.pm.section(next));
        let mut text = format!("## {name}{nl}");
        if let Some(guidance) = guidance(name, ctx.config, day) {
            text = format!("{text}{nl}{guidance}{nl}");
        }
        let (at, place, insert) = match next_present {
            Some(section) => {
                let line_start = source.line_start(source.line_of(section.heading.start));
                let insert = Edit::insert(line_start, text + nl);
                (
                    section.heading,
                    format!(" before `## {}`", section.title),
                    insert,
                )
            }
            None => {
                let end = source.text.trim_end().len();
                let separator = separator_at_end(&source.text, added_at_end, nl);
                added_at_end = true;
                let insert = Edit::insert(source.text.len(), format!("{separator}{text}"));
                (
                    source.line_span(Span::new(end, end)),
                    " at the end".to_owned(),
                    insert,
                )
            }
        };
        let fix = Fix {
            verb: "added",
            object: format!("## {name}"),
            edits: vec![insert],
        };
        let aliases = ctx.config.sections.aliases.get(canonical);
        let violation = Violation::at(
            ctx.first_line(at),
            format!("missing required section `## {name}`"),
        )
        .fix(fix);
        out.push(match aliases {
            Some(aliases) if !aliases.is_empty() => violation.help(format!(
                "add `## {name}`{place} (or one of: {})",
                aliases
                    .iter()
                    .map(|a| format!("`## {a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => violation.help(format!("add a `## {name}` section{place}")),
        });
    }
}

/// What goes between the end of the file and a section added there: enough
/// line endings for a blank line, unless an added section is already there.
fn separator_at_end(text: &str, after_added: bool, nl: &str) -> String {
    if after_added {
        nl.to_owned()
    } else if text.ends_with("\n\n") || text.ends_with("\n\r\n") {
        String::new()
    } else if text.ends_with('\n') {
        nl.to_owned()
    } else {
        format!("{nl}{nl}")
    }
}

/// The comment under `## name` in the built-in template, its placeholders
/// filled in (`day` is the incident's): what the author is asked to write in
/// the section.
fn guidance(name: &str, config: &Config, day: Option<Date>) -> Option<String> {
    let mut lines = template::built_in(&config.book.language).lines();
    lines.find(|line| {
        line.strip_prefix("## ")
            .is_some_and(|title| title.trim().eq_ignore_ascii_case(name))
    })?;
    let comment = lines.find(|line| !line.trim().is_empty())?.trim();
    if !(comment.starts_with("<!--") && comment.ends_with("-->")) {
        return None;
    }
    let day = day.map_or_else(|| "YYYY-MM-DD".to_owned(), |day| day.to_string());
    let values = [
        ("date", day),
        ("action_kinds", config.actions.kinds.join(", ")),
        (
            "root_cause_categories",
            config.lint.root_cause_categories.join(", "),
        ),
    ];
    template::fill(comment, &values, "the built-in template").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_section_has_guidance_with_its_placeholders_filled_in() {
        let config = Config::default();
        let day = Date::new(2026, 11, 3).ok();
        for name in &config.sections.required {
            let text = guidance(&name.to_lowercase(), &config, day).unwrap();
            assert!(text.starts_with("<!-- ") && !text.contains("{{"), "{text}");
        }
        let timeline = guidance("Timeline", &config, day).unwrap();
        assert!(timeline.contains("\"- 2026-11-03 09:12 UTC — deploy starts\""));
        assert_eq!(guidance("Detection", &config, day), None);
    }
}
