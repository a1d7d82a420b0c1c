//! `pmbook lint --staged`, `--changed-since` and `--commit` on real git
//! repositories: what is linted is what git holds, not the working tree.

mod common;

use common::{Project, VALID, stdout, valid_with};
use predicates::prelude::*;

const ID: &str = "2026-11-03-checkout-latency";
const FILE: &str = "postmortems/2026-11-03-checkout-latency.md";

fn broken() -> String {
    valid_with("severity = \"SEV2\"\n", "")
}

/// A repository with one valid postmortem committed.
fn repo() -> Project {
    let project = Project::new();
    project.git_init();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.file("README.md", "# Postmortems\n");
    project.commit_all("initial");
    project
}

fn staged(project: &Project) -> assert_cmd::assert::Assert {
    project.pmbook().args(["lint", "--staged"]).assert()
}

#[test]
fn the_staged_version_is_linted_not_the_working_tree() {
    let project = repo();
    project.postmortem("2026-11-04-b.md", valid_with(ID, "2026-11-04-b"));
    project.git(&["add", "postmortems/2026-11-04-b.md"]);
    project.postmortem("2026-11-04-b.md", broken().replace(ID, "2026-11-04-b"));
    staged(&project)
        .success()
        .stdout("pmbook: 1 file checked, no problems\n");

    project.git(&["add", "postmortems/2026-11-04-b.md"]);
    project.postmortem("2026-11-04-b.md", valid_with(ID, "2026-11-04-b"));
    staged(&project)
        .code(1)
        .stdout(predicate::str::contains(
            "missing required field `severity`",
        ))
        .stdout(predicate::str::contains("postmortems/2026-11-04-b.md"));
}

#[test]
fn nothing_staged_or_only_other_files_exits_at_once() {
    let project = repo();
    // A broken postmortem in the repository that the commit does not touch.
    project.postmortem("2026-01-01-old.md", broken().replace(ID, "2026-01-01-old"));
    project.commit_all("old, broken");
    staged(&project).success().stdout("");

    project.file("README.md", "+++\nnot a postmortem\n");
    project.file("docs/guide.md", "# no front-matter\n");
    project.postmortem("README.md", "# the folder\n");
    project.git(&["add", "-A"]);
    staged(&project).success().stdout("");
}

#[test]
fn a_staged_deletion_leaves_the_cross_checks() {
    let project = repo();
    // Same id as the committed file: a duplicate while both are staged.
    project.postmortem("2026-11-05-copy.md", VALID);
    project.git(&["add", "postmortems/2026-11-05-copy.md"]);
    staged(&project)
        .code(1)
        .stdout(predicate::str::contains("duplicate-id"));

    // Deleted from the index (still on disk): no longer a duplicate.
    project.git(&["rm", "-q", "--cached", FILE]);
    staged(&project).success();
}

#[test]
fn references_resolve_against_staged_postmortems_only() {
    let project = repo();
    project.postmortem(
        "2026-11-06-untracked.md",
        valid_with(ID, "2026-11-06-untracked"),
    );
    let citing = valid_with(
        "visibility = \"internal\"",
        "related = [\"2026-11-06-untracked\", \"2026-11-03-checkout-latency\"]\nvisibility = \"internal\"",
    )
    .replace(&format!("id = \"{ID}\""), "id = \"2026-11-07-citing\"");
    project.postmortem("2026-11-07-citing.md", citing);
    project.git(&["add", "postmortems/2026-11-07-citing.md"]);
    let assert = staged(&project).code(1);
    let out = stdout(assert.get_output());
    assert!(
        out.contains("no postmortem has the id `2026-11-06-untracked`"),
        "{out}"
    );
    assert!(!out.contains("`2026-11-03-checkout-latency`"), "{out}");
}

#[test]
fn a_staged_rename_is_linted_under_its_new_path() {
    let project = repo();
    project.postmortem(
        "2026-11-08-flawed.md",
        broken().replace(ID, "2026-11-08-flawed"),
    );
    project.commit_all("flawed, committed without the hook");
    project.git(&[
        "mv",
        "postmortems/2026-11-08-flawed.md",
        "postmortems/2026-11-08-renamed.md",
    ]);
    staged(&project)
        .code(1)
        .stdout(predicate::str::contains(
            "postmortems/2026-11-08-renamed.md:1:1",
        ))
        .stdout(predicate::str::contains("flawed.md").not());
}

#[test]
fn staged_needs_a_git_repository() {
    let project = Project::new();
    project.postmortem("a.md", VALID);
    staged(&project)
        .code(2)
        .stderr(predicate::str::contains("not in a git repository"));
}

#[test]
fn changed_since_lints_what_a_pull_request_changes() {
    let project = repo();
    project.postmortem("2026-01-01-old.md", broken().replace(ID, "2026-01-01-old"));
    project.commit_all("old, broken, on main");
    project.git(&["checkout", "-q", "-b", "feature"]);
    project.postmortem("2026-11-09-new.md", broken().replace(ID, "2026-11-09-new"));
    project.commit_all("new on the branch");
    project.postmortem("2026-11-10-dup.md", VALID);
    let assert = project
        .pmbook()
        .args(["lint", "--changed-since", "main", "--format", "json"])
        .assert()
        .code(1);
    let json: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let found: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("postmortems/2026-11-09-new.md", "required-field"),
            ("postmortems/2026-11-10-dup.md", "duplicate-id"),
        ]
    );
    project
        .pmbook()
        .args(["lint", "--changed-since", "no-such-branch"])
        .assert()
        .code(2);
}

#[test]
fn commit_lints_a_commit_as_committed() {
    let project = repo();
    project.postmortem("2026-11-09-new.md", broken().replace(ID, "2026-11-09-new"));
    project.commit_all("broken");
    project.postmortem("2026-11-09-new.md", valid_with(ID, "2026-11-09-new"));
    project.commit_all("fixed");
    project
        .pmbook()
        .args(["lint", "--commit", "HEAD"])
        .assert()
        .success();
    project
        .pmbook()
        .args(["lint", "--commit", "HEAD~1", "--changed-since", "HEAD~2"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("postmortems/2026-11-09-new.md"));
}
