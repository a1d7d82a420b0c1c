//! Helpers shared by the integration tests: temp projects on disk and the
//! real `pmbook` binary.
#![allow(dead_code)] // each test crate uses a different subset

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

/// `VALID` with `from` replaced by `to` (which must occur).
pub fn valid_with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "fixture does not contain {from:?}");
    VALID.replacen(from, to, 1)
}
