use std::path::Path;

use crate::lint::fix::{Edit, Fix};
use crate::lint::rules::id_format;
use crate::lint::{Context, Violation, rule};
use crate::model::Span;

rule! {
    /// A required front-matter field is missing.
    ///
    /// The required fields are listed in `[lint] required_fields`; by default
    /// `id, title, status, severity, services, started_at, detected_at,
    /// resolved_at`: what every index, metric and action-item report needs.
    ///
    /// `pmbook lint --fix` adds a missing `id`, as the first line of the
    /// front-matter, when the file name without `.md` is a valid id that no
    /// other postmortem uses. It adds no other field: their values are facts
    /// only the author knows.
    ///
    /// A field named in `unconfirmed = [...]` (what `pmbook import` writes
    /// for the facts an original postmortem does not give) counts as
    /// present while the postmortem is a draft. Once it is not, every
    /// entry of `unconfirmed` is reported: confirm the value, write it, and
    /// take the name out of the list.
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
    let is_draft = crate::drafts::is_draft(ctx.config, ctx.pm.status());
    if !is_draft {
        for field in fm.unconfirmed() {
            out.push(
                Violation::at(
                    field.span,
                    format!("`{}` is still unconfirmed", field.value),
                )
                .help("confirm the value, write it and remove it from `unconfirmed`, or keep the postmortem a draft"),
            );
        }
    }
    for field in &ctx.config.lint.required_fields {
        // An unconfirmed field outside a draft is reported above.
        if fm.has_key(field) || fm.unconfirmed().any(|f| &f.value == field) {
            continue;
        }
        let violation = Violation::at(opening, format!("missing required field `{field}`"))
            .help(format!("add it, for example: {}", example(ctx, field)));
        let fix = (field == "id")
            .then(|| id_fix(ctx, fm.span.start))
            .flatten();
        out.push(match fix {
            Some(fix) => violation.fix(fix),
            None => violation,
        });
    }
}

/// The id a postmortem gets from its file name, when the name (without its
/// extension) is a valid id.
pub fn id_from_file_name(path: &str) -> Option<&str> {
    let stem = Path::new(path).file_stem()?.to_str()?;
    id_format::is_valid(stem).then_some(stem)
}

/// `id = "<file name>"` as the first line of the front-matter (which starts
/// at `at`), unless another postmortem has that id: then only the author
/// knows which id is right. Without the index of ids (a whole-repository
/// lint, which reports no fixes), none is offered.
fn id_fix(ctx: &Context, at: usize) -> Option<Fix> {
    let id = id_from_file_name(&ctx.pm.path)?;
    if ctx.index?.ids.contains_key(id) {
        return None;
    }
    let line = format!("id = \"{id}\"");
    Some(Fix {
        verb: "added",
        object: line.clone(),
        edits: vec![Edit::insert(at, line + ctx.pm.source.line_ending())],
    })
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
