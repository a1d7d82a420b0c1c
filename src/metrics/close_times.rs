//! Days to close action items per quarter of closing, from the git
//! history: the series of the metrics page's chart.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::actions::history::History;
use crate::actions::stats::CloseTimes;
use crate::actions::{Action, Times};
use crate::time::Quarter;

/// The items closed in one quarter (by the UTC date of the closing commit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterCloseTimes {
    pub quarter: Quarter,
    pub items: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// Every quarter from the first closing to the last (quarters without a
/// closing have no values), over the done items whose days to close the
/// history knows ([`Times::days_to_close`]).
pub fn by_quarter<'a>(
    items: impl IntoIterator<Item = &'a Action>,
    history: &History,
) -> Vec<QuarterCloseTimes> {
    let mut days: BTreeMap<Quarter, Vec<f64>> = BTreeMap::new();
    for action in items {
        let times = Times::of(action, history.get(&action.key));
        let (Some(closed), Some(d)) = (times.closed, times.days_to_close()) else {
            continue;
        };
        let quarter = Quarter::of(crate::time::utc_date(closed.at));
        days.entry(quarter).or_default().push(d);
    }
    let (Some(&first), Some(&last)) = (days.keys().next(), days.keys().next_back()) else {
        return Vec::new();
    };
    Quarter::range(first, last)
        .map(|quarter| {
            let times = CloseTimes::of(
                quarter.to_string(),
                days.remove(&quarter).unwrap_or_default(),
            );
            QuarterCloseTimes {
                quarter,
                items: times.items,
                median: times.median,
                p90: times.p90,
            }
        })
        .collect()
}
