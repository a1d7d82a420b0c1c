//! Ranked search from `file://`: the search page's order, prefix and typo
//! matches, highlighting and facets; the header's box on every page; and
//! the relevance of the ranking on a generated corpus.

use super::{axe_core, browser, build, collect_errors, eval, open, settled};
use crate::common::{Project, VALID};
use headless_chrome::Tab;

/// A postmortem of the shared fixture with its own id, title, severity and
/// words appended to its impact.
pub(super) fn incident(id: &str, title: &str, severity: &str, words: &str) -> String {
    VALID
        .replace("2026-11-03-checkout-latency", id)
        .replace("Checkout latency after cache deploy", title)
        .replace("severity = \"SEV2\"", &format!("severity = \"{severity}\""))
        .replace(
            "12 % of checkouts timed out",
            &format!("{words}\n\n12 % of checkouts timed out"),
        )
}

/// Four incidents: one with `kestrel` in its title, two that only mention
/// it in their text (one of them three times), one without it.
fn ranking_project() -> Project {
    let project = Project::new();
    for (id, title, severity, words) in [
        (
            "2026-11-01-body-often",
            "Queue backlog in billing",
            "SEV1",
            "The kestrel relay, the kestrel pool and kestrel workers lagged.",
        ),
        (
            "2026-11-02-title",
            "Kestrel gateway outage",
            "SEV2",
            "Requests failed for a while.",
        ),
        (
            "2026-11-03-body-once",
            "Slow login page",
            "SEV2",
            "A kestrel node was slow; the quokka cache too.",
        ),
        (
            "2026-11-04-none",
            "Disk full on reporting",
            "SEV3",
            "The lynx job wrote too much.",
        ),
    ] {
        project.postmortem(&format!("{id}.md"), incident(id, title, severity, words));
    }
    project
}

/// Awaited in an async function: the search page has shown the results of
/// the latest query.
pub(super) const SETTLED: &str = "while (document.getElementById('search-results').getAttribute('aria-busy') !== 'false') \
                       { await new Promise(r => setTimeout(r, 2)); }";

/// The string `js` (an async function's call) resolves to.
pub(super) fn eval_async(tab: &Tab, js: &str) -> String {
    let value = tab.evaluate(js, true).unwrap().value.unwrap_or_default();
    match value {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

fn titles(tab: &Tab, selector: &str) -> Vec<String> {
    let json = eval(
        tab,
        &format!(
            "JSON.stringify([...document.querySelectorAll({selector:?})].map(e => e.textContent))"
        ),
    );
    serde_json::from_str(&json).unwrap()
}

/// The titles the search page lists for `query`.
fn search(tab: &Tab, site: &str, query: &str) -> Vec<String> {
    open(tab, &format!("{site}search.html?q={query}"));
    settled(tab);
    titles(tab, "#search-results li > a")
}

#[test]
#[ignore = "needs chromium: bash tests/run.sh installs it"]
fn search_ranks_title_matches_first_and_matches_prefixes_and_one_typo() {
    let project = ranking_project();
    let site = build(&project);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let errors = collect_errors(&tab);

    let found = search(&tab, &site, "kestrel");
    assert_eq!(
        found,
        [
            "Kestrel gateway outage",
            "Queue backlog in billing",
            "Slow login page"
        ]
    );
    // As you type: the start of a word finds it.
    assert_eq!(search(&tab, &site, "kest")[0], "Kestrel gateway outage");
    assert_eq!(search(&tab, &site, "kest").len(), 3);
    // One typo on a word of five letters or more: swapped, dropped, changed.
    for typo in ["kestrle", "kestel", "kestral"] {
        assert_eq!(search(&tab, &site, typo).len(), 3, "{typo}");
    }
    assert_eq!(search(&tab, &site, "quokak"), ["Slow login page"]);
    // None on a shorter word, and two typos are too many.
    assert!(search(&tab, &site, "lymx").is_empty());
    assert_eq!(search(&tab, &site, "lynx"), ["Disk full on reporting"]);
    assert!(search(&tab, &site, "kesral").is_empty());
    // Every word must match.
    assert_eq!(search(&tab, &site, "kestrel+quokka"), ["Slow login page"]);

    // The matched words are highlighted in the title and the summary.
    search(&tab, &site, "kestrel+outage");
    assert_eq!(
        titles(&tab, "#search-results li:first-child mark"),
        ["Kestrel", "outage"]
    );
    search(&tab, &site, "doubl");
    assert_eq!(
        titles(&tab, "#search-results li:first-child div:last-child mark"),
        ["doubled"]
    );

    // A facet narrows the ranked results.
    open(&tab, &format!("{site}search.html?q=kestrel&severity=SEV1"));
    settled(&tab);
    assert_eq!(
        titles(&tab, "#search-results li > a"),
        ["Queue backlog in billing"]
    );
    // A facet alone lists its incidents.
    open(&tab, &format!("{site}search.html?severity=SEV2"));
    settled(&tab);
    assert_eq!(titles(&tab, "#search-results li > a").len(), 2);
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
}

#[test]
#[ignore = "needs chromium: bash tests/run.sh installs it"]
fn the_header_box_shows_top_results_and_answers_the_keyboard() {
    let project = ranking_project();
    let site = build(&project);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let errors = collect_errors(&tab);
    let box_ = "form.search-form input[name=q]";
    let options = "#quick-results [role=option]";

    open(&tab, &format!("{site}timeline.html"));
    // The index is loaded only when the box gets the focus.
    assert_eq!(eval(&tab, "String(!!window.pmbookSearch)"), "false");
    tab.press_key("/").unwrap();
    assert_eq!(
        eval(
            &tab,
            &format!("String(document.activeElement === document.querySelector('{box_}'))")
        ),
        "true"
    );
    tab.wait_for_element("#search-index").unwrap();
    tab.type_str("kestrel").unwrap();
    tab.wait_for_element(options).unwrap();
    assert_eq!(
        titles(&tab, "#quick-results [role=option] .title"),
        [
            "Kestrel gateway outage",
            "Queue backlog in billing",
            "Slow login page"
        ]
    );
    assert_eq!(
        eval(
            &tab,
            &format!("document.querySelector('{box_}').getAttribute('aria-expanded')")
        ),
        "true"
    );
    // axe-core finds nothing wrong with the open list.
    tab.evaluate(&axe_core(), false).unwrap();
    let found = tab
        .evaluate(
            "axe.run(document, { runOnly: { type: 'tag', values: \
             ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })\
             .then(r => JSON.stringify(r.violations.map(v => v.id + ' at ' + \
             v.nodes.map(n => n.target.join(' ')).join(', '))))",
            true,
        )
        .unwrap()
        .value
        .unwrap();
    assert_eq!(found.as_str().unwrap(), "[]");
    let selected = "JSON.stringify([document.querySelector('form.search-form input').getAttribute('aria-activedescendant'), \
                    [...document.querySelectorAll('#quick-results [aria-selected=true]')].map(o => o.id)])";
    tab.press_key("ArrowDown").unwrap();
    tab.press_key("ArrowDown").unwrap();
    assert_eq!(
        eval(&tab, selected),
        r#"["quick-result-1",["quick-result-1"]]"#
    );
    tab.press_key("ArrowUp").unwrap();
    assert_eq!(
        eval(&tab, selected),
        r#"["quick-result-0",["quick-result-0"]]"#
    );
    // Up from the first goes round to the last.
    tab.press_key("ArrowUp").unwrap();
    assert_eq!(
        eval(&tab, selected),
        r#"["quick-result-2",["quick-result-2"]]"#
    );
    // Esc closes the list.
    tab.press_key("Escape").unwrap();
    assert_eq!(
        eval(
            &tab,
            "String(document.getElementById('quick-results').hidden)"
        ),
        "true"
    );
    assert_eq!(
        eval(
            &tab,
            &format!("document.querySelector('{box_}').getAttribute('aria-expanded')")
        ),
        "false"
    );
    // Enter on a result opens its incident.
    tab.type_str(" gate").unwrap();
    tab.wait_for_element(options).unwrap();
    tab.press_key("ArrowDown").unwrap();
    tab.press_key("Enter").unwrap();
    tab.wait_until_navigated().unwrap();
    wait_for_url(&tab, "incidents/2026-11-02-title.html");

    // Enter with no result chosen opens the search page with the query.
    tab.wait_for_element(box_).unwrap().click().unwrap();
    tab.type_str("kest").unwrap();
    tab.wait_for_element(options).unwrap();
    tab.press_key("Enter").unwrap();
    wait_for_url(&tab, "search.html?q=kest");
    tab.wait_for_element("#search-results li").unwrap();
    assert_eq!(titles(&tab, "#search-results li > a").len(), 3);

    // `s` does not steal the letter from a field being typed in.
    tab.wait_for_element("#search-query")
        .unwrap()
        .click()
        .unwrap();
    tab.press_key("s").unwrap();
    assert_eq!(eval(&tab, "document.activeElement.id"), "search-query");
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
}

fn wait_for_url(tab: &Tab, end: &str) {
    for _ in 0..100 {
        if tab.get_url().ends_with(end) {
            tab.wait_until_navigated().unwrap();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{} does not end with {end}", tab.get_url());
}

/// A small deterministic generator (a linear congruential one), so that the
/// corpus is the same on every run.
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    pub(super) fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

#[test]
#[ignore = "needs chromium: bash tests/run.sh installs it"]
fn two_rare_words_of_an_incident_find_it_in_the_top_three() {
    let mut random = Lcg(7);
    let syllable = |r: &mut Lcg| {
        let consonants = b"bdfgklmnprstvz";
        let vowels = b"aeiou";
        format!(
            "{}{}",
            consonants[r.next(consonants.len())] as char,
            vowels[r.next(vowels.len())] as char
        )
    };
    let mut vocabulary: Vec<String> = (0..3000)
        .map(|_| {
            (0..2 + random.next(2))
                .map(|_| syllable(&mut random))
                .collect()
        })
        .collect();
    vocabulary.sort();
    vocabulary.dedup();
    // Sixty words each, the first words of the vocabulary far more often
    // than the last, as in prose.
    let bodies: Vec<Vec<String>> = (0..200)
        .map(|_| {
            (0..60)
                .map(|_| {
                    let u = random.next(10_000) as f64 / 10_000.0;
                    vocabulary[(u * u * vocabulary.len() as f64) as usize].clone()
                })
                .collect()
        })
        .collect();
    let project = Project::new();
    let id = |n: usize| format!("2026-11-03-generated-{n:03}");
    for (n, body) in bodies.iter().enumerate() {
        project.postmortem(
            &format!("{}.md", id(n)),
            incident(
                &id(n),
                &format!("Incident number {n}"),
                "SEV3",
                &body.join(" "),
            ),
        );
    }
    let in_bodies = |word: &str| {
        bodies
            .iter()
            .filter(|b| b.iter().any(|w| w == word))
            .count()
    };
    // For each of 50 incidents, the two words of its text found in the
    // fewest other incidents (at least one other).
    let queries: Vec<(usize, String)> = (0..200)
        .step_by(4)
        .map(|n| {
            let mut words: Vec<(usize, &String)> = bodies[n]
                .iter()
                .map(|w| (in_bodies(w), w))
                .filter(|(count, _)| *count >= 2)
                .collect();
            words.sort();
            words.dedup();
            assert!(words.len() >= 2 && words[1].0 <= 12, "{words:?}");
            (n, format!("{} {}", words[0].1, words[1].1))
        })
        .collect();
    assert_eq!(queries.len(), 50);

    let site = build(&project);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    open(&tab, &format!("{site}search.html"));
    tab.wait_for_element("#search-status").unwrap();
    let mut missed = Vec::new();
    for (n, query) in &queries {
        let top = eval_async(
            &tab,
            &format!(
                "(async () => {{ const q = document.getElementById('search-query'); q.value = {query:?}; \
                 q.dispatchEvent(new Event('input', {{bubbles: true}})); {SETTLED} \
                 return JSON.stringify([...document.querySelectorAll('#search-results li > a')].slice(0, 3).map(a => a.getAttribute('href'))); }})()"
            ),
        );
        let top: Vec<String> = serde_json::from_str(&top).unwrap();
        if !top.contains(&format!("incidents/{}.html", id(*n))) {
            missed.push(format!("{query:?} for {}: {top:?}", id(*n)));
        }
    }
    assert!(
        missed.len() * 100 <= queries.len() * 5,
        "{} of {} queries miss their incident in the top 3:\n{}",
        missed.len(),
        queries.len(),
        missed.join("\n")
    );
}

#[test]
#[ignore = "needs chromium: bash tests/run.sh installs it"]
fn the_header_box_shows_a_hostile_title_as_text() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        VALID.replace(
            "Checkout latency after cache deploy",
            "Kestrel <img src=x onerror=window.pwned=1> <b>bold</b>",
        ),
    );
    let site = build(&project);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    open(&tab, &format!("{site}index.html"));
    tab.press_key("s").unwrap();
    tab.type_str("kestrel").unwrap();
    tab.wait_for_element("#quick-results [role=option]")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(eval(&tab, "String(window.pwned)"), "undefined");
    assert_eq!(
        titles(&tab, "#quick-results [role=option] .title"),
        ["Kestrel <img src=x onerror=window.pwned=1> <b>bold</b>"]
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('#quick-results img, #quick-results b').length"
        ),
        "0"
    );
}
