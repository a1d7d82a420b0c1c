use crate::lint::{Context, Violation, rule};

rule! {
    /// An open action item has no due date, or a date that is not valid.
    ///
    /// Due dates are `YYYY-MM-DD`. An open item without one never becomes
    /// overdue, so it never comes back to anyone's attention.
    pub static ACTION_DUE = {
        id: "action-due",
        level: Error,
        relaxed_in_draft: true,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    for item in ctx.pm.actions.iter().filter(|i| i.is_task) {
        match &item.due {
            Some(due) if item.due_date().is_none() => out.push(
                Violation::at(
                    due.span,
                    format!("due date `{}` is not a valid date", due.value),
                )
                .help("write it as YYYY-MM-DD"),
            ),
            None if !item.done => out.push(
                Violation::at(
                    ctx.first_line(item.span),
                    "open action item has no due date",
                )
                .help("add `due: YYYY-MM-DD` to the `( ... )` group at the end of the item"),
            ),
            _ => {}
        }
    }
}
