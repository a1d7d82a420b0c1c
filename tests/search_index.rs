//! `search-index.js`: what the search page ranks with.

mod common;

use common::{Project, stderr, valid_with};

/// The index's entries, read back as JSON.
fn index(project: &Project) -> Vec<serde_json::Value> {
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let script = std::fs::read_to_string(project.path().join("out/search-index.js")).unwrap();
    let json = script
        .strip_prefix("window.pmbookSearch = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap();
    serde_json::from_str(json).unwrap()
}

#[test]
fn the_words_of_the_text_are_grouped_by_how_often_they_occur() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        valid_with(
            "12 % of checkouts",
            "Zeta zeta ZETA alpha alpha omega sigma sigma sigma sigma sigma sigma sigma. 12 % of checkouts",
        ),
    );
    let docs = index(&project);
    let groups: Vec<Vec<&str>> = docs[0]["w"]
        .as_str()
        .unwrap()
        .split('|')
        .map(|g| g.split(' ').collect())
        .collect();
    let group_of = |word: &str| groups.iter().position(|g| g.contains(&word));
    assert_eq!(group_of("omega"), Some(0));
    assert_eq!(group_of("alpha"), Some(1));
    assert_eq!(group_of("zeta"), Some(2));
    // Five times or more share the last group.
    assert_eq!(group_of("sigma"), Some(4));
    assert_eq!(groups.len(), 5, "{groups:?}");
    for group in &groups {
        let mut sorted = group.clone();
        sorted.sort();
        assert_eq!(&sorted, group, "each group is sorted");
    }
    // The root-cause category is a field of its own.
    assert_eq!(docs[0]["c"], "process");
}

#[test]
fn an_incident_without_a_root_cause_category_has_no_cause_field() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        valid_with("root_cause_category = \"process\"\n", ""),
    );
    let docs = index(&project);
    assert!(docs[0].get("c").is_none(), "{:?}", docs[0]);
}
