//! The open action items that have been open longer than their incident's
//! severity allows (`[actions] sla_days`), counted from the commit that
//! added them (see [`crate::actions::history`]).

use jiff::civil::Date;
use serde::Serialize;

use super::history::History;
use super::{Action, Times};
use crate::config::Config;

/// An open item past its severity's SLA.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastSla {
    pub id: Option<String>,
    pub text: String,
    pub owner: Option<String>,
    pub postmortem: Option<String>,
    pub path: String,
    pub line: usize,
    pub severity: String,
    /// The UTC date of the commit that added it.
    pub opened: String,
    /// Whole days from `opened` to today.
    pub days_open: i32,
    pub sla_days: u32,
}

/// The open items of `items` open more than their severity's `sla_days`,
/// longest open first (then in the order of `items`).
pub fn past_sla<'a>(
    items: impl IntoIterator<Item = &'a Action>,
    history: &History,
    config: &Config,
    today: Date,
) -> Vec<PastSla> {
    let mut late: Vec<PastSla> = items
        .into_iter()
        .filter(|a| !a.done())
        .filter_map(|action| {
            let severity = action.severity()?;
            let &sla_days = config.actions.sla_days.get(severity)?;
            let opened = Times::of(action, history.get(&action.key)).opened?;
            let opened = crate::time::utc_date(opened.at);
            let days_open = (today - opened).get_days();
            (i64::from(days_open) > i64::from(sla_days)).then(|| {
                let first = action.first();
                PastSla {
                    id: action.id.clone(),
                    text: action.text.clone(),
                    owner: action.owner.clone(),
                    postmortem: first.postmortem.clone(),
                    path: first.path.clone(),
                    line: first.line,
                    severity: severity.to_owned(),
                    opened: opened.to_string(),
                    days_open,
                    sla_days,
                }
            })
        })
        .collect();
    late.sort_by_key(|l| std::cmp::Reverse(l.days_open));
    late
}
