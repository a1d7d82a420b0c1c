use crate::corpus::IdIndex;
use crate::lint::{Context, Violation, rule};
use crate::parse::ids::FileIds;

rule! {
    /// Two postmortems have the same `id`.
    ///
    /// Ids are unique across the repository: they name pages, action items
    /// and `related` references. Checked against every postmortem of the
    /// repository, even when only some files are linted.
    pub static DUPLICATE_ID = {
        id: "duplicate-id",
        level: Error,
        relaxed_in_draft: false,
        check: check,
        cross_file: can_report,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(id) = ctx.pm.front_matter.as_ref().and_then(|fm| fm.id.as_ref()) else {
        return;
    };
    let Some(paths) = ctx
        .index
        .and_then(|index| index.ids.get(&id.value))
        .filter(|paths| paths.len() > 1)
    else {
        return;
    };
    let others = paths.iter().filter(|p| **p != ctx.pm.path);
    let mut violation = Violation::at(
        id.span,
        format!("id `{}` is used by another postmortem", id.value),
    );
    for other in others {
        violation = violation.note(format!("also declared in {other}"));
    }
    out.push(
        violation
            .help("give each postmortem its own id (the file name without `.md` is a good choice)"),
    );
}

/// Only a file whose id is declared more than once can report.
fn can_report(ids: &FileIds, index: &IdIndex) -> bool {
    ids.id
        .as_ref()
        .and_then(|id| index.ids.get(id))
        .is_some_and(|paths| paths.len() > 1)
}
