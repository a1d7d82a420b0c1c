use crate::lint::{Context, Violation, rule};
use crate::parse::front_matter::{FIELDS, SLO_FIELDS};
use crate::text::did_you_mean;

rule! {
    /// The front-matter has a field pmbook does not know.
    ///
    /// Usually a typo (`serivces`), which would otherwise silently drop the
    /// value from every index. Teams that keep extra fields list them in
    /// `[lint] extra_fields`.
    pub static UNKNOWN_FIELD = {
        id: "unknown-field",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(fm) = &ctx.pm.front_matter else {
        return;
    };
    let extra = &ctx.config.lint.extra_fields;
    for key in &fm.keys {
        let name = key.value.as_str();
        if FIELDS.contains(&name) || SLO_FIELDS.contains(&name) || extra.iter().any(|e| e == name) {
            continue;
        }
        let candidates = if name.starts_with("slo.") {
            SLO_FIELDS
        } else {
            FIELDS
        };
        let known = candidates
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str));
        let violation = Violation::at(key.span, format!("unknown field `{name}`"));
        out.push(match did_you_mean(name, known) {
            Some(best) => violation.help(format!("did you mean `{best}`?")),
            None => violation.help("list custom fields in `[lint] extra_fields` in pmbook.toml"),
        });
    }
}
