//! JSON Schemas (2020-12) of the two files people write: a postmortem's
//! front-matter and `pmbook.toml`. They are generated from Rust types — for
//! the config, the very types serde reads — so that editors can complete and
//! check both files and the schemas cannot drift from what pmbook accepts;
//! `schema/` holds the committed copies.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde_json::Value;

use crate::config::Config;
use crate::lint::registry::RULES;
use crate::lint::rules::id_format;

/// The schema of a postmortem's front-matter.
pub fn postmortem() -> Schema {
    generate::<FrontMatterSchema>()
}

/// The schema of `pmbook.toml`. `[lint.rules]` is a map to levels for
/// serde; the schema lists each rule id with the rule's summary instead,
/// so that editors complete the ids.
pub fn config() -> Schema {
    let mut schema = generate::<Config>();
    let rules = schema
        .as_object_mut()
        .and_then(|root| root.get_mut("$defs"))
        .and_then(|defs| defs.pointer_mut("/LintConfig/properties/rules"))
        .and_then(Value::as_object_mut)
        .expect("the config schema describes [lint.rules]");
    let level = rules
        .remove("additionalProperties")
        .expect("[lint.rules] maps rule ids to levels");
    let properties: serde_json::Map<String, Value> = RULES
        .iter()
        .map(|rule| {
            let mut schema = serde_json::Map::new();
            schema.insert("description".into(), rule.summary().into());
            if let Value::Object(level) = &level {
                schema.extend(level.clone());
            }
            (rule.id.to_owned(), Value::Object(schema))
        })
        .collect();
    rules.insert("properties".into(), Value::Object(properties));
    rules.insert("additionalProperties".into(), Value::Bool(false));
    schema
}

fn generate<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .with_transform(ForToml)
        .into_generator()
        .into_root_schema_for::<T>()
}

/// The TOML front-matter of a postmortem, between the `+++` lines, as pmbook
/// reads it. Which severities, statuses and root-cause categories are allowed
/// depends on `pmbook.toml`; this schema states the defaults in descriptions
/// only, and requires the fields required by default.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "pmbook postmortem front-matter")]
pub struct FrontMatterSchema {
    /// Unique id of the incident across the repository: lowercase letters,
    /// digits and dashes, at most 100 characters. The file name without
    /// `.md` is a good choice.
    #[schemars(regex(pattern = id_format::PATTERN))]
    pub id: String,
    /// One-line title.
    #[schemars(length(min = 1))]
    pub title: String,
    /// One of `[lint] statuses` (default `draft`, `in-review`, `published`);
    /// the first is the draft state.
    pub status: String,
    /// One of `[lint] severities` (default `SEV1`, the worst, to `SEV4`).
    pub severity: String,
    /// Services affected.
    pub services: Vec<String>,
    /// Free-form tags.
    pub tags: Option<Vec<String>>,
    /// Who wrote the postmortem.
    pub authors: Option<Vec<String>>,
    /// When the incident began (not when it was noticed).
    pub started_at: OffsetDateTime,
    /// When it was detected: an alert fired or someone noticed.
    pub detected_at: OffsetDateTime,
    /// When a responder acknowledged it.
    pub acknowledged_at: Option<OffsetDateTime>,
    /// When the impact stopped.
    pub mitigated_at: Option<OffsetDateTime>,
    /// When the incident was resolved.
    pub resolved_at: OffsetDateTime,
    /// When the blameless review was held; expected 24–72 h after
    /// `resolved_at` (`[lint] review_window_hours`).
    pub review_at: Option<OffsetDateTime>,
    /// What set the incident off (`deploy`, `config change`, `traffic`, …).
    pub trigger: Option<String>,
    /// Whether a change (deploy, configuration, migration) caused the
    /// incident; counts toward the change failure rate.
    pub caused_by_change: Option<bool>,
    /// One of `[lint] root_cause_categories` (default `people`, `process`,
    /// `tooling`, `code`, `infrastructure`, `external`).
    pub root_cause_category: Option<String>,
    /// Ids of related postmortems; each must exist in the repository.
    pub related: Option<Vec<String>>,
    /// Who may read the postmortem.
    pub visibility: Option<Visibility>,
    /// Service-level objectives the incident burned budget of: one `[slo]`
    /// table, or several `[[slo]]` tables.
    pub slo: Option<Slos>,
    /// Fields whose value is not confirmed yet, such as the facts an
    /// imported postmortem did not give; allowed in drafts only.
    pub unconfirmed: Option<Vec<String>>,
    /// The file `pmbook import` made this postmortem from.
    pub imported_from: Option<String>,
    /// Keys of an imported postmortem that pmbook has no field for, kept as
    /// they were.
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `internal`, or `public` for postmortems that public builds of the site
/// include.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Internal,
    Public,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Slos {
    One(Slo),
    Many(Vec<Slo>),
}

/// A service-level objective.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Slo {
    /// The SLO's name.
    pub name: Option<String>,
    /// Fraction of the period's error budget the incident consumed: `0.18`
    /// for 18 %.
    #[schemars(range(min = 0.0))]
    pub budget_consumed: Option<f64>,
}

/// A TOML offset date-time, written bare: `2026-11-03T09:12:00Z` or
/// `2026-11-03T10:12:00+01:00`. JSON has no date-time type, so the schema
/// describes it as an RFC 3339 string, which is what TOML-aware editors
/// compare it with.
#[derive(Debug, Deserialize)]
#[serde(try_from = "toml::value::Datetime")]
pub struct OffsetDateTime(pub toml::value::Datetime);

impl TryFrom<toml::value::Datetime> for OffsetDateTime {
    type Error = String;

    fn try_from(dt: toml::value::Datetime) -> Result<Self, String> {
        if dt.date.is_some() && dt.time.is_some() && dt.offset.is_some() {
            Ok(OffsetDateTime(dt))
        } else {
            Err(format!("{dt} is not a date-time with an offset"))
        }
    }
}

impl JsonSchema for OffsetDateTime {
    fn schema_name() -> Cow<'static, str> {
        "OffsetDateTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A TOML offset date-time, written bare (no quotes): 2026-11-03T09:12:00Z or 2026-11-03T10:12:00+01:00.",
            "type": "string",
            "format": "date-time",
        })
    }
}

/// Adapts schemars' output to TOML files: TOML has no null (an optional
/// key is left out), so null is neither allowed nor a default; and doc
/// comments' line wrapping is undone, so editors can wrap descriptions to
/// their own width.
#[derive(Clone)]
struct ForToml;

impl Transform for ForToml {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::Array(types)) = schema.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                schema.insert("type".into(), only);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(variants)) = schema.get_mut(key) {
                variants.retain(|v| v.get("type").is_none_or(|t| t != "null"));
                if let [Value::Object(only)] = variants.as_slice() {
                    let only = only.clone();
                    schema.remove(key);
                    schema.ensure_object().extend(only);
                }
            }
        }
        if let Some(default) = schema.get_mut("default") {
            drop_nulls(default);
            if default.is_null() {
                schema.remove("default");
            }
        }
        if let Some(Value::String(text)) = schema.get_mut("description") {
            *text = unwrap_lines(text);
        }
        transform_subschemas(self, schema);
    }
}

fn drop_nulls(value: &mut Value) {
    if let Value::Object(map) = value {
        map.retain(|_, v| !v.is_null());
        map.values_mut().for_each(drop_nulls);
    }
}

/// Joins the lines of each paragraph; paragraphs stay apart.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| {
            paragraph
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_are_the_default_required_fields() {
        let schema = postmortem();
        let mut required: Vec<&str> = schema
            .get("required")
            .and_then(|r| r.as_array())
            .expect("required")
            .iter()
            .map(|v| v.as_str().expect("a field name"))
            .collect();
        required.sort_unstable();
        let mut expected = crate::config::LintConfig::default().required_fields;
        expected.sort_unstable();
        assert_eq!(required, expected);
    }

    #[test]
    fn properties_are_the_fields_the_parser_reads() {
        let schema = postmortem();
        let properties = schema.get("properties").and_then(|p| p.as_object());
        let mut names: Vec<&str> = properties
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        let mut fields = crate::parse::front_matter::FIELDS.to_vec();
        fields.sort_unstable();
        assert_eq!(names, fields);
    }

    #[test]
    fn a_full_front_matter_deserializes() {
        let text = r#"
            id = "2026-11-03-checkout-latency"
            title = "Checkout latency after cache deploy"
            status = "published"
            severity = "SEV2"
            services = ["checkout"]
            started_at = 2026-11-03T09:12:00Z
            detected_at = 2026-11-03T09:20:00Z
            resolved_at = 2026-11-03T10:30:00+01:00
            visibility = "public"
            [[slo]]
            name = "checkout-availability"
            budget_consumed = 1
        "#;
        let fm: FrontMatterSchema = toml::from_str(text).expect("valid");
        assert_eq!(fm.id, "2026-11-03-checkout-latency");
        let local = text.replace("09:12:00Z", "09:12:00");
        let error = toml::from_str::<FrontMatterSchema>(&local).unwrap_err();
        assert!(error.message().contains("offset"), "{error}");
    }
}
