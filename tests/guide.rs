//! The guide tells the truth: every shell block of `book/src` that is meant
//! to be run (`sh`, `bash`, `console`; see `common::book`) runs as written,
//! with the pmbook under test on `PATH`, in a project such as the guide
//! describes: a git repository holding the example's postmortems, the
//! pmbook checkout's `book/example` and `book/example-fr`, and an
//! `old-postmortems/` archive to import.

mod common;

use std::path::Path;
use std::process::Command;

use common::book::{CodeBlock, code_blocks, pages};

/// The CI page's blocks run in a CI checkout with the pre-commit framework
/// (tests/pre_commit.rs, `the_ci_page_jobs_run_as_written`).
const RUN_ELSEWHERE: &[&str] = &["ci.md"];

/// A fresh project in `dir/project`, committed, and a home directory in
/// `dir/home`.
fn project(dir: &Path) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = dir.join("project");
    let example = root.join("book/example");
    common::copy_dir(&example, &project);
    common::copy_dir(&example, &project.join("book/example"));
    common::copy_dir(
        &root.join("book/example-fr"),
        &project.join("book/example-fr"),
    );
    common::copy_dir(
        &root.join("tests/fixtures/import/archive"),
        &project.join("old-postmortems"),
    );
    std::fs::create_dir(dir.join("home")).unwrap();
    common::git(&project, &["init", "-q", "-b", "main"]);
    common::git(&project, &["add", "-A"]);
    common::git(&project, &["commit", "-q", "-m", "postmortems"]);
    project
}

/// Runs the block's commands as one script (bash, exit on the first
/// failure) in a fresh project; the error, if it fails.
fn run(block: &CodeBlock) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    let script = block.commands().join("\n");
    let output = Command::new("timeout")
        .args(["120", "bash", "-e", "-c", &script])
        .current_dir(&project)
        .stdin(std::process::Stdio::null())
        .env("PATH", common::path_with_pmbook())
        .env("HOME", dir.path().join("home"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{} ({}):\n{script}\n--- output:\n{}{}",
        block.location(),
        output.status,
        common::stdout(&output),
        common::stderr(&output)
    ))
}

/// The blocks the guide means to be run, outside the pages run elsewhere.
fn runnable_blocks() -> Vec<CodeBlock> {
    pages()
        .iter()
        .filter(|page| !RUN_ELSEWHERE.contains(&page.as_str()))
        .flat_map(|page| code_blocks(page))
        .filter(CodeBlock::runnable)
        .collect()
}

#[test]
fn the_guide_s_blocks_are_read_as_expected() {
    // The extraction itself, so that a page edit cannot make the next test
    // run nothing.
    let blocks = runnable_blocks();
    let commands: Vec<String> = blocks.iter().flat_map(CodeBlock::commands).collect();
    for expected in [
        "pmbook -C book/example lint --today 2026-11-23",
        "pmbook import old-postmortems/",
        "pmbook hooks install",
        "pmbook build --public        # the public edition",
    ] {
        assert!(
            commands.iter().any(|c| c == expected),
            "{expected:?} not in {commands:#?}"
        );
    }
    assert!(
        !commands.iter().any(|c| c.starts_with("cargo install")),
        "{commands:#?}"
    );
    // Every shell-like block is either run or marked `norun`.
    for page in pages() {
        for block in code_blocks(&page) {
            if matches!(block.lang(), "sh" | "bash" | "console" | "shell") {
                assert!(
                    block.runnable() || block.info == "sh,norun",
                    "{}: info string `{}`: use sh, bash, console or sh,norun",
                    block.location(),
                    block.info
                );
            }
        }
    }
}

#[test]
#[ignore = "needs jq and man: bash tests/run.sh installs them"]
fn every_shell_block_of_the_guide_runs_as_written() {
    for (tool, package) in [("jq", "jq"), ("man", "man-db")] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .unwrap();
        assert!(
            found.status.success(),
            "the guide's blocks use {tool}: install it (Debian: apt-get install {package}; \
             bash tests/run.sh does)"
        );
    }
    let blocks = runnable_blocks();
    let failed: Vec<String> = blocks.iter().filter_map(|b| run(b).err()).collect();
    assert!(
        failed.is_empty(),
        "{} of {} blocks of the guide fail as written:\n\n{}",
        failed.len(),
        blocks.len(),
        failed.join("\n\n")
    );
}
