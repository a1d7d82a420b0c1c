//! A postmortem's body as safe HTML.
//!
//! comrak renders with raw HTML left out (replaced by a comment) and
//! dangerous link schemes (`javascript:`, `vbscript:`, `file:`, `data:`
//! outside images) removed, so nothing written in a postmortem can run in a
//! reader's browser.

use std::ops::Range;

use comrak::Options;

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

/// Markdown as safe HTML.
pub fn html(markdown: &str) -> String {
    comrak::markdown_to_html(markdown, &options())
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
