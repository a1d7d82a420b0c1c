//! `pmbook lint --staged`, `--changed-since` and `--commit` on real git
//! repositories: what is linted is what git holds, not the working tree.

mod common;

use common::{Project, VALID, findings, stdout, valid_with};
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
    let found = findings(assert.get_output());
    assert_eq!(
        pairs(&found),
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

/// `VALID` with id `id` and `related = [..names]`.
fn citing(id: &str, names: &[&str]) -> String {
    let related = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    valid_with(
        "visibility = \"internal\"",
        &format!("related = [{related}]\nvisibility = \"internal\""),
    )
    .replace(&format!("id = \"{ID}\""), &format!("id = \"{id}\""))
}

/// A repository where two postmortems name the first one in `related`.
fn cited_repo() -> Project {
    let project = repo();
    project.postmortem("2026-11-07-b.md", citing("2026-11-07-b", &[ID]));
    project.postmortem("2026-11-08-c.md", citing("2026-11-08-c", &[ID]));
    project.postmortem("2026-11-09-d.md", valid_with(ID, "2026-11-09-d"));
    project.commit_all("citing");
    project
}

fn staged_json(project: &Project) -> std::process::Output {
    project
        .pmbook()
        .args(["lint", "--staged", "--format", "json"])
        .output()
        .unwrap()
}

const DANGLING: [(&str, &str); 2] = [
    ("postmortems/2026-11-07-b.md", "broken-reference"),
    ("postmortems/2026-11-08-c.md", "broken-reference"),
];

fn pairs(found: &[(String, String)]) -> Vec<(&str, &str)> {
    found
        .iter()
        .map(|(p, r)| (p.as_str(), r.as_str()))
        .collect()
}

#[test]
fn a_staged_deletion_reports_the_postmortems_still_naming_it() {
    let project = cited_repo();
    project.git(&["rm", "-q", FILE]);
    let output = staged_json(&project);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(pairs(&findings(&output)), DANGLING);
}

#[test]
fn a_staged_rename_that_keeps_the_id_passes() {
    let project = cited_repo();
    project.git(&["mv", FILE, "postmortems/2026-11-03-renamed.md"]);
    staged(&project).success();
}

#[test]
fn a_staged_rename_that_changes_the_id_reports_the_old_names() {
    let project = cited_repo();
    project.git(&["mv", FILE, "postmortems/2026-11-03-renamed.md"]);
    project.postmortem(
        "2026-11-03-renamed.md",
        valid_with(ID, "2026-11-03-renamed"),
    );
    project.git(&["add", "-A"]);
    let output = staged_json(&project);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(pairs(&findings(&output)), DANGLING);
}

#[test]
fn a_staged_id_change_in_place_reports_the_old_names() {
    let project = cited_repo();
    project.postmortem(
        &format!("{ID}.md"),
        valid_with(&format!("id = \"{ID}\""), "id = \"2026-11-03-other\""),
    );
    project.git(&["add", "-A"]);
    let output = staged_json(&project);
    assert_eq!(pairs(&findings(&output)), DANGLING);
}

#[test]
fn a_deletion_whose_id_lives_on_elsewhere_passes() {
    let project = cited_repo();
    // Another file takes the id over in the same change.
    project.postmortem("2026-11-09-d.md", VALID);
    project.git(&["rm", "-q", FILE]);
    project.git(&["add", "-A"]);
    staged(&project).success();
}

#[test]
fn a_pushed_deletion_reports_the_postmortems_still_naming_it() {
    let project = cited_repo();
    project.git(&["rm", "-q", FILE]);
    project.git(&["commit", "-q", "--no-verify", "-m", "remove"]);
    let output = project
        .pmbook()
        .args([
            "lint",
            "--commit",
            "HEAD",
            "--changed-since",
            "HEAD~1",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(pairs(&findings(&output)), DANGLING);
}

#[test]
fn a_deletion_on_a_branch_reports_the_postmortems_still_naming_it() {
    let project = cited_repo();
    project.git(&["checkout", "-q", "-b", "feature"]);
    project.git(&["rm", "-q", FILE]);
    project.git(&["commit", "-q", "--no-verify", "-m", "remove"]);
    let output = project
        .pmbook()
        .args(["lint", "--changed-since", "main", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(pairs(&findings(&output)), DANGLING);
}

/// An upstream repository whose `main` moved on after branch `topic`
/// (with a broken postmortem) left it, and a `--depth 1` clone of `topic`.
fn shallow_clone() -> (Project, tempfile::TempDir, Project) {
    let upstream = repo();
    upstream.git(&["checkout", "-q", "-b", "topic"]);
    upstream.postmortem("2026-11-09-new.md", broken().replace(ID, "2026-11-09-new"));
    upstream.commit_all("topic: broken");
    upstream.git(&["checkout", "-q", "main"]);
    upstream.postmortem("2026-11-10-main.md", valid_with(ID, "2026-11-10-main"));
    upstream.commit_all("main moves on");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", upstream.path().display());
    common::git(
        clone.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "topic", &url, "work",
        ],
    );
    let work = Project {
        dir: tempfile::TempDir::new_in(clone.path()).unwrap(),
    };
    std::fs::remove_dir(work.path()).unwrap();
    std::fs::rename(clone.path().join("work"), work.path()).unwrap();
    (work, clone, upstream)
}

#[test]
fn changed_since_in_a_shallow_clone_without_the_revision_says_how_to_fetch_it() {
    let (work, _clone, _upstream) = shallow_clone();
    work.pmbook()
        .args(["lint", "--changed-since", "origin/main"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shallow clone"))
        .stderr(predicate::str::contains(
            "git fetch --depth=1 origin main:refs/remotes/origin/main",
        ))
        .stderr(predicate::str::contains("fetch-depth: 0"));
}

#[test]
fn changed_since_in_a_shallow_clone_compares_with_the_revision_and_says_so() {
    let (work, _clone, _upstream) = shallow_clone();
    work.git(&[
        "fetch",
        "-q",
        "--depth=1",
        "origin",
        "main:refs/remotes/origin/main",
    ]);
    let output = work
        .pmbook()
        .args(["lint", "--changed-since", "origin/main", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    assert_eq!(
        pairs(&findings(&output)),
        [("postmortems/2026-11-09-new.md", "required-field")]
    );
    let err = common::stderr(&output);
    assert!(
        err.contains("does not hold the merge base") && err.contains("git fetch --deepen"),
        "{err}"
    );
    // With the history deepened, the merge base is used and nothing is noted.
    work.git(&["fetch", "-q", "--unshallow", "origin"]);
    let output = work
        .pmbook()
        .args(["lint", "--changed-since", "origin/main"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(common::stderr(&output), "");
}
