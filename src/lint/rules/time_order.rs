use crate::lint::{Context, Violation, rule};

rule! {
    /// The incident's times are out of order.
    ///
    /// An incident is started, then detected, acknowledged, mitigated and
    /// resolved: `started_at ≤ detected_at ≤ acknowledged_at ≤ mitigated_at ≤
    /// resolved_at` (the optional ones are skipped when absent). Times out of
    /// order give negative durations and corrupt MTTD and MTTR; the usual
    /// cause is a wrong offset or a swapped day.
    pub static TIME_ORDER = {
        id: "time-order",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(fm) = &ctx.pm.front_matter else {
        return;
    };
    let mut previous = None;
    for (name, field) in fm.milestones() {
        let Some(field) = field else {
            continue;
        };
        if let Some((prev_name, prev)) = previous
            && field.value.timestamp < prev
        {
            out.push(
                Violation::at(field.span, format!("`{name}` is before `{prev_name}`"))
                    .help("check the day and the offset of both times"),
            );
            continue;
        }
        previous = Some((name, field.value.timestamp));
    }
}
