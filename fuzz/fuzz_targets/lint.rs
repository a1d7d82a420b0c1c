//! Any bytes as a postmortem: decoding, parsing, every rule and every
//! renderer must cope without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pmbook::config::Config;
use pmbook::diagnostics::{github, human, json, sarif};
use pmbook::discover::decode;
use pmbook::lint::{Input, OtherFile, lint_inputs};
use pmbook::parse::action_ids::ActionId;

fuzz_target!(|data: &[u8]| {
    let config = Config::default();
    let input = Input {
        path: "postmortems/fuzz.md".into(),
        text: decode(data.to_vec()),
    };
    let today = jiff::civil::date(2026, 11, 23);
    let others = vec![OtherFile {
        path: "postmortems/other.md".into(),
        id: Some("related-id".into()),
        action_ids: vec![ActionId {
            id: "A-1".into(),
            text: "a shared follow-up".into(),
        }],
        related: vec!["related-id".into()],
    }];
    let report = lint_inputs(&config, vec![input], others, today).expect("default config is valid");
    let mut out = Vec::new();
    human::render(&report, true, &mut out).expect("write to memory");
    json::render(&report, &mut out).expect("write to memory");
    sarif::render(&report, &mut out).expect("write to memory");
    github::render(&report, &mut out).expect("write to memory");
});
