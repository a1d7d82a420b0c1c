//! The front-matter of an existing postmortem (YAML between `---` lines,
//! TOML between `+++` lines, or none) mapped to pmbook fields. Keys pmbook
//! has no field for are kept, as they were, for `[extra]`.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;
use toml::{Table, Value};

use super::Note;
use crate::config::Config;

/// The keys of the original, in its order, and where its body starts.
pub struct Original {
    pub keys: Vec<(String, Value)>,
    pub body_start: usize,
}

/// Splits the front-matter off `text`; an error names the line and column.
pub fn split(text: &str) -> Result<Original, String> {
    let none = Original {
        keys: Vec::new(),
        body_start: 0,
    };
    let first = text.lines().next().unwrap_or_default().trim_end();
    let delimiter = match first {
        "---" => "---",
        "+++" => "+++",
        _ => return Ok(none),
    };
    let open = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = open;
    for line in text[open..].split_inclusive('\n') {
        if line.trim_end() == delimiter {
            let inner = &text[open..offset];
            let body_start = offset + line.len();
            let keys = if delimiter == "---" {
                yaml(inner, text[..open].lines().count())?
            } else {
                toml_keys(inner, text[..open].lines().count())?
            };
            return Ok(Original { keys, body_start });
        }
        offset += line.len();
    }
    Err(format!(
        "1:1: the front-matter opened by `{delimiter}` is not closed"
    ))
}

fn yaml(inner: &str, lines_before: usize) -> Result<Vec<(String, Value)>, String> {
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(inner).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((1, 1), |l| (l.line() + lines_before, l.column()));
        format!("{line}:{col}: the YAML front-matter is not valid: {e}")
    })?;
    match value {
        serde_yaml_ng::Value::Mapping(map) => Ok(map
            .into_iter()
            .filter_map(|(k, v)| Some((yaml_key(k), from_yaml(v)?)))
            .collect()),
        serde_yaml_ng::Value::Null => Ok(Vec::new()),
        _ => Err(format!(
            "{}:1: the YAML front-matter is not a mapping of keys to values",
            lines_before + 1
        )),
    }
}

fn yaml_key(key: serde_yaml_ng::Value) -> String {
    match key {
        serde_yaml_ng::Value::String(s) => s,
        other => serde_yaml_ng::to_string(&other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// YAML as TOML; a null (which TOML cannot hold) is left out.
fn from_yaml(value: serde_yaml_ng::Value) -> Option<Value> {
    use serde_yaml_ng::Value as Y;
    Some(match value {
        Y::Null => return None,
        Y::Bool(b) => Value::Boolean(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64()?),
        },
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().filter_map(from_yaml).collect()),
        Y::Mapping(map) => Value::Table(
            map.into_iter()
                .filter_map(|(k, v)| Some((yaml_key(k), from_yaml(v)?)))
                .collect(),
        ),
        Y::Tagged(tagged) => return from_yaml(tagged.value),
    })
}

fn toml_keys(inner: &str, lines_before: usize) -> Result<Vec<(String, Value)>, String> {
    let table: Table = inner.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map_or(1, |s| inner[..s.start].lines().count().max(1));
        format!(
            "{}:1: the TOML front-matter is not valid: {}",
            line + lines_before,
            e.message()
        )
    })?;
    let mut keys: Vec<(String, Value)> = table.into_iter().collect();
    keys.sort_by_key(|(k, _)| inner.find(k.as_str()).unwrap_or(usize::MAX));
    Ok(keys)
}

/// The pmbook fields made from the original's keys.
#[derive(Default)]
pub struct Mapped {
    pub title: Option<String>,
    pub id: Option<String>,
    pub severity: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// `(field, TOML offset date-time)`, in milestone order.
    pub times: Vec<(&'static str, String)>,
    pub extra: Table,
    /// A day the original gives, and a note when it may not be the
    /// incident's day.
    pub day: Option<(Date, Option<String>)>,
}

const TIME_KEYS: &[(&str, &[&str])] = &[
    (
        "started_at",
        &[
            "started_at",
            "start",
            "started",
            "start_time",
            "incident_start",
            "impact_start",
            "begin",
        ],
    ),
    (
        "detected_at",
        &[
            "detected_at",
            "detected",
            "detection",
            "detection_time",
            "detect_time",
        ],
    ),
    (
        "acknowledged_at",
        &["acknowledged_at", "acknowledged", "ack"],
    ),
    (
        "mitigated_at",
        &["mitigated_at", "mitigated", "mitigation_time"],
    ),
    (
        "resolved_at",
        &[
            "resolved_at",
            "resolved",
            "end",
            "ended",
            "ended_at",
            "end_time",
            "resolution_time",
        ],
    ),
];

pub fn map(keys: Vec<(String, Value)>, config: &Config, notes: &mut Vec<Note>) -> Mapped {
    let mut out = Mapped::default();
    for (key, value) in keys {
        let name = key.to_lowercase().replace('-', "_");
        let text = scalar(&value);
        match name.as_str() {
            "title" | "name" | "headline" if text.is_some() => out.title = text,
            "id" | "slug" if text.is_some() => {
                out.id = text;
                out.extra.insert(key, value);
            }
            "author" | "authors" | "auteur" | "auteurs" => out.authors.extend(list(&value)),
            "tags" | "tag" | "keywords" | "categories" | "category" | "labels" => {
                for tag in list(&value) {
                    if !out.tags.contains(&tag) {
                        out.tags.push(tag);
                    }
                }
            }
            "service" | "services" | "product" | "products" | "component" | "components"
            | "system" | "systems" => out.services.extend(list(&value)),
            "severity" | "sev" | "priority" | "level" if text.is_some() => {
                let original = text.unwrap_or_default();
                match severity(&original, config) {
                    Some(sev) => {
                        notes.push(Note::info(format!("severity `{original}` read as `{sev}`")));
                        out.severity = Some(sev);
                    }
                    None => notes.push(Note::todo(format!(
                        "severity `{original}` is not one pmbook can map: set `severity` (see `[import] severity`)"
                    ))),
                }
                out.extra.insert(key, value);
            }
            // Zola keeps its own `[extra]` and `[taxonomies]`.
            "extra" if matches!(value, Value::Table(_)) => {
                if let Value::Table(table) = value {
                    for (k, v) in table {
                        out.extra.entry(k).or_insert(v);
                    }
                }
            }
            "taxonomies" if matches!(value, Value::Table(_)) => {
                if let Value::Table(table) = &value {
                    for tag in ["tags", "categories"]
                        .iter()
                        .filter_map(|k| table.get(*k))
                        .flat_map(list)
                    {
                        if !out.tags.contains(&tag) {
                            out.tags.push(tag);
                        }
                    }
                }
                out.extra.insert(key, value);
            }
            "date" | "incident_date" => {
                if let Some(day) = text
                    .as_deref()
                    .and_then(|t| t.get(..10))
                    .and_then(|t| t.parse().ok())
                {
                    out.day = Some((
                        day,
                        Some(format!(
                            "the day of timeline entries without a date is taken from `{key}` ({day}), which may be the day the original was published: check it"
                        )),
                    ));
                }
                out.extra.insert(key, value);
            }
            _ => match TIME_KEYS
                .iter()
                .find(|(_, names)| names.contains(&name.as_str()))
            {
                Some((field, _)) if out.times.iter().all(|(f, _)| f != field) => {
                    match time(&value) {
                        Some(at) => out.times.push((field, at)),
                        None => {
                            notes.push(Note::todo(format!(
                                "`{key}` has no zone or offset, so it is not an instant: it is kept under `[extra]`; set `{field}`"
                            )));
                            out.extra.insert(key, value);
                        }
                    }
                }
                _ => {
                    out.extra.insert(key, value);
                }
            },
        }
    }
    out.times
        .sort_by_key(|(f, _)| TIME_KEYS.iter().position(|(k, _)| k == f));
    if let (None, Some((_, at))) = (&out.day, out.times.first()) {
        out.day = at.get(..10).and_then(|d| d.parse().ok()).map(|d| (d, None));
    }
    out
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Integer(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Boolean(b) => Some(b.to_string()),
        Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

/// A list, or a comma-separated string.
fn list(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other)
            .map(|s| {
                s.split(',')
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:\.[0-9]+)?\s*(Z|UTC|[+-][0-9]{2}:?[0-9]{2})$")
        .expect("valid pattern")
});

/// An instant as a TOML offset date-time at the offset it was written with:
/// RFC 3339 (or with a space, as Jekyll writes it) or epoch seconds.
fn time(value: &Value) -> Option<String> {
    if let Value::Integer(seconds) = value {
        let at = jiff::Timestamp::from_second(*seconds).ok()?;
        return Some(at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
    let text = scalar(value)?;
    let caps = DATE_TIME.captures(text.trim())?;
    let offset = match &caps[5] {
        "Z" | "UTC" => "Z".to_owned(),
        o if o.contains(':') => o.to_owned(),
        o => format!("{}:{}", &o[..3], &o[3..]),
    };
    let written = format!(
        "{}T{:0>2}:{}:{}{offset}",
        &caps[1],
        &caps[2],
        &caps[3],
        caps.get(4).map_or("00", |m| m.as_str())
    );
    written.parse::<jiff::Timestamp>().ok().map(|_| written)
}

/// The configured severity a value of the original stands for: through
/// `[import] severity` first, then `P1`, `Sev-1`, `1`, `critical`.
pub fn severity(original: &str, config: &Config) -> Option<String> {
    let severities = &config.lint.severities;
    if let Some((_, to)) = config
        .import
        .severity
        .iter()
        .find(|(from, _)| from.eq_ignore_ascii_case(original))
    {
        return Some(to.clone());
    }
    if let Some(same) = severities.iter().find(|s| s.eq_ignore_ascii_case(original)) {
        return Some(same.clone());
    }
    let key: String = original
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let rank = match key.as_str() {
        "critical" | "blocker" => 1,
        "high" | "major" => 2,
        "medium" | "moderate" => 3,
        "low" | "minor" => 4,
        _ => {
            let digits = ["severity", "sev", "priority", "p", "s"]
                .iter()
                .find_map(|p| key.strip_prefix(p).filter(|d| d.parse::<usize>().is_ok()))
                .unwrap_or(&key);
            digits.parse::<usize>().ok().filter(|n| *n >= 1)?
        }
    };
    severities.get(rank - 1).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_of_other_scales() {
        let config = Config::default();
        for (from, to) in [
            ("P1", "SEV1"),
            ("Sev-2", "SEV2"),
            ("critical", "SEV1"),
            ("3", "SEV3"),
            ("sev4", "SEV4"),
        ] {
            assert_eq!(severity(from, &config).as_deref(), Some(to), "{from}");
        }
        assert_eq!(severity("P9", &config), None);
        assert_eq!(severity("whatever", &config), None);
    }

    #[test]
    fn times_keep_their_offset() {
        let v = |s: &str| Value::String(s.to_owned());
        assert_eq!(
            time(&v("2023-07-19 10:00:00 -0700")).as_deref(),
            Some("2023-07-19T10:00:00-07:00")
        );
        assert_eq!(
            time(&v("2023-07-19T10:00Z")).as_deref(),
            Some("2023-07-19T10:00:00Z")
        );
        assert_eq!(
            time(&Value::Integer(1_689_760_800)).as_deref(),
            Some("2023-07-19T10:00:00Z")
        );
        assert_eq!(time(&v("2023-07-19 10:00")), None);
    }
}
