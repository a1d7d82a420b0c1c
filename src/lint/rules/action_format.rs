use crate::lint::{Context, Violation, rule};
use crate::parse::action::KEYS;
use crate::text::did_you_mean;

rule! {
    /// An action item is not a task-list item, or its metadata is malformed.
    ///
    /// Action items are GFM task-list items (`- [ ]` open, `- [x]` done)
    /// ending with a `(key: value, ...)` group. Known keys: `owner`, `due`,
    /// `kind`, `ticket`, `id` (a stable identity across edits) and `closed`
    /// (the date a done item was closed, `YYYY-MM-DD`).
    ///
    /// ## Example
    ///
    /// ```markdown
    /// ## Action items
    /// - [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)
    /// - [x] Roll back cache v2.3 (owner: @bob, kind: fix, closed: 2026-11-03)
    /// ```
    pub static ACTION_FORMAT = {
        id: "action-format",
        level: Warn,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    for item in &ctx.pm.actions {
        if !item.is_task {
            out.push(
                Violation::at(
                    ctx.first_line(item.span),
                    "action item is not a task-list item",
                )
                .help("write `- [ ] ...` for an open item, `- [x] ...` for a done one"),
            );
            continue;
        }
        for entry in &item.unknown_metadata {
            let key = entry.value.split(':').next().unwrap_or_default().trim();
            let violation = Violation::at(
                entry.span,
                format!("unknown action-item metadata `{}`", entry.value),
            );
            out.push(match did_you_mean(key, KEYS) {
                Some(best) if entry.value.contains(':') => {
                    violation.help(format!("did you mean `{best}`?"))
                }
                _ => violation.help(format!(
                    "write `key: value` with a key among: {}",
                    KEYS.join(", ")
                )),
            });
        }
        if let Some(closed) = &item.closed
            && closed.value.parse::<jiff::civil::Date>().is_err()
        {
            out.push(
                Violation::at(
                    closed.span,
                    format!("closed date `{}` is not a valid date", closed.value),
                )
                .help("write it as YYYY-MM-DD"),
            );
        }
    }
}
