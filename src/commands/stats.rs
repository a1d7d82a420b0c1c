//! `pmbook stats`

use std::fmt::Write as _;
use std::process::ExitCode;

use super::{CLEAN, project, today, write_stdout};
use crate::cli::{GlobalArgs, StatsArgs, StatsFormat};
use crate::config::Config;
use crate::error::Error;
use crate::metrics::{self, Deployments, DurationStats, Filter, Metrics, format_minutes};
use crate::repo::Git;
use crate::text::format_share;

pub fn run(global: &GlobalArgs, args: StatsArgs) -> Result<ExitCode, Error> {
    let (project, _) = project(global)?;
    let corpus = crate::corpus::Corpus::work_tree(&project)?;
    super::verbose(global, &corpus);
    let in_git = Git::open_for(&project, "days to close need one").is_ok();
    let mut loaded = metrics::load(corpus, &project.config, in_git);
    let filter = filter(&project.config, &loaded.incidents, args.to_filter())?;
    let deployments = Deployments::load(&project)?;
    for (path, skip) in &loaded.skipped {
        anstream::eprintln!("pmbook: note: skipped {path}: {skip} (`pmbook lint` tells more)");
    }
    if !filter.include_drafts {
        let drafts: Vec<String> = loaded
            .incidents
            .iter()
            .filter(|i| i.is_draft(&project.config))
            .map(|i| i.path.clone())
            .collect();
        if let Some(note) = crate::drafts::left_out(&drafts) {
            anstream::eprintln!("pmbook: note: {note} (--include-drafts counts them)");
        }
    }
    // Days to close come from the git history, when there is one.
    let history = if in_git {
        let parsed = std::mem::take(&mut loaded.versions);
        Some(crate::actions::history::read(&project, parsed)?)
    } else {
        None
    };
    let metrics = metrics::compute(
        &loaded.incidents,
        &project.config,
        &deployments,
        &filter,
        today(global),
        history.as_ref(),
    );
    let text = match args.format {
        StatsFormat::Json => {
            let mut json =
                serde_json::to_string_pretty(&metrics).expect("metrics serialize to JSON");
            json.push('\n');
            json
        }
        StatsFormat::Table => table(&metrics, &filter),
    };
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::from(CLEAN))
}

impl StatsArgs {
    fn to_filter(&self) -> Filter {
        Filter {
            since: self.since,
            until: self.until,
            service: self.service.clone(),
            severity: self.severity.clone(),
            root_cause_category: self.category.clone(),
            include_drafts: self.include_drafts,
        }
    }
}

/// Checks the filter against the configuration and the postmortems: a
/// misspelt severity or service would otherwise silently count nothing.
fn filter(
    config: &Config,
    incidents: &[metrics::Incident],
    filter: Filter,
) -> Result<Filter, Error> {
    if let Some(service) = &filter.service {
        let mut known: Vec<&str> = incidents
            .iter()
            .flat_map(|i| i.services.iter().map(String::as_str))
            .collect();
        known.sort_unstable();
        known.dedup();
        if !known.contains(&service.as_str()) {
            let listed = if known.is_empty() {
                "no postmortem lists a service".to_owned()
            } else {
                format!("the postmortems list: {}", known.join(", "))
            };
            return Err(Error::Config(format!(
                "unknown service `{service}` for --service; {listed}"
            )));
        }
    }
    if let Some(severity) = &filter.severity
        && !config.lint.severities.contains(severity)
    {
        return Err(Error::Config(format!(
            "unknown severity `{severity}` for --severity; expected one of: {}",
            config.lint.severities.join(", ")
        )));
    }
    if let Some(category) = &filter.root_cause_category
        && !config.lint.root_cause_categories.contains(category)
    {
        return Err(Error::Config(format!(
            "unknown root-cause category `{category}` for --category; expected one of: {}",
            config.lint.root_cause_categories.join(", ")
        )));
    }
    if let (Some(since), Some(until)) = (filter.since, filter.until)
        && since > until
    {
        return Err(Error::Config(format!(
            "--since {since} is after --until {until}: no incident can match"
        )));
    }
    Ok(filter)
}

/// The metrics as aligned text for a terminal.
fn table(m: &Metrics, filter: &Filter) -> String {
    let mut out = heading(m, filter);
    let severities: Vec<Vec<String>> = m
        .by_severity
        .0
        .iter()
        .map(|(name, count)| vec![name.clone(), count.to_string()])
        .collect();
    grid(&mut out, &severities);
    durations(&mut out, m);
    change_failure(&mut out, m);
    slo(&mut out, m);
    actions(&mut out, m);
    reviews(&mut out, m);
    recurrence(&mut out, m);
    quarters(&mut out, m);
    out
}

/// `Incidents: N (criteria)`, the first line.
fn heading(m: &Metrics, filter: &Filter) -> String {
    let mut heading = format!("Incidents: {}", m.incidents);
    let mut criteria = Vec::new();
    if let Some(since) = filter.since {
        criteria.push(format!("since {since}"));
    }
    if let Some(until) = filter.until {
        criteria.push(format!("until {until}"));
    }
    for (name, value) in [
        ("service", &filter.service),
        ("severity", &filter.severity),
        ("category", &filter.root_cause_category),
    ] {
        if let Some(value) = value {
            criteria.push(format!("{name} {value}"));
        }
    }
    criteria.push(if filter.include_drafts {
        "drafts included".to_owned()
    } else {
        "drafts left out".to_owned()
    });
    let _ = writeln!(heading, " ({})", criteria.join(", "));
    heading
}

fn durations(out: &mut String, m: &Metrics) {
    out.push_str("\nDurations\n");
    let mut rows = vec![cells(&["", "count", "mean", "median", "p90"])];
    let mut negative = 0;
    for (name, stats) in [
        ("to detect", &m.time_to_detect),
        ("to acknowledge", &m.time_to_acknowledge),
        ("to mitigate", &m.time_to_mitigate),
        ("to resolve", &m.time_to_resolve),
    ] {
        negative += stats.negative_skipped;
        rows.push(duration_row(name, stats));
    }
    grid(out, &rows);
    if negative > 0 {
        let _ = writeln!(
            out,
            "  ({negative} negative {} left out: times out of order, see `pmbook lint`)",
            plural(negative, "duration", "durations")
        );
    }
}

fn change_failure(out: &mut String, m: &Metrics) {
    let cf = &m.change_failure;
    out.push_str("\nChange failure\n");
    let mut rows = vec![vec![
        "caused by a change".to_owned(),
        cf.caused_by_change.to_string(),
        format_share(cf.share),
    ]];
    if let Some(deployments) = cf.deployments {
        rows.push(cells(&["deployments", &deployments.to_string(), ""]));
        rows.push(cells(&["change failure rate", "", &format_share(cf.rate)]));
    }
    grid(out, &rows);
    if cf.deployments.is_none() {
        out.push_str(
            "  change failure rate unknown: no deployment counts ([metrics] in pmbook.toml)\n",
        );
    }
}

fn slo(out: &mut String, m: &Metrics) {
    if m.slo.is_empty() {
        return;
    }
    out.push_str("\nSLO error budget consumed\n");
    let rows: Vec<Vec<String>> = m.slo.iter().map(metrics::SloBudget::cells).collect();
    grid(out, &rows);
}

fn actions(out: &mut String, m: &Metrics) {
    let a = &m.actions;
    out.push_str("\nAction items\n");
    let mut rows = vec![
        cells(&["open", &a.open.to_string()]),
        cells(&["done", &a.done.to_string()]),
        cells(&["overdue", &a.overdue.to_string()]),
        cells(&["closure rate", &format_share(a.closure_rate)]),
    ];
    if let Some(days) = a.days_to_close_median {
        rows.push(cells(&["median days to close", &format!("{days:.1}")]));
    }
    if let Some(days) = a.days_to_close_p90 {
        rows.push(cells(&["p90 days to close", &format!("{days:.1}")]));
    }
    grid(out, &rows);
    if let Some(late) = a.open_past_sla.as_deref().filter(|l| !l.is_empty()) {
        out.push_str("\nOpen longer than their severity's SLA\n");
        let rows: Vec<Vec<String>> = late
            .iter()
            .map(|l| {
                vec![
                    format!("{}:{}", l.path, l.line),
                    l.severity.clone(),
                    format!("{} days open (SLA {})", l.days_open, l.sla_days),
                    l.text.clone(),
                ]
            })
            .collect();
        grid(out, &rows);
    }
}

fn reviews(out: &mut String, m: &Metrics) {
    let r = &m.reviews;
    let [low, high] = r.window_hours;
    out.push_str("\nReviews\n");
    grid(
        out,
        &[
            cells(&["held", &r.held.to_string()]),
            vec![
                format!("within {low}–{high} h of resolution"),
                r.within_window.to_string(),
            ],
        ],
    );
}

fn recurrence(out: &mut String, m: &Metrics) {
    let rec = &m.recurrence;
    let _ = writeln!(
        out,
        "\nRecurrence (same service and root-cause category within {} days)",
        rec.window_days
    );
    grid(
        out,
        &[vec![
            "recurring incidents".to_owned(),
            rec.incidents.to_string(),
            format_share(rec.share),
        ]],
    );
    if !rec.pairs.is_empty() {
        let rows: Vec<Vec<String>> = rec
            .pairs
            .iter()
            .map(|p| {
                vec![
                    format!("{} → {}", p.earlier, p.later),
                    p.service.clone(),
                    p.category.clone(),
                    format!("{} {}", p.days_apart, plural(p.days_apart, "day", "days")),
                ]
            })
            .collect();
        grid(out, &rows);
    }
}

fn quarters(out: &mut String, m: &Metrics) {
    if m.quarters.is_empty() {
        return;
    }
    out.push_str("\nBy quarter\n");
    let mut rows = vec![cells(&[
        "",
        "incidents",
        "detect p50",
        "resolve p50",
        "resolve p90",
        "change-caused",
    ])];
    for q in &m.quarters {
        rows.push(vec![
            q.quarter.to_string(),
            q.incidents.to_string(),
            format_minutes(q.time_to_detect.median_minutes),
            format_minutes(q.time_to_resolve.median_minutes),
            format_minutes(q.time_to_resolve.p90_minutes),
            format_share(q.change_failure.share),
        ]);
    }
    grid(out, &rows);
}

fn cells(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn duration_row(name: &str, stats: &DurationStats) -> Vec<String> {
    vec![
        name.to_owned(),
        stats.count.to_string(),
        format_minutes(stats.mean_minutes),
        format_minutes(stats.median_minutes),
        format_minutes(stats.p90_minutes),
    ]
}

/// Rows indented by two spaces, the first column left-aligned and the
/// others right-aligned, two spaces apart.
fn grid(out: &mut String, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::from("  ");
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn plural<'a>(n: impl TryInto<u64>, one: &'a str, many: &'a str) -> &'a str {
    if n.try_into().ok() == Some(1) {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_minutes_are_a_dash() {
        assert_eq!(format_minutes(Some(65.0)), "1 h 05 min");
        assert_eq!(format_minutes(None), "–");
    }

    #[test]
    fn grid_aligns_columns() {
        let mut out = String::new();
        grid(
            &mut out,
            &[cells(&["a", "1", "x"]), cells(&["long name", "100", ""])],
        );
        assert_eq!(out, "  a            1  x\n  long name  100\n");
    }
}
