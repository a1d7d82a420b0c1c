//! `pmbook actions --tracker FILE` and `[actions] tracker`: action items
//! reconciled with exports of GitHub (`gh issue list --json`) and Jira (CSV).

mod common;

use common::{Project, findings, stderr, stdout};
use predicates::prelude::PredicateBooleanExt;

/// The action items of the valid fixture, replaced by these.
fn with_items(items: &str) -> String {
    let start = common::VALID.find("## Action items").expect("section");
    let end = common::VALID[start..]
        .find("\n## Communication")
        .map(|i| start + i)
        .expect("next section");
    format!(
        "{}## Action items\n\n{items}\n{}",
        &common::VALID[..start],
        &common::VALID[end..]
    )
}

const GITHUB_ITEMS: &str = "\
- [ ] Add a canary stage (owner: @alice, due: 2026-12-01, kind: prevent, ticket: #101)
- [x] Alert on evictions (owner: @carol, due: 2026-12-01, kind: detect, ticket: https://github.com/acme/shop/issues/102)
- [ ] Move the cache (owner: @alice, due: 2026-12-01, kind: prevent, ticket: acme/web#103)
- [ ] Agreed and open (owner: @bob, due: 2026-12-01, kind: process, ticket: 104)
- [x] Agreed and closed (owner: @bob, kind: fix, ticket: #105)
- [ ] No ticket at all (owner: @bob, due: 2026-12-01, kind: detect)
";

const GITHUB_EXPORT: &str = r#"[
  {"closedAt":"2026-11-20T10:00:00Z","number":101,"state":"CLOSED","title":"Canary","url":"https://github.com/acme/shop/issues/101"},
  {"closedAt":null,"number":102,"state":"OPEN","title":"Evictions","url":"https://github.com/acme/shop/issues/102"},
  {"closedAt":null,"number":103,"state":"OPEN","title":"Same number, other repository","url":"https://github.com/acme/shop/issues/103"},
  {"closedAt":null,"number":104,"state":"OPEN","title":"Open","url":"https://github.com/acme/shop/issues/104"},
  {"closedAt":"2026-11-04T08:00:00Z","number":105,"state":"CLOSED","title":"Closed","url":"https://github.com/acme/shop/issues/105"}
]
"#;

fn github_project() -> Project {
    let project = Project::new();
    project
        .postmortem("2026-11-03-checkout-latency.md", with_items(GITHUB_ITEMS))
        .file("issues.json", GITHUB_EXPORT)
        .file(
            "pmbook.toml",
            "[actions]\nticket_url = \"https://github.com/acme/shop/issues/{ticket}\"\n",
        );
    project
}

#[test]
fn a_github_export_is_reconciled_with_the_items() {
    let project = github_project();
    let output = project
        .pmbook()
        .args(["actions", "--tracker", "issues.json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let path = "postmortems/2026-11-03-checkout-latency.md";
    assert_eq!(
        stdout(&output),
        format!(
            "{path}:62: ticket #101 is closed (CLOSED, 2026-11-20T10:00:00Z) but the item is open (owner: alice): Add a canary stage\n\
             {path}:63: the item is done but ticket https://github.com/acme/shop/issues/102 is open (OPEN) (owner: carol): Alert on evictions\n\
             {path}:64: ticket acme/web#103 is not in the tracker export (owner: alice): Move the cache\n\
             \n\
             5 items with a ticket checked against issues.json: 3 disagreements\n"
        )
    );
}

#[test]
fn the_json_report_names_each_disagreement() {
    let project = github_project();
    let output = project
        .pmbook()
        .args(["actions", "--tracker", "issues.json", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let found: Vec<(&str, &str, &str, Option<&str>)> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            (
                f["disagreement"].as_str().expect("kind"),
                f["ticket"].as_str().expect("ticket"),
                f["item_status"].as_str().expect("status"),
                f["ticket_status"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("ticket-closed", "#101", "open", Some("CLOSED")),
            (
                "ticket-open",
                "https://github.com/acme/shop/issues/102",
                "done",
                Some("OPEN")
            ),
            ("ticket-unknown", "acme/web#103", "open", None),
        ]
    );
}

#[test]
fn a_jira_export_is_reconciled_and_filters_apply() {
    let project = Project::new();
    project
        .postmortem(
            "2026-11-03-checkout-latency.md",
            with_items(
                "- [ ] Canary (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-1)\n\
                 - [x] Evictions (owner: @carol, due: 2026-12-01, kind: detect, ticket: ops-2)\n\
                 - [ ] Runbook (owner: @carol, due: 2026-12-01, kind: process, ticket: OPS-3)\n",
            ),
        )
        // Jira repeats a column for each value of a multi-valued field,
        // and quotes cells with commas and line breaks.
        .file(
            "jira.csv",
            "Summary,Issue key,Status,Resolved,Sprint,Sprint\n\
             Canary,OPS-1,Done,2026-11-20 14:02,S1,S2\n\
             \"Evictions, and\nmore\",OPS-2,In Review,,S1,\n\
             Runbook,OPS-3,To Do,,,\n",
        );
    let output = project
        .pmbook()
        .args(["actions", "--tracker", "jira.csv", "--format", "markdown"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "| Ticket | Disagreement | Owner | Postmortem | Item |\n\
         |---|---|---|---|---|\n\
         | OPS-1 | ticket closed (Done), item open | alice | 2026-11-03-checkout-latency | Canary |\n\
         | ops-2 | item done, ticket open (In Review) | carol | 2026-11-03-checkout-latency | Evictions |\n\
         \n\
         3 items with a ticket checked against jira.csv: 2 disagreements\n"
    );
    project
        .pmbook()
        .args(["actions", "--tracker", "jira.csv", "--owner", "carol"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("OPS-1").not())
        .stdout(predicates::str::contains(
            "2 items with a ticket checked against jira.csv: 1 disagreement\n",
        ));
}

#[test]
fn agreement_exits_zero() {
    let project = Project::new();
    project
        .postmortem(
            "2026-11-03-checkout-latency.md",
            with_items("- [x] Canary (owner: @alice, kind: prevent, ticket: OPS-1)\n"),
        )
        .file("jira.csv", "Issue key,Status\nOPS-1,Closed\n");
    project
        .pmbook()
        .args(["actions", "--tracker", "jira.csv"])
        .assert()
        .success()
        .stdout("1 item with a ticket checked against jira.csv: all agree\n");
}

#[test]
fn a_bad_tracker_file_exits_2_with_the_file_and_the_reason() {
    let project = Project::new();
    project
        .postmortem("2026-11-03-checkout-latency.md", common::VALID)
        .file(
            "broken.json",
            "[{\"number\": 1, \"state\": \"OPEN\"},\n {\"number\": \"x\"}]\n",
        )
        .file("odd.json", "[{\"number\": 1, \"state\": \"DRAFT\"}]\n")
        .file("other.csv", "Key,State\nOPS-1,Done\n")
        .file("ragged.csv", "Issue key,Status\nOPS-1,Done\nOPS-2\n")
        .file("keyless.csv", "Issue key,Status\nnot a key,Done\n")
        .file("empty.csv", "");
    let cases = [
        (
            "broken.json",
            "broken.json: not a tracker export pmbook can read: line 2, column",
        ),
        (
            "odd.json",
            "odd.json: not a tracker export pmbook can read: issue #1 has state `DRAFT`, expected OPEN or CLOSED",
        ),
        (
            "other.csv",
            "other.csv: not a tracker export pmbook can read: neither JSON",
        ),
        (
            "ragged.csv",
            "ragged.csv: not a tracker export pmbook can read: line 3: 1 fields where the header has 2",
        ),
        (
            "keyless.csv",
            "keyless.csv: not a tracker export pmbook can read: line 2: `not a key` is not a Jira issue key",
        ),
        (
            "empty.csv",
            "empty.csv: not a tracker export pmbook can read: the file is empty",
        ),
        ("missing.csv", "missing.csv: No such file"),
    ];
    for (file, expected) in cases {
        let output = project
            .pmbook()
            .args(["actions", "--tracker", file])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "{file}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(expected),
            "{file}: {}",
            stderr(&output)
        );
    }
    project.file("pmbook.toml", "[actions]\ntracker = \"odd.json\"\n");
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("odd.json: not a tracker export pmbook can read"));
}

#[test]
fn the_lint_rule_is_off_until_a_tracker_is_configured() {
    let project = github_project();
    let lint = |project: &Project| {
        let output = project
            .pmbook()
            .args(["lint", "--format", "json"])
            .output()
            .expect("run");
        findings(&output)
            .into_iter()
            .filter(|(_, rule)| rule == "action-ticket-state")
            .count()
    };
    assert_eq!(lint(&project), 0);
    project.file(
        "pmbook.toml",
        "[actions]\nticket_url = \"https://github.com/acme/shop/issues/{ticket}\"\ntracker = \"issues.json\"\n",
    );
    assert_eq!(lint(&project), 3);
}

#[test]
fn a_tracker_report_is_not_csv() {
    let project = github_project();
    let output = project
        .pmbook()
        .args(["actions", "--tracker", "issues.json", "--format", "csv"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--tracker prints a table, JSON or Markdown"));
}
