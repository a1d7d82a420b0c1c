//! The languages postmortems are written in (`[book] language`), the one
//! way names written by people are compared across languages and keyboards
//! ([`fold`]), and the French names of action kinds and root-cause
//! categories.

use unicode_normalization::UnicodeNormalization;

/// The languages `[book] language` accepts.
pub const CODES: [&str; 2] = ["en", "fr"];

/// What is wrong with `code` as a `[book] language`, if anything.
pub fn problem(code: &str) -> Option<String> {
    (!CODES.contains(&code)).then(|| {
        let codes: Vec<String> = CODES.iter().map(|c| format!("`{c}`")).collect();
        format!(
            "`[book] language` is `{code}`; pmbook speaks {}",
            codes.join(", ")
        )
    })
}

/// Whether `code` (a `[book] language`) is French.
pub fn is_french(code: &str) -> bool {
    code == "fr"
}

/// `text` as names are compared: in Unicode's composed form (NFC, so that
/// an `é` typed as `e` and a combining accent is an `é`), lowercased,
/// with typographic apostrophes (`’`, `‘`, `ʼ`) read as `'`.
pub fn fold(text: &str) -> String {
    // ASCII is its own composed form and has no typographic apostrophe:
    // most headings are, and every file's headings are folded.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfc()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
            c => c,
        })
        .collect()
}

/// French names of the default action kinds (`[actions] kinds`), verbs and
/// nouns, each with the kind it stands for; compared after [`fold`].
pub const FRENCH_KINDS: &[(&str, &str)] = &[
    ("corriger", "fix"),
    ("correction", "fix"),
    ("automatiser", "automate"),
    ("automatisation", "automate"),
    ("outiller", "tooling"),
    ("outillage", "tooling"),
    ("formaliser", "process"),
    ("processus", "process"),
    ("tester", "test"),
    ("détecter", "detect"),
    ("détection", "detect"),
    ("atténuer", "mitigate"),
    ("atténuation", "mitigate"),
    ("prévenir", "prevent"),
    ("prévention", "prevent"),
];

/// French names of the default root-cause categories (`[lint]
/// root_cause_categories`): the Ishikawa 6M and plain translations, each
/// with the category it stands for; compared after [`fold`].
pub const FRENCH_CATEGORIES: &[(&str, &str)] = &[
    ("main-d'œuvre", "people"),
    ("main-d'oeuvre", "people"),
    ("personnes", "people"),
    ("humain", "people"),
    ("méthode", "process"),
    ("méthodes", "process"),
    ("processus", "process"),
    ("mesure", "tooling"),
    ("mesures", "tooling"),
    ("outillage", "tooling"),
    ("outils", "tooling"),
    ("matière", "code"),
    ("matières", "code"),
    ("matériel", "infrastructure"),
    ("milieu", "external"),
    ("externe", "external"),
];

/// The configured name that `written` stands for when it is not itself one
/// of `configured` but is the French name (in `french`, written in any
/// case, Unicode form or apostrophe) of one that is. `None` otherwise, so
/// that a team's own names always win.
pub fn configured_name<'a>(
    written: &str,
    configured: &'a [String],
    french: &[(&str, &str)],
) -> Option<&'a str> {
    if configured.iter().any(|c| c == written) {
        return None;
    }
    let key = fold(written.trim());
    let (_, target) = french.iter().find(|(name, _)| fold(name) == key)?;
    configured.iter().find(|c| c == target).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The ASCII shortcut folds as the Unicode path does.
        #[test]
        fn ascii_folds_as_unicode_does(text in "[ -~]{0,30}") {
            let unicode: String = text.nfc().flat_map(char::to_lowercase).collect();
            proptest::prop_assert_eq!(fold(&text), unicode);
        }
    }

    #[test]
    fn folding_ignores_case_unicode_form_and_apostrophes() {
        let composed = "Main-d\u{2019}\u{0152}uvre \u{00C9}l\u{00E9}ments";
        let decomposed = "main-d'\u{0152}uvre E\u{0301}le\u{0301}ments";
        assert_eq!(fold(composed), fold(decomposed));
        assert_eq!(fold(composed), "main-d'\u{0153}uvre \u{00E9}l\u{00E9}ments");
    }

    #[test]
    fn french_names_stand_for_configured_ones_only() {
        let kinds = vec!["fix".to_owned(), "tester".to_owned()];
        assert_eq!(
            configured_name("Corriger", &kinds, FRENCH_KINDS),
            Some("fix")
        );
        assert_eq!(configured_name("tester", &kinds, FRENCH_KINDS), None);
        assert_eq!(configured_name("automatiser", &kinds, FRENCH_KINDS), None);
        assert_eq!(configured_name("réparer", &kinds, FRENCH_KINDS), None);
    }
}
