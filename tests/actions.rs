//! `pmbook actions` on real directories and git repositories: the index of
//! every action item, its filters and formats, and `--history` from commits
//! made with fixed dates.

mod common;

use common::{Project, VALID, git_command, stderr, stdout};
use predicates::prelude::*;
use serde_json::{Value, json};

/// A valid postmortem with id `id`, `severity` and `services`, whose Action
/// items section holds `items`.
fn postmortem(id: &str, severity: &str, services: &str, items: &str) -> String {
    let start = VALID.find("## Action items\n").expect("section");
    let end = VALID.find("## Communication").expect("section");
    format!(
        "{}## Action items\n\n{items}\n{}",
        &VALID[..start],
        &VALID[end..]
    )
    .replace("2026-11-03-checkout-latency", id)
    .replace("severity = \"SEV2\"", &format!("severity = \"{severity}\""))
    .replace(
        "services = [\"checkout\", \"cache\"]",
        &format!("services = {services}"),
    )
}

/// Two postmortems with open, done and overdue items (today is 2026-11-23).
fn project() -> Project {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout.md",
        postmortem(
            "2026-11-03-checkout",
            "SEV2",
            r#"["checkout", "cache"]"#,
            "- [ ] Add a canary stage (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)\n\
             - [x] Roll back cache v2.3 (owner: @bob, kind: fix, closed: 2026-11-03)\n\
             - [ ] Lower the alert threshold (owner: @carol, due: 2026-11-20, kind: detect)\n\
             - a plain list item is not an action item\n",
        ),
    );
    project.postmortem(
        "2026-10-01-search.md",
        postmortem(
            "2026-10-01-search",
            "SEV1",
            r#"["search"]"#,
            "- [ ] Write the reindex runbook (owner: @alice, kind: process)\n\
             - [ ] Alert on disk usage (owner: @dave, due: 2026-11-20, kind: detect, ticket: SRCH-7)\n\
             - [x] Grow the disks (owner: @dave, kind: mitigate)\n",
        ),
    );
    project
}

fn actions(project: &Project, args: &[&str]) -> String {
    let output = project.pmbook().arg("actions").args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

fn json_of(project: &Project, args: &[&str]) -> Vec<Value> {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    serde_json::from_str(&actions(project, &args)).expect("JSON output")
}

/// The texts of the items listed with `args`.
fn texts(project: &Project, args: &[&str]) -> Vec<String> {
    json_of(project, args)
        .iter()
        .map(|item| item["text"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_table_lists_open_items_by_due_date_then_postmortem() {
    let project = project();
    assert_eq!(
        actions(&project, &[]),
        "\
DUE         STATUS   OWNER  KIND     TICKET   POSTMORTEM           ITEM
2026-11-20  overdue  dave   detect   SRCH-7   2026-10-01-search    Alert on disk usage
2026-11-20  overdue  carol  detect   -        2026-11-03-checkout  Lower the alert threshold
2026-12-01  open     alice  prevent  OPS-123  2026-11-03-checkout  Add a canary stage
-           open     alice  process  -        2026-10-01-search    Write the reindex runbook

4 open (2 overdue), 2 done; closure rate 33.3% (2 of 6)
"
    );
}

#[test]
fn an_overdue_row_is_red_on_a_terminal() {
    let project = project();
    let output = project
        .pmbook()
        .args(["--color", "always", "actions", "--overdue"])
        .output()
        .unwrap();
    let out = stdout(&output);
    assert!(
        out.contains("\u{1b}[31m2026-11-20  overdue  carol"),
        "{out:?}"
    );
    assert!(!out.contains("\u{1b}[31m2026-12-01"), "{out:?}");
}

#[test]
fn status_filters() {
    let project = project();
    assert_eq!(
        texts(&project, &["--done"]),
        ["Grow the disks", "Roll back cache v2.3"]
    );
    assert_eq!(texts(&project, &["--all"]).len(), 6);
    assert_eq!(texts(&project, &["--open"]), texts(&project, &[]));
    assert_eq!(
        texts(&project, &["--overdue"]),
        ["Alert on disk usage", "Lower the alert threshold"]
    );
    // "Today" decides what is overdue.
    assert_eq!(
        texts(&project, &["--overdue", "--today", "2026-11-20"]),
        Vec::<String>::new()
    );
    project
        .pmbook()
        .args(["actions", "--done", "--all"])
        .assert()
        .code(2);
    project
        .pmbook()
        .args(["actions", "--done", "--overdue"])
        .assert()
        .code(2);
}

#[test]
fn field_filters_match_any_of_their_values_and_combine() {
    let project = project();
    assert_eq!(
        texts(&project, &["--owner", "@alice"]),
        ["Add a canary stage", "Write the reindex runbook"]
    );
    assert_eq!(
        texts(&project, &["--owner", "ALICE", "--owner", "carol"]).len(),
        3
    );
    assert_eq!(
        texts(&project, &["--service", "cache"]),
        ["Lower the alert threshold", "Add a canary stage"]
    );
    assert_eq!(
        texts(&project, &["--kind", "detect", "--all"]),
        ["Alert on disk usage", "Lower the alert threshold"]
    );
    assert_eq!(
        texts(&project, &["--severity", "sev1", "--all"]),
        [
            "Alert on disk usage",
            "Write the reindex runbook",
            "Grow the disks"
        ]
    );
    assert_eq!(
        texts(&project, &["--postmortem", "2026-11-03-checkout", "--done"]),
        ["Roll back cache v2.3"]
    );
    assert_eq!(
        texts(&project, &["--owner", "alice", "--kind", "prevent"]),
        ["Add a canary stage"]
    );
    assert!(texts(&project, &["--service", "nothing"]).is_empty());
}

#[test]
fn the_summary_counts_every_status_of_the_filtered_items() {
    let project = project();
    let out = actions(&project, &["--owner", "dave", "--done"]);
    assert!(
        out.ends_with("\n1 open (1 overdue), 1 done; closure rate 50.0% (1 of 2)\n"),
        "{out}"
    );
    let out = actions(&project, &["--owner", "nobody"]);
    assert_eq!(
        out,
        "no action items match\n\n0 open (0 overdue), 0 done; closure rate n/a (no items)\n"
    );
}

#[test]
fn json_has_one_object_per_item_with_documented_keys() {
    let project = project();
    let items = json_of(&project, &["--all"]);
    assert_eq!(items.len(), 6);
    let lower = items
        .iter()
        .find(|i| i["text"] == "Lower the alert threshold")
        .unwrap();
    assert_eq!(
        *lower,
        json!({
            "id": null,
            "postmortem": "2026-11-03-checkout",
            "path": "postmortems/2026-11-03-checkout.md",
            "line": 64,
            "text": "Lower the alert threshold",
            "status": "open",
            "owner": "carol",
            "due": "2026-11-20",
            "kind": "detect",
            "ticket": null,
            "overdue": true
        })
    );
    // Keys in the documented order (parsed objects do not keep it).
    let raw = actions(&project, &["--format", "json"]);
    let first = &raw[..raw.find('}').unwrap()];
    let keys: Vec<&str> = first
        .lines()
        .filter_map(|line| line.trim().strip_prefix('"')?.split_once("\":"))
        .map(|(key, _)| key)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "postmortem",
            "path",
            "line",
            "text",
            "status",
            "owner",
            "due",
            "kind",
            "ticket",
            "overdue"
        ]
    );
    let done = items
        .iter()
        .find(|i| i["text"] == "Grow the disks")
        .unwrap();
    assert_eq!(done["status"], "done");
    assert_eq!(done["due"], Value::Null);
    assert_eq!(done["overdue"], false);
    // No items: an empty array.
    assert_eq!(
        actions(&project, &["--owner", "nobody", "--format", "json"]),
        "[]\n"
    );
}

#[test]
fn csv_has_a_header_and_quotes_what_needs_it() {
    let project = Project::new();
    project.postmortem(
        "a.md",
        postmortem(
            "a",
            "SEV3",
            r#"["api"]"#,
            "- [ ] Say \"no\", then retry (owner: @eve, due: 2026-12-01, kind: fix, id: A-1)\n",
        ),
    );
    assert_eq!(
        actions(&project, &["--format", "csv"]),
        "id,postmortem,path,line,text,status,owner,due,kind,ticket,overdue\r\n\
         A-1,a,postmortems/a.md,62,\"Say \"\"no\"\", then retry\",open,eve,2026-12-01,fix,,false\r\n"
    );
}

#[test]
fn markdown_escapes_pipes_and_links_tickets() {
    let project = Project::new();
    project.file(
        "pmbook.toml",
        "[actions]\nticket_url = \"https://tracker.example.com/browse/{ticket}\"\n",
    );
    project.postmortem(
        "a.md",
        postmortem(
            "a",
            "SEV3",
            r#"["api"]"#,
            "- [ ] Split `a|b` into two flags (owner: @eve, due: 2026-12-01, kind: fix, ticket: API-9)\n\
             - [x] Revert (owner: @eve, kind: fix)\n",
        ),
    );
    assert_eq!(
        actions(&project, &["--format", "markdown"]),
        "\
| Due | Status | Owner | Kind | Ticket | Postmortem | Item |
|---|---|---|---|---|---|---|
| 2026-12-01 | open | eve | fix | [API-9](https://tracker.example.com/browse/API-9) | a | Split `a\\|b` into two flags |

1 open (0 overdue), 1 done; closure rate 50.0% (1 of 2)
"
    );
}

/// The Markdown table links a ticket as the site does: percent-encoded, so
/// that a `#` or a space in a ticket stays part of the link.
#[test]
fn markdown_ticket_links_are_percent_encoded() {
    let project = Project::new();
    project.file(
        "pmbook.toml",
        "[actions]\nticket_url = \"https://tracker.example.com/browse/{ticket}\"\n",
    );
    project.postmortem(
        "a.md",
        postmortem(
            "a",
            "SEV3",
            r#"["api"]"#,
            "- [ ] Add a canary (owner: @eve, due: 2026-12-01, kind: fix, ticket: web#12 a)\n",
        ),
    );
    let table = actions(&project, &["--format", "markdown"]);
    assert!(
        table.contains("[web#12 a](https://tracker.example.com/browse/web%2312%20a)"),
        "{table}"
    );
}

#[test]
fn a_follow_up_shared_by_two_postmortems_is_one_item() {
    let project = Project::new();
    let item = |done: &str| {
        format!(
            "- [{done}] Add retry budgets to the client (owner: @eve, due: 2026-12-01, kind: fix, id: SHARED-1)\n"
        )
    };
    project.postmortem("a.md", postmortem("a", "SEV3", r#"["api"]"#, &item("x")));
    project.postmortem("b.md", postmortem("b", "SEV2", r#"["web"]"#, &item(" ")));
    let items = json_of(&project, &["--all"]);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["postmortem"], "a");
    // Open until every copy is checked.
    assert_eq!(items[0]["status"], "open");
    // Found through either postmortem.
    assert_eq!(texts(&project, &["--postmortem", "b"]).len(), 1);
    assert_eq!(texts(&project, &["--service", "web"]).len(), 1);
}

#[test]
fn works_without_a_config_or_git_but_history_needs_git() {
    let project = project();
    project.pmbook().arg("actions").assert().success();
    project
        .pmbook()
        .args(["actions", "--history"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("is not in a git repository"))
        .stderr(predicate::str::contains("leave out --history"));
}

#[test]
fn a_missing_postmortem_directory_is_an_error() {
    let project = Project::new();
    std::fs::remove_dir(project.path().join("postmortems")).unwrap();
    project
        .pmbook()
        .arg("actions")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

// ---------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------

/// Commits everything with author and committer date `date` (UTC).
fn commit_at(project: &Project, date: &str, message: &str) {
    project.git(&["add", "-A"]);
    let status = git_command(project.path())
        .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00Z"))
        .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00Z"))
        .args(["commit", "-q", "--no-verify", "-m", message])
        .status()
        .unwrap();
    assert!(status.success());
}

fn head(project: &Project, rev: &str) -> String {
    project.git(&["rev-parse", rev]).trim().to_owned()
}

/// The `--history --all` JSON objects, by text.
fn history(project: &Project) -> std::collections::HashMap<String, Value> {
    json_of(project, &["--all", "--history"])
        .into_iter()
        .map(|item| (item["text"].as_str().unwrap().to_owned(), item))
        .collect()
}

#[test]
fn history_follows_items_through_edits_checks_and_renames() {
    let project = Project::new();
    project.git_init();
    let a = |items: &str| postmortem("a", "SEV2", r#"["api"]"#, items);
    project.postmortem(
        "a.md",
        a(
            "- [ ] Add a canary (owner: @eve, due: 2026-01-20, kind: prevent, id: CAN-1)\n\
           - [ ] Write runbook (owner: @eve, due: 2026-01-30, kind: process)\n\
           - [x] Roll back (owner: @eve, kind: fix)\n",
        ),
    );
    commit_at(&project, "2026-01-01", "postmortem a");
    let c1 = head(&project, "HEAD");

    // A commit outside the postmortems changes nothing.
    project.file("README.md", "# Postmortems\n");
    commit_at(&project, "2026-01-03", "readme");

    // Edited: the item with an id keeps its identity, the other becomes a
    // new item.
    project.postmortem(
        "a.md",
        a("- [ ] Add a canary stage to deploys (owner: @eve, due: 2026-01-20, kind: prevent, id: CAN-1)\n\
           - [ ] Write the runbook (owner: @eve, due: 2026-01-30, kind: process)\n\
           - [x] Roll back (owner: @eve, kind: fix)\n"),
    );
    commit_at(&project, "2026-01-05", "reword");
    let c3 = head(&project, "HEAD");

    project.postmortem(
        "a.md",
        a("- [x] Add a canary stage to deploys (owner: @eve, due: 2026-01-20, kind: prevent, id: CAN-1)\n\
           - [ ] Write the runbook (owner: @eve, due: 2026-01-30, kind: process)\n\
           - [x] Roll back (owner: @eve, kind: fix)\n"),
    );
    commit_at(&project, "2026-01-11", "canary done");
    let c4 = head(&project, "HEAD");

    // Renamed and checked in one commit.
    std::fs::create_dir_all(project.path().join("postmortems/2026")).unwrap();
    project.git(&["mv", "postmortems/a.md", "postmortems/2026/a.md"]);
    project.postmortem(
        "2026/a.md",
        a("- [x] Add a canary stage to deploys (owner: @eve, due: 2026-01-20, kind: prevent, id: CAN-1)\n\
           - [x] Write the runbook (owner: @eve, due: 2026-01-30, kind: process)\n\
           - [x] Roll back (owner: @eve, kind: fix)\n"),
    );
    commit_at(&project, "2026-02-04", "move and close");
    let c5 = head(&project, "HEAD");

    let items = history(&project);
    assert_eq!(items.len(), 3, "{items:?}");
    let canary = &items["Add a canary stage to deploys"];
    assert_eq!(canary["opened_at"], "2026-01-01T12:00:00Z");
    assert_eq!(canary["opened_commit"], c1.as_str());
    assert_eq!(canary["closed_at"], "2026-01-11T12:00:00Z");
    assert_eq!(canary["closed_commit"], c4.as_str());
    assert_eq!(canary["days_to_close"], 10.0);
    assert_eq!(canary["path"], "postmortems/2026/a.md");

    let runbook = &items["Write the runbook"];
    assert_eq!(runbook["opened_commit"], c3.as_str());
    assert_eq!(runbook["closed_commit"], c5.as_str());
    assert_eq!(runbook["days_to_close"], 30.0);

    let rollback = &items["Roll back"];
    assert_eq!(rollback["opened_commit"], c1.as_str());
    assert_eq!(rollback["closed_commit"], c1.as_str());
    // Ticked in the commit that added it: the history never saw it open.
    assert_eq!(rollback["days_to_close"], Value::Null);

    // The table adds the dates and the statistics.
    let out = actions(&project, &["--all", "--history"]);
    assert!(
        out.contains(
            "2026-01-20  done    eve    prevent  -       a           2026-01-01  2026-01-11  10.0  Add a canary stage to deploys"
        ),
        "{out}"
    );
    assert!(
        out.ends_with(
            "\
0 open (0 overdue), 3 done; closure rate 100.0% (3 of 3)
days to close  items  median     p90
all                2    20.0    28.0
kind prevent       1    10.0    10.0
kind process       1    30.0    30.0
severity SEV2      2    20.0    28.0
past due: 1 closed after their due date, 0 open and overdue
"
        ),
        "{out}"
    );

    // `stats` reads the same history: 10 and 30 days, median 20.
    let output = project
        .pmbook()
        .args(["stats", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        stats["actions"],
        json!({
            "open": 0, "done": 3, "overdue": 0,
            "closure_rate": 1.0, "days_to_close_median": 20.0,
            "days_to_close_p90": 28.0, "open_past_sla": [],
        })
    );
}

#[test]
fn a_changed_postmortem_id_keeps_the_history_of_its_items() {
    let project = Project::new();
    project.git_init();
    let items = "- [ ] Add a canary (owner: @eve, due: 2026-03-01, kind: prevent)\n";
    project.postmortem(
        "2026-01-01-tpyo.md",
        postmortem("2026-01-01-tpyo", "SEV2", r#"["api"]"#, items),
    );
    commit_at(&project, "2026-01-01", "add");
    let c1 = head(&project, "HEAD");
    std::fs::remove_file(project.path().join("postmortems/2026-01-01-tpyo.md")).unwrap();
    project.postmortem(
        "2026-01-01-typo.md",
        postmortem("2026-01-01-typo", "SEV2", r#"["api"]"#, items),
    );
    commit_at(&project, "2026-01-02", "fix the id and the file name");
    let item = &history(&project)["Add a canary"];
    assert_eq!(item["postmortem"], "2026-01-01-typo");
    assert_eq!(item["opened_commit"], c1.as_str());
}

#[test]
fn reopening_an_item_forgets_its_earlier_close() {
    let project = Project::new();
    project.git_init();
    let a = |mark: &str| {
        postmortem(
            "a",
            "SEV3",
            r#"["api"]"#,
            &format!(
                "- [{mark}] Fix the job (owner: @eve, due: 2026-02-01, kind: fix, id: JOB-1)\n"
            ),
        )
    };
    project.postmortem("a.md", a(" "));
    commit_at(&project, "2026-01-01", "open");
    project.postmortem("a.md", a("x"));
    commit_at(&project, "2026-01-02", "closed too early");
    project.postmortem("a.md", a(" "));
    commit_at(&project, "2026-01-03", "reopened");
    let item = &history(&project)["Fix the job"];
    assert_eq!(item["status"], "open");
    assert_eq!(item["closed_at"], Value::Null);
    assert_eq!(item["days_to_close"], Value::Null);

    project.postmortem("a.md", a("x"));
    commit_at(&project, "2026-01-09", "really closed");
    let item = &history(&project)["Fix the job"];
    assert_eq!(item["closed_at"], "2026-01-09T12:00:00Z");
    assert_eq!(item["days_to_close"], 8.0);
}

#[test]
fn a_shared_item_closes_when_its_last_copy_is_checked() {
    let project = Project::new();
    project.git_init();
    let item = |mark: &str| {
        format!("- [{mark}] Add retry budgets (owner: @eve, due: 2026-03-01, kind: fix, id: S-1)\n")
    };
    project.postmortem("a.md", postmortem("a", "SEV3", r#"["api"]"#, &item(" ")));
    commit_at(&project, "2026-01-01", "a");
    project.postmortem("b.md", postmortem("b", "SEV3", r#"["web"]"#, &item(" ")));
    commit_at(&project, "2026-01-02", "b shares the follow-up");
    project.postmortem("a.md", postmortem("a", "SEV3", r#"["api"]"#, &item("x")));
    commit_at(&project, "2026-01-04", "checked in a");
    assert_eq!(
        history(&project)["Add retry budgets"]["closed_at"],
        Value::Null
    );
    project.postmortem("b.md", postmortem("b", "SEV3", r#"["web"]"#, &item("x")));
    commit_at(&project, "2026-01-06", "checked in b");
    let item = &history(&project)["Add retry budgets"];
    assert_eq!(item["opened_at"], "2026-01-01T12:00:00Z");
    assert_eq!(item["closed_at"], "2026-01-06T12:00:00Z");
}

#[test]
fn history_follows_the_first_parent_and_only_what_is_committed() {
    let project = Project::new();
    project.git_init();
    let a = |items: &str| postmortem("a", "SEV3", r#"["api"]"#, items);
    let first = "- [ ] First (owner: @eve, due: 2026-03-01, kind: fix)\n";
    project.postmortem("a.md", a(first));
    commit_at(&project, "2026-01-01", "a");
    project.git(&["checkout", "-q", "-b", "branch"]);
    let second = "- [ ] Second (owner: @eve, due: 2026-03-01, kind: fix)\n";
    project.postmortem("a.md", a(&format!("{first}{second}")));
    commit_at(&project, "2026-01-02", "on a branch");
    project.git(&["checkout", "-q", "main"]);
    project.file("notes.md", "notes\n");
    commit_at(&project, "2026-01-03", "meanwhile on main");
    let merge = git_command(project.path())
        .env("GIT_AUTHOR_DATE", "2026-01-05T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-05T12:00:00Z")
        .args(["merge", "-q", "--no-ff", "--no-edit", "branch"])
        .status()
        .unwrap();
    assert!(merge.success());
    let merge = head(&project, "HEAD");

    // Checked in the work tree, not committed.
    project.postmortem(
        "a.md",
        a(&format!("{}{second}", first.replace("[ ]", "[x]"))),
    );
    // A new item that was never committed.
    let third = "- [ ] Third (owner: @eve, due: 2026-03-01, kind: fix)\n";
    project.postmortem(
        "a.md",
        a(&format!("{}{second}{third}", first.replace("[ ]", "[x]"))),
    );
    let items = history(&project);
    assert_eq!(items["Second"]["opened_commit"], merge.as_str());
    assert_eq!(items["Second"]["opened_at"], "2026-01-05T12:00:00Z");
    assert_eq!(items["First"]["status"], "done");
    assert_eq!(items["First"]["closed_at"], Value::Null);
    assert_eq!(items["Third"]["opened_at"], Value::Null);
}

#[test]
fn history_csv_adds_the_history_columns() {
    let project = Project::new();
    project.git_init();
    project.postmortem(
        "a.md",
        postmortem(
            "a",
            "SEV3",
            r#"["api"]"#,
            "- [x] Roll back (owner: @eve, kind: fix)\n",
        ),
    );
    commit_at(&project, "2026-01-01", "a");
    let c1 = head(&project, "HEAD");
    assert_eq!(
        actions(&project, &["--all", "--history", "--format", "csv"]),
        format!(
            "id,postmortem,path,line,text,status,owner,due,kind,ticket,overdue,opened_at,opened_commit,closed_at,closed_commit,days_to_close\r\n\
             ,a,postmortems/a.md,62,Roll back,done,eve,,fix,,false,2026-01-01T12:00:00Z,{c1},2026-01-01T12:00:00Z,{c1},\r\n"
        )
    );
}

#[test]
fn history_of_a_repository_without_commits_is_empty() {
    let project = project();
    project.git_init();
    let items = json_of(&project, &["--history"]);
    assert_eq!(items.len(), 4);
    assert!(items.iter().all(|i| i["opened_at"].is_null()));
}

// ---------------------------------------------------------------------------
// Lint: explicit action ids across files, also from the pre-commit cache
// ---------------------------------------------------------------------------

#[test]
fn duplicate_action_ids_are_checked_against_the_other_files() {
    let project = Project::new();
    project.git_init();
    let item =
        |text: &str| format!("- [ ] {text} (owner: @eve, due: 2026-11-30, kind: fix, id: X-1)\n");
    project.postmortem(
        "a.md",
        postmortem("a", "SEV3", r#"["api"]"#, &item("Add retry budgets")),
    );
    project.postmortem(
        "b.md",
        postmortem(
            "b",
            "SEV3",
            r#"["api"]"#,
            "- [x] Nothing here (owner: @eve, kind: fix)\n",
        ),
    );
    commit_at(&project, "2026-01-01", "a and b");

    // The same item shared by two postmortems is fine.
    project.postmortem(
        "b.md",
        postmortem("b", "SEV3", r#"["api"]"#, &item("add  retry Budgets")),
    );
    project.git(&["add", "-A"]);
    project
        .pmbook()
        .args(["lint", "--staged"])
        .assert()
        .success();
    project
        .pmbook()
        .args(["lint", "postmortems/b.md"])
        .assert()
        .success();

    // Another item with the same id is not, whichever way b is linted,
    // with the cache of the other files' ids cold or warm.
    project.postmortem(
        "b.md",
        postmortem("b", "SEV3", r#"["api"]"#, &item("Alert on latency")),
    );
    project.git(&["add", "-A"]);
    let cache = project.path().join(".git/pmbook/ids");
    for run in ["warm", "cold"] {
        if run == "cold" {
            std::fs::remove_file(&cache).unwrap();
        }
        project
            .pmbook()
            .args(["lint", "--staged"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains(
                "error[duplicate-action-id]: action id `X-1` is used by a different item in another postmortem",
            ))
            .stdout(predicate::str::contains(
                "note: in postmortems/a.md: \"Add retry budgets\"",
            ));
    }
    let cached = std::fs::read_to_string(&cache).unwrap();
    assert!(
        cached.starts_with("pmbook-ids 4\taction items\n"),
        "{cached}"
    );
    assert!(cached.contains("\n\tX-1\tAdd retry budgets\n"), "{cached}");
    project
        .pmbook()
        .args(["lint", "postmortems/b.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("duplicate-action-id"));
}

#[test]
fn an_id_cache_in_the_old_format_is_rebuilt() {
    let project = Project::new();
    project.git_init();
    let item =
        |text: &str| format!("- [ ] {text} (owner: @eve, due: 2026-11-30, kind: fix, id: X-1)\n");
    project.postmortem(
        "a.md",
        postmortem("a", "SEV3", r#"["api"]"#, &item("Add retry budgets")),
    );
    commit_at(&project, "2026-01-01", "a");
    let blob = project.git(&["rev-parse", "HEAD:postmortems/a.md"]);
    std::fs::create_dir_all(project.path().join(".git/pmbook")).unwrap();
    std::fs::write(
        project.path().join(".git/pmbook/ids"),
        format!("{} a\n", blob.trim()),
    )
    .unwrap();
    project.postmortem(
        "b.md",
        postmortem("b", "SEV3", r#"["api"]"#, &item("Alert on latency")),
    );
    project.git(&["add", "-A"]);
    project
        .pmbook()
        .args(["lint", "--staged"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("duplicate-action-id"));
}

#[test]
fn sla_days_are_configurable_and_checked() {
    let project = Project::new();
    project.postmortem(
        "a.md",
        postmortem(
            "a",
            "SEV3",
            r#"["api"]"#,
            "- [ ] Add a canary (owner: @eve, due: 2027-06-01, kind: prevent)\n",
        ),
    );
    // SEV3 has no limit by default.
    project
        .pmbook()
        .args(["lint", "--deny-warnings", "--today", "2026-11-04"])
        .assert()
        .success();
    project.file("pmbook.toml", "[actions.sla_days]\nSEV3 = 90\n");
    project
        .pmbook()
        .args(["lint", "--today", "2026-11-04"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning[action-sla]: due 210 days after resolution; SEV3 action items are due within 90 days",
        ));
    // Own severities and the default table: no limits, no error.
    project.file("pmbook.toml", "[lint]\nseverities = [\"P1\", \"SEV3\"]\n");
    project
        .pmbook()
        .args(["lint", "--deny-warnings", "--today", "2026-11-04"])
        .assert()
        .success();
    project.file("pmbook.toml", "[actions.sla_days]\nSEV5 = 90\n");
    project
        .pmbook()
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "[actions] sla_days names `SEV5`, which is not one of `[lint] severities`",
        ));
}

/// `stats`, `actions` and the site count the same items: shared follow-ups
/// merged, drafts left out (and named), the closure rate one fraction.
#[test]
fn stats_and_actions_agree_on_shared_items_and_drafts() {
    let project = Project::new();
    let pm = |id: &str, items: &str| postmortem(id, "SEV2", r#"["api"]"#, items);
    project.postmortem(
        "a.md",
        pm(
            "2026-11-01-a",
            "- [ ] Open in a\n- [x] Done in a\n- [ ] Shared follow-up (id: S-1)\n",
        ),
    );
    project.postmortem(
        "b.md",
        pm(
            "2026-11-02-b",
            "- [x] Shared follow-up (id: S-1)\n- [x] Done in b\n",
        ),
    );
    project.postmortem(
        "c.md",
        pm(
            "2026-11-04-c",
            "- [ ] Open in the draft\n- [x] Done in the draft\n",
        )
        .replace("status = \"published\"", "status = \"draft\""),
    );
    let out = actions(&project, &["--all"]);
    assert!(
        out.ends_with(
            "2 open (0 overdue), 2 done; closure rate 50.0% (2 of 4)\n\
             1 draft left out: postmortems/c.md (--include-drafts counts them)\n"
        ),
        "{out}"
    );
    let out = actions(&project, &["--all", "--include-drafts"]);
    assert!(
        out.ends_with("3 open (0 overdue), 3 done; closure rate 50.0% (3 of 6)\n"),
        "{out}"
    );

    let stats = |extra: &[&str]| {
        let output = project
            .pmbook()
            .args(["stats", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        (json["actions"].clone(), stderr(&output))
    };
    let (figures, notes) = stats(&[]);
    assert_eq!(
        figures,
        json!({"open": 2, "done": 2, "overdue": 0, "closure_rate": 0.5, "days_to_close_median": null, "days_to_close_p90": null, "open_past_sla": null})
    );
    assert!(
        notes.contains("1 draft left out: postmortems/c.md (--include-drafts counts them)"),
        "{notes}"
    );
    let (figures, _) = stats(&["--include-drafts"]);
    assert_eq!(
        figures,
        json!({"open": 3, "done": 3, "overdue": 0, "closure_rate": 0.5, "days_to_close_median": null, "days_to_close_p90": null, "open_past_sla": null})
    );
    let table = stdout(&project.pmbook().arg("stats").output().unwrap());
    assert!(table.contains("closure rate  50.0%"), "{table}");

    // The site's board counts the same open items.
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let index = std::fs::read_to_string(project.path().join("out/index.html")).unwrap();
    assert!(
        index.contains(
            "<span class=\"number\">2</span><span class=\"label\">open action items</span>"
        ),
        "{index}"
    );
}

#[test]
fn one_day_overdue_is_one_day() {
    let project = Project::new();
    project.postmortem(
        "a.md",
        postmortem(
            "2026-11-03-a",
            "SEV2",
            r#"["api"]"#,
            "- [ ] Add a canary (owner: @eve, due: 2026-11-22, kind: prevent)\n",
        ),
    );
    let output = project.pmbook().arg("lint").output().unwrap();
    let out = stdout(&output);
    assert!(
        out.contains("action item is overdue by 1 day (owner: eve)"),
        "{out}"
    );
}

#[test]
fn an_item_ticked_in_the_commit_that_added_it_has_no_time_to_close() {
    let project = Project::new();
    project.git_init();
    project.postmortem(
        "a.md",
        postmortem(
            "a",
            "SEV3",
            r#"["api"]"#,
            "- [x] Written after the fact (owner: @eve, kind: fix)\n- [ ] Add retry budgets (owner: @eve, kind: fix)\n",
        ),
    );
    commit_at(&project, "2026-01-01", "a, one item already done");
    let days = |project: &Project| -> (Vec<serde_json::Value>, serde_json::Value) {
        let out = project
            .pmbook()
            .args(["actions", "--all", "--history", "--format", "json"])
            .output()
            .unwrap();
        let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let out = project
            .pmbook()
            .args(["stats", "--format", "json"])
            .output()
            .unwrap();
        let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            items.iter().map(|i| i["days_to_close"].clone()).collect(),
            stats["actions"]["days_to_close_median"].clone(),
        )
    };
    let (items, median) = days(&project);
    assert_eq!(items, [serde_json::Value::Null, serde_json::Value::Null]);
    assert_eq!(median, serde_json::Value::Null);

    // Ticked three days later: that one has a time to close.
    project.postmortem(
        "a.md",
        postmortem(
            "a",
            "SEV3",
            r#"["api"]"#,
            "- [x] Written after the fact (owner: @eve, kind: fix)\n- [x] Add retry budgets (owner: @eve, kind: fix)\n",
        ),
    );
    commit_at(&project, "2026-01-04", "retry budgets done");
    let (items, median) = days(&project);
    assert_eq!(items, [serde_json::Value::Null, serde_json::json!(3.0)]);
    assert_eq!(median, serde_json::json!(3.0));
}

#[test]
fn stats_reads_days_to_close_and_items_past_their_sla_from_the_history() {
    let project = Project::new();
    project.git_init();
    let write = |x1: bool, x2: bool, y1: bool, x4: bool| {
        let check = |done: bool| if done { "x" } else { " " };
        let mut a = format!(
            "- [{}] X1 (owner: @eve, due: 2026-12-01, kind: fix)\n\
             - [{}] X2 (owner: @eve, due: 2026-12-01, kind: fix)\n\
             - [ ] X3 (owner: @eve, due: 2026-12-01, kind: fix)\n",
            check(x1),
            check(x2)
        );
        if x4 {
            a.push_str("- [ ] X4 (owner: @eve, due: 2026-12-01, kind: fix)\n");
        }
        project.postmortem("a.md", postmortem("a", "SEV1", r#"["api"]"#, &a));
        project.postmortem(
            "b.md",
            postmortem(
                "b",
                "SEV2",
                r#"["api"]"#,
                &format!(
                    "- [{}] Y1 (owner: @ann, due: 2026-12-05, kind: fix)\n\
                     - [ ] Y2 (owner: @ann, due: 2026-12-05, kind: fix)\n",
                    check(y1)
                ),
            ),
        );
        project.postmortem(
            "c.md",
            postmortem(
                "c",
                "SEV3",
                r#"["api"]"#,
                "- [ ] Z1 (owner: @ann, due: 2026-12-09, kind: fix)\n",
            ),
        );
    };
    write(false, false, false, false);
    commit_at(&project, "2026-09-01", "postmortems");
    write(true, false, false, false);
    commit_at(&project, "2026-09-05", "X1 done");
    write(true, true, false, false);
    commit_at(&project, "2026-09-21", "X2 done");
    write(true, true, true, false);
    commit_at(&project, "2026-10-11", "Y1 done");
    write(true, true, true, true);
    commit_at(&project, "2026-11-19", "X4");

    let output = project
        .pmbook()
        .args(["stats", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    let a = &stats["actions"];
    // Closed after 4, 20 and 40 days: the median is 20, the p90 at rank
    // 0.9 × 2 = 1.8 is 20 + 0.8 × (40 − 20) = 36.
    assert_eq!(a["days_to_close_median"], 20.0);
    assert_eq!(a["days_to_close_p90"], 36.0);
    // Open since 2026-09-01, 83 days before 2026-11-23: past SEV1's 28 and
    // SEV2's 56; SEV3 has no SLA, and X4 is 4 days old.
    let late: Vec<(&str, &str, i64, i64, &str)> = a["open_past_sla"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| {
            (
                l["text"].as_str().unwrap(),
                l["severity"].as_str().unwrap(),
                l["days_open"].as_i64().unwrap(),
                l["sla_days"].as_i64().unwrap(),
                l["opened"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        late,
        [
            ("X3", "SEV1", 83, 28, "2026-09-01"),
            ("Y2", "SEV2", 83, 56, "2026-09-01"),
        ]
    );
    assert_eq!(a["open_past_sla"][0]["path"], "postmortems/a.md");

    let table = stdout(&project.pmbook().arg("stats").output().unwrap());
    assert!(table.contains("  p90 days to close      36.0\n"), "{table}");
    assert!(
        table.contains("Open longer than their severity's SLA\n"),
        "{table}"
    );
    assert!(table.contains("SEV1  83 days open (SLA 28)  X3"), "{table}");
}
