//! Action items (`- [ ] text (owner: @alice, due: 2026-12-01, kind: fix)`) and
//! Ishikawa bones (`- **Process**: text`), read from their source text so that
//! every value keeps its exact span.

use std::sync::LazyLock;

use regex::Regex;

use super::markdown::collapse_lines;
use crate::model::{ActionItem, Field, IshikawaBone, Source, Span};

/// The metadata keys an action item may carry.
pub const KEYS: [&str; 6] = ["owner", "due", "kind", "ticket", "id", "closed"];

/// Reads an action item. `text` is the span of the item's first block;
/// `done` is `None` for a plain list item without a task box.
pub fn parse(source: &Source, span: Span, text: Span, done: Option<bool>) -> ActionItem {
    let raw = &source.text[text.range()];
    let mut item = ActionItem {
        span,
        is_task: done.is_some(),
        done: done.unwrap_or(false),
        text: collapse_lines(raw),
        owner: None,
        due: None,
        kind: None,
        ticket: None,
        id: None,
        closed: None,
        unknown_metadata: Vec::new(),
    };
    let Some((open, close)) = metadata_group(raw) else {
        return item;
    };
    item.text = collapse_lines(&raw[..open]);
    let mut at = open + 1;
    for part in raw[open + 1..close].split(',') {
        let part_start = at;
        at += part.len() + 1;
        let trimmed = part.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = part.len() - part.trim_start().len();
        let part_span =
            Span::new(part_start + lead, part_start + lead + trimmed.len()).offset(text.start);
        let Some((key, value)) = trimmed.split_once(':') else {
            item.unknown_metadata
                .push(Field::new(trimmed.to_owned(), part_span));
            continue;
        };
        let value_trimmed = value.trim();
        let value_start =
            part_span.start + key.len() + 1 + (value.len() - value.trim_start().len());
        let value = Field::new(
            value_trimmed.to_owned(),
            Span::new(value_start, value_start + value_trimmed.len()),
        );
        let slot = match key.trim().to_lowercase().as_str() {
            "owner" => &mut item.owner,
            "due" => &mut item.due,
            "kind" => &mut item.kind,
            "ticket" => &mut item.ticket,
            "id" => &mut item.id,
            "closed" => &mut item.closed,
            _ => {
                item.unknown_metadata
                    .push(Field::new(trimmed.to_owned(), part_span));
                continue;
            }
        };
        *slot = Some(value);
    }
    if let Some(owner) = &mut item.owner {
        owner.value = owner.value.trim_start_matches('@').to_owned();
    }
    item
}

/// The byte range of a trailing `( ... )` group that holds `key: value`
/// pairs: the offsets of its parentheses.
fn metadata_group(raw: &str) -> Option<(usize, usize)> {
    let trimmed = raw.trim_end();
    if !trimmed.ends_with(')') {
        return None;
    }
    let close = trimmed.len() - 1;
    let open = raw[..close].rfind('(')?;
    raw[open..close].contains(':').then_some((open, close))
}

static BONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\*\*|__)?(?P<category>[^*_:]+?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<text>.*)$",
    )
    .expect("the Ishikawa pattern is valid")
});

/// Reads `**Category**: text` (or `Category: text`); `None` for other items.
pub fn ishikawa_bone(source: &Source, span: Span, text: Span) -> Option<IshikawaBone> {
    let line = &source.text[text.range()];
    let caps = BONE.captures(line)?;
    let category = caps.name("category")?;
    Some(IshikawaBone {
        span,
        category: Field::new(
            category.as_str().trim().to_owned(),
            Span::new(category.start(), category.end()).offset(text.start),
        ),
        text: collapse_lines(&caps["text"]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(line: &str, done: Option<bool>) -> (Source, ActionItem) {
        let source = Source::new(line.to_owned());
        let span = Span::new(0, line.len());
        let item = parse(&source, span, span, done);
        (source, item)
    }

    #[test]
    fn metadata_values_keep_their_spans() {
        let (src, item) = item(
            "Add a canary (owner: @alice, due: 2026-12-01, kind: prevent)",
            Some(false),
        );
        assert_eq!(item.text, "Add a canary");
        let owner = item.owner.unwrap();
        assert_eq!(owner.value, "alice");
        assert_eq!(&src.text[owner.span.range()], "@alice");
        let due = item.due.unwrap();
        assert_eq!(&src.text[due.span.range()], "2026-12-01");
        assert_eq!(item.kind.unwrap().value, "prevent");
        assert!(item.unknown_metadata.is_empty());
    }

    #[test]
    fn parentheses_without_keys_are_text() {
        let (_, item) = item("Retry the job (again)", Some(true));
        assert_eq!(item.text, "Retry the job (again)");
        assert!(item.owner.is_none());
    }

    #[test]
    fn unknown_keys_are_kept_for_the_linter() {
        let (_, item) = item("Fix it (owner: bob, prio: high, oops)", Some(false));
        let unknown: Vec<_> = item
            .unknown_metadata
            .iter()
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(unknown, ["prio: high", "oops"]);
    }

    #[test]
    fn bones() {
        let src = Source::new("**Process**: no canary stage".to_owned());
        let span = Span::new(0, src.text.len());
        let bone = ishikawa_bone(&src, span, span).unwrap();
        assert_eq!(bone.category.value, "Process");
        assert_eq!(&src.text[bone.category.span.range()], "Process");
        assert_eq!(bone.text, "no canary stage");
    }
}
