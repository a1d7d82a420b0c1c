//! The client-side search index: a script that sets a global, so that it
//! loads from `file://` too (browsers refuse `fetch` there).

use serde::Serialize;

use super::view::Site;
use crate::model::Postmortem;

#[derive(Serialize)]
struct Doc<'a> {
    /// Title.
    t: &'a str,
    /// URL, relative to the site root.
    u: &'a str,
    /// Date.
    d: &'a str,
    /// Severity.
    s: &'a str,
    /// Services.
    v: Vec<&'a str>,
    /// Tags.
    g: Vec<&'a str>,
    /// Summary, shown under the result.
    m: &'a str,
    /// Root-cause category, when there is one.
    #[serde(skip_serializing_if = "str::is_empty")]
    c: &'a str,
    /// Words of the text, by how often they occur: see [`search_words`].
    w: &'a str,
}

/// `search-index.js`.
pub fn index_script(site: &Site) -> String {
    let docs: Vec<Doc> = site
        .incidents
        .iter()
        .map(|i| Doc {
            t: &i.title,
            u: &i.url,
            d: &i.date,
            s: &i.severity,
            v: i.services.iter().map(|t| t.name.as_str()).collect(),
            g: i.tags.iter().map(|t| t.name.as_str()).collect(),
            m: &i.summary,
            c: i.cause.as_ref().map_or("", |c| c.name.as_str()),
            w: &i.words,
        })
        .collect();
    let json = serde_json::to_string(&docs).expect("the search index serializes");
    // `</script>` or `<!--` inside a string must not end the script when the
    // file is inlined; escaping `<` keeps the JSON valid.
    format!("window.pmbookSearch = {};\n", json.replace('<', "\\u003c"))
}

/// How many times a word may be counted: more occurrences add nothing to
/// its score in the search page, so the index does not record them.
const MOST: usize = 5;

/// Lowercase words of the prose and code (without cut sections), grouped by
/// how often they occur: the words found once, then `|` and those found
/// twice, and so on up to [`MOST`] times or more, each group sorted. The
/// title and the fields are in the index apart, so they are not repeated
/// here. The search page takes the sum of the counts as the length of the
/// text.
pub fn search_words(pm: &Postmortem, cut: &[std::ops::Range<usize>]) -> String {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for span in pm.prose.iter().chain(&pm.code) {
        if cut.iter().any(|r| r.contains(&span.start)) {
            continue;
        }
        for word in pm.source.text[span.range()].split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() >= 2 {
                *counts.entry(word.to_lowercase()).or_default() += 1;
            }
        }
    }
    let mut groups = vec![Vec::new(); MOST];
    for (word, count) in &counts {
        groups[count.min(&MOST) - 1].push(word.as_str());
    }
    while groups.last().is_some_and(Vec::is_empty) {
        groups.pop();
    }
    groups
        .iter()
        .map(|g| g.join(" "))
        .collect::<Vec<_>>()
        .join("|")
}
