use crate::lint::{Context, Violation, rule};

rule! {
    /// An open action item is past its due date.
    ///
    /// "Today" is `--today YYYY-MM-DD` when given, else the system date. A
    /// warning by default: the postmortem is fine, the follow-up is late.
    /// Close the item (`- [x] ... closed: YYYY-MM-DD`) or agree a new date.
    pub static ACTION_OVERDUE = {
        id: "action-overdue",
        level: Warn,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    for item in ctx.pm.actions.iter().filter(|i| i.is_task && !i.done) {
        let (Some(due), Some(date)) = (&item.due, item.due_date()) else {
            continue;
        };
        if date < ctx.today {
            let days = (ctx.today - date).get_days();
            let owner = item
                .owner
                .as_ref()
                .map_or(String::new(), |o| format!(" (owner: {})", o.value));
            let unit = if days == 1 { "day" } else { "days" };
            out.push(Violation::at(
                due.span,
                format!("action item is overdue by {days} {unit}{owner}"),
            ));
        }
    }
}
