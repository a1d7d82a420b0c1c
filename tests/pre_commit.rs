//! The pre-commit framework (https://pre-commit.com) installs pmbook from a
//! clone of this repository with `language: rust` and runs it as its users
//! do: on real commits (`git commit`, `git commit -a`), with `pre-commit run
//! --all-files` in a fresh clone, with `--files`, and on a real push.
//! They are ignored by a plain `cargo test` (the framework builds pmbook in
//! release mode, minutes); `tests/run.sh`, the test command, installs the
//! framework and runs them, and without it they fail, saying what to install.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{Project, VALID, git, git_command, stderr, stdout, valid_with};

const ID: &str = "2026-11-03-checkout-latency";
const FILE: &str = "postmortems/2026-11-03-checkout-latency.md";

/// `pre-commit`, run as a Python module: a `pip install` does not always
/// put its script on `PATH` (pyenv needs a rehash), the module is always
/// there. Its store and the cargo build it makes are kept in the target
/// directory, so the release build of pmbook happens once.
fn pre_commit(dir: &Path) -> std::process::Command {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut cmd = std::process::Command::new("python3");
    cmd.args(["-m", "pre_commit"])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", cache.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", cache.join("pre-commit-cargo-target"))
        .env("PATH", common::path_with_pmbook())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NO_COLOR", "1");
    cmd
}

/// Fails the test, saying what to install, when the framework is missing:
/// a test that cannot run must not pass.
fn require_framework() {
    let available = std::process::Command::new("python3")
        .args(["-m", "pre_commit", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        available,
        "these tests run the real pre-commit framework: install it (`python3 -m pip install pre-commit`, or run `tests/run.sh`, which installs what the tests need)"
    );
}

/// A git repository holding the current sources of pmbook, committed with
/// fixed dates so that unchanged sources give the same revision (and
/// pre-commit's cached build is reused across runs). Made once per run.
fn hook_repository() -> &'static (PathBuf, String) {
    static REPO: OnceLock<(PathBuf, String)> = OnceLock::new();
    REPO.get_or_init(|| {
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
    })
}

/// The `.pre-commit-config.yaml` that uses the pmbook under test.
fn config() -> String {
    let (repo, rev) = hook_repository();
    format!(
        "default_install_hook_types: [pre-commit, pre-push]\nrepos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: pmbook-lint\n",
        repo.display()
    )
}

/// A repository with the framework's config and one valid postmortem
/// committed, and the framework's git hooks installed.
fn project() -> Project {
    let project = Project::new();
    project.git_init();
    project.file(".pre-commit-config.yaml", config());
    project.postmortem(&format!("{ID}.md"), VALID);
    project.commit_all("initial");
    let installed = pre_commit(project.path()).arg("install").output().unwrap();
    assert!(installed.status.success(), "{}", output_text(&installed));
    project
}

fn output_text(output: &std::process::Output) -> String {
    format!("{}{}", stdout(output), stderr(output))
}

fn git_run(project: &Project, args: &[&str]) -> std::process::Output {
    git_command(project.path())
        .env(
            "PRE_COMMIT_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-home"),
        )
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-cargo-target"),
        )
        .args(args)
        .output()
        .unwrap()
}

fn broken(id: &str) -> String {
    valid_with("severity = \"SEV2\"\n", "").replace(ID, id)
}

#[test]
#[ignore = "needs the pre-commit framework"]
fn commits_through_the_framework_reject_bad_postmortems_and_accept_good_ones() {
    require_framework();
    let project = project();
    // Duplicate ids at both ends of many names.
    for n in 0..300 {
        let id = format!("2026-10-{:02}-incident-{n:03}", n % 28 + 1);
        project.postmortem(&format!("{id}.md"), VALID.replace(ID, &id));
    }
    project.postmortem("2026-01-01-aaa.md", VALID);
    project.postmortem("2026-12-31-zzz.md", VALID);
    project.git(&["add", "-A"]);
    let output = git_run(&project, &["commit", "-q", "-m", "postmortems"]);
    let err = output_text(&output);
    assert!(
        !output.status.success(),
        "duplicate ids were accepted:\n{err}"
    );
    assert!(err.contains("duplicate-id"), "{err}");
    assert!(
        err.contains("2026-01-01-aaa.md") && err.contains("2026-12-31-zzz.md"),
        "{err}"
    );

    project.postmortem("2026-01-01-aaa.md", valid_with(ID, "2026-01-01-aaa"));
    project.postmortem("2026-12-31-zzz.md", valid_with(ID, "2026-12-31-zzz"));
    project.git(&["add", "-A"]);
    let output = git_run(&project, &["commit", "-q", "-m", "postmortems"]);
    assert!(output.status.success(), "{}", output_text(&output));
}

#[test]
#[ignore = "needs the pre-commit framework"]
fn commit_all_through_the_framework_is_checked() {
    require_framework();
    let project = project();
    let before = project.git(&["rev-parse", "HEAD"]);
    project.postmortem(&format!("{ID}.md"), broken(ID));
    let output = git_run(&project, &["commit", "-q", "-a", "-m", "broken"]);
    assert!(!output.status.success(), "{}", output_text(&output));
    assert!(
        output_text(&output).contains("missing required field `severity`"),
        "{}",
        output_text(&output)
    );
    assert_eq!(project.git(&["rev-parse", "HEAD"]), before);

    project.postmortem(&format!("{ID}.md"), valid_with("SEV2", "SEV3"));
    let output = git_run(&project, &["commit", "-q", "-a", "-m", "valid"]);
    assert!(output.status.success(), "{}", output_text(&output));
}

#[test]
#[ignore = "needs the pre-commit framework"]
fn a_staged_deletion_through_the_framework_reports_dangling_references() {
    require_framework();
    let project = project();
    let citing = valid_with(
        "visibility = \"internal\"",
        &format!("related = [\"{ID}\"]\nvisibility = \"internal\""),
    )
    .replace(&format!("id = \"{ID}\""), "id = \"2026-11-07-citing\"");
    project.postmortem("2026-11-07-citing.md", citing);
    project.commit_all("citing");
    project.git(&["rm", "-q", FILE]);
    let output = git_run(&project, &["commit", "-q", "-m", "remove"]);
    let text = output_text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("broken-reference") && text.contains("2026-11-07-citing.md"),
        "{text}"
    );
}

#[test]
#[ignore = "needs the pre-commit framework"]
fn run_all_files_in_a_fresh_clone_fails_on_a_committed_broken_postmortem() {
    require_framework();
    let upstream = Project::new();
    upstream.git_init();
    upstream.file(".pre-commit-config.yaml", config());
    upstream.postmortem(&format!("{ID}.md"), VALID);
    upstream.postmortem("2026-11-04-b.md", broken("2026-11-04-b"));
    upstream.file("README.md", "# Postmortems\n");
    upstream.commit_all("committed without the hook");

    let clone = tempfile::tempdir().unwrap();
    git(
        clone.path(),
        &["clone", "-q", upstream.path().to_str().unwrap(), "work"],
    );
    let work = clone.path().join("work");
    let output = pre_commit(&work)
        .args(["run", "--all-files"])
        .output()
        .unwrap();
    let text = output_text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("postmortems/2026-11-04-b.md") && text.contains("required-field"),
        "{text}"
    );

    // Fixed and committed: the same run passes.
    std::fs::write(
        work.join("postmortems/2026-11-04-b.md"),
        valid_with(ID, "2026-11-04-b"),
    )
    .unwrap();
    git(&work, &["commit", "-q", "-a", "--no-verify", "-m", "fixed"]);
    let output = pre_commit(&work)
        .args(["run", "--all-files"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", output_text(&output));
}

#[test]
#[ignore = "needs the pre-commit framework"]
fn run_files_lints_them_against_the_rest() {
    require_framework();
    let project = project();
    // A new file, not even staged, that reuses the committed id.
    project.postmortem("2026-11-05-copy.md", VALID);
    let output = pre_commit(project.path())
        .args(["run", "--files", "postmortems/2026-11-05-copy.md"])
        .output()
        .unwrap();
    let text = output_text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("duplicate-id") && text.contains(&format!("also declared in {FILE}")),
        "{text}"
    );

    project.postmortem("2026-11-05-copy.md", valid_with(ID, "2026-11-05-copy"));
    let output = pre_commit(project.path())
        .args(["run", "--files", "postmortems/2026-11-05-copy.md"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", output_text(&output));
}

#[test]
#[ignore = "needs the pre-commit framework"]
fn all_files_split_into_batches_still_finds_duplicate_ids() {
    require_framework();
    let project = project();
    // The framework splits file names into batches of at most 128 KiB of
    // command line; 1,100 names of ~130 bytes need two.
    let slug = "a-long-descriptive-incident-name-".repeat(3);
    for n in 0..1100 {
        let id = format!("2026-10-{:02}-{slug}{n:04}", n % 28 + 1);
        project.postmortem(&format!("{id}.md"), VALID.replace(ID, &id));
    }
    project.postmortem("2026-01-01-aaa.md", valid_with(ID, "2026-12-31-zzz"));
    project.postmortem("2026-12-31-zzz.md", valid_with(ID, "2026-12-31-zzz"));
    project.commit_all("many, committed without the hook");
    let output = pre_commit(project.path())
        .args(["run", "--all-files"])
        .output()
        .unwrap();
    let text = output_text(&output);
    assert!(
        !output.status.success(),
        "{}",
        &text[..text.len().min(4000)]
    );
    assert!(
        text.contains("--> postmortems/2026-01-01-aaa.md")
            && text.contains("--> postmortems/2026-12-31-zzz.md"),
        "{}",
        &text[..text.len().min(4000)]
    );
}

#[test]
#[ignore = "needs the pre-commit framework"]
fn pushes_through_the_framework_lint_what_is_pushed() {
    require_framework();
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare", "-b", "main"]);
    let project = project();
    project.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    let output = git_run(&project, &["push", "-q", "origin", "main"]);
    assert!(output.status.success(), "{}", output_text(&output));

    project.postmortem("2026-11-04-b.md", broken("2026-11-04-b"));
    project.commit_all("broken, bypassing the pre-commit hook");
    let output = git_run(&project, &["push", "-q", "origin", "main"]);
    let text = output_text(&output);
    assert!(!output.status.success(), "the push was accepted: {text}");
    assert!(
        text.contains("missing required field `severity`") && text.contains("2026-11-04-b.md"),
        "{text}"
    );

    project.postmortem("2026-11-04-b.md", valid_with(ID, "2026-11-04-b"));
    project.commit_all("fixed");
    let output = git_run(&project, &["push", "-q", "origin", "main"]);
    assert!(output.status.success(), "{}", output_text(&output));
}

/// The commands of the CI page, by block: each `sh` block's lines, and each
/// `yaml` block's `run:` steps and `script:` items, in order.
fn ci_page_commands() -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    for block in common::book::code_blocks("ci.md") {
        let mut commands = Vec::new();
        match block.lang() {
            "sh" => commands = block.commands(),
            "yaml" => {
                let mut script_indent: Option<usize> = None;
                for line in &block.body {
                    let indent = line.len() - line.trim_start().len();
                    let item = line.trim_start();
                    if script_indent.is_some_and(|i| indent <= i && !item.starts_with("- ")) {
                        script_indent = None;
                    }
                    if let Some(run) = item.strip_prefix("- run: ").or(item.strip_prefix("run: ")) {
                        commands.push(run.to_owned());
                    } else if item == "script:" {
                        script_indent = Some(indent);
                    } else if script_indent.is_some()
                        && let Some(command) = item.strip_prefix("- ")
                    {
                        commands.push(command.to_owned());
                    }
                }
            }
            _ => {}
        }
        if !commands.is_empty() {
            blocks.push(commands);
        }
    }
    blocks
}

#[test]
fn the_ci_page_is_read_as_expected() {
    // The extraction itself, so that a page edit cannot make the next test
    // run nothing.
    let blocks = ci_page_commands();
    let all: Vec<&str> = blocks.iter().flatten().map(String::as_str).collect();
    for expected in [
        "pre-commit run --all-files",
        "cargo install --locked --git \"$PMBOOK_GIT\" pmbook",
        "pmbook lint --format github",
        "pmbook lint --format sarif > pmbook.sarif || [ $? -eq 1 ]",
        "pmbook lint --format gitlab > gl-code-quality-report.json || [ $? -eq 1 ]",
        "pmbook lint --changed-since origin/main",
    ] {
        assert!(all.contains(&expected), "{expected:?} not in {all:#?}");
    }
    assert_eq!(blocks.len(), 4, "{blocks:#?}");
}

/// Runs `command` as a CI runner does (bash, exit on error) in `dir`, with
/// pmbook installed into `root` by the page's own `cargo install`.
fn ci_step(dir: &Path, root: &Path, command: &str) -> std::process::Output {
    let (repo, _) = hook_repository();
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut paths = vec![root.join("bin")];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::process::Command::new("bash")
        .args(["-e", "-c", command])
        .current_dir(dir)
        .env("PATH", std::env::join_paths(paths).unwrap())
        .env("PMBOOK_GIT", format!("file://{}", repo.display()))
        .env("CARGO_INSTALL_ROOT", root)
        .env("CARGO_TARGET_DIR", cache.join("pre-commit-cargo-target"))
        .env("PRE_COMMIT_HOME", cache.join("pre-commit-home"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A repository as CI checks it out: the framework's config, a valid
/// postmortem and, when `broken`, a broken one, all committed; and a
/// `--depth 1` clone of it, as CI checkouts are.
fn ci_checkout(broken_file: bool) -> (Project, tempfile::TempDir) {
    let upstream = Project::new();
    upstream.git_init();
    upstream.file(".pre-commit-config.yaml", config());
    upstream.postmortem(&format!("{ID}.md"), VALID);
    upstream.commit_all("main");
    upstream.git(&["checkout", "-q", "-b", "topic"]);
    if broken_file {
        upstream.postmortem("2026-11-04-b.md", broken("2026-11-04-b"));
    } else {
        upstream.postmortem("2026-11-04-b.md", valid_with(ID, "2026-11-04-b"));
    }
    upstream.commit_all("topic");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", upstream.path().display());
    git(
        clone.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "topic", &url, "work",
        ],
    );
    (upstream, clone)
}

#[test]
#[ignore = "needs the pre-commit framework"]
fn the_ci_page_jobs_run_as_written() {
    require_framework();
    let root = tempfile::tempdir().unwrap();
    for broken_file in [true, false] {
        let (_upstream, clone) = ci_checkout(broken_file);
        let work = clone.path().join("work");
        for block in ci_page_commands() {
            for command in block {
                let output = ci_step(&work, root.path(), &command);
                let text = output_text(&output);
                let code = output.status.code();
                // Steps that only install or write a report pass either way;
                // the lint steps fail exactly when a postmortem is broken.
                let is_check = command.starts_with("pre-commit run")
                    || command == "pmbook lint"
                    || command.starts_with("pmbook lint --format github")
                    || command.starts_with("pmbook lint --changed-since");
                let expected = if broken_file && is_check { 1 } else { 0 };
                assert_eq!(
                    code,
                    Some(expected),
                    "`{command}` (broken: {broken_file}):\n{text}"
                );
            }
        }
        let sarif: serde_json::Value =
            serde_json::from_slice(&std::fs::read(work.join("pmbook.sarif")).unwrap()).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let quality: serde_json::Value = serde_json::from_slice(
            &std::fs::read(work.join("gl-code-quality-report.json")).unwrap(),
        )
        .unwrap();
        let issues = quality.as_array().unwrap();
        let errors = |rule: &str| {
            results
                .iter()
                .filter(|r| r["ruleId"] == rule && r["level"] == "error")
                .count()
        };
        if broken_file {
            assert_eq!(errors("required-field"), 1, "{sarif:#}");
            let found: Vec<(&str, &str, &str)> = issues
                .iter()
                .filter(|i| i["severity"] == "major")
                .map(|i| {
                    (
                        i["check_name"].as_str().unwrap(),
                        i["location"]["path"].as_str().unwrap(),
                        i["fingerprint"].as_str().unwrap(),
                    )
                })
                .collect();
            assert_eq!(found.len(), 1, "{quality:#}");
            assert_eq!(found[0].0, "required-field");
            assert_eq!(found[0].1, "postmortems/2026-11-04-b.md");
            assert_eq!(found[0].2.len(), 16);
        } else {
            assert!(results.iter().all(|r| r["level"] != "error"), "{sarif:#}");
            assert!(
                issues.iter().all(|i| i["severity"] != "major"),
                "{quality:#}"
            );
        }
    }
}
