//! Postmortems as they are written before pmbook: a zone stated once for
//! the whole file, day headings in the Timeline, action items in a table,
//! `H3` sections, 12-hour times and zone abbreviations. Each fixture of
//! `tests/fixtures/tolerant/` is linted alone by the real binary.

mod common;

use common::{Project, fixtures, stdout};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("tolerant").join(name)).expect("fixture")
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    let n = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the fixture"));
    n as u64 + 1
}

/// `(rule, line)` of every diagnostic of `text` linted as the only
/// postmortem of a project.
fn diagnostics(text: &str) -> Vec<(String, u64)> {
    let project = Project::new();
    project.postmortem("2026-11-03-checkout-latency.md", text);
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

#[test]
fn a_zone_stated_once_applies_to_entries_without_one() {
    for name in ["zone-sentence-utc.md", "zone-sentence-fr.md"] {
        let text = fixture(name);
        assert_eq!(diagnostics(&text), [], "{name}");
        // Without the sentence, a dated entry has no zone.
        let sentence = text
            .lines()
            .find(|l| l.starts_with("All times") || l.starts_with("Toutes"))
            .expect("sentence");
        let without = text.replace(sentence, "");
        let found = diagnostics(&without);
        assert!(
            found.contains(&(
                "timeline-format".to_owned(),
                line_of(&without, "2026-11-03 09:45 —")
            )),
            "{name}: {found:?}"
        );
    }
}

/// "All times are PST" reads every entry without a zone at −08:00, after
/// an entry in UTC too: 01:12 PST is 09:12 UTC, later than the 09:00 UTC
/// entry after it, and 01:45 PST (09:45 UTC) is after 09:30 UTC.
#[test]
fn a_stated_abbreviation_is_read_as_its_offset() {
    let text = fixture("zone-sentence-pst.md");
    assert_eq!(
        diagnostics(&text),
        [(
            "timeline-order".to_owned(),
            line_of(&text, "09:00 UTC — p99")
        )]
    );
}

/// `### 2026-11-04` and `2026-11-05:` give the day of the `HH:MM` entries
/// after them; without them, 00:10 is read on the day before, earlier than
/// 23:50.
#[test]
fn day_lines_in_the_timeline_give_the_day_of_the_entries_after_them() {
    let text = fixture("day-lines.md");
    assert_eq!(diagnostics(&text), []);
    let without = text.replace("### 2026-11-04\n", "");
    assert_eq!(
        diagnostics(&without),
        [(
            "timeline-order".to_owned(),
            line_of(&without, "00:10 — deploy")
        )]
    );
}

/// `1:26 PM` is 13:26 (so neither it nor `1:45 PM` is out of order around
/// 13:30), and `13:50 PT` and `09:00 PST` are reported rather than read
/// without their zone.
#[test]
fn twelve_hour_times_are_read_and_abbreviations_reported() {
    let text = fixture("twelve-hour-and-abbreviation.md");
    assert_eq!(
        diagnostics(&text),
        [
            ("timeline-format".to_owned(), line_of(&text, "13:50 PT")),
            ("timeline-format".to_owned(), line_of(&text, "09:00 PST"))
        ]
    );
    let project = Project::new();
    project.postmortem("2026-11-03-checkout-latency.md", &text);
    let output = project.pmbook().arg("lint").output().expect("run");
    let out = stdout(&output);
    assert!(out.contains("`PST` is a zone abbreviation"), "{out}");
    assert!(out.contains("`-08:00`"), "{out}");
}

#[test]
fn an_action_table_is_read_as_action_items_by_lint() {
    assert_eq!(diagnostics(&fixture("action-table.md")), []);
    let text = fixture("action-table-problems.md");
    let mut found = diagnostics(&text);
    found.sort();
    let mut want = vec![
        (
            "action-owner".to_owned(),
            line_of(&text, "| Add a canary stage"),
        ),
        ("action-due".to_owned(), line_of(&text, "| soon |")),
    ];
    want.sort();
    assert_eq!(found, want);
}

#[test]
fn an_action_table_is_read_by_pmbook_actions() {
    let project = Project::new();
    project.postmortem("2026-11-03-checkout-latency.md", fixture("action-table.md"));
    let output = project
        .pmbook()
        .args(["actions", "--all", "--format", "json"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", common::stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let items = json.as_array().expect("an array of items");
    let summary: Vec<(String, String, String)> = items
        .iter()
        .map(|i| {
            (
                i["text"].as_str().expect("text").to_owned(),
                i["owner"].as_str().expect("owner").to_owned(),
                i["status"].as_str().expect("status").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "Add a canary stage to cache deploys".to_owned(),
                "alice".to_owned(),
                "open".to_owned()
            ),
            (
                "Roll back cache v2.3".to_owned(),
                "bob".to_owned(),
                "done".to_owned()
            ),
        ]
    );
}

/// The incident page shows the table as written; the action board, built
/// from the parsed items, lists its rows, the done one too.
#[test]
fn an_action_table_is_read_by_the_site() {
    let project = Project::new();
    project.postmortem("2026-11-03-checkout-latency.md", fixture("action-table.md"));
    project.pmbook().arg("build").assert().success();
    let page = std::fs::read_to_string(
        project
            .path()
            .join("site/incidents/2026-11-03-checkout-latency.html"),
    )
    .expect("incident page");
    assert!(
        page.contains("Add a canary stage to cache deploys"),
        "{page}"
    );
    let actions =
        std::fs::read_to_string(project.path().join("site/actions.html")).expect("actions page");
    assert!(actions.contains("Roll back cache v2.3"), "{actions}");
}

/// Only `##` headings open sections: a `### Timeline` under `## Impact` is
/// a subsection (the Timeline is missing, and its items are not entries),
/// and a `### Root cause` under `## Lessons learned` is no second Root
/// cause.
#[test]
fn h3_headings_under_an_h2_section_are_subsections() {
    let text = fixture("h3-sections.md");
    assert_eq!(
        diagnostics(&text),
        [(
            "required-section".to_owned(),
            line_of(&text, "## Root cause")
        )]
    );
}
