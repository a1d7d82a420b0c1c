use jiff::ToSpan;

use crate::lint::{Context, Violation, rule};

rule! {
    /// An open action item is due later than its incident's severity allows.
    ///
    /// The follow-ups of a severe incident are priority work: each severity
    /// listed in `[actions] sla_days` gets a number of days after
    /// `resolved_at` by which its open action items must be due (by default
    /// 28 for SEV1 and 56 for SEV2; other severities have no limit). A due
    /// date further out usually means the item is not really a priority:
    /// bring the date forward, or split off the part that can be done in
    /// time. Done items are not checked, since their date no longer plans
    /// anything.
    ///
    /// The window starts on the date of `resolved_at` (at the offset it is
    /// written with). A `[actions.sla_days]` table replaces the default as a
    /// whole: listing only SEV1 removes the limit of SEV2.
    ///
    /// ## Configuration
    ///
    /// ```toml
    /// [actions.sla_days]
    /// SEV1 = 14
    /// SEV2 = 42
    /// SEV3 = 90
    /// ```
    pub static ACTION_SLA = {
        id: "action-sla",
        level: Warn,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(fm) = &ctx.pm.front_matter else {
        return;
    };
    let (Some(severity), Some(resolved)) = (&fm.severity, &fm.resolved_at) else {
        return;
    };
    let Some(&days) = ctx.config.actions.sla_days.get(&severity.value) else {
        return;
    };
    let resolved = resolved.value.date();
    let Ok(deadline) = resolved.checked_add(i64::from(days).days()) else {
        return;
    };
    for item in ctx.pm.actions.iter().filter(|i| i.is_task && !i.done) {
        let (Some(due), Some(date)) = (&item.due, item.due_date()) else {
            continue;
        };
        if date > deadline {
            let after = (date - resolved).get_days();
            out.push(
                Violation::at(
                    due.span,
                    format!(
                        "due {after} days after resolution; {} action items are due within {days} days",
                        severity.value
                    ),
                )
                .help(format!(
                    "bring the date forward to {deadline} or earlier, or split off the part that can be done by then"
                )),
            );
        }
    }
}
