//! The text of one file and the mapping from byte offsets to the line and
//! column numbers that editors show.

use std::ops::Range;

/// A half-open byte range into [`Source::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// The same span moved `by` bytes forward (for spans found in a slice).
    pub fn offset(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }
}

/// A 1-based line and a 1-based column counted in Unicode scalar values, as
/// editors and rustc report them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The decoded text of a postmortem. A leading UTF-8 byte-order mark is
/// remembered but kept out of `text`, so that offsets and columns match what
/// an editor shows; CRLF line endings are kept as they are.
#[derive(Debug, Clone)]
pub struct Source {
    pub text: String,
    pub has_bom: bool,
    line_starts: Vec<usize>,
}

pub const BOM: &str = "\u{feff}";

impl Source {
    /// The file's bytes as read: the text with its byte-order mark.
    pub fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        if self.has_bom {
            std::borrow::Cow::Owned([BOM, &self.text].concat().into_bytes())
        } else {
            std::borrow::Cow::Borrowed(self.text.as_bytes())
        }
    }

    /// The text as read, with its byte-order mark, to be parsed again.
    pub fn into_original(self) -> String {
        if self.has_bom {
            [BOM, &self.text].concat()
        } else {
            self.text
        }
    }

    pub fn new(text: String) -> Source {
        let (text, has_bom) = match text.strip_prefix(BOM) {
            Some(rest) => (rest.to_owned(), true),
            None => (text, false),
        };
        let line_starts = std::iter::once(0)
            .chain(newline_offsets(&text).map(|i| i + 1))
            .collect();
        Source {
            text,
            has_bom,
            line_starts,
        }
    }

    /// The file's line ending, taken from its first line: text that pmbook
    /// inserts uses it, so that a CRLF file stays CRLF.
    pub fn line_ending(&self) -> &'static str {
        match self.text.find('\n') {
            Some(i) if self.text[..i].ends_with('\r') => "\r\n",
            _ => "\n",
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte offset where 1-based `line` starts (clamped to the end).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// Line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column = self.text[start..offset].chars().count() + 1;
        Position { line, column }
    }

    /// The text of 1-based `line` without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self.line_start(line + 1);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Converts a comrak position (1-based line, 1-based byte column) into a
    /// byte offset.
    pub fn offset_of(&self, line: usize, byte_column: usize) -> usize {
        let offset = self.line_start(line) + byte_column.saturating_sub(1);
        self.floor_char_boundary(offset.min(self.text.len()))
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The smallest span covering whole lines around `span`, for snippets.
    pub fn line_span(&self, span: Span) -> Span {
        let first = self.line_of(span.start);
        let last = self.line_of(span.end.saturating_sub(1).max(span.start));
        let end = self.line_start(last + 1);
        Span::new(self.line_start(first), end)
    }
}

fn newline_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_not_part_of_the_text_and_columns_count_characters() {
        let src = Source::new("\u{feff}ab\r\nçé x\n".to_owned());
        assert!(src.has_bom);
        assert_eq!(src.text, "ab\r\nçé x\n");
        assert_eq!(src.position(0), Position { line: 1, column: 1 });
        let x = src.text.find('x').unwrap();
        assert_eq!(src.position(x), Position { line: 2, column: 4 });
        assert_eq!(src.line_text(1), "ab");
        assert_eq!(src.line_count(), 3);
        assert_eq!(src.line_ending(), "\r\n");
        assert_eq!(Source::new("a\nb\r\n".to_owned()).line_ending(), "\n");
        assert_eq!(Source::new("one line".to_owned()).line_ending(), "\n");
    }
}
