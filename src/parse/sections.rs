//! The one way a heading is matched to a configured section: its title
//! trimmed, without a trailing colon, compared without regard to case,
//! Unicode form or apostrophes ([`fold`]) with the section's name and
//! aliases (`[sections]`), then, in a French book, with the built-in
//! French names of the default sections ([`FRENCH`]).

use crate::config::Config;
use crate::language::fold;

/// The French headings of the default sections, the template's first: in
/// a French book (`[book] language = "fr"`), built-in aliases of the
/// section named first, wherever it is configured (a team's own names and
/// aliases are matched before them).
pub const FRENCH: &[(&str, &[&str])] = &[
    ("Summary", &["Résumé", "Synthèse", "Résumé de l'incident"]),
    ("Impact", &["Impact", "Impacts", "Conséquences"]),
    (
        "Timeline",
        &[
            "Chronologie",
            "Chronologie détaillée",
            "Chronologie de l'incident",
            "Déroulé",
            "Déroulement",
        ],
    ),
    (
        "Root cause",
        &[
            "Cause racine",
            "Causes racines",
            "Cause profonde",
            "Causes profondes",
            "Cause première",
        ],
    ),
    (
        "Contributing factors",
        &[
            "Facteurs contributifs",
            "Facteurs aggravants",
            "Causes contributives",
        ],
    ),
    (
        "Five whys",
        &[
            "Cinq pourquoi",
            "5 pourquoi",
            "Les cinq pourquoi",
            "Les 5 pourquoi",
        ],
    ),
    ("Ishikawa", &["Ishikawa", "Diagramme d'Ishikawa", "6M"]),
    (
        "Action items",
        &[
            "Actions",
            "Éléments d'action",
            "Plan d'action",
            "Plan d'actions",
            "Mesures correctives",
            "Actions correctives",
        ],
    ),
    ("Communication", &["Communication", "Communications"]),
    (
        "Lessons learned",
        &[
            "Leçons apprises",
            "Leçons tirées",
            "Enseignements",
            "Retour d'expérience",
        ],
    ),
];

/// The heading a postmortem written in `language` gives the section
/// `canonical`: its French name in French, when it has one.
pub fn written_name<'a>(canonical: &'a str, language: &str) -> &'a str {
    if !crate::language::is_french(language) {
        return canonical;
    }
    FRENCH
        .iter()
        .find(|(name, _)| *name == canonical)
        .map_or(canonical, |(_, names)| names[0])
}

/// The configured sections' names and aliases, built once per run.
pub struct SectionNames {
    /// (folded name or alias, configured name)
    names: Vec<(String, String)>,
}

impl SectionNames {
    pub fn new(config: &Config) -> SectionNames {
        let configured = config.section_names();
        let in_french = crate::language::is_french(&config.book.language);
        let french = FRENCH
            .iter()
            .filter(|_| in_french)
            .filter(|(name, _)| configured.iter().any(|(_, c)| c == name))
            .flat_map(|(name, aliases)| aliases.iter().map(|a| (key(a), (*name).to_owned())));
        let names = configured
            .iter()
            .map(|(name, canonical)| (key(name), canonical.clone()))
            .chain(french)
            .collect();
        SectionNames { names }
    }

    /// The configured name of the section that a heading titled `title`
    /// opens, if any.
    pub fn canonical(&self, title: &str) -> Option<&str> {
        let key = key(title);
        self.names
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, canonical)| canonical.as_str())
    }

    /// The folded names and aliases of the section `canonical`.
    pub fn names_of(&self, canonical: &str) -> Vec<String> {
        self.names
            .iter()
            .filter(|(_, c)| c == canonical)
            .map(|(name, _)| name.clone())
            .collect()
    }
}

/// What a heading's title is compared by: folded, each run of spaces one
/// space (a French ` :` may follow a no-break space).
fn key(title: &str) -> String {
    let words: Vec<&str> = title
        .trim()
        .trim_end_matches(':')
        .split_whitespace()
        .collect();
    fold(&words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_names_and_aliases_in_any_case_with_a_colon() {
        let mut config = Config::default();
        config
            .sections
            .aliases
            .insert("Action items".into(), vec!["Follow-ups".into()]);
        let names = SectionNames::new(&config);
        assert_eq!(names.canonical(" TIMELINE: "), Some("Timeline"));
        assert_eq!(names.canonical("follow-ups"), Some("Action items"));
        assert_eq!(names.canonical("Timeline of events"), None);
        assert_eq!(
            names.names_of("Action items"),
            ["action items", "follow-ups"]
        );
    }

    fn french() -> Config {
        let mut config = Config::default();
        config.book.language = "fr".into();
        config
    }

    #[test]
    fn french_headings_match_in_any_unicode_form_and_with_any_apostrophe() {
        let names = SectionNames::new(&french());
        assert_eq!(names.canonical("R\u{e9}sum\u{e9}"), Some("Summary"));
        assert_eq!(names.canonical("Re\u{301}sume\u{301}"), Some("Summary"));
        assert_eq!(
            names.canonical("\u{c9}l\u{e9}ments d\u{2019}action"),
            Some("Action items")
        );
        assert_eq!(
            names.canonical("CHRONOLOGIE D\u{c9}TAILL\u{c9}E\u{a0}:"),
            Some("Timeline")
        );
        assert_eq!(names.canonical("Chronologie du projet"), None);
        let english = SectionNames::new(&Config::default());
        assert_eq!(english.canonical("R\u{e9}sum\u{e9}"), None);
    }

    #[test]
    fn french_names_follow_only_the_sections_configured() {
        let mut config = french();
        config.sections.optional.clear();
        let names = SectionNames::new(&config);
        assert_eq!(names.canonical("Cinq pourquoi"), None);
        assert_eq!(names.canonical("Cause racine"), Some("Root cause"));
    }
}
