//! Malformed files get a diagnostic naming the file; the others are still
//! linted and the process never panics.

mod common;

use common::{Project, VALID, stderr, stdout, valid_with};

const ID: &str = "2026-11-03-checkout-latency";

/// Lints `project` and returns the JSON diagnostics as (path, line, rule).
fn lint_json(project: &Project) -> (Vec<(String, Option<u64>, String)>, std::process::Output) {
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
    let found = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (found, output)
}

fn rules_of<'a>(
    found: &'a [(String, Option<u64>, String)],
    file: &str,
) -> Vec<(Option<u64>, &'a str)> {
    found
        .iter()
        .filter(|(path, _, _)| path == &format!("postmortems/{file}"))
        .map(|(_, line, rule)| (*line, rule.as_str()))
        .collect()
}

#[test]
fn every_malformed_file_is_reported_and_the_others_still_checked() {
    let project = Project::new();
    project
        .postmortem("empty.md", "")
        .postmortem("no-front-matter.md", "# Just a heading\n\nSome text.\n")
        .postmortem("yaml.md", "---\ntitle: x\n---\n")
        .postmortem(
            "unterminated.md",
            "+++\nid = \"unterminated\"\ntitle = \"x\"\n",
        )
        .postmortem(
            "bad-toml.md",
            "+++\nid = \"bad-toml\"\ntitle = \"x\"\nseverity = SEV2\n+++\n",
        )
        .postmortem(
            "wrong-types.md",
            valid_with(
                "started_at = 2026-11-03T09:12:00Z",
                "started_at = \"yesterday\"",
            )
            .replace(ID, "wrong-types"),
        )
        .postmortem(
            "latin1.md",
            b"+++\nid = \"latin1\"\n+++\ncaf\xe9\n".as_slice(),
        )
        .postmortem(
            "binary.md",
            [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe],
        )
        .postmortem("huge.md", "x".repeat(20 * 1024 * 1024))
        .postmortem("deep-quotes.md", format!("{}x\n", "> ".repeat(100_000)))
        .postmortem("deep-lists.md", format!("{}x\n", "- ".repeat(100_000)))
        .postmortem(
            "deep-indented-lists.md",
            (0..5_000)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect::<String>(),
        )
        .postmortem(
            "deep-toml.md",
            format!(
                "+++\nx = {}{}\n+++\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        )
        .postmortem(
            "deep-inline.md",
            format!("+++\n+++\n{}\n", "*a [".repeat(50_000)),
        )
        .postmortem(
            "valid-but-todo.md",
            valid_with("12 % of checkouts", "TODO: 12 % of checkouts")
                .replace(ID, "valid-but-todo"),
        );
    let (found, output) = lint_json(&project);
    assert_eq!(output.status.code(), Some(1));

    assert_eq!(rules_of(&found, "empty.md"), [(Some(1), "front-matter")]);
    assert!(rules_of(&found, "no-front-matter.md").contains(&(Some(1), "front-matter")));
    assert!(rules_of(&found, "yaml.md").contains(&(Some(1), "front-matter")));
    assert_eq!(
        rules_of(&found, "unterminated.md"),
        [(Some(1), "front-matter")]
    );
    assert_eq!(
        rules_of(&found, "bad-toml.md")[0],
        (Some(4), "front-matter")
    );
    assert_eq!(
        rules_of(&found, "wrong-types.md"),
        [(Some(9), "field-type")]
    );
    assert_eq!(rules_of(&found, "latin1.md"), [(Some(4), "invalid-file")]);
    assert_eq!(rules_of(&found, "binary.md"), [(None, "invalid-file")]);
    assert_eq!(rules_of(&found, "huge.md"), [(None, "invalid-file")]);
    for deep in [
        "deep-quotes.md",
        "deep-lists.md",
        "deep-indented-lists.md",
        "deep-inline.md",
    ] {
        assert!(
            !rules_of(&found, deep).is_empty(),
            "{deep} got no diagnostic"
        );
    }
    assert_eq!(
        rules_of(&found, "deep-toml.md"),
        [(Some(2), "front-matter")]
    );
    assert_eq!(
        rules_of(&found, "valid-but-todo.md"),
        [(Some(32), "placeholder")]
    );
}

#[cfg(unix)]
#[test]
fn symlinks_leaving_the_project_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), VALID).unwrap();
    let project = Project::new();
    project.postmortem("inside.md", VALID);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        project.path().join("postmortems/escape.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        project.path().join("postmortems/inside.md"),
        project.path().join("postmortems/alias.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        project.path().join("postmortems/missing.md"),
        project.path().join("postmortems/dangling.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path(),
        project.path().join("postmortems/linked-dir"),
    )
    .unwrap();
    let (found, output) = lint_json(&project);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(rules_of(&found, "escape.md"), [(None, "invalid-file")]);
    assert_eq!(rules_of(&found, "dangling.md"), [(None, "invalid-file")]);
    // The link inside the project is read: it duplicates inside.md's id.
    assert_eq!(rules_of(&found, "alias.md"), [(Some(2), "duplicate-id")]);
    assert!(
        found
            .iter()
            .all(|(path, _, _)| !path.contains("linked-dir"))
    );
    let human = project.pmbook().arg("lint").output().unwrap();
    assert!(stdout(&human).contains("leaves the project and is not followed"));
}

/// The rule's page says so: a suppression comment in an unreadable file is
/// not read, and `off` in `[lint.rules]` or `[book] exclude` are the ways
/// to silence it.
#[test]
fn invalid_file_is_silenced_by_configuration_not_by_comments() {
    let project = Project::new();
    project.postmortem(
        "latin1.md",
        b"<!-- pmbook-disable invalid-file -->\n+++\nid = \"latin1\"\n+++\ncaf\xe9\n".as_slice(),
    );
    let (found, output) = lint_json(&project);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(rules_of(&found, "latin1.md"), [(Some(5), "invalid-file")]);

    project.file("pmbook.toml", "[lint.rules]\ninvalid-file = \"off\"\n");
    let (found, _) = lint_json(&project);
    assert!(rules_of(&found, "latin1.md").is_empty(), "{found:?}");

    project.file("pmbook.toml", "[book]\nexclude = [\"latin1.md\"]\n");
    let (found, _) = lint_json(&project);
    assert!(rules_of(&found, "latin1.md").is_empty(), "{found:?}");
}
