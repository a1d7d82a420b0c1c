use crate::lint::{Context, Violation, rule};
use crate::text::did_you_mean;

rule! {
    /// An action item's kind is missing (on an open item) or not configured.
    ///
    /// Kinds (`[actions] kinds`, by default `fix, automate, tooling, process,
    /// test, detect, mitigate, prevent`) show whether a team only patches
    /// symptoms or also prevents recurrence. In a French book
    /// (`[book] language = "fr"`) the French names of the default kinds
    /// are read as them: `corriger` is `fix`,
    /// `automatiser` `automate`, `outiller` `tooling`, `formaliser`
    /// `process`, `tester` `test`, `détecter` `detect`, `atténuer`
    /// `mitigate`, `prévenir` `prevent`. A warning while the postmortem
    /// is a draft: like owners, kinds are often agreed in the review (and
    /// `pmbook import` sets a kind only where one keyword names it).
    pub static ACTION_KIND = {
        id: "action-kind",
        level: Error,
        relaxed_in_draft: true,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let kinds = &ctx.config.actions.kinds;
    for item in ctx.pm.actions.iter().filter(|i| i.is_task) {
        match &item.kind {
            Some(kind) if !kinds.contains(&kind.value) => {
                let violation =
                    Violation::at(kind.span, format!("unknown action kind `{}`", kind.value));
                out.push(
                    match did_you_mean(&kind.value, kinds.iter().map(String::as_str)) {
                        Some(best) => violation.help(format!("did you mean `{best}`?")),
                        None => violation.help(format!("expected one of: {}", kinds.join(", "))),
                    },
                );
            }
            None if !item.done => out.push(
                Violation::at(ctx.first_line(item.span), "open action item has no kind")
                    .help(format!("add `kind: ...` with one of: {}", kinds.join(", "))),
            ),
            _ => {}
        }
    }
}
