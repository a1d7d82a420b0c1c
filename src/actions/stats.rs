//! The summary of `pmbook actions`: counts and closure rate, and with
//! `--history` how long items took to close.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::Row;

/// The UTC date of a commit time.
pub fn utc_date(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date()
}

/// Counts over the items in scope.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub open: usize,
    pub done: usize,
    pub overdue: usize,
}

impl Counts {
    pub fn of(rows: &[Row]) -> Counts {
        let done = rows.iter().filter(|r| r.action.done()).count();
        Counts {
            open: rows.len() - done,
            done,
            overdue: rows.iter().filter(|r| r.overdue).count(),
        }
    }

    /// `done / (open + done)`, as a percentage; `None` without items.
    pub fn closure_rate(&self) -> Option<f64> {
        let all = self.open + self.done;
        (all > 0).then(|| self.done as f64 * 100.0 / all as f64)
    }
}

/// The nearest-rank percentile of sorted `values`: the smallest value that
/// at least `percent` % of the values do not exceed, i.e. the value of rank
/// ⌈percent × n / 100⌉. Always one of the values, so a median of days to
/// close is a real item's time; for an even count the median is the lower
/// of the two middle values.
pub fn nearest_rank(sorted: &[f64], percent: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
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
    fn of(label: String, mut days: Vec<f64>) -> CloseTimes {
        days.sort_by(f64::total_cmp);
        CloseTimes {
            label,
            items: days.len(),
            median: nearest_rank(&days, 50),
            p90: nearest_rank(&days, 90),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(nearest_rank(&values, 50), Some(5.0));
        assert_eq!(nearest_rank(&values, 90), Some(9.0));
        assert_eq!(nearest_rank(&values[..5], 50), Some(3.0));
        assert_eq!(nearest_rank(&values[..5], 90), Some(5.0));
        assert_eq!(nearest_rank(&[7.0], 90), Some(7.0));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    #[test]
    fn closure_rate_is_a_percentage_of_all_items() {
        let counts = Counts {
            open: 1,
            done: 3,
            overdue: 1,
        };
        assert_eq!(counts.closure_rate(), Some(75.0));
        assert_eq!(Counts::default().closure_rate(), None);
    }
}
