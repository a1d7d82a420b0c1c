//! The summary of `pmbook actions`: counts and closure rate
//! ([`ActionStats`], which `pmbook stats` and the site show too), and with
//! `--history` how long items took to close.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::Row;
use super::past_sla::PastSla;
use crate::sample::{quantile, ratio};
use crate::time::utc_date;

/// The action-item figures of `pmbook stats`, `pmbook actions` and the
/// site: items merged by identity as [`super::merge`] does (a
/// follow-up shared by two postmortems is one item, done when every copy
/// is checked).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ActionStats {
    pub open: usize,
    pub done: usize,
    /// Open items due before today.
    pub overdue: usize,
    /// `done / (open + done)`, a fraction; `None` without action items.
    pub closure_rate: Option<f64>,
    /// Median (interpolated, as [`quantile`]) days from the commit that
    /// added an item to the commit that closed it, over the done items
    /// whose closing is committed; `None` without the git history or
    /// without such items.
    pub days_to_close_median: Option<f64>,
    /// The 90th percentile of the same days.
    pub days_to_close_p90: Option<f64>,
    /// Open items open longer than their severity's `[actions] sla_days`,
    /// longest first; `None` without the git history.
    pub open_past_sla: Option<Vec<PastSla>>,
}

impl ActionStats {
    /// The figures of `items`, each with what the history says of it
    /// (`None` when the history is not read).
    pub fn of<'a>(
        items: impl IntoIterator<Item = (&'a super::Action, Option<super::Times>)>,
        today: Date,
    ) -> ActionStats {
        let mut stats = ActionStats::default();
        let mut days = Vec::new();
        for (action, times) in items {
            if action.done() {
                stats.done += 1;
            } else {
                stats.open += 1;
            }
            if action.overdue(today) {
                stats.overdue += 1;
            }
            days.extend(times.and_then(|t| t.days_to_close()));
        }
        days.sort_by(f64::total_cmp);
        stats.closure_rate = ratio(stats.done, stats.open + stats.done);
        stats.days_to_close_median = quantile(&days, 1, 2);
        stats.days_to_close_p90 = quantile(&days, 9, 10);
        stats
    }
}

/// Days to close of one group of done items.
#[derive(Debug, Clone, PartialEq)]
pub struct CloseTimes {
    pub label: String,
    pub items: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl CloseTimes {
    /// The count, median and p90 of `days`, under `label`.
    pub fn of(label: String, mut days: Vec<f64>) -> CloseTimes {
        days.sort_by(f64::total_cmp);
        CloseTimes {
            label,
            items: days.len(),
            median: quantile(&days, 1, 2),
            p90: quantile(&days, 9, 10),
        }
    }
}

/// The history part of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct HistorySummary {
    /// All closed items, then by kind, then by severity.
    pub groups: Vec<CloseTimes>,
    /// Done items closed (by commit date, UTC) after their due date.
    pub closed_late: usize,
    /// Open items past their due date.
    pub open_late: usize,
}

impl HistorySummary {
    pub fn of(rows: &[Row]) -> HistorySummary {
        let closed: Vec<(&Row, f64)> = rows
            .iter()
            .filter_map(|r| Some((r, r.history?.days_to_close()?)))
            .collect();
        let mut groups = vec![CloseTimes::of(
            "all".into(),
            closed.iter().map(|(_, d)| *d).collect(),
        )];
        let mut by_kind: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let mut by_severity: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for (row, days) in &closed {
            let kind = row.action.kind.as_deref().unwrap_or("(no kind)");
            by_kind
                .entry(format!("kind {kind}"))
                .or_default()
                .push(*days);
            let severity = row.action.severity().unwrap_or("(no severity)");
            by_severity
                .entry(format!("severity {severity}"))
                .or_default()
                .push(*days);
        }
        groups.extend(by_kind.into_iter().map(|(l, d)| CloseTimes::of(l, d)));
        groups.extend(by_severity.into_iter().map(|(l, d)| CloseTimes::of(l, d)));
        let closed_late = rows
            .iter()
            .filter(|r| {
                let closed = r.history.and_then(|h| h.closed);
                matches!((r.action.due, closed), (Some(due), Some(c)) if utc_date(c.at) > due)
            })
            .count();
        HistorySummary {
            groups,
            closed_late,
            open_late: rows.iter().filter(|r| r.overdue).count(),
        }
    }
}
