use crate::lint::{Context, Violation, rule};

rule! {
    /// An action item's ticket disagrees with the ticket tracker, or is not in it.
    ///
    /// ## What it does
    ///
    /// Looks up the `ticket` of every task item in the export of the ticket
    /// tracker named by `[actions] tracker` (GitHub's
    /// `gh issue list --state all --json number,state,title,closedAt,url`
    /// output, or Jira's CSV export), and reports an open item whose ticket
    /// is closed, a checked item whose ticket is open, and a ticket the
    /// export does not have. GitHub tickets are matched by number (`#123`,
    /// `123`, `owner/repo#123` or the issue's URL), Jira tickets by key
    /// (`OPS-12` or a `/browse/OPS-12` URL). Without `[actions] tracker`
    /// the rule checks nothing. `pmbook actions --tracker FILE` prints the
    /// same disagreements for an export given on the command line.
    ///
    /// ## Why is this bad?
    ///
    /// The postmortem and the tracker are two records of one piece of work.
    /// When they disagree, one of them is wrong: the item board shows done
    /// work as late, or hides work nobody is doing because a box was
    /// checked too early. A ticket the tracker does not know is a typo or a
    /// ticket of another tracker, and its link leads nowhere.
    ///
    /// ## Example
    ///
    /// With `OPS-123` resolved in Jira:
    ///
    /// ```markdown
    /// - [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)
    /// ```
    ///
    /// ## Use instead
    ///
    /// Check the item, or reopen the ticket if the work is not done:
    ///
    /// ```markdown
    /// - [x] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)
    /// ```
    ///
    /// ## Options
    ///
    /// ```toml
    /// [actions]
    /// tracker = "exports/tickets.csv"
    /// ticket_url = "https://github.com/acme/shop/issues/{ticket}"
    /// ```
    ///
    /// `tracker` is relative to the project directory; a file that cannot
    /// be read as either export stops `lint` (exit code 2). `ticket_url`
    /// gives a bare issue number (`123`) its GitHub repository.
    ///
    /// ## References
    ///
    /// - [Action items: the tracker's word](../actions.md#the-trackers-word)
    pub static ACTION_TICKET_STATE = {
        id: "action-ticket-state",
        level: Warn,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(tracker) = ctx.tracker else {
        return;
    };
    let ticket_url = ctx.config.actions.ticket_url.as_deref();
    for item in ctx.pm.actions.iter().filter(|i| i.is_task) {
        let Some(ticket) = &item.ticket else {
            continue;
        };
        if let Some(disagreement) = tracker.check(&ticket.value, item.done, ticket_url) {
            out.push(
                Violation::at(ticket.span, disagreement.describe(&ticket.value))
                    .help(disagreement.help()),
            );
        }
    }
}
