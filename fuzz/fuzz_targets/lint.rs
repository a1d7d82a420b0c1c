//! Any bytes as a postmortem: decoding, parsing, every rule and every
//! renderer must cope without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pmbook::config::Config;
use pmbook::diagnostics::{github, human, json, sarif};
use pmbook::discover::decode;
use pmbook::lint::{Input, lint_inputs};

fuzz_target!(|data: &[u8]| {
    let config = Config::default();
    let input = Input {
        path: "postmortems/fuzz.md".into(),
        text: decode(data.to_vec()),
    };
    let today = jiff::civil::date(2026, 11, 23);
    let others = vec![("related-id".to_owned(), "postmortems/other.md".to_owned())];
    let report = lint_inputs(&config, vec![input], others, today).expect("default config is valid");
    let mut out = Vec::new();
    human::render(&report, true, &mut out).expect("write to memory");
    json::render(&report, &mut out).expect("write to memory");
    sarif::render(&report, &mut out).expect("write to memory");
    github::render(&report, &mut out).expect("write to memory");
});
