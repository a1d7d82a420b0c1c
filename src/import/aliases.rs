//! `pmbook import --aliases`: the headings of the originals kept, and added
//! to `[sections.aliases]` of `pmbook.toml`. The file is only added to: a
//! key line under `[sections.aliases]` (the table is appended when there is
//! none), or values at the end of a one-line array that is there already.
//! The result is parsed again, and refused unless it holds what the file
//! held plus the new aliases.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

static ALIASES_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*\[[ \t]*sections[ \t]*\.[ \t]*aliases[ \t]*\][ \t]*(?:#.*)?$")
        .expect("valid pattern")
});

static TABLE_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*\[").expect("valid pattern"));

/// `text` (a `pmbook.toml`, possibly empty) with `new` (section → aliases)
/// added to its `[sections.aliases]`; aliases it holds already are left
/// out. An error says why the file cannot be changed safely.
pub fn add(text: &str, new: &BTreeMap<String, Vec<String>>) -> Result<String, String> {
    let before: toml::Table = text.parse().map_err(|e| format!("not valid TOML: {e}"))?;
    let held = configured(&before);
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = text.to_owned();
    let mut expected = held.clone();
    for (section, aliases) in new {
        let have = held.get(section);
        let missing: Vec<&String> = aliases
            .iter()
            .filter(|a| !have.is_some_and(|h| h.contains(a)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let list = missing
            .iter()
            .map(|a| toml::Value::from(a.as_str()).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        expected
            .entry(section.clone())
            .or_default()
            .extend(missing.iter().map(|a| (*a).clone()));
        out = if have.is_some() {
            extend_array(&out, section, &list)?
        } else {
            let line = format!("{} = [{list}]", toml::Value::from(section.as_str()));
            add_key(&out, &line, nl)
        };
    }
    let after: toml::Table = out
        .parse()
        .map_err(|e| format!("the aliases could not be added safely ({e})"))?;
    let mut others_before = before.clone();
    let mut others_after = after.clone();
    remove_aliases(&mut others_before);
    remove_aliases(&mut others_after);
    if configured(&after) != expected || others_before != others_after {
        return Err("the aliases could not be added without changing other settings".to_owned());
    }
    Ok(out)
}

/// The aliases a parsed `pmbook.toml` holds.
fn configured(table: &toml::Table) -> BTreeMap<String, Vec<String>> {
    let aliases = table
        .get("sections")
        .and_then(|s| s.get("aliases"))
        .and_then(toml::Value::as_table);
    aliases
        .into_iter()
        .flatten()
        .map(|(section, list)| {
            let list = list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            (section.clone(), list)
        })
        .collect()
}

fn remove_aliases(table: &mut toml::Table) {
    if let Some(toml::Value::Table(sections)) = table.get_mut("sections") {
        sections.remove("aliases");
        if sections.is_empty() {
            table.remove("sections");
        }
    }
}

/// `text` with `line` after the last key of its `[sections.aliases]`
/// table (under its header when it has none), or with that table appended.
fn add_key(text: &str, line: &str, nl: &str) -> String {
    let mut at = 0;
    // The end of the last line of the table that holds a key.
    let mut end: Option<(usize, bool)> = None;
    for l in text.split_inclusive('\n') {
        at += l.len();
        let content = l.trim_end_matches(['\r', '\n']);
        if TABLE_HEADER.is_match(content) {
            if end.is_some() {
                break;
            }
            if ALIASES_HEADER.is_match(content) {
                end = Some((at, l.ends_with('\n')));
            }
        } else if end.is_some() && !content.trim().is_empty() && !content.trim().starts_with('#') {
            end = Some((at, l.ends_with('\n')));
        }
    }
    if let Some((at, ends_with_newline)) = end {
        let newline = if ends_with_newline { "" } else { nl };
        return format!("{}{newline}{line}{nl}{}", &text[..at], &text[at..]);
    }
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    if !out.is_empty() {
        out.push_str(nl);
    }
    out.push_str(&format!("[sections.aliases]{nl}{line}{nl}"));
    out
}

/// `text` with `list` appended to the one-line array of `section` under
/// `[sections.aliases]`.
fn extend_array(text: &str, section: &str, list: &str) -> Result<String, String> {
    let by_hand = || {
        format!(
            "the aliases of `{section}` in pmbook.toml are not a one-line array: add {list} to them by hand"
        )
    };
    let key = Regex::new(&format!(
        r#"^[ \t]*(?:"{0}"|'{0}'|{0})[ \t]*=[ \t]*\[(?P<items>[^\]\n]*)\][ \t]*(?:#.*)?$"#,
        regex::escape(section)
    ))
    .map_err(|_| by_hand())?;
    let mut in_table = false;
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        let line = l.trim_end_matches(['\r', '\n']);
        if TABLE_HEADER.is_match(line) {
            in_table = ALIASES_HEADER.is_match(line);
        } else if in_table && let Some(caps) = key.captures(line) {
            let items = caps.name("items").expect("the group is in the pattern");
            let before = items.as_str().trim_end();
            let insert = if before.trim().is_empty() {
                list.to_owned()
            } else if before.ends_with(',') {
                format!(" {list}")
            } else {
                format!(", {list}")
            };
            let cut = at + items.start() + before.len();
            return Ok(format!("{}{insert}{}", &text[..cut], &text[cut..]));
        }
        at += l.len();
    }
    Err(by_hand())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(s, a)| ((*s).to_owned(), a.iter().map(|a| (*a).to_owned()).collect()))
            .collect()
    }

    #[test]
    fn keys_are_added_under_the_table_and_arrays_extended() {
        let text = "# mine\n[book]\ntitle = \"T\"  # keep\n\n[sections.aliases] # here\n'Timeline' = [ \"Chrono\" ] # c\n";
        let out = add(
            text,
            &new(&[
                ("Timeline", &["Déroulé", "Chrono"]),
                ("Root cause", &["Causes"]),
            ]),
        )
        .unwrap();
        assert_eq!(
            out,
            "# mine\n[book]\ntitle = \"T\"  # keep\n\n[sections.aliases] # here\n'Timeline' = [ \"Chrono\", \"Déroulé\" ] # c\n\"Root cause\" = [\"Causes\"]\n"
        );
        assert_eq!(add(&out, &new(&[("Timeline", &["Déroulé"])])).unwrap(), out);
    }

    #[test]
    fn the_table_is_appended_when_there_is_none() {
        assert_eq!(
            add(
                "[book]\r\ntitle = \"T\"",
                &new(&[("Timeline", &["Chrono"])])
            )
            .unwrap(),
            "[book]\r\ntitle = \"T\"\r\n\r\n[sections.aliases]\r\n\"Timeline\" = [\"Chrono\"]\r\n"
        );
        assert_eq!(
            add("", &new(&[("Timeline", &["Chrono"])])).unwrap(),
            "[sections.aliases]\n\"Timeline\" = [\"Chrono\"]\n"
        );
    }

    #[test]
    fn what_cannot_be_added_safely_is_refused() {
        let inline = "[sections]\naliases = { Timeline = [\"Chrono\"] }\n";
        assert!(add(inline, &new(&[("Root cause", &["Causes"])])).is_err());
        let multiline = "[sections.aliases]\nTimeline = [\n  \"Chrono\",\n]\n";
        assert!(add(multiline, &new(&[("Timeline", &["Déroulé"])])).is_err());
        assert!(add("[[", &new(&[("Timeline", &["x"])])).is_err());
    }
}
