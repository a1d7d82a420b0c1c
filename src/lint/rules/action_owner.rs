use crate::lint::{Context, Violation, rule};

rule! {
    /// An open action item has no owner.
    ///
    /// An item nobody owns is an item nobody does. Name a person or a team in
    /// the item's metadata group.
    ///
    /// ## Example
    ///
    /// ```markdown
    /// - [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent)
    /// ```
    pub static ACTION_OWNER = {
        id: "action-owner",
        level: Error,
        relaxed_in_draft: true,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    for item in ctx.pm.actions.iter().filter(|i| i.is_task && !i.done) {
        if item.owner.as_ref().is_none_or(|o| o.value.is_empty()) {
            out.push(
                Violation::at(ctx.first_line(item.span), "open action item has no owner")
                    .help("add `owner: @name` to the `( ... )` group at the end of the item"),
            );
        }
    }
}
