//! Authoring: `pmbook init`, `pmbook new`, the JSON Schemas, shell
//! completions and the man page, end to end.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{Project, pmbook, stderr, stdout};
use predicates::prelude::*;

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("walk"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let bytes = std::fs::read(entry.path()).expect("read");
            (entry.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

fn empty_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("pmbook-test")
        .tempdir()
        .expect("temp dir")
}

fn init(dir: &Path) -> Command {
    let mut cmd = pmbook();
    cmd.current_dir(dir).arg("init");
    cmd
}

/// `pmbook new` with git's configuration limited to `user.name` (or none),
/// whatever the machine's configuration is.
fn new(project: &Project, user: Option<&str>) -> Command {
    let mut cmd = project.pmbook();
    cmd.arg("new")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    match user {
        Some(name) => cmd
            .env("GIT_CONFIG_COUNT", "1")
            .env("GIT_CONFIG_KEY_0", "user.name")
            .env("GIT_CONFIG_VALUE_0", name),
        None => cmd.env_remove("GIT_CONFIG_COUNT"),
    };
    cmd
}

#[test]
fn init_creates_the_config_the_postmortem_directory_and_a_gitignore_entry() {
    let dir = empty_dir();
    let output = init(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "created pmbook.toml",
        "created postmortems/README.md",
        "added site/ to .gitignore",
        "pmbook new \"",
        "pmbook lint",
        "pmbook hooks install",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert_eq!(
        read(dir.path().join("pmbook.toml")),
        read(repo_file("schema/pmbook.toml"))
    );
    assert!(read(dir.path().join("postmortems/README.md")).contains("pmbook new"));
    assert_eq!(read(dir.path().join(".gitignore")), "site/\n");
    // The README is not a postmortem, so the new repository lints clean.
    pmbook()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(0)
        .stdout("pmbook: 0 files checked, no problems\n");
}

#[test]
fn init_twice_changes_nothing() {
    let dir = empty_dir();
    init(dir.path()).assert().code(0);
    let before = tree(dir.path());
    init(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "kept pmbook.toml: it already exists",
        ))
        .stdout(predicate::str::contains(".gitignore already ignores site/"));
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn init_appends_to_gitignore_in_its_line_endings() {
    let dir = empty_dir();
    let existing = "target\r\n*.log";
    std::fs::write(dir.path().join(".gitignore"), existing).unwrap();
    init(dir.path()).assert().code(0);
    assert_eq!(
        read(dir.path().join(".gitignore")),
        format!("{existing}\r\nsite/\r\n")
    );

    let dir = empty_dir();
    std::fs::write(dir.path().join(".gitignore"), "node_modules/\n").unwrap();
    init(dir.path()).assert().code(0);
    assert_eq!(
        read(dir.path().join(".gitignore")),
        "node_modules/\nsite/\n"
    );

    let dir = empty_dir();
    let existing = "# build output\n/site/\n";
    std::fs::write(dir.path().join(".gitignore"), existing).unwrap();
    init(dir.path()).assert().code(0);
    assert_eq!(read(dir.path().join(".gitignore")), existing);
}

#[test]
fn init_never_overwrites_and_follows_an_existing_config() {
    let dir = empty_dir();
    let config = "[book]\nsrc = \"incidents\"\n\n[site]\nout = \"public\"\n";
    std::fs::write(dir.path().join("pmbook.toml"), config).unwrap();
    std::fs::create_dir(dir.path().join("incidents")).unwrap();
    std::fs::write(dir.path().join("incidents/README.md"), "ours\n").unwrap();
    let output = init(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("kept pmbook.toml"));
    assert!(stdout(&output).contains("kept incidents/README.md"));
    assert_eq!(read(dir.path().join("pmbook.toml")), config);
    assert_eq!(read(dir.path().join("incidents/README.md")), "ours\n");
    assert_eq!(read(dir.path().join(".gitignore")), "public/\n");
    assert!(!dir.path().join("postmortems").exists());
}

#[test]
fn init_runs_in_the_directory_given_with_dash_c() {
    let dir = empty_dir();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    pmbook()
        .current_dir(dir.path())
        .args(["-C", "docs", "init"])
        .assert()
        .code(0);
    assert!(dir.path().join("docs/pmbook.toml").is_file());
    assert!(dir.path().join("docs/postmortems/README.md").is_file());
    assert!(!dir.path().join("pmbook.toml").exists());
}

#[test]
fn init_reports_an_invalid_existing_config() {
    let dir = empty_dir();
    std::fs::write(dir.path().join("pmbook.toml"), "[book]\nsrcdir = \"x\"\n").unwrap();
    init(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown key `srcdir`"));
    assert!(!dir.path().join(".gitignore").exists());
}

#[test]
fn new_writes_a_draft_that_lints_without_errors() {
    let project = Project::new();
    new(&project, Some("Alice Example"))
        .args(["Checkout latency (EU)", "--service", "checkout"])
        .args(["--service", "cache", "--started", "2026-11-03T10:12+01:00"])
        .assert()
        .code(0)
        .stdout("postmortems/2026-11-03-checkout-latency-eu.md\n");
    let text = read(
        project
            .path()
            .join("postmortems/2026-11-03-checkout-latency-eu.md"),
    );
    for line in [
        "id = \"2026-11-03-checkout-latency-eu\"",
        "title = \"Checkout latency (EU)\"",
        "status = \"draft\"",
        "severity = \"SEV4\"",
        "services = [\"checkout\", \"cache\"]",
        "authors = [\"Alice Example\"]",
        "started_at = 2026-11-03T10:12:00+01:00",
        "detected_at = 2026-11-03T10:12:00+01:00",
        "resolved_at = 2026-11-03T10:12:00+01:00",
        "# Checkout latency (EU)",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} not in:\n{text}");
    }
    assert!(!text.contains("{{"), "a placeholder is left:\n{text}");

    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0);
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.iter().all(|r| *r == "empty-section"), "{rules:?}");
}

#[test]
fn new_defaults_to_no_services_no_authors_and_now() {
    let project = Project::new();
    let output = new(&project, None).arg("Queue backlog").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let path = stdout(&output);
    let re = regex::Regex::new(r"^postmortems/(\d{4}-\d{2}-\d{2})-queue-backlog\.md\n$").unwrap();
    let date = &re.captures(&path).expect("a dated file name")[1];
    let text = read(project.path().join(path.trim_end()));
    assert!(text.contains("\nservices = []\n"), "{text}");
    assert!(text.contains("\nauthors = []\n"), "{text}");
    assert!(text.contains(&format!("\nstarted_at = {date}T")), "{text}");
    assert!(
        regex::Regex::new(r"\nstarted_at = \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z\n")
            .unwrap()
            .is_match(&text),
        "{text}"
    );
    project.pmbook().arg("lint").assert().code(0);
}

#[test]
fn new_never_overwrites_and_never_reuses_an_id() {
    let project = Project::new();
    let args = ["Cache eviction", "--started", "2026-09-14T08:00:00Z"];
    new(&project, None).args(args).assert().code(0);
    new(&project, None)
        .args(args)
        .assert()
        .code(0)
        .stdout("postmortems/2026-09-14-cache-eviction-2.md\n");
    let second = read(
        project
            .path()
            .join("postmortems/2026-09-14-cache-eviction-2.md"),
    );
    assert!(second.contains("id = \"2026-09-14-cache-eviction-2\""));
    // An id is taken even when its file is named otherwise.
    project.postmortem(
        "older.md",
        common::valid_with("2026-11-03-checkout-latency", "2026-09-14-cache-eviction-3"),
    );
    new(&project, None)
        .args(args)
        .assert()
        .code(0)
        .stdout("postmortems/2026-09-14-cache-eviction-4.md\n");
    project.pmbook().arg("lint").assert().code(0);
}

#[test]
fn new_prints_the_path_relative_to_the_working_directory() {
    let project = Project::new();
    project.file("pmbook.toml", "");
    std::fs::create_dir(project.path().join("docs")).unwrap();
    new(&project, None)
        .current_dir(project.path().join("docs"))
        .args(["Disk full", "--started", "2026-01-02T03:04:05Z"])
        .assert()
        .code(0)
        .stdout("../postmortems/2026-01-02-disk-full.md\n");
}

#[test]
fn new_creates_the_postmortem_directory_when_needed() {
    let dir = empty_dir();
    let output = pmbook()
        .current_dir(dir.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["new", "First outage", "--started", "2026-01-02T03:04:05Z"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "postmortems/2026-01-02-first-outage.md\n");
    pmbook()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(0);
}

#[test]
fn new_uses_a_template_file() {
    let project = Project::new();
    project.file(
        "tpl.md",
        "+++\nid = {{id}}\ntitle = {{ title }}\nstatus = {{status}}\nseverity = {{severity}}\nservices = {{services}}\nstarted_at = {{started_at}}\ndetected_at = {{detected_at}}\nresolved_at = {{resolved_at}}\n+++\n\n# {{title}} on {{date}}\n",
    );
    new(&project, None)
        .args(["Say \"hi\"", "--template", "tpl.md", "--severity", "SEV1"])
        .args(["--started", "2026-11-03T09:12:00Z"])
        .assert()
        .code(0);
    assert_eq!(
        read(project.path().join("postmortems/2026-11-03-say-hi.md")),
        "+++\nid = \"2026-11-03-say-hi\"\ntitle = \"Say \\\"hi\\\"\"\nstatus = \"draft\"\nseverity = \"SEV1\"\nservices = []\nstarted_at = 2026-11-03T09:12:00Z\ndetected_at = 2026-11-03T09:12:00Z\nresolved_at = 2026-11-03T09:12:00Z\n+++\n\n# Say \"hi\" on 2026-11-03\n"
    );

    project.file("typo.md", "+++\ntitle = {{titel}}\n+++\n");
    new(&project, None)
        .args(["x", "--template", "typo.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown placeholder `{{titel}}` in typo.md; did you mean `{{title}}`?",
        ));
    assert_eq!(
        std::fs::read_dir(project.path().join("postmortems"))
            .unwrap()
            .count(),
        1
    );
}

/// Templates are MiniJinja, as the site's themes are: `{# … #}` is a
/// comment left out of the postmortem, and an unclosed placeholder is an
/// error that names the file, with nothing written.
#[test]
fn a_template_is_read_as_minijinja() {
    let project = Project::new();
    project.file(
        "tpl.md",
        "+++\nid = {{id}}\ntitle = {{title}}\n+++\n{# for the team: keep it short #}\n# {{ title | upper }}\n",
    );
    new(&project, None)
        .args(["Disk full", "--template", "tpl.md"])
        .args(["--started", "2026-11-03T09:12:00Z"])
        .assert()
        .code(0);
    assert_eq!(
        read(project.path().join("postmortems/2026-11-03-disk-full.md")),
        "+++\nid = \"2026-11-03-disk-full\"\ntitle = \"Disk full\"\n+++\n\n# DISK FULL\n"
    );

    project.file("broken.md", "+++\ntitle = {{title}}\n+++\n# {{ title\n");
    new(&project, None)
        .args(["Other", "--template", "broken.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot fill broken.md: "));
    assert_eq!(
        std::fs::read_dir(project.path().join("postmortems"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn new_rejects_what_it_cannot_write() {
    let project = Project::new();
    new(&project, None)
        .args(["x", "--severity", "sev2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "severity `sev2` is not one of the configured severities (SEV1, SEV2, SEV3, SEV4); did you mean `SEV2`?",
        ));
    new(&project, None)
        .args(["x", "--started", "2026-11-03T09:12:00"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("with an offset"));
    new(&project, None).arg("  ").assert().code(2);
    new(&project, None).arg("two\nlines").assert().code(2);
    assert_eq!(
        std::fs::read_dir(project.path().join("postmortems"))
            .unwrap()
            .count(),
        0
    );
}

/// The committed schemas are the output of `pmbook schema`;
/// `PMBOOK_BLESS=1 cargo test --test authoring` rewrites them.
#[test]
fn committed_schemas_match_the_code() {
    let bless = std::env::var_os("PMBOOK_BLESS").is_some();
    let mut stale = Vec::new();
    for (kind, file) in [
        ("postmortem", "schema/postmortem.schema.json"),
        ("config", "schema/pmbook.schema.json"),
    ] {
        let output = pmbook().args(["schema", kind]).output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        let generated = stdout(&output);
        let path = repo_file(file);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(generated.as_str()) {
            if bless {
                std::fs::write(&path, &generated).unwrap();
            } else {
                stale.push(file);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} out of date: run `PMBOOK_BLESS=1 cargo test --test authoring`"
    );
    pmbook()
        .arg("schema")
        .assert()
        .code(0)
        .stdout(read(repo_file("schema/postmortem.schema.json")));
}

/// A schema from `schema/`, compiled by boon, an implementation independent
/// of the one that wrote it, with `format` checked.
fn compile(file: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let schema: serde_json::Value = serde_json::from_str(&read(repo_file(file))).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource(file, schema).unwrap();
    let index = compiler.compile(file, &mut schemas).unwrap();
    (schemas, index)
}

/// TOML as JSON, with date-times as RFC 3339 strings.
fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(dt) => J::String(dt.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => J::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// The front-matter of a postmortem, as JSON.
fn front_matter(text: &str) -> serde_json::Value {
    let inner = text
        .strip_prefix("+++\n")
        .and_then(|rest| rest.split_once("\n+++\n"))
        .expect("front-matter between +++ lines")
        .0;
    toml_to_json(toml::from_str(inner).expect("valid TOML"))
}

#[test]
fn the_example_postmortems_validate_against_the_schema() {
    let (schemas, index) = compile("schema/postmortem.schema.json");
    let dir = repo_file("book/example/postmortems");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let json = front_matter(&read(&path));
        if let Err(error) = schemas.validate(&json, index) {
            panic!("{}: {error:#}", path.display());
        }
        count += 1;
    }
    assert_eq!(count, 14);

    // And the schema does reject what pmbook rejects.
    let valid = front_matter(common::VALID);
    let mut broken = valid.clone();
    broken["serivces"] = serde_json::json!(["x"]);
    assert!(schemas.validate(&broken, index).is_err());
    let mut broken = valid.clone();
    broken.as_object_mut().unwrap().remove("resolved_at");
    assert!(schemas.validate(&broken, index).is_err());
    let mut broken = valid.clone();
    broken["started_at"] = serde_json::json!("yesterday");
    assert!(schemas.validate(&broken, index).is_err());
    let mut broken = valid;
    broken["id"] = serde_json::json!("Checkout Latency");
    assert!(schemas.validate(&broken, index).is_err());
}

#[test]
fn the_default_and_example_configs_validate_against_the_schema() {
    let (schemas, index) = compile("schema/pmbook.schema.json");
    for file in ["schema/pmbook.toml", "book/example/pmbook.toml"] {
        let json = toml_to_json(toml::from_str(&read(repo_file(file))).unwrap());
        if let Err(error) = schemas.validate(&json, index) {
            panic!("{file}: {error:#}");
        }
    }
    let levels = serde_json::json!({"lint": {"rules": {"blameful-language": "warning"}}});
    assert!(schemas.validate(&levels, index).is_ok());
    let typo = serde_json::json!({"lint": {"rules": {"blameful-languag": "warn"}}});
    assert!(schemas.validate(&typo, index).is_err());
}

#[test]
fn completions_and_the_man_page_cover_the_commands() {
    for shell in ["bash", "zsh", "fish"] {
        let output = pmbook().args(["completions", shell]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(stdout(&output).contains("lint"), "{shell}");
    }
    let output = pmbook().arg("man").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let page = stdout(&output);
    assert!(
        page.starts_with(".ie"),
        "not roff: {}",
        &page[..40.min(page.len())]
    );
    assert!(page.contains("lint"));
    pmbook().args(["completions", "tcsh"]).assert().code(2);
}
