//! `pmbook import`: existing postmortems converted into pmbook drafts.

mod common;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use common::{Project, fixtures, stdout};

/// Every file under `dir` with a hash of its bytes.
fn hashes(dir: &Path) -> BTreeMap<String, u64> {
    walk(dir)
        .into_iter()
        .map(|(name, bytes)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            (name, h.finish())
        })
        .collect()
}

fn walk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for (inner, bytes) in walk(&path) {
                out.insert(format!("{name}/{inner}"), bytes);
            }
        } else {
            out.insert(name, std::fs::read(&path).expect("read"));
        }
    }
    out
}

/// A project with the corpus under `old/`.
fn archive() -> Project {
    let project = Project::new();
    common::copy_dir(
        &fixtures().join("import/archive"),
        &project.path().join("old"),
    );
    project
}

fn json_report(project: &Project, args: &[&str]) -> serde_json::Value {
    let output = project
        .pmbook()
        .arg("import")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("JSON report")
}

#[test]
fn sources_are_never_changed() {
    let project = archive();
    let before = hashes(&project.path().join("old"));
    project.pmbook().args(["import", "old"]).assert().success();
    assert_eq!(hashes(&project.path().join("old")), before);
    assert_eq!(walk(&project.path().join("postmortems")).len(), 12);
}

#[test]
fn importing_twice_changes_no_byte_and_makes_no_duplicate() {
    let project = archive();
    project.pmbook().args(["import", "old"]).assert().success();
    let first = walk(&project.path().join("postmortems"));
    let report = json_report(&project, &["old"]);
    assert_eq!(walk(&project.path().join("postmortems")), first);
    for file in report.as_array().unwrap() {
        assert_eq!(file["status"], "unchanged", "{file}");
    }
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let project = Project::new();
    project.file("old/outage.md", "# Outage\n\nThe site was down.\n");
    project.postmortem("outage.md", "mine\n");
    let report = json_report(&project, &["old/outage.md"]);
    assert_eq!(report[0]["status"], "created");
    assert_eq!(report[0]["target"], "postmortems/outage-2.md");
    let mine = std::fs::read_to_string(project.path().join("postmortems/outage.md")).unwrap();
    assert_eq!(mine, "mine\n");
}

#[test]
fn an_edited_import_is_still_recognised_by_its_source() {
    let project = Project::new();
    project.file("old/outage.md", "# Outage\n\nThe site was down.\n");
    project.pmbook().args(["import", "old"]).assert().success();
    let path = project.path().join("postmortems/outage.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("The site was down.", "The site was down for 5 minutes."),
    )
    .unwrap();
    let report = json_report(&project, &["old"]);
    assert_eq!(report[0]["status"], "kept");
    assert_eq!(walk(&project.path().join("postmortems")).len(), 1);
}

#[test]
fn the_postmortem_directory_itself_is_not_imported() {
    let project = archive();
    project.pmbook().args(["import", "old"]).assert().success();
    let before = walk(&project.path().join("postmortems"));
    let report = json_report(&project, &["postmortems", "old/tiny-note.md"]);
    let statuses: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "skipped").count(), 12);
    assert_eq!(statuses.last(), Some(&"unchanged"));
    assert_eq!(walk(&project.path().join("postmortems")), before);
}

#[test]
fn zola_extra_and_taxonomies_are_kept_in_one_table() {
    let project = archive();
    project
        .pmbook()
        .args(["import", "old/zola-login.md"])
        .assert()
        .success();
    let text = std::fs::read_to_string(project.path().join("postmortems/zola-login.md")).unwrap();
    assert!(text.contains("\ntags = [\"auth\", \"tls\"]\n"), "{text}");
    assert!(
        text.contains("\n[extra]\ndate = 2024-02-06\nteam = \"identity\"\n\n[extra.taxonomies]\ntags = [\"auth\", \"tls\"]\n+++\n"),
        "{text}"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let project = archive();
    let report = json_report(&project, &["old", "--dry-run"]);
    assert_eq!(report.as_array().unwrap().len(), 12);
    assert!(
        report
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "would create")
    );
    assert!(walk(&project.path().join("postmortems")).is_empty());
}

#[test]
fn yaml_front_matter_is_mapped_and_the_rest_kept_under_extra() {
    let project = Project::new();
    project.file(
        "old/cdn.md",
        "---\ntitle: CDN outage\nauthor: Platform Team\ncategories: [cdn]\nseverity: P2\nlayout: post\nservice: cdn\nstart: 1641352200\nend: \"2022-01-05 04:30:00 -0800\"\nnote: ~\n---\n\nImages failed.\n\n## Timeline\n- 2022-01-05 1:26 PM PST — push begins\n",
    );
    project.pmbook().args(["import", "old"]).assert().success();
    let text = std::fs::read_to_string(project.path().join("postmortems/cdn.md")).unwrap();
    let expected_front = "+++\nid = \"cdn\"\ntitle = \"CDN outage\"\nstatus = \"draft\"\nseverity = \"SEV2\"\nservices = [\"cdn\"]\ntags = [\"cdn\"]\nauthors = [\"Platform Team\"]\nstarted_at = 2022-01-05T03:10:00Z\nresolved_at = 2022-01-05T04:30:00-08:00\nunconfirmed = [\"detected_at\"]\nimported_from = \"old/cdn.md\"\n\n[extra]\nlayout = \"post\"\nseverity = \"P2\"\n+++\n";
    assert!(text.starts_with(expected_front), "{text}");
    assert!(text.contains("\n## Summary\n\nImages failed.\n"), "{text}");
    assert!(
        text.contains("\n- 2022-01-05 13:26 -08:00 — push begins\n"),
        "{text}"
    );
    assert!(
        text.contains("\n## Impact\n\n_Not recorded in the original._\n"),
        "{text}"
    );
    assert!(
        text.contains("\n## Import notes\n\n- the original has no `Impact` section"),
        "{text}"
    );
    project
        .pmbook()
        .args(["lint", "postmortems/cdn.md"])
        .assert()
        .success();
}

#[test]
fn headings_of_other_styles_become_sections() {
    let project = Project::new();
    project.file(
        "old/fr.md",
        "# Panne\n\n### 1. Résumé\nx\n\n### 3. Chronologie détaillée\nAll times in UTC.\n\n#### 2024-03-12\n- 14h30 — a\n\n### “Causes profondes”\ny\n\n### Éléments d’action\n- Ajouter une alerte\n",
    );
    project.pmbook().args(["import", "old"]).assert().success();
    let text = std::fs::read_to_string(project.path().join("postmortems/fr.md")).unwrap();
    for line in [
        "\n# Panne\n",
        "\n## Summary\n\nx\n",
        "\n## Timeline\n\nAll times in UTC.\n\n- 2024-03-12 14:30 UTC — a\n",
        "\n## Root cause\n\ny\n",
        "\n## Action items\n\n- [ ] Ajouter une alerte\n",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
}

/// A `### Timeline` among `##` sections is the Timeline, not a subsection
/// of the section before it; a deeper heading naming a section already
/// given at the section level stays a subsection.
#[test]
fn a_deeper_section_heading_among_h2_sections_is_a_section() {
    let project = Project::new();
    project.file(
        "old/h3.md",
        "# Outage\n\n## Summary\nx\n\n## Impact\ny\n\n### Timeline\n- 2024-03-12 14:30 UTC — a\n\n## Root cause\nz\n\n### Root causes\nmore\n",
    );
    let output = project.pmbook().args(["import", "old"]).output().unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    let out = stdout(&output);
    assert!(!out.contains("no `Timeline` section"), "{out}");
    let text = std::fs::read_to_string(project.path().join("postmortems/h3.md")).unwrap();
    for part in [
        "\n## Impact\n\ny\n\n## Timeline\n\n- 2024-03-12 14:30 UTC — a\n",
        "\n## Root cause\n\nz\n\n### Root causes\nmore\n",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
}

/// `--aliases` keeps the original headings and adds them to
/// `[sections.aliases]`: pmbook.toml gains the entries and nothing else
/// changes in it, byte for byte; a second import changes no byte anywhere.
#[test]
fn aliases_keep_the_headings_and_only_add_to_pmbook_toml() {
    let project = Project::new();
    let config = "# Our settings\n[book]\ntitle   =   \"Incidents\"   # odd spacing kept\n\n[sections.aliases]\n\"Action items\" = [\"Suivi\"]  # ours\n\n[lint]\nstatuses = [\"draft\", \"published\"]\n";
    project.file("pmbook.toml", config);
    project.file(
        "old/fr.md",
        "# Panne\n\n## Résumé\nx\n\n## 3. Chronologie détaillée\nAll times in UTC.\n\n- 2024-03-12 14:30 — a\n\n## Causes profondes\ny\n\n## Root cause\nz\n\n## Suivi\n- [ ] Ajouter une alerte (owner: @ana, due: 2024-04-01, kind: detect)\n",
    );
    let output = project
        .pmbook()
        .args(["import", "old", "--aliases"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains(
            "pmbook.toml: added section aliases (Root cause: Causes profondes; Summary: Résumé; Timeline: Chronologie détaillée)"
        ),
        "{out}"
    );
    let written = std::fs::read_to_string(project.path().join("pmbook.toml")).unwrap();
    assert_eq!(
        written,
        "# Our settings\n[book]\ntitle   =   \"Incidents\"   # odd spacing kept\n\n[sections.aliases]\n\"Action items\" = [\"Suivi\"]  # ours\n\"Root cause\" = [\"Causes profondes\"]\n\"Summary\" = [\"Résumé\"]\n\"Timeline\" = [\"Chronologie détaillée\"]\n\n[lint]\nstatuses = [\"draft\", \"published\"]\n"
    );
    let text = std::fs::read_to_string(project.path().join("postmortems/fr.md")).unwrap();
    for part in [
        "\n## Résumé\n\nx\n",
        "\n## Chronologie détaillée\n\nAll times in UTC.\n\n- 2024-03-12 14:30 UTC — a\n",
        "\n## Causes profondes\n\ny\n\n### Root cause\n\nz\n",
        "\n## Suivi\n\n- [ ] Ajouter une alerte",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    // The kept headings are the sections lint reads.
    let lint = project
        .pmbook()
        .args(["lint", "postmortems/fr.md", "--format", "json"])
        .output()
        .unwrap();
    let found = common::findings(&lint);
    assert!(
        !found
            .iter()
            .any(|(_, rule)| rule == "required-section" || rule == "duplicate-section"),
        "{found:?}"
    );
    let before = hashes(project.path());
    let again = project
        .pmbook()
        .args(["import", "old", "--aliases"])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", common::stderr(&again));
    assert!(
        stdout(&again).contains("old/fr.md: unchanged"),
        "{}",
        stdout(&again)
    );
    assert!(
        !stdout(&again).contains("pmbook.toml"),
        "{}",
        stdout(&again)
    );
    assert_eq!(hashes(project.path()), before);
}

/// With `--dry-run`, `--aliases` says what it would add and writes no
/// pmbook.toml.
#[test]
fn aliases_with_dry_run_write_nothing() {
    let project = Project::new();
    project.file(
        "old/a.md",
        "# A\n\n## Chronologie\n- 2024-03-12 14:30 UTC — a\n",
    );
    let output = project
        .pmbook()
        .args(["import", "old", "--aliases", "--dry-run"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(
        stdout(&output).contains("pmbook.toml: would add section aliases (Timeline: Chronologie)"),
        "{}",
        stdout(&output)
    );
    assert!(!project.path().join("pmbook.toml").exists());
    assert!(!project.path().join("postmortems/a.md").exists());
}

/// Aliases that cannot be added without rewriting pmbook.toml (an inline
/// table) leave it as it is, and say what to add by hand.
#[test]
fn aliases_that_cannot_be_added_safely_leave_pmbook_toml_alone() {
    let project = Project::new();
    let config = "[sections]\naliases = { \"Action items\" = [\"Suivi\"] }\n";
    project.file("pmbook.toml", config);
    project.file(
        "old/a.md",
        "# A\n\n## Chronologie\n- 2024-03-12 14:30 UTC — a\n",
    );
    let output = project
        .pmbook()
        .args(["import", "old", "--aliases"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).contains("pmbook.toml: not changed:"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        std::fs::read_to_string(project.path().join("pmbook.toml")).unwrap(),
        config
    );
}

#[test]
fn invalid_yaml_is_reported_with_its_line_and_the_others_are_imported() {
    let project = Project::new();
    project.file("old/a.md", "---\ntitle: [unclosed\n---\nx\n");
    project.file("old/b.md", "# B\n");
    let output = project.pmbook().args(["import", "old"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let out = stdout(&output);
    assert!(
        out.contains("old/a.md: failed\n  to do: old/a.md:"),
        "{out}"
    );
    assert!(out.contains("YAML front-matter is not valid"), "{out}");
    assert!(project.path().join("postmortems/b.md").is_file());
}

#[test]
fn unconfirmed_fields_are_satisfied_in_drafts_and_errors_once_published() {
    let draft = common::valid_with("severity = \"SEV2\"\n", "unconfirmed = [\"severity\"]\n")
        .replace("status = \"published\"", "status = \"draft\"");
    let project = Project::new();
    project.postmortem("2026-11-03-checkout-latency.md", &draft);
    project.pmbook().arg("lint").assert().success();
    let published = draft.replace("status = \"draft\"", "status = \"published\"");
    project.postmortem("2026-11-03-checkout-latency.md", &published);
    let output = project.pmbook().arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output) + &common::stderr(&output);
    assert!(out.contains("`severity` is still unconfirmed"), "{out}");
}

/// The measure of issue 13 on the corpus under tests/fixtures/import: at
/// least 80% of the imported files lint with zero errors as drafts, and
/// every instant an original states is imported as the same instant.
#[test]
fn the_corpus_lints_clean_as_drafts_and_keeps_every_stated_instant() {
    let project = archive();
    let report = json_report(&project, &["old"]);
    let expected: toml::Table = std::fs::read_to_string(fixtures().join("import/expected.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let files = expected["files"].as_table().unwrap();
    let mut clean = 0;
    let entry =
        regex::Regex::new(r"(?m)^- (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?) (\S+) — ").unwrap();
    for file in report.as_array().unwrap() {
        let source = file["source"].as_str().unwrap().trim_start_matches("old/");
        let target = file["target"].as_str().unwrap();
        let lint = project.pmbook().args(["lint", target]).output().unwrap();
        if lint.status.success() {
            clean += 1;
        }
        let text = std::fs::read_to_string(project.path().join(target)).unwrap();
        let instants: Vec<String> = entry
            .captures_iter(&text)
            .map(|c| {
                let civil: jiff::civil::DateTime = format!("{}T{}", &c[1], &c[2]).parse().unwrap();
                let tz = match &c[3] {
                    "UTC" => jiff::tz::TimeZone::UTC,
                    z if z.starts_with(['+', '-']) => {
                        let sign = if z.starts_with('-') { -1 } else { 1 };
                        let h: i32 = z[1..3].parse().unwrap();
                        let m: i32 = z[4..6].parse().unwrap();
                        jiff::tz::TimeZone::fixed(
                            jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).unwrap(),
                        )
                    }
                    z => jiff::tz::TimeZone::get(z).unwrap(),
                };
                tz.to_timestamp(civil).unwrap().to_string()
            })
            .collect();
        let want = &files[source];
        let want_timeline: Vec<String> = want["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(instants, want_timeline, "{source}");
        let front: toml::Table = text.split("+++").nth(1).unwrap().parse().unwrap();
        for field in ["started_at", "resolved_at"] {
            if let Some(at) = want.get(field) {
                let written: jiff::Timestamp = front[field].to_string().parse().unwrap();
                assert_eq!(
                    written.to_string(),
                    at.as_str().unwrap(),
                    "{source} {field}"
                );
            }
        }
    }
    let total = report.as_array().unwrap().len();
    assert_eq!(total, files.len());
    // The book ("Moving an existing archive in") reports this figure.
    assert_eq!((clean, total), (12, 12), "files linting with zero errors");
    assert!(clean * 100 >= total * 80);
}

/// What an import leaves for the review (an item without a kind, a
/// timeline of approximate times only) is a warning or nothing in a draft,
/// and an error once the postmortem is published.
#[test]
fn drafts_accept_an_item_without_kind_and_a_timeline_without_entries() {
    let text = common::valid_with(", kind: prevent", "")
        .replacen(
            "- 2026-11-03 09:12 UTC — cache v2.3 deploy starts\n- 09:20 — p99 latency alert fires\n- 09:45 — deploy rolled back; latency recovers\n- 10:30 — incident resolved after cache warm-up\n",
            "~09:10 — cache v2.3 deploy starts\n",
            1,
        );
    let draft = text.replace("status = \"published\"", "status = \"draft\"");
    let project = Project::new();
    project.postmortem("2026-11-03-checkout-latency.md", &draft);
    let output = project.pmbook().arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("warning[action-kind]"),
        "{}",
        stdout(&output)
    );
    project.postmortem("2026-11-03-checkout-latency.md", &text);
    let output = project.pmbook().arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("error[action-kind]"), "{out}");
    assert!(out.contains("the Timeline section has no entries"), "{out}");
}
