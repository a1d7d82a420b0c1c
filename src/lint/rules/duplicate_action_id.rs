use std::collections::HashMap;

use crate::corpus::IdIndex;
use crate::lint::{Context, Violation, rule};
use crate::model::normalize_action_text;
use crate::parse::ids::FileIds;

rule! {
    /// Two different action items have the same `id`.
    ///
    /// An explicit `id:` names one action item across the repository, so that
    /// `pmbook actions --history` follows it when its text is edited. The same
    /// id may appear in two postmortems when both list one shared follow-up:
    /// that is allowed only when the item's text is the same (compared without
    /// case and extra whitespace). An id listed twice in one postmortem is
    /// reported too. Checked against every postmortem of the repository, even
    /// when only some files are linted.
    ///
    /// ## Example
    ///
    /// ```markdown
    /// - [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, id: OPS-canary)
    /// ```
    ///
    /// and, in another postmortem, `- [ ] Alert on p99 latency (id: OPS-canary)`:
    /// give the second item its own id.
    pub static DUPLICATE_ACTION_ID = {
        id: "duplicate-action-id",
        level: Error,
        relaxed_in_draft: false,
        check: check,
        cross_file: can_report,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(index) = ctx.index else {
        return;
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for item in ctx.pm.actions.iter().filter(|i| i.is_task) {
        let Some(id) = &item.id else {
            continue;
        };
        if let Some(line) = seen.get(id.value.as_str()) {
            out.push(
                Violation::at(
                    id.span,
                    format!("action id `{}` is used twice in this postmortem", id.value),
                )
                .note(format!("first used on line {line}"))
                .help("give each action item its own id, or remove the repeated item"),
            );
            continue;
        }
        seen.insert(&id.value, ctx.pm.source.position(item.span.start).line);
        let text = item.normalized_text();
        let mut others = index
            .action_ids
            .get(&id.value)
            .into_iter()
            .flatten()
            .filter(|other| other.path != ctx.pm.path && normalize_action_text(&other.text) != text)
            .peekable();
        if others.peek().is_none() {
            continue;
        }
        let mut violation = Violation::at(
            id.span,
            format!(
                "action id `{}` is used by a different item in another postmortem",
                id.value
            ),
        );
        for other in others {
            violation = violation.note(format!("in {}: \"{}\"", other.path, other.text));
        }
        out.push(violation.help(
            "give this item its own id; an id shared by two postmortems must name the same item, with the same text",
        ));
    }
}

/// Only a file with an action id used more than once (by it or by another
/// postmortem) can report.
fn can_report(ids: &FileIds, index: &IdIndex) -> bool {
    ids.action_ids.iter().any(|action| {
        index
            .action_ids
            .get(&action.id)
            .is_some_and(|uses| uses.len() > 1)
    })
}
