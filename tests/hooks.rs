//! `pmbook hooks install|uninstall` and the hooks themselves, with real
//! `git commit` and `git push`.

mod common;

use std::path::Path;

use common::{Project, VALID, git_command, stderr, valid_with};
use predicates::prelude::*;

const ID: &str = "2026-11-03-checkout-latency";

fn repo() -> Project {
    let project = Project::new();
    project.git_init();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.commit_all("initial");
    project
}

fn install(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = common::pmbook();
    cmd.current_dir(dir).args(["hooks", "install"]).args(extra);
    cmd.assert()
}

fn commit_count(project: &Project) -> usize {
    project
        .git(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o111 == 0o111
}

#[test]
fn install_writes_executable_hooks_and_is_idempotent() {
    let project = repo();
    install(project.path(), &[])
        .success()
        .stdout(predicate::str::contains("pre-commit: installed"));
    let hooks = project.path().join(".git/hooks");
    for name in ["pre-commit", "pre-push"] {
        let text = std::fs::read_to_string(hooks.join(name)).unwrap();
        let shipped = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("hooks")
                .join(name),
        )
        .unwrap();
        assert_eq!(text, shipped);
        #[cfg(unix)]
        assert!(is_executable(&hooks.join(name)));
    }
    install(project.path(), &[])
        .success()
        .stdout("pre-commit: already installed\npre-push: already installed\n");
}

#[test]
fn a_foreign_hook_is_never_overwritten() {
    let project = repo();
    let hook = project.path().join(".git/hooks/pre-commit");
    let foreign = "#!/bin/sh\necho foreign >> \"$(git rev-parse --git-dir)/foreign-ran\"\n";
    std::fs::write(&hook, foreign).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    install(project.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("--chain"));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), foreign);
    assert!(
        !project.path().join(".git/hooks/pre-push").exists(),
        "nothing is changed on refusal"
    );

    install(project.path(), &["--chain"])
        .success()
        .stdout(predicate::str::contains("runs first"));
    project.postmortem("2026-11-04-b.md", valid_with(ID, "2026-11-04-b"));
    project.git(&["add", "-A"]);
    let output = git_command(project.path())
        .args(["commit", "-q", "-m", "b"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        project.path().join(".git/foreign-ran").exists(),
        "the chained hook ran"
    );

    common::pmbook()
        .current_dir(project.path())
        .args(["hooks", "uninstall"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "the previous hook is back in place",
        ));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), foreign);
    assert!(!project.path().join(".git/hooks/pre-push").exists());
}

#[test]
fn uninstall_leaves_foreign_hooks_alone() {
    let project = repo();
    let hook = project.path().join(".git/hooks/pre-push");
    std::fs::write(&hook, "#!/bin/sh\nexit 0\n").unwrap();
    common::pmbook()
        .current_dir(project.path())
        .args(["hooks", "uninstall"])
        .assert()
        .success()
        .stdout("pre-commit: not installed\npre-push: not installed by pmbook; left as it is\n");
    assert!(hook.exists());
}

#[test]
fn install_honours_core_hooks_path_and_subdirectories() {
    let project = repo();
    project.git(&["config", "core.hooksPath", ".githooks"]);
    install(&project.path().join("postmortems"), &[]).success();
    assert!(project.path().join(".githooks/pre-commit").exists());
    assert!(!project.path().join(".git/hooks/pre-commit").exists());
}

#[test]
fn install_from_a_linked_worktree_uses_the_shared_hooks() {
    let project = repo();
    let worktree = tempfile::tempdir().unwrap();
    let wt = worktree.path().join("wt");
    project.git(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    install(&wt, &[]).success();
    assert!(project.path().join(".git/hooks/pre-commit").exists());

    // The hook works in the linked worktree too.
    std::fs::write(
        wt.join("postmortems/2026-11-04-b.md"),
        valid_with("severity = \"SEV2\"\n", "").replace(ID, "2026-11-04-b"),
    )
    .unwrap();
    common::git(&wt, &["add", "-A"]);
    let output = git_command(&wt)
        .args(["commit", "-q", "-m", "broken"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("missing required field `severity`"));
}

#[test]
fn real_commits_are_checked_by_the_hook() {
    let project = repo();
    install(project.path(), &[]).success();
    let before = commit_count(&project);

    project.postmortem(
        "2026-11-04-b.md",
        valid_with("severity = \"SEV2\"\n", "").replace(ID, "2026-11-04-b"),
    );
    project.git(&["add", "-A"]);
    let output = git_command(project.path())
        .args(["commit", "-q", "-m", "broken"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("error[required-field]: missing required field `severity`"),
        "{err}"
    );
    assert!(err.contains("git commit --no-verify"), "{err}");
    assert_eq!(commit_count(&project), before, "nothing was committed");

    project.postmortem("2026-11-04-b.md", valid_with(ID, "2026-11-04-b"));
    project.git(&["add", "-A"]);
    let output = git_command(project.path())
        .args(["commit", "-q", "-m", "valid"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(commit_count(&project), before + 1);

    // A commit without postmortems passes silently, even with a broken
    // postmortem elsewhere in the repository.
    project.postmortem("2026-01-01-old.md", "not a postmortem");
    project.commit_all("broken, bypassing the hook");
    project.file("README.md", "# Postmortems\n");
    project.git(&["add", "README.md"]);
    let output = git_command(project.path())
        .args(["commit", "-q", "-m", "readme"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn the_hook_says_what_to_do_without_pmbook() {
    let project = repo();
    install(project.path(), &[]).success();
    project.postmortem("2026-11-04-b.md", valid_with(ID, "2026-11-04-b"));
    project.git(&["add", "-A"]);
    let output = git_command(project.path())
        .env("PATH", "/usr/bin:/bin")
        .args(["commit", "-q", "-m", "b"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("needs pmbook on PATH") && err.contains("--no-verify"),
        "{err}"
    );
}

#[test]
fn pushes_of_broken_postmortems_are_rejected() {
    let remote = tempfile::tempdir().unwrap();
    common::git(remote.path(), &["init", "-q", "--bare", "-b", "main"]);
    let project = repo();
    project.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    project.git(&["push", "-q", "origin", "main"]);
    install(project.path(), &[]).success();

    project.postmortem(
        "2026-11-04-b.md",
        valid_with("severity = \"SEV2\"\n", "").replace(ID, "2026-11-04-b"),
    );
    project.commit_all("broken, bypassing the pre-commit hook");
    let output = git_command(project.path())
        .args(["push", "-q", "origin", "main"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("missing required field `severity`") && err.contains("push rejected"),
        "{err}"
    );

    project.postmortem("2026-11-04-b.md", valid_with(ID, "2026-11-04-b"));
    project.commit_all("fixed");
    let output = git_command(project.path())
        .args(["push", "-q", "origin", "main"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));

    // A new branch is compared with the remote's default branch.
    project.git(&["remote", "set-head", "origin", "main"]);
    project.git(&["checkout", "-q", "-b", "topic"]);
    project.file("notes.txt", "x");
    project.commit_all("no postmortem");
    let output = git_command(project.path())
        .args(["push", "-q", "origin", "topic"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

/// The ways of committing that hand the pre-commit hook a temporary index
/// in `GIT_INDEX_FILE` (or stage more than the index holds).
const COMMIT_FORMS: &[(&str, &[&str])] = &[
    ("commit -a", &["commit", "-q", "-a", "-m", "x"]),
    ("commit PATH", &["commit", "-q", "-m", "x", FILE]),
    (
        "commit --only PATH",
        &["commit", "-q", "--only", "-m", "x", FILE],
    ),
    (
        "commit --include PATH",
        &["commit", "-q", "--include", "-m", "x", FILE],
    ),
];

const FILE: &str = "postmortems/2026-11-03-checkout-latency.md";

fn head(project: &Project) -> String {
    project.git(&["rev-parse", "HEAD"])
}

fn git_commit(project: &Project, args: &[&str]) -> std::process::Output {
    git_command(project.path()).args(args).output().unwrap()
}

#[test]
fn every_way_of_committing_is_checked() {
    for (form, args) in COMMIT_FORMS {
        let project = repo();
        install(project.path(), &[]).success();
        let before = head(&project);

        // The change exists only in the work tree: the form stages it.
        project.postmortem(&format!("{ID}.md"), valid_with("severity = \"SEV2\"\n", ""));
        let output = git_commit(&project, args);
        let err = stderr(&output);
        assert!(
            !output.status.success(),
            "`git {form}` accepted a broken postmortem"
        );
        assert!(
            err.contains("missing required field `severity`"),
            "`git {form}`: {err}"
        );
        assert_eq!(head(&project), before, "`git {form}` committed");

        project.postmortem(&format!("{ID}.md"), valid_with("SEV2", "SEV3"));
        let output = git_commit(&project, args);
        assert!(output.status.success(), "`git {form}`: {}", stderr(&output));
        assert_ne!(head(&project), before, "`git {form}` did not commit");
        assert!(
            project
                .git(&["show", &format!("HEAD:{FILE}")])
                .contains("SEV3"),
            "`git {form}`"
        );
    }
}

#[test]
fn commit_path_checks_its_own_index_not_the_staged_one() {
    let project = repo();
    install(project.path(), &[]).success();
    // A broken postmortem is staged, but `git commit PATH` commits only PATH.
    project.postmortem(
        "2026-11-04-b.md",
        valid_with("severity = \"SEV2\"\n", "").replace(ID, "2026-11-04-b"),
    );
    project.git(&["add", "postmortems/2026-11-04-b.md"]);
    project.postmortem(&format!("{ID}.md"), valid_with("SEV2", "SEV3"));
    let output = git_commit(&project, &["commit", "-q", "-m", "x", FILE]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The broken one is still staged, and a plain commit now refuses it.
    let output = git_commit(&project, &["commit", "-q", "-m", "y"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("2026-11-04-b.md"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn amend_is_checked() {
    let project = repo();
    install(project.path(), &[]).success();
    let before = head(&project);
    project.postmortem(&format!("{ID}.md"), valid_with("severity = \"SEV2\"\n", ""));
    project.git(&["add", "-A"]);
    let output = git_commit(&project, &["commit", "-q", "--amend", "-m", "amended"]);
    assert!(!output.status.success(), "a broken amend was accepted");
    assert!(stderr(&output).contains("missing required field `severity`"));
    assert_eq!(head(&project), before, "nothing was amended");

    project.postmortem(&format!("{ID}.md"), valid_with("SEV2", "SEV3"));
    let output = git_commit(
        &project,
        &["commit", "-q", "-a", "--amend", "-m", "amended"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_ne!(head(&project), before);
    assert_eq!(commit_count(&project), 1, "amended, not added");
}

#[test]
fn a_valid_staged_version_is_committed_whatever_the_work_tree_holds() {
    let project = repo();
    install(project.path(), &[]).success();
    project.postmortem(&format!("{ID}.md"), valid_with("SEV2", "SEV3"));
    project.git(&["add", "-A"]);
    project.postmortem(&format!("{ID}.md"), "broken in the work tree only");
    let output = git_commit(&project, &["commit", "-q", "-m", "staged is valid"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        project
            .git(&["show", &format!("HEAD:{FILE}")])
            .contains("SEV3")
    );
}

#[test]
fn a_deletion_that_breaks_references_is_rejected_by_the_hook() {
    let project = repo();
    let citing = valid_with(
        "visibility = \"internal\"",
        &format!("related = [\"{ID}\"]\nvisibility = \"internal\""),
    )
    .replace(&format!("id = \"{ID}\""), "id = \"2026-11-07-citing\"");
    project.postmortem("2026-11-07-citing.md", citing);
    project.commit_all("citing");
    install(project.path(), &[]).success();
    project.git(&["rm", "-q", FILE]);
    let output = git_commit(&project, &["commit", "-q", "-m", "remove"]);
    assert!(!output.status.success(), "the deletion was accepted");
    let err = stderr(&output);
    assert!(
        err.contains("error[broken-reference]") && err.contains("2026-11-07-citing.md"),
        "{err}"
    );
}
