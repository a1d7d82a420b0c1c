//! `pmbook build`: pages, links, determinism, the public edition, safety and
//! the output directory.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Project, VALID, stderr, valid_with};
use predicates::prelude::*;

const ID: &str = "2026-11-03-checkout-latency";

/// Every file of a directory tree: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The targets of `href` and `src` attributes in an HTML page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap();
            found.push(rest[..end].to_owned());
        }
    }
    found
}

#[test]
fn the_example_site_has_every_page_and_no_broken_link() {
    let project = Project::example();
    let out = project.build(&["--today", "2026-11-23"]);
    let files = tree(&out);
    for page in [
        "index.html",
        "timeline.html",
        "actions.html",
        "metrics.html",
        "search.html",
        "404.html",
        "feed.xml",
        "search-index.js",
        "assets/pmbook.css",
        "assets/pmbook.js",
        "assets/search.js",
        "assets/find.js",
        "services/index.html",
        "services/checkout.html",
        "severities/index.html",
        "severities/sev1.html",
        "tags/index.html",
        "causes/index.html",
        "causes/process.html",
        "incidents/2026-11-03-checkout-latency.html",
    ] {
        assert!(files.contains_key(page), "missing {page}");
    }
    assert!(
        !files.contains_key("incidents/2026-11-19-notifications-sms-delay.html"),
        "drafts are left out"
    );
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let dir = Path::new(path).parent().unwrap();
        for link in links(&html) {
            if link.starts_with("http") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            assert!(!link.starts_with('/'), "{path}: absolute link {link}");
            let target = link.split(['#', '?']).next().unwrap();
            let resolved = normalize(&dir.join(target));
            assert!(
                files.contains_key(&resolved),
                "{path}: broken link {link} ({resolved})"
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn two_builds_are_byte_identical() {
    let project = Project::example();
    let first = tree(&project.build(&["--today", "2026-11-23"]));
    let second = tree(&project.build(&["--today", "2026-11-23"]));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between builds");
    }
}

#[test]
fn the_public_edition_holds_no_internal_material() {
    const MARKER: &str = "ZZINTERNALZZ";
    let project = Project::new();
    // An internal postmortem: every byte of it is internal.
    let internal = valid_with(ID, "2026-10-01-internal")
        .replace(
            "Checkout latency after cache deploy",
            &format!("{MARKER} title"),
        )
        .replace("\"cache\"", &format!("\"{MARKER}-service\""))
        .replace("\"deploy\"]", &format!("\"{MARKER}-tag\"]"))
        .replace(
            "12 % of checkouts",
            &format!("{MARKER} impact ![graph](img/graph.png) [raw log](logs/raw.log)"),
        );
    project.postmortem("2026-10-01-internal.md", internal);
    // Its attachments, and one that only an internal section links.
    project.file("postmortems/img/graph.png", format!("{MARKER} graph"));
    project.file("postmortems/logs/raw.log", format!("{MARKER} log"));
    project.file("postmortems/notes/rota.txt", format!("{MARKER} rota"));
    // A public postmortem with internal parts: authors, owners, a section.
    let public = valid_with("visibility = \"internal\"", "visibility = \"public\"")
        .replace(
            "authors = [\"alice\"]",
            &format!("authors = [\"{MARKER}-author\"]"),
        )
        .replace("owner: @alice", &format!("owner: @{MARKER}owner"))
        .replace(
            "## Lessons learned",
            &format!(
                "## Internal notes\n\n{MARKER} notes: the [pager rota](notes/rota.txt).\n\n## Lessons learned"
            ),
        )
        .replace(
            "Cache v2.3 changed",
            "As [before](2026-10-01-internal.md#impact), cache v2.3 changed",
        );
    let public = public.replace(
        "visibility = \"public\"",
        "related = [\"2026-10-01-internal\"]\nvisibility = \"public\"",
    );
    project.postmortem(&format!("{ID}.md"), &public);
    project.file(
        "pmbook.toml",
        "[site]\nedit_url = \"https://git.example.com/edit/{path}\"\n",
    );
    let out = project.build(&["--public"]);
    let files = tree(&out);
    assert!(files.contains_key(&format!("incidents/{ID}.html")));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(MARKER), "{path} leaks internal material");
        assert!(
            !text.contains("2026-10-01-internal"),
            "{path} names the internal incident"
        );
        assert!(!text.contains("git.example.com"), "{path} has an edit link");
    }
    assert!(
        !files.keys().any(|p| p.starts_with("incidents/files/")),
        "the public edition has attachments: {:?}",
        files.keys().collect::<Vec<_>>()
    );
    // The internal build has all of it.
    let internal_files = tree(&project.build(&[]));
    assert!(
        internal_files
            .values()
            .any(|b| String::from_utf8_lossy(b).contains(MARKER))
    );
    for attachment in ["img/graph.png", "logs/raw.log", "notes/rota.txt"] {
        assert!(
            internal_files.contains_key(&format!("incidents/files/postmortems/{attachment}")),
            "the internal build lacks {attachment}"
        );
    }
}

#[test]
fn values_from_postmortems_are_escaped_and_raw_html_is_removed() {
    let project = Project::new();
    let hostile = valid_with("Checkout latency after cache deploy", "<script>alert('title')</script>")
        .replace("\"deploy\"]", "\"<img src=x onerror=alert(1)>\"]")
        .replace(
            "12 % of checkouts",
            "<script>alert('body')</script> <a href=\"javascript:alert(1)\">x</a> [y](javascript:alert(2)) <img src=x onerror=\"alert(3)\"> <iframe src=\"https://evil.example\"></iframe> 12 % of checkouts",
        )
        .replace("Add a canary stage", "<b onmouseover=alert(4)>Add</b> a canary stage")
        .replace("- **Tooling**:", "- **<svg/onload=alert(5)>**:");
    project.postmortem(&format!("{ID}.md"), hostile);
    let out = project.build(&[]);
    // An element with an event handler, or a script, frame or svg element
    // that is not the builder's own.
    let handler = regex::Regex::new(r"(?i)<[a-z][^>]*\son[a-z]+\s*=").unwrap();
    let element = regex::Regex::new(r"(?i)<(script>|iframe|svg/|img src=x)").unwrap();
    // Raw HTML keeps its text, shown as text: a `javascript:` there is
    // harmless, in an attribute it is not.
    let link = regex::Regex::new(r#"(?i)=\s*["']?\s*javascript:"#).unwrap();
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !handler.is_match(&text),
            "{path} has an event handler attribute"
        );
        assert!(!element.is_match(&text), "{path} has a foreign element");
        assert!(!link.is_match(&text), "{path} has a javascript: link");
    }
    let page = std::fs::read_to_string(out.join(format!("incidents/{ID}.html"))).unwrap();
    assert!(
        page.contains("<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</h1>"),
        "the title is shown escaped"
    );
}

#[test]
fn a_directory_pmbook_did_not_make_is_never_replaced() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.file("out/precious.txt", "keep me");
    project
        .pmbook()
        .args(["build", "--out", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not made by `pmbook build`"));
    assert_eq!(
        std::fs::read_to_string(project.path().join("out/precious.txt")).unwrap(),
        "keep me"
    );

    std::fs::remove_dir_all(project.path().join("out")).unwrap();
    project.build(&[]);
    project.build(&[]);
    assert!(project.path().join("out/.pmbook-site").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    let out = project.build(&[]);
    let before = tree(&out);
    project.file("theme/templates/incident.html", "{% for x in %}broken");
    project
        .pmbook()
        .args(["build", "--out", "out"])
        .assert()
        .code(2);
    assert_eq!(tree(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(project.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("pmbook-tmp") || n.contains("pmbook-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn unsafe_ids_never_become_paths() {
    let project = Project::new();
    project.postmortem(
        "evil.md",
        VALID.replace(&format!("id = \"{ID}\""), "id = \"../../escaped\""),
    );
    project.postmortem(&format!("{ID}.md"), VALID);
    let output = project
        .pmbook()
        .args(["build", "--out", "site/out"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(stderr(&output).contains("left out of the site: postmortems/evil.md"));
    assert!(!project.path().join("escaped.html").exists());
    assert!(!project.path().join("site/escaped.html").exists());
}

#[test]
fn incident_page_snapshot() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.file(
        "pmbook.toml",
        "[actions]\nticket_url = \"https://tracker.example.com/browse/{ticket}\"\n",
    );
    let out = project.build(&[]);
    let page = std::fs::read_to_string(out.join(format!("incidents/{ID}.html"))).unwrap();
    insta::assert_snapshot!("incident-page", page);
    let services = std::fs::read_to_string(out.join("services/index.html")).unwrap();
    insta::assert_snapshot!("services-index", services);
}

/// The headline table of the metrics fixture, both columns, against the
/// numbers of `tests/fixtures/metrics/EXPECTED.md` (computed by hand). On
/// 2026-06-30 the last 90 days start on 2026-04-02: incidents F to J.
#[test]
fn the_site_shows_the_numbers_of_stats() {
    let project = Project::from_fixture("metrics");
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("pmbook"))
        .current_dir(project.path())
        .args(["--today", "2026-06-30", "build", "--out", "out"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = project.path().join("out");
    let page = std::fs::read_to_string(out.join("metrics.html")).unwrap();
    let row = |label: &str| -> [String; 2] {
        let row = page
            .split(&format!("<th scope=\"row\">{label}</th>"))
            .nth(1)
            .unwrap_or_else(|| panic!("no row {label}"));
        let cells: Vec<String> = row
            .split("<td>")
            .skip(1)
            .take(2)
            .map(|c| c.split("</td>").next().unwrap().to_owned())
            .collect();
        [cells[0].clone(), cells[1].clone()]
    };
    // [last 90 days, all time]
    assert_eq!(row("Incidents"), ["5", "10"]);
    // Detect: 2, 8, 20, 30, 45 → 20; all: 2 … 45 (n = 9) → 20.
    assert_eq!(row("Time to detect, median"), ["20 min", "20 min"]);
    // Resolve: 30, 50, 120, 240, 480 → 120; all → 105.
    assert_eq!(row("Time to resolve, median"), ["2 h 00 min", "1 h 45 min"]);
    // p90: 240 + 0.6 · 240 = 384; all: 240 + 0.1 · 240 = 264.
    assert_eq!(row("Time to resolve, p90"), ["6 h 24 min", "4 h 24 min"]);
    // F and I of five; A, C, D, F and I of ten.
    assert_eq!(row("Caused by a change"), ["40.0%", "50.0%"]);
    // F recurs C (before the window); C and F of ten.
    assert_eq!(row("Recurring incidents"), ["20.0%", "20.0%"]);
    // H and I; A, C, E, H and I.
    assert_eq!(row("Reviews in the window"), ["2 of 5", "5 of 10"]);
    // F, H (overdue since 2026-05-30) and J; all: A, B ×2, D, F, H, J
    // with B, D and H overdue.
    assert_eq!(row("Open action items (overdue)"), ["3 (1)", "7 (3)"]);
    // Every recurrence pair is listed, with links.
    for later in ["2026-02-10-api-errors", "2026-04-02-api-timeout"] {
        assert!(
            page.contains(&format!("href=\"incidents/{later}.html\"")),
            "pair with {later} missing"
        );
    }
    // The dashboard shows the same headline table.
    let dashboard = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(dashboard.contains("<th scope=\"row\">Incidents</th><td>5</td><td>10</td>"));
}

#[test]
fn the_action_board_shows_a_shared_follow_up_once() {
    let project = Project::new();
    let shared = "- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, id: CANARY-1)";
    let first = VALID.replace(
        "- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)",
        shared,
    );
    let second = first
        .replace(&format!("id = \"{ID}\""), "id = \"2026-11-20-cache-again\"")
        .replace("- [ ] Add a canary stage", "- [x] Add a canary stage")
        .replace("\"checkout\", \"cache\"", "\"cache\", \"search\"");
    project.postmortem(&format!("{ID}.md"), &first);
    project.postmortem("2026-11-20-cache-again.md", &second);
    let out = project.build(&[]);
    let board = std::fs::read_to_string(out.join("actions.html")).unwrap();
    assert_eq!(
        board.matches("Add a canary stage to cache deploys").count(),
        1,
        "{board}"
    );
    let row = board
        .split("Add a canary stage")
        .next()
        .unwrap()
        .rsplit("<tr")
        .next()
        .unwrap();
    assert!(
        row.contains("data-status=\"open\""),
        "open while one copy is open: {row}"
    );
    assert!(
        row.contains("data-services=\"checkout cache search\""),
        "{row}"
    );
}

#[test]
fn incident_pages_show_the_date_of_their_last_commit() {
    let project = Project::new();
    project.git_init();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.postmortem("2026-11-20-other.md", valid_with(ID, "2026-11-20-other"));
    for (date, file) in [
        ("2026-11-04T10:00:00Z", "."),
        ("2026-11-21T10:00:00Z", "postmortems/2026-11-20-other.md"),
    ] {
        if file != "." {
            project.postmortem(
                "2026-11-20-other.md",
                valid_with(ID, "2026-11-20-other").replace("78 minutes", "79 minutes"),
            );
        }
        common::git(project.path(), &["add", file]);
        let status = common::git_command(project.path())
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_DATE", date)
            .args(["commit", "-q", "--no-verify", "-m", "edit"])
            .status()
            .unwrap();
        assert!(status.success());
    }
    let out = project.build(&[]);
    let page =
        |id: &str| std::fs::read_to_string(out.join(format!("incidents/{id}.html"))).unwrap();
    assert!(
        page(ID).contains("Last updated 2026-11-04."),
        "{}",
        page(ID)
    );
    assert!(page("2026-11-20-other").contains("Last updated 2026-11-21."));
}

#[test]
fn pages_are_dated_when_the_project_is_a_subdirectory_of_the_repository() {
    // The repository holds more than the project, and the postmortems sit
    // in year folders: the dates must still be found for each path.
    let repo = Project::new();
    repo.git_init();
    repo.file("kb/pmbook.toml", "")
        .file(&format!("kb/postmortems/2026/{ID}.md"), VALID)
        .file("elsewhere.md", "not a postmortem\n");
    common::git(repo.path(), &["add", "."]);
    let status = common::git_command(repo.path())
        .env("GIT_COMMITTER_DATE", "2026-11-06T10:00:00Z")
        .env("GIT_AUTHOR_DATE", "2026-11-06T10:00:00Z")
        .args(["commit", "-q", "--no-verify", "-m", "add"])
        .status()
        .unwrap();
    assert!(status.success());
    let output = repo
        .pmbook()
        .args(["-C", "kb", "build", "--out", "out"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let page =
        std::fs::read_to_string(repo.path().join(format!("kb/out/incidents/{ID}.html"))).unwrap();
    assert!(page.contains("Last updated 2026-11-06."), "{page}");
}

#[test]
fn the_build_is_quiet_off_a_terminal() {
    // Tests run with stderr piped, as CI does: no progress bar may appear.
    let project = Project::example();
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(stderr(&output), "", "stderr is for problems only");
    let stdout = common::stdout(&output);
    assert!(
        stdout.contains("open ") && stdout.ends_with("index.html\n"),
        "{stdout}"
    );
}

#[test]
fn an_empty_summary_does_not_take_the_next_section_as_the_summary() {
    let project = Project::new();
    project.postmortem(
        &format!("{ID}.md"),
        valid_with(
            "## Summary\n\nA cache deploy doubled checkout latency for 78 minutes.\n",
            "## Summary\n\n",
        ),
    );
    let out = project.build(&[]);
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<summary></summary>"), "{feed}");
    let search = std::fs::read_to_string(out.join("search/docs-0.js")).unwrap();
    assert!(search.contains(r#""m":"""#), "{search}");
    assert!(!search.contains(r#""m":"12 % of checkouts"#), "{search}");
}

#[test]
fn drafts_are_left_out_and_named_from_init_to_build() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = common::pmbook()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        output
    };
    run(&["init"]);
    run(&["new", "Checkout latency"]);
    let output = run(&["build"]);
    let out = common::stdout(&output);
    let (note, built) = out.split_once('\n').unwrap();
    assert!(
        note.starts_with("pmbook: 1 draft left out: postmortems/")
            && note.ends_with(
                "-checkout-latency.md (the site does not publish drafts: give a postmortem \
                 another `status` to publish it, or build with `--drafts` to preview them)"
            ),
        "{out}"
    );
    assert!(built.starts_with("pmbook: built 0 incident pages"), "{out}");
    let index = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
    assert!(
        index.contains("1 draft not shown: drafts are not published until their status changes."),
        "{index}"
    );
}

#[test]
fn two_postmortems_with_one_id_are_refused_with_the_duplicate_id_diagnostic() {
    let project = Project::new();
    project.postmortem("a.md", VALID);
    project.postmortem("b.md", VALID);
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(
            "error[duplicate-id]: id `2026-11-03-checkout-latency` is used by another postmortem"
        ),
        "{err}"
    );
    assert!(err.contains("postmortems/a.md:2:6"), "{err}");
    assert!(err.contains("postmortems/b.md:2:6"), "{err}");
    assert!(
        err.ends_with(
            "pmbook: the site was not built: two postmortems with one id would write the same page\n"
        ),
        "{err}"
    );
    assert!(!project.path().join("out").exists());

    // With the rule turned off, the first file by path is built, the other
    // is left out and named.
    project.file("pmbook.toml", "[lint.rules]\n\"duplicate-id\" = \"off\"\n");
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "pmbook: left out of the site: postmortems/b.md: the id `2026-11-03-checkout-latency` \
         is also the id of postmortems/a.md (see the duplicate-id rule) (see `pmbook lint`)\n"
    );
    assert!(
        common::stdout(&output).starts_with("pmbook: built 1 incident page ("),
        "{}",
        common::stdout(&output)
    );
}

/// Builds a site from `VALID` titled `title`, committed in its own git
/// repository, and returns its feed parsed by an Atom parser.
fn parsed_feed(title: &str) -> feed_rs::model::Feed {
    let project = Project::new();
    project.git_init();
    project.postmortem(
        &format!("{ID}.md"),
        valid_with(
            "title = \"Checkout latency after cache deploy\"",
            &format!("title = \"{title}\""),
        ),
    );
    project.commit_all("postmortem");
    let out = project.build(&[]);
    let xml = std::fs::read(out.join("feed.xml")).unwrap();
    feed_rs::parser::parse(xml.as_slice()).expect("a valid Atom feed")
}

#[test]
fn the_feed_is_valid_atom_with_an_id_of_its_own() {
    let first = parsed_feed("Checkout latency after cache deploy");
    let second = parsed_feed("Checkout latency, another team");
    assert_eq!(first.feed_type, feed_rs::model::FeedType::Atom);
    assert!(first.id.starts_with("urn:pmbook:git-"), "{}", first.id);
    assert_ne!(first.id, second.id, "two sites, two feed ids");
    assert_eq!(first.entries.len(), 1);
    let entry = &first.entries[0];
    assert_eq!(entry.id, format!("{}:incident:{ID}", first.id));
    assert_eq!(
        entry.title.as_ref().unwrap().content,
        "SEV2: Checkout latency after cache deploy"
    );
    assert_eq!(
        entry.summary.as_ref().unwrap().content,
        "A cache deploy doubled checkout latency for 78 minutes."
    );
    assert_eq!(entry.links[0].href, format!("incidents/{ID}.html"));
    assert_eq!(
        entry.published.unwrap().to_rfc3339(),
        "2026-11-03T00:00:00+00:00"
    );
    let services: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(services, ["checkout", "cache"]);
}

#[test]
fn edit_links_percent_encode_the_path() {
    let project = Project::new();
    project.postmortem("2026 checkout #1 é.md", VALID);
    project.file(
        "pmbook.toml",
        "[site]\nedit_url = \"https://git.example.com/edit/{path}\"\n",
    );
    let out = project.build(&[]);
    let page = std::fs::read_to_string(out.join(format!("incidents/{ID}.html"))).unwrap();
    assert!(
        page.contains(
            "href=\"https://git.example.com/edit/postmortems/2026%20checkout%20%231%20%C3%A9.md\""
        ),
        "{page}"
    );
}

#[test]
fn headings_never_take_the_ids_of_the_page() {
    let project = Project::new();
    project.postmortem(
        &format!("{ID}.md"),
        valid_with(
            "## Impact\n",
            "## Content\n\nWhat this covers.\n\n## Related\n\nThe other incident.\n\n## Impact\n",
        )
        .replace(
            "visibility = \"internal\"",
            "related = [\"2026-11-20-other\"]\nvisibility = \"internal\"",
        ),
    );
    project.postmortem("2026-11-20-other.md", valid_with(ID, "2026-11-20-other"));
    let out = project.build(&[]);
    let page = std::fs::read_to_string(out.join(format!("incidents/{ID}.html"))).unwrap();
    for id in ["content", "related"] {
        assert_eq!(
            page.matches(&format!("id=\"{id}\"")).count(),
            1,
            "one element with id {id}: {page}"
        );
        assert!(
            page.contains(&format!("<h2 id=\"{id}-section\">")),
            "{page}"
        );
        assert!(page.contains(&format!("href=\"#{id}-section\"")), "{page}");
    }
}

#[test]
fn an_uncommitted_postmortem_has_no_last_updated_date() {
    let project = Project::new();
    project.git_init();
    let other = valid_with(ID, "2026-11-20-other");
    project.postmortem(&format!("{ID}.md"), VALID);
    project.postmortem("2026-11-20-other.md", &other);
    for (date, args) in [
        ("2026-11-04T10:00:00Z", vec!["add", "."]),
        (
            "2026-11-05T10:00:00Z",
            vec!["rm", "-q", "--cached", &format!("postmortems/{ID}.md")],
        ),
    ] {
        common::git(project.path(), &args);
        let status = common::git_command(project.path())
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_DATE", date)
            .args(["commit", "-q", "--no-verify", "-m", "edit"])
            .status()
            .unwrap();
        assert!(status.success());
    }
    // The first postmortem is in the work tree only (HEAD removed it).
    let out = project.build(&[]);
    let page =
        |id: &str| std::fs::read_to_string(out.join(format!("incidents/{id}.html"))).unwrap();
    assert!(!page(ID).contains("Last updated"), "{}", page(ID));
    assert!(page("2026-11-20-other").contains("Last updated 2026-11-04."));
}

#[test]
fn dates_are_those_of_the_offset_the_postmortem_is_written_in() {
    let project = Project::new();
    // 22:12 at -05:00 is 03:12 UTC the next day: the team's day is the 3rd.
    project.postmortem(
        &format!("{ID}.md"),
        valid_with(
            "started_at = 2026-11-03T09:12:00Z",
            "started_at = 2026-11-03T22:12:00-05:00",
        )
        .replace("2026-11-03T09:20:00Z", "2026-11-03T22:20:00-05:00")
        .replace("2026-11-03T09:22:00Z", "2026-11-03T22:22:00-05:00"),
    );
    let out = project.build(&[]);
    let page = std::fs::read_to_string(out.join(format!("incidents/{ID}.html"))).unwrap();
    assert!(page.contains("</a> › 2026-11-03</p>"), "{page}");
    assert!(
        page.contains("<dt>Started</dt><dd>2026-11-03 22:12 -05:00</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Detected</dt><dd>2026-11-03 22:20 -05:00</dd>"),
        "{page}"
    );
    let timeline = std::fs::read_to_string(out.join("timeline.html")).unwrap();
    assert!(timeline.contains("<tr><td>2026-11-03<td>"), "{timeline}");
    assert!(!timeline.contains("2026-11-04"), "{timeline}");

    let output = project
        .pmbook()
        .args(["stats", "--format", "json", "--until", "2026-11-03"])
        .output()
        .unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["incidents"], 1, "counted on the 3rd");
}
