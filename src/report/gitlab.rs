//! `--format gitlab`: a GitLab Code Quality report (a subset of the Code
//! Climate format), which merge requests show as code-quality findings when
//! a job declares it under `artifacts:reports:codequality`.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use crate::diagnostics::{Report, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    // The same finding twice in a file (same rule and message) gets its
    // rank in the fingerprint, so fingerprints stay unique and do not
    // change when lines move.
    let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    let issues: Vec<Issue> = report
        .diagnostics()
        .map(|(file, d)| {
            let rank = seen
                .entry((file.path.as_str(), d.rule, d.message.as_str()))
                .or_default();
            *rank += 1;
            Issue {
                description: format!("{} [{}]", d.message, d.rule),
                check_name: d.rule,
                fingerprint: fingerprint(&[&file.path, d.rule, &d.message, &rank.to_string()]),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path: &file.path,
                    lines: Lines {
                        begin: d.start.map_or(1, |p| p.line),
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// A stable 64-bit FNV-1a hash of `parts`, in hex: GitLab compares
/// fingerprints between pipelines to tell new findings from fixed ones.
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_are_the_fnv1a_of_the_parts() {
        // FNV-1a 64 of "a\0", computed apart from this code.
        assert_eq!(super::fingerprint(&["a"]), "089be207b544f1e4");
        assert_ne!(super::fingerprint(&["a", "b"]), super::fingerprint(&["ab"]));
    }
}
