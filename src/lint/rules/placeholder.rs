use crate::lint::{Context, Violation, rule};

rule! {
    /// Template placeholders are left in the text.
    ///
    /// Words such as `TODO`, `TBD`, `FIXME`, `XXX` and `lorem ipsum`
    /// (`[lint] placeholders`, matched as whole words, case-sensitively) mean
    /// the postmortem is unfinished. An error once the postmortem is in review
    /// or published; a warning while it is a draft. Code blocks and HTML
    /// comments are not checked.
    pub static PLACEHOLDER = {
        id: "placeholder",
        level: Error,
        relaxed_in_draft: true,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(pattern) = &ctx.patterns.placeholders else {
        return;
    };
    let text = &ctx.pm.source.text;
    let strings = ctx.pm.front_matter.iter().flat_map(|fm| fm.strings().map(|f| f.span));
    for span in strings.chain(ctx.pm.prose.iter().copied()) {
        for found in pattern.find_iter(&text[span.range()]) {
            out.push(Violation::at(
                crate::model::Span::new(found.start(), found.end()).offset(span.start),
                format!("placeholder `{}` left in the text", found.as_str()),
            ));
        }
    }
}
