//! One fixture per rule (`tests/fixtures/rules/<id>/`), linted by the real
//! binary; the human output is a reviewed snapshot.

mod common;

use common::{Project, pmbook, stdout};

/// Every rule id, from the binary itself.
fn rule_ids() -> Vec<String> {
    let output = pmbook()
        .args(["rules", "--format", "json"])
        .output()
        .expect("run");
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).expect("json");
    rules
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it() {
    let mut missing = Vec::new();
    for id in rule_ids() {
        let dir = common::fixtures().join("rules").join(&id);
        if !dir.is_dir() {
            missing.push(id);
            continue;
        }
        let project = Project::from_fixture(&format!("rules/{id}"));
        let output = project.pmbook().arg("lint").output().expect("run");
        let text = stdout(&output);
        assert!(
            text.contains(&format!("[{id}]")),
            "fixture of {id} does not trigger it:\n{text}"
        );
        insta::assert_snapshot!(format!("rule-{id}"), text);
    }
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

#[test]
fn the_valid_fixture_is_clean() {
    let project = Project::new();
    project.postmortem("2026-11-03-checkout-latency.md", common::VALID);
    project
        .pmbook()
        .arg("lint")
        .assert()
        .success()
        .stdout("pmbook: 1 file checked, no problems\n");
}

#[test]
fn rule_levels_are_configurable() {
    let project = Project::from_fixture("rules/action-overdue");
    project
        .pmbook()
        .args(["lint", "--deny-warnings"])
        .assert()
        .code(1);
    project.file("pmbook.toml", "[lint.rules]\naction-overdue = \"off\"\n");
    project
        .pmbook()
        .args(["lint", "--deny-warnings"])
        .assert()
        .success();
    project.file("pmbook.toml", "[lint.rules]\naction-overdue = \"error\"\n");
    project.pmbook().arg("lint").assert().code(1);
}

#[test]
fn the_book_has_the_generated_page_of_every_rule() {
    let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/rules");
    let bless = std::env::var_os("PMBOOK_BLESS").is_some();
    let mut stale = Vec::new();
    for id in rule_ids() {
        let output = pmbook()
            .args(["rules", &id, "--format", "markdown"])
            .output()
            .expect("run");
        let page = stdout(&output);
        let path = book.join(format!("{id}.md"));
        if bless {
            std::fs::create_dir_all(&book).expect("mkdir");
            std::fs::write(&path, &page).expect("write");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(id);
        }
    }
    assert!(
        stale.is_empty(),
        "book pages out of date for {stale:?}: run `PMBOOK_BLESS=1 cargo test --test rules`"
    );
}
