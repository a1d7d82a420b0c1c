use crate::lint::{Context, Violation, rule};

rule! {
    /// A section has a heading but nothing under it.
    ///
    /// An empty section is a question left unanswered. HTML comments (such as
    /// the template's guidance) do not count as content. Only a warning while
    /// the postmortem is a draft.
    pub static EMPTY_SECTION = {
        id: "empty-section",
        level: Error,
        relaxed_in_draft: true,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    for section in &ctx.pm.sections {
        if section.canonical.is_none() || section.has_content {
            continue;
        }
        out.push(
            Violation::at(
                section.heading,
                format!("section `## {}` is empty", section.title),
            )
            .help("write the section, or say why it does not apply"),
        );
    }
}
