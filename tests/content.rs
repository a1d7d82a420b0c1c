//! What postmortems hold besides prose and lists, on the incident page and
//! in the search index: every block of every section, raw HTML, links
//! between postmortems and attachments.

mod common;

use common::{Project, VALID};

const ID: &str = "2026-11-03-checkout-latency";

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

fn read(path: impl AsRef<std::path::Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// One word per kind of block, unique to the section `slug`.
fn blocks(slug: &str) -> (String, Vec<String>) {
    let words: Vec<String> = ["paragraph", "fenced", "imagealt", "quoted", "tablecell"]
        .iter()
        .map(|kind| format!("{kind}{slug}"))
        .collect();
    let markdown = format!(
        "\n{p}.\n\n```\n$ kubectl logs {c}\n```\n\n![{i}](https://img.example.com/p99.png)\n\n> {q} said the on-call.\n\n| Column |\n| --- |\n| {t} |\n\n",
        p = words[0],
        c = words[1],
        i = words[2],
        q = words[3],
        t = words[4],
    );
    (markdown, words)
}

#[test]
fn every_block_of_every_section_reaches_the_page_and_the_search_index() {
    let mut text = String::new();
    let mut expected: Vec<(String, String)> = Vec::new();
    let mut sections = VALID.split("\n## ");
    text.push_str(sections.next().unwrap());
    for section in sections {
        let name = section.lines().next().unwrap().to_owned();
        let slug: String = name.chars().filter(char::is_ascii_alphabetic).collect();
        let slug = slug.to_lowercase();
        text.push_str("\n## ");
        text.push_str(&name);
        text.push('\n');
        let rest = &section[name.len()..];
        // Before the content too, where pmbook draws the section itself.
        if name == "Timeline" || name == "Action items" {
            let (before, words) = blocks(&format!("{slug}before"));
            text.push_str(&before);
            expected.extend(words.into_iter().map(|w| (name.clone(), w)));
        }
        text.push_str(rest.trim_end());
        text.push('\n');
        let (after, words) = blocks(&slug);
        text.push_str(&after);
        expected.extend(words.into_iter().map(|w| (name.clone(), w)));
    }
    // A block under a timeline entry and under an action item.
    let text = text
        .replacen(
            "- 09:20 — p99 latency alert fires\n",
            "- 09:20 — p99 latency alert fires\n\n  ```\n  alert nestedtimelinelog\n  ```\n",
            1,
        )
        .replacen(
            "ticket: OPS-123)\n",
            "ticket: OPS-123)\n\n  > nestedactionquote\n",
            1,
        );
    expected.push(("Timeline".into(), "nestedtimelinelog".into()));
    expected.push(("Action items".into(), "nestedactionquote".into()));
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), &text);
    let out = project.build(&[]);
    let page = read(out.join(format!("incidents/{ID}.html")));
    // Every shard of words, each word a key of its postings.
    let search: String = std::fs::read_dir(out.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("terms-")
        })
        .map(read)
        .collect();
    for (section, word) in &expected {
        assert!(
            page.contains(word.as_str()),
            "{section}: {word} is not in the page"
        );
        assert!(
            search.contains(&format!("\"{word}\":[")),
            "{section}: {word} is not in the search index"
        );
    }
    // The drawn views are still there, with the rest in document order.
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle} is not in the page"))
    };
    assert!(at("paragraphtimelinebefore") < at("<ol class=\"timeline\">"));
    assert!(at("<ol class=\"timeline\">") < at("nestedtimelinelog"));
    assert!(at("nestedtimelinelog") < at("paragraphtimeline."));
    assert!(at("paragraphactionitemsbefore") < at("<table class=\"actions\">"));
    assert!(at("<table class=\"actions\">") < at("nestedactionquote"));
    assert!(at("nestedactionquote") < at("paragraphactionitems."));
    assert!(
        page.contains("<time>2026-11-03 09:20 UTC</time>"),
        "the timeline is drawn"
    );
    assert!(page.contains("OPS-123"), "the action table is drawn");
}

/// The part of `page` from the heading with id `id` to the next heading
/// of its level.
fn section(page: &str, id: &str) -> String {
    let start = page
        .find(&format!("<h2 id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = page[start + 1..]
        .find("<h2 ")
        .map_or(page.len(), |i| start + 1 + i);
    page[start..end].to_owned()
}

const RAW_HTML: &str = r#"<details><summary>Raw numbers</summary>

| p50 | p99 |
| --- | --- |
| 80 ms | 2.1 s |

</details>

Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; H<sub>2</sub>O, x<sup>2</sup>, <mark>marked</mark>, <abbr title="Service level objective">SLO</abbr>,<br>next line.

<table><tr><th>raw head</th></tr><tr><td>raw cell</td></tr></table>

<img src="img/p99.png" alt="p99 graph" width="400">

<script>alert('script')</script>
<style>body { display: none }</style>
<iframe src="https://evil.example/"></iframe>
<img src="x" onerror="alert('handler')" style="position:fixed">
<a href="javascript:alert('link')">js link</a> <a href="data:text/html,<script>alert(1)</script>">data link</a> <img src="data:image/png;base64,AAAA" alt="data image">
<b onmouseover="alert('hover')">bold</b> <div onclick="alert('click')">div</div>
"#;

#[test]
fn raw_html_keeps_its_safe_subset_and_loses_everything_that_runs() {
    let project = Project::new();
    project.postmortem(
        &format!("{ID}.md"),
        common::valid_with(
            "12 % of checkouts timed out between 09:12 and 10:30 UTC.\n",
            RAW_HTML,
        ),
    );
    project.file("postmortems/img/p99.png", PNG);
    let out = project.build(&[]);
    let page = read(out.join(format!("incidents/{ID}.html")));
    let impact = section(&page, "impact");
    insta::assert_snapshot!("raw-html", impact);
    for kept in [
        "<details><summary>Raw numbers</summary>",
        "<kbd>Ctrl</kbd>",
        "<sub>2</sub>",
        "<sup>2</sup>",
        "<mark>marked</mark>",
        "<abbr title=\"Service level objective\">SLO</abbr>",
        "<br>",
        "<td>raw cell</td>",
        "<td>2.1 s</td>",
        "alt=\"p99 graph\"",
    ] {
        assert!(impact.contains(kept), "{kept} is not kept:\n{impact}");
    }
    for removed in [
        "<script",
        "<style",
        "display: none",
        "<iframe",
        "onerror",
        "onmouseover",
        "onclick",
        "style=",
        "href=\"javascript:",
        "href=\"data:",
        "src=\"data:",
    ] {
        assert!(!impact.contains(removed), "{removed} is left:\n{impact}");
    }
}

#[test]
fn links_to_postmortems_lead_to_their_pages_and_attachments_are_copied_once() {
    let project = Project::new();
    let other = VALID
        .replace(ID, "2026-09-14-cache-eviction")
        .replace("2026-11-03", "2026-09-14")
        .replace("2026-11-05", "2026-09-16")
        .replace(
            "12 % of checkouts",
            "![p99 latency](img/p99.png) 12 % of checkouts",
        );
    project.postmortem("2026-09-14-cache-eviction.md", other);
    project.postmortem(
        &format!("{ID}.md"),
        common::valid_with(
            "12 % of checkouts timed out between 09:12 and 10:30 UTC.\n",
            "12 % of checkouts timed out.\n\n\
             ![p99 latency](img/p99.png)\n\n\
             See [the earlier incident](2026-09-14-cache-eviction.md) and\n\
             [its timeline](./2026-09-14-cache-eviction.md#timeline).\n\n\
             The [raw log](logs/raw%2009-12.log) and the [numbers](../data/p99.csv).\n\n\
             A [missing graph](img/missing.png) and a [secret](../../secret).\n",
        ),
    );
    project.file("postmortems/img/p99.png", PNG);
    project.file("postmortems/logs/raw 09-12.log", "09:12 eviction storm\n");
    project.file("data/p99.csv", "p99,2.1\n");
    let out = project.build(&[]);
    let page = read(out.join(format!("incidents/{ID}.html")));
    for link in [
        r#"src="../incidents/files/postmortems/img/p99.png""#,
        r#"href="../incidents/2026-09-14-cache-eviction.html""#,
        r#"href="../incidents/2026-09-14-cache-eviction.html#timeline""#,
        r#"href="../incidents/files/postmortems/logs/raw%2009-12.log""#,
        r#"href="../incidents/files/data/p99.csv""#,
    ] {
        assert!(page.contains(link), "{link} is not in the page");
    }
    // What cannot be published is not a link, and its text stays.
    assert!(page.contains("<a>missing graph</a>"), "{page}");
    assert!(page.contains("<a>secret</a>"), "{page}");
    assert!(!page.contains("missing.png") && !page.contains("../../secret"));
    let other_page = read(out.join("incidents/2026-09-14-cache-eviction.html"));
    assert!(other_page.contains(r#"src="../incidents/files/postmortems/img/p99.png""#));
    // One copy of each file, byte for byte.
    let files: Vec<String> = walkdir::WalkDir::new(out.join("incidents/files"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        files,
        [
            "incidents/files/data/p99.csv",
            "incidents/files/postmortems/img/p99.png",
            "incidents/files/postmortems/logs/raw 09-12.log",
        ]
    );
    assert_eq!(
        std::fs::read(out.join("incidents/files/postmortems/img/p99.png")).unwrap(),
        PNG
    );
    // Lint names the two links that lead nowhere, with their lines.
    let lint = project
        .pmbook()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let found: Vec<(u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "broken-link")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                41,
                "`img/missing.png`: no such file (postmortems/img/missing.png)".to_owned()
            ),
            (
                41,
                "`../../secret` leads out of the project directory".to_owned()
            ),
        ]
    );
}

#[test]
fn long_pages_list_their_sections_and_label_the_anchor_links_of_their_headings() {
    let project = Project::new();
    project.postmortem(
        &format!("{ID}.md"),
        common::valid_with(
            "12 % of checkouts timed out between 09:12 and 10:30 UTC.\n",
            "12 % of checkouts timed out[^lb].\n\n[^lb]: Measured at the load balancer.\n",
        )
        .replace(
            "Cache changes need the same canary",
            "Cache changes[^canary] need the same canary",
        )
        .replace(
            "## Communication",
            "[^canary]: A stage that takes 5 % of traffic.\n\n## Communication",
        ),
    );
    let out = project.build(&[]);
    let page = read(out.join(format!("incidents/{ID}.html")));
    let start = page.find("<nav class=\"contents\"").expect("the list");
    let nav = &page[start..start + page[start..].find("</nav>").unwrap() + 6];
    insta::assert_snapshot!("contents", nav);
    // Each section of the fixture, by the id its heading has.
    let ids = [
        "summary",
        "impact",
        "timeline",
        "root-cause",
        "contributing-factors",
        "five-whys",
        "ishikawa",
        "action-items",
        "communication",
        "lessons-learned",
    ];
    for id in ids {
        assert!(
            nav.contains(&format!("href=\"#{id}\"")),
            "{id} is not listed"
        );
        assert!(
            page.contains(&format!("<h2 id=\"{id}\">")),
            "no heading has the id {id}"
        );
    }
    // The page's script gives each heading with an id its anchor link,
    // labelled in the page's words; the page carries the label once.
    assert!(
        page.contains(
            "<article class=\"incident\" data-anchor=\"Link to heading &#39;{heading}&#39;\">"
        ),
        "{page}"
    );
    assert!(!page.contains("class=\"anchor\""), "{page}");
    // Footnotes render, with links both ways.
    assert!(page.contains(r##"<a href="#fn-lb" id="fnref-lb" data-footnote-ref="">1</a>"##));
    assert!(page.contains(r#"<li id="fn-lb">"#));
    assert!(page.contains("Measured at the load balancer."));
    // A note defined in another part of the page than its reference.
    let lessons = section(&page, "lessons-learned");
    assert!(lessons.contains(r#"<li id="fn-canary">"#), "{lessons}");
    assert!(
        lessons.contains("A stage that takes 5 % of traffic."),
        "{lessons}"
    );
    // A short page has no list.
    let short = Project::new();
    let text = VALID.split("\n## Timeline").next().unwrap();
    short.postmortem(&format!("{ID}.md"), text);
    let out = short.build(&[]);
    let page = read(out.join(format!("incidents/{ID}.html")));
    assert!(!page.contains("class=\"contents\""), "{page}");
}
