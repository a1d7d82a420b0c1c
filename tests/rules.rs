//! One fixture per rule (`tests/fixtures/rules/<id>/`), linted by the real
//! binary; the human output is a reviewed snapshot. Each fixture holds the
//! cases that must fire and, between `<!-- ok -->` and `<!-- /ok -->` (or
//! `# ok` and `# /ok` in the front-matter), look-alike cases that must not.

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

/// The lines of `text` that a fixture marks as must-not-fire cases: those
/// between `<!-- ok -->` and `<!-- /ok -->` in the body, or `# ok` and
/// `# /ok` in the front-matter (1-based).
fn ok_lines(text: &str) -> Vec<usize> {
    let mut inside = false;
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        match line.trim() {
            "<!-- ok -->" | "# ok" => inside = true,
            "<!-- /ok -->" | "# /ok" => inside = false,
            _ if inside => lines.push(n + 1),
            _ => {}
        }
    }
    lines
}

/// Each fixture also holds look-alike cases that must not fire (as ruff's
/// fixtures do), and no diagnostic of any rule points at one of them.
#[test]
fn no_rule_fires_on_the_ok_cases_of_a_fixture() {
    let mut without_ok_cases = Vec::new();
    for id in rule_ids() {
        let dir = common::fixtures().join("rules").join(&id);
        let mut ok: Vec<(String, usize)> = Vec::new();
        for entry in std::fs::read_dir(dir.join("postmortems")).expect("fixture dir") {
            let path = entry.expect("entry").path();
            let text = String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
            let name = path.file_name().expect("name").to_string_lossy();
            ok.extend(
                ok_lines(&text)
                    .into_iter()
                    .map(|line| (format!("postmortems/{name}"), line)),
            );
        }
        if ok.is_empty() {
            without_ok_cases.push(id.clone());
            continue;
        }
        let project = Project::from_fixture(&format!("rules/{id}"));
        let output = project
            .pmbook()
            .args(["lint", "--format", "json"])
            .output()
            .expect("run");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        for d in json["diagnostics"].as_array().expect("diagnostics") {
            let at = (
                d["path"].as_str().expect("path").to_owned(),
                d["line"].as_u64().unwrap_or(0) as usize,
            );
            assert!(
                !ok.contains(&at),
                "fixture of {id}: an ok case fired at {}:{}: {}",
                at.0,
                at.1,
                d["message"]
            );
        }
    }
    assert!(
        without_ok_cases.is_empty(),
        "fixtures without ok cases: {without_ok_cases:?}"
    );
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
