//! The TOML front-matter between `+++` lines: located, parsed with spans, and
//! read into typed fields. Type mistakes are recorded, not fatal, so that one
//! wrong field does not hide the others.

use jiff::civil;
use jiff::tz::Offset;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::model::{DateTime, Field, FrontMatter, FrontMatterProblem, Slo, Span, TypeError};

pub const DELIMITER: &str = "+++";

/// The front-matter fields pmbook reads.
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "status",
    "severity",
    "services",
    "tags",
    "authors",
    "started_at",
    "detected_at",
    "acknowledged_at",
    "mitigated_at",
    "resolved_at",
    "review_at",
    "trigger",
    "caused_by_change",
    "root_cause_category",
    "related",
    "visibility",
    "slo",
    "unconfirmed",
    "imported_from",
    "extra",
];

/// The keys of an `[slo]` table, as reported (`slo.name`).
pub const SLO_FIELDS: &[&str] = &["slo.name", "slo.budget_consumed"];

/// Where the front-matter block sits in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// The TOML between the delimiter lines.
    pub inner: Span,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the `+++` block at the very start of `text`.
pub fn locate(text: &str) -> Result<Block, FrontMatterProblem> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first_line = &text[..first_line_end];
    if first_line.trim_end() != DELIMITER {
        return Err(FrontMatterProblem::Missing {
            looks_like_yaml: first_line.trim_end() == "---",
        });
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end() == DELIMITER {
            return Ok(Block {
                inner: Span::new(first_line_end, offset),
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(FrontMatterProblem::Unterminated {
        open: Span::new(0, first_line.trim_end().len()),
    })
}

/// Parses the TOML of `block` into typed fields.
pub fn parse(text: &str, block: Block) -> Result<FrontMatter, FrontMatterProblem> {
    let toml_text = &text[block.inner.range()];
    let base = block.inner.start;
    let table = DeTable::parse(toml_text).map_err(|e| {
        let span = e
            .span()
            .map_or(block.inner, |r| Span::new(r.start, r.end).offset(base));
        FrontMatterProblem::Toml {
            span,
            message: e.message().trim().to_owned(),
        }
    })?;
    let mut reader = Reader {
        base,
        fm: FrontMatter {
            span: block.inner,
            ..FrontMatter::default()
        },
    };
    let mut entries: Vec<_> = table.get_ref().iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in entries {
        reader.field(key.get_ref(), reader.span(key.span()), value);
    }
    Ok(reader.fm)
}

/// The `id` of a postmortem, read cheaply (no full TOML parse): enough for
/// cross-file checks of the files that are not being linted.
pub fn scan_id(text: &str) -> Option<String> {
    let text = text.strip_prefix(crate::model::source::BOM).unwrap_or(text);
    let block = locate(text).ok()?;
    for line in text[block.inner.range()].lines() {
        let line = line.trim();
        if line.starts_with('[') {
            return None;
        }
        let is_id = ["id", "\"id\"", "'id'"].iter().any(|key| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        if is_id {
            let table = DeTable::parse(line).ok()?;
            return match table.get_ref().get("id")?.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            };
        }
    }
    None
}

/// The ids in `related`, read from the front-matter alone (no Markdown
/// parse): what the hooks need to find the postmortems that a deleted or
/// renamed one leaves with a dangling reference. Empty when the
/// front-matter is missing or is not valid TOML (the file's own lint says
/// why).
pub fn scan_related(text: &str) -> Vec<String> {
    let text = text.strip_prefix(crate::model::source::BOM).unwrap_or(text);
    let Ok(block) = locate(text) else {
        return Vec::new();
    };
    if !text[block.inner.range()].contains("related") {
        return Vec::new();
    }
    let Ok(table) = DeTable::parse(&text[block.inner.range()]) else {
        return Vec::new();
    };
    match table.get_ref().get("related").map(|v| v.get_ref()) {
        Some(DeValue::Array(items)) => items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

struct Reader {
    base: usize,
    fm: FrontMatter,
}

type Value<'a> = Spanned<DeValue<'a>>;

impl Reader {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(range.start, range.end).offset(self.base)
    }

    fn field(&mut self, key: &str, key_span: Span, value: &Value<'_>) {
        self.fm.keys.push(Field::new(key.to_owned(), key_span));
        match key {
            "id" => self.fm.id = self.string(key, value),
            "title" => self.fm.title = self.string(key, value),
            "status" => self.fm.status = self.string(key, value),
            "severity" => self.fm.severity = self.string(key, value),
            "services" => self.fm.services = self.string_list(key, value),
            "tags" => self.fm.tags = self.string_list(key, value),
            "authors" => self.fm.authors = self.string_list(key, value),
            "started_at" => self.fm.started_at = self.datetime(key, value),
            "detected_at" => self.fm.detected_at = self.datetime(key, value),
            "acknowledged_at" => self.fm.acknowledged_at = self.datetime(key, value),
            "mitigated_at" => self.fm.mitigated_at = self.datetime(key, value),
            "resolved_at" => self.fm.resolved_at = self.datetime(key, value),
            "review_at" => self.fm.review_at = self.datetime(key, value),
            "trigger" => self.fm.trigger = self.string(key, value),
            "caused_by_change" => self.fm.caused_by_change = self.boolean(key, value),
            "root_cause_category" => self.fm.root_cause_category = self.string(key, value),
            "related" => self.fm.related = self.string_list(key, value),
            "visibility" => self.fm.visibility = self.string(key, value),
            "slo" => self.fm.slo = self.slos(value),
            "unconfirmed" => self.fm.unconfirmed = self.string_list(key, value),
            "imported_from" => self.fm.imported_from = self.string(key, value),
            "extra" => self.table(key, value),
            _ => {}
        }
    }

    fn type_error(
        &mut self,
        key: &str,
        value: &Value<'_>,
        expected: &'static str,
        help: Option<String>,
    ) {
        self.fm.type_errors.push(TypeError {
            key: key.to_owned(),
            span: self.span(value.span()),
            expected,
            found: describe(value.get_ref()),
            help,
        });
    }

    fn string(&mut self, key: &str, value: &Value<'_>) -> Option<Field<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Field::new(s.to_string(), self.span(value.span()))),
            _ => {
                self.type_error(key, value, "a string", None);
                None
            }
        }
    }

    fn string_list(&mut self, key: &str, value: &Value<'_>) -> Option<Field<Vec<Field<String>>>> {
        let span = self.span(value.span());
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => {
                            list.push(Field::new(s.to_string(), self.span(item.span())))
                        }
                        _ => self.type_error(key, item, "a string", None),
                    }
                }
                Some(Field::new(list, span))
            }
            DeValue::String(s) => {
                let help = format!("write a list: {key} = [\"{s}\"]");
                self.type_error(key, value, "an array of strings", Some(help));
                None
            }
            _ => {
                self.type_error(key, value, "an array of strings", None);
                None
            }
        }
    }

    /// `extra` holds whatever the team keeps; it only has to be a table.
    fn table(&mut self, key: &str, value: &Value<'_>) {
        if !matches!(value.get_ref(), DeValue::Table(_)) {
            self.type_error(key, value, "a table", None);
        }
    }

    fn boolean(&mut self, key: &str, value: &Value<'_>) -> Option<Field<bool>> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Field::new(*b, self.span(value.span()))),
            DeValue::String(s) if s == "true" || s == "false" => {
                let help = format!("remove the quotes: {key} = {s}");
                self.type_error(key, value, "a boolean", Some(help));
                None
            }
            _ => {
                self.type_error(key, value, "a boolean", None);
                None
            }
        }
    }

    fn datetime(&mut self, key: &str, value: &Value<'_>) -> Option<Field<DateTime>> {
        const EXPECTED: &str = "a date-time with an offset, like 2026-11-03T09:12:00Z";
        let help = match value.get_ref() {
            DeValue::Datetime(dt) => match to_datetime(dt) {
                Some(parsed) => return Some(Field::new(parsed, self.span(value.span()))),
                None if dt.date.is_some() && dt.time.is_some() => {
                    format!("add `Z` for UTC or an offset: {key} = {dt}Z")
                }
                None => "give the date, the time and the offset".to_owned(),
            },
            DeValue::String(s) if s.parse::<toml::value::Datetime>().is_ok() => {
                format!("remove the quotes: {key} = {s}")
            }
            _ => "TOML date-times are written bare, without quotes".to_owned(),
        };
        self.type_error(key, value, EXPECTED, Some(help));
        None
    }

    /// `[slo]` (one table) or `[[slo]]` (several).
    fn slos(&mut self, value: &Value<'_>) -> Vec<Field<Slo>> {
        match value.get_ref() {
            DeValue::Table(table) => self.slo(table, value).into_iter().collect(),
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| match item.get_ref() {
                    DeValue::Table(table) => self.slo(table, item),
                    _ => {
                        self.type_error("slo", item, "a table", None);
                        None
                    }
                })
                .collect(),
            _ => {
                self.type_error("slo", value, "a table", None);
                Vec::new()
            }
        }
    }

    fn slo(&mut self, table: &DeTable<'_>, value: &Value<'_>) -> Option<Field<Slo>> {
        let mut slo = Slo::default();
        for (key, item) in table.iter() {
            let key_span = self.span(key.span());
            let path = format!("slo.{}", key.get_ref());
            match key.get_ref().as_ref() {
                "name" => slo.name = self.string(&path, item),
                "budget_consumed" => match item.get_ref() {
                    DeValue::Float(_) | DeValue::Integer(_) => {
                        let text = number_text(item.get_ref());
                        match text.parse::<f64>() {
                            Ok(n) => {
                                slo.budget_consumed = Some(Field::new(n, self.span(item.span())))
                            }
                            Err(_) => self.type_error(&path, item, "a number", None),
                        }
                    }
                    _ => self.type_error(&path, item, "a number between 0 and 1", None),
                },
                _ => self.fm.keys.push(Field::new(path, key_span)),
            }
        }
        Some(Field::new(slo, self.span(value.span())))
    }
}

fn number_text(value: &DeValue<'_>) -> String {
    match value {
        DeValue::Float(f) => f.as_str().replace('_', ""),
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('_', ""),
        _ => String::new(),
    }
}

fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Datetime(dt) if dt.offset.is_none() => format!("the local date-time {dt}"),
        other => other.type_str().to_owned(),
    }
}

/// A TOML offset date-time as a [`DateTime`]; `None` without a date, a time
/// or an offset.
fn to_datetime(dt: &toml::value::Datetime) -> Option<DateTime> {
    let (date, time, offset) = (dt.date?, dt.time?, dt.offset?);
    let offset = match offset {
        toml::value::Offset::Z => Offset::UTC,
        toml::value::Offset::Custom { minutes } => {
            Offset::from_seconds(i32::from(minutes) * 60).ok()?
        }
    };
    let civil = civil::DateTime::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
        i8::try_from(time.hour).ok()?,
        i8::try_from(time.minute).ok()?,
        i8::try_from(time.second.unwrap_or(0).min(59)).ok()?,
        i32::try_from(time.nanosecond.unwrap_or(0)).ok()?,
    )
    .ok()?;
    let timestamp = offset.to_timestamp(civil).ok()?;
    Some(DateTime { timestamp, offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_block_with_crlf() {
        let text = "+++\r\nid = \"a\"\r\n+++\r\n# Body\r\n";
        let block = locate(text).unwrap();
        assert_eq!(&text[block.inner.range()], "id = \"a\"\r\n");
        assert_eq!(&text[block.body_start..], "# Body\r\n");
    }

    #[test]
    fn unterminated_and_missing() {
        assert!(matches!(
            locate("+++\nid = 1\n"),
            Err(FrontMatterProblem::Unterminated { .. })
        ));
        assert_eq!(
            locate("---\ntitle: x\n---\n"),
            Err(FrontMatterProblem::Missing {
                looks_like_yaml: true
            })
        );
        assert_eq!(
            locate(""),
            Err(FrontMatterProblem::Missing {
                looks_like_yaml: false
            })
        );
    }

    #[test]
    fn toml_error_is_reported_at_its_file_offset() {
        let text = "+++\nid = \"a\"\ntitle = \n+++\n";
        let block = locate(text).unwrap();
        let Err(FrontMatterProblem::Toml { span, .. }) = parse(text, block) else {
            panic!("expected a TOML error");
        };
        assert!(span.start >= text.find("title").unwrap());
    }

    #[test]
    fn scans_the_id_without_a_full_parse() {
        let text = "\u{feff}+++\ntitle = \"x\"\nid = \"a-1\" # comment\n[slo]\nid = \"no\"\n+++\n";
        assert_eq!(scan_id(text).as_deref(), Some("a-1"));
        assert_eq!(scan_id("+++\n[slo]\nid = \"no\"\n+++\n"), None);
    }

    #[test]
    fn quoted_datetime_is_a_type_error_with_a_fix() {
        let text = "+++\nstarted_at = \"2026-11-03T09:12:00Z\"\n+++\n";
        let fm = parse(text, locate(text).unwrap()).unwrap();
        assert!(fm.started_at.is_none());
        let help = fm.type_errors[0].help.as_deref().unwrap();
        assert_eq!(help, "remove the quotes: started_at = 2026-11-03T09:12:00Z");
    }
}
