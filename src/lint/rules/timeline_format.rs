use crate::lint::{Context, Violation, rule};
use crate::model::TimelineProblem;

rule! {
    /// A timeline entry does not start with a valid timestamp.
    ///
    /// Each entry of the Timeline section (a list item, or a table row whose
    /// first cell is the time) starts with `YYYY-MM-DD HH:MM[:SS]` and a zone
    /// (`UTC`, `Z`, an offset such as `+02:00`, or an IANA name such as
    /// `Europe/Paris`), or with `HH:MM` alone for an entry on the day and in
    /// the zone of the entry before it (the first one takes the day and
    /// offset of `started_at`). A sentence of the file that states the zone
    /// of every time ("All times in UTC", "Toutes les heures en UTC") is the
    /// zone of an entry that gives none, and a day line of the Timeline
    /// (`### 2026-11-04`, `2026-11-04:`) is the day of the `HH:MM` entries
    /// after it. An `HH:MM` entry after an IANA zone gets the
    /// offset in force at its own time, after a daylight-saving change too;
    /// a time the clocks skip is reported, and a time they pass twice is
    /// the pass that keeps the timeline in order. A word after the time that is not
    /// a zone of the time zone database (`09:20 Ops/SRE paged`) is the
    /// entry's text. `1:26 PM` is read as `13:26`. A zone abbreviation
    /// (`09:00 PST`, or `09:00 PT`, standard or daylight time by season) is
    /// reported: it is not a zone pmbook reads, and
    /// dropping it would put the entry at another instant. The timeline is the facts of the incident:
    /// non-negotiable, and what the site draws. In a draft, an entry whose
    /// time is approximate (`~19:30`, `≈19:30`, `14:??`) or that gives a
    /// day and no time (`2023-01-02: reported`) is accepted: the facts are
    /// still being gathered. A draft's Timeline may hold
    /// text and no entries (an imported one whose times are all approximate
    /// or date-only); once it is not a draft, it needs entries.
    ///
    /// ## Example
    ///
    /// ```markdown
    /// ## Timeline
    /// - 2026-11-03 09:12 UTC — cache v2.3 deploy starts
    /// - 09:20 — p99 latency alert fires
    /// ```
    pub static TIMELINE_FORMAT = {
        id: "timeline-format",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let is_draft = crate::drafts::is_draft(ctx.config, ctx.pm.status());
    for entry in &ctx.pm.timeline {
        let Err(problem) = &entry.at else {
            continue;
        };
        if is_draft
            && *problem == TimelineProblem::NoTimestamp
            && crate::parse::timeline::is_inexact(&entry.text)
        {
            continue;
        }
        let span = ctx.first_line(entry.span);
        out.push(match problem {
            TimelineProblem::NoTimestamp => {
                Violation::at(span, "timeline entry does not start with a timestamp")
                    .help("start it with `YYYY-MM-DD HH:MM UTC — ` or `HH:MM — `")
            }
            TimelineProblem::Invalid(what) => {
                Violation::at(span, format!("`{what}` is not a valid date, time or zone"))
            }
            TimelineProblem::Skipped { time, zone } => Violation::at(
                span,
                format!("`{time}` does not exist in {zone}: the clocks skip it"),
            )
            .help("write the time the clocks showed, after the daylight-saving change"),
            TimelineProblem::Abbreviation(zone) => Violation::at(
                span,
                format!("`{zone}` is a zone abbreviation, which pmbook does not read"),
            )
            .help(match crate::time::zones::abbreviation_offset(zone) {
                Some(offset) => format!("write the offset it stands for, `{offset}`, or an IANA name such as `Europe/Paris`"),
                None => "write the offset, such as `-08:00`, or an IANA name such as `America/Los_Angeles`".to_owned(),
            }),
            TimelineProblem::NoZone => Violation::at(span, "timeline timestamp has no zone")
                .help("add `UTC` or an offset such as `+02:00` after the time"),
            TimelineProblem::NoDay => Violation::at(span, "`HH:MM` entry with no day to belong to")
                .help("give the first entry a full date, or set `started_at`"),
        });
    }
    if let Some(section) = ctx.pm.section("Timeline")
        && section.has_content
        && ctx.pm.timeline.is_empty()
        && !crate::drafts::is_draft(ctx.config, ctx.pm.status())
    {
        out.push(
            Violation::at(section.heading, "the Timeline section has no entries")
                .help("list the events as `- YYYY-MM-DD HH:MM UTC — what happened`"),
        );
    }
}
