use crate::lint::{Context, Violation, rule};
use crate::model::Field;
use crate::text::did_you_mean;

rule! {
    /// A field's value is not one the configuration allows.
    ///
    /// `severity`, `status` and `root_cause_category` must be one of
    /// `[lint] severities`, `statuses` and `root_cause_categories`;
    /// `visibility` is `internal` or `public`; the categories of the Ishikawa
    /// section are root-cause categories (in a French book, the Ishikawa 6M
    /// are read as the default categories: `main-d'œuvre` is `people`, `méthode`
    /// `process`, `mesure` `tooling`, `matière` `code`, `matériel`
    /// `infrastructure`, `milieu` `external`); `title` is not empty; an SLO's
    /// `budget_consumed` is not negative. Indexes and metrics group by these
    /// values, so a stray `Sev2` or `proccess` would start a group of its own.
    pub static INVALID_VALUE = {
        id: "invalid-value",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

pub const VISIBILITIES: [&str; 2] = ["internal", "public"];

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(fm) = &ctx.pm.front_matter else {
        return;
    };
    let lint = &ctx.config.lint;
    one_of(out, "severity", fm.severity.as_ref(), &lint.severities);
    one_of(out, "status", fm.status.as_ref(), &lint.statuses);
    one_of(
        out,
        "root_cause_category",
        fm.root_cause_category.as_ref(),
        &lint.root_cause_categories,
    );
    let visibilities = VISIBILITIES.map(String::from);
    one_of(out, "visibility", fm.visibility.as_ref(), &visibilities);
    if let Some(title) = &fm.title
        && title.value.trim().is_empty()
    {
        out.push(Violation::at(title.span, "`title` is empty"));
    }
    for slo in &fm.slo {
        if let Some(budget) = &slo.value.budget_consumed
            && (budget.value < 0.0 || budget.value.is_nan())
        {
            out.push(
                Violation::at(
                    budget.span,
                    "`slo.budget_consumed` must be a number of at least 0",
                )
                .help("it is the fraction of the period's error budget burned: 0.18 for 18 %"),
            );
        }
    }
    for bone in &ctx.pm.ishikawa {
        let category = bone.category.value.to_lowercase();
        if !lint.root_cause_categories.contains(&category) {
            out.push(unknown(
                &bone.category,
                "Ishikawa category",
                &lint.root_cause_categories,
            ));
        }
    }
}

fn one_of(out: &mut Vec<Violation>, name: &str, field: Option<&Field<String>>, allowed: &[String]) {
    if let Some(field) = field
        && !allowed.contains(&field.value)
    {
        out.push(unknown(field, &format!("`{name}`"), allowed));
    }
}

fn unknown(field: &Field<String>, what: &str, allowed: &[String]) -> Violation {
    let value = &field.value;
    let violation = Violation::at(
        field.span,
        format!("{what} `{value}` is not one of the configured values"),
    );
    let same_case = allowed.iter().find(|a| a.eq_ignore_ascii_case(value));
    match same_case
        .map(String::as_str)
        .or_else(|| did_you_mean(value, allowed.iter().map(String::as_str)))
    {
        Some(best) => violation.help(format!("did you mean `{best}`?")),
        None => violation.help(format!("expected one of: {}", allowed.join(", "))),
    }
}
