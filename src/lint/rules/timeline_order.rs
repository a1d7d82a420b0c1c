use crate::lint::fix::{Edit, Fix};
use crate::lint::{Context, Violation, rule};
use crate::model::Span;

rule! {
    /// Timeline entries are not in chronological order.
    ///
    /// A timeline is read top to bottom; an entry earlier than the one above
    /// it is usually a typo in the time or a missing date on an entry after
    /// midnight.
    ///
    /// `pmbook lint --fix` sorts the timeline when every entry has a full
    /// timestamp (date, time and zone) and the entries form one list or
    /// table: an `HH:MM` entry may be the one with the wrong day, so a
    /// timeline with one is left for the author. Entries move whole (with
    /// their continuation lines and sub-lists), byte for byte; entries at the
    /// same time keep their order.
    pub static TIMELINE_ORDER = {
        id: "timeline-order",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let mut fix = None;
    let mut previous = None;
    for entry in &ctx.pm.timeline {
        let Ok(at) = entry.at else {
            continue;
        };
        if let Some((prev, line)) = previous
            && at.timestamp < prev
        {
            let violation = Violation::at(
                ctx.first_line(entry.span),
                "timeline entry is earlier than the entry before it",
            )
            .note(format!("the entry before it is on line {line}"));
            // Every violation carries the fix, so that suppressing one
            // does not lose it; it is made once.
            out.push(match fix.get_or_insert_with(|| sort(ctx)) {
                Some(fix) => violation.fix(fix.clone()),
                None => violation,
            });
        }
        let line = ctx.pm.source.position(entry.span.start).line;
        previous = Some((at.timestamp, line));
    }
}

/// The edits that put the entries in chronological order: each entry's
/// slot receives, byte for byte, the entry that belongs there; what lies
/// between entries (line endings, blank lines, indentation) stays put.
/// `None` unless every entry has a full timestamp and only whitespace
/// separates the entries (one list, not several).
fn sort(ctx: &Context) -> Option<Fix> {
    let text = &ctx.pm.source.text;
    let entries = &ctx.pm.timeline;
    let mut slots = Vec::with_capacity(entries.len());
    for entry in entries {
        let Ok(at) = &entry.at else { return None };
        if !entry.has_date {
            return None;
        }
        // The last item of a list spans the blank lines after it: they
        // stay where they are.
        let len = text[entry.span.range()].trim_end().len();
        let span = Span::new(entry.span.start, entry.span.start + len);
        slots.push((at.timestamp, span));
    }
    let one_list = slots.windows(2).all(|pair| {
        text.get(pair[0].1.end..pair[1].1.start)
            .is_some_and(|between| between.trim().is_empty())
    });
    if !one_list {
        return None;
    }
    let mut sorted = slots.clone();
    sorted.sort_by_key(|(at, _)| *at);
    let edits = slots
        .iter()
        .zip(&sorted)
        .filter(|(slot, entry)| slot.1 != entry.1)
        .map(|(slot, entry)| Edit::replace(slot.1, &text[entry.1.range()]))
        .collect();
    Some(Fix {
        verb: "sorted",
        object: "the timeline".to_owned(),
        edits,
    })
}
