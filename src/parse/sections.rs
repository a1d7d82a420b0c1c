//! The one way a heading is matched to a configured section: its title
//! trimmed, without a trailing colon, compared without regard to case with
//! the section's name and aliases (`[sections]`).

use crate::config::Config;

/// The configured sections' names and aliases, built once per run.
pub struct SectionNames {
    /// (lowercased name or alias, configured name)
    names: Vec<(String, String)>,
}

impl SectionNames {
    pub fn new(config: &Config) -> SectionNames {
        SectionNames {
            names: config.section_names(),
        }
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

    /// The lowercased names and aliases of the section `canonical`.
    pub fn names_of(&self, canonical: &str) -> Vec<String> {
        self.names
            .iter()
            .filter(|(_, c)| c == canonical)
            .map(|(name, _)| name.clone())
            .collect()
    }
}

/// What a heading's title is compared by.
fn key(title: &str) -> String {
    title.trim().trim_end_matches(':').trim().to_lowercase()
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
}
