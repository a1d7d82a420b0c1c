//! `pmbook lint` end to end: exit codes, formats, paths, configuration,
//! suppressions and drafts.

mod common;

use common::{Project, VALID, stdout, valid_with};
use predicates::prelude::*;

const ID: &str = "2026-11-03-checkout-latency";

fn clean_project() -> Project {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    project
}

#[test]
fn exit_codes_say_what_happened() {
    let project = clean_project();
    project.pmbook().arg("lint").assert().code(0);

    project.postmortem(
        "late.md",
        valid_with(ID, "late").replace("due: 2026-12-01", "due: 2026-11-01"),
    );
    project.pmbook().arg("lint").assert().code(0);
    project
        .pmbook()
        .args(["lint", "--deny-warnings"])
        .assert()
        .code(1);

    project.postmortem(
        "broken.md",
        valid_with(ID, "broken").replace("severity = \"SEV2\"\n", ""),
    );
    project.pmbook().arg("lint").assert().code(1);

    project.file("pmbook.toml", "[lint]\nseverites = []\n");
    project.pmbook().arg("lint").assert().code(2);

    project
        .pmbook()
        .arg("lint")
        .arg("no/such/file.md")
        .assert()
        .code(2);
    project.pmbook().arg("frobnicate").assert().code(2);
}

#[test]
fn a_missing_postmortem_directory_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    common::pmbook()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the postmortem directory `postmortems` does not exist",
        ));
}

#[test]
fn json_output_has_the_documented_shape() {
    let project = clean_project();
    project.postmortem(
        "sub/dir/broken.md",
        valid_with(ID, "broken").replace(
            "detected_at = 2026-11-03T09:20",
            "detected_at = 2026-11-03T09:00",
        ),
    );
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d["path"], "postmortems/sub/dir/broken.md");
    assert_eq!(d["line"], 10);
    assert_eq!(d["column"], 15);
    assert_eq!(d["rule"], "time-order");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "`detected_at` is before `started_at`");
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 2, "errors": 1, "warnings": 0})
    );
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let project = Project::from_fixture("rules/blameful-language");
    project.postmortem(
        "x.md",
        valid_with(ID, "x").replace("## Impact", "## Impakt"),
    );
    let output = project
        .pmbook()
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();

    let schema_path = common::fixtures().join("sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("sarif.json", schema).unwrap();
    let index = compiler.compile("sarif.json", &mut schemas).unwrap();
    if let Err(error) = schemas.validate(&sarif, index) {
        panic!("SARIF does not validate: {error:#}");
    }

    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "blameful-language"));
    let results = run["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "blameful-language")
        .unwrap();
    assert_eq!(result["level"], "warning");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        format!("postmortems/{ID}.md")
    );
    assert_eq!(location["region"]["startLine"], 43);
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "required-section" && r["level"] == "error")
    );
    insta::assert_json_snapshot!("sarif-blameful", sarif, {
        ".runs[0].tool.driver.version" => "[version]",
        ".runs[0].tool.driver.rules" => "[rules]",
    });
}

#[test]
fn github_output_is_workflow_commands() {
    let project = Project::from_fixture("rules/time-order");
    project.pmbook().args(["lint", "--format", "github"]).assert().code(1).stdout(format!(
        "::error file=postmortems/{ID}.md,line=10,col=15,endLine=10,endColumn=35,title=pmbook(time-order)::`detected_at` is before `started_at`%0Ahelp: check the day and the offset of both times\n"
    ));
}

#[test]
fn named_files_are_checked_against_the_whole_repository() {
    let project = clean_project();
    project.postmortem(
        "2026-11-10-again.md",
        valid_with(
            &format!("id = \"{ID}\""),
            "id = \"2026-11-10-again\"\nrelated = [\"2026-11-03-checkout-latency\"]",
        ),
    );
    project.postmortem("2026-11-11-dup.md", VALID);
    let output = project
        .pmbook()
        .args([
            "lint",
            "--format",
            "json",
            "postmortems/2026-11-11-dup.md",
            "postmortems/2026-11-10-again.md",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Only the named files are reported; the duplicate is found in a file
    // that was not named, and the reference resolves to it.
    assert_eq!(
        found,
        [(
            "postmortems/2026-11-11-dup.md".to_owned(),
            "duplicate-id".to_owned()
        )]
    );
    assert_eq!(json["summary"]["files"], 2);
}

#[test]
fn a_directory_argument_is_walked() {
    let project = clean_project();
    project.postmortem(
        "2025/old.md",
        valid_with(ID, "old").replace("## Impact", "## Effects"),
    );
    project
        .pmbook()
        .args(["lint", "postmortems/2025"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("postmortems/2025/old.md"))
        .stdout(
            predicate::str::contains("1 file")
                .and(predicate::str::contains("checkout-latency.md").not()),
        );
}

#[test]
fn readme_and_underscore_files_are_not_postmortems() {
    let project = clean_project();
    project.postmortem("README.md", "# Our postmortems\n");
    project.postmortem("_template.md", "+++\n+++\n");
    project.postmortem("notes.txt", "not markdown");
    project
        .pmbook()
        .arg("lint")
        .assert()
        .success()
        .stdout("pmbook: 1 file checked, no problems\n");
}

#[test]
fn config_is_found_from_a_subdirectory() {
    let project = Project::new();
    project.file(
        "pmbook.toml",
        "[book]\nsrc = \"docs/incidents\"\n[lint]\nseverities = [\"P1\", \"P2\"]\n",
    );
    project.file(
        "docs/incidents/a.md",
        valid_with("SEV2", "P2").replace(ID, "a"),
    );
    project.file("docs/incidents/b.md", valid_with(ID, "b"));
    std::fs::create_dir_all(project.path().join("docs/deep/er")).unwrap();
    let output = common::pmbook()
        .current_dir(project.path().join("docs/deep/er"))
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["path"], "docs/incidents/b.md");
    assert_eq!(d["rule"], "invalid-value");
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1);

    common::pmbook()
        .arg("-C")
        .arg(project.path().join("docs"))
        .args(["lint", "docs/incidents/a.md"])
        .assert()
        .code(2);
    common::pmbook()
        .arg("-C")
        .arg(project.path())
        .args(["lint", "docs/incidents/a.md"])
        .assert()
        .success();
}

#[test]
fn an_explicit_config_file_sets_the_root() {
    let project = Project::new();
    project.file("config/team.toml", "[book]\nsrc = \"../pm\"\n");
    project.file("pm/a.md", VALID.replace(ID, "a"));
    project
        .pmbook()
        .args(["--config", "config/team.toml", "lint"])
        .assert()
        .success()
        .stdout("pmbook: 1 file checked, no problems\n");
}

#[test]
fn unknown_config_keys_suggest_the_closest_one() {
    let project = clean_project();
    project.file(
        "pmbook.toml",
        "[lint]\nreview_window_hours = [24, 72]\nseverites = [\"SEV1\"]\n",
    );
    project
        .pmbook()
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: invalid pmbook.toml: unknown key `severites`; did you mean `severities`?\n --> ",
        ))
        .stderr(predicate::str::contains(
            "pmbook.toml:3:1\n  |\n3 | severites = [\"SEV1\"]\n  | ^^^^^^^^^\n",
        ));

    project.file(
        "pmbook.toml",
        "[lint.rules]\nblamefull-language = \"off\"\n",
    );
    project
        .pmbook()
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown rule `blamefull-language` in [lint.rules]; did you mean `blameful-language`?",
        ));

    project.file("pmbook.toml", "[sectons]\n");
    project
        .pmbook()
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `sections`?"));
}

#[test]
fn section_aliases_match_case_insensitively() {
    let project = Project::new();
    project.file(
        "pmbook.toml",
        "[sections.aliases]\n\"Timeline\" = [\"Chronologie\"]\n",
    );
    project.postmortem(
        "a.md",
        valid_with("## Timeline", "## CHRONOLOGIE").replace("## Root cause", "## root CAUSE"),
    );
    project.pmbook().arg("lint").assert().success();
}

#[test]
fn inline_comments_disable_rules() {
    let project = Project::new();
    let text = valid_with(
        "## Summary\n",
        "## Summary\n<!-- pmbook-disable-next-line placeholder -->\nTODO first.\n\nTODO second.\n",
    );
    project.postmortem("a.md", &text);
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let lines: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["line"].clone())
        .collect();
    assert_eq!(lines, [serde_json::json!(30)]);

    project.postmortem(
        "a.md",
        format!("{text}\n<!-- pmbook-disable placeholder -->\n"),
    );
    project.pmbook().arg("lint").assert().success();
}

#[test]
fn drafts_relax_unfinished_work_to_warnings() {
    let project = Project::new();
    let draft = valid_with("status = \"published\"", "status = \"draft\"")
        .replace("Status page updated at 09:30 and 10:35 UTC.", "")
        .replace("12 % of checkouts", "TODO: how many checkouts")
        .replace("(owner: @alice, ", "(");
    project.postmortem("a.md", &draft);
    let assert = project.pmbook().arg("lint").assert().success();
    let text = stdout(assert.get_output());
    for rule in ["empty-section", "placeholder", "action-owner"] {
        assert!(
            text.contains(&format!("warning[{rule}]")),
            "{rule} missing:\n{text}"
        );
    }
    project.postmortem(
        "a.md",
        draft.replace("status = \"draft\"", "status = \"in-review\""),
    );
    project.pmbook().arg("lint").assert().code(1);
}

#[test]
fn bom_and_crlf_keep_file_positions() {
    let project = Project::new();
    let text = valid_with("severity = \"SEV2\"", "severity = SEV2").replace('\n', "\r\n");
    project.postmortem("a.md", format!("\u{feff}{text}"));
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(12)),
        "{d}"
    );
    assert_eq!(d["rule"], "front-matter");

    project.postmortem("a.md", format!("\u{feff}{}", VALID.replace('\n', "\r\n")));
    project.pmbook().arg("lint").assert().success();
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let project = Project::from_fixture("rules/time-order");
    let coloured = project
        .pmbook()
        .args(["--color", "always", "lint"])
        .output()
        .unwrap();
    assert!(stdout(&coloured).contains("\u{1b}["));
    let plain = project.pmbook().arg("lint").output().unwrap();
    assert!(!stdout(&plain).contains("\u{1b}["));
}

#[test]
fn rules_command_documents_each_rule() {
    common::pmbook()
        .args(["rules", "time-order"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "The incident's times are out of order.",
        ));
    common::pmbook()
        .args(["rules", "time-ordr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `time-order`?"));
}

#[test]
fn wording_rules_skip_code_and_match_accented_words() {
    let project = Project::new();
    project.file(
        "pmbook.toml",
        "[lint]\nblameful_phrases = [\"négligé\", \"human error\"]\n",
    );
    let text = valid_with(
        "12 % of checkouts",
        "Run `git blame` or see `human error` in code. Le déploiement négligé. 12 % of checkouts",
    );
    project.postmortem("a.md", text);
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let messages: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(messages, ["blameful wording: \"négligé\""]);
}

#[test]
fn wording_rules_skip_comments_urls_link_destinations_and_code() {
    let project = Project::new();
    let text = valid_with(
        "12 % of checkouts",
        "Times <!-- TODO: add times --> follow. See https://example.com/TODO, www.example.com/TBD, \
         <https://example.com/TBD/blame>, [the runbook](https://wiki.example.com/FIXME \"TBD\") \
         and [the notes][notes]; run `blame --human-error`.\n\n\
         <!-- a comment with human error\nand TODO -->\n\n\
         ```\nTODO: careless human error\n```\n\n\
         [notes]: https://example.com/careless/TODO\n\n\
         12 % of checkouts",
    );
    project.postmortem("2026-11-03-checkout-latency.md", text);
    project
        .pmbook()
        .arg("lint")
        .assert()
        .success()
        .stdout("pmbook: 1 file checked, no problems\n");
}

#[test]
fn wording_rules_still_read_link_text_and_the_prose_around_comments() {
    let project = Project::new();
    let text = valid_with(
        "12 % of checkouts",
        "Times <!-- note --> TODO and [the TBD page](https://example.com/) \
         were careless. 12 % of checkouts",
    );
    project.postmortem("2026-11-03-checkout-latency.md", text);
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_owned(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("placeholder `TODO` left in the text".to_owned(), 21),
            ("placeholder `TBD` left in the text".to_owned(), 35),
            ("blameful wording: \"careless\"".to_owned(), 72),
        ]
    );
}

/// `VALID` as the postmortem `id`, started on the date its id begins with.
fn valid_as(id: &str, related: &[&str]) -> String {
    let date = &id[..10];
    let related: Vec<String> = related.iter().map(|r| format!("\"{r}\"")).collect();
    VALID
        .replace("2026-11-03-checkout-latency", id)
        .replace("2026-11-03", date)
        .replace(
            "visibility = \"internal\"",
            &format!(
                "visibility = \"internal\"\nrelated = [{}]",
                related.join(", ")
            ),
        )
}

#[test]
fn did_you_mean_never_suggests_the_referencing_postmortem() {
    let project = Project::new();
    project.postmortem(
        "2026-09-14-checkout-latency.md",
        valid_as("2026-09-14-checkout-latency", &["2026-09-14-cache-evction"]),
    );
    let output = project.pmbook().arg("lint").output().unwrap();
    let text = stdout(&output);
    assert!(
        text.contains("no postmortem has the id `2026-09-14-cache-evction`"),
        "{text}"
    );
    assert!(!text.contains("did you mean"), "{text}");
}

#[test]
fn did_you_mean_compares_the_ids_after_their_date() {
    let project = Project::new();
    project.postmortem(
        "2026-09-14-checkout-latency.md",
        valid_as("2026-09-14-checkout-latency", &["2026-09-14-cache-evction"]),
    );
    // By whole ids, the shared date makes `2026-09-14-cache-errors` closer.
    project.postmortem(
        "2026-09-14-cache-errors.md",
        valid_as("2026-09-14-cache-errors", &[]),
    );
    project.postmortem(
        "2025-01-30-cache-eviction.md",
        valid_as("2025-01-30-cache-eviction", &[]),
    );
    let output = project.pmbook().arg("lint").output().unwrap();
    let text = stdout(&output);
    assert!(
        text.contains("help: did you mean `2025-01-30-cache-eviction`?"),
        "{text}"
    );
}

#[test]
fn linting_one_file_sees_action_ids_under_a_setext_heading() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        valid_with("ticket: OPS-123)", "ticket: OPS-123, id: OPS-123)"),
    );
    let other = valid_as("2026-11-10-cache-cold-start", &[])
        .replace("## Action items\n", "Action items\n------------\n")
        .replace(
            "- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)",
            "- [ ] Warm the cache before shifting traffic (owner: @carol, due: 2026-12-01, kind: prevent, id: OPS-123)",
        );
    assert!(other.contains("Action items\n------------\n\n- [ ] Warm the cache"));
    project.postmortem("2026-11-10-cache-cold-start.md", other);
    let output = project
        .pmbook()
        .args(["lint", "postmortems/2026-11-03-checkout-latency.md"])
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(
        text.contains(
            "error[duplicate-action-id]: action id `OPS-123` is used by a different item in another postmortem"
        ),
        "{text}"
    );
    assert!(
        text.contains("in postmortems/2026-11-10-cache-cold-start.md: \"Warm the cache before shifting traffic\""),
        "{text}"
    );
}

/// The stderr of a `lint` that stops on the configuration `config`, with the
/// project's directory left out of the paths.
fn config_error(config: &str) -> String {
    let project = clean_project();
    project.file("pmbook.toml", config);
    let output = project.pmbook().arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let root = std::fs::canonicalize(project.path()).unwrap();
    common::stderr(&output).replace(&format!("{}/", root.display()), "")
}

#[test]
fn an_unknown_rule_is_reported_at_its_key_with_the_source_line() {
    let text = config_error(
        "# blamefull-language was renamed\n[lint]\nreview_window_hours = [24, 72]\n\n\
         [lint.rules]\nblamefull-language = \"off\"\n",
    );
    assert_eq!(
        text,
        "error: unknown rule `blamefull-language` in [lint.rules]; did you mean `blameful-language`?\n\
         \x20--> pmbook.toml:6:1\n\
         \x20 |\n\
         6 | blamefull-language = \"off\"\n\
         \x20 | ^^^^^^^^^^^^^^^^^^\n"
    );
    // A dotted key and an inline table are found as well.
    assert!(
        config_error("# blamefull-language\n[lint]\nrules.blamefull-language = \"off\"\n")
            .contains("pmbook.toml:3:7\n"),
    );
    assert!(
        config_error("# blamefull-language\nlint = { rules = { blamefull-language = \"off\" } }\n")
            .contains("pmbook.toml:2:20\n"),
    );
}

#[test]
fn a_missing_postmortem_directory_is_reported_at_book_src() {
    assert_eq!(
        config_error("# moved last year\n[book]\nsrc = \"incidents\"\n"),
        "error: the postmortem directory `incidents` does not exist; create it, or correct `[book] src`\n\
         \x20--> pmbook.toml:3:7\n\
         \x20 |\n\
         3 | src = \"incidents\"\n\
         \x20 |       ^^^^^^^^^^^\n"
    );
}

#[test]
fn other_config_errors_point_at_their_key_or_value() {
    assert_eq!(
        config_error("[lint]\n# 72 then 24\nreview_window_hours = [72, 24]\n"),
        "error: lint.review_window_hours must be [earliest, latest], got [72, 24]\n\
         \x20--> pmbook.toml:3:23\n\
         \x20 |\n\
         3 | review_window_hours = [72, 24]\n\
         \x20 |                       ^^^^^^^^\n"
    );
    let text = config_error("# SEV5 is new\n[actions.sla_days]\nSEV5 = 90\n");
    assert!(text.contains(" --> pmbook.toml:3:1\n"), "{text}");
    assert!(text.contains("3 | SEV5 = 90\n  | ^^^^\n"), "{text}");
    let text = config_error("[book]\n# a[b is a bad pattern\nexclude = [\"README.md\", \"a[b\"]\n");
    assert!(
        text.starts_with("error: invalid pattern in `[book] exclude`: "),
        "{text}"
    );
    assert!(text.contains(" --> pmbook.toml:3:25\n"), "{text}");
}

/// A project where each rule that reads the other postmortems reports,
/// next to rules that read one file, some at the same positions.
fn cross_file_project() -> Project {
    let project = Project::new();
    let canary = "ticket: OPS-123)";
    let shared = valid_with(canary, "ticket: OPS-123, id: OPS-canary)");
    project.postmortem("a-first.md", &shared);
    // The same id, and the same action item under the same id: only the
    // postmortem id is a duplicate.
    project.postmortem("b-same-id.md", &shared);
    project.postmortem(
        "c-other-item.md",
        valid_with(ID, "2026-11-04-alert-gap").replace(
            "- [x] Roll back cache v2.3 (owner: @bob, kind: fix, closed: 2026-11-03)",
            "- [ ] Alert on p99 latency (owner: @bob, due: 2026-12-01, kind: detect, id: OPS-canary)",
        ),
    );
    project.postmortem(
        "d-twice.md",
        valid_with(ID, "2026-11-05-twice")
            .replace(canary, "ticket: OPS-123, id: OPS-twice)")
            .replace(
                "kind: fix, closed: 2026-11-03)",
                "kind: fix, closed: 2026-11-03, id: OPS-twice)",
            ),
    );
    project.postmortem(
        "e-related.md",
        format!(
            "\u{feff}{}",
            valid_with(
                &format!("id = \"{ID}\"\n"),
                "id = \"2026-11-06-related\"\nrelated = [\"2026-11-03-checkout-latncy\", \"2026-11-04-alert-gap\"]\n",
            )
        ),
    );
    project.postmortem(
        "f-links.md",
        valid_with(ID, "2026-11-07-links").replace(
            "Status page updated at 09:30 and 10:35 UTC.",
            "Status page updated ([first](a-first.md)), ![graph](img/missing.png), [secret](../../outside.md).",
        ),
    );
    project.postmortem(
        "g-suppressed.md",
        valid_with(
            &format!("id = \"{ID}\"\n"),
            "id = \"2026-11-08-suppressed\"\nrelated = [\"2026-01-01-nowhere\"]\n",
        )
        .replace(
            "## Summary\n",
            "## Summary\n\n<!-- pmbook-disable broken-reference -->\n",
        ),
    );
    project.postmortem("h-bad-id.md", valid_with(ID, "Bad Id"));
    project.postmortem("i-bad-id.md", valid_with(ID, "Bad Id"));
    project.postmortem(
        "2026-11-09-no-id.md",
        valid_with(&format!("id = \"{ID}\"\n"), ""),
    );
    project.postmortem("k-binary.md", b"+++\nid = \"2026-11-10-binary\"\n+++\n\0\0");
    project
}

#[test]
fn cross_file_rules_report_in_the_order_of_a_single_pass() {
    let project = cross_file_project();
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let found: Vec<(String, String)> = common::findings(&output);
    let expected = [
        ("2026-11-09-no-id.md", "required-field"),
        ("a-first.md", "duplicate-id"),
        ("a-first.md", "duplicate-action-id"),
        ("b-same-id.md", "duplicate-id"),
        ("b-same-id.md", "duplicate-action-id"),
        ("c-other-item.md", "duplicate-action-id"),
        ("d-twice.md", "duplicate-action-id"),
        ("e-related.md", "broken-reference"),
        ("f-links.md", "broken-link"),
        ("f-links.md", "broken-link"),
        ("h-bad-id.md", "duplicate-id"),
        ("h-bad-id.md", "id-format"),
        ("i-bad-id.md", "duplicate-id"),
        ("i-bad-id.md", "id-format"),
        ("k-binary.md", "invalid-file"),
    ]
    .map(|(file, rule)| (format!("postmortems/{file}"), rule.to_owned()));
    assert_eq!(found, expected);
    let human = project.pmbook().arg("lint").output().unwrap();
    insta::assert_snapshot!("cross-file", stdout(&human));
}
