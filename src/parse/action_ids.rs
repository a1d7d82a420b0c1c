//! The explicit action-item ids of a postmortem, found by a line scan
//! instead of a Markdown parse.
//!
//! `duplicate-action-id` compares the ids of the file being linted with
//! those of every other postmortem. Linting one file (the pre-commit case)
//! must not parse the whole repository, so the other files are scanned:
//! top-level task-list items under the Action items heading (an ATX `##`
//! heading or a setext heading underlined with `-`, outside fenced code),
//! their first paragraph, and the `id:` of its trailing `( ... )` group.
//! That is what the parser reads for the common shapes of an item; a unit
//! test and a property test (`tests/properties.rs`) keep the two in step.

use std::sync::LazyLock;

use regex::Regex;

use super::action;
use super::front_matter::locate;
use super::sections::SectionNames;
use crate::config::Config;
use crate::model::{FrontMatterProblem, Source, Span};

/// An explicit action-item id and the text of its item (as the parser
/// reads it: without the metadata group, lines joined).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionId {
    pub id: String,
    pub text: String,
}

/// Finds explicit action ids; built once per run from the configuration.
pub struct Scanner {
    sections: SectionNames,
    /// The lowercase headings that open the Action items section.
    headings: Vec<String>,
}

/// The configured name of the section holding action items.
const ACTION_ITEMS: &str = "Action items";

impl Scanner {
    pub fn new(config: &Config) -> Scanner {
        let sections = SectionNames::new(config);
        Scanner {
            headings: sections.names_of(ACTION_ITEMS),
            sections,
        }
    }

    /// The headings the scan looks for, which a cache of its results must
    /// be keyed by.
    pub fn headings(&self) -> &[String] {
        &self.headings
    }

    /// The explicit ids of the task items of the Action items section, in
    /// source order.
    pub fn scan(&self, text: &str) -> Vec<ActionId> {
        let text = text.strip_prefix(crate::model::source::BOM).unwrap_or(text);
        let body = match locate(text) {
            Ok(block) => &text[block.body_start..],
            Err(FrontMatterProblem::Missing { .. }) => text,
            Err(_) => return Vec::new(),
        };
        if !ID_KEY.is_match(body) {
            // Most postmortems have no explicit ids: one fast search
            // instead of a line-by-line read.
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut in_section = false;
        let mut fence: Option<(char, usize)> = None;
        let mut item: Option<Item> = None;
        // The lines of the top-level paragraph being read, which a setext
        // underline turns into a heading.
        let mut paragraph: Vec<&str> = Vec::new();
        // Whether a paragraph inside a block quote or a nested item is open:
        // a line of text continues it (lazily) instead of starting a
        // top-level paragraph.
        let mut lazy = false;
        // Whether an HTML comment block is open (until a line with `-->`).
        let mut comment = false;
        for line in body.lines() {
            if let Some((ch, len)) = fence {
                if closes_fence(line, ch, len) {
                    fence = None;
                }
                continue;
            }
            if comment {
                comment = !line.contains("-->");
                continue;
            }
            let indent = indentation(line);
            let rest = line.trim_start();
            if rest.is_empty() {
                // A blank line ends the item's first paragraph.
                if let Some(item) = &mut item {
                    item.ended = true;
                }
                paragraph.clear();
                lazy = false;
                continue;
            }
            if indent <= 3 {
                if !paragraph.is_empty()
                    && let Some(level) = setext_underline(rest)
                {
                    let title = paragraph.join(" ");
                    paragraph.clear();
                    if level == 2 {
                        in_section = self.is_action_items(&title);
                    }
                    continue;
                }
                if let Some(opened) = opens_fence(rest) {
                    finish(item.take(), &mut found);
                    paragraph.clear();
                    lazy = false;
                    fence = Some(opened);
                    continue;
                }
                if let Some((level, title)) = atx_heading(rest) {
                    finish(item.take(), &mut found);
                    paragraph.clear();
                    lazy = false;
                    if level == 2 {
                        in_section = self.is_action_items(title);
                    }
                    continue;
                }
                if let Some(inside) = rest.strip_prefix("<!--") {
                    // An HTML comment interrupts a paragraph: it ends the
                    // item's first paragraph, or the list when it is not
                    // indented into the item.
                    match &mut item {
                        Some(open) if indent >= open.content_column => open.ended = true,
                        _ => finish(item.take(), &mut found),
                    }
                    paragraph.clear();
                    lazy = false;
                    comment = !inside.contains("-->");
                    continue;
                }
                if is_thematic_break(rest) {
                    finish(item.take(), &mut found);
                    paragraph.clear();
                    lazy = false;
                    continue;
                }
            }
            if let Some((width, content)) = list_marker(rest) {
                let nested = item.as_ref().is_some_and(|i| indent >= i.content_column);
                if nested {
                    // A sub-list ends the paragraph; its items are not
                    // action items.
                    if let Some(item) = &mut item {
                        item.ended = true;
                    }
                    lazy = true;
                } else if indent <= 3 {
                    finish(item.take(), &mut found);
                    paragraph.clear();
                    lazy = false;
                    item = Some(Item {
                        content_column: indent + width,
                        // Outside the section, items are followed only
                        // for where paragraphs (and setext headings) are.
                        task: task_text(content).filter(|_| in_section).map(str::to_owned),
                        ended: false,
                    });
                }
                continue;
            }
            if rest.starts_with('>') {
                if let Some(open) = &mut item {
                    open.ended = true;
                }
                paragraph.clear();
                lazy = true;
                continue;
            }
            match &mut item {
                Some(Item {
                    task: Some(text),
                    ended: false,
                    ..
                }) => {
                    text.push('\n');
                    text.push_str(rest);
                    continue;
                }
                Some(open) if !open.ended => continue,
                _ if lazy => continue,
                Some(open) if indent >= open.content_column => {
                    // A later paragraph of the item.
                    lazy = true;
                    continue;
                }
                Some(_) => {
                    // An unindented line after a blank one ends the list.
                    finish(item.take(), &mut found);
                }
                None => {}
            }
            // Indented code cannot start a paragraph; HTML may start a block.
            if paragraph.is_empty() && (indent >= 4 || rest.starts_with('<')) {
                continue;
            }
            paragraph.push(rest.trim_end());
        }
        finish(item, &mut found);
        found
    }

    fn is_action_items(&self, title: &str) -> bool {
        self.sections.canonical(title) == Some(ACTION_ITEMS)
    }
}

/// An `id:` key, as the metadata parser reads keys (any case, spaces
/// before the colon).
static ID_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u:\bid[ \t]*:)").expect("the id key pattern is valid"));

/// A top-level list item being read.
struct Item {
    /// Where its content starts: lines indented this far belong to it.
    content_column: usize,
    /// The first paragraph after the task box; `None` for a plain item.
    task: Option<String>,
    /// Whether the first paragraph has ended.
    ended: bool,
}

fn finish(item: Option<Item>, found: &mut Vec<ActionId>) {
    let Some(text) = item.and_then(|i| i.task) else {
        return;
    };
    if !text.to_ascii_lowercase().contains("id") {
        return;
    }
    let source = Source::new(text);
    let span = Span::new(0, source.text.len());
    let parsed = action::parse(&source, span, span, Some(false));
    if let Some(id) = &parsed.id {
        found.push(ActionId {
            id: id.value.clone(),
            text: parsed.text,
        });
    }
}

/// Columns of leading whitespace, a tab counting as four.
fn indentation(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// `(level, title)` of an ATX heading line (without its indentation).
fn atx_heading(rest: &str) -> Option<(usize, &str)> {
    let level = rest.chars().take_while(|c| *c == '#').count();
    let after = &rest[level..];
    if !(1..=6).contains(&level) || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let title = after.trim();
    let without_closing = title.trim_end_matches('#');
    let title = if without_closing.is_empty() || without_closing.ends_with([' ', '\t']) {
        without_closing
    } else {
        title
    };
    Some((level, title))
}

/// The level of a setext heading underline (`===` is 1, `---` is 2), for a
/// line without its indentation.
fn setext_underline(rest: &str) -> Option<usize> {
    let line = rest.trim_end();
    let ch = line.chars().next()?;
    let level = match ch {
        '=' => 1,
        '-' => 2,
        _ => return None,
    };
    line.chars().all(|c| c == ch).then_some(level)
}

/// Whether a line (without its indentation) is a thematic break: three or
/// more `-`, `*` or `_`, and nothing else but spaces and tabs.
fn is_thematic_break(rest: &str) -> bool {
    let Some(ch) = rest.chars().next().filter(|c| matches!(c, '-' | '*' | '_')) else {
        return false;
    };
    rest.chars().all(|c| c == ch || c == ' ' || c == '\t')
        && rest.chars().filter(|c| *c == ch).count() >= 3
}

/// The fence character and length of a line opening a fenced code block.
fn opens_fence(rest: &str) -> Option<(char, usize)> {
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    (len >= 3 && !(ch == '`' && rest[len..].contains('`'))).then_some((ch, len))
}

fn closes_fence(line: &str, ch: char, len: usize) -> bool {
    let rest = line.trim_start();
    let run = rest.chars().take_while(|c| *c == ch).count();
    indentation(line) <= 3 && run >= len && rest[run..].trim().is_empty()
}

/// The width of a list marker and its following spaces, and the content
/// after them: `- `, `* `, `+ `, `1. `, `1) `.
fn list_marker(rest: &str) -> Option<(usize, &str)> {
    let digits = rest
        .chars()
        .take_while(char::is_ascii_digit)
        .count()
        .min(10);
    let marker = match rest.as_bytes().first()? {
        b'-' | b'*' | b'+' => 1,
        _ if (1..=9).contains(&digits)
            && matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) =>
        {
            digits + 1
        }
        _ => return None,
    };
    let after = &rest[marker..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let content = after.trim_start();
    let spaces = (after.len() - content.len()).clamp(1, 4);
    Some((marker + spaces, content))
}

/// The text after a task box (`[ ]`, `[x]`, `[X]`), or `None` when the item
/// has no box.
fn task_text(content: &str) -> Option<&str> {
    let rest = content
        .strip_prefix("[ ]")
        .or_else(|| content.strip_prefix("[x]"))
        .or_else(|| content.strip_prefix("[X]"))?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then(|| rest.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "+++\nid = \"x\"\n+++\n\n## Action items\n\n\
- [ ] Add a `canary`  stage\n  to cache deploys (owner: @alice, id: A-1)\n\
- [x] Roll back *cache* (owner: @bob, kind: fix)\n  - [ ] nested (id: N)\n\
 - [ ] sibling (id: S)\n\
1. [ ] ordered (id: O)\n\
- plain item (id: P)\n\
* [X] star\nlazy continuation (ID: L)\n\n\
- [ ] loose item (id: Q)\n\n  second paragraph (id: R)\n\n\
```\n- [ ] fenced (id: F)\n## Other\n```\n\
- [ ] after the fence (owner: a, id : G)\n\n\
## Other\n- [ ] elsewhere (id: E)\n\n\
### Action items\n- [ ] a level-3 heading is not a section (id: H)\n\n\
## Action items ##\n- [ ] closing hashes (id: C)\n";

    fn scanned(text: &str) -> Vec<(String, String)> {
        Scanner::new(&Config::default())
            .scan(text)
            .into_iter()
            .map(|a| (a.id, a.text))
            .collect()
    }

    /// The scan finds what the parser finds.
    #[test]
    fn agrees_with_the_parser() {
        let config = Config::default();
        let pm = crate::parse::parse("x.md".into(), SAMPLE.into(), &config);
        let parsed: Vec<(String, String)> = pm
            .actions
            .iter()
            .filter(|a| a.is_task)
            .filter_map(|a| Some((a.id.as_ref()?.value.clone(), a.text.clone())))
            .collect();
        assert_eq!(scanned(SAMPLE), parsed);
        let ids: Vec<String> = parsed.into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["A-1", "S", "O", "L", "Q", "G", "C"]);
    }

    #[test]
    fn text_is_the_item_text() {
        assert_eq!(
            scanned(SAMPLE)[0],
            (
                "A-1".into(),
                "Add a `canary`  stage to cache deploys".into()
            )
        );
    }

    #[test]
    fn aliases_name_the_section() {
        let mut config = Config::default();
        config
            .sections
            .aliases
            .insert("Action items".into(), vec!["Follow-ups".into()]);
        let text = "## Follow-ups:\n- [ ] x (id: X)\n";
        assert_eq!(Scanner::new(&config).scan(text).len(), 1);
        assert!(scanned(text).is_empty());
    }

    #[test]
    fn no_body_without_a_closed_front_matter() {
        assert!(scanned("+++\nid = \"x\"\n## Action items\n- [ ] x (id: X)\n").is_empty());
    }
}
