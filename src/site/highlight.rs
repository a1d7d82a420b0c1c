//! Fenced code blocks highlighted at build time with syntect (and the
//! extra syntaxes of two-face: TOML, HCL, logs…) as `hl-` classes that the
//! theme colours; `mermaid` blocks are [`super::diagrams`]'.
//!
//! Every character of the code is escaped, by syntect or here: the classes
//! are the only markup added, and the sanitizer keeps nothing else.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write};
use std::sync::LazyLock;

use comrak::adapters::SyntaxHighlighterAdapter;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The prefix of every class a highlighted block uses.
pub const PREFIX: &str = "hl-";

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Names postmortems give languages that syntect knows by another name.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("terraform", "hcl"),
    ("tf", "hcl"),
    ("postgresql", "sql"),
    ("postgres", "sql"),
    ("mysql", "sql"),
];

/// The syntax of the info string's language, if it has one.
fn syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = lang.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lang)
        .map_or(lang.as_str(), |(_, name)| name);
    SYNTAXES
        .find_syntax_by_token(token)
        .filter(|s| s.name != "Plain Text")
}

/// `code` as HTML: highlighted when `lang` is known, plain text otherwise.
fn highlighted(lang: Option<&str>, code: &str) -> String {
    let Some(syntax) = lang.and_then(syntax) else {
        return escape(code);
    };
    let style = ClassStyle::SpacedPrefixed { prefix: PREFIX };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, style);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape(code);
        }
    }
    generator.finalize()
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn write_tag(
    output: &mut dyn Write,
    tag: &str,
    attributes: HashMap<&'static str, Cow<'_, str>>,
) -> fmt::Result {
    let mut attributes: Vec<_> = attributes.into_iter().collect();
    attributes.sort();
    write!(output, "<{tag}")?;
    for (name, value) in attributes {
        write!(output, r#" {name}="{}""#, escape(&value))?;
    }
    output.write_str(">")
}

/// The highlighter of every fenced block but `mermaid`.
pub struct Highlighter;

impl SyntaxHighlighterAdapter for Highlighter {
    fn write_highlighted(
        &self,
        output: &mut dyn Write,
        lang: Option<&str>,
        code: &str,
    ) -> fmt::Result {
        output.write_str(&highlighted(lang, code))
    }

    fn write_pre_tag(
        &self,
        output: &mut dyn Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        write_tag(output, "pre", attributes)
    }

    fn write_code_tag(
        &self,
        output: &mut dyn Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        write_tag(output, "code", attributes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_languages_postmortems_quote_have_a_syntax() {
        for (lang, name) in [
            ("log", "log"),
            ("sh", "Bourne Again Shell (bash)"),
            ("bash", "Bourne Again Shell (bash)"),
            ("shell", "Bourne Again Shell (bash)"),
            ("sql", "SQL"),
            ("yaml", "YAML"),
            ("yml", "YAML"),
            ("json", "JSON"),
            ("toml", "TOML"),
            ("hcl", "Terraform"),
            ("terraform", "Terraform"),
        ] {
            assert_eq!(syntax(lang).map(|s| s.name.as_str()), Some(name), "{lang}");
        }
        assert!(syntax("no-such-language").is_none());
        assert!(syntax("text").is_none());
    }

    #[test]
    fn highlighted_code_stays_escaped() {
        let html = highlighted(Some("sh"), "echo '<script>alert(1)</script>' && true\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains(r#"<span class="hl-"#), "{html}");
        assert_eq!(highlighted(None, "<b>"), "&lt;b&gt;");
    }
}
