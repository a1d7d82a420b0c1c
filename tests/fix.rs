//! `pmbook lint --fix` end to end: each fix, what it leaves alone, byte
//! preservation, idempotence, output and exit codes.

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{Project, VALID, stderr, stdout, valid_with};

const ID: &str = "2026-11-03-checkout-latency";
const FILE: &str = "postmortems/2026-11-03-checkout-latency.md";

const IMPACT: &str = "## Impact\n\n12 % of checkouts timed out between 09:12 and 10:30 UTC.\n\n";
const IMPACT_ADDED: &str = "## Impact\n\n<!-- Who and what was affected and for how long, with numbers: failed requests, customers, orders, SLO budget. -->\n\n";
const COMMUNICATION: &str = "## Communication\n\nStatus page updated at 09:30 and 10:35 UTC.\n\n";
const COMMUNICATION_ADDED: &str = "## Communication\n\n<!-- How and when customers, support and colleagues were told: status page, emails, channels. -->\n";
const ID_LINE: &str = "id = \"2026-11-03-checkout-latency\"\n";
const TIMELINE: &str = "- 2026-11-03 09:12 UTC — cache v2.3 deploy starts
- 09:20 — p99 latency alert fires
- 09:45 — deploy rolled back; latency recovers
- 10:30 — incident resolved after cache warm-up
";
/// The valid fixture's timeline with full timestamps, in order.
const DATED: &str = "- 2026-11-03 09:12 UTC — cache v2.3 deploy starts
- 2026-11-03 09:20 UTC — p99 latency alert fires
  and pages the on-call engineer
- 2026-11-03 09:45 UTC — deploy rolled back; latency recovers
- 2026-11-03 10:30 UTC — incident resolved after cache warm-up
";
/// `DATED` out of order; the two-line entry moves as a whole.
const SHUFFLED: &str = "- 2026-11-03 09:45 UTC — deploy rolled back; latency recovers
- 2026-11-03 10:30 UTC — incident resolved after cache warm-up
- 2026-11-03 09:20 UTC — p99 latency alert fires
  and pages the on-call engineer
- 2026-11-03 09:12 UTC — cache v2.3 deploy starts
";

/// `text` with each `(from, to)` replaced once (`from` must occur).
fn edit(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (from, to) in replacements {
        assert!(out.contains(from), "text does not contain {from:?}");
        out = out.replacen(from, to, 1);
    }
    out
}

fn read(project: &Project, relative: &str) -> String {
    std::fs::read_to_string(project.path().join(relative)).unwrap()
}

fn fix(project: &Project) -> std::process::Output {
    project.pmbook().args(["lint", "--fix"]).output().unwrap()
}

/// Sets the modification time of `path` to an hour ago, so that a rewrite
/// shows whatever the file system's time resolution.
fn age(path: &Path) -> SystemTime {
    let old = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn missing_sections_are_added_in_the_configured_order_with_their_guidance() {
    let project = Project::new();
    let broken = edit(VALID, &[(IMPACT, ""), (COMMUNICATION, "")]);
    project.file(FILE, &broken);
    let output = fix(&project);
    assert_eq!(
        stderr(&output),
        format!("fixed {FILE}: added ## Impact, ## Communication\n")
    );
    // Impact goes before the next required section, Timeline; Communication
    // has none after it, so it goes at the end. Every other byte is kept.
    let expected = edit(
        &broken,
        &[("## Timeline", &format!("{IMPACT_ADDED}## Timeline"))],
    ) + "\n"
        + COMMUNICATION_ADDED;
    assert_eq!(read(&project, FILE), expected);
    // What is left: the new sections are empty, for the author to write.
    let out = stdout(&output);
    assert!(out.contains("error[empty-section]: section `## Impact` is empty"));
    assert!(out.contains("error[empty-section]: section `## Communication` is empty"));
    assert!(!out.contains("required-section"));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn sections_added_at_one_place_keep_the_configured_order() {
    let project = Project::new();
    project.file(
        "pmbook.toml",
        "[sections]\nrequired = [\"Summary\", \"Detection\", \"Action items\", \"Appendix\", \"Sign-off\"]\n",
    );
    let broken = edit(
        VALID,
        &[(
            "## Action items\n\n- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01, kind: prevent, ticket: OPS-123)\n- [x] Roll back cache v2.3 (owner: @bob, kind: fix, closed: 2026-11-03)\n\n",
            "",
        )],
    );
    // Without a trailing line ending, the end gets a blank line first.
    let broken = broken.trim_end().to_owned();
    project.file(FILE, &broken);
    let output = fix(&project);
    assert_eq!(
        stderr(&output),
        format!("fixed {FILE}: added ## Detection, ## Action items, ## Appendix, ## Sign-off\n")
    );
    // Sections the template does not know get no guidance; the template's
    // placeholders are filled in from the configuration.
    let action_items = "## Action items\n\n<!-- One task per follow-up: \"- [ ] Add a canary stage (owner: @alice, due: YYYY-MM-DD, kind: prevent, ticket: OPS-123)\"; kinds: fix, automate, tooling, process, test, detect, mitigate, prevent. -->\n";
    let expected =
        format!("{broken}\n\n## Detection\n\n{action_items}\n## Appendix\n\n## Sign-off\n");
    assert_eq!(read(&project, FILE), expected);
}

#[test]
fn a_missing_id_is_taken_from_the_file_name() {
    let project = Project::new();
    let broken = edit(VALID, &[(ID_LINE, "")]);
    project.file(FILE, &broken);
    let output = fix(&project);
    assert_eq!(
        stderr(&output),
        format!("fixed {FILE}: added id = \"{ID}\"\n")
    );
    assert_eq!(read(&project, FILE), VALID);
    assert_eq!(stdout(&output), "pmbook: 1 file checked, no problems\n");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn an_id_is_not_derived_when_it_would_clash_or_is_not_valid() {
    let project = Project::new();
    let without_id = edit(VALID, &[(ID_LINE, "")]);
    // Another postmortem already has the file's name as its id.
    project.postmortem("a/2026-11-03-checkout-latency.md", &without_id);
    project.postmortem("b.md", VALID);
    // Two files without an id and with the same name: neither gets it.
    project.postmortem("c/2026-12-01-dns.md", &without_id);
    project.postmortem("d/2026-12-01-dns.md", &without_id);
    // A file name that is not a valid id.
    project.postmortem("Checkout Latency.md", &without_id);
    let output = fix(&project);
    assert_eq!(stderr(&output), "");
    for name in [
        "a/2026-11-03-checkout-latency.md",
        "c/2026-12-01-dns.md",
        "d/2026-12-01-dns.md",
        "Checkout Latency.md",
    ] {
        assert_eq!(read(&project, &format!("postmortems/{name}")), without_id);
    }
    assert_eq!(
        stdout(&output)
            .matches("missing required field `id`")
            .count(),
        4
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_out_of_order_timeline_is_sorted_entries_whole() {
    let project = Project::new();
    let sorted = edit(VALID, &[(TIMELINE, DATED)]);
    let shuffled = edit(VALID, &[(TIMELINE, SHUFFLED)]);
    project.file(FILE, &shuffled);
    let output = fix(&project);
    assert_eq!(
        stderr(&output),
        format!("fixed {FILE}: sorted the timeline\n")
    );
    assert_eq!(read(&project, FILE), sorted);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn entries_at_the_same_time_keep_their_order() {
    let project = Project::new();
    let timeline = "- 2026-11-03 09:20 UTC — b
- 2026-11-03 09:12 UTC — a
- 2026-11-03 11:20 +02:00 — c, at 09:20 UTC
- 2026-11-03 09:20 UTC — d
";
    let sorted = "- 2026-11-03 09:12 UTC — a
- 2026-11-03 09:20 UTC — b
- 2026-11-03 11:20 +02:00 — c, at 09:20 UTC
- 2026-11-03 09:20 UTC — d
";
    project.file(FILE, edit(VALID, &[(TIMELINE, timeline)]));
    fix(&project);
    assert_eq!(read(&project, FILE), edit(VALID, &[(TIMELINE, sorted)]));
}

#[test]
fn a_timeline_with_a_time_only_entry_is_not_sorted() {
    let project = Project::new();
    let broken = edit(
        VALID,
        &[(
            "- 09:20 — p99 latency alert fires\n- 09:45",
            "- 09:45 — p99 latency alert fires\n- 09:20",
        )],
    );
    project.file(FILE, &broken);
    let output = fix(&project);
    assert_eq!(stderr(&output), "");
    assert_eq!(read(&project, FILE), broken);
    assert!(stdout(&output).contains("error[timeline-order]"));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_timeline_split_by_text_is_not_sorted() {
    let project = Project::new();
    let split = "- 2026-11-03 09:45 UTC — deploy rolled back\n\nLater:\n\n- 2026-11-03 09:12 UTC — deploy starts\n";
    let broken = edit(VALID, &[(TIMELINE, split)]);
    project.file(FILE, &broken);
    let output = fix(&project);
    assert_eq!(stderr(&output), "");
    assert_eq!(read(&project, FILE), broken);
}

#[test]
fn bom_and_crlf_are_kept() {
    let project = Project::new();
    let broken = edit(VALID, &[(ID_LINE, ""), (IMPACT, ""), (TIMELINE, SHUFFLED)]);
    let crlf = |text: &str| format!("\u{feff}{}", text.replace('\n', "\r\n"));
    project.file(FILE, crlf(&broken));
    let output = fix(&project);
    assert_eq!(
        stderr(&output),
        format!("fixed {FILE}: added id = \"{ID}\", ## Impact; sorted the timeline\n")
    );
    let expected = edit(VALID, &[(IMPACT, IMPACT_ADDED), (TIMELINE, DATED)]);
    assert_eq!(
        std::fs::read(project.path().join(FILE)).unwrap(),
        crlf(&expected).into_bytes()
    );
}

#[test]
fn a_second_run_changes_nothing() {
    let project = Project::new();
    let broken = edit(
        VALID,
        &[
            (ID_LINE, ""),
            (IMPACT, ""),
            (COMMUNICATION, ""),
            (TIMELINE, SHUFFLED),
        ],
    );
    project.file(FILE, broken);
    let first = fix(&project);
    assert!(stderr(&first).starts_with("fixed "));
    let fixed = std::fs::read(project.path().join(FILE)).unwrap();
    let modified = age(&project.path().join(FILE));
    let second = fix(&project);
    assert_eq!(stderr(&second), "");
    assert_eq!(stdout(&second), stdout(&first));
    assert_eq!(second.status.code(), first.status.code());
    assert_eq!(std::fs::read(project.path().join(FILE)).unwrap(), fixed);
    let path = project.path().join(FILE);
    assert_eq!(
        std::fs::metadata(path).unwrap().modified().unwrap(),
        modified
    );
}

#[test]
fn a_file_with_nothing_to_fix_is_not_rewritten() {
    let project = Project::new();
    project.file(FILE, VALID);
    // Problems --fix does not fix leave the file alone too.
    let unfixable = valid_with("severity = \"SEV2\"\n", "");
    project.postmortem("2026-11-04-other.md", valid_with(ID, "2026-11-04-other"));
    project.postmortem(
        "2026-11-05-more.md",
        unfixable.replacen(ID, "2026-11-05-more", 1),
    );
    let paths = [
        project.path().join(FILE),
        project.path().join("postmortems/2026-11-04-other.md"),
        project.path().join("postmortems/2026-11-05-more.md"),
    ];
    let times: Vec<SystemTime> = paths.iter().map(|p| age(p)).collect();
    let output = fix(&project);
    assert_eq!(stderr(&output), "");
    assert!(stdout(&output).contains("missing required field `severity`"));
    assert_eq!(output.status.code(), Some(1));
    for (path, time) in paths.iter().zip(times) {
        assert_eq!(std::fs::metadata(path).unwrap().modified().unwrap(), time);
    }
}

#[test]
fn rules_that_are_off_or_suppressed_fix_nothing() {
    let project = Project::new();
    project.file(
        "pmbook.toml",
        "[lint.rules]\nrequired-section = \"off\"\ntimeline-order = \"warn\"\n",
    );
    let broken = edit(
        VALID,
        &[
            (IMPACT, ""),
            (TIMELINE, SHUFFLED),
            (ID_LINE, "# <!-- pmbook-disable required-field -->\n"),
        ],
    );
    project.file(FILE, &broken);
    let output = fix(&project);
    // A rule at `warn` still fixes.
    assert_eq!(
        stderr(&output),
        format!("fixed {FILE}: sorted the timeline\n")
    );
    assert_eq!(read(&project, FILE), edit(&broken, &[(SHUFFLED, DATED)]));
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_section_that_would_end_up_in_an_open_code_block_is_not_added() {
    let project = Project::new();
    // The file ends inside a fenced code block: a section added at the end
    // would be code, so that fix is undone; the others stay.
    let broken = edit(VALID, &[(ID_LINE, ""), (COMMUNICATION, "")]) + "\n```text\nlog line\n";
    project.file(FILE, &broken);
    let output = fix(&project);
    assert_eq!(
        stderr(&output),
        format!("fixed {FILE}: added id = \"{ID}\"\n")
    );
    assert_eq!(
        read(&project, FILE),
        format!("+++\n{ID_LINE}{}", &broken[4..])
    );
    assert!(stdout(&output).contains("missing required section `## Communication`"));
}

#[test]
fn only_the_named_files_are_fixed_and_machine_output_stays_on_stdout() {
    let project = Project::new();
    let broken = edit(VALID, &[(IMPACT, "")]);
    project.file(FILE, &broken);
    project.postmortem(
        "2026-11-04-other.md",
        valid_with(ID, "2026-11-04-other").replace(IMPACT, ""),
    );
    let output = project
        .pmbook()
        .args(["lint", "--fix", "--format", "json", FILE])
        .output()
        .unwrap();
    assert_eq!(stderr(&output), format!("fixed {FILE}: added ## Impact\n"));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 1);
    assert_eq!(json["diagnostics"][0]["rule"], "empty-section");
    assert!(read(&project, "postmortems/2026-11-04-other.md").contains("## Timeline"));
    assert!(!read(&project, "postmortems/2026-11-04-other.md").contains("## Impact"));
}

#[test]
fn fix_does_not_combine_with_git_sources() {
    let project = Project::new();
    for git_option in [
        &["--staged"][..],
        &["--commit", "HEAD"],
        &["--changed-since", "HEAD"],
    ] {
        let output = project
            .pmbook()
            .args(["lint", "--fix"])
            .args(git_option)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("cannot be used with"));
    }
}

#[cfg(unix)]
#[test]
fn permissions_are_kept_and_links_are_not_written_through() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new();
    let broken = edit(VALID, &[(IMPACT, "")]);
    project.file(FILE, &broken);
    let path = project.path().join(FILE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    // A link to the file is linted, but only the file itself is fixed.
    let alias = project.path().join("postmortems/alias.md");
    std::os::unix::fs::symlink(&path, &alias).unwrap();
    let output = fix(&project);
    assert_eq!(stderr(&output), format!("fixed {FILE}: added ## Impact\n"));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    assert!(std::fs::symlink_metadata(&alias).unwrap().is_symlink());
    assert!(read(&project, "postmortems/alias.md").contains(IMPACT_ADDED));
    // The report is of the files as they are now.
    assert!(!stdout(&output).contains("required-section"));
}
