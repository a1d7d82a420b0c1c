//! The client-side search index, in shards that are scripts calling a
//! global function, so that they load from `file://` too (browsers refuse
//! `fetch` there) and a query loads only the shards it needs:
//!
//! - `search-index.js`: the number of incidents, the shard map and the facet
//!   values;
//! - `search/terms-KEY.js`: the postings of the words that start with `KEY`
//!   (two letters, more where a shard would be too big);
//! - `search/docs-N.js`: what a result shows of [`DOCS_PER_SHARD`]
//!   incidents;
//! - `search/facet-NAME.js`: the incidents of each severity, service or tag.
//!
//! The BM25F weight of each word in each incident is computed here, so that
//! the search page only adds them up.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::output::Staging;
use super::view::{Incident, Site};
use crate::error::Error;
use crate::model::Postmortem;

/// BM25's saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// What an occurrence in the title or the id counts, and in the services,
/// tags and root-cause category; one in the text counts 1.
const TITLE: u32 = 5;
const META: u32 = 3;
/// Letters of a word that pick its shard, before splitting.
const KEY: usize = 2;
/// A shard of postings bigger than this is split by one more letter.
pub const SHARD_BYTES: usize = 32_000;
/// Incidents per document shard.
pub const DOCS_PER_SHARD: usize = 10;

/// Writes `search-index.js` and `search/` for `site`, whose words `terms`
/// counted. With `changed`, the positions of the only incidents that
/// changed since the build `staging` writes over, the document shards of
/// the others are kept as they are.
pub fn write_index(
    site: &Site,
    terms: &Terms,
    staging: &Staging,
    changed: Option<&[usize]>,
) -> Result<(), Error> {
    let postings = terms.postings();
    // The words are in order, so the words of a shard are next to each
    // other: each shard is made and written before the next one's text.
    let mut map = Vec::new();
    let mut group: Vec<(&str, String)> = Vec::new();
    let mut key = String::new();
    let mut write_group = |key: String, terms: Vec<(&str, String)>| -> Result<(), Error> {
        let mut shards = Vec::new();
        split(key, terms, &mut shards);
        for (key, terms) in &shards {
            let body: Vec<&str> = terms.iter().map(|(_, j)| j.as_str()).collect();
            let script = format!("pmbookSearchShard({},{{{}}});\n", json(key), body.join(","));
            staging.write(
                &format!("search/terms-{}.js", file_key(key)),
                script.as_bytes(),
            )?;
            map.push(serde_json::Value::from(key.as_str()));
            map.push(script.len().div_ceil(1000).into());
        }
        Ok(())
    };
    for (term, list) in postings.iter() {
        let term_key = prefix(term, KEY);
        if term_key != key && !group.is_empty() {
            write_group(std::mem::take(&mut key), std::mem::take(&mut group))?;
        }
        key = term_key;
        group.push((term, format!("{}:{}", json(&term), json(&list))));
    }
    if !group.is_empty() {
        write_group(key, group)?;
    }
    for (n, chunk) in site.incidents.chunks(DOCS_PER_SHARD).enumerate() {
        let path = format!("search/docs-{n}.js");
        let unchanged = changed.is_some_and(|changed| {
            !changed.iter().any(|at| at / DOCS_PER_SHARD == n) && staging.keep(&path)
        });
        if unchanged {
            continue;
        }
        let docs: Vec<Doc> = chunk.iter().map(Doc::of).collect();
        staging.write(
            &path,
            format!("pmbookSearchDocs({n},{});\n", json(&docs)).as_bytes(),
        )?;
    }
    let mut facets = BTreeMap::new();
    for (name, values) in facet_values(&site.incidents) {
        let names: Vec<&str> = values.keys().copied().collect();
        let lists: Vec<Vec<usize>> = values.values().map(|docs| deltas(docs)).collect();
        staging.write(
            &format!("search/facet-{name}.js"),
            format!("pmbookSearchFacet({},{});\n", json(&name), json(&lists)).as_bytes(),
        )?;
        facets.insert(name, names);
    }
    let top = serde_json::json!({
        "n": site.incidents.len(),
        "p": DOCS_PER_SHARD,
        "k": map,
        "f": facets,
    });
    staging.write(
        "search-index.js",
        format!("window.pmbookSearch = {};\n", json(&top)).as_bytes(),
    )
}

/// Whether `path` (relative to the site) is a shard of words.
pub fn is_term_shard(path: &str) -> bool {
    path.starts_with("search/terms-")
}

/// `value` as JSON with `<` escaped, so that `</script>` or `<!--` inside a
/// string cannot end a script that is inlined; the JSON stays valid.
fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .expect("the search index serializes")
        .replace('<', "\\u003c")
}

/// The first `n` characters of `term`.
fn prefix(term: &str, n: usize) -> String {
    term.chars().take(n).collect()
}

/// Adds the shard `key` to `shards`, split by one more letter while it is
/// over [`SHARD_BYTES`] and holds more than one word. The words no longer
/// than `key` stay in the shard `key` itself.
fn split<'a>(
    key: String,
    terms: Vec<(&'a str, String)>,
    shards: &mut Vec<(String, Vec<(&'a str, String)>)>,
) {
    let size: usize = terms.iter().map(|(_, j)| j.len() + 1).sum();
    if size <= SHARD_BYTES || terms.len() == 1 {
        shards.push((key, terms));
        return;
    }
    let length = key.chars().count() + 1;
    let mut groups: BTreeMap<String, Vec<(&str, String)>> = BTreeMap::new();
    for term in terms {
        groups.entry(prefix(term.0, length)).or_default().push(term);
    }
    for (sub, terms) in groups {
        if sub == key {
            shards.push((sub, terms));
        } else {
            split(sub, terms, shards);
        }
    }
}

/// A shard key as part of a file name: ASCII letters and digits as they
/// are, any other character as `_` and its code point in hex and `_`.
fn file_key(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c.to_string()
            } else {
                format!("_{:x}_", c as u32)
            }
        })
        .collect()
}

/// The lowercase words of `text`, as the search page splits a query.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The words of the search index, numbered, and what each incident
/// counts of them: made once per build, and kept by `serve`, so that
/// after a change of prose only the changed incidents are counted again.
/// What is kept of each incident until the average length is known is
/// numbers, not copies of its words.
#[derive(Default)]
pub struct Terms {
    numbers: HashMap<String, u32>,
    words: Vec<String>,
    /// What each incident counts, in the site's order.
    counts: Vec<Counted>,
    /// The postmortem of each incident, in the same order, so that a
    /// rebuild finds the counts of the unchanged ones.
    paths: Vec<String>,
}

/// What an incident counts of its words: (word, weighted count in the
/// title and fields, count in the text) for each, and the length of its
/// text.
type Counted = (Vec<(u32, u32, u32)>, u32);

impl Terms {
    /// The words of `incidents`, counted: with `earlier`, what a build
    /// over the last one counted, again only for those not
    /// [`Incident::unchanged`] since. The shards are the same either way:
    /// they list the words in their order, whatever their numbers.
    pub fn over(incidents: &[Incident], earlier: Option<Terms>) -> Terms {
        let (mut terms, mut earlier_counts) = match earlier {
            Some(earlier) => {
                let counts: HashMap<String, Counted> =
                    earlier.paths.into_iter().zip(earlier.counts).collect();
                let terms = Terms {
                    numbers: earlier.numbers,
                    words: earlier.words,
                    counts: Vec::new(),
                    paths: Vec::new(),
                };
                (terms, counts)
            }
            None => (Terms::default(), HashMap::new()),
        };
        terms.counts.reserve(incidents.len());
        terms.paths.reserve(incidents.len());
        for incident in incidents {
            let kept = earlier_counts
                .remove(&incident.path)
                .filter(|_| incident.unchanged);
            let counted = match kept {
                Some(counted) => counted,
                None => terms.count(incident),
            };
            terms.counts.push(counted);
            terms.paths.push(incident.path.clone());
        }
        terms
    }

    /// Counts again the words of the incident at `at`, whose words changed.
    pub fn recount(&mut self, at: usize, incident: &Incident) {
        self.counts[at] = self.count(incident);
    }

    fn number(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.numbers.get(word) {
            return n;
        }
        let n = u32::try_from(self.words.len()).expect("fewer than 4 billion words");
        self.numbers.insert(word.to_owned(), n);
        self.words.push(word.to_owned());
        n
    }

    fn count(&mut self, incident: &Incident) -> Counted {
        // word -> (weighted count in the title and fields, count in the text)
        let mut doc: HashMap<u32, (u32, u32)> = HashMap::new();
        for word in words(&incident.title).chain(words(&incident.id)) {
            doc.entry(self.number(&word)).or_default().0 += TITLE;
        }
        let meta = incident
            .services
            .iter()
            .chain(&incident.tags)
            .chain(&incident.cause);
        for term in meta {
            for word in words(&term.name) {
                doc.entry(self.number(&word)).or_default().0 += META;
            }
        }
        let mut length = 0;
        for (times, group) in (1..).zip(incident.words.split('|')) {
            for word in group.split(' ').filter(|w| !w.is_empty()) {
                doc.entry(self.number(word)).or_default().1 += times;
                length += times;
            }
        }
        let doc = doc.into_iter().map(|(w, (f, b))| (w, f, b)).collect();
        (doc, length)
    }

    /// Each word with its incidents and their weights.
    fn postings(&self) -> Postings<'_> {
        let total: u32 = self.counts.iter().map(|(_, length)| length).sum();
        let average = if total == 0 {
            1.0
        } else {
            f64::from(total) / self.counts.len() as f64
        };
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); self.words.len()];
        let mut last: Vec<u32> = vec![0; self.words.len()];
        for (n, (doc, length)) in (0..).zip(&self.counts) {
            let norm = 1.0 - B + B * f64::from(*length) / average;
            for &(word, fields, body) in doc {
                let tf = f64::from(fields) + f64::from(body) / norm;
                let weight = (100.0 * tf * (K1 + 1.0) / (tf + K1)).round().max(1.0);
                let word = word as usize;
                let list = &mut lists[word];
                list.push(n - last[word]);
                list.push(weight as u32);
                last[word] = n;
            }
        }
        Postings {
            words: &self.words,
            lists,
        }
    }
}

/// The postings of the words of a [`Terms`].
struct Postings<'a> {
    /// The words, by number.
    words: &'a [String],
    /// The postings of each word, by number: the gap from the previous
    /// incident (the first from 0) and the weight, in hundredths, in
    /// incident order.
    lists: Vec<Vec<u32>>,
}

impl Postings<'_> {
    /// Each word that some incident has, with its postings, in the words'
    /// order.
    fn iter(&self) -> impl Iterator<Item = (&str, &[u32])> {
        let mut order: Vec<usize> = (0..self.words.len())
            .filter(|&n| !self.lists[n].is_empty())
            .collect();
        order.sort_unstable_by(|&a, &b| self.words[a].cmp(&self.words[b]));
        order
            .into_iter()
            .map(|n| (self.words[n].as_str(), self.lists[n].as_slice()))
    }
}

/// Ascending positions as gaps from the previous one (the first from 0).
fn deltas(positions: &[usize]) -> Vec<usize> {
    let mut previous = 0;
    positions
        .iter()
        .map(|&p| {
            let gap = p - previous;
            previous = p;
            gap
        })
        .collect()
}

/// For each facet, its values and the positions of their incidents.
fn facet_values(incidents: &[Incident]) -> BTreeMap<&'static str, BTreeMap<&str, Vec<usize>>> {
    let mut facets: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (n, incident) in incidents.iter().enumerate() {
        let values = std::iter::once(("severity", incident.severity.as_str()))
            .chain(
                incident
                    .services
                    .iter()
                    .map(|t| ("service", t.name.as_str())),
            )
            .chain(incident.tags.iter().map(|t| ("tag", t.name.as_str())));
        for (facet, value) in values {
            if value.is_empty() {
                continue;
            }
            let list = facets.entry(facet).or_default().entry(value).or_default();
            if list.last() != Some(&n) {
                list.push(n);
            }
        }
    }
    for name in ["severity", "service", "tag"] {
        facets.entry(name).or_default();
    }
    facets
}

/// What a result shows of an incident.
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
    /// Summary, shown under the result.
    m: &'a str,
}

impl Doc<'_> {
    fn of(i: &Incident) -> Doc<'_> {
        Doc {
            t: &i.title,
            u: &i.url,
            d: &i.date,
            s: &i.severity,
            v: i.services.iter().map(|t| t.name.as_str()).collect(),
            m: &i.summary,
        }
    }
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
