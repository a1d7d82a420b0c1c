use crate::lint::{Context, Violation, rule};
use crate::model::Span;

rule! {
    /// A required section is missing.
    ///
    /// Sections are level-2 headings (`## Timeline`), matched
    /// case-insensitively against the names in `[sections] required` and
    /// their aliases in `[sections.aliases]` (so a team can write
    /// `## Chronologie`). The defaults cover the four parts of a postmortem:
    /// facts (Summary, Impact, Timeline), analysis (Root cause, Contributing
    /// factors), actions (Action items) and communication.
    ///
    /// `pmbook lint --fix` adds the missing sections, empty, in the
    /// configured order.
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
    let required = &ctx.config.sections.required;
    for (position, name) in required.iter().enumerate() {
        if ctx.pm.section(name).is_some() {
            continue;
        }
        let next_present = required[position + 1..]
            .iter()
            .find_map(|next| ctx.pm.section(next));
        let (at, place) = match next_present {
            Some(section) => (section.heading, format!(" before `## {}`", section.title)),
            None => {
                let end = ctx.pm.source.text.trim_end().len();
                (
                    ctx.pm.source.line_span(Span::new(end, end)),
                    " at the end".to_owned(),
                )
            }
        };
        let aliases = ctx.config.sections.aliases.get(name);
        let violation = Violation::at(
            ctx.first_line(at),
            format!("missing required section `## {name}`"),
        );
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
