//! Postmortems in French (`[book] language = "fr"`): the template of `init
//! --language fr` and `new`, French section headings in any Unicode form,
//! the French blameless wording, French action kinds and root-cause
//! categories, and the French example of the book.

mod common;

use std::path::Path;

use common::{Project, VALID, pmbook, stderr, stdout};

/// The diagnostics of a `lint --format json` run: (line, rule, message,
/// help).
fn diagnostics(output: &std::process::Output) -> Vec<(u64, String, String, String)> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
                d["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// `text` with each `(from, to)` replaced once (each must occur).
fn replaced(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in replacements {
        assert!(text.contains(from), "{from:?} not in the text");
        text = text.replacen(from, to, 1);
    }
    text
}

/// An empty project whose book is in French.
fn french_project() -> Project {
    let project = Project::new();
    project.file("pmbook.toml", "[book]\nlanguage = \"fr\"\n");
    project
}

#[test]
fn the_french_template_lints_clean_right_after_init_and_new() {
    let dir = tempfile::tempdir().unwrap();
    common::git(dir.path(), &["init", "-q", "-b", "main"]);
    let init = pmbook()
        .current_dir(dir.path())
        .args(["init", "--language", "fr"])
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let config = std::fs::read_to_string(dir.path().join("pmbook.toml")).unwrap();
    assert!(config.contains("\nlanguage = \"fr\"\n"), "{config}");
    let readme = std::fs::read_to_string(dir.path().join("postmortems/README.md")).unwrap();
    assert!(
        readme.contains("Un fichier Markdown par incident"),
        "{readme}"
    );

    let new = pmbook()
        .current_dir(dir.path())
        .args([
            "new",
            "Paiements refusés après l’échéance",
            "--started",
            "2026-11-03T09:12:00Z",
        ])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    // The file name spells the title's accents out.
    let path = dir
        .path()
        .join("postmortems/2026-11-03-paiements-refuses-apres-l-echeance.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Résumé",
            "## Impact",
            "## Chronologie",
            "## Cause racine",
            "## Facteurs contributifs",
            "## Cinq pourquoi",
            "## Ishikawa",
            "## Actions",
            "## Communication",
            "## Leçons apprises",
        ]
    );

    let lint = pmbook()
        .current_dir(dir.path())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    // A fresh draft asks for its sections to be written, and for nothing
    // else: every section is recognised and nothing in the template is
    // blameful or out of place.
    let found = diagnostics(&lint);
    assert_eq!(found.len(), 10, "{found:?}");
    assert!(
        found.iter().all(|(_, rule, _, _)| rule == "empty-section"),
        "{found:?}"
    );
}

#[test]
fn an_english_book_keeps_the_english_template() {
    let project = Project::new();
    let output = project
        .pmbook()
        .args([
            "new",
            "Checkout latency",
            "--started",
            "2026-11-03T09:12:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(
        project
            .path()
            .join("postmortems/2026-11-03-checkout-latency.md"),
    )
    .unwrap();
    assert!(
        text.contains("\n## Summary\n") && !text.contains("Résumé"),
        "{text}"
    );
}

#[test]
fn init_rejects_an_unknown_language_and_the_config_too() {
    let dir = tempfile::tempdir().unwrap();
    pmbook()
        .current_dir(dir.path())
        .args(["init", "--language", "de"])
        .assert()
        .code(2);
    assert!(!dir.path().join("pmbook.toml").exists());

    let project = Project::new();
    project.file("pmbook.toml", "[book]\nlanguage = \"de\"\n");
    project.postmortem("2026-11-03-checkout-latency.md", VALID);
    let output = project.pmbook().arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("`[book] language` is `de`; pmbook speaks `en`, `fr`"),
        "{text}"
    );
    assert!(text.contains("pmbook.toml:2:"), "{text}");
}

/// In a French book, French headings, typed with decomposed accents (NFD),
/// curly apostrophes, capitals and a French ` :`, open the default
/// sections.
#[test]
fn french_headings_match_in_any_unicode_form_case_and_apostrophe() {
    let text = replaced(
        VALID,
        &[
            ("## Summary", "## Re\u{301}sume\u{301}"),
            ("## Timeline", "## CHRONOLOGIE DÉTAILLÉE\u{a0}:"),
            ("## Root cause", "## Causes profondes"),
            ("## Contributing factors", "## Facteurs contributifs"),
            ("## Five whys", "## Les 5 pourquoi"),
            ("## Ishikawa", "## Diagramme d\u{2019}Ishikawa"),
            (
                "## Action items",
                "## E\u{301}le\u{301}ments d\u{2019}action",
            ),
            ("## Lessons learned", "## Leçons apprises"),
        ],
    );
    let english = Project::new();
    english.postmortem("2026-11-03-checkout-latency.md", &text);
    let output = english.pmbook().arg("lint").output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "an English book reads English headings"
    );
    let project = french_project();
    project.postmortem("2026-11-03-checkout-latency.md", &text);
    project
        .pmbook()
        .arg("lint")
        .assert()
        .success()
        .stdout("pmbook: 1 file checked, no problems\n");
    // The action items are read from the French section.
    let output = project
        .pmbook()
        .args(["actions", "--format", "json"])
        .output()
        .unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let texts: Vec<&str> = items.iter().map(|i| i["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Add a canary stage to cache deploys"]);
}

/// A team's own heading for a section is matched the same way.
#[test]
fn configured_aliases_match_in_any_unicode_form() {
    let project = Project::new();
    project.file(
        "pmbook.toml",
        "[sections.aliases]\n\"Root cause\" = [\"Origine de l\u{2019}incident\"]\n",
    );
    let text = replaced(VALID, &[("## Root cause", "## ORIGINE DE L'INCIDENT")]);
    project.postmortem("2026-11-03-checkout-latency.md", &text);
    project
        .pmbook()
        .arg("lint")
        .assert()
        .success()
        .stdout("pmbook: 1 file checked, no problems\n");
}

const WORDING: &str = "french/blameful-language";

/// The must-fire lines of the French wording fixture, with the phrase each
/// reports and whether it is hindsight.
const MUST_FIRE: &[(u64, &str, bool)] = &[
    (37, "par négligence", false),
    (38, "C\u{2019}est la faute", false),
    (39, "ERREUR HUMAINE", false),
    (40, "aurait du\u{302}", true),
    (41, "aurait pu éviter", true),
    (42, "Il suffisait de", true),
    (43, "Évidemment", false),
    (44, "n\u{2019}a pas su", true),
    (45, "a oublié de", true),
    (47, "should have", true),
];

#[test]
fn french_wording_fires_on_its_cases_and_not_on_the_ok_lines() {
    let project = Project::from_fixture(WORDING);
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let found = diagnostics(&output);
    let expected: Vec<(u64, String, String, bool)> = MUST_FIRE
        .iter()
        .map(|(line, phrase, hindsight)| {
            (
                *line,
                "blameful-language".to_owned(),
                format!("blameful wording: \"{phrase}\""),
                *hindsight,
            )
        })
        .collect();
    let actual: Vec<(u64, String, String, bool)> = found
        .into_iter()
        .map(|(line, rule, message, help)| (line, rule, message, help.starts_with("hindsight")))
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn french_wording_is_checked_only_in_a_french_book() {
    let project = Project::from_fixture(WORDING);
    std::fs::remove_file(project.path().join("pmbook.toml")).unwrap();
    let output = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let found: Vec<(u64, String)> = diagnostics(&output)
        .into_iter()
        .filter(|(_, rule, _, _)| rule == "blameful-language")
        .map(|(line, _, message, _)| (line, message))
        .collect();
    assert_eq!(
        found,
        [(47, "blameful wording: \"should have\"".to_owned())]
    );
}

/// In a French book, French kinds and categories (6M) are read as the
/// configured ones.
#[test]
fn french_kinds_and_categories_are_read_as_the_configured_ones() {
    let text = replaced(
        VALID,
        &[
            ("kind: prevent", "kind: Automatiser"),
            ("kind: fix", "kind: corriger"),
            (
                "root_cause_category = \"process\"",
                "root_cause_category = \"main-d\u{2019}\u{153}uvre\"",
            ),
            ("**Process**", "**Me\u{301}thode**"),
            ("**Tooling**", "**Mesure**"),
        ],
    );
    let english = Project::new();
    english.postmortem("2026-11-03-checkout-latency.md", &text);
    let output = english.pmbook().arg("lint").output().unwrap();
    assert!(
        stdout(&output).contains("unknown action kind `corriger`"),
        "an English book reads English kinds: {}",
        stdout(&output)
    );
    let project = french_project();
    project.postmortem("2026-11-03-checkout-latency.md", &text);
    project
        .pmbook()
        .arg("lint")
        .assert()
        .success()
        .stdout("pmbook: 1 file checked, no problems\n");
    let output = project
        .pmbook()
        .args(["actions", "--format", "json", "--all"])
        .output()
        .unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["automate", "fix"]);

    // An unknown name is still reported, with the configured kinds.
    let text = replaced(VALID, &[("kind: prevent", "kind: réparer")]);
    project.postmortem("2026-11-03-checkout-latency.md", &text);
    let output = project.pmbook().arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("unknown action kind `réparer`"),
        "{}",
        stdout(&output)
    );
}

/// A French category groups the incident with the configured one: the
/// site's page of causes is the configured one's.
#[test]
fn a_french_category_is_grouped_with_the_configured_one() {
    let text = replaced(
        VALID,
        &[(
            "root_cause_category = \"process\"",
            "root_cause_category = \"méthode\"",
        )],
    );
    let project = french_project();
    project.postmortem("2026-11-03-checkout-latency.md", &text);
    let out = project.build(&[]);
    let causes: Vec<String> = std::fs::read_dir(out.join("causes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(causes.contains(&"process.html".to_owned()), "{causes:?}");
    assert!(!causes.iter().any(|c| c.contains("thode")), "{causes:?}");
    let page = std::fs::read_to_string(out.join("causes/process.html")).unwrap();
    assert!(
        page.contains("Checkout latency after cache deploy"),
        "{page}"
    );
}

fn example_fr() -> Project {
    let project = Project::new();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("book/example-fr"),
        project.path(),
    );
    project
}

#[test]
fn the_french_example_lints_clean_and_builds() {
    let project = example_fr();
    project
        .pmbook()
        .arg("lint")
        .assert()
        .success()
        .stdout("pmbook: 4 files checked, no problems\n");
    let out = project.build(&[]);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for title in [
        "Paiements refusés après l&#39;expiration d&#39;un certificat",
        "Recherche en lecture seule après la saturation d&#39;un disque",
        "Catalogue indisponible pendant une migration de schéma",
        "SMS de confirmation retardés par un ralentissement du fournisseur",
    ] {
        assert!(index.contains(title), "{title} not in the index");
    }
}

#[test]
fn a_missing_section_is_named_and_added_in_french() {
    let project = example_fr();
    let path = "postmortems/2026-06-02-recherche-disque-plein.md";
    let text = std::fs::read_to_string(project.path().join(path)).unwrap();
    let start = text.find("## Cause racine\n").unwrap();
    let end = text.find("## Facteurs contributifs\n").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    project.file(path, &without);
    let output = project.pmbook().arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("missing required section `## Cause racine`"),
        "{}",
        stdout(&output)
    );
    project.pmbook().args(["lint", "--fix"]).assert().code(1);
    let fixed = std::fs::read_to_string(project.path().join(path)).unwrap();
    assert!(
        fixed.contains(
            "## Cause racine\n\n<!-- La cause qui, une fois supprimée, empêche l'incident de se reproduire : un système, un processus ou une décision, pas une personne. -->\n\n## Facteurs contributifs\n"
        ),
        "{fixed}"
    );
}

/// `init --language` never changes an existing pmbook.toml: it says how to
/// change its language, and only when another one was asked for.
#[test]
fn init_keeps_an_existing_config_and_says_how_to_change_its_language() {
    let project = Project::new();
    project.file("pmbook.toml", "[book]\ntitle = \"Incidents\"\n");
    let output = project
        .pmbook()
        .args(["init", "--language", "fr"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            "kept pmbook.toml: it already exists\n  its `[book] language` is \"en\"; set it to \"fr\" there to change it\n"
        ),
        "{text}"
    );
    let config = std::fs::read_to_string(project.path().join("pmbook.toml")).unwrap();
    assert_eq!(config, "[book]\ntitle = \"Incidents\"\n");

    let french = french_project();
    let output = french.pmbook().arg("init").output().unwrap();
    let text = stdout(&output);
    assert!(!text.contains("language"), "{text}");
    let readme = std::fs::read_to_string(french.path().join("postmortems/README.md")).unwrap();
    assert!(
        readme.contains("Un fichier Markdown par incident"),
        "{readme}"
    );
}
