//! A postmortem's body as safe HTML.
//!
//! comrak renders with raw HTML left out (replaced by a comment) and
//! dangerous link schemes (`javascript:`, `vbscript:`, `file:`, `data:`
//! outside images) removed, so nothing written in a postmortem can run in a
//! reader's browser.

use std::ops::Range;
use std::sync::LazyLock;

use comrak::nodes::AstNode;
use comrak::{Arena, Options};
use regex::{Captures, Regex};

use crate::model::Postmortem;

fn options() -> Options<'static> {
    let mut options = crate::parse::markdown::options();
    options.extension.header_id_prefix = Some(String::new());
    options.render.r#unsafe = false;
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

/// Renamed headings whose ids are the page's own.
fn finish(html: &str) -> String {
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
    let html = comrak::markdown_to_html(text, &options());
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
            "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }
}
