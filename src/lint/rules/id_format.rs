use std::sync::LazyLock;

use regex::Regex;

use crate::lint::{Context, Violation, rule};
use crate::text::slugify;

rule! {
    /// The `id` is not lowercase letters, digits and dashes.
    ///
    /// The id names the incident's page (`incidents/<id>.html`), its
    /// action items and every `related` reference, so it must be safe as a
    /// file name and in a URL: `[a-z0-9][a-z0-9-]*`, at most 100 characters.
    /// This also means an id can never point outside a directory.
    ///
    /// ## Example
    ///
    /// ```toml
    /// id = "2026-11-03-checkout-latency"
    /// ```
    pub static ID_FORMAT = {
        id: "id-format",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

/// What an id may be; also the `pattern` of `id` in the front-matter schema.
pub const PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,99}$";

static ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(PATTERN).expect("the id pattern is valid"));

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(id) = ctx.pm.front_matter.as_ref().and_then(|fm| fm.id.as_ref()) else {
        return;
    };
    if is_valid(&id.value) {
        return;
    }
    let violation = Violation::at(
        id.span,
        format!(
            "id `{}` must be lowercase letters, digits and dashes",
            id.value
        ),
    );
    let slug = slugify(&id.value);
    out.push(if slug.is_empty() {
        violation
    } else {
        violation.help(format!("use id = \"{slug}\""))
    });
}

/// Whether `id` is a well-formed postmortem id.
pub fn is_valid(id: &str) -> bool {
    ID.is_match(id)
}
