//! Property tests: whatever the text, linting does not panic, every
//! diagnostic points inside its file, and every renderer accepts it.

use jiff::civil::date;
use pmbook::config::Config;
use pmbook::diagnostics::{github, human, json, sarif};
use pmbook::lint::{Input, OtherFile, lint_inputs};
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
        let inputs = vec![Input { path: "postmortems/p.md".into(), text: Ok(text) }];
        let other = OtherFile { path: "postmortems/a.md".into(), id: Some("a".into()), ..OtherFile::default() };
        let report = lint_inputs(&config, inputs, vec![other], date(2026, 11, 23)).unwrap();
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
        sarif::render(&report, &mut out).unwrap();
        github::render(&report, &mut out).unwrap();
    }
}
