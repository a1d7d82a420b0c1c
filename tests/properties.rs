//! Property tests: whatever the text, linting does not panic, every
//! diagnostic points inside its file, and every renderer accepts it.

use jiff::civil::date;
use pmbook::config::Config;
use pmbook::corpus::{Corpus, IdIndex};
use pmbook::lint::{Context, Patterns};
use pmbook::model::PostmortemFile;
use pmbook::parse::action_ids::Scanner;
use pmbook::parse::ids::FileIds;
use pmbook::report::{github, human, json, sarif};
use proptest::prelude::*;

/// Pieces of postmortems, valid and broken, to assemble into documents.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("+++\n".to_owned()),
        Just("+++\r\n".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("id = \"a\"\n".to_owned()),
        Just("related = [\"a\", \"b\"]\n".to_owned()),
        Just("started_at = 2026-11-03T09:12:00Z\n".to_owned()),
        Just("detected_at = \"2026-11-03T09:12:00Z\"\n".to_owned()),
        Just("status = \"draft\"\n".to_owned()),
        Just("[slo]\nbudget_consumed = nan\n".to_owned()),
        Just("## Timeline\n".to_owned()),
        Just("## Action items\n".to_owned()),
        Just("## Ishikawa\n".to_owned()),
        Just("## Five whys\n".to_owned()),
        Just("- 09:12 — x\n".to_owned()),
        Just("- 2026-02-30 25:61 Mars/Base — x\n".to_owned()),
        Just("| time | event |\n|---|---|\n| 09:12 | x |\n".to_owned()),
        Just("- [ ] do (owner: @x, due: 2026-13-01, kind: ?, id: é)\n".to_owned()),
        Just("- [x] done (closed: soon,,: )\n".to_owned()),
        Just("- **Process**: é\n".to_owned()),
        Just("<!-- pmbook-disable-next-line -->\n".to_owned()),
        Just("> > > - - 1. ".to_owned()),
        Just("TODO human error 🚒\n".to_owned()),
        Just("\r\n".to_owned()),
        "[^\u{0}]{0,20}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..30).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lint_accepts_any_text(text in document()) {
        let config = Config::default();
        let files = vec![PostmortemFile { path: "postmortems/p.md".into(), on_disk: None, text: Ok(text) }];
        let other = FileIds { path: "postmortems/a.md".into(), id: Some("a".into()), ..FileIds::default() };
        let corpus = Corpus::of_texts(files, vec![other]);
        let report = pmbook::lint::run(&config, corpus, date(2026, 11, 23), None).unwrap();
        for (file, d) in report.diagnostics() {
            if let Some(span) = d.span {
                prop_assert!(span.start <= span.end && span.end <= file.source.text.len());
                prop_assert!(file.source.text.is_char_boundary(span.start));
                prop_assert!(file.source.text.is_char_boundary(span.end));
                let start = d.start.unwrap();
                prop_assert!(start.line >= 1 && start.line <= file.source.line_count());
            }
        }
        let mut out = Vec::new();
        human::render(&report, true, &mut out).unwrap();
        json::render(&report, &mut out).unwrap();
        sarif::render(&report, None, &mut out).unwrap();
        github::render(&report, &mut out).unwrap();
    }
}

/// Blocks of a postmortem body around its Action items section: headings of
/// both kinds, task items with and without ids, continuation lines, nested
/// items, paragraphs, thematic breaks and fences.
fn body_block() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("## Action items".to_owned()),
        Just("## Other".to_owned()),
        Just("# Action items".to_owned()),
        Just("Action items\n---".to_owned()),
        Just("Action items\n============".to_owned()),
        Just("Action\nitems\n------".to_owned()),
        Just("Other\n---".to_owned()),
        Just("Follow-ups:\n-----------".to_owned()),
        Just("- [ ] canary stage (owner: @alice, id: A-1)".to_owned()),
        Just("- [ ] another canary (id: A-1)".to_owned()),
        Just("- [x] roll back (id: B-2)".to_owned()),
        Just("* [X] star item (ID: C-3)".to_owned()),
        Just("1. [ ] ordered (id: D-4)".to_owned()),
        Just("- [ ] wrapped\n  over two lines (id: E-5)".to_owned()),
        Just("- [ ] lazy\ncontinuation (id: F-6)".to_owned()),
        Just("- [ ] parent (id: G-7)\n  - [ ] nested (id: H-8)".to_owned()),
        Just("- plain item (id: I-9)".to_owned()),
        Just("- [ ] no id here".to_owned()),
        Just("  second paragraph (id: J-10)".to_owned()),
        Just("Some prose (id: K-11).".to_owned()),
        Just("---".to_owned()),
        Just("***".to_owned()),
        Just("___".to_owned()),
        Just("```\n- [ ] fenced (id: L-12)\n## Other\n```".to_owned()),
        Just("> quoted (id: M-13)".to_owned()),
        Just(
            "| Action | Owner | Status |\n|---|---|---|\n| in a table (id: T-14) | @x | done |\n"
                .to_owned()
        ),
        Just("| Status | Action |\n|---|---|\n| open | - [ ] cell (id: T-15) |\n".to_owned()),
        Just("<!-- comment -->".to_owned()),
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec((body_block(), prop_oneof![Just("\n"), Just("\n\n")]), 0..14).prop_map(
        |blocks| {
            let mut text = String::from("+++\nid = \"x\"\n+++\n\n");
            for (block, separator) in blocks {
                text.push_str(&block);
                text.push_str(separator);
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// The cheap scan that `lint FILE` uses for the other postmortems finds
    /// the ids (and texts) the full parse finds.
    #[test]
    fn the_action_id_scan_agrees_with_the_parser(text in body()) {
        let mut config = Config::default();
        config
            .sections
            .aliases
            .insert("Action items".into(), vec!["Follow-ups".into()]);
        let parsed: Vec<(String, String)> = pmbook::parse::parse("p.md".into(), text.clone(), &config)
            .actions
            .iter()
            .filter(|a| a.is_task)
            .filter_map(|a| Some((a.id.as_ref()?.value.clone(), a.text.clone())))
            .collect();
        let scanned: Vec<(String, String)> = Scanner::new(&config)
            .scan(&text)
            .into_iter()
            .map(|a| (a.id, a.text))
            .collect();
        prop_assert_eq!(scanned, parsed, "{}", text);
    }
}

/// Lines of a valid front-matter, in any order: the id written in each way
/// TOML allows, `related` on one line or several, other keys and tables.
fn front_matter_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("title = \"Checkout outage\"".to_owned()),
        Just("severity = \"SEV2\"".to_owned()),
        Just("services = [\"checkout\", \"id\"]".to_owned()),
        Just("# id = \"commented\"".to_owned()),
        Just("status = \"draft\"".to_owned()),
        Just("related = [\"a\", \"b\"]".to_owned()),
        Just("related = [\n  \"c\",\n  \"d\", # why\n]".to_owned()),
        Just("related = []".to_owned()),
        Just("started_at = 2026-11-03T09:12:00Z".to_owned()),
    ]
}

fn id_line() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("id = \"2026-11-03-checkout\"".to_owned())),
        Just(Some("id=\"x\"".to_owned())),
        Just(Some("id = \"a\"".to_owned())),
        Just(Some("\"id\" = 'literal'".to_owned())),
        Just(Some("id = \"with \\\"escape\\\"\"".to_owned())),
        Just(Some("  id   =   \"spaced\"  # comment".to_owned())),
    ]
}

fn identified_document() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(front_matter_line(), 0..5),
        id_line(),
        0..6usize,
        any::<bool>(),
        body(),
    )
        .prop_map(|(bom, crlf, mut lines, id, at, table, body)| {
            // TOML keys may each appear once.
            lines.sort();
            lines.dedup_by(|a, b| a.split('=').next() == b.split('=').next());
            if let Some(id) = id {
                lines.insert(at.min(lines.len()), id);
            }
            if table {
                lines.push("[slo]\nid = \"in-a-table\"\nbudget_consumed = 0.5".to_owned());
            }
            let body = body.split_once("+++\n\n").map_or(body.as_str(), |(_, b)| b);
            let text = format!(
                "{}+++\n{}\n+++\n\n{body}",
                if bom { "\u{feff}" } else { "" },
                lines.join("\n")
            );
            if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// The hook's cheap reading of the other postmortems (an id scan and a
    /// front-matter-only parse) finds what the full parse finds: the id,
    /// the explicit action ids with their texts, and `related`.
    #[test]
    fn the_id_scan_agrees_with_the_parser(text in identified_document()) {
        let config = Config::default();
        let pm = pmbook::parse::parse("p.md".into(), text.clone(), &config);
        prop_assert!(pm.front_matter.is_some(), "{}", text);
        let parsed = FileIds::of(&pm);
        let scanned = FileIds::scan("p.md".into(), &text, &Scanner::new(&config)).with_related(&text);
        prop_assert_eq!(scanned, parsed, "{}", text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A whole-repository lint runs the cross-file rules after the others,
    /// only on the files where they can report, parsed again: it finds
    /// what checking each parsed file against the whole index finds, in
    /// the same order. The ids, `related` and action ids of the files
    /// meet: duplicated, dangling, shared with the same text or not.
    #[test]
    fn linting_in_two_passes_finds_what_one_pass_finds(
        texts in prop::collection::vec(identified_document(), 1..6)
    ) {
        let config = Config::default();
        let today = date(2026, 11, 23);
        let corpus = || {
            let files = texts
                .iter()
                .enumerate()
                .map(|(n, text)| PostmortemFile {
                    path: format!("postmortems/p{n}.md"),
                    on_disk: None,
                    text: Ok(text.clone()),
                })
                .collect();
            let other = FileIds { path: "postmortems/q.md".into(), id: Some("b".into()), ..FileIds::default() };
            Corpus::of_texts(files, vec![other])
        };
        let two_passes: Vec<(String, String)> = pmbook::lint::run(&config, corpus(), today, None)
            .unwrap()
            .diagnostics()
            .map(|(file, d)| (file.path.clone(), format!("{d:?}")))
            .collect();
        let corpus = corpus();
        let others = corpus.others.clone();
        let postmortems = corpus.parse(&config);
        let index = IdIndex::of_files(postmortems.iter().map(FileIds::of).chain(others));
        let patterns = Patterns::new(&config).unwrap();
        let one_pass: Vec<(String, String)> = postmortems
            .iter()
            .flat_map(|pm| {
                let context = Context {
                    pm,
                    config: &config,
                    today,
                    disk: None,
                    index: Some(&index),
                    patterns: &patterns,
                    tracker: None,
                };
                pmbook::lint::check(&context)
                    .into_iter()
                    .map(|d| (pm.path.clone(), format!("{d:?}")))
            })
            .collect();
        prop_assert_eq!(two_passes, one_pass, "{:#?}", texts);
    }
}
