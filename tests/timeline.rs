//! Timeline timestamps as the real binary reads them: zones, daylight-saving
//! changes and words that only look like zones.

mod common;

use common::{Project, VALID, stderr, stdout};

/// `VALID` moved to the night Paris went from +01:00 to +02:00 (2026-03-29,
/// 02:00 local became 03:00), with `timeline` as its Timeline section.
fn dst_night(timeline: &str) -> String {
    let start = VALID.find("## Timeline").expect("Timeline section");
    let end = VALID.find("## Root cause").expect("Root cause section");
    let text = format!(
        "{}## Timeline\n\n{timeline}\n{}",
        &VALID[..start],
        &VALID[end..]
    );
    text.replace("2026-11-03T09:12:00Z", "2026-03-29T01:30:00+01:00")
        .replace("2026-11-03T09:20:00Z", "2026-03-29T03:40:00+02:00")
        .replace("2026-11-03T09:22:00Z", "2026-03-29T03:42:00+02:00")
        .replace("2026-11-03T09:45:00Z", "2026-03-29T04:05:00+02:00")
        .replace("2026-11-03T10:30:00Z", "2026-03-29T04:50:00+02:00")
        .replace("2026-11-05T14:00:00Z", "2026-03-31T14:00:00+02:00")
        .replace("2026-11-03", "2026-03-29")
        .replace(
            "- [ ] Add a canary stage to cache deploys (owner: @alice, due: 2026-12-01,",
            "- [x] Add a canary stage to cache deploys (owner: @alice, due: 2026-04-30, closed: 2026-04-20,",
        )
}

const DST_ID: &str = "2026-03-29-checkout-latency";

#[test]
fn short_entries_after_a_dst_change_take_the_offset_of_their_own_time() {
    // 03:40 in Paris that night is 01:40 UTC (+02:00), before 01:45 UTC; read
    // at the +01:00 of the first entry it would be 02:40 UTC, after it.
    let project = Project::new();
    project.postmortem(
        &format!("{DST_ID}.md"),
        dst_night(
            "- 2026-03-29 01:30 Europe/Paris — cache v2.3 deploy starts\n\
             - 03:40 — p99 latency alert fires\n\
             - 2026-03-29 01:45 UTC — on-call acknowledges\n",
        ),
    );
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(
        stdout(&output),
        "pmbook: 1 file checked, no problems\n",
        "{}",
        stderr(&output)
    );
    assert!(output.status.success());
}

#[test]
fn the_site_shows_the_dst_offset_and_the_true_elapsed_time() {
    let project = Project::new();
    project.postmortem(
        &format!("{DST_ID}.md"),
        dst_night(
            "- 2026-03-29 01:30 Europe/Paris — cache v2.3 deploy starts\n\
             - 03:40 — p99 latency alert fires\n\
             - 04:05 — deploy rolled back\n",
        ),
    );
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    let page = std::fs::read_to_string(project.path().join(format!("out/incidents/{DST_ID}.html")))
        .expect("incident page");
    // 01:30 +01:00 to 03:40 +02:00 is 1 h 10 min; to 04:05 +02:00, 1 h 35 min.
    assert!(page.contains("2026-03-29 03:40 +02"), "{page}");
    assert!(page.contains("2026-03-29 04:05 +02"), "{page}");
    assert!(page.contains("T+1 h 10 min"), "{page}");
    assert!(page.contains("T+1 h 35 min"), "{page}");
    assert!(!page.contains("T+2 h 10 min"), "{page}");
}

#[test]
fn a_time_the_clocks_skip_is_reported() {
    let project = Project::new();
    project.postmortem(
        &format!("{DST_ID}.md"),
        dst_night(
            "- 2026-03-29 01:30 Europe/Paris — cache v2.3 deploy starts\n\
             - 02:30 — p99 latency alert fires\n",
        ),
    );
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            "error[timeline-format]: `2026-03-29 02:30` does not exist in Europe/Paris: \
             the clocks skip it"
        ),
        "{text}"
    );
    assert!(text.contains(":37:1"), "{text}");
}

#[test]
fn a_word_with_a_slash_after_the_time_is_text_unless_it_is_a_zone() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        common::valid_with("- 09:20 — p99 latency alert fires", "- 09:20 Ops/SRE paged"),
    );
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(
        stdout(&output),
        "pmbook: 1 file checked, no problems\n",
        "{}",
        stderr(&output)
    );
    let output = project
        .pmbook()
        .args(["build", "--out", "out"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", stderr(&output));
    let page = std::fs::read_to_string(
        project
            .path()
            .join("out/incidents/2026-11-03-checkout-latency.html"),
    )
    .expect("incident page");
    assert!(page.contains("Ops/SRE paged"), "{page}");
}

#[test]
fn a_misspelt_zone_after_a_full_date_leaves_the_entry_without_a_zone() {
    let project = Project::new();
    project.postmortem(
        "2026-11-03-checkout-latency.md",
        common::valid_with(
            "- 09:20 — p99 latency alert fires",
            "- 2026-11-03 10:20 Europe/Pariss — p99 latency alert fires",
        ),
    );
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("error[timeline-format]: timeline timestamp has no zone"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_time_the_clocks_pass_twice_is_the_pass_after_the_entry_before_it() {
    // Paris went back from +02:00 to +01:00 at 03:00 on 2026-10-25: 02:20
    // after 02:50 is the second 02:20 (01:20 UTC), not the first (00:20 UTC).
    let project = Project::new();
    let text = dst_night(
        "- 2026-03-29 02:10 Europe/Paris — cache v2.3 deploy starts\n\
         - 02:50 — p99 latency alert fires\n\
         - 02:20 — deploy rolled back\n",
    )
    .replace("2026-03-29", "2026-10-25")
    .replace("2026-03-31", "2026-10-27")
    .replace("2026-04-", "2026-11-");
    project.postmortem("2026-10-25-checkout-latency.md", text);
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(
        stdout(&output),
        "pmbook: 1 file checked, no problems\n",
        "{}",
        stderr(&output)
    );
}

#[test]
fn am_and_pm_are_read_and_a_zone_abbreviation_is_reported() {
    let project = Project::new();
    let with = |entry: &str| {
        common::valid_with(
            "- 09:45 — ",
            &format!("- {entry} — on-call joins\n- 09:45 — "),
        )
    };
    project.postmortem("2026-11-03-checkout-latency.md", with("9:30 AM"));
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(
        stdout(&output),
        "pmbook: 1 file checked, no problems\n",
        "{}",
        stderr(&output)
    );
    // 9:30 PM is 21:30, after 09:45: out of order.
    project.postmortem("2026-11-03-checkout-latency.md", with("9:30 PM"));
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("timeline-order"),
        "{}",
        stdout(&output)
    );
    project.postmortem("2026-11-03-checkout-latency.md", with("09:30 PST"));
    let output = project.pmbook().arg("lint").output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.contains(
            "error[timeline-format]: `PST` is a zone abbreviation, which pmbook does not read"
        ),
        "{out}"
    );
    assert!(
        out.contains("write the offset it stands for, `-08:00`"),
        "{out}"
    );
}

#[test]
fn a_draft_accepts_approximate_and_date_only_entries() {
    let project = Project::new();
    let text = common::valid_with(
        "- 09:45 — ",
        "- ~09:30 — support escalates\n- 09:?? — cache team joins\n- 2026-11-03 — customers notified by e-mail\n- 09:45 — ",
    );
    let draft = text.replace("status = \"published\"", "status = \"draft\"");
    project.postmortem("2026-11-03-checkout-latency.md", &draft);
    let output = project.pmbook().arg("lint").output().expect("run");
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(!out.contains("timeline-format"), "{out}");
    project.postmortem("2026-11-03-checkout-latency.md", &text);
    let output = project.pmbook().arg("lint").output().expect("run");
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        out.matches("error[timeline-format]: timeline entry does not start with a timestamp")
            .count(),
        3,
        "{out}"
    );
}
