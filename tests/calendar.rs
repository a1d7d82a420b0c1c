//! The site's calendars (`actions.ics`, `calendars/<owner>.ics`): their
//! RFC 5545 form, and, parsed by Python's `icalendar` (ignored by a plain
//! `cargo test`; `tests/run.sh` installs it), their events and UIDs.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Project, stderr, valid_with};

const ITEMS: &str = "\
- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)
- [ ] Alert on evictions, misses; and \\ timeouts of the cache cluster's primary and replica nodes (owner: @Zoë Ng, due: 2026-11-20, kind: detect)
- [ ] Write the runbook (owner: @alice, kind: process)
- [x] Roll back cache v2.3 (owner: @bob, due: 2026-11-03, kind: fix, closed: 2026-11-03)
- [ ] Review the cache dashboards (id: CACHE-1, owner: @zoë ng, due: 2027-01-10, kind: detect)
";

fn postmortem(items: &str) -> String {
    valid_with(
        "- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)\n- [x] Roll back cache v2.3 (owner: @bob, kind: fix, closed: 2026-11-03)\n",
        items,
    )
}

fn project(url: &str) -> Project {
    let project = Project::new();
    project
        .postmortem("2026-11-03-checkout-latency.md", postmortem(ITEMS))
        .file("pmbook.toml", format!("[site]\nurl = \"{url}\"\n"));
    project
}

fn build(project: &Project, public: bool) {
    let mut cmd = project.pmbook();
    cmd.arg("build");
    if public {
        cmd.arg("--public");
    }
    let output = cmd.output().expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
}

fn read(project: &Project, file: &str) -> String {
    std::fs::read_to_string(project.path().join("site").join(file)).expect(file)
}

#[test]
fn calendars_are_written_in_rfc_5545_form_and_linked_from_the_board() {
    let project = project("https://pm.example.com");
    build(&project, false);
    let all = read(&project, "actions.ics");
    assert!(all.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(all.ends_with("END:VCALENDAR\r\n"));
    for file in ["actions.ics", "calendars/alice.ics", "calendars/zoe-ng.ics"] {
        let text = read(&project, file);
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "{file}: a bare LF"
        );
        for line in text.split("\r\n") {
            assert!(
                line.len() <= 75,
                "{file}: {line:?} is {} octets",
                line.len()
            );
        }
    }
    // Open, dated items only: the runbook has no date, the rollback is done.
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 3);
    assert!(all.contains("DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202\r\n"));
    assert!(all.contains("DTSTAMP:20261123T000000Z\r\n"));
    assert!(
        all.contains("URL:https://pm.example.com/incidents/2026-11-03-checkout-latency.html\r\n")
    );
    // Escaped, then folded.
    let unfolded = all.replace("\r\n ", "");
    assert!(unfolded.contains(
        "SUMMARY:Alert on evictions\\, misses\\; and \\\\ timeouts of the cache cluster's primary and replica nodes\r\n"
    ));
    assert!(!std::path::Path::new(&project.path().join("site/calendars/bob.ics")).exists());
    let board = read(&project, "actions.html");
    for link in [
        "href=\"actions.ics\"",
        "href=\"calendars/alice.ics\"",
        "href=\"calendars/zoe-ng.ics\"",
    ] {
        assert!(board.contains(link), "the board lacks {link}");
    }
}

#[test]
fn a_public_build_has_no_calendar_per_owner_and_names_no_owner() {
    let project = project("https://pm.example.com/");
    project.file(
        "postmortems/2026-11-03-checkout-latency.md",
        postmortem(ITEMS).replace("visibility = \"internal\"", "visibility = \"public\""),
    );
    build(&project, true);
    let all = read(&project, "actions.ics");
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 3);
    assert!(!all.contains("Owner:"), "{all}");
    assert!(!project.path().join("site/calendars").exists());
    // No doubled slash from the trailing one of `[site] url`.
    assert!(all.contains("URL:https://pm.example.com/incidents/"));
}

fn icalendar_available() -> bool {
    Command::new("python3")
        .args(["-c", "import icalendar"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// (UID, SUMMARY, DTSTART, DESCRIPTION) of each event of `file`, as
/// Python's `icalendar` reads them.
fn events(file: &Path) -> Vec<(String, String, String, String)> {
    const SCRIPT: &str = r#"
import json, sys, icalendar
with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
print(json.dumps([
    [str(e["UID"]), str(e["SUMMARY"]), e["DTSTART"].dt.isoformat(), str(e["DESCRIPTION"])]
    for e in cal.walk("VEVENT")
]))
"#;
    let output = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(file)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "icalendar rejects {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
#[ignore = "needs python icalendar: python3 -m pip install icalendar (tests/run.sh installs it)"]
fn icalendar_reads_the_events_and_a_moved_due_date_keeps_its_uid() {
    assert!(
        icalendar_available(),
        "this test parses the calendars with Python's icalendar: install it (`python3 -m pip install icalendar`, or run `tests/run.sh`, which installs what the tests need)"
    );
    let project = project("https://pm.example.com");
    build(&project, false);
    let site = project.path().join("site");
    let before = events(&site.join("actions.ics"));
    let summaries: Vec<(&str, &str)> = before
        .iter()
        .map(|(_, summary, date, _)| (summary.as_str(), date.as_str()))
        .collect();
    assert_eq!(
        summaries,
        [
            (
                "Alert on evictions, misses; and \\ timeouts of the cache cluster's primary and replica nodes",
                "2026-11-20"
            ),
            ("Add a canary stage to cache deploys", "2026-12-01"),
            ("Review the cache dashboards", "2027-01-10"),
        ]
    );
    assert_eq!(
        before[1].3,
        "Owner: alice\nKind: prevent\nTicket: OPS-123\nPostmortem: Checkout latency after cache deploy"
    );
    let zoe = events(&site.join("calendars/zoe-ng.ics"));
    let zoe_summaries: Vec<&str> = zoe.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(zoe_summaries.len(), 2, "{zoe_summaries:?}");
    assert_eq!(zoe[0].0, before[0].0, "one item, one UID in every calendar");
    let alice = events(&site.join("calendars/alice.ics"));
    assert_eq!(alice.len(), 1);

    // The due dates move: the same events, on other days.
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        postmortem(
            &ITEMS
                .replace("due: 2026-12-01", "due: 2026-12-08")
                .replace("due: 2027-01-10", "due: 2027-02-01"),
        ),
    );
    build(&project, false);
    let after = events(&site.join("actions.ics"));
    let moved: Vec<(&str, &str)> = after
        .iter()
        .map(|(uid, _, date, _)| (uid.as_str(), date.as_str()))
        .collect();
    assert_eq!(
        moved,
        [
            (before[0].0.as_str(), "2026-11-20"),
            (before[1].0.as_str(), "2026-12-08"),
            (before[2].0.as_str(), "2027-02-01"),
        ]
    );
    let uids: std::collections::HashSet<&str> = before.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(uids.len(), 3, "UIDs are distinct");
}
