//! Helpers shared by the integration tests: temp projects on disk and the
//! real `pmbook` binary.
#![allow(dead_code)] // each test crate uses a different subset

pub mod book;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// "Today" for every test, so overdue checks are deterministic.
pub const TODAY: &str = "2026-11-23";

/// A fully valid postmortem (id `2026-11-03-checkout-latency`).
pub const VALID: &str = include_str!("../fixtures/valid.md");

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A temporary project directory.
pub struct Project {
    pub dir: TempDir,
}

impl Project {
    /// An empty project with a `postmortems/` directory.
    pub fn new() -> Project {
        let dir = tempfile::Builder::new()
            .prefix("pmbook-test")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir(dir.path().join("postmortems")).expect("postmortems dir");
        Project { dir }
    }

    /// A copy of the bundled example repository, `book/example`.
    pub fn example() -> Project {
        let project = Project::new();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("book/example"),
            project.path(),
        );
        project
    }

    /// A project holding a copy of `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> Project {
        let project = Project::new();
        copy_dir(&fixtures().join(name), project.path());
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `relative`, creating parent directories.
    pub fn file(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Project {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
        self
    }

    /// Writes a postmortem under `postmortems/`.
    pub fn postmortem(&self, name: &str, contents: impl AsRef<[u8]>) -> &Project {
        self.file(&format!("postmortems/{name}"), contents)
    }

    /// `pmbook` run in the project, with a fixed date and no colour.
    pub fn pmbook(&self) -> Command {
        let mut cmd = pmbook();
        cmd.current_dir(self.path());
        cmd
    }

    /// Builds the site into `out/` with `extra` arguments, asserting that
    /// the build succeeds; returns the output directory.
    pub fn build(&self, extra: &[&str]) -> PathBuf {
        let output = self
            .pmbook()
            .args(["build", "--out", "out"])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        self.path().join("out")
    }
}

/// The binary under test, with a fixed "today" and no colour.
pub fn pmbook() -> Command {
    let mut cmd = Command::cargo_bin("pmbook").expect("the pmbook binary is built");
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .args(["--today", TODAY]);
    cmd
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The output of a finished command as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// `(path, rule)` of every diagnostic of a `--format json` report.
pub fn findings(output: &std::process::Output) -> Vec<(String, String)> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    json["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().expect("a path").to_owned(),
                d["rule"].as_str().expect("a rule").to_owned(),
            )
        })
        .collect()
}

/// `VALID` with `from` replaced by `to` (which must occur).
pub fn valid_with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "fixture does not contain {from:?}");
    VALID.replacen(from, to, 1)
}

/// Runs `git` in `dir` with a fixed identity and no user or system config,
/// and returns its stdout; panics when git fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = git_command(dir).args(args).output().expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A `git` command in `dir` with a fixed identity and no user or system
/// config; `PATH` starts with the directory of the pmbook under test, so
/// installed hooks find it.
pub fn git_command(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("NO_COLOR", "1")
        .env("PATH", path_with_pmbook());
    cmd
}

/// `PATH` with the directory of the pmbook binary under test first.
pub fn path_with_pmbook() -> std::ffi::OsString {
    let binary = assert_cmd::cargo::cargo_bin("pmbook");
    let mut paths = vec![binary.parent().expect("bin dir").to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("PATH joins")
}

impl Project {
    /// Makes the project a git repository (branch `main`).
    pub fn git_init(&self) -> &Project {
        git(self.path(), &["init", "-q", "-b", "main"]);
        self
    }

    pub fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }

    /// Stages everything and commits without running hooks.
    pub fn commit_all(&self, message: &str) -> &Project {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--no-verify", "-m", message]);
        self
    }
}
