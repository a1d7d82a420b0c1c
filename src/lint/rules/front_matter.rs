use crate::lint::{Context, Violation, rule};
use crate::model::{FrontMatterProblem, Span};

rule! {
    /// The TOML front-matter is missing, not closed, or not valid TOML.
    ///
    /// A postmortem starts with its fields as TOML between two `+++` lines
    /// (the Zola/Hugo convention). Without readable front-matter no field can
    /// be checked, so this is the first thing to fix.
    ///
    /// ## Example
    ///
    /// ```markdown
    /// +++
    /// id = "2026-11-03-checkout-latency"
    /// title = "Checkout latency after cache deploy"
    /// +++
    ///
    /// # Checkout latency after cache deploy
    /// ```
    ///
    /// YAML front-matter between `---` lines is not read: convert it to TOML.
    pub static FRONT_MATTER = {
        id: "front-matter",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(problem) = &ctx.pm.front_matter_problem else {
        return;
    };
    let text = &ctx.pm.source.text;
    out.push(match problem {
        FrontMatterProblem::Missing { .. } if text.trim().is_empty() => {
            Violation::at(Span::new(0, 0), "the file is empty")
                .help("`pmbook new \"TITLE\"` writes a postmortem from the template")
        }
        FrontMatterProblem::Missing { looks_like_yaml } => {
            let first_line = ctx.first_line(Span::new(0, text.len()));
            let violation = Violation::at(
                first_line,
                "no front-matter: a postmortem starts with a `+++` line",
            );
            if *looks_like_yaml {
                violation
                    .help("pmbook reads TOML between `+++` lines, not YAML between `---` lines")
            } else {
                violation.help("start the file with `+++`, the fields in TOML, and a closing `+++`")
            }
        }
        FrontMatterProblem::Unterminated { open } => {
            Violation::at(*open, "the front-matter is never closed")
                .help("add a line `+++` after the last field")
        }
        FrontMatterProblem::Toml { span, message } => Violation::at(
            *span,
            format!("invalid TOML in the front-matter: {message}"),
        ),
    });
}
