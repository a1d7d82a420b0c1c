//! Drafts in the site on request: `pmbook build --drafts` or `[site] drafts
//! = true` shows them with a "draft" badge ("imported" too for an import
//! not yet reviewed); without either, and in a `--public` build always,
//! they are left out.

mod common;

use common::{Project, VALID, stderr};

const DRAFT: &str = "2026-11-03-checkout-latency";
const IMPORTED: &str = "2026-11-04-imported";
const PUBLISHED: &str = "2026-11-05-published";

/// A published postmortem, a draft and an imported draft, all public.
fn project() -> Project {
    let public = VALID.replace("visibility = \"internal\"", "visibility = \"public\"");
    let draft = public.replace("status = \"published\"", "status = \"draft\"");
    let imported = draft
        .replace(DRAFT, IMPORTED)
        .replace("Checkout latency after cache deploy", "Imported outage")
        .replace("severity = \"SEV2\"\n", "unconfirmed = [\"severity\"]\n")
        + "\n## Import notes\n\n- Check the times against the original.\n";
    let published = public
        .replace(DRAFT, PUBLISHED)
        .replace("Checkout latency after cache deploy", "Published outage");
    let project = Project::new();
    project
        .postmortem(&format!("{DRAFT}.md"), draft)
        .postmortem(&format!("{IMPORTED}.md"), imported)
        .postmortem(&format!("{PUBLISHED}.md"), published);
    project
}

fn build(project: &Project, args: &[&str]) -> String {
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .args(args)
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    common::stdout(&output)
}

fn page(project: &Project, id: &str) -> Option<String> {
    std::fs::read_to_string(project.path().join(format!("out/incidents/{id}.html"))).ok()
}

fn index(project: &Project) -> String {
    std::fs::read_to_string(project.path().join("out/index.html")).expect("index")
}

/// The lines of `html` that hold a badge or an incident's link.
fn badge_lines(html: &str) -> String {
    html.lines()
        .filter(|l| l.contains("class=\"badges\"") || l.contains("href=\"incidents/"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn drafts_are_left_out_without_the_flag() {
    let project = project();
    let out = build(&project, &[]);
    assert!(out.contains("2 drafts left out"), "{out}");
    assert!(page(&project, PUBLISHED).is_some());
    assert_eq!(page(&project, DRAFT), None);
    assert_eq!(page(&project, IMPORTED), None);
    let index = index(&project);
    assert!(!index.contains("Imported outage"), "{index}");
    assert!(!index.contains("badge draft"), "{index}");
}

#[test]
fn drafts_shown_on_request_carry_a_badge_in_lists_and_on_their_page() {
    let project = project();
    let out = build(&project, &["--drafts"]);
    assert!(!out.contains("left out"), "{out}");
    let draft = page(&project, DRAFT).expect("the draft's page");
    let imported = page(&project, IMPORTED).expect("the imported draft's page");
    let published = page(&project, PUBLISHED).expect("the published page");
    insta::assert_snapshot!(
        "draft-badges",
        [
            badge_lines(&draft),
            badge_lines(&imported),
            badge_lines(&published),
            badge_lines(&index(&project)),
        ]
        .join("\n---\n")
    );
}

#[test]
fn the_config_shows_drafts_and_a_public_build_never_does() {
    let project = project();
    project.file("pmbook.toml", "[site]\ndrafts = true\n");
    build(&project, &[]);
    assert!(page(&project, DRAFT).is_some());
    for args in [&["--public"][..], &["--public", "--drafts"]] {
        let out = build(&project, args);
        assert!(out.contains("2 drafts left out"), "{args:?}: {out}");
        assert!(!out.contains("--drafts"), "{args:?}: {out}");
        assert_eq!(page(&project, DRAFT), None, "{args:?}");
        assert_eq!(page(&project, IMPORTED), None, "{args:?}");
        assert!(page(&project, PUBLISHED).is_some(), "{args:?}");
    }
}
