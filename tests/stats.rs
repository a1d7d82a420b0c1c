//! `pmbook stats` end to end, against the hand-computed numbers of
//! `tests/fixtures/metrics/EXPECTED.md`.

mod common;

use common::{Project, stderr, stdout};
use predicates::prelude::*;
use serde_json::{Value, json};

fn fixture() -> Project {
    Project::from_fixture("metrics")
}

fn stats_json(project: &Project, args: &[&str]) -> Value {
    let output = project
        .pmbook()
        .args(["stats", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn durations(count: u64, mean: f64, median: f64, p90: f64, negative: u64) -> Value {
    json!({
        "count": count,
        "mean_minutes": mean,
        "median_minutes": median,
        "p90_minutes": p90,
        "negative_skipped": negative,
    })
}

fn severities(sev1: u64, sev2: u64, sev3: u64, sev4: u64) -> Value {
    json!({"SEV1": sev1, "SEV2": sev2, "SEV3": sev3, "SEV4": sev4})
}

fn pair(earlier: &str, later: &str, days: u64) -> Value {
    json!({"earlier": earlier, "later": later, "service": "api", "category": "code", "days_apart": days})
}

const A: &str = "2026-01-05-api-outage";
const C: &str = "2026-02-10-api-errors";
const F: &str = "2026-04-02-api-timeout";
const K: &str = "2026-06-20-api-draft";

#[test]
fn every_number_matches_the_hand_computed_values() {
    let project = fixture();
    let expected = json!({
        "incidents": 10,
        "by_severity": severities(2, 3, 3, 2),
        "by_month": {
            "2026-01": 2, "2026-02": 2, "2026-03": 1,
            "2026-04": 2, "2026-05": 1, "2026-06": 2,
        },
        "time_to_detect": durations(9, 170.0 / 9.0, 20.0, 33.0, 1),
        "time_to_acknowledge": durations(7, 44.0 / 7.0, 5.0, 12.0, 0),
        "time_to_mitigate": durations(7, 320.0 / 7.0, 40.0, 72.0, 0),
        "time_to_resolve": durations(10, 137.0, 105.0, 264.0, 0),
        "change_failure": {
            "caused_by_change": 5, "share": 0.5, "deployments": 120, "rate": 3.0 / 120.0,
        },
        "slo": [
            {"name": "api-availability", "quarter": "2026-Q1", "budget_consumed": 0.35},
            {"name": "api-availability", "quarter": "2026-Q2", "budget_consumed": 0.3},
            {"name": "api-latency", "quarter": "2026-Q2", "budget_consumed": 0.2},
            {"name": "cache-hit-ratio", "quarter": "2026-Q1", "budget_consumed": 0.05},
            {"name": "payments-success", "quarter": "2026-Q2", "budget_consumed": 0.5},
        ],
        "actions": {
            "open": 7, "done": 8, "overdue": 3,
            "closure_rate": 8.0 / 15.0, "days_to_close_median": null,
            "days_to_close_p90": null, "open_past_sla": null,
        },
        "reviews": {"held": 7, "within_window": 5, "window_hours": [24, 72]},
        "recurrence": {
            "incidents": 2,
            "share": 0.2,
            "window_days": 90,
            "pairs": [pair(A, C, 36), pair(C, F, 51)],
        },
        "months": [
            {"month": "2026-01", "by_severity": severities(1, 1, 0, 0)},
            {"month": "2026-02", "by_severity": severities(0, 1, 1, 0)},
            {"month": "2026-03", "by_severity": severities(0, 0, 1, 0)},
            {"month": "2026-04", "by_severity": severities(0, 1, 0, 1)},
            {"month": "2026-05", "by_severity": severities(1, 0, 0, 0)},
            {"month": "2026-06", "by_severity": severities(0, 0, 1, 1)},
        ],
        "quarters": [
            {
                "quarter": "2026-Q1",
                "incidents": 5,
                "time_to_detect": durations(4, 16.25, 15.0, 27.0, 1),
                "time_to_resolve": durations(5, 90.0, 90.0, 120.0, 0),
                "change_failure": {
                    "caused_by_change": 3, "share": 0.6, "deployments": 120, "rate": 3.0 / 120.0,
                },
            },
            {
                "quarter": "2026-Q2",
                "incidents": 5,
                "time_to_detect": durations(5, 21.0, 20.0, 39.0, 0),
                "time_to_resolve": durations(5, 184.0, 120.0, 384.0, 0),
                "change_failure": {
                    "caused_by_change": 2, "share": 0.4, "deployments": null, "rate": null,
                },
            },
        ],
    });
    assert_eq!(stats_json(&project, &[]), expected);
}

#[test]
fn unparsable_files_are_skipped_with_a_note() {
    let project = fixture();
    project
        .pmbook()
        .args(["stats", "--format", "json"])
        .assert()
        .code(0)
        .stderr(
            "pmbook: note: skipped postmortems/broken.md: its front-matter is missing or not \
             valid TOML (`pmbook lint` tells more)\n\
             pmbook: note: 1 draft left out: postmortems/2026-06-20-api-draft.md \
             (--include-drafts counts them)\n",
        );
}

#[test]
fn since_uses_the_written_date_and_recurrence_looks_before_it() {
    // D started on 2026-02-28 at -05:00 (2026-03-01 in UTC): before March.
    let json = stats_json(&fixture(), &["--since", "2026-03-01"]);
    assert_eq!(json["incidents"], 6);
    assert_eq!(json["by_severity"], severities(1, 1, 2, 2));
    assert_eq!(json["recurrence"]["incidents"], 1);
    assert_eq!(json["recurrence"]["share"], 1.0 / 6.0);
    assert_eq!(json["recurrence"]["pairs"], json!([pair(C, F, 51)]));
    assert_eq!(
        json["change_failure"],
        json!({"caused_by_change": 2, "share": 2.0 / 6.0, "deployments": 30, "rate": 0.0})
    );
    assert_eq!(
        json["by_month"].as_object().unwrap().keys().next().unwrap(),
        "2026-03"
    );
}

#[test]
fn until_is_inclusive_and_also_uses_the_written_date() {
    // A, B, C and D (2026-02-28 at its offset).
    let json = stats_json(&fixture(), &["--until", "2026-02-28"]);
    assert_eq!(json["incidents"], 4);
    assert_eq!(json["change_failure"]["deployments"], 90);
    assert_eq!(json["change_failure"]["rate"], 3.0 / 90.0);
    let json = stats_json(
        &fixture(),
        &["--since", "2026-01-05", "--until", "2026-01-05"],
    );
    assert_eq!(json["incidents"], 1);
}

#[test]
fn service_severity_and_category_filters() {
    let project = fixture();
    let api = stats_json(&project, &["--service", "api"]);
    assert_eq!(api["incidents"], 3);
    assert_eq!(
        api["recurrence"]["pairs"],
        json!([pair(A, C, 36), pair(C, F, 51)])
    );
    assert_eq!(api["time_to_resolve"]["median_minutes"], 90.0);

    let sev2 = stats_json(&project, &["--severity", "SEV2"]);
    assert_eq!(sev2["incidents"], 3);
    assert_eq!(sev2["by_severity"], severities(0, 3, 0, 0));
    assert_eq!(sev2["recurrence"]["incidents"], 2);

    let code = stats_json(&project, &["--category", "code"]);
    assert_eq!(code["incidents"], 4);

    let nothing = stats_json(&project, &["--since", "2099-01-01"]);
    assert_eq!(nothing["incidents"], 0);
    assert_eq!(nothing["by_severity"], severities(0, 0, 0, 0));
    assert_eq!(nothing["by_month"], json!({}));
    assert_eq!(
        nothing["time_to_resolve"],
        json!({
            "count": 0, "mean_minutes": null, "median_minutes": null, "p90_minutes": null,
            "negative_skipped": 0,
        })
    );
    assert_eq!(nothing["change_failure"]["share"], Value::Null);
    assert_eq!(nothing["recurrence"]["share"], Value::Null);
    assert_eq!(nothing["actions"]["closure_rate"], Value::Null);
}

#[test]
fn an_unknown_service_is_refused_like_an_unknown_severity() {
    let project = fixture();
    project
        .pmbook()
        .args(["stats", "--service", "no-such-service"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown service `no-such-service` for --service; the postmortems list: api, cache, db, payments, search, web",
        ));
}

#[test]
fn drafts_are_counted_only_when_asked() {
    let json = stats_json(&fixture(), &["--include-drafts"]);
    assert_eq!(json["incidents"], 11);
    assert_eq!(json["by_severity"], severities(2, 4, 3, 2));
    assert_eq!(
        json["recurrence"]["pairs"],
        json!([pair(A, C, 36), pair(C, F, 51), pair(F, K, 79)])
    );
    assert_eq!(json["recurrence"]["share"], 3.0 / 11.0);
    assert_eq!(json["actions"]["open"], 8);
    assert_eq!(json["actions"]["overdue"], 4);
    assert_eq!(
        json["slo"][1],
        json!({"name": "api-availability", "quarter": "2026-Q2", "budget_consumed": 0.45})
    );
}

#[test]
fn table_output() {
    let project = fixture();
    let output = project.pmbook().arg("stats").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("stats-table", stdout(&output));
}

#[test]
fn bad_filters_are_usage_errors() {
    let project = fixture();
    for args in [
        &["--since", "2026-13-01"][..],
        &["--until", "yesterday"],
        &["--format", "yaml"],
    ] {
        project.pmbook().arg("stats").args(args).assert().code(2);
    }
    project
        .pmbook()
        .args(["stats", "--severity", "SEV9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown severity `SEV9` for --severity; expected one of: SEV1, SEV2, SEV3, SEV4",
        ));
    project
        .pmbook()
        .args(["stats", "--category", "luck"])
        .assert()
        .code(2);
    project
        .pmbook()
        .args(["stats", "--since", "2026-05-01", "--until", "2026-04-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is after --until"));
}

#[test]
fn deployment_counts_are_checked() {
    let project = fixture();
    project.file("deployments.csv", "month,count\n2026-03,30\n2026-02,5\n");
    project
        .pmbook()
        .arg("stats")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "deployments.csv:3: deployments for 2026-02 are given twice",
        ));
    project.file("deployments.csv", "2026-03,thirty\n");
    project
        .pmbook()
        .arg("stats")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "deployments.csv:1: expected a whole number of deployments",
        ));
    std::fs::remove_file(project.path().join("deployments.csv")).unwrap();
    project
        .pmbook()
        .arg("stats")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "(named by `[metrics] deployments_csv` in pmbook.toml)",
        ));

    project.file("pmbook.toml", "[metrics.deployments]\n\"2026-1\" = 3\n");
    project
        .pmbook()
        .arg("stats")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected a month as YYYY-MM"));

    project.file(
        "pmbook.toml",
        "[metrics]\nrecurrence_window_days = 30\n[metrics.deployments]\n\"2026-04\" = 8\n",
    );
    let json = stats_json(&project, &[]);
    assert_eq!(json["recurrence"]["pairs"], json!([]));
    assert_eq!(json["recurrence"]["window_days"], 30);
    assert_eq!(
        json["change_failure"],
        json!({"caused_by_change": 5, "share": 0.5, "deployments": 8, "rate": 1.0 / 8.0})
    );
}

/// Commits everything with author and committer date `date` (noon UTC).
fn commit_on(project: &Project, date: &str) {
    project.git(&["add", "-A"]);
    let output = common::git_command(project.path())
        .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00Z"))
        .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00Z"))
        .args(["commit", "-q", "--no-verify", "-m", date])
        .output()
        .expect("git runs");
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn the_metrics_page_charts_days_to_close_per_quarter_of_closing() {
    let project = Project::new();
    project.git_init();
    let write = |done: [bool; 4]| {
        let check = |d: bool| if d { "x" } else { " " };
        let items = format!(
            "- [{}] P (owner: @eve, due: 2026-12-01, kind: fix)\n\
             - [{}] Q (owner: @eve, due: 2026-12-01, kind: fix)\n\
             - [{}] R (owner: @eve, due: 2026-12-01, kind: fix)\n\
             - [{}] S (owner: @eve, due: 2026-12-01, kind: fix)\n",
            check(done[0]),
            check(done[1]),
            check(done[2]),
            check(done[3])
        );
        project.postmortem(
            "2026-11-03-checkout-latency.md",
            common::valid_with(
                "- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)\n- [x] Roll back cache v2.3 (owner: @bob, kind: fix, closed: 2026-11-03)\n",
                &items,
            ),
        );
    };
    write([false; 4]);
    commit_on(&project, "2026-03-01");
    // P after 10 days and Q after 30, both in 2026-Q1; nothing closes in
    // Q2; R after 150 days, in Q3; S stays open.
    write([true, false, false, false]);
    commit_on(&project, "2026-03-11");
    write([true, true, false, false]);
    commit_on(&project, "2026-03-31");
    write([true, true, true, false]);
    commit_on(&project, "2026-07-29");
    project.pmbook().arg("build").assert().success();
    let page = std::fs::read_to_string(project.path().join("site/metrics.html")).expect("page");
    let start = page
        .find("<h2 id=\"days-to-close-heading\">")
        .expect("the days-to-close chart");
    let section = &page[start
        ..page[start..]
            .find("</section>")
            .map_or(page.len(), |e| start + e)];
    // Q1: 10 and 30 days, median 20, p90 10 + 0.9 × 20 = 28.
    for row in [
        "<tr><td>2026-Q1</td><td>2</td><td>20.0</td><td>28.0</td></tr>",
        "<tr><td>2026-Q2</td><td>0</td><td>—</td><td>—</td></tr>",
        "<tr><td>2026-Q3</td><td>1</td><td>150.0</td><td>150.0</td></tr>",
    ] {
        assert!(section.contains(row), "{row} not in {section}");
    }
    // Without a repository, there is no such chart.
    let plain = Project::new();
    plain.postmortem("2026-11-03-checkout-latency.md", common::VALID);
    plain.pmbook().arg("build").assert().success();
    let page = std::fs::read_to_string(plain.path().join("site/metrics.html")).expect("page");
    assert!(!page.contains("days-to-close"));
}
