//! The metrics page, the dashboard's headline numbers and those of the
//! service and root-cause pages. Every number comes from
//! [`crate::metrics::compute`], the implementation `pmbook stats` uses, over
//! the incidents the site shows.

use std::sync::{Mutex, OnceLock};

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use super::charts::{self, Chart, Series, Unit};
use crate::config::Config;
use crate::i18n::Catalogue;
use crate::metrics::{self, Deployments, DurationStats, Filter, Incident, Metrics, Population};
use crate::text::capitalize;

/// The metrics a build computed, by filter: the next build in the same
/// process (`serve`) takes them when it computes over the same incidents,
/// deployments and day, as after an edit of a title, which no number
/// reads.
#[derive(Default)]
pub struct Computed {
    deployments: Deployments,
    today: Option<Date>,
    metrics: Vec<(Filter, Metrics)>,
}

impl Computed {
    /// The metrics computed over `before` that hold over `incidents`:
    /// all of them when the inputs are the same, none otherwise.
    pub fn reusable(
        self,
        before: &[Incident],
        incidents: &[Incident],
        deployments: &Deployments,
        today: Date,
    ) -> Vec<(Filter, Metrics)> {
        let same =
            before == incidents && self.deployments == *deployments && self.today == Some(today);
        if same { self.metrics } else { Vec::new() }
    }
}

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
    incidents: &'a [Incident],
    /// The site's incidents, sorted and with their recurrences, once for
    /// the many pages that show numbers (made when a number is first
    /// computed).
    population: OnceLock<Population<'a>>,
    /// What this build computed, by filter, or took from the last one.
    computed: Mutex<Vec<(Filter, Metrics)>>,
}

impl<'a> MetricsInput<'a> {
    /// The metrics of `incidents`; those of a filter in `earlier`, computed
    /// over the same inputs, are taken from it.
    pub fn new(
        incidents: &'a [Incident],
        config: &'a Config,
        deployments: &'a Deployments,
        today: Date,
        earlier: Vec<(Filter, Metrics)>,
    ) -> MetricsInput<'a> {
        MetricsInput {
            config,
            deployments,
            today,
            incidents,
            population: OnceLock::new(),
            computed: Mutex::new(earlier),
        }
    }

    /// The metrics of the incidents `filter` selects (drafts never count).
    pub fn compute(&self, filter: &Filter) -> Metrics {
        let known = self
            .computed
            .lock()
            .expect("metrics lock")
            .iter()
            .find(|(f, _)| f == filter)
            .map(|(_, metrics)| metrics.clone());
        if let Some(metrics) = known {
            return metrics;
        }
        let population = self
            .population
            .get_or_init(|| Population::new(self.incidents, self.config, false));
        let metrics = metrics::compute_over(
            population,
            self.config,
            self.deployments,
            filter,
            self.today,
            None,
        );
        self.computed
            .lock()
            .expect("metrics lock")
            .push((filter.clone(), metrics.clone()));
        metrics
    }

    /// What was computed, for the next build (see [`Computed`]).
    pub fn into_computed(self) -> Computed {
        Computed {
            deployments: self.deployments.clone(),
            today: Some(self.today),
            metrics: self.computed.into_inner().expect("metrics lock"),
        }
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
        let w = crate::i18n::catalogue(&self.config.book.language);
        let row = |key: &str, f: &dyn Fn(&Metrics) -> String| HeadlineRow {
            label: w.text(&format!("headline.{key}")),
            recent: f(&recent),
            all: f(&all),
        };
        vec![
            row("incidents", &|m| m.incidents.to_string()),
            row("detect_median", &|m| {
                w.approx_minutes(m.time_to_detect.median_minutes)
            }),
            row("resolve_median", &|m| {
                w.approx_minutes(m.time_to_resolve.median_minutes)
            }),
            row("resolve_p90", &|m| {
                w.approx_minutes(m.time_to_resolve.p90_minutes)
            }),
            row("caused_by_change", &|m| w.share(m.change_failure.share)),
            row("recurring", &|m| w.share(m.recurrence.share)),
            row("reviews", &|m| {
                w.fill(
                    "headline.reviews_value",
                    &[
                        ("within", &m.reviews.within_window.to_string()),
                        ("total", &m.incidents.to_string()),
                    ],
                )
            }),
            row("open_overdue", &|m| {
                format!("{} ({})", m.actions.open, m.actions.overdue)
            }),
        ]
    }
}

fn duration_cells(stats: &DurationStats, w: &'static Catalogue) -> [String; 3] {
    [
        stats.count.to_string(),
        w.approx_minutes(stats.median_minutes),
        w.approx_minutes(stats.p90_minutes),
    ]
}

/// The charts of the metrics page, each with its table.
pub fn charts(m: &Metrics, config: &Config) -> Vec<ChartView> {
    let quarters: Vec<String> = m.quarters.iter().map(|q| q.quarter.to_string()).collect();
    let w = crate::i18n::catalogue(&config.book.language);
    vec![
        by_month(m, config, w),
        per_quarter(m, &quarters, "detect", w, |q| &q.time_to_detect),
        per_quarter(m, &quarters, "resolve", w, |q| &q.time_to_resolve),
        change_failure(m, &quarters, w),
        slo(m, w),
        follow_up(m, w),
    ]
}

/// The column headings of a chart's table, from their keys under
/// `charts` in the catalogue.
fn head(w: &'static Catalogue, columns: &[&str]) -> Vec<String> {
    columns
        .iter()
        .map(|c| w.text(&format!("charts.{c}")).to_owned())
        .collect()
}

/// Incidents per month, stacked by severity (the configured ones first).
fn by_month(m: &Metrics, config: &Config, w: &'static Catalogue) -> ChartView {
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
        title: w.text("charts.by_month"),
        unit: Unit::Count,
        words: w,
    };
    ChartView {
        chart,
        svg: charts::stacked_bars(&chart, &months, &series),
        head: std::iter::once(w.text("charts.month").to_owned())
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
    w: &'static Catalogue,
    pick: fn(&metrics::QuarterRow) -> &DurationStats,
) -> ChartView {
    let median: Vec<Option<f64>> = m.quarters.iter().map(|q| pick(q).median_minutes).collect();
    let p90: Vec<Option<f64>> = m.quarters.iter().map(|q| pick(q).p90_minutes).collect();
    let series = median_and_p90(&median, &p90, w);
    let chart = Chart {
        id,
        title: w.text(&format!("charts.{id}")),
        unit: Unit::Minutes,
        words: w,
    };
    ChartView {
        chart,
        svg: charts::lines(&chart, quarters, &series),
        head: head(w, &["quarter", "incidents", "median", "p90"]),
        rows: m
            .quarters
            .iter()
            .map(|q| {
                let [count, median, p90] = duration_cells(pick(q), w);
                vec![q.quarter.to_string(), count, median, p90]
            })
            .collect(),
    }
}

/// The share of incidents caused by a change, and the change failure rate
/// where deployments are known, per quarter.
fn change_failure(m: &Metrics, quarters: &[String], w: &'static Catalogue) -> ChartView {
    let shares: Vec<Option<f64>> = m.quarters.iter().map(|q| q.change_failure.share).collect();
    let rates: Vec<Option<f64>> = m.quarters.iter().map(|q| q.change_failure.rate).collect();
    let mut series = vec![Series {
        name: w.text("charts.caused_share"),
        values: &shares,
    }];
    if rates.iter().any(Option::is_some) {
        series.push(Series {
            name: w.text("charts.failure_rate"),
            values: &rates,
        });
    }
    let chart = Chart {
        id: "change-failure",
        title: w.text("charts.change_failure"),
        unit: Unit::Share,
        words: w,
    };
    ChartView {
        chart,
        svg: charts::lines(&chart, quarters, &series),
        head: head(w, &["quarter", "caused", "share", "deployments", "rate"]),
        rows: m
            .quarters
            .iter()
            .map(|q| {
                let c = &q.change_failure;
                vec![
                    q.quarter.to_string(),
                    c.caused_by_change.to_string(),
                    w.share(c.share),
                    c.deployments
                        .map_or_else(|| "—".to_owned(), |d| d.to_string()),
                    w.share(c.rate),
                ]
            })
            .collect(),
    }
}

/// The error budget consumed, per SLO and quarter.
fn slo(m: &Metrics, w: &'static Catalogue) -> ChartView {
    let labels: Vec<String> = m
        .slo
        .iter()
        .map(|s| format!("{} · {}", s.name, s.quarter))
        .collect();
    let values: Vec<f64> = m.slo.iter().map(|s| s.budget_consumed).collect();
    let chart = Chart {
        id: "slo",
        title: w.text("charts.slo"),
        unit: Unit::Share,
        words: w,
    };
    ChartView {
        chart,
        svg: charts::bars(&chart, &labels, &values),
        head: head(w, &["slo_name", "quarter", "budget_consumed"]),
        rows: m
            .slo
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    s.quarter.to_string(),
                    w.share(Some(s.budget_consumed)),
                ]
            })
            .collect(),
    }
}

/// Review timeliness and action closure, as shares.
fn follow_up(m: &Metrics, w: &'static Catalogue) -> ChartView {
    let items = m.actions.open + m.actions.done;
    let [low, high] = m.reviews.window_hours;
    let window = w.fill(
        "charts.review_window",
        &[("low", &low.to_string()), ("high", &high.to_string())],
    );
    let measures = [
        (w.text("charts.reviews_held"), m.reviews.held, m.incidents),
        (window.as_str(), m.reviews.within_window, m.incidents),
        (w.text("charts.items_done"), m.actions.done, items),
        (w.text("charts.items_overdue"), m.actions.overdue, items),
    ];
    let labels: Vec<String> = measures.iter().map(|(l, _, _)| (*l).to_owned()).collect();
    let values: Vec<f64> = measures
        .iter()
        .map(|(_, count, total)| *count as f64 / (*total).max(1) as f64)
        .collect();
    let chart = Chart {
        id: "follow-up",
        title: w.text("charts.follow_up"),
        unit: Unit::Share,
        words: w,
    };
    ChartView {
        chart,
        svg: charts::bars(&chart, &labels, &values),
        head: head(w, &["measure", "count", "of", "share"]),
        rows: measures
            .iter()
            .map(|(label, count, total)| row_of(&capitalize(label), *count, *total, w))
            .collect(),
    }
}

fn row_of(label: &str, count: usize, total: usize, w: &'static Catalogue) -> Vec<String> {
    let ratio = (total > 0).then(|| count as f64 / total as f64);
    vec![
        label.to_owned(),
        count.to_string(),
        total.to_string(),
        w.share(ratio),
    ]
}

/// The chart of days to close action items per quarter of closing; `None`
/// without the git history or without closed items.
pub fn close_times_chart(
    quarters: &[metrics::close_times::QuarterCloseTimes],
    w: &'static Catalogue,
) -> Option<ChartView> {
    if quarters.is_empty() {
        return None;
    }
    let labels: Vec<String> = quarters.iter().map(|q| q.quarter.to_string()).collect();
    let median: Vec<Option<f64>> = quarters.iter().map(|q| q.median).collect();
    let p90: Vec<Option<f64>> = quarters.iter().map(|q| q.p90).collect();
    let series = median_and_p90(&median, &p90, w);
    let chart = Chart {
        id: "days-to-close",
        title: w.text("charts.days_to_close"),
        unit: Unit::Count,
        words: w,
    };
    let days = |d: Option<f64>| d.map_or_else(|| "—".to_owned(), |d| w.number(d, 1));
    Some(ChartView {
        chart,
        svg: charts::lines(&chart, &labels, &series),
        head: head(w, &["quarter", "items_closed", "median_days", "p90_days"]),
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
fn median_and_p90<'a>(
    median: &'a [Option<f64>],
    p90: &'a [Option<f64>],
    w: &'static Catalogue,
) -> [Series<'a>; 2] {
    [
        Series {
            name: w.text("charts.median_series"),
            values: median,
        },
        Series {
            name: w.text("charts.p90"),
            values: p90,
        },
    ]
}
