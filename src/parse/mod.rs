//! Source text → [`Postmortem`]: front-matter (TOML), body (Markdown) and
//! inline suppression comments.

pub mod action;
pub mod action_ids;
pub mod action_table;
pub mod front_matter;
pub mod ids;
pub mod markdown;
pub mod names;
pub mod sections;
pub mod timeline;

use std::sync::LazyLock;

use regex::Regex;

use crate::config::Config;
use crate::model::{FileProblem, FrontMatterProblem, Postmortem, Source, Suppressions};
use sections::SectionNames;

/// Parses the text of the postmortem at `path` (relative to the repository
/// root). Never fails: problems are recorded in the model for the rules.
pub fn parse(path: String, text: String, config: &Config) -> Postmortem {
    Parser::new(config).parse(path, text)
}

/// What parsing reads of the configuration, prepared once for the many
/// files of a corpus.
pub struct Parser<'c> {
    config: &'c Config,
    section_names: SectionNames,
}

impl Parser<'_> {
    pub fn new(config: &Config) -> Parser<'_> {
        Parser {
            config,
            section_names: SectionNames::new(config),
        }
    }

    /// Parses the text of the postmortem at `path`, as [`parse`] does.
    pub fn parse(&self, path: String, text: String) -> Postmortem {
        let source = Source::new(text);
        let suppressions = suppressions(&source);
        let (front_matter, problem, body_start) = match front_matter::locate(&source.text) {
            Ok(block) => match front_matter::parse(&source.text, block) {
                Ok(fm) => (Some(fm), None, Some(block.body_start)),
                Err(problem) => (None, Some(problem), Some(block.body_start)),
            },
            Err(problem @ FrontMatterProblem::Missing { .. }) => (None, Some(problem), Some(0)),
            Err(problem) => (None, Some(problem), None),
        };
        let incident_start = front_matter
            .as_ref()
            .and_then(|fm| fm.started_at.as_ref())
            .map(|f| f.value);
        let body = body_start
            .map(|start| markdown::parse(&source, start, &self.section_names, incident_start))
            .unwrap_or_default();
        let mut pm = Postmortem {
            path,
            source,
            front_matter,
            front_matter_problem: problem,
            sections: body.sections,
            timeline: body.timeline,
            actions: body.actions,
            whys: body.whys,
            ishikawa: body.ishikawa,
            prose: body.prose,
            not_prose: body.not_prose,
            code: body.code,
            links: body.links,
            suppressions,
            file_problem: None,
        };
        names::read_french_names(&mut pm, self.config);
        pm
    }
}

/// A postmortem that could not be read; `text` is what could be decoded, for
/// showing the location of the problem.
pub fn unreadable(path: String, text: String, problem: FileProblem) -> Postmortem {
    Postmortem {
        path,
        source: Source::new(text),
        front_matter: None,
        front_matter_problem: None,
        sections: Vec::new(),
        timeline: Vec::new(),
        actions: Vec::new(),
        whys: Vec::new(),
        ishikawa: Vec::new(),
        prose: Vec::new(),
        not_prose: Vec::new(),
        code: Vec::new(),
        links: Vec::new(),
        suppressions: Suppressions::default(),
        file_problem: Some(problem),
    }
}

static SUPPRESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*pmbook-disable(?P<next>-next-line)?(?P<rules>[\s\w,-]*?)\s*-->")
        .expect("the suppression pattern is valid")
});

fn suppressions(source: &Source) -> Suppressions {
    let mut found = Suppressions::default();
    if !source.text.contains("pmbook-disable") {
        return found;
    }
    for caps in SUPPRESSION.captures_iter(&source.text) {
        let rules: Vec<String> = caps["rules"]
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        let whole = caps.get(0).expect("group 0 always matches");
        if caps.name("next").is_some() {
            found.lines.push((source.line_of(whole.end()) + 1, rules));
        } else {
            found.file.push(rules);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_comments() {
        let src = Source::new(
            "a\n<!-- pmbook-disable-next-line placeholder, blameful-language -->\nTODO\n<!-- pmbook-disable empty-section -->\n"
                .to_owned(),
        );
        let s = suppressions(&src);
        assert!(s.suppresses("placeholder", Some(3)));
        assert!(!s.suppresses("placeholder", Some(4)));
        assert!(s.suppresses("empty-section", None));
        assert!(!s.suppresses("time-order", Some(3)));
    }
}
