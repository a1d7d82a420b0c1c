//! The summary of `pmbook actions`: counts and closure rate (the
//! [`crate::metrics::ActionStats`] that `pmbook stats` shows too), and with
//! `--history` how long items took to close, with the percentiles of
//! `pmbook stats` ([`crate::metrics::quantile`]).

use std::collections::BTreeMap;

use super::Row;
use crate::metrics::quantile;
use crate::time::utc_date;

/// Days to close of one group of done items.
#[derive(Debug, Clone, PartialEq)]
pub struct CloseTimes {
    pub label: String,
    pub items: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl CloseTimes {
    fn of(label: String, mut days: Vec<f64>) -> CloseTimes {
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
