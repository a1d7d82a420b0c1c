//! A postmortem's body as safe HTML.
//!
//! comrak renders raw HTML as written, and ammonia then keeps only what
//! Markdown makes and a small safe subset of raw HTML (`details`, `summary`,
//! `img`, tables, `kbd`, `sup`, `sub`, `br`, `mark`, `abbr`): scripts,
//! styles, frames, event handlers and any URL scheme but `http`, `https`
//! and `mailto` are removed, so nothing written in a postmortem can run in
//! a reader's browser.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use comrak::nodes::AstNode;
use comrak::options::Plugins;
use comrak::{Arena, Options};
use regex::{Captures, Regex};

use super::diagrams::{self, Diagrams};
use super::highlight::{self, Highlighter};
use crate::links::{Disk, Target};
use crate::model::Postmortem;
use crate::text::escape_html;

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

/// How the relative links of one postmortem become links of the site: to
/// the page of the postmortem they name, or to an attachment copied into
/// `incidents/files/`; and whether its diagrams are drawn.
pub struct Links<'a> {
    pub disk: &'a Disk,
    /// The postmortem, relative to the repository root.
    pub from: &'a str,
    /// Every postmortem (relative to the repository root) → its page
    /// (relative to the site root), or `None` when it is not in the site.
    pub pages: &'a HashMap<String, Option<String>>,
    /// From the page being written to the site root.
    pub root: &'static str,
    /// The attachments linked so far, relative to the project directory.
    pub attachments: RefCell<BTreeSet<String>>,
    /// The site has the diagram renderer: `mermaid` blocks are drawn
    /// rather than shown as code.
    pub mermaid: bool,
    /// A diagram was rendered for the renderer to draw.
    pub diagrams: Cell<bool>,
}

impl<'a> Links<'a> {
    pub fn new(
        disk: &'a Disk,
        from: &'a str,
        pages: &'a HashMap<String, Option<String>>,
        root: &'static str,
    ) -> Links<'a> {
        Links {
            disk,
            from,
            pages,
            root,
            attachments: RefCell::new(BTreeSet::new()),
            mermaid: false,
            diagrams: Cell::new(false),
        }
    }

    /// What becomes of `dest`: the same URL, another one, or no link
    /// (a missing file, a postmortem outside the site, a path out of the
    /// project: `broken-link` reports them).
    fn rewrite(&self, dest: &str) -> Option<String> {
        let Target::File { path, fragment } = self.disk.resolve(dest, self.from) else {
            return match self.disk.resolve(dest, self.from) {
                Target::Outside => None,
                _ => Some(dest.to_owned()),
            };
        };
        let fragment = fragment.map_or_else(String::new, |f| {
            format!("#{}", crate::text::url_component(&f))
        });
        if let Some(page) = self.pages.get(&path) {
            return page
                .as_ref()
                .map(|page| format!("{}{page}{fragment}", self.root));
        }
        // A Markdown file that is not a page of the site is not published.
        if path.ends_with(".md") || self.disk.locate(&path).is_err() {
            return None;
        }
        let project = self.disk.project_dir();
        let relative = match project.as_str() {
            "" => path.as_str(),
            dir => path
                .strip_prefix(dir)
                .map_or(path.as_str(), |p| p.trim_start_matches('/')),
        };
        self.attachments.borrow_mut().insert(relative.to_owned());
        Some(format!(
            "{}{ATTACHMENTS}{}{fragment}",
            self.root,
            crate::text::url_path(relative)
        ))
    }
}

/// Where attachments go in the site, relative to its root.
pub const ATTACHMENTS: &str = "incidents/files/";

/// Markdown as safe HTML. A heading whose id would be one of the page's
/// own ids gets `-section` after it (`## Related` → `related-section`).
pub fn html(markdown: &str, links: &Links) -> String {
    let arena = Arena::new();
    node_html(parse(&arena, markdown), links)
}

/// A node of a parsed document (see [`parse`]) and what it holds, as
/// [`html`] renders it.
pub fn node_html<'a>(node: &'a AstNode<'a>, links: &Links) -> String {
    let diagrams = Diagrams::new(links.mermaid);
    let mut plugins = Plugins::default();
    plugins.render.codefence_syntax_highlighter = Some(&Highlighter);
    plugins
        .render
        .codefence_renderers
        .insert(diagrams::MERMAID.to_owned(), &diagrams);
    let mut out = String::new();
    comrak::format_html_with_plugins(node, &options(), &mut out, &plugins)
        .expect("writing to a string cannot fail");
    if diagrams.drawn.into_inner() {
        links.diagrams.set(true);
    }
    finish(&out, links)
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
    ("p", &["class"]),
    ("pre", &["class"]),
    ("section", &["class", "data-footnotes"]),
    ("span", &["class"]),
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
            .attribute_filter(highlight_classes)
            .link_rel(None)
            .strip_comments(true)
            .clean_content_tags(["script", "style"].into_iter().collect());
        builder
    });
    CLEANER.clean(html).to_string()
}

/// Keeps on `span`, `pre` and `p` only the classes that highlighted code
/// and diagrams use, so raw HTML cannot take the page's own classes.
fn highlight_classes<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let kept = match (element, attribute) {
        ("span", "class") => value
            .split_ascii_whitespace()
            .all(|class| class.starts_with(highlight::PREFIX)),
        ("pre", "class") => value == diagrams::MERMAID,
        ("p", "class") => value == diagrams::NOTE_CLASS,
        _ => true,
    };
    kept.then_some(Cow::Borrowed(value))
}

/// Sanitized, relative links made links of the site, and headings whose
/// ids are the page's own renamed.
fn finish(html: &str, links: &Links) -> String {
    static LINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#" (href|src)="([^"]*)""#).expect("the link pattern is valid")
    });
    let html = sanitize(html);
    let html = LINK.replace_all(&html, |c: &Captures| {
        let dest = c[2]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        match links.rewrite(&dest) {
            Some(url) if url == dest => c[0].to_owned(),
            Some(url) => format!(r#" {}="{}""#, &c[1], escape_html(&url)),
            None => String::new(),
        }
    });
    // comrak follows each heading with an empty anchor link (ammonia has
    // removed its `data-heading-content`); the page's script adds those
    // links (see `pmbook.js`), so that they cost no bytes in every page.
    static ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r##"<a href="#[^"]*" aria-label="Link to heading '[^"]*'" class="anchor"></a>(</h[1-6]>)"##,
        )
        .expect("the anchor pattern is valid")
    });
    let html = ANCHOR.replace_all(&html, "$1");
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"<h([1-6]) id="([^"]*)">"#).expect("the heading pattern is valid")
    });
    HEADING
        .replace_all(&html, |c: &Captures| {
            let (level, id) = (&c[1], &c[2]);
            if PAGE_IDS.contains(&id) {
                format!(r#"<h{level} id="{id}-section">"#)
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// Markdown inline text (a timeline entry, an action item) as safe HTML,
/// without the enclosing paragraph.
pub fn inline_html(text: &str, links: &Links) -> String {
    if is_plain(text) {
        return text.to_owned();
    }
    rendered_inline_html(text, links)
}

/// Whether `text` is words and punctuation that Markdown leaves as they are
/// and HTML needs no escaping for, so that [`inline_html`] is `text` itself.
/// Most timeline entries and action items are such text, and a site of
/// 10,000 incidents has hundreds of thousands of them: this spares each a
/// Markdown and an HTML parse. Conservative: anything that could start a
/// block (a digit, `-`, `>`, indentation), an inline (emphasis, code, links,
/// autolinks, entities, strikethrough) or need escaping is rendered.
fn is_plain(text: &str) -> bool {
    const SPECIAL: &[char] = &[
        '*', '_', '`', '[', ']', '!', '<', '>', '&', '\\', '~', '@', '|', '#', '$', '^', '=', '{',
        '}', '\u{a0}',
    ];
    let starts_with_letter = text.chars().next().is_some_and(char::is_alphabetic);
    let lower = text.to_ascii_lowercase();
    starts_with_letter
        && !text.ends_with(char::is_whitespace)
        && !text.contains(SPECIAL)
        && !text.contains(|c: char| c.is_control())
        && !["://", "www.", "mailto:", "xmpp:"]
            .iter()
            .any(|s| lower.contains(s))
}

/// [`inline_html`] through Markdown and the sanitizer.
fn rendered_inline_html(text: &str, links: &Links) -> String {
    let html = finish(&comrak::markdown_to_html(text, &options()), links);
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
        let disk = Disk {
            repo_root: ".".into(),
            project_root: ".".into(),
        };
        let pages = HashMap::new();
        let links = Links::new(&disk, "postmortems/a.md", &pages, "../");
        let html = inline_html(
            "see <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
            &links,
        );
        assert_eq!(html, "see  <a>x</a> <img>");
    }

    proptest::proptest! {
        /// The shortcut for plain text gives what rendering gives.
        #[test]
        fn plain_text_is_rendered_as_itself(
            text in "[a-zA-Zé0-9 .,:;'\"()/%?+\\-—]{0,30}[*_`<>&#\\[\\]!~@|=$^{}\u{a0}\t\n\\\\ w.:/-]{0,3}[a-zA-Zé0-9 .,:;'\"()/%?+\\-—]{0,30}"
        ) {
            let disk = Disk {
                repo_root: ".".into(),
                project_root: ".".into(),
            };
            let pages = HashMap::new();
            let links = Links::new(&disk, "postmortems/a.md", &pages, "../");
            if is_plain(&text) {
                proptest::prop_assert_eq!(&text, &rendered_inline_html(&text, &links));
            }
        }
    }

    #[test]
    fn the_plain_text_shortcut_takes_sentences_and_leaves_markup() {
        assert!(is_plain(
            "On-call acknowledges: \"looking at it\" (eu-west-1), 60% errors."
        ));
        assert!(is_plain("Résumé — fini"));
        for markup in [
            "1. a list",
            "- a list",
            "see *this*",
            "see www.example.com",
            "see https://example.com",
            "a &amp; b",
            "trailing space ",
            "two\nlines",
        ] {
            assert!(!is_plain(markup), "{markup}");
        }
    }
}
