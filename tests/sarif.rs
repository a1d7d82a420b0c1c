//! The SARIF output under Microsoft's SARIF Multitool, with its SARIF and
//! GitHub rule sets: no errors and no warnings, on the example and on
//! hostile input.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Project, VALID, stderr, valid_with};

const ID: &str = "2026-11-03-checkout-latency";

/// `sarif-multitool` (`npm install -g @microsoft/sarif-multitool@5.7.0`),
/// or the command in `SARIF_MULTITOOL`. npm's launcher passes its arguments
/// through a shell, so they are quoted for one.
fn multitool_findings(sarif: &Path) -> Vec<String> {
    let tool = std::env::var("SARIF_MULTITOOL").unwrap_or_else(|_| "sarif-multitool".into());
    let out = sarif.with_extension("validation.sarif");
    let quote = |path: &Path| format!("'{}'", path.display());
    let output = Command::new(&tool)
        .args([
            "validate",
            &quote(sarif),
            "--rule-kind",
            "\"Sarif;Gh\"",
            "--level",
            "\"Error;Warning;Note\"",
            "--log",
            "ForceOverwrite",
            "-o",
            &quote(&out),
        ])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{tool}` ({e}): install it with `npm install -g @microsoft/sarif-multitool@5.7.0` or set SARIF_MULTITOOL")
        });
    let log = std::fs::read_to_string(&out).unwrap_or_else(|e| {
        panic!(
            "`{tool} validate` ({}) wrote no log ({e}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        // A result without a level is a warning (SARIF 3.27.10).
        .filter(|r| r["level"].as_str().unwrap_or("warning") != "note")
        .map(|r| {
            format!(
                "{} {}: {}",
                r["ruleId"],
                r["level"].as_str().unwrap_or("warning"),
                r["message"]["arguments"]
            )
        })
        .collect()
}

fn assert_valid(project: &Project, args: &[&str]) -> serde_json::Value {
    let output = project
        .pmbook()
        .args(["lint", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    let file = project.path().join("pmbook.sarif");
    std::fs::write(&file, &output.stdout).unwrap();
    let findings = multitool_findings(&file);
    assert!(
        findings.is_empty(),
        "the SARIF Multitool reports:\n{}",
        findings.join("\n")
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn hostile_project() -> Project {
    let project = Project::new();
    project
        .postmortem("empty.md", "")
        .postmortem("no-front-matter.md", "# Just a heading\n\nSome text.\n")
        .postmortem("yaml.md", "---\ntitle: x\n---\n")
        .postmortem("unterminated.md", "+++\nid = \"unterminated\"\n")
        .postmortem(
            "bad-toml.md",
            "+++\nid = \"bad-toml\"\nseverity = SEV2\n+++\n",
        )
        .postmortem(
            "latin1.md",
            b"+++\nid = \"latin1\"\n+++\ncaf\xe9\n".as_slice(),
        )
        .postmortem("binary.md", [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff])
        .postmortem("huge.md", "x".repeat(6 * 1024 * 1024))
        .postmortem(
            "crlf.md",
            valid_with("## Impact", "## Impakt")
                .replace(ID, "crlf")
                .replace('\n', "\r\n"),
        )
        .postmortem(
            "bom.md",
            format!("\u{feff}{}", valid_with("12 % of checkouts", "TODO")).replace(ID, "bom"),
        )
        .postmortem(
            "wide 😀 #%.md",
            valid_with("12 % of checkouts", "😀 human error 😀").replace(ID, "wide"),
        )
        .postmortem("dup.md", VALID)
        .postmortem("deep-quotes.md", format!("{}x\n", "> ".repeat(10_000)));
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "/etc/hostname",
        project.path().join("postmortems/escape.md"),
    )
    .unwrap();
    project
}

#[test]
#[ignore = "needs the SARIF multitool (npm)"]
fn the_multitool_finds_nothing_in_the_example() {
    let sarif = assert_valid(&Project::example(), &[]);
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
#[ignore = "needs the SARIF multitool (npm)"]
fn the_multitool_finds_nothing_in_hostile_input() {
    let project = hostile_project();
    let sarif = assert_valid(&project, &[]);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    for rule in [
        "invalid-file",
        "front-matter",
        "required-section",
        "blameful-language",
    ] {
        assert!(results.iter().any(|r| r["ruleId"] == rule), "no {rule}");
    }
}

#[test]
#[ignore = "needs the SARIF multitool (npm)"]
fn the_multitool_finds_nothing_with_rule_links() {
    let project = hostile_project();
    project.file(
        "pmbook.toml",
        "[lint]\nrules_url = \"https://docs.example.com/pmbook/rules/{rule}.html\"\n",
    );
    assert_valid(&project, &[]);
}

#[test]
fn rules_have_friendly_names_and_links_from_the_configuration() {
    let project = hostile_project();
    project.file(
        "pmbook.toml",
        "[lint]\nrules_url = \"https://docs.example.com/rules/{rule}.html\"\n",
    );
    let output = project
        .pmbook()
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(rule("invalid-file")["name"], "InvalidFile");
    assert_eq!(rule("duplicate-action-id")["name"], "DuplicateActionId");
    assert_eq!(rule("placeholder")["name"], "PlaceholderRule");
    assert_eq!(
        rule("time-order")["helpUri"],
        "https://docs.example.com/rules/time-order.html"
    );

    let results = run["results"].as_array().unwrap();
    let location = |file: &str| {
        &results
            .iter()
            .find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == file)
            .unwrap_or_else(|| panic!("no result for {file}"))["locations"][0]["physicalLocation"]
    };
    // Whole-file findings: a file that was not read is reported on line 1.
    assert_eq!(
        location("postmortems/binary.md")["region"],
        serde_json::json!({ "startLine": 1, "endLine": 1 })
    );
    let wide = location("postmortems/wide%20%F0%9F%98%80%20%23%25.md");
    assert_eq!(wide["region"]["snippet"]["text"], "human error");
    assert_eq!(wide["region"]["startColumn"], 3);
}

#[test]
fn without_a_configured_link_rules_have_none() {
    let output = Project::example()
        .pmbook()
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], "man:pmbook(1)");
    assert!(
        driver["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r.get("helpUri").is_none())
    );
}
