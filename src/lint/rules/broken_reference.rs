use crate::config::did_you_mean;
use crate::lint::{Context, Violation, rule};

rule! {
    /// `related` names a postmortem id that does not exist.
    ///
    /// Related incidents are how a reader follows a recurring problem; a
    /// dangling id is a dead link on the site. Checked against every
    /// postmortem of the repository, even when only some files are linted.
    pub static BROKEN_REFERENCE = {
        id: "broken-reference",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(related) = ctx
        .pm
        .front_matter
        .as_ref()
        .and_then(|fm| fm.related.as_ref())
    else {
        return;
    };
    for id in &related.value {
        if ctx.index.ids.contains_key(&id.value) {
            continue;
        }
        let violation = Violation::at(id.span, format!("no postmortem has the id `{}`", id.value));
        let known = ctx.index.ids.keys().map(String::as_str);
        out.push(match did_you_mean(&id.value, known) {
            Some(best) => violation.help(format!("did you mean `{best}`?")),
            None => violation,
        });
    }
}
