use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::error::Error;
use crate::language::fold;
use crate::lint::{Context, Violation, rule};

rule! {
    /// Wording that blames people or judges with hindsight.
    ///
    /// A blameless postmortem asks how the system let a reasonable action
    /// cause harm, not who erred. Blame words ("human error", "fault of",
    /// "careless", "negligent") end the analysis at a person; hindsight
    /// phrasing ("should have", "failed to", "forgot to") judges with
    /// knowledge nobody had at the time. Both make the next incident less
    /// likely to be reported honestly. General prose linters catch neither.
    ///
    /// The list is `[lint] blameful_phrases` (whole words, any case). Code
    /// blocks, inline code, HTML comments, URLs and link destinations are not
    /// checked, so a quoted log line, `git blame` or a link to a page named
    /// `human-error` is fine.
    ///
    /// In a French book (`[book] language = "fr"`) every postmortem is also
    /// checked against a built-in French list: blame ("erreur humaine",
    /// "par négligence", "c'est la faute de", "évidemment", ...) and
    /// hindsight ("aurait dû", "aurait pu éviter", "il suffisait de", "a
    /// oublié de", ...). There, words are whole words by Unicode's rules
    /// (so "dû" is not found in "dûment"), in any case, accents in either
    /// Unicode form, with straight or curly apostrophes, and a line break
    /// may fall between the words of a phrase. "faute de" alone is not on
    /// the list: it mostly means "for lack of" ("faute de supervision, ..."),
    /// which is how a blameless review speaks; "la faute de", "sa faute" are.
    ///
    /// ## Example
    ///
    /// Instead of "the operator forgot to drain the node", write "the runbook
    /// did not include draining the node, and nothing checked it".
    pub static BLAMEFUL_LANGUAGE = {
        id: "blameful-language",
        level: Warn,
        relaxed_in_draft: false,
        check: check,
    };
}

const HINDSIGHT: [&str; 7] = [
    "should have",
    "shouldn't have",
    "should not have",
    "could have",
    "failed to",
    "forgot to",
    "neglected to",
];

/// The blame words of a French postmortem, checked as well as `[lint]
/// blameful_phrases`.
pub const FRENCH_BLAME: &[&str] = &[
    "erreur humaine",
    "erreurs humaines",
    "erreur de l'opérateur",
    "erreur d'opérateur",
    "erreur de l'utilisateur",
    "erreur de manipulation",
    "c'est la faute",
    "par la faute de",
    "la faute à",
    "sa faute",
    "leur faute",
    "fautif",
    "fautive",
    "coupable",
    "coupables",
    "à blâmer",
    "par négligence",
    "négligence",
    "négligent",
    "négligente",
    "imprudence",
    "inattention",
    "étourderie",
    "incompétent",
    "incompétente",
    "incompétence",
    "manque de rigueur",
    "bâclé",
    "bâclée",
    "n'a pas pris la peine de",
    "évidemment",
    "de toute évidence",
];

/// The hindsight phrases of a French postmortem.
pub const FRENCH_HINDSIGHT: &[&str] = &[
    "aurait dû",
    "auraient dû",
    "aurais dû",
    "n'aurait pas dû",
    "n'auraient pas dû",
    "aurait pu",
    "auraient pu",
    "aurait pu éviter",
    "il aurait fallu",
    "il suffisait de",
    "il aurait suffi de",
    "a oublié de",
    "ont oublié de",
    "a omis de",
    "ont omis de",
    "a négligé de",
    "ont négligé de",
    "n'a pas su",
    "n'ont pas su",
];

/// The pattern of a French book: `phrases` (`[lint] blameful_phrases`) and
/// the French lists, as whole words by Unicode's rules, in any case, each
/// accented letter in either Unicode form, each apostrophe straight or
/// curly and each space any run of white space.
pub fn french_pattern(phrases: &[String]) -> Result<Regex, Error> {
    let mut words: Vec<String> = phrases
        .iter()
        .map(|p| p.nfc().collect())
        .chain(
            FRENCH_BLAME
                .iter()
                .chain(FRENCH_HINDSIGHT)
                .map(|p| p.nfc().collect()),
        )
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let alternatives: Vec<String> = words
        .iter()
        .map(|word| {
            let edge = |c: Option<char>| {
                if c.is_some_and(char::is_alphanumeric) {
                    r"\b"
                } else {
                    ""
                }
            };
            let letters: String = word.chars().map(any_form).collect();
            format!(
                "{}{letters}{}",
                edge(word.chars().next()),
                edge(word.chars().last())
            )
        })
        .collect();
    Regex::new(&format!("(?i)(?:{})", alternatives.join("|")))
        .map_err(|e| Error::Config(format!("invalid word list in [lint]: {e}")))
}

/// The pattern of one character of a phrase, as it may be typed.
fn any_form(c: char) -> String {
    match c {
        '\'' | '\u{2019}' => "['\u{2019}\u{2018}\u{02BC}]".to_owned(),
        c if c.is_whitespace() => r"\s+".to_owned(),
        c => {
            let decomposed: String = c.nfd().collect();
            let composed = regex::escape(c.encode_utf8(&mut [0; 4]));
            if decomposed.chars().count() > 1 {
                format!("(?:{composed}|{})", regex::escape(&decomposed))
            } else {
                composed
            }
        }
    }
}

/// Whether `phrase` (found, its spaces single) is hindsight phrasing
/// rather than blame.
fn is_hindsight(phrase: &str) -> bool {
    let found = fold(phrase);
    HINDSIGHT
        .iter()
        .chain(FRENCH_HINDSIGHT)
        .any(|h| fold(h) == found)
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(pattern) = &ctx.patterns.blameful else {
        return;
    };
    for at in ctx.wording_matches(pattern) {
        let written = &ctx.pm.source.text[at.range()];
        let phrase = written.split_whitespace().collect::<Vec<_>>().join(" ");
        let violation = Violation::at(at, format!("blameful wording: \"{phrase}\""));
        out.push(if is_hindsight(&phrase) {
            violation.help("hindsight phrasing: describe what people knew and did at the time, and why it made sense")
        } else {
            violation.help("describe what the system allowed to happen, not who is at fault")
        });
    }
}
