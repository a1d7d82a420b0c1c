use crate::lint::{Context, Violation, rule};
use crate::model::Span;

rule! {
    /// A required front-matter field is missing.
    ///
    /// The required fields are listed in `[lint] required_fields`; by default
    /// `id, title, status, severity, services, started_at, detected_at,
    /// resolved_at`: what every index, metric and action-item report needs.
    ///
    /// ## Example
    ///
    /// ```toml
    /// severity = "SEV2"
    /// services = ["checkout"]
    /// started_at = 2026-11-03T09:12:00Z
    /// ```
    pub static REQUIRED_FIELD = {
        id: "required-field",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(fm) = &ctx.pm.front_matter else {
        return;
    };
    let opening = Span::new(0, ctx.first_line(Span::new(0, fm.span.start)).end);
    for field in &ctx.config.lint.required_fields {
        if fm.has_key(field) {
            continue;
        }
        out.push(
            Violation::at(opening, format!("missing required field `{field}`"))
                .help(format!("add it, for example: {}", example(ctx, field))),
        );
    }
}

fn example(ctx: &Context, field: &str) -> String {
    let first = |list: &[String], fallback: &str| {
        list.first().cloned().unwrap_or_else(|| fallback.to_owned())
    };
    let value = match field {
        "id" => {
            let stem = ctx.pm.path.rsplit('/').next().unwrap_or_default();
            format!("\"{}\"", stem.trim_end_matches(".md"))
        }
        "status" => format!("\"{}\"", first(&ctx.config.lint.statuses, "draft")),
        "severity" => format!("\"{}\"", first(&ctx.config.lint.severities, "SEV1")),
        "root_cause_category" => format!(
            "\"{}\"",
            first(&ctx.config.lint.root_cause_categories, "process")
        ),
        "services" | "tags" | "authors" | "related" => "[\"...\"]".to_owned(),
        "caused_by_change" => "false".to_owned(),
        f if f.ends_with("_at") => "2026-11-03T09:12:00Z".to_owned(),
        _ => "\"...\"".to_owned(),
    };
    format!("{field} = {value}")
}
