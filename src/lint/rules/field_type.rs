use crate::lint::{Context, Violation, rule};

rule! {
    /// A front-matter field has the wrong type.
    ///
    /// Times are TOML offset date-times written bare (`2026-11-03T09:12:00Z`,
    /// not `"2026-11-03T09:12:00Z"` nor `"yesterday"`), lists are arrays
    /// (`services = ["checkout"]`), `caused_by_change` is a boolean and
    /// `slo.budget_consumed` a number. A field of the wrong type is ignored by
    /// every other check and by the site.
    pub static FIELD_TYPE = {
        id: "field-type",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(fm) = &ctx.pm.front_matter else {
        return;
    };
    for error in &fm.type_errors {
        let violation = Violation::at(
            error.span,
            format!(
                "`{}` must be {}, found {}",
                error.key, error.expected, error.found
            ),
        );
        out.push(match &error.help {
            Some(help) => violation.help(help.clone()),
            None => violation,
        });
    }
}
