//! `[site] url`: the address the site is published at. It makes the feed's
//! links absolute and gives every page a canonical link; without it the
//! feed says its links are relative and carries `xml:base`.

mod common;

use std::path::PathBuf;

use common::{Project, VALID, stderr};

const ID: &str = "2026-11-03-checkout-latency";

fn site_with_url(url: &str) -> (Project, PathBuf) {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.file("pmbook.toml", format!("[site]\nurl = \"{url}\"\n"));
    let out = project.build(&[]);
    (project, out)
}

fn read(out: &std::path::Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap()
}

/// The `href` of the page's `<link rel="canonical">`, if it has one.
fn canonical(html: &str) -> Option<&str> {
    let tag = "<link rel=\"canonical\" href=\"";
    let rest = &html[html.find(tag)? + tag.len()..];
    Some(&rest[..rest.find('"').unwrap()])
}

#[test]
fn with_a_url_the_feed_links_are_absolute_for_a_feed_parser() {
    // No final slash: it is added.
    let (_project, out) = site_with_url("https://postmortems.example.com/sre");
    let xml = std::fs::read(out.join("feed.xml")).unwrap();
    let feed = feed_rs::parser::parse(xml.as_slice()).expect("a valid Atom feed");
    let links: Vec<(Option<&str>, &str)> = feed
        .links
        .iter()
        .map(|l| (l.rel.as_deref(), l.href.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            (
                Some("alternate"),
                "https://postmortems.example.com/sre/index.html"
            ),
            (Some("self"), "https://postmortems.example.com/sre/feed.xml"),
        ]
    );
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(
        feed.entries[0].links[0].href,
        format!("https://postmortems.example.com/sre/incidents/{ID}.html")
    );
    // Each absolute link names a page the build wrote.
    assert!(out.join(format!("incidents/{ID}.html")).is_file());
    let text = String::from_utf8(xml).unwrap();
    assert!(!text.contains("xml:base"), "{text}");
    assert!(!text.contains("<!--"), "{text}");
}

#[test]
fn without_a_url_the_feed_says_so_and_resolves_against_its_own_address() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    let out = project.build(&[]);
    let text = read(&out, "feed.xml");
    assert!(
        text.contains(
            "<!-- Links are relative to this feed's address (xml:base): pmbook.toml has no \
             [site] url, the address the site is published at. -->"
        ),
        "{text}"
    );
    // A reader that fetched the feed from an address resolves its links
    // against that address, through `xml:base`.
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some("https://intranet.example.com/pm/feed.xml"))
        .build()
        .parse(text.as_bytes())
        .expect("a valid Atom feed");
    assert_eq!(
        feed.links[0].href,
        "https://intranet.example.com/pm/index.html"
    );
    assert_eq!(feed.links.len(), 1, "no self link without an address");
    assert_eq!(
        feed.entries[0].links[0].href,
        format!("https://intranet.example.com/pm/incidents/{ID}.html")
    );
}

#[test]
fn with_a_url_every_page_but_404_has_its_canonical_link() {
    let (_project, out) = site_with_url("https://postmortems.example.com/");
    for page in [
        "index.html".to_owned(),
        format!("incidents/{ID}.html"),
        "timeline.html".to_owned(),
        "actions.html".to_owned(),
        "metrics.html".to_owned(),
        "search.html".to_owned(),
        "services/index.html".to_owned(),
        "services/checkout.html".to_owned(),
        "severities/sev2.html".to_owned(),
        "tags/index.html".to_owned(),
        "causes/index.html".to_owned(),
    ] {
        let html = read(&out, &page);
        assert_eq!(
            canonical(&html),
            Some(format!("https://postmortems.example.com/{page}").as_str()),
            "{page}"
        );
    }
    let missing = read(&out, "404.html");
    assert_eq!(canonical(&missing), None);
    // The 404 page is served at any depth: its links are absolute.
    assert!(
        missing.contains("href=\"https://postmortems.example.com/assets/pmbook.css\"")
            && missing
                .contains("<a href=\"https://postmortems.example.com/index.html\">dashboard</a>"),
        "{missing}"
    );
}

#[test]
fn without_a_url_no_page_has_a_canonical_link_and_links_stay_relative() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    let out = project.build(&[]);
    for page in [
        "index.html".to_owned(),
        format!("incidents/{ID}.html"),
        "services/index.html".to_owned(),
        "404.html".to_owned(),
    ] {
        assert_eq!(canonical(&read(&out, &page)), None, "{page}");
    }
    let incident = read(&out, &format!("incidents/{ID}.html"));
    assert!(
        incident.contains("href=\"../assets/pmbook.css\""),
        "{incident}"
    );
    assert!(read(&out, "404.html").contains("href=\"assets/pmbook.css\""));
}

fn config_error(config: &str) -> String {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.file("pmbook.toml", config);
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!project.path().join("out").exists());
    let root = std::fs::canonicalize(project.path()).unwrap();
    stderr(&output).replace(&format!("{}/", root.display()), "")
}

#[test]
fn an_invalid_url_is_a_config_error_at_its_value() {
    assert_eq!(
        config_error("[site]\nurl = \"postmortems.example.com\"\n"),
        "error: invalid `[site] url`: `postmortems.example.com` is not an absolute http(s) \
         URL; write it in full, such as `https://postmortems.example.com/`\n\
         \x20--> pmbook.toml:2:7\n\
         \x20 |\n\
         2 | url = \"postmortems.example.com\"\n\
         \x20 |       ^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    );
    let text = config_error("[site]\nurl = \"ftp://example.com/\"\n");
    assert!(text.contains("is not an absolute http(s) URL"), "{text}");
    let text = config_error("[site]\nurl = \"https:///pm/\"\n");
    assert!(
        text.starts_with("error: invalid `[site] url`: `https:///pm/` has no host\n"),
        "{text}"
    );
    let text = config_error("# query\n[site]\nurl = \"https://example.com/?page=\"\n");
    assert!(
        text.starts_with(
            "error: invalid `[site] url`: `https://example.com/?page=` contains `?`; pages \
             are appended to it, so it must be a plain address\n --> pmbook.toml:3:7\n"
        ),
        "{text}"
    );
}
