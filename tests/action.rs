//! The composite GitHub Action (`action.yml`): its shell steps run as a
//! runner runs them (bash, `-eo pipefail`, inputs through `env`), with the
//! `if:` conditions the action declares, on a broken and a valid project.
//! The `uses:` steps are GitHub's own actions: the test checks that they are
//! given the files the shell steps wrote.

mod common;

fn statuses(run: &Run) -> Vec<(&str, i32)> {
    run.statuses.iter().map(|(n, c)| (n.as_str(), *c)).collect()
}

use std::collections::BTreeMap;
use std::path::Path;

use common::{Project, VALID, stderr, stdout, valid_with};

const ID: &str = "2026-11-03-checkout-latency";

/// `action.yml` as JSON, read by PyYAML (which the pre-commit framework
/// brings along).
fn action() -> serde_json::Value {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml");
    let output = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
        ])
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "cannot read action.yml with PyYAML (`python3 -m pip install pyyaml`, or run tests/run.sh): {}",
        stderr(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `${{ inputs.NAME }}` replaced by the input's value.
fn expand(text: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut text = text.to_owned();
    for (name, value) in inputs {
        text = text.replace(&format!("${{{{ inputs.{name} }}}}"), value);
    }
    assert!(!text.contains("${{"), "unknown expression in {text:?}");
    text
}

/// The conditions the action uses: none (the earlier steps succeeded),
/// `always()`, and `inputs.NAME == 'true'`, joined by `&&`.
fn runs(condition: Option<&str>, inputs: &BTreeMap<String, String>, failed: bool) -> bool {
    let Some(condition) = condition else {
        return !failed;
    };
    let mut always = false;
    let mut holds = true;
    for term in condition.split("&&").map(str::trim) {
        if term == "always()" {
            always = true;
        } else if let Some(name) = term
            .strip_prefix("inputs.")
            .and_then(|t| t.strip_suffix(" == 'true'"))
        {
            holds &= inputs[name] == "true";
        } else {
            panic!("the test does not know the condition {term:?}");
        }
    }
    holds && (always || !failed)
}

struct Run {
    /// Exit status of each shell step that ran, by name.
    statuses: Vec<(String, i32)>,
    /// The `with:` of each `uses:` step that ran, by action.
    uses: Vec<(String, serde_json::Value)>,
    failed: bool,
}

fn run_action(project: &Project, with: &[(&str, &str)], install_root: &Path) -> Run {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let mut inputs: BTreeMap<String, String> = action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, input)| (name.clone(), input["default"].as_str().unwrap().to_owned()))
        .collect();
    for (name, value) in with {
        assert!(inputs.contains_key(*name), "no input {name}");
        inputs.insert((*name).into(), (*value).into());
    }
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut paths = vec![install_root.join("bin")];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut run = Run {
        statuses: Vec::new(),
        uses: Vec::new(),
        failed: false,
    };
    for step in action["runs"]["steps"].as_array().unwrap() {
        let name = step["name"].as_str().unwrap().to_owned();
        if !runs(step["if"].as_str(), &inputs, run.failed) {
            continue;
        }
        if let Some(uses) = step["uses"].as_str() {
            let with = serde_json::Value::Object(
                step["with"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), expand(v.as_str().unwrap(), &inputs).into()))
                    .collect(),
            );
            run.uses.push((uses.to_owned(), with));
            continue;
        }
        assert_eq!(step["shell"], "bash", "{name}");
        let mut command = std::process::Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step["run"].as_str().unwrap())
            .current_dir(project.path())
            .env("PATH", std::env::join_paths(&paths).unwrap())
            .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("CARGO_INSTALL_ROOT", install_root)
            .env("CARGO_TARGET_DIR", cache.join("pre-commit-cargo-target"))
            .env("NO_COLOR", "1");
        if let Some(env) = step["env"].as_object() {
            for (key, value) in env {
                command.env(key, expand(value.as_str().unwrap(), &inputs));
            }
        }
        let output = command.output().unwrap();
        let code = output.status.code().unwrap_or(-1);
        if name != "Install pmbook" {
            eprintln!("{name}: {code}\n{}{}", stdout(&output), stderr(&output));
        }
        assert_ne!(
            (name.as_str(), code == 0),
            ("Install pmbook", false),
            "{}",
            stderr(&output)
        );
        run.failed |= code != 0;
        run.statuses.push((name, code));
    }
    run
}

fn project(postmortem: String) -> Project {
    let project = Project::new();
    project.git_init();
    project.postmortem(&format!("{ID}.md"), postmortem);
    project.commit_all("postmortems");
    project
}

#[test]
#[ignore = "installs pmbook in release mode (minutes); needs PyYAML"]
fn the_action_annotates_writes_sarif_and_builds_the_site() {
    let root = tempfile::tempdir().unwrap();

    let broken = project(valid_with("severity = \"SEV2\"\n", ""));
    let run = run_action(&broken, &[("site", "true")], root.path());
    assert!(run.failed);
    assert_eq!(
        statuses(&run),
        [
            ("Install pmbook", 0),
            ("Lint postmortems", 1),
            ("Write the SARIF report", 0)
        ]
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(broken.path().join("pmbook.sarif")).unwrap())
            .unwrap();
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "required-field" && r["level"] == "error")
    );
    assert_eq!(run.uses.len(), 1);
    assert_eq!(run.uses[0].0, "github/codeql-action/upload-sarif@v3");
    assert_eq!(run.uses[0].1["sarif_file"], "pmbook.sarif");

    let valid = project(VALID.to_owned());
    let run = run_action(
        &valid,
        &[
            ("site", "true"),
            ("sarif", "out/lint.sarif"),
            ("upload-sarif", "false"),
        ],
        root.path(),
    );
    assert!(!run.failed);
    // The report's directory is made when missing.
    assert!(valid.path().join("out/lint.sarif").is_file());
    assert!(valid.path().join("pmbook-site/index.html").is_file());
    let uses: Vec<&str> = run.uses.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(uses, ["actions/upload-artifact@v4"]);
    assert_eq!(run.uses[0].1["path"], "pmbook-site");
}
