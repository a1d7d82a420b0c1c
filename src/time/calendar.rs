//! Calendar months and quarters, the buckets metrics are counted in. An
//! incident belongs to the month and quarter of its `started_at` date at the
//! offset it was written with (the day its team lived it), as on the site's
//! month index and in the lint rules: each incident is counted once, on the
//! day its postmortem says.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).expect("a Month holds a valid month")
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            quarter: (self.month - 1) / 3 + 1,
        }
    }

    /// Whether any day of the month is in `[since, until]` (either bound
    /// may be open).
    pub fn overlaps(self, since: Option<Date>, until: Option<Date>) -> bool {
        since.is_none_or(|since| self.last_day() >= since)
            && until.is_none_or(|until| self.first_day() <= until)
    }

    /// Every month from `first` to `last`, both included.
    pub fn range(first: Month, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(first), move |m| (*m < last).then(|| m.next()))
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = String;

    /// Exactly `YYYY-MM`, so that a typo like `2026-1` or `2026-13` is an
    /// error rather than a month nobody meant.
    fn from_str(text: &str) -> Result<Month, String> {
        let error = || format!("expected a month as YYYY-MM, like 2026-03, got `{text}`");
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
        if bytes.len() != 7 || bytes[4] != b'-' || !digits(0..4) || !digits(5..7) {
            return Err(error());
        }
        let year: i16 = text[..4].parse().map_err(|_| error())?;
        let month: i8 = text[5..].parse().map_err(|_| error())?;
        if !(1..=12).contains(&month) || year < 1 {
            return Err(error());
        }
        Ok(Month { year, month })
    }
}

impl TryFrom<String> for Month {
    type Error = String;

    fn try_from(text: String) -> Result<Month, String> {
        text.parse()
    }
}

impl From<Month> for String {
    fn from(month: Month) -> String {
        month.to_string()
    }
}

impl JsonSchema for Month {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Month".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar month, YYYY-MM.",
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
        })
    }
}

/// A calendar quarter, written `YYYY-Qn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct Quarter {
    year: i16,
    quarter: i8,
}

impl Quarter {
    pub fn of(date: Date) -> Quarter {
        Month::of(date).quarter()
    }

    pub fn next(self) -> Quarter {
        if self.quarter == 4 {
            Quarter {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Quarter {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }

    /// Every quarter from `first` to `last`, both included.
    pub fn range(first: Quarter, last: Quarter) -> impl Iterator<Item = Quarter> {
        std::iter::successors(Some(first), move |q| (*q < last).then(|| q.next()))
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
    }
}

impl From<Quarter> for String {
    fn from(quarter: Quarter) -> String {
        quarter.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly() {
        assert_eq!("2026-03".parse::<Month>().unwrap().to_string(), "2026-03");
        for bad in [
            "2026-3",
            "2026-13",
            "2026-00",
            "26-03",
            "2026/03",
            "2026-03-01",
            "２０２６-03",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }

    #[test]
    fn months_and_quarters_follow_each_other() {
        let dec: Month = "2025-12".parse().unwrap();
        assert_eq!(dec.next().to_string(), "2026-01");
        assert_eq!(dec.quarter().to_string(), "2025-Q4");
        assert_eq!(dec.quarter().next().to_string(), "2026-Q1");
        let feb: Month = "2026-02".parse().unwrap();
        assert_eq!(Month::range(dec, feb).count(), 3);
        assert_eq!(feb.last_day().to_string(), "2026-02-28");
        let day = |s: &str| s.parse::<Date>().ok();
        assert!(feb.overlaps(day("2026-02-28"), None));
        assert!(!feb.overlaps(day("2026-03-01"), None));
        assert!(!feb.overlaps(None, day("2026-01-31")));
        assert!(feb.overlaps(None, None));
    }
}
