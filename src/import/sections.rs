//! Headings of existing postmortems and the pmbook sections they name.

use crate::config::Config;

/// Built-in synonyms (English and French), compared after [`normalize`].
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "Summary",
        &[
            "summary",
            "overview",
            "executive summary",
            "incident summary",
            "tl;dr",
            "tldr",
            "résumé",
            "résumé de l'incident",
            "synthèse",
        ],
    ),
    (
        "Impact",
        &[
            "impact",
            "customer impact",
            "user impact",
            "impact assessment",
            "impact sur les utilisateurs",
            "impact client",
            "impacts",
        ],
    ),
    (
        "Timeline",
        &[
            "timeline",
            "detailed timeline",
            "incident timeline",
            "timeline of events",
            "sequence of events",
            "chronology",
            "chronologie",
            "chronologie détaillée",
            "déroulé",
            "déroulement",
        ],
    ),
    (
        "Root cause",
        &[
            "root cause",
            "root causes",
            "root cause analysis",
            "rca",
            "cause",
            "causes",
            "fault",
            "cause racine",
            "causes racines",
            "cause profonde",
            "causes profondes",
            "analyse des causes",
        ],
    ),
    (
        "Contributing factors",
        &[
            "contributing factors",
            "contributing causes",
            "leadup",
            "lead-up",
            "facteurs contributifs",
            "facteurs aggravants",
        ],
    ),
    (
        "Action items",
        &[
            "action items",
            "actions",
            "corrective actions",
            "corrective and preventative actions",
            "preventive actions",
            "follow-up",
            "follow-ups",
            "follow-up actions",
            "next steps",
            "remediation",
            "remediations",
            "éléments d'action",
            "actions correctives",
            "plan d'action",
            "plan d'actions",
        ],
    ),
    (
        "Communication",
        &[
            "communication",
            "communications",
            "customer communication",
            "communication externe",
        ],
    ),
    (
        "Lessons learned",
        &[
            "lessons learned",
            "lessons learnt",
            "what went well",
            "what went wrong",
            "where we got lucky",
            "learnings",
            "takeaways",
            "leçons apprises",
            "enseignements",
            "ce qui a bien fonctionné",
            "ce qui a mal fonctionné",
        ],
    ),
    ("Five whys", &["five whys", "5 whys", "cinq pourquoi"]),
];

/// A heading's text without numbering (`3.`, `III.`), quotes, emphasis or a
/// trailing colon, as written otherwise.
pub fn clean(text: &str) -> String {
    let mut t = text.trim().trim_matches(['*', '_', '`']).trim();
    let numbered = t
        .split_once([' ', '\t'])
        .filter(|(head, _)| is_number(head.trim_end_matches(['.', ')', ':'])));
    if let Some((_, rest)) = numbered {
        t = rest.trim();
    }
    t.trim_matches(['"', '“', '”', '«', '»', '‘', '’', '\''])
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_owned()
}

fn is_number(word: &str) -> bool {
    !word.is_empty()
        && (word.chars().all(|c| c.is_ascii_digit() || c == '.')
            && word.chars().next().is_some_and(|c| c.is_ascii_digit())
            || word.chars().all(|c| matches!(c, 'I' | 'V' | 'X')))
}

/// The form headings are compared in: cleaned, lowercase, one kind of
/// apostrophe, single spaces.
pub fn normalize(text: &str) -> String {
    clean(text)
        .replace(['’', '‘'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The configured section a heading names: by its configured name or alias
/// first, then by the built-in synonyms of a configured section.
pub fn canonical(config: &Config, heading: &str) -> Option<String> {
    canonical_name(config, heading).or_else(|| {
        // `Timeline (all times in UTC)`: the words in brackets qualify the
        // section, they do not name it.
        let (name, rest) = heading.trim_end().split_once('(')?;
        rest.ends_with(')').then_some(())?;
        canonical_name(config, name)
    })
}

fn canonical_name(config: &Config, heading: &str) -> Option<String> {
    let key = normalize(heading);
    let sections = &config.sections;
    let configured = sections.required.iter().chain(&sections.optional);
    for name in configured.clone() {
        let aliases = sections.aliases.get(name).into_iter().flatten();
        if std::iter::once(name)
            .chain(aliases)
            .any(|n| normalize(n) == key)
        {
            return Some(name.clone());
        }
    }
    let (name, _) = SYNONYMS
        .iter()
        .find(|(_, words)| words.contains(&key.as_str()))?;
    configured
        .into_iter()
        .find(|c| normalize(c) == normalize(name))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_quotes_and_case_do_not_matter() {
        let config = Config::default();
        for heading in [
            "3. Timeline",
            "“Root Causes”",
            "Chronologie détaillée",
            "Éléments d’action",
            "**Corrective actions:**",
            "IV. Leadup",
        ] {
            assert!(canonical(&config, heading).is_some(), "{heading}");
        }
        assert_eq!(
            canonical(&config, "Causes profondes").as_deref(),
            Some("Root cause")
        );
        assert_eq!(canonical(&config, "Recovery"), None);
        assert_eq!(clean("2. Recovery"), "Recovery");
    }

    #[test]
    fn words_in_brackets_after_a_heading_qualify_it() {
        let config = Config::default();
        assert_eq!(
            canonical(&config, "Timeline (all times in UTC)").as_deref(),
            Some("Timeline")
        );
        assert_eq!(
            canonical(&config, "Chronologie (heure de Paris)").as_deref(),
            Some("Timeline")
        );
        assert_eq!(canonical(&config, "Recovery (day 2)"), None);
    }
}
