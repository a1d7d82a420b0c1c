//! `pmbook actions --digest`: per owner, overdue, due soon and recently
//! closed items, on a generated history with a fixed `--today`; and the
//! scheduled CI jobs of the book that post it, run as written.

mod common;

use std::path::Path;

use common::{Project, git_command, stderr, stdout, valid_with};

const OLD_ITEMS: &str = "- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)\n- [x] Roll back cache v2.3 (owner: @bob, kind: fix, closed: 2026-11-03)\n";

/// Items as first committed (all open but G), and after the two closing
/// commits.
fn items(g_done: bool, d_done: bool) -> String {
    let check = |done: bool| if done { "x" } else { " " };
    format!(
        "- [ ] A late alert (owner: @alice, due: 2026-11-20, kind: detect, ticket: OPS-1)\n\
         - [ ] B canary (owner: @Alice, due: 2026-12-01, kind: prevent)\n\
         - [ ] C far away (owner: @alice, due: 2027-01-15, kind: prevent)\n\
         - [{}] D runbook (owner: @alice, due: 2026-11-25, kind: process)\n\
         - [ ] E on the last day (owner: @carol, due: 2026-12-07, kind: test)\n\
         - [ ] F a day too far (owner: @carol, due: 2026-12-08, kind: test)\n\
         - [{}] G closed long ago (owner: @bob, due: 2026-11-05, kind: fix)\n\
         - [ ] H nobody's (due: 2026-11-22, kind: fix)\n",
        check(d_done),
        check(g_done),
    )
}

fn commit(project: &Project, message: &str, date: &str) {
    project.git(&["add", "-A"]);
    let output = git_command(project.path())
        .args(["commit", "-q", "--no-verify", "-m", message])
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "{}", stderr(&output));
}

/// A repository whose items were added on 2026-11-01, G checked on
/// 2026-11-02 (before the window) and D on 2026-11-20 (in it).
fn history_project(config: &str) -> Project {
    let project = Project::new();
    project.git_init().file("pmbook.toml", config);
    let write = |g, d| {
        project.postmortem(
            "2026-11-03-checkout-latency.md",
            valid_with(OLD_ITEMS, &items(g, d)),
        );
    };
    write(false, false);
    commit(&project, "postmortem", "2026-11-01T10:00:00Z");
    write(true, false);
    commit(&project, "G done", "2026-11-02T10:00:00Z");
    write(true, true);
    commit(&project, "D done", "2026-11-20T23:30:00Z");
    project
}

const PAGE: &str = "https://pm.example.com/incidents/2026-11-03-checkout-latency.html";

#[test]
fn the_digest_lists_per_owner_what_is_late_due_and_closed() {
    let project = history_project("[site]\nurl = \"https://pm.example.com\"\n");
    let output = project
        .pmbook()
        .args(["actions", "--digest", "--format", "markdown"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let link = format!("[2026-11-03-checkout-latency]({PAGE})");
    assert_eq!(
        stdout(&output),
        format!(
            "# Action items, 2026-11-23\n\
             \n\
             ## alice\n\
             \n\
             Overdue:\n\
             \n\
             - A late alert — due 2026-11-20, 3 days late · ticket OPS-1 · {link}\n\
             \n\
             Due in the next 14 days:\n\
             \n\
             - B canary — due 2026-12-01 · {link}\n\
             \n\
             Closed in the last 14 days:\n\
             \n\
             - D runbook — closed 2026-11-20 · {link}\n\
             \n\
             ## carol\n\
             \n\
             Due in the next 14 days:\n\
             \n\
             - E on the last day — due 2026-12-07 · {link}\n\
             \n\
             ## No owner\n\
             \n\
             Overdue:\n\
             \n\
             - H nobody's — due 2026-11-22, 1 day late · {link}\n"
        )
    );
}

#[test]
fn the_json_digest_of_one_owner() {
    let project = history_project("[site]\nurl = \"https://pm.example.com/\"\n");
    let output = project
        .pmbook()
        .args([
            "actions", "--digest", "--owner", "@ALICE", "--format", "json",
        ])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["today"], "2026-11-23");
    assert_eq!(json["window_days"], 14);
    assert_eq!(json["site_url"], "https://pm.example.com/");
    let owners = json["owners"].as_array().expect("owners");
    assert_eq!(owners.len(), 1, "{json:#}");
    assert_eq!(owners[0]["owner"], "alice");
    let texts = |part: &str| -> Vec<String> {
        owners[0][part]
            .as_array()
            .expect(part)
            .iter()
            .map(|i| i["text"].as_str().expect("text").to_owned())
            .collect()
    };
    assert_eq!(texts("overdue"), ["A late alert"]);
    assert_eq!(texts("due_soon"), ["B canary"]);
    assert_eq!(texts("closed"), ["D runbook"]);
    let closed = &owners[0]["closed"][0];
    assert_eq!(closed["closed_at"], "2026-11-20");
    assert_eq!(closed["due"], "2026-11-25");
    assert_eq!(closed["url"], PAGE);
    assert_eq!(owners[0]["overdue"][0]["ticket"], "OPS-1");
    assert_eq!(
        owners[0]["overdue"][0]["closed_at"],
        serde_json::Value::Null
    );
}

#[test]
fn without_a_site_url_links_are_relative_with_a_note() {
    let project = history_project("");
    let output = project
        .pmbook()
        .args(["actions", "--digest", "--owner", "carol"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(
            "- E on the last day — due 2026-12-07 · [2026-11-03-checkout-latency](incidents/2026-11-03-checkout-latency.html)\n"
        ),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("add `url` under `[site]` in pmbook.toml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_empty_digest_says_so_and_a_digest_needs_the_history() {
    let project = history_project("");
    project
        .pmbook()
        .args(["actions", "--digest", "--owner", "nobody"])
        .assert()
        .success()
        .stdout("# Action items, 2026-11-23\n\nNothing overdue, due in the next 14 days or closed in the last 14 days.\n");
    let outside = Project::new();
    outside.postmortem("2026-11-03-checkout-latency.md", common::VALID);
    let output = outside
        .pmbook()
        .args(["actions", "--digest"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`pmbook actions --digest` reads when items were closed"));
    project
        .pmbook()
        .args(["actions", "--digest", "--format", "csv"])
        .assert()
        .code(2);
    project
        .pmbook()
        .args(["actions", "--digest", "--overdue"])
        .assert()
        .code(2);
}

/// The `run:` steps and `script:` lines of the `yaml` blocks of the
/// "Digests" section of the actions page, by block.
fn digest_jobs() -> Vec<Vec<String>> {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/actions.md"))
            .expect("the actions page");
    let mut blocks = Vec::new();
    let mut lines = page.lines().skip_while(|l| *l != "## Digests").skip(1);
    let mut fenced = false;
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with("## ") {
            break;
        }
        if line != "```yaml" {
            continue;
        }
        fenced = false;
        let mut commands = Vec::new();
        let mut in_script = false;
        for line in lines.by_ref().take_while(|l| *l != "```") {
            let item = line.trim_start();
            if let Some(run) = item.strip_prefix("- run: ") {
                commands.push(run.to_owned());
            } else if item == "script:" {
                in_script = true;
            } else if in_script && let Some(command) = item.strip_prefix("- ") {
                // A YAML single-quoted scalar.
                let command = match command
                    .strip_prefix('\'')
                    .and_then(|c| c.strip_suffix('\''))
                {
                    Some(quoted) => quoted.replace("''", "'"),
                    None => command.to_owned(),
                };
                commands.push(command);
            } else if !line.starts_with("    ") {
                in_script = false;
            }
        }
        blocks.push(commands);
    }
    blocks
}

#[test]
fn the_digest_jobs_of_the_book_are_read_as_expected() {
    let blocks = digest_jobs();
    assert_eq!(blocks.len(), 2, "{blocks:#?}");
    let all: Vec<&str> = blocks.iter().flatten().map(String::as_str).collect();
    assert_eq!(
        all.iter()
            .filter(|c| **c == "pmbook actions --digest --format markdown > digest.md")
            .count(),
        2,
        "{all:#?}"
    );
    assert!(all.iter().any(|c| c.starts_with("gh issue create")));
    assert!(all.iter().any(|c| c.starts_with("curl --fail")));
}

/// Stubs of `cargo` (the install step: pmbook is already on `PATH`), `gh`
/// and `curl`, which record their arguments and, for the body they are
/// given, its content, in `log`.
fn stubs(dir: &Path, log: &Path) {
    let write = |name: &str, body: &str| {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/usr/bin/env bash\n{body}")).expect("stub");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    };
    let log = log.display();
    write("cargo", &format!("echo \"cargo $*\" >> '{log}'\n"));
    write(
        "gh",
        &format!(
            "echo \"gh $*\" >> '{log}'\n\
             while [ $# -gt 0 ]; do if [ \"$1\" = --body-file ]; then cat \"$2\" >> '{log}'; fi; shift; done\n"
        ),
    );
    write(
        "curl",
        &format!(
            "echo \"curl $*\" >> '{log}'\n\
             for a in \"$@\"; do case \"$a\" in description@*) cat \"${{a#description@}}\" >> '{log}';; esac; done\n"
        ),
    );
}

#[test]
fn the_digest_jobs_of_the_book_run_as_written() {
    let today = jiff::Zoned::now().date();
    let day = |days: i64| {
        today
            .checked_add(jiff::Span::new().days(days))
            .expect("date")
    };
    for commands in digest_jobs() {
        let project = Project::new();
        project
            .git_init()
            .file("pmbook.toml", "[site]\nurl = \"https://pm.example.com\"\n");
        let items = format!(
            "- [ ] Overdue by now (owner: @alice, due: {}, kind: detect)\n\
             - [ ] Due soon (owner: @alice, due: {}, kind: prevent)\n\
             - [ ] Closed just now (owner: @bob, due: {}, kind: fix)\n",
            day(-3),
            day(5),
            day(1)
        );
        let write = |items: &str| {
            project.postmortem(
                "2026-11-03-checkout-latency.md",
                valid_with(OLD_ITEMS, items),
            );
        };
        write(&items);
        project.commit_all("postmortem");
        write(&items.replace("- [ ] Closed just now", "- [x] Closed just now"));
        project.commit_all("closed");
        let bin = tempfile::tempdir().expect("temp dir");
        let log = bin.path().join("log");
        stubs(bin.path(), &log);
        let mut paths = vec![bin.path().to_path_buf()];
        paths.extend(std::env::split_paths(&common::path_with_pmbook()));
        for command in &commands {
            let output = std::process::Command::new("bash")
                .args(["-e", "-c", command])
                .current_dir(project.path())
                .env("PATH", std::env::join_paths(&paths).expect("PATH"))
                .env("PMBOOK_GIT", "https://git.example.com/pmbook.git")
                .env("GH_TOKEN", "token")
                .env("DIGEST_TOKEN", "token")
                .env("CI_API_V4_URL", "https://gitlab.example.com/api/v4")
                .env("CI_PROJECT_ID", "42")
                .env("NO_COLOR", "1")
                .output()
                .expect("bash runs");
            assert!(
                output.status.success(),
                "`{command}` failed: {}{}",
                stdout(&output),
                stderr(&output)
            );
        }
        let posted = std::fs::read_to_string(&log).expect("something was posted");
        let week = format!("Action items, week of {today}");
        assert!(posted.contains(&week), "{posted}");
        for expected in [
            format!("# Action items, {today}"),
            format!("- Overdue by now — due {}, 3 days late", day(-3)),
            format!("- Due soon — due {}", day(5)),
            format!("- Closed just now — closed {today}"),
        ] {
            assert!(posted.contains(&expected), "{expected:?} not in {posted}");
        }
    }
}
