//! Text helpers every layer may use: percent-encoding for URLs, HTML
//! escaping, slugs and did-you-mean suggestions.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use unicode_normalization::UnicodeNormalization;

/// What a URL component keeps as it is: RFC 3986's unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a path keeps as it is: the unreserved characters and `/`.
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// Percent-encodes `text` for one URL component (a path segment, a query
/// value, a fragment).
pub fn url_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Percent-encodes a `/`-separated path for use in a URL, keeping the `/`.
pub fn url_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// Escapes text for XML (and so HTML) text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Lowercase ASCII letters and digits, accents and ligatures spelt out
/// (`é` → `e`, `œ` → `oe`), every other run of characters one dash, at most
/// 100 characters: `"Checkout Latency (EU)"` → `"checkout-latency-eu"`,
/// `"Base de données"` → `"base-de-donnees"`. Empty when `text` has no
/// letter or digit.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in without_accents(text).chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-')
        .chars()
        .take(100)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// `text` without its accents and ligatures (`é` → `e`, `œ` → `oe`), so
/// that a French name makes a readable slug or file name.
fn without_accents(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(|c| match c {
            'œ' => "oe".chars().collect::<Vec<_>>(),
            'Œ' => "OE".chars().collect(),
            'æ' => "ae".chars().collect(),
            'Æ' => "AE".chars().collect(),
            c => vec![c],
        })
        .collect()
}

/// `text` with its first letter in upper case.
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The candidate closest to `word`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A share as a percentage (`12.5%`), `–` when unknown: how `stats` writes
/// shares, as the English site does.
pub fn format_share(share: Option<f64>) -> String {
    crate::i18n::catalogue("en").share(share)
}

#[cfg(test)]
mod tests {
    #[test]
    fn accents_and_ligatures_are_spelt_out() {
        assert_eq!(
            super::without_accents("Main-d\u{2019}œuvre à Paris, été"),
            "Main-d\u{2019}oeuvre a Paris, ete"
        );
    }

    #[test]
    fn components_escape_slashes_and_paths_keep_them() {
        assert_eq!(super::url_component("a b/c#d"), "a%20b%2Fc%23d");
        assert_eq!(super::url_path("dir/a b#c.md"), "dir/a%20b%23c.md");
        assert_eq!(super::url_path("é~_-."), "%C3%A9~_-.");
    }

    #[test]
    fn escape_html_escapes_markup_and_quotes() {
        assert_eq!(
            super::escape_html(r#"<b>"t" & 'u'</b>"#),
            "&lt;b&gt;&quot;t&quot; &amp; &#39;u&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn capitalize_uppercases_the_first_letter() {
        assert_eq!(super::capitalize("été 2026"), "Été 2026");
        assert_eq!(super::capitalize(""), "");
    }

    #[test]
    fn slugify() {
        assert_eq!(
            super::slugify("Checkout Latency (EU)"),
            "checkout-latency-eu"
        );
        assert_eq!(super::slugify("../../etc"), "etc");
        assert_eq!(super::slugify("Base de données"), "base-de-donnees");
        assert_eq!(
            super::slugify("Main-d’œuvre à Paris"),
            "main-d-oeuvre-a-paris"
        );
    }

    #[test]
    fn no_suggestion_for_unrelated_words() {
        assert_eq!(super::did_you_mean("zzz", ["severities", "statuses"]), None);
        assert_eq!(
            super::did_you_mean("severites", ["severities", "statuses"]),
            Some("severities")
        );
    }
}
