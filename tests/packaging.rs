//! What users install: the crate cargo packages, its declared minimum Rust,
//! the release binary's size, the shell completions and the man page, each
//! checked with the real tool (cargo, bash, zsh, fish, man).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{stderr, stdout};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn succeeded(output: Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}{}",
        output.status,
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

/// `1.89` and `1.89.0` are the same version.
fn version(text: &str) -> [u64; 3] {
    let mut parts = [0; 3];
    for (part, n) in parts.iter_mut().zip(text.split('.')) {
        *part = n.parse().unwrap();
    }
    parts
}

#[test]
fn rust_version_covers_every_locked_dependency() {
    let metadata = succeeded(
        cargo()
            .args(["metadata", "--locked", "--format-version", "1"])
            .output()
            .unwrap(),
        "cargo metadata",
    );
    let metadata: serde_json::Value = serde_json::from_str(&metadata).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let ours = packages.iter().find(|p| p["name"] == "pmbook").unwrap();
    let declared = version(ours["rust_version"].as_str().unwrap());
    let newer: Vec<String> = packages
        .iter()
        .filter(|p| p["name"] != "pmbook")
        .filter_map(|p| {
            let needed = p["rust_version"].as_str()?;
            (version(needed) > declared)
                .then(|| format!("{} {} needs {needed}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        newer.is_empty(),
        "rust-version in Cargo.toml is older than what these locked dependencies need:\n{}",
        newer.join("\n")
    );
}

#[test]
fn the_package_holds_the_theme_schema_and_templates() {
    let list = succeeded(
        cargo()
            .args(["package", "--locked", "--list", "--allow-dirty"])
            .output()
            .unwrap(),
        "cargo package --list",
    );
    let files: Vec<&str> = list.lines().collect();
    // Every file the sources embed with `include_str!`/`include_bytes!`,
    // and the hooks and schemas users are pointed to.
    for file in [
        "Cargo.lock",
        "README.md",
        "schema/pmbook.schema.json",
        "schema/postmortem.schema.json",
        "schema/pmbook.toml",
        "schema/template.md",
        "schema/template.fr.md",
        "hooks/pre-commit",
        "hooks/pre-push",
        "src/site/theme/assets/pmbook.css",
        "src/site/theme/assets/pmbook.js",
        "src/site/theme/assets/search.js",
        "src/site/theme/templates/base.html",
        "src/site/theme/templates/incident.html",
        "src/site/theme/templates/feed.xml",
        "src/site/theme/templates/macros.html",
    ] {
        assert!(
            files.contains(&file),
            "{file} is not in the package:\n{list}"
        );
    }
    for dir in ["src/site/theme/templates", "src/site/theme/assets"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let name = format!("{dir}/{}", entry.unwrap().file_name().to_str().unwrap());
            assert!(
                files.contains(&name.as_str()),
                "{name} is not in the package"
            );
        }
    }
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("target/") || f.starts_with("bench/"))
    );
}

/// Builds the release binary as `cargo install` does (in the target
/// directory the pre-commit tests use for the same build).
#[test]
#[ignore = "builds pmbook in release mode (minutes)"]
fn the_release_binary_is_under_20_mb() {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-cargo-target");
    succeeded(
        cargo()
            .args(["build", "--release", "--locked", "--bin", "pmbook"])
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap(),
        "cargo build --release",
    );
    let size = std::fs::metadata(target.join("release/pmbook"))
        .unwrap()
        .len();
    assert!(
        size < 20 * 1024 * 1024,
        "the release binary has {size} bytes"
    );
}

fn generated(args: &[&str], file: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packaging");
    std::fs::create_dir_all(&dir).unwrap();
    let output = common::pmbook().args(args).output().unwrap();
    let path = dir.join(file);
    std::fs::write(&path, succeeded(output, &format!("pmbook {args:?}"))).unwrap();
    path
}

/// Runs `shell` with `args`, failing loudly when it is not installed.
fn shell(shell: &str, args: &[&str]) -> String {
    let output = Command::new(shell).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {shell} ({e}): install it (Debian: apt-get install {shell})")
    });
    let err = stderr(&output);
    assert!(err.is_empty(), "{shell} wrote to standard error:\n{err}");
    succeeded(output, shell)
}

#[test]
#[ignore = "needs bash, zsh and fish"]
fn completions_load_and_complete_in_bash_zsh_and_fish() {
    let bash = generated(&["completions", "bash"], "pmbook.bash");
    let completed = shell(
        "bash",
        &[
            "-c",
            r#"source "$1" && COMP_WORDS=(pmbook li) COMP_CWORD=1 COMP_LINE="pmbook li" COMP_POINT=9 && _pmbook pmbook li pmbook && printf '%s\n' "${COMPREPLY[@]}""#,
            "bash",
            bash.to_str().unwrap(),
        ],
    );
    assert_eq!(completed, "lint\n");

    let fish = generated(&["completions", "fish"], "pmbook.fish");
    let completed = shell(
        "fish",
        &[
            "-c",
            "source $argv[1]; and complete -C 'pmbook li'",
            fish.to_str().unwrap(),
        ],
    );
    assert!(completed.starts_with("lint\t"), "{completed}");
    let completed = shell(
        "fish",
        &[
            "-c",
            "source $argv[1]; and complete -C 'pmbook lint --for'",
            fish.to_str().unwrap(),
        ],
    );
    assert!(completed.starts_with("--format"), "{completed}");

    // zsh completes only at a terminal; loading the script must register
    // its function for `pmbook`.
    let zsh = generated(&["completions", "zsh"], "_pmbook");
    let registered = shell(
        "zsh",
        &[
            "-fc",
            r#"autoload -U compinit && compinit -u -D && source "$1" && print -r -- $_comps[pmbook] && (( $+functions[_pmbook] ))"#,
            "zsh",
            zsh.to_str().unwrap(),
        ],
    );
    assert_eq!(registered, "_pmbook\n");
}

#[test]
#[ignore = "needs man (man-db)"]
fn the_man_page_renders_without_warnings() {
    let page = generated(&["man"], "pmbook.1");
    let output = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(&page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run man ({e}): install it (Debian: apt-get install man-db)")
        });
    let err = stderr(&output);
    assert!(err.is_empty(), "man warns:\n{err}");
    let text = succeeded(output, "man -l");
    for part in [
        "NAME",
        "SYNOPSIS",
        "SUBCOMMANDS",
        "pmbook-lint(1)",
        "VERSION",
    ] {
        assert!(text.contains(part), "no {part} in:\n{text}");
    }
}

/// What a user gets from the registry: `cargo publish --dry-run` packages
/// the crate and resolves its dependencies against crates.io, then the
/// packaged `.crate`, unpacked as cargo unpacks a download, is installed
/// with `cargo install --locked` and run on a small project. The install
/// is the build that `publish` would verify the package with
/// (`--no-verify` skips that second, debug build), in release mode as
/// users build it, sharing the target directory of the other release
/// builds so that only pmbook compiles.
#[test]
#[ignore = "needs the crates.io registry and builds pmbook in release mode (minutes)"]
fn the_published_package_installs_and_runs() {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-cargo-target");
    let package = target.join("package");
    let crate_name = format!("pmbook-{}.crate", env!("CARGO_PKG_VERSION"));
    let _ = std::fs::remove_dir_all(&package);
    let published = cargo()
        .args([
            "publish",
            "--dry-run",
            "--locked",
            "--allow-dirty",
            "--no-verify",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let log = stderr(&published);
    succeeded(published, "cargo publish --dry-run");
    assert!(
        log.contains("aborting upload due to dry run"),
        "cargo publish did not reach the upload:\n{log}"
    );
    // cargo writes the crate under `package/` (in a subdirectory for a dry
    // run, depending on its version).
    let packed = walkdir::WalkDir::new(&package)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.file_name().is_some_and(|n| n == crate_name.as_str()))
        .unwrap_or_else(|| panic!("no {crate_name} under {}", package.display()));

    // Unpacked at a fixed place, so that a second run builds nothing new.
    let unpacked = Path::new(env!("CARGO_TARGET_TMPDIR")).join("published");
    let _ = std::fs::remove_dir_all(&unpacked);
    std::fs::create_dir_all(&unpacked).unwrap();
    succeeded(
        Command::new("tar")
            .arg("-xzf")
            .arg(&packed)
            .arg("-C")
            .arg(&unpacked)
            .output()
            .unwrap(),
        "tar -xzf",
    );
    let dir = tempfile::tempdir().unwrap();
    let installed = dir.path().join("root");
    succeeded(
        cargo()
            .args(["install", "--locked", "--path"])
            .arg(unpacked.join(format!("pmbook-{}", env!("CARGO_PKG_VERSION"))))
            .arg("--root")
            .arg(&installed)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap(),
        "cargo install from the package",
    );

    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    let pmbook = |args: &[&str]| {
        let output = Command::new(installed.join("bin/pmbook"))
            .args(args)
            .current_dir(&project)
            .output()
            .unwrap();
        succeeded(output, &format!("the installed pmbook {args:?}"))
    };
    pmbook(&["init"]);
    std::fs::write(
        project.join("postmortems/2026-11-03-checkout-latency.md"),
        common::VALID,
    )
    .unwrap();
    assert_eq!(
        pmbook(&["lint", "--today", common::TODAY]),
        "pmbook: 1 file checked, no problems\n"
    );
    pmbook(&["build"]);
    let page =
        std::fs::read_to_string(project.join("site/incidents/2026-11-03-checkout-latency.html"))
            .unwrap();
    assert!(
        page.contains("Checkout latency after cache deploy"),
        "{page}"
    );
    assert!(project.join("site/assets/pmbook.css").is_file());
}
