//! Summaries of a sample of durations: count, mean, median and p90.

use serde::Serialize;

use crate::sample::quantile;

/// Count, mean, median and 90th percentile of one kind of duration, in
/// minutes. Incident durations are heavy-tailed, so the median and p90 say
/// more than the mean; all three are `None` when `count` is 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DurationStats {
    pub count: usize,
    pub mean_minutes: Option<f64>,
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    /// Durations left out because they were negative: the later time is
    /// before the earlier one (a `time-order` error in the postmortem).
    pub negative_skipped: usize,
}

impl DurationStats {
    /// Summarises `minutes`, which holds no negative values.
    pub fn new(mut minutes: Vec<f64>, negative_skipped: usize) -> DurationStats {
        minutes.sort_by(f64::total_cmp);
        let count = minutes.len();
        // Summed in sorted order, so the mean does not depend on file order.
        let mean = (count > 0).then(|| minutes.iter().sum::<f64>() / count as f64);
        DurationStats {
            count,
            mean_minutes: mean,
            median_minutes: quantile(&minutes, 1, 2),
            p90_minutes: quantile(&minutes, 9, 10),
            negative_skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_nothing_are_null() {
        let s = DurationStats::new(Vec::new(), 2);
        assert_eq!(s.count, 0);
        assert_eq!(s.mean_minutes, None);
        assert_eq!(s.negative_skipped, 2);
    }
}
