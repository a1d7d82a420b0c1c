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
    /// Words (lowercase, deduplicated), matched by prefix.
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
            w: &i.words,
        })
        .collect();
    let json = serde_json::to_string(&docs).expect("the search index serializes");
    // `</script>` or `<!--` inside a string must not end the script when the
    // file is inlined; escaping `<` keeps the JSON valid.
    format!("window.pmbookSearch = {};\n", json.replace('<', "\\u003c"))
}

/// Lowercase words of the title, fields, prose and code (without cut sections),
/// deduplicated: what search matches against.
pub fn search_words(
    pm: &Postmortem,
    cut: &[std::ops::Range<usize>],
    title: &str,
    services: &[String],
    tags: &[String],
) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut add = |text: &str| {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() >= 2 {
                words.push(word.to_lowercase());
            }
        }
    };
    add(title);
    services.iter().chain(tags).for_each(|t| add(t));
    for span in pm.prose.iter().chain(&pm.code) {
        if !cut.iter().any(|r| r.contains(&span.start)) {
            add(&pm.source.text[span.range()]);
        }
    }
    words.sort();
    words.dedup();
    words.join(" ")
}
