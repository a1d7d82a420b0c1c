//! Incident metrics, for `pmbook stats` and the site's metrics page: one
//! implementation, so that both always show the same numbers.
//!
//! A parsed [`Postmortem`] is reduced to an [`Incident`] (the few fields
//! metrics read), a [`Filter`] picks incidents, and [`compute`] turns them
//! into [`Metrics`], which serializes to the JSON of `pmbook stats`. The
//! definitions, and the sources they come from, are in the book's "Metrics"
//! chapter.

pub mod close_times;
mod deployments;
mod recurrence;
mod summary;

use std::collections::BTreeMap;
use std::fmt;

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Serialize;
use serde::ser::SerializeMap;

pub use deployments::Deployments;
pub use recurrence::Pair;
pub use summary::DurationStats;

use crate::actions::history::Version;
use crate::actions::stats::ActionStats;
use crate::config::Config;
use crate::corpus::Corpus;
use crate::model::{DateTime, Durations, Postmortem};
use crate::sample::ratio;
use crate::text::format_share;
use crate::time::{Month, Quarter};

/// What metrics read from one postmortem. Small and owned, so that a command
/// can parse thousands of files in parallel and keep only these.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    /// The file, relative to the repository root.
    pub path: String,
    pub status: Option<String>,
    pub severity: Option<String>,
    /// Without repeats, in the order written.
    pub services: Vec<String>,
    pub root_cause_category: Option<String>,
    pub started: DateTime,
    /// The date of `started` at the offset it was written with, which places
    /// the incident in a month and a quarter.
    pub started_on: Date,
    pub durations: Durations,
    pub caused_by_change: bool,
    /// `[slo]` tables with both a name and a budget.
    pub slos: Vec<(String, f64)>,
    pub review_held: bool,
    /// Minutes from `resolved_at` to `review_at`, when both are given.
    pub review_after_resolution: Option<i64>,
    /// The task-list action items, as `pmbook actions` reads them.
    pub actions: Vec<crate::actions::Action>,
}

/// Why a postmortem is left out of the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The file could not be read as text.
    Unreadable,
    /// The front-matter is missing or is not valid TOML.
    NoFrontMatter,
    /// A field every metric needs is missing or has the wrong type.
    Missing(&'static str),
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::Unreadable => f.write_str("it could not be read as text"),
            Skip::NoFrontMatter => f.write_str("its front-matter is missing or not valid TOML"),
            Skip::Missing(field) => write!(f, "it has no valid `{field}`"),
        }
    }
}

impl Incident {
    /// The incident described by `pm`. It needs an `id` (to name it in
    /// recurrence pairs) and a `started_at` (to place it in time); anything
    /// else may be missing and is then left out of the metrics that need it.
    pub fn from_postmortem(pm: &Postmortem) -> Result<Incident, Skip> {
        if pm.file_problem.is_some() {
            return Err(Skip::Unreadable);
        }
        let fm = pm.front_matter.as_ref().ok_or(Skip::NoFrontMatter)?;
        let id = fm.id.as_ref().ok_or(Skip::Missing("id"))?.value.clone();
        let started = fm
            .started_at
            .as_ref()
            .ok_or(Skip::Missing("started_at"))?
            .value;
        let mut services: Vec<String> = Vec::new();
        for service in fm.services.iter().flat_map(|list| &list.value) {
            if !services.contains(&service.value) {
                services.push(service.value.clone());
            }
        }
        let slos = fm
            .slo
            .iter()
            .filter_map(|slo| {
                let name = slo.value.name.as_ref()?.value.clone();
                Some((name, slo.value.budget_consumed.as_ref()?.value))
            })
            .collect();
        let review_after_resolution = match (&fm.resolved_at, &fm.review_at) {
            (Some(resolved), Some(review)) => Some(
                resolved
                    .value
                    .timestamp
                    .duration_until(review.value.timestamp)
                    .as_mins(),
            ),
            _ => None,
        };
        Ok(Incident {
            id,
            path: pm.path.clone(),
            status: fm.status.as_ref().map(|f| f.value.clone()),
            severity: fm.severity.as_ref().map(|f| f.value.clone()),
            services,
            root_cause_category: fm.root_cause_category.as_ref().map(|f| f.value.clone()),
            started,
            started_on: started.date(),
            durations: fm.durations(),
            caused_by_change: fm.caused_by_change.as_ref().is_some_and(|f| f.value),
            slos,
            review_held: fm.review_at.is_some(),
            review_after_resolution,
            actions: crate::actions::actions_of(pm),
        })
    }

    /// Whether the incident is in the draft state (the first configured
    /// status).
    pub fn is_draft(&self, config: &Config) -> bool {
        crate::drafts::is_draft(config, self.status.as_deref())
    }
}

/// Which incidents to count. Dates are compared with the date of
/// `started_at` at its written offset, both bounds included; `None` does
/// not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub since: Option<Date>,
    pub until: Option<Date>,
    /// Incidents that list this service.
    pub service: Option<String>,
    pub severity: Option<String>,
    pub root_cause_category: Option<String>,
    /// Count drafts too; by default they are left out, since their facts
    /// are not settled yet.
    pub include_drafts: bool,
}

impl Filter {
    /// Whether `incident` passes every criterion but the draft one.
    fn selects(&self, incident: &Incident) -> bool {
        let date = incident.started_on;
        self.since.is_none_or(|since| date >= since)
            && self.until.is_none_or(|until| date <= until)
            && self
                .service
                .as_ref()
                .is_none_or(|s| incident.services.contains(s))
            && self
                .severity
                .as_ref()
                .is_none_or(|s| incident.severity.as_ref() == Some(s))
            && self
                .root_cause_category
                .as_ref()
                .is_none_or(|c| incident.root_cause_category.as_ref() == Some(c))
    }
}

/// Everything `pmbook stats` reports and the site charts. The field names
/// are the JSON keys, which are documented and stable.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    pub incidents: usize,
    /// Every configured severity, worst first, then any other severity
    /// found.
    pub by_severity: Counts,
    /// Every month from the first incident's to the last one's.
    pub by_month: BTreeMap<Month, usize>,
    pub time_to_detect: DurationStats,
    pub time_to_acknowledge: DurationStats,
    pub time_to_mitigate: DurationStats,
    pub time_to_resolve: DurationStats,
    pub change_failure: ChangeFailure,
    pub slo: Vec<SloBudget>,
    pub actions: ActionStats,
    pub reviews: ReviewStats,
    pub recurrence: Recurrence,
    /// Incidents per month by severity, for the stacked bar chart.
    pub months: Vec<MonthRow>,
    /// Per-quarter series, for the trend charts.
    pub quarters: Vec<QuarterRow>,
}

/// Counts by name, in a meaningful order (serialized as a JSON object).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts(pub Vec<(String, usize)>);

impl Counts {
    pub fn get(&self, name: &str) -> usize {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, count)| *count)
    }

    fn add(&mut self, name: &str) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some((_, count)) => *count += 1,
            None => self.0.push((name.to_owned(), 1)),
        }
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, count) in &self.0 {
            map.serialize_entry(name, count)?;
        }
        map.end()
    }
}

/// Incidents caused by a change, and the DORA change failure rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeFailure {
    /// Incidents with `caused_by_change = true`.
    pub caused_by_change: usize,
    /// `caused_by_change / incidents`; `None` without incidents.
    pub share: Option<f64>,
    /// Deployments in the months whose count is known (and that overlap the
    /// filtered dates); `None` when no month is known.
    pub deployments: Option<u64>,
    /// Change-caused incidents in those months / `deployments`; `None` when
    /// there are no known deployments.
    pub rate: Option<f64>,
}

/// Error budget an SLO lost to incidents that started in one quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloBudget {
    pub name: String,
    pub quarter: Quarter,
    /// The sum of `budget_consumed`, rounded to 6 decimals so that binary
    /// floating-point noise (0.1 + 0.2) does not show.
    pub budget_consumed: f64,
}

impl SloBudget {
    /// The row `stats` and the site's table show: the SLO, the quarter and
    /// the share of the budget consumed.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.quarter.to_string(),
            format_share(Some(self.budget_consumed)),
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReviewStats {
    /// Incidents with a `review_at`.
    pub held: usize,
    /// Reviews held within `[lint] review_window_hours` after `resolved_at`.
    pub within_window: usize,
    /// The window, in hours after `resolved_at`.
    pub window_hours: [u32; 2],
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Recurrence {
    /// Incidents that recur an earlier one.
    pub incidents: usize,
    /// `incidents / all incidents`; `None` without incidents.
    pub share: Option<f64>,
    /// `[metrics] recurrence_window_days`.
    pub window_days: u32,
    /// Sorted by the later incident's start.
    pub pairs: Vec<Pair>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRow {
    pub month: Month,
    pub by_severity: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterRow {
    pub quarter: Quarter,
    pub incidents: usize,
    pub time_to_detect: DurationStats,
    pub time_to_resolve: DurationStats,
    pub change_failure: ChangeFailure,
}

/// The incidents of a project, and the files left out.
#[derive(Default)]
pub struct Loaded {
    /// In file-name order.
    pub incidents: Vec<Incident>,
    /// (path relative to the repository root, why), in file-name order.
    pub skipped: Vec<(String, Skip)>,
    /// The versions read, for [`crate::actions::history::read`], when asked.
    pub versions: Vec<Version>,
}

/// The incidents of the postmortems of `corpus`. Each parsed model is
/// dropped as soon as its [`Incident`] (and, with `versions`, what the
/// history needs of it) is taken from it, so memory holds incidents, not
/// whole documents.
pub fn load(corpus: Corpus, config: &Config, versions: bool) -> Loaded {
    let results = corpus.map(config, |pm| {
        let version = versions.then(|| Version::of(&pm)).flatten();
        let incident = match pm.file_problem {
            Some(_) => Err(Skip::Unreadable),
            None => Incident::from_postmortem(&pm),
        };
        (pm.path, incident, version)
    });
    let mut loaded = Loaded::default();
    for (path, result, version) in results {
        loaded.versions.extend(version);
        match result {
            Ok(incident) => loaded.incidents.push(incident),
            Err(skip) => loaded.skipped.push((path, skip)),
        }
    }
    loaded
}

/// The metrics of the postmortems that `filter` selects. Postmortems that
/// [`Incident::from_postmortem`] cannot use are left out.
pub fn compute_postmortems(
    postmortems: &[Postmortem],
    config: &Config,
    deployments: &Deployments,
    filter: &Filter,
    today: Date,
) -> Metrics {
    let incidents: Vec<Incident> = postmortems
        .iter()
        .filter_map(|pm| Incident::from_postmortem(pm).ok())
        .collect();
    compute(&incidents, config, deployments, filter, today, None)
}

/// The incidents metrics are computed over, in the order they started, with
/// the recurrences among them: what [`compute`] does before looking at a
/// filter's criteria, made once when many filters are computed over the same
/// incidents (the site's service and root-cause pages).
pub struct Population<'a> {
    incidents: Vec<&'a Incident>,
    pairs: Vec<(usize, recurrence::Pair)>,
    window_days: u32,
}

impl<'a> Population<'a> {
    /// `incidents`, drafts only with `include_drafts`.
    pub fn new(incidents: &'a [Incident], config: &Config, include_drafts: bool) -> Population<'a> {
        let mut population: Vec<&Incident> = incidents
            .iter()
            .filter(|i| include_drafts || !i.is_draft(config))
            .collect();
        population.sort_by(|a, b| (a.started.timestamp, &a.id).cmp(&(b.started.timestamp, &b.id)));
        let window_days = config.metrics.recurrence_window_days;
        let pairs = recurrence::pairs(&population, window_days);
        Population {
            incidents: population,
            pairs,
            window_days,
        }
    }
}

/// The metrics of the incidents that `filter` selects; `today` decides
/// which action items are overdue, and `history` (when read) how long
/// items took to close.
///
/// Recurrence is decided among all incidents (drafts only with
/// `include_drafts`), before the other criteria: an incident in the
/// selection recurs even when the earlier incident is outside it (before
/// `since`, of another severity).
pub fn compute(
    incidents: &[Incident],
    config: &Config,
    deployments: &Deployments,
    filter: &Filter,
    today: Date,
    history: Option<&crate::actions::history::History>,
) -> Metrics {
    let population = Population::new(incidents, config, filter.include_drafts);
    compute_over(&population, config, deployments, filter, today, history)
}

/// [`compute`] over a population made beforehand: the filter's
/// `include_drafts` was applied when it was made.
pub fn compute_over(
    population: &Population,
    config: &Config,
    deployments: &Deployments,
    filter: &Filter,
    today: Date,
    history: Option<&crate::actions::history::History>,
) -> Metrics {
    let window_days = population.window_days;
    let selected: Vec<bool> = population
        .incidents
        .iter()
        .map(|i| filter.selects(i))
        .collect();
    let pairs: Vec<(usize, recurrence::Pair)> = population
        .pairs
        .iter()
        .filter(|(later, _)| selected[*later])
        .cloned()
        .collect();
    let mut recurring: Vec<usize> = pairs.iter().map(|(later, _)| *later).collect();
    recurring.dedup();
    let chosen: Vec<&Incident> = population
        .incidents
        .iter()
        .zip(&selected)
        .filter_map(|(i, keep)| keep.then_some(*i))
        .collect();

    let known: Vec<(Month, u64)> = deployments.in_range(filter.since, filter.until).collect();
    let severities = &config.lint.severities;
    let durations = |pick: fn(&Durations) -> Option<SignedDuration>, subset: &[&Incident]| {
        duration_stats(subset.iter().filter_map(|i| pick(&i.durations)))
    };

    let mut by_month = BTreeMap::new();
    let mut months = Vec::new();
    let mut quarters = Vec::new();
    if let (Some(first), Some(last)) = (chosen.first(), chosen.last()) {
        let mut per_month: BTreeMap<Month, Vec<&Incident>> = BTreeMap::new();
        let mut per_quarter: BTreeMap<Quarter, Vec<&Incident>> = BTreeMap::new();
        for incident in &chosen {
            let month = Month::of(incident.started_on);
            per_month.entry(month).or_default().push(incident);
            per_quarter
                .entry(month.quarter())
                .or_default()
                .push(incident);
        }
        let (first, last) = (Month::of(first.started_on), Month::of(last.started_on));
        for month in Month::range(first, last) {
            let in_month = per_month.get(&month).map_or(&[][..], Vec::as_slice);
            by_month.insert(month, in_month.len());
            months.push(MonthRow {
                month,
                by_severity: by_severity(in_month, severities),
            });
        }
        for quarter in Quarter::range(first.quarter(), last.quarter()) {
            let in_quarter = per_quarter.get(&quarter).map_or(&[][..], Vec::as_slice);
            let known_here: Vec<(Month, u64)> = known
                .iter()
                .copied()
                .filter(|(m, _)| m.quarter() == quarter)
                .collect();
            quarters.push(QuarterRow {
                quarter,
                incidents: in_quarter.len(),
                time_to_detect: durations(|d| d.to_detect, in_quarter),
                time_to_resolve: durations(|d| d.to_resolve, in_quarter),
                change_failure: change_failure(in_quarter, &known_here),
            });
        }
    }

    Metrics {
        incidents: chosen.len(),
        by_severity: by_severity(&chosen, severities),
        by_month,
        time_to_detect: durations(|d| d.to_detect, &chosen),
        time_to_acknowledge: durations(|d| d.to_acknowledge, &chosen),
        time_to_mitigate: durations(|d| d.to_mitigate, &chosen),
        time_to_resolve: durations(|d| d.to_resolve, &chosen),
        change_failure: change_failure(&chosen, &known),
        slo: slo_budgets(&chosen),
        actions: action_stats(&chosen, config, today, history),
        reviews: review_stats(&chosen, config.lint.review_window_hours),
        recurrence: Recurrence {
            incidents: recurring.len(),
            share: ratio(recurring.len(), chosen.len()),
            window_days,
            pairs: pairs.into_iter().map(|(_, pair)| pair).collect(),
        },
        months,
        quarters,
    }
}

fn duration_stats(durations: impl Iterator<Item = SignedDuration>) -> DurationStats {
    let mut minutes = Vec::new();
    let mut negative = 0;
    for duration in durations {
        if duration.is_negative() {
            negative += 1;
        } else {
            minutes.push(duration.as_secs_f64() / 60.0);
        }
    }
    DurationStats::new(minutes, negative)
}

fn by_severity(incidents: &[&Incident], severities: &[String]) -> Counts {
    let mut counts = Counts(severities.iter().map(|s| (s.clone(), 0)).collect());
    let configured = counts.0.len();
    for severity in incidents.iter().filter_map(|i| i.severity.as_deref()) {
        counts.add(severity);
    }
    counts.0[configured..].sort();
    counts
}

/// Change-caused incidents among `incidents`, and the rate over the months
/// in `known` (each with its deployment count).
fn change_failure(incidents: &[&Incident], known: &[(Month, u64)]) -> ChangeFailure {
    let failures: Vec<&&Incident> = incidents.iter().filter(|i| i.caused_by_change).collect();
    let deployments = (!known.is_empty()).then(|| known.iter().map(|(_, n)| n).sum::<u64>());
    let rate = deployments.filter(|n| *n > 0).map(|n| {
        let in_known_months = failures
            .iter()
            .filter(|i| {
                let month = Month::of(i.started_on);
                known.iter().any(|(m, _)| *m == month)
            })
            .count();
        in_known_months as f64 / n as f64
    });
    ChangeFailure {
        caused_by_change: failures.len(),
        share: ratio(failures.len(), incidents.len()),
        deployments,
        rate,
    }
}

/// Budget per (SLO, quarter), summed in the order incidents started.
fn slo_budgets(incidents: &[&Incident]) -> Vec<SloBudget> {
    let mut sums: BTreeMap<(&str, Quarter), f64> = BTreeMap::new();
    for incident in incidents {
        for (name, budget) in &incident.slos {
            *sums
                .entry((name.as_str(), Quarter::of(incident.started_on)))
                .or_default() += budget;
        }
    }
    sums.into_iter()
        .map(|((name, quarter), sum)| SloBudget {
            name: name.to_owned(),
            quarter,
            budget_consumed: (sum * 1e6).round() / 1e6,
        })
        .collect()
}

fn action_stats(
    incidents: &[&Incident],
    config: &Config,
    today: Date,
    history: Option<&crate::actions::history::History>,
) -> ActionStats {
    let items = crate::actions::merge(
        incidents
            .iter()
            .flat_map(|i| i.actions.iter().cloned())
            .collect(),
    );
    let mut stats = ActionStats::of(
        items.iter().map(|action| {
            let times = history.map(|h| crate::actions::Times::of(action, h.get(&action.key)));
            (action, times)
        }),
        today,
    );
    stats.open_past_sla =
        history.map(|h| crate::actions::past_sla::past_sla(&items, h, config, today));
    stats
}

fn review_stats(incidents: &[&Incident], window_hours: [u32; 2]) -> ReviewStats {
    let [low, high] = window_hours.map(|h| i64::from(h) * 60);
    ReviewStats {
        held: incidents.iter().filter(|i| i.review_held).count(),
        within_window: incidents
            .iter()
            .filter(|i| {
                i.review_after_resolution
                    .is_some_and(|m| (low..=high).contains(&m))
            })
            .count(),
        window_hours,
    }
}

/// Minutes rounded and written as the English site writes them
/// (`1 h 05 min`), `–` when unknown: how `stats` writes them.
pub fn format_minutes(minutes: Option<f64>) -> String {
    crate::i18n::catalogue("en").approx_minutes(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(id: &str, started: &str, services: &[&str], category: &str) -> Incident {
        let timestamp: jiff::Timestamp = started.parse().unwrap();
        let started = DateTime {
            timestamp,
            offset: jiff::tz::Offset::UTC,
        };
        Incident {
            id: id.to_owned(),
            path: format!("{id}.md"),
            status: Some("published".to_owned()),
            severity: Some("SEV2".to_owned()),
            services: services.iter().map(|s| s.to_string()).collect(),
            root_cause_category: Some(category.to_owned()),
            started,
            started_on: started.date(),
            durations: Durations::default(),
            caused_by_change: false,
            slos: Vec::new(),
            review_held: false,
            review_after_resolution: None,
            actions: Vec::new(),
        }
    }

    fn metrics(incidents: &[Incident]) -> Metrics {
        let today = "2026-11-23".parse().unwrap();
        let config = Config::default();
        compute(
            incidents,
            &config,
            &Deployments::default(),
            &Filter::default(),
            today,
            None,
        )
    }

    #[test]
    fn one_pair_per_earlier_incident_and_one_count_per_recurring_incident() {
        let m = metrics(&[
            incident("c", "2026-01-20T00:00:00Z", &["api", "web"], "code"),
            incident("a", "2026-01-01T00:00:00Z", &["api", "web"], "code"),
            incident("b", "2026-01-10T00:00:00Z", &["db"], "code"),
            incident("d", "2026-01-25T00:00:00Z", &["web", "db"], "code"),
        ]);
        let pairs: Vec<(&str, &str, &str, i64)> = m
            .recurrence
            .pairs
            .iter()
            .map(|p| {
                (
                    p.earlier.as_str(),
                    p.later.as_str(),
                    p.service.as_str(),
                    p.days_apart,
                )
            })
            .collect();
        // c shares api and web with a: one pair, named after its first service.
        // d recurs c (web) and b (db): two pairs, one recurring incident.
        assert_eq!(
            pairs,
            [
                ("a", "c", "api", 19),
                ("c", "d", "web", 5),
                ("b", "d", "db", 15),
            ]
        );
        assert_eq!(m.recurrence.incidents, 2);
        assert_eq!(m.recurrence.share, Some(0.5));
    }

    #[test]
    fn recurrence_scales_linearly() {
        let incidents: Vec<Incident> = (0..50_000)
            .map(|i| {
                let started = jiff::Timestamp::from_second(1_700_000_000 + i * 600).unwrap();
                incident(&format!("i{i}"), &started.to_string(), &["api"], "code")
            })
            .collect();
        let start = std::time::Instant::now();
        let m = metrics(&incidents);
        assert_eq!(m.recurrence.incidents, 49_999);
        // All pairs would be 1.25 billion comparisons; a linear pass is
        // milliseconds even in a debug build.
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn postmortems_and_incidents_give_the_same_metrics() {
        let config = Config::default();
        let text = include_str!("../../tests/fixtures/valid.md");
        let pm = crate::parse::parse("valid.md".to_owned(), text.to_owned(), &config);
        let broken = crate::parse::parse(
            "broken.md".to_owned(),
            "no front-matter".to_owned(),
            &config,
        );
        let today = "2026-11-23".parse().unwrap();
        let deployments = Deployments::default();
        let filter = Filter::default();
        let from_postmortems =
            compute_postmortems(&[pm, broken], &config, &deployments, &filter, today);
        let pm = crate::parse::parse("valid.md".to_owned(), text.to_owned(), &config);
        let incident = Incident::from_postmortem(&pm).unwrap();
        let from_incidents = compute(&[incident], &config, &deployments, &filter, today, None);
        assert_eq!(
            serde_json::to_value(&from_postmortems).unwrap(),
            serde_json::to_value(&from_incidents).unwrap()
        );
        assert_eq!(from_incidents.incidents, 1);
        assert_eq!(from_incidents.time_to_resolve.median_minutes, Some(78.0));
        assert_eq!(from_incidents.actions.open + from_incidents.actions.done, 2);
    }

    #[test]
    fn unknown_severities_follow_the_configured_ones() {
        let mut odd = incident("x", "2026-01-01T00:00:00Z", &["api"], "code");
        odd.severity = Some("P0".to_owned());
        let mut none = incident("y", "2026-01-02T00:00:00Z", &["api"], "code");
        none.severity = None;
        let m = metrics(&[odd, none]);
        let names: Vec<&str> = m.by_severity.0.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["SEV1", "SEV2", "SEV3", "SEV4", "P0"]);
        assert_eq!(m.by_severity.get("P0"), 1);
        assert_eq!(m.incidents, 2);
    }

    #[test]
    fn skips_say_why() {
        let config = Config::default();
        let pm = crate::parse::parse(
            "x.md".to_owned(),
            "+++\ntitle = \"x\"\n+++\n".to_owned(),
            &config,
        );
        assert_eq!(
            Incident::from_postmortem(&pm).unwrap_err(),
            Skip::Missing("id")
        );
        assert_eq!(Skip::Missing("id").to_string(), "it has no valid `id`");
    }
}
