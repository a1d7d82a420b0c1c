//! A postmortem's body as safe HTML.
//!
//! comrak renders raw HTML as written, and ammonia then keeps only what
//! Markdown makes and a small safe subset of raw HTML (`details`, `summary`,
//! `img`, tables, `kbd`, `sup`, `sub`, `br`, `mark`, `abbr`): scripts,
//! styles, frames, event handlers and any URL scheme but `http`, `https`
//! and `mailto` are removed, so nothing written in a postmortem can run in
//! a reader's browser.

use std::ops::Range;
use std::sync::LazyLock;

use comrak::nodes::AstNode;
use comrak::{Arena, Options};
use regex::{Captures, Regex};

use crate::model::Postmortem;

fn options() -> Options<'static> {
    let mut options = crate::parse::markdown::options();
    options.extension.header_id_prefix = Some(String::new());
    options.render.r#unsafe = true;
    options
}

/// The byte range of each level-2 section of `pm` whose configured name (or
/// heading) is `name`: from the heading to the next level-2 heading.
pub fn section_ranges(pm: &Postmortem, name: &str) -> Vec<Range<usize>> {
    let text = &pm.source.text;
    let line_start = |offset: usize| pm.source.line_start(pm.source.line_of(offset));
    pm.sections
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let canonical = s.canonical.as_deref().unwrap_or(&s.title);
            name.eq_ignore_ascii_case(canonical) || name.eq_ignore_ascii_case(&s.title)
        })
        .map(|(i, s)| {
            let end = pm
                .sections
                .get(i + 1)
                .map_or(text.len(), |next| line_start(next.heading.start));
            line_start(s.heading.start)..end
        })
        .collect()
}

/// The ids the incident page gives its own elements: a heading of the body
/// must not take one, or links and `aria-labelledby` would point at it.
const PAGE_IDS: &[&str] = &[
    "content",
    "sidebar",
    "sidebar-toggle",
    "theme-toggle",
    "timeline",
    "ishikawa",
    "action-items",
    "related",
];

/// Markdown as safe HTML. A heading whose id would be one of the page's
/// own ids gets `-section` after it (`## Related` → `related-section`).
pub fn html(markdown: &str) -> String {
    finish(&comrak::markdown_to_html(markdown, &options()))
}

/// A node of a parsed document (see [`parse`]) and what it holds, as
/// [`html`] renders it.
pub fn node_html<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    comrak::format_html(node, &options(), &mut out).expect("writing to a string cannot fail");
    finish(&out)
}

/// Parses `markdown` with the options the site renders with.
pub fn parse<'a>(arena: &'a Arena<'a>, markdown: &str) -> &'a AstNode<'a> {
    comrak::parse_document(arena, markdown, &options())
}

/// The elements kept, with their attributes: what comrak makes of
/// Markdown, and the raw HTML postmortems may use.
const ELEMENTS: &[(&str, &[&str])] = &[
    (
        "a",
        &[
            "href",
            "id",
            "class",
            "aria-hidden",
            "aria-label",
            "data-footnote-ref",
            "data-footnote-backref",
            "data-heading-content",
        ],
    ),
    ("abbr", &[]),
    ("blockquote", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("code", &["class"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("del", &[]),
    ("details", &["open"]),
    ("em", &[]),
    ("h1", &["id"]),
    ("h2", &["id"]),
    ("h3", &["id"]),
    ("h4", &["id"]),
    ("h5", &["id"]),
    ("h6", &["id"]),
    ("hr", &[]),
    ("img", &["src", "alt", "width", "height"]),
    ("input", &["type", "checked", "disabled"]),
    ("kbd", &[]),
    ("li", &["id"]),
    ("mark", &[]),
    ("ol", &["start"]),
    ("p", &[]),
    ("pre", &[]),
    ("section", &["class", "data-footnotes"]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &["class"]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["align", "colspan", "rowspan"]),
    ("tfoot", &[]),
    ("th", &["align", "colspan", "rowspan", "scope"]),
    ("thead", &[]),
    ("tr", &[]),
    ("ul", &[]),
];

/// Only what [`ELEMENTS`] lists, with links to `http`, `https`, `mailto`
/// or relative URLs.
fn sanitize(html: &str) -> String {
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(ELEMENTS.iter().map(|(tag, _)| *tag).collect())
            .tag_attributes(
                ELEMENTS
                    .iter()
                    .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
                    .collect(),
            )
            .generic_attributes(["title"].into_iter().collect())
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None)
            .strip_comments(true)
            .clean_content_tags(["script", "style"].into_iter().collect());
        builder
    });
    CLEANER.clean(html).to_string()
}

/// Sanitized, and headings whose ids are the page's own renamed.
fn finish(html: &str) -> String {
    let html = sanitize(html);
    let html = html.as_str();
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r##"<h([1-6]) id="([^"]*)">(.*?)<a href="#([^"]*)""##)
            .expect("the heading pattern is valid")
    });
    HEADING
        .replace_all(html, |c: &Captures| {
            let (level, id, inner, target) = (&c[1], &c[2], &c[3], &c[4]);
            if PAGE_IDS.contains(&id) && id == target {
                format!(r##"<h{level} id="{id}-section">{inner}<a href="#{id}-section""##)
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// Markdown inline text (a timeline entry, an action item) as safe HTML,
/// without the enclosing paragraph.
pub fn inline_html(text: &str) -> String {
    let html = finish(&comrak::markdown_to_html(text, &options()));
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_owned()
}

/// The page shows the title itself: drop a leading `# Title` line.
pub fn strip_title(markdown: &str) -> &str {
    let trimmed = markdown.trim_start();
    match trimmed.strip_prefix("# ") {
        Some(rest) => rest.find('\n').map_or("", |i| &rest[i + 1..]),
        None => markdown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_javascript_links_do_not_survive() {
        let html = inline_html(
            "see <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert_eq!(html, r#"see  <a>x</a> <img src="x">"#);
    }
}
