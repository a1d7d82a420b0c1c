use crate::lint::{Context, Violation, rule};

rule! {
    /// Template placeholders are left in the text.
    ///
    /// Words such as `TODO`, `TBD`, `FIXME`, `XXX` and `lorem ipsum`
    /// (`[lint] placeholders`, matched as whole words, case-sensitively) mean
    /// the postmortem is unfinished. An error once the postmortem is in review
    /// or published; a warning while it is a draft. Code (blocks and
    /// inline), HTML comments, URLs and link destinations are not checked.
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
    for span in ctx.wording_matches(pattern) {
        let word = &ctx.pm.source.text[span.range()];
        out.push(Violation::at(
            span,
            format!("placeholder `{word}` left in the text"),
        ));
    }
}
