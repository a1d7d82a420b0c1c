//! Positions as the protocol counts them (0-based lines, UTF-16 code units)
//! and `file:` URIs.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::model::{Source, Span};

/// Converts between byte offsets of a [`Source`] and protocol positions of
/// the editor's text, which still holds the byte-order mark that `Source`
/// leaves out.
pub struct Lines<'a> {
    source: &'a Source,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a Source) -> Lines<'a> {
        Lines { source }
    }

    pub fn position(&self, offset: usize) -> Position {
        let text = &self.source.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.source.line_of(offset);
        let start = self.source.line_start(line);
        let mut character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        if line == 1 && self.source.has_bom {
            character += 1;
        }
        Position::new(to_u32(line - 1), to_u32(character))
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `position`, clamped to its line.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize + 1;
        if line > self.source.line_count() {
            return self.source.text.len();
        }
        let start = self.source.line_start(line);
        let text = self.source.line_text(line);
        let mut units = position.character as usize;
        if line == 1 && self.source.has_bom {
            units = units.saturating_sub(1);
        }
        let mut counted = 0;
        for (at, c) in text.char_indices() {
            if counted >= units {
                return start + at;
            }
            counted += c.len_utf16();
        }
        start + text.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The local path of a `file:` URI; `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    let decoded = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` on Windows.
    let decoded = match decoded.as_bytes() {
        [b'/', drive, b':', ..] if cfg!(windows) && drive.is_ascii_alphabetic() => {
            decoded[1..].to_owned()
        }
        _ => decoded,
    };
    Some(PathBuf::from(decoded))
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Uri {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&uri).expect("a percent-encoded path is a valid URI")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_the_bom() {
        let source = Source::new("\u{feff}é😀x\nab".to_owned());
        let lines = Lines::new(&source);
        let x = source.text.find('x').unwrap();
        // BOM (1) + é (1) + 😀 (2)
        assert_eq!(lines.position(x), Position::new(0, 4));
        assert_eq!(lines.offset(Position::new(0, 4)), x);
        assert_eq!(lines.position(source.text.len()), Position::new(1, 2));
        assert_eq!(lines.offset(Position::new(1, 99)), source.text.len());
        assert_eq!(lines.offset(Position::new(7, 0)), source.text.len());
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a b/ç#1.md");
        let uri = uri_of(path);
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%A7%231.md");
        assert_eq!(path_of(&uri).as_deref(), Some(path));
    }
}
