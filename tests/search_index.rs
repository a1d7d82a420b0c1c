//! The search index in shards: `search-index.js` and `search/`, what the
//! search page ranks with.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Project, VALID, valid_with};
use serde_json::Value;

/// `name(ARGS);\n` read back as the JSON array of its arguments.
fn call(path: &Path, name: &str) -> Value {
    let script = std::fs::read_to_string(path).unwrap();
    let args = script
        .strip_prefix(&format!("{name}("))
        .and_then(|s| s.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{} is not a call of {name}: {script}", path.display()));
    serde_json::from_str(&format!("[{args}]")).unwrap()
}

fn top(out: &Path) -> Value {
    let script = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    let json = script
        .strip_prefix("window.pmbookSearch = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap();
    serde_json::from_str(json).unwrap()
}

/// The postings of `word` in the shard file `terms-{file}.js`: incident
/// position -> weight.
fn weights(out: &Path, file: &str, word: &str) -> BTreeMap<u64, u64> {
    let shard = call(
        &out.join(format!("search/terms-{file}.js")),
        "pmbookSearchShard",
    );
    let list = shard[1][word].as_array().cloned().unwrap_or_default();
    let mut at = 0;
    list.chunks(2)
        .map(|pair| {
            at += pair[0].as_u64().unwrap();
            (at, pair[1].as_u64().unwrap())
        })
        .collect()
}

fn incident(id: &str, title: &str, words: &str) -> String {
    VALID
        .replace("2026-11-03-checkout-latency", id)
        .replace("Checkout latency after cache deploy", title)
        .replace(
            "12 % of checkouts timed out",
            &format!("{words}\n\n12 % of checkouts timed out"),
        )
}

#[test]
fn the_top_level_script_maps_the_shards_and_the_shards_hold_the_postings() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        valid_with(
            "12 % of checkouts",
            "Zeta zeta ZETA omega. 12 % of checkouts",
        ),
    );
    let out = project.build(&[]);
    let top = top(&out);
    assert_eq!(top["n"], 1);
    assert_eq!(top["p"], 10);
    assert_eq!(top["f"]["severity"], serde_json::json!(["SEV2"]));
    assert_eq!(
        top["f"]["service"],
        serde_json::json!(["cache", "checkout"])
    );
    assert_eq!(top["f"]["tag"], serde_json::json!(["deploy"]));
    // The map: each key, then its shard's size in kB, rounded up.
    let map = top["k"].as_array().unwrap();
    let keys: Vec<&str> = map.iter().step_by(2).map(|k| k.as_str().unwrap()).collect();
    assert!(keys.contains(&"ze") && keys.contains(&"om"), "{keys:?}");
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(sorted, keys, "the keys are sorted");
    for pair in map.chunks(2) {
        let file = out.join(format!("search/terms-{}.js", pair[0].as_str().unwrap()));
        let bytes = std::fs::metadata(&file).unwrap().len();
        assert_eq!(pair[1].as_u64().unwrap(), bytes.div_ceil(1000), "{file:?}");
    }
    assert_eq!(weights(&out, "ze", "zeta").len(), 1);
    assert!(weights(&out, "ze", "omega").is_empty());
    assert_eq!(weights(&out, "om", "omega").len(), 1);
    // What a result shows.
    let docs = call(&out.join("search/docs-0.js"), "pmbookSearchDocs");
    assert_eq!(docs[0], 0);
    assert_eq!(docs[1][0]["t"], "Checkout latency after cache deploy");
    assert_eq!(
        docs[1][0]["u"],
        "incidents/2026-11-03-checkout-latency.html"
    );
    assert_eq!(docs[1][0]["v"], serde_json::json!(["checkout", "cache"]));
    // Each facet value's incidents, in the order of the top-level's values.
    let severity = call(&out.join("search/facet-severity.js"), "pmbookSearchFacet");
    assert_eq!(severity, serde_json::json!(["severity", [[0]]]));
}

#[test]
fn a_word_counts_five_times_at_most_and_the_title_and_cause_weigh_more() {
    let project = Project::new();
    let sigma = |n: usize| vec!["sigma"; n].join(" ");
    for (id, title, words) in [
        ("2026-11-01-five", "Queue backlog", sigma(5)),
        ("2026-11-02-seven", "Queue backlog", sigma(7)),
        ("2026-11-03-title", "Kestrel outage", String::new()),
        ("2026-11-04-text", "Queue backlog", "kestrel".to_owned()),
    ] {
        project.postmortem(&format!("{id}.md"), incident(id, title, &words));
    }
    project.postmortem(
        "2026-11-05-no-cause.md",
        incident("2026-11-05-no-cause", "Queue backlog", "")
            .replace("root_cause_category = \"process\"\n", ""),
    );
    let out = project.build(&[]);
    let docs = call(&out.join("search/docs-0.js"), "pmbookSearchDocs");
    let at = |id: &str| -> u64 {
        let url = format!("incidents/{id}.html");
        docs[1]
            .as_array()
            .unwrap()
            .iter()
            .position(|d| d["u"] == url.as_str())
            .unwrap() as u64
    };
    let sigma = weights(&out, "si", "sigma");
    assert_eq!(sigma.len(), 2, "{sigma:?}");
    assert_eq!(
        sigma[&at("2026-11-01-five")],
        sigma[&at("2026-11-02-seven")],
        "seven times weigh as five: {sigma:?}"
    );
    let kestrel = weights(&out, "ke", "kestrel");
    assert!(
        kestrel[&at("2026-11-03-title")] > kestrel[&at("2026-11-04-text")],
        "{kestrel:?}"
    );
    let process = weights(&out, "pr", "process");
    assert!(
        process
            .get(&at("2026-11-05-no-cause"))
            .copied()
            .unwrap_or(0)
            < process[&at("2026-11-04-text")],
        "{process:?}"
    );
}

#[test]
fn a_big_shard_is_split_by_one_more_letter() {
    // 3,000 words starting with `ka`: about 60 kB of postings.
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let words: Vec<String> = (0..3000)
        .map(|n| {
            let mut word = String::from("ka");
            let mut rest = n;
            for _ in 0..4 {
                word.push(letters[rest % 26] as char);
                rest /= 26;
            }
            word
        })
        .collect();
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        valid_with(
            "12 % of checkouts",
            &format!("{} ka. 12 % of checkouts", words.join(" ")),
        ),
    );
    let out = project.build(&[]);
    let keys: Vec<String> = top(&out)["k"]
        .as_array()
        .unwrap()
        .iter()
        .step_by(2)
        .map(|k| k.as_str().unwrap().to_owned())
        .filter(|k| k.starts_with("ka"))
        .collect();
    // The word `ka` itself keeps the shard `ka`; the others are by three letters.
    assert_eq!(keys[0], "ka");
    assert_eq!(keys.len(), 27, "{keys:?}");
    assert!(keys[1..].iter().all(|k| k.chars().count() == 3), "{keys:?}");
    assert_eq!(weights(&out, "ka", "ka").len(), 1);
    assert_eq!(weights(&out, "kab", "kabaaa").len(), 1);
    for key in &keys {
        let bytes = std::fs::metadata(out.join(format!("search/terms-{key}.js")))
            .unwrap()
            .len();
        assert!(bytes <= 32_000, "{key}: {bytes} bytes");
    }
}

#[test]
fn a_key_that_is_not_ascii_is_spelt_in_hex_in_the_file_name() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        valid_with("12 % of checkouts", "Éclair été. 12 % of checkouts"),
    );
    let out = project.build(&[]);
    let shard = call(&out.join("search/terms-_e9_c.js"), "pmbookSearchShard");
    assert_eq!(shard[0], "éc");
    assert_eq!(weights(&out, "_e9_c", "éclair").len(), 1);
    assert_eq!(weights(&out, "_e9_t", "été").len(), 1);
}

#[test]
fn the_index_is_the_same_bytes_on_every_build() {
    let project = Project::example();
    let read = |out: &Path| -> BTreeMap<String, Vec<u8>> {
        let mut files: BTreeMap<String, Vec<u8>> = std::fs::read_dir(out.join("search"))
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                (
                    path.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&path).unwrap(),
                )
            })
            .collect();
        files.insert(
            "search-index.js".into(),
            std::fs::read(out.join("search-index.js")).unwrap(),
        );
        files
    };
    let first = read(&project.build(&[]));
    let second = read(&project.build(&[]));
    assert!(first.len() > 10, "{:?}", first.keys());
    assert!(first == second, "two builds differ");
}
