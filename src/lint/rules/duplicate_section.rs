use crate::lint::{Context, Violation, rule};

rule! {
    /// A section appears twice.
    ///
    /// Two `## Timeline` headings (or a heading and its alias) split the
    /// facts in two; pmbook reads both, but readers will miss one. Merge them.
    pub static DUPLICATE_SECTION = {
        id: "duplicate-section",
        level: Warn,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    for (i, section) in ctx.pm.sections.iter().enumerate() {
        let Some(name) = &section.canonical else {
            continue;
        };
        let first = ctx.pm.sections[..i]
            .iter()
            .find(|s| s.canonical.as_ref() == Some(name));
        if let Some(first) = first {
            let line = ctx.pm.source.position(first.heading.start).line;
            out.push(
                Violation::at(
                    section.heading,
                    format!("section `## {name}` appears twice"),
                )
                .note(format!("first at line {line}")),
            );
        }
    }
}
