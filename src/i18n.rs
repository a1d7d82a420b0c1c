//! The words of the site in each language (`[book] language`): one message
//! catalogue per language, a TOML file under `site/theme/i18n/` embedded in
//! the binary, and the way the language writes dates, numbers and
//! durations. The templates read the catalogue as `t`; Rust code asks it
//! for a text by its dotted key (`incident.started`).

use std::sync::OnceLock;

use jiff::SignedDuration;
use jiff::civil::Date;

/// The languages of the site, by code, with their catalogues. Adding a
/// language is adding its catalogue file and its line here.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("site/theme/i18n/en.toml")),
    ("fr", include_str!("site/theme/i18n/fr.toml")),
];

/// The codes of [`LANGUAGES`].
pub fn codes() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|(code, _)| *code)
}

/// The catalogue of one language.
#[derive(Debug)]
pub struct Catalogue {
    pub code: &'static str,
    pub table: toml::Table,
}

static CATALOGUES: OnceLock<Vec<Catalogue>> = OnceLock::new();

/// The catalogue of `code`, read once per process; English for a code that
/// is not one of [`LANGUAGES`] (the configuration refuses those).
pub fn catalogue(code: &str) -> &'static Catalogue {
    let all = CATALOGUES.get_or_init(|| {
        LANGUAGES
            .iter()
            .map(|(code, text)| Catalogue {
                code,
                table: toml::from_str(text).expect("the built-in catalogues are valid (tested)"),
            })
            .collect()
    });
    all.iter().find(|c| c.code == code).unwrap_or(&all[0])
}

impl Catalogue {
    fn value(&self, key: &str) -> Option<&toml::Value> {
        let mut parts = key.split('.');
        let mut value = self.table.get(parts.next()?)?;
        for part in parts {
            value = value.as_table()?.get(part)?;
        }
        Some(value)
    }

    /// The text at `key`, or the English one where this catalogue has
    /// none.
    pub fn text(&'static self, key: &str) -> &'static str {
        self.value(key)
            .or_else(|| catalogue("en").value(key))
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
    }

    /// The text at `key` with each `{name}` replaced by its value.
    pub fn fill(&'static self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }

    /// The `one` or `other` form of the count at `key`, with `{n}`.
    pub fn count(&'static self, key: &str, n: usize) -> String {
        let form = if self.is_one(n) { "one" } else { "other" };
        self.fill(&format!("{key}.{form}"), &[("n", &n.to_string())])
    }

    /// Whether `n` takes the `one` form of a count.
    pub fn is_one(&self, n: usize) -> bool {
        let zero_is_one = self
            .value("format.zero_is_one")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
        n == 1 || (n == 0 && zero_is_one)
    }

    fn month_name(&'static self, month: i8) -> &'static str {
        self.value("format.months")
            .and_then(toml::Value::as_array)
            .and_then(|names| names.get(usize::try_from(month - 1).ok()?))
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
    }

    fn date_parts(&'static self, key: &str, date: Date) -> String {
        let (year, month, day) = (date.year(), date.month(), date.day());
        let day_text = day.to_string();
        self.fill(
            key,
            &[
                ("yyyy", &format!("{year:04}")),
                ("mm", &format!("{month:02}")),
                ("dd", &format!("{day:02}")),
                (
                    "d",
                    if day == 1 {
                        self.text("format.first_day")
                    } else {
                        &day_text
                    },
                ),
                ("month", self.month_name(month)),
            ],
        )
    }

    /// A date: `2026-11-03`, `3 novembre 2026`.
    pub fn date(&'static self, date: Date) -> String {
        self.date_parts("format.date", date)
    }

    /// A month: `2026-11`, `novembre 2026`.
    pub fn month(&'static self, year: i16, month: i8) -> String {
        match Date::new(year, month, 1) {
            Ok(first) => self.date_parts("format.month", first),
            Err(_) => format!("{year:04}-{month:02}"),
        }
    }

    /// A date written `YYYY-MM-DD` (as the view keeps dates) in this
    /// language; `undated` is translated, anything else is kept as written.
    pub fn date_text(&'static self, text: &str) -> String {
        match text.parse::<Date>() {
            Ok(date) if text.len() == 10 => self.date(date),
            _ if text == "undated" => self.text("format.undated").to_owned(),
            _ => text.to_owned(),
        }
    }

    /// A month written `YYYY-MM` in this language, like [`Self::date_text`].
    pub fn month_text(&'static self, text: &str) -> String {
        let parsed = text.split_once('-').and_then(|(y, m)| {
            (y.len() == 4 && m.len() == 2).then_some((y.parse().ok()?, m.parse().ok()?))
        });
        match parsed {
            Some((year, month)) => self.month(year, month),
            None => self.date_text(text),
        }
    }

    /// A time of the front-matter: its date, `HH:MM` and zone.
    pub fn datetime(&'static self, date: Date, time: &str, zone: &str) -> String {
        self.fill(
            "format.datetime",
            &[("date", &self.date(date)), ("time", time), ("zone", zone)],
        )
    }

    /// `value` with `decimals` digits after the language's separator.
    pub fn number(&'static self, value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        text.replace('.', self.text("format.decimal_separator"))
    }

    /// A share (0.538) as a percentage with one decimal (`53.8%`); `–`
    /// when there is none.
    pub fn share(&'static self, share: Option<f64>) -> String {
        share.map_or_else(
            || "–".to_owned(),
            |s| self.fill("format.percent", &[("n", &self.number(s * 100.0, 1))]),
        )
    }

    /// The share of an error budget an incident consumed (`12.5 %`).
    pub fn budget(&'static self, share: f64) -> String {
        self.fill(
            "format.budget_percent",
            &[("n", &self.number(share * 100.0, 1))],
        )
    }

    /// Whole minutes in human units (`8 min`, `1 h 18 min`, `2 d 3 h`): the
    /// one way pmbook writes a duration, on the site and (in English) in
    /// the CLI; a negative count says so.
    pub fn minutes(&'static self, minutes: i64) -> String {
        if minutes < 0 {
            return self.text("format.negative").to_owned();
        }
        let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
        match (days, hours) {
            (0, 0) => self.fill("format.minutes", &[("m", &mins.to_string())]),
            (0, _) => self.fill(
                "format.hours",
                &[("h", &hours.to_string()), ("mm", &format!("{mins:02}"))],
            ),
            _ => self.fill(
                "format.days",
                &[("d", &days.to_string()), ("h", &hours.to_string())],
            ),
        }
    }

    /// A duration in whole minutes (seconds are dropped).
    pub fn duration(&'static self, duration: SignedDuration) -> String {
        self.minutes(duration.as_mins())
    }

    /// A computed number of minutes (a median, an axis tick), rounded;
    /// below zero is zero; `–` when there is none.
    pub fn approx_minutes(&'static self, minutes: Option<f64>) -> String {
        minutes.map_or_else(
            || "–".to_owned(),
            |m| self.minutes(m.max(0.0).round() as i64),
        )
    }
}

/// `text` with each `{name}` of `values` replaced by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_a_catalogue_for_each_language_and_no_other() {
        assert_eq!(codes().collect::<Vec<_>>(), crate::language::CODES);
    }

    #[test]
    fn every_catalogue_is_valid_toml() {
        for (code, text) in LANGUAGES {
            assert!(toml::from_str::<toml::Table>(text).is_ok(), "{code}");
        }
    }

    #[test]
    fn english_writes_as_the_rest_of_pmbook() {
        let en = catalogue("en");
        let date: Date = "2026-11-03".parse().unwrap();
        assert_eq!(en.date(date), "2026-11-03");
        assert_eq!(en.month_text("2026-11"), "2026-11");
        assert_eq!(en.share(Some(0.538)), "53.8%");
        assert_eq!(en.budget(0.125), "12.5 %");
        assert_eq!(en.minutes(8), "8 min");
        assert_eq!(en.minutes(78), "1 h 18 min");
        assert_eq!(en.minutes(65), "1 h 05 min");
        assert_eq!(en.minutes(2 * 1440 + 3 * 60 + 10), "2 d 3 h");
        assert_eq!(en.minutes(-1), "negative (check the times)");
        assert_eq!(
            en.duration(SignedDuration::from_secs(78 * 60 + 59)),
            "1 h 18 min"
        );
        assert_eq!(en.approx_minutes(Some(0.4)), "0 min");
        assert_eq!(en.approx_minutes(Some(59.6)), "1 h 00 min");
        assert_eq!(en.approx_minutes(Some(-3.0)), "0 min");
        assert_eq!(en.approx_minutes(None), "–");
        assert_eq!(en.count("indexes.incidents", 0), "0 incidents.");
    }

    #[test]
    fn french_writes_dates_numbers_and_counts_the_french_way() {
        let fr = catalogue("fr");
        let date: Date = "2026-11-03".parse().unwrap();
        assert_eq!(fr.date(date), "3 novembre 2026");
        assert_eq!(fr.date_text("2026-02-28"), "28 février 2026");
        assert_eq!(fr.date_text("2026-12-01"), "1er décembre 2026");
        assert_eq!(fr.month_text("2026-08"), "août 2026");
        assert_eq!(fr.date_text("undated"), "sans date");
        assert_eq!(fr.date_text("next week"), "next week");
        assert_eq!(fr.share(Some(0.538)), "53,8\u{202f}%");
        assert_eq!(fr.minutes(78), "1 h 18 min");
        assert_eq!(fr.minutes(2 * 1440 + 190), "2 j 3 h");
        assert_eq!(fr.count("indexes.incidents", 0), "0 incident.");
        assert_eq!(fr.count("indexes.incidents", 2), "2 incidents.");
    }
}
