//! `[book] language`: every catalogue has the keys of the English one, and
//! a French site has no English word of the site left on any page.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Project, stderr};

fn catalogues_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/site/theme/i18n")
}

/// Every catalogue file, by language code.
fn catalogues() -> BTreeMap<String, toml::Table> {
    std::fs::read_dir(catalogues_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let code = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let table: toml::Table =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (code, table)
        })
        .collect()
}

/// The leaves of `table` by dotted key (`nav.search`), with their values.
fn leaves(table: &toml::Table, prefix: &str, out: &mut BTreeMap<String, toml::Value>) {
    for (key, value) in table {
        let key = format!("{prefix}{key}");
        match value {
            toml::Value::Table(inner) => leaves(inner, &format!("{key}."), out),
            other => {
                out.insert(key, other.clone());
            }
        }
    }
}

fn flat(table: &toml::Table) -> BTreeMap<String, toml::Value> {
    let mut out = BTreeMap::new();
    leaves(table, "", &mut out);
    out
}

/// The `{placeholders}` of a text, sorted.
fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect();
    found.sort();
    found
}

#[test]
fn every_catalogue_has_the_keys_of_the_english_one_and_no_other() {
    let all = catalogues();
    let english = flat(&all["en"]);
    assert!(english.len() > 100, "en.toml looks truncated");
    assert!(all.len() >= 2, "no catalogue besides en.toml");
    for (code, table) in &all {
        let keys = flat(table);
        let missing: Vec<&String> = english.keys().filter(|k| !keys.contains_key(*k)).collect();
        let extra: Vec<&String> = keys.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{code}.toml misses {missing:?}");
        assert!(
            extra.is_empty(),
            "{code}.toml has keys en.toml has not: {extra:?}"
        );
        for (key, value) in &keys {
            let theirs = &english[key];
            assert_eq!(
                value.type_str(),
                theirs.type_str(),
                "{code}.toml: {key} is not of the type it has in en.toml"
            );
            // A format may leave out a part (`{dd}` or `{d}`).
            if key.starts_with("format.") {
                continue;
            }
            if let (Some(text), Some(en)) = (value.as_str(), theirs.as_str()) {
                assert_eq!(
                    placeholders(text),
                    placeholders(en),
                    "{code}.toml: {key} has other placeholders than in en.toml"
                );
            }
        }
        assert_eq!(
            keys["format.months"].as_array().map(Vec::len),
            Some(12),
            "{code}.toml: twelve months"
        );
    }
}

#[test]
fn the_configuration_accepts_each_catalogue_and_refuses_another_language() {
    for code in catalogues().keys() {
        let project = Project::new();
        project.file("pmbook.toml", format!("[book]\nlanguage = \"{code}\"\n"));
        let output = project.pmbook().arg("lint").output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{code}: {}", stderr(&output));
    }
    let project = Project::new();
    project.file("pmbook.toml", "[book]\nlanguage = \"xx\"\n");
    let output = project.pmbook().arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("`[book] language` is `xx`"), "{err}");
    assert!(err.contains("`en`") && err.contains("`fr`"), "{err}");
    assert!(err.contains("pmbook.toml:2:"), "{err}");
}

/// The French test project, linted clean and built.
fn french_site() -> (Project, PathBuf) {
    built(Project::from_fixture("french-site"))
}

/// The book's French example (`book/example-fr`), linted clean and built.
fn french_example() -> (Project, PathBuf) {
    let project = Project::new();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/example-fr");
    common::copy_dir(&example, project.path());
    built(project)
}

fn built(project: Project) -> (Project, PathBuf) {
    let lint = project.pmbook().arg("lint").output().unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", common::stdout(&lint));
    let out = project.build(&[]);
    (project, out)
}

/// Every `.html` file under `dir`, relative to it.
fn pages(dir: &Path) -> Vec<String> {
    walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// What a reader meets on a page: its text (the SVG charts' included,
/// scripts left out) and the attributes read aloud or shown (`aria-label`,
/// `placeholder`, `title`, `alt`, and the `data-` texts the scripts show).
fn readable(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push('\n');
        rest = &rest[open..];
        if rest.starts_with("<script") {
            let end = rest.find("</script>").map_or(rest.len(), |e| e + 9);
            rest = &rest[end..];
            continue;
        }
        let close = rest.find('>').map_or(rest.len(), |c| c + 1);
        let tag = &rest[..close];
        for attribute in [
            "aria-label",
            "placeholder",
            "title",
            "alt",
            "data-text",
            "data-all",
            "data-one",
            "data-other",
        ] {
            let mut from = 0;
            while let Some(at) = tag[from..].find(&format!(" {attribute}")) {
                let start = from + at;
                let Some(quote) = tag[start..].find("=\"") else {
                    break;
                };
                let value_start = start + quote + 2;
                let value_end = tag[value_start..]
                    .find('"')
                    .map_or(tag.len(), |e| value_start + e);
                out.push_str(&tag[value_start..value_end]);
                out.push('\n');
                from = value_end;
            }
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    decode(&out)
}

/// The English texts a French page must not show: the parts of each value
/// of en.toml between placeholders and markup that differ from the French
/// value of the same key and are long enough not to be a French word too
/// (two words or more, or one of six letters or more) and that the French
/// value does not hold as well (a command, say).
fn english_texts() -> Vec<(String, String)> {
    let all = catalogues();
    let english = flat(&all["en"]);
    let french = flat(&all["fr"]);
    let mut found = Vec::new();
    for (key, value) in &english {
        let Some(text) = value.as_str() else { continue };
        if key.starts_with("format.") || french[key].as_str() == Some(text) {
            continue;
        }
        let mut plain = String::new();
        let mut depth = 0;
        for c in text.chars() {
            match c {
                '{' | '<' => {
                    depth += 1;
                    plain.push('\n');
                }
                '}' | '>' => depth -= 1,
                _ if depth == 0 => plain.push(c),
                _ => {}
            }
        }
        for part in plain.lines() {
            let part = part.trim_matches(|c: char| !c.is_alphanumeric());
            let words = part.split_whitespace().count();
            let letters = part.chars().filter(|c| c.is_alphabetic()).count();
            let french_too = french[key].as_str().is_some_and(|f| f.contains(part));
            if (words >= 2 || letters >= 6) && !french_too {
                found.push((key.clone(), part.to_owned()));
            }
        }
    }
    found
}

/// Whether `needle` is in `text` as whole words.
fn has_words(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[test]
fn a_french_site_has_no_english_word_of_the_site_left_on_any_page() {
    no_english_left(french_site());
}

#[test]
fn the_french_example_has_no_english_word_of_the_site_left_on_any_page() {
    no_english_left(french_example());
}

fn no_english_left((_project, out): (Project, PathBuf)) {
    let english = english_texts();
    assert!(
        english.iter().any(|(_, t)| t == "Action items") && english.len() > 100,
        "the English texts were not found: {english:?}"
    );
    let pages = pages(&out);
    assert!(pages.len() > 20, "{pages:?}");
    let mut left = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            html.contains("<html lang=\"fr\">"),
            "{page} is not marked as French"
        );
        let text = readable(&html);
        for (key, english) in &english {
            if has_words(&text, english) {
                left.push(format!("{page}: {english:?} ({key})"));
            }
        }
    }
    assert!(left.is_empty(), "English left:\n{}", left.join("\n"));
}

#[test]
fn a_french_site_writes_dates_percentages_and_durations_the_french_way() {
    let (_project, out) = french_site();
    let read = |page: &str| readable(&std::fs::read_to_string(out.join(page)).unwrap());
    let incident = read("incidents/2026-11-03-latence-paiement.html");
    // The breadcrumb's date, a time of the facts card, a due date.
    assert!(incident.contains("3 novembre 2026"), "{incident}");
    assert!(
        incident.contains("3 novembre 2026 à 09:12 UTC"),
        "{incident}"
    );
    assert!(incident.contains("1er décembre 2026"), "{incident}");
    // Resolved 10:30, started 09:12.
    assert!(incident.contains("1 h 18 min"), "{incident}");
    // `budget_consumed = 0.18`.
    assert!(incident.contains("18,0\u{202f}%"), "{incident}");
    // Two of the three incidents were caused by a change.
    let metrics = read("metrics.html");
    assert!(metrics.contains("66,7\u{202f}%"), "{metrics}");
    assert!(!metrics.contains("66.7"), "{metrics}");
    let timeline = read("timeline.html");
    assert!(timeline.contains("octobre 2026"), "{timeline}");
    let calendar = std::fs::read_to_string(out.join("actions.ics")).unwrap();
    assert!(calendar.contains("Responsable : bob"), "{calendar}");
}

#[test]
fn an_english_site_is_marked_as_english() {
    let project = Project::new();
    project.postmortem("2026-11-03-checkout-latency.md", common::VALID);
    let out = project.build(&[]);
    for page in pages(&out) {
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        assert!(html.contains("<html lang=\"en\">"), "{page}");
    }
    let incident =
        std::fs::read_to_string(out.join("incidents/2026-11-03-checkout-latency.html")).unwrap();
    assert!(incident.contains("2026-11-03 09:12 UTC"));
}

#[test]
fn names_with_accents_give_addresses_with_their_letters() {
    let project = Project::new();
    let text = common::VALID
        .replacen(r#""checkout", "cache""#, r#""Base de données", "cache""#, 1)
        .replacen("owner: @alice", "owner: @Zoé", 1);
    project.postmortem("2026-11-03-checkout-latency.md", text);
    let out = project.build(&[]);
    for page in [
        "services/base-de-donnees.html",
        "actions/services/base-de-donnees.html",
        "actions/owners/zoe.html",
        "calendars/zoe.ics",
    ] {
        assert!(out.join(page).is_file(), "{page} in {:?}", pages(&out));
    }
}
