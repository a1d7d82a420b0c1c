//! The body of an incident page: Markdown rendered between the sections
//! pmbook draws itself, and the "On this page" list.

use std::collections::{HashMap, HashSet};

use super::{ActionRow, Heading, Part, Segment, TimelineItem};
use crate::model::Postmortem;
use crate::site::markdown;

/// A page with at least this many sections lists them at its top.
const CONTENTS_FROM: usize = 6;

/// The level-2 headings of `body`, in order, when there are at least
/// [`CONTENTS_FROM`]; the sections pmbook draws have their titles in
/// `words`.
pub(super) fn contents(body: &[Segment], words: &'static crate::i18n::Catalogue) -> Vec<Heading> {
    static HEADING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"<h2 id="([^"]*)">(.*?)</h2>"#).expect("the heading pattern is valid")
    });
    let mut found = Vec::new();
    for segment in body {
        let drawn = match segment.kind {
            "timeline" => Some(("timeline", "incident.timeline")),
            "actions" => Some(("action-items", "incident.actions")),
            "ishikawa" => Some(("ishikawa", "incident.ishikawa")),
            _ => None,
        };
        match drawn {
            Some((id, title)) => found.push(Heading {
                id: id.to_owned(),
                html: crate::text::escape_html(words.text(title)),
            }),
            None => found.extend(HEADING.captures_iter(&segment.html).map(|c| Heading {
                id: c[1].to_owned(),
                html: c[2].to_owned(),
            })),
        }
    }
    if found.len() < CONTENTS_FROM {
        found.clear();
    }
    found
}

/// The drawn entries of a postmortem, by the line they start on.
pub(super) struct Views<'a> {
    pub(super) pm: &'a Postmortem,
    pub(super) timeline: &'a HashMap<usize, TimelineItem>,
    pub(super) actions: &'a HashMap<usize, ActionRow>,
    /// The lines of the Ishikawa bones.
    pub(super) bones: HashSet<usize>,
    pub(super) links: &'a markdown::Links<'a>,
}

/// The body from `start`, split around the `replaced` sections: Markdown
/// between them rendered to HTML, each replaced section as a segment of its
/// kind (an empty kind drops the section).
pub(super) fn segments(
    views: &Views,
    start: usize,
    replaced: &[(std::ops::Range<usize>, &'static str)],
) -> Vec<Segment> {
    let text = &views.pm.source.text;
    let notes = footnotes(views.pm, start);
    let mut out = Vec::new();
    let mut at = start;
    let push_markdown = |from: usize, to: usize, out: &mut Vec<Segment>| {
        let chunk = &text[from..to];
        let chunk = if from == start {
            markdown::strip_title(chunk)
        } else {
            chunk
        };
        if !chunk.trim().is_empty() {
            // The footnotes defined elsewhere, for the references of this
            // part: comrak shows only those referred to.
            let mut markdown = chunk.to_owned();
            for note in notes.iter().filter(|n| n.start < from || n.start >= to) {
                markdown.push_str("\n\n");
                markdown.push_str(&text[note.clone()]);
            }
            out.push(Segment {
                kind: "html",
                html: markdown::html(&markdown, views.links),
                parts: Vec::new(),
            });
        }
    };
    for (range, kind) in replaced {
        if range.start < at {
            continue;
        }
        push_markdown(at, range.start, &mut out);
        if !kind.is_empty() {
            let parts = match *kind {
                "timeline" | "actions" | "ishikawa" => drawn_parts(views, range.clone()),
                _ => Vec::new(),
            };
            out.push(Segment {
                kind,
                html: String::new(),
                parts,
            });
        }
        at = range.end;
    }
    push_markdown(at, text.len(), &mut out);
    out
}

/// The byte ranges (whole lines) of the footnote definitions of the body
/// of `pm`, which starts at `start` (a line start).
fn footnotes(pm: &Postmortem, start: usize) -> Vec<std::ops::Range<usize>> {
    let source = &pm.source;
    // A definition starts `[^label]:`; most bodies have none, and need not
    // be parsed again to find that out.
    if !source.text[start..].contains("[^") {
        return Vec::new();
    }
    let first_line = source.line_of(start);
    let arena = comrak::Arena::new();
    let root = markdown::parse(&arena, &source.text[start..]);
    root.children()
        .filter(|n| {
            matches!(
                n.data().value,
                comrak::nodes::NodeValue::FootnoteDefinition(_)
            )
        })
        .map(|n| {
            let pos = n.data().sourcepos;
            let from = source.line_start(first_line + pos.start.line - 1);
            let to = source.line_start(first_line + pos.end.line);
            from..to.max(from)
        })
        .collect()
}

/// A Timeline, Action items or Ishikawa section (`range`, from its
/// heading) in document order: each list or table of entries drawn, each
/// entry with the blocks written under it, the diagram where the first
/// bone is, and every other block as Markdown.
fn drawn_parts(views: &Views, range: std::ops::Range<usize>) -> Vec<Part> {
    let source = &views.pm.source;
    let first_line = source.line_of(range.start);
    let arena = comrak::Arena::new();
    let root = markdown::parse(&arena, &source.text[range]);
    let line_of = |node: &comrak::nodes::AstNode| first_line + node.data().sourcepos.start.line - 1;
    let mut parts: Vec<Part> = Vec::new();
    let mut figure = false;
    let mut push = |part: Part| match (parts.last_mut(), part.kind) {
        (Some(last), "html") if last.kind == "html" => last.html.push_str(&part.html),
        (Some(last), "timeline") if last.kind == "timeline" => last.timeline.extend(part.timeline),
        (Some(last), "actions") if last.kind == "actions" => last.actions.extend(part.actions),
        _ => parts.push(part),
    };
    let part = |kind: &'static str| Part {
        kind,
        html: String::new(),
        timeline: Vec::new(),
        actions: Vec::new(),
    };
    for (n, node) in root.children().enumerate() {
        let value = node.data().value.clone();
        match value {
            comrak::nodes::NodeValue::Heading(_) if n == 0 => {}
            comrak::nodes::NodeValue::List(_) => {
                for item in node.children() {
                    let line = line_of(item);
                    // What the item holds after its first block.
                    let more: String = item
                        .children()
                        .skip(1)
                        .map(|n| markdown::node_html(n, views.links))
                        .collect();
                    if let Some(entry) = views.timeline.get(&line) {
                        let mut entry = entry.clone();
                        if entry.at.is_empty() {
                            entry.html = item
                                .first_child()
                                .map(|n| markdown::node_html(n, views.links))
                                .unwrap_or_default();
                        }
                        entry.html.push_str(&more);
                        let mut p = part("timeline");
                        p.timeline.push(entry);
                        push(p);
                    } else if let Some(row) = views.actions.get(&line) {
                        let mut row = row.clone();
                        row.html.push_str(&more);
                        let mut p = part("actions");
                        p.actions.push(row);
                        push(p);
                    } else if views.bones.contains(&line) {
                        if !figure {
                            figure = true;
                            push(part("ishikawa"));
                        }
                        if !more.is_empty() {
                            let mut p = part("html");
                            p.html = more;
                            push(p);
                        }
                    } else {
                        let mut p = part("html");
                        p.html = format!("<ul>{}</ul>", markdown::node_html(item, views.links));
                        push(p);
                    }
                }
            }
            comrak::nodes::NodeValue::Table(_)
                if node
                    .children()
                    .skip(1)
                    .any(|row| views.timeline.contains_key(&line_of(row))) =>
            {
                let mut p = part("timeline");
                for row in node.children().skip(1) {
                    if let Some(entry) = views.timeline.get(&line_of(row)) {
                        p.timeline.push(entry.clone());
                    }
                }
                push(p);
            }
            _ => {
                let mut p = part("html");
                p.html = markdown::node_html(node, views.links);
                push(p);
            }
        }
    }
    parts
}
