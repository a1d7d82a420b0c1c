//! The Markdown body: sections, timeline, action items, five whys, Ishikawa
//! bones and prose, read from comrak's tree with source positions.

use comrak::nodes::{AstNode, NodeValue, Sourcepos};
use comrak::{Arena, Options};

use super::sections::SectionNames;
use super::{action, action_table, timeline};
use crate::model::{
    ActionItem, DateTime, Field, IshikawaBone, Section, Source, Span, TimelineEntry,
};

/// What the body contributes to a [`crate::model::Postmortem`].
#[derive(Debug, Default)]
pub struct Body {
    pub sections: Vec<Section>,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<ActionItem>,
    pub whys: Vec<Field<String>>,
    pub ishikawa: Vec<IshikawaBone>,
    pub prose: Vec<Span>,
    pub not_prose: Vec<Span>,
    pub code: Vec<Span>,
    pub links: Vec<Field<String>>,
}

/// The structured sections pmbook reads, by their configured name.
const TIMELINE: &str = "Timeline";
const ACTION_ITEMS: &str = "Action items";
const FIVE_WHYS: &str = "Five whys";
const ISHIKAWA: &str = "Ishikawa";

/// The Markdown dialect of postmortems: CommonMark with GFM tables, task
/// lists, strikethrough, autolinks and footnotes. The site renders with the
/// same options, so what the linter reads is what readers see.
pub fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.footnotes = true;
    options.extension.table = true;
    options.extension.tasklist = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options
}

/// Parses the body, which starts at byte `body_start` (a line start) of
/// `source`. `incident_start` gives the day of `HH:MM` timeline entries.
pub fn parse(
    source: &Source,
    body_start: usize,
    section_names: &SectionNames,
    incident_start: Option<DateTime>,
) -> Body {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, &source.text[body_start..], &options());
    let reader = Reader {
        source,
        first_line: source.line_of(body_start),
        section_names,
    };
    let mut body = Body::default();
    let mut clock = timeline::Clock::new(incident_start).stated_in(&source.text[body_start..]);
    let mut current: Option<String> = None;
    for node in root.children() {
        let data = node.data();
        if let NodeValue::Heading(heading) = &data.value
            && heading.level == 2
        {
            let title = text_content(node);
            let canonical = reader.canonical(&title);
            current = canonical.clone();
            body.sections.push(Section {
                title,
                canonical,
                heading: reader.span(data.sourcepos),
                has_content: false,
            });
            continue;
        }
        if !is_comment(&data.value)
            && let Some(section) = body.sections.last_mut()
        {
            section.has_content = true;
        }
        let NodeValue::List(_) = data.value else {
            if current.as_deref() == Some(TIMELINE)
                && let Some(day) = day_line(&reader, node)
            {
                clock.day_line(day);
            }
            if current.as_deref() == Some(ACTION_ITEMS) && matches!(data.value, NodeValue::Table(_))
            {
                body.actions.extend(action_table(&reader, node));
            }
            if current.as_deref() == Some(TIMELINE) && matches!(data.value, NodeValue::Table(_)) {
                for row in node.children().skip(1) {
                    if let Some(cell) = row.first_child() {
                        let span = reader.span(row.data().sourcepos);
                        let first = reader.text(cell.data().sourcepos);
                        let rest: Vec<String> = cell
                            .following_siblings()
                            .skip(1)
                            .map(|c| reader.text(c.data().sourcepos))
                            .collect();
                        let line = format!("{first} — {}", rest.join(" "));
                        body.timeline.push(clock.entry(span, &line));
                    }
                }
            }
            continue;
        };
        for item in node.children() {
            let item_data = item.data();
            let span = reader.span(item_data.sourcepos);
            let Some(first) = item.first_child() else {
                continue;
            };
            let first_pos = first.data().sourcepos;
            let text_span = reader.span(first_pos);
            match current.as_deref() {
                Some(TIMELINE) => {
                    body.timeline
                        .push(clock.entry(span, &reader.text(first_pos)));
                }
                Some(ACTION_ITEMS) => {
                    let done = match &item_data.value {
                        NodeValue::TaskItem(task) => Some(task.symbol.is_some()),
                        _ => None,
                    };
                    body.actions
                        .push(action::parse(source, span, text_span, done));
                }
                Some(FIVE_WHYS) => body
                    .whys
                    .push(Field::new(reader.text(first_pos), text_span)),
                Some(ISHIKAWA) => {
                    if let Some(bone) = action::ishikawa_bone(source, span, text_span) {
                        body.ishikawa.push(bone);
                    }
                }
                _ => {}
            }
        }
    }
    for node in root.descendants() {
        let data = node.data();
        match data.value {
            NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell => {
                body.prose.push(reader.span(data.sourcepos))
            }
            NodeValue::Code(_) | NodeValue::HtmlInline(_) => {
                body.not_prose.push(reader.span(data.sourcepos))
            }
            NodeValue::Link(ref link) | NodeValue::Image(ref link) => {
                body.links
                    .push(Field::new(link.url.clone(), reader.span(data.sourcepos)));
                body.not_prose.push(link_target(&reader, node));
            }
            NodeValue::CodeBlock(_) | NodeValue::HtmlBlock(_) => {
                body.code.push(reader.span(data.sourcepos))
            }
            _ => {}
        }
    }
    body
}

/// The day a heading or a paragraph of the Timeline that is only a day
/// (`### 2023-07-19`, `2019-03-10:`, `**July 19, 2023**`) gives the
/// `HH:MM` entries after it.
fn day_line<'a>(reader: &Reader, node: &'a AstNode<'a>) -> Option<jiff::civil::Date> {
    let data = node.data();
    let text = match data.value {
        NodeValue::Heading(_) => text_content(node),
        NodeValue::Paragraph => reader.text(data.sourcepos),
        _ => return None,
    };
    crate::time::days::day_line(&text)
}

/// The action items of a table of the Action items section.
fn action_table<'a>(reader: &Reader, table: &'a AstNode<'a>) -> Vec<ActionItem> {
    let cells = |row: &'a AstNode<'a>| -> Vec<action_table::Cell> {
        row.children()
            .map(|cell| {
                let span = reader.span(cell.data().sourcepos);
                let raw = &reader.source.text[span.range()];
                let lead = raw.len() - raw.trim_start().len();
                let trimmed = raw.trim();
                action_table::Cell {
                    text: collapse_lines(trimmed),
                    span: Span::new(span.start + lead, span.start + lead + trimmed.len()),
                }
            })
            .collect()
    };
    let mut rows = table.children();
    let Some(header) = rows.next() else {
        return Vec::new();
    };
    let header: Vec<String> = cells(header).into_iter().map(|c| c.text).collect();
    let rows = rows
        .map(|row| (reader.span(row.data().sourcepos), cells(row)))
        .collect();
    action_table::items(&header, rows)
}

struct Reader<'s> {
    source: &'s Source,
    /// The file line of the body's first line.
    first_line: usize,
    section_names: &'s SectionNames,
}

impl Reader<'_> {
    /// The file span of a comrak position (inclusive end).
    fn span(&self, pos: Sourcepos) -> Span {
        let line = |l: usize| l + self.first_line - 1;
        let start = self
            .source
            .offset_of(line(pos.start.line), pos.start.column);
        let end = self
            .source
            .offset_of(line(pos.end.line), pos.end.column + 1);
        Span::new(start, end.max(start))
    }

    /// The source text of a node, its lines trimmed and joined by spaces.
    fn text(&self, pos: Sourcepos) -> String {
        let span = self.span(pos);
        collapse_lines(&self.source.text[span.range()])
    }

    fn canonical(&self, title: &str) -> Option<String> {
        self.section_names.canonical(title).map(str::to_owned)
    }
}

pub fn collapse_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The plain text of a node's inline content (for headings).
/// The part of a link or image that is not its text: the destination and
/// title of `[text](url "title")`, the label of `[text][label]`, or all of
/// an autolink (`<https://…>`, a bare `https://…`), whose text is its URL.
fn link_target<'a>(reader: &Reader, node: &'a AstNode<'a>) -> Span {
    let data = node.data();
    let whole = reader.span(data.sourcepos);
    let url = match &data.value {
        NodeValue::Link(link) | NodeValue::Image(link) => link.url.clone(),
        _ => return whole,
    };
    drop(data);
    let text = text_content(node);
    // An autolink's URL is its text, with a scheme added to `www.…` and
    // e-mail addresses.
    let is_autolink = text.is_empty()
        || url
            .strip_suffix(text.as_str())
            .is_some_and(|scheme| ["", "http://", "https://", "mailto:"].contains(&scheme));
    match node.last_child() {
        Some(last) if !is_autolink => {
            let end = reader.span(last.data().sourcepos).end;
            Span::new(end.min(whole.end), whole.end)
        }
        _ => whole,
    }
}

/// The text of `node` and its descendants, without markup or raw HTML.
pub(crate) fn text_content<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// HTML blocks made only of comments (`<!-- pmbook-disable ... -->`) do not
/// count as section content.
fn is_comment(value: &NodeValue) -> bool {
    match value {
        NodeValue::HtmlBlock(html) => {
            let t = html.literal.trim();
            t.starts_with("<!--") && t.ends_with("-->")
        }
        _ => false,
    }
}
