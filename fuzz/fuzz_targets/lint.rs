//! Any bytes as a postmortem: decoding, parsing, every rule and every
//! renderer must cope without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pmbook::config::Config;
use pmbook::report::{github, human, json, sarif};
use pmbook::discover::decode;
use pmbook::corpus::Corpus;
use pmbook::model::PostmortemFile;
use pmbook::parse::action_ids::ActionId;
use pmbook::parse::ids::FileIds;

fuzz_target!(|data: &[u8]| {
    let config = Config::default();
    let input = PostmortemFile {
        path: "postmortems/fuzz.md".into(),
        on_disk: None,
        text: decode(data.to_vec()),
    };
    let today = jiff::civil::date(2026, 11, 23);
    let others = vec![FileIds {
        path: "postmortems/other.md".into(),
        id: Some("related-id".into()),
        action_ids: vec![ActionId {
            id: "A-1".into(),
            text: "a shared follow-up".into(),
        }],
        related: vec!["related-id".into()],
    }];
    let corpus = Corpus::of_texts(vec![input], others);
    let report = pmbook::lint::run(&config, corpus, today, None).expect("default config is valid");
    let mut out = Vec::new();
    human::render(&report, true, &mut out).expect("write to memory");
    json::render(&report, &mut out).expect("write to memory");
    sarif::render(&report, None, &mut out).expect("write to memory");
    github::render(&report, &mut out).expect("write to memory");
});
