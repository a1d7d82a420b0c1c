//! The pre-commit framework (https://pre-commit.com) installs pmbook from a
//! clone of this repository with `language: rust` and runs it on a real
//! commit. CI installs `pre-commit` from PyPI and sets
//! `PMBOOK_REQUIRE_PRE_COMMIT=1`, so the test cannot be skipped there.

mod common;

use std::path::{Path, PathBuf};

use common::{Project, VALID, git, git_command, stderr, valid_with};

const ID: &str = "2026-11-03-checkout-latency";

/// `pre-commit`, run as a Python module: a `pip install` does not always
/// put its script on `PATH` (pyenv needs a rehash), the module is always
/// there.
fn pre_commit() -> std::process::Command {
    let mut cmd = std::process::Command::new("python3");
    cmd.args(["-m", "pre_commit"]);
    cmd
}

fn pre_commit_available() -> bool {
    pre_commit()
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A git repository holding the current sources of pmbook, committed with
/// fixed dates so that unchanged sources give the same revision (and
/// pre-commit's cached build is reused across runs).
fn hook_repository() -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pmbook-hook-repo");
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(&repo).unwrap();
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        ".pre-commit-hooks.yaml",
        "README.md",
    ] {
        std::fs::copy(root.join(file), repo.join(file)).unwrap();
    }
    for dir in ["src", "hooks", "schema"] {
        if root.join(dir).is_dir() {
            common::copy_dir(&root.join(dir), &repo.join(dir));
        }
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    let status = git_command(&repo)
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .args(["commit", "-q", "-m", "pmbook sources"])
        .status()
        .unwrap();
    assert!(status.success());
    let rev = git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    (repo, rev)
}

fn commit(project: &Project) -> std::process::Output {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"));
    git_command(project.path())
        .env("PRE_COMMIT_HOME", cache.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", cache.join("pre-commit-cargo-target"))
        .args(["commit", "-q", "-m", "postmortems"])
        .output()
        .unwrap()
}

#[test]
fn the_pre_commit_framework_rejects_bad_postmortems_and_accepts_good_ones() {
    if !pre_commit_available() {
        assert!(
            std::env::var_os("PMBOOK_REQUIRE_PRE_COMMIT").is_none(),
            "pre-commit is required here but not installed (pip install pre-commit)"
        );
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let (hook_repo, rev) = hook_repository();
    let project = Project::new();
    project.git_init();
    project.file(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: pmbook-lint\n",
            hook_repo.display()
        ),
    );
    project.commit_all("pre-commit config");
    let installed = pre_commit()
        .current_dir(project.path())
        .arg("install")
        .env(
            "PRE_COMMIT_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-home"),
        )
        .output()
        .unwrap();
    assert!(
        installed.status.success(),
        "{}{}",
        common::stdout(&installed),
        stderr(&installed)
    );

    // Enough files for the framework to split them into batches if it
    // passed names; the duplicate ids sit at both ends.
    for n in 0..300 {
        let id = format!("2026-10-{:02}-incident-{n:03}", n % 28 + 1);
        project.postmortem(&format!("{id}.md"), VALID.replace(ID, &id));
    }
    project.postmortem("2026-01-01-aaa.md", VALID);
    project.postmortem("2026-12-31-zzz.md", VALID);
    project.git(&["add", "-A"]);
    let output = commit(&project);
    let err = format!("{}{}", common::stdout(&output), stderr(&output));
    assert!(
        !output.status.success(),
        "the duplicate ids were accepted:\n{err}"
    );
    assert!(err.contains("duplicate-id"), "{err}");
    assert!(
        err.contains("2026-01-01-aaa.md") && err.contains("2026-12-31-zzz.md"),
        "{err}"
    );

    project.postmortem("2026-12-31-zzz.md", valid_with(ID, "2026-12-31-zzz"));
    project.git(&["add", "-A"]);
    let output = commit(&project);
    assert!(
        output.status.success(),
        "{}{}",
        common::stdout(&output),
        stderr(&output)
    );
}
