use crate::lint::{Context, Violation, rule};

rule! {
    /// Timeline entries are not in chronological order.
    ///
    /// A timeline is read top to bottom; an entry earlier than the one above
    /// it is usually a typo in the time or a missing date on an entry after
    /// midnight. `pmbook lint --fix` sorts the timeline when every entry has
    /// a full date.
    pub static TIMELINE_ORDER = {
        id: "timeline-order",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let mut previous = None;
    for entry in &ctx.pm.timeline {
        let Ok(at) = entry.at else {
            continue;
        };
        if let Some((prev, line)) = previous
            && at.timestamp < prev
        {
            out.push(
                Violation::at(
                    ctx.first_line(entry.span),
                    "timeline entry is earlier than the entry before it",
                )
                .note(format!("the entry before it is on line {line}")),
            );
        }
        let line = ctx.pm.source.position(entry.span.start).line;
        previous = Some((at.timestamp, line));
    }
}
