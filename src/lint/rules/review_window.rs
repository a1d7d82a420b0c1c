use crate::lint::{Context, Violation, rule};

rule! {
    /// The blameless review is not held in the expected window after resolution.
    ///
    /// A postmortem review works best while memory is fresh but after the
    /// team has rested: by default 24 to 72 hours after `resolved_at`
    /// (`[lint] review_window_hours`). A review before resolution is also
    /// reported. A warning by default: a late review is still worth holding.
    pub static REVIEW_WINDOW = {
        id: "review-window",
        level: Warn,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(fm) = &ctx.pm.front_matter else {
        return;
    };
    let (Some(review), Some(resolved)) = (&fm.review_at, &fm.resolved_at) else {
        return;
    };
    let [low, high] = ctx.config.lint.review_window_hours;
    let minutes = resolved
        .value
        .timestamp
        .duration_until(review.value.timestamp)
        .as_mins();
    if minutes < 0 {
        out.push(Violation::at(
            review.span,
            "`review_at` is before `resolved_at`",
        ));
    } else if minutes < i64::from(low) * 60 || minutes > i64::from(high) * 60 {
        out.push(
            Violation::at(
                review.span,
                format!("review held {} after resolution", human_hours(minutes)),
            )
            .help(format!(
                "the review is expected {low}–{high} h after `resolved_at`"
            )),
        );
    }
}

fn human_hours(minutes: i64) -> String {
    let hours = minutes / 60;
    if hours >= 48 {
        format!("{:.1} days", minutes as f64 / 1440.0)
    } else {
        format!("{hours} h")
    }
}
