use crate::lint::{Context, Violation, rule};

rule! {
    /// Wording that blames people or judges with hindsight.
    ///
    /// A blameless postmortem asks how the system let a reasonable action
    /// cause harm, not who erred. Blame words ("human error", "fault of",
    /// "careless", "negligent") end the analysis at a person; hindsight
    /// phrasing ("should have", "failed to", "forgot to") judges with
    /// knowledge nobody had at the time. Both make the next incident less
    /// likely to be reported honestly. General prose linters catch neither.
    ///
    /// The list is `[lint] blameful_phrases` (whole words, any case). Code
    /// blocks, inline code, HTML comments, URLs and link destinations are not
    /// checked, so a quoted log line, `git blame` or a link to a page named
    /// `human-error` is fine.
    ///
    /// ## Example
    ///
    /// Instead of "the operator forgot to drain the node", write "the runbook
    /// did not include draining the node, and nothing checked it".
    pub static BLAMEFUL_LANGUAGE = {
        id: "blameful-language",
        level: Warn,
        relaxed_in_draft: false,
        check: check,
    };
}

const HINDSIGHT: [&str; 7] = [
    "should have",
    "shouldn't have",
    "should not have",
    "could have",
    "failed to",
    "forgot to",
    "neglected to",
];

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(pattern) = &ctx.patterns.blameful else {
        return;
    };
    for at in ctx.wording_matches(pattern) {
        let phrase = &ctx.pm.source.text[at.range()];
        let violation = Violation::at(at, format!("blameful wording: \"{phrase}\""));
        out.push(if HINDSIGHT.iter().any(|h| h.eq_ignore_ascii_case(phrase)) {
            violation.help("hindsight phrasing: describe what people knew and did at the time, and why it made sense")
        } else {
            violation.help("describe what the system allowed to happen, not who is at fault")
        });
    }
}
