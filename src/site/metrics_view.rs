//! The metrics page, the dashboard's headline numbers and those of the
//! service and root-cause pages. Every number comes from
//! [`crate::metrics::compute`], the implementation `pmbook stats` uses, over
//! the incidents the site shows.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use super::charts::{self, Chart, Series, Unit};
use crate::config::Config;
use crate::metrics::{
    self, Deployments, DurationStats, Filter, Incident, Metrics, Population, format_minutes,
};
use crate::text::{capitalize, format_share};

/// One headline number over two periods.
#[derive(Debug, Clone, Serialize)]
pub struct HeadlineRow {
    pub label: &'static str,
    pub recent: String,
    pub all: String,
}

/// A chart with its numbers as a table, for screen readers and copying.
#[derive(Debug, Clone)]
pub struct ChartView {
    /// The chart's id and title.
    pub chart: Chart<'static>,
    pub svg: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The days "recent" covers in headline numbers.
pub const RECENT_DAYS: i32 = 90;

pub struct MetricsInput<'a> {
    pub config: &'a Config,
    pub deployments: &'a Deployments,
    pub today: Date,
    /// The site's incidents, sorted and with their recurrences, once for
    /// the many pages that show numbers.
    population: Population<'a>,
}

impl<'a> MetricsInput<'a> {
    pub fn new(
        incidents: &'a [Incident],
        config: &'a Config,
        deployments: &'a Deployments,
        today: Date,
    ) -> MetricsInput<'a> {
        MetricsInput {
            config,
            deployments,
            today,
            population: Population::new(incidents, config, false),
        }
    }

    /// The metrics of the incidents `filter` selects (drafts never count).
    pub fn compute(&self, filter: &Filter) -> Metrics {
        metrics::compute_over(
            &self.population,
            self.config,
            self.deployments,
            filter,
            self.today,
            None,
        )
    }

    /// Headline numbers of the incidents `base` selects: the last
    /// [`RECENT_DAYS`] days and all time.
    pub fn headline(&self, base: &Filter) -> Vec<HeadlineRow> {
        let since = self.today.checked_sub((RECENT_DAYS - 1).days()).ok();
        let recent = self.compute(&Filter {
            since,
            until: Some(self.today),
            ..base.clone()
        });
        let all = self.compute(base);
        let row = |label, f: &dyn Fn(&Metrics) -> String| HeadlineRow {
            label,
            recent: f(&recent),
            all: f(&all),
        };
        vec![
            row("Incidents", &|m| m.incidents.to_string()),
            row("Time to detect, median", &|m| {
                format_minutes(m.time_to_detect.median_minutes)
            }),
            row("Time to resolve, median", &|m| {
                format_minutes(m.time_to_resolve.median_minutes)
            }),
            row("Time to resolve, p90", &|m| {
                format_minutes(m.time_to_resolve.p90_minutes)
            }),
            row("Caused by a change", &|m| {
                format_share(m.change_failure.share)
            }),
            row("Recurring incidents", &|m| format_share(m.recurrence.share)),
            row("Reviews in the window", &|m| {
                format!("{} of {}", m.reviews.within_window, m.incidents)
            }),
            row("Open action items (overdue)", &|m| {
                format!("{} ({})", m.actions.open, m.actions.overdue)
            }),
        ]
    }
}

fn duration_cells(stats: &DurationStats) -> [String; 3] {
    [
        stats.count.to_string(),
        format_minutes(stats.median_minutes),
        format_minutes(stats.p90_minutes),
    ]
}

/// The charts of the metrics page, each with its table.
pub fn charts(m: &Metrics, config: &Config) -> Vec<ChartView> {
    let quarters: Vec<String> = m.quarters.iter().map(|q| q.quarter.to_string()).collect();
    vec![
        by_month(m, config),
        per_quarter(m, &quarters, "detect", "Time to detect per quarter", |q| {
            &q.time_to_detect
        }),
        per_quarter(
            m,
            &quarters,
            "resolve",
            "Time to resolve per quarter",
            |q| &q.time_to_resolve,
        ),
        change_failure(m, &quarters),
        slo(m),
        follow_up(m),
    ]
}

/// The column headings of a chart's table.
fn head(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| (*c).to_owned()).collect()
}

/// Incidents per month, stacked by severity (the configured ones first).
fn by_month(m: &Metrics, config: &Config) -> ChartView {
    let months: Vec<String> = m.months.iter().map(|r| r.month.to_string()).collect();
    let mut severities: Vec<String> = config.lint.severities.clone();
    for row in &m.months {
        for (name, _) in &row.by_severity.0 {
            if !severities.contains(name) {
                severities.push(name.clone());
            }
        }
    }
    let counts: Vec<Vec<Option<f64>>> = severities
        .iter()
        .map(|s| {
            m.months
                .iter()
                .map(|r| Some(r.by_severity.get(s) as f64))
                .collect()
        })
        .collect();
    let series: Vec<Series> = severities
        .iter()
        .zip(&counts)
        .map(|(name, values)| Series { name, values })
        .collect();
    let chart = Chart {
        id: "by-month",
        title: "Incidents per month, by severity",
        unit: Unit::Count,
    };
    ChartView {
        chart,
        svg: charts::stacked_bars(&chart, &months, &series),
        head: std::iter::once("Month".to_owned())
            .chain(severities.iter().cloned())
            .collect(),
        rows: m
            .months
            .iter()
            .map(|r| {
                std::iter::once(r.month.to_string())
                    .chain(severities.iter().map(|s| r.by_severity.get(s).to_string()))
                    .collect()
            })
            .collect(),
    }
}

/// The median and p90 of one duration (`pick`) per quarter.
fn per_quarter(
    m: &Metrics,
    quarters: &[String],
    id: &'static str,
    title: &'static str,
    pick: fn(&metrics::QuarterRow) -> &DurationStats,
) -> ChartView {
    let median: Vec<Option<f64>> = m.quarters.iter().map(|q| pick(q).median_minutes).collect();
    let p90: Vec<Option<f64>> = m.quarters.iter().map(|q| pick(q).p90_minutes).collect();
    let series = median_and_p90(&median, &p90);
    let chart = Chart {
        id,
        title,
        unit: Unit::Minutes,
    };
    ChartView {
        chart,
        svg: charts::lines(&chart, quarters, &series),
        head: head(&["Quarter", "Incidents", "Median", "p90"]),
        rows: m
            .quarters
            .iter()
            .map(|q| {
                let [count, median, p90] = duration_cells(pick(q));
                vec![q.quarter.to_string(), count, median, p90]
            })
            .collect(),
    }
}

/// The share of incidents caused by a change, and the change failure rate
/// where deployments are known, per quarter.
fn change_failure(m: &Metrics, quarters: &[String]) -> ChartView {
    let shares: Vec<Option<f64>> = m.quarters.iter().map(|q| q.change_failure.share).collect();
    let rates: Vec<Option<f64>> = m.quarters.iter().map(|q| q.change_failure.rate).collect();
    let mut series = vec![Series {
        name: "share of incidents caused by a change",
        values: &shares,
    }];
    if rates.iter().any(Option::is_some) {
        series.push(Series {
            name: "change failure rate (of deployments)",
            values: &rates,
        });
    }
    let chart = Chart {
        id: "change-failure",
        title: "Change failure per quarter",
        unit: Unit::Share,
    };
    ChartView {
        chart,
        svg: charts::lines(&chart, quarters, &series),
        head: head(&[
            "Quarter",
            "Caused by a change",
            "Share",
            "Deployments",
            "Rate",
        ]),
        rows: m
            .quarters
            .iter()
            .map(|q| {
                let c = &q.change_failure;
                vec![
                    q.quarter.to_string(),
                    c.caused_by_change.to_string(),
                    format_share(c.share),
                    c.deployments
                        .map_or_else(|| "—".to_owned(), |d| d.to_string()),
                    format_share(c.rate),
                ]
            })
            .collect(),
    }
}

/// The error budget consumed, per SLO and quarter.
fn slo(m: &Metrics) -> ChartView {
    let labels: Vec<String> = m
        .slo
        .iter()
        .map(|s| format!("{} · {}", s.name, s.quarter))
        .collect();
    let values: Vec<f64> = m.slo.iter().map(|s| s.budget_consumed).collect();
    let chart = Chart {
        id: "slo",
        title: "Error budget consumed by incidents, per SLO and quarter",
        unit: Unit::Share,
    };
    ChartView {
        chart,
        svg: charts::bars(&chart, &labels, &values),
        head: head(&["SLO", "Quarter", "Budget consumed"]),
        rows: m.slo.iter().map(metrics::SloBudget::cells).collect(),
    }
}

/// Review timeliness and action closure, as shares.
fn follow_up(m: &Metrics) -> ChartView {
    let items = m.actions.open + m.actions.done;
    let [low, high] = m.reviews.window_hours;
    let window = format!("reviews {low}–{high} h after resolution");
    let measures = [
        ("reviews held", m.reviews.held, m.incidents),
        (window.as_str(), m.reviews.within_window, m.incidents),
        ("action items done", m.actions.done, items),
        ("action items overdue", m.actions.overdue, items),
    ];
    let labels: Vec<String> = measures.iter().map(|(l, _, _)| (*l).to_owned()).collect();
    let values: Vec<f64> = measures
        .iter()
        .map(|(_, count, total)| *count as f64 / (*total).max(1) as f64)
        .collect();
    let chart = Chart {
        id: "follow-up",
        title: "Reviews and action items",
        unit: Unit::Share,
    };
    ChartView {
        chart,
        svg: charts::bars(&chart, &labels, &values),
        head: head(&["Measure", "Count", "Of", "Share"]),
        rows: measures
            .iter()
            .map(|(label, count, total)| row_of(&capitalize(label), *count, *total))
            .collect(),
    }
}

fn row_of(label: &str, count: usize, total: usize) -> Vec<String> {
    let ratio = (total > 0).then(|| count as f64 / total as f64);
    vec![
        label.to_owned(),
        count.to_string(),
        total.to_string(),
        format_share(ratio),
    ]
}

/// The chart of days to close action items per quarter of closing; `None`
/// without the git history or without closed items.
pub fn close_times_chart(
    quarters: &[metrics::close_times::QuarterCloseTimes],
) -> Option<ChartView> {
    if quarters.is_empty() {
        return None;
    }
    let labels: Vec<String> = quarters.iter().map(|q| q.quarter.to_string()).collect();
    let median: Vec<Option<f64>> = quarters.iter().map(|q| q.median).collect();
    let p90: Vec<Option<f64>> = quarters.iter().map(|q| q.p90).collect();
    let series = median_and_p90(&median, &p90);
    let chart = Chart {
        id: "days-to-close",
        title: "Days to close action items, per quarter of closing",
        unit: Unit::Count,
    };
    let days = |d: Option<f64>| d.map_or_else(|| "—".to_owned(), |d| format!("{d:.1}"));
    Some(ChartView {
        chart,
        svg: charts::lines(&chart, &labels, &series),
        head: ["Quarter", "Items closed", "Median days", "p90 days"]
            .map(String::from)
            .to_vec(),
        rows: quarters
            .iter()
            .map(|q| {
                vec![
                    q.quarter.to_string(),
                    q.items.to_string(),
                    days(q.median),
                    days(q.p90),
                ]
            })
            .collect(),
    })
}

/// The two series of a chart of durations: the median and the p90.
fn median_and_p90<'a>(median: &'a [Option<f64>], p90: &'a [Option<f64>]) -> [Series<'a>; 2] {
    [
        Series {
            name: "median",
            values: median,
        },
        Series {
            name: "p90",
            values: p90,
        },
    ]
}
