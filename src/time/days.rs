//! Days as people write them above the entries of a timeline:
//! `### 2023-07-19`, `2019-03-10:`, `**July 19, 2023**`, `Mardi 12 mars 2024`.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

static DAY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[#*_\s]*(?:[A-Za-zéû]+,?\s+)?(?P<day>.+?)(?:\s*\([^)]*\))?[*_\s:]*$")
        .expect("valid pattern")
});

const MONTHS: &[(&str, i8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
];

/// `2023-07-19`, `2023/07/19`, `July 19, 2023`, `19 juillet 2023`.
pub fn parse_day(text: &str) -> Option<Date> {
    let text = text.trim().trim_end_matches([',', '.']);
    if let Some(date) = iso_day(text) {
        return Some(date);
    }
    let words: Vec<String> = text
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().trim_end_matches('.').to_owned())
        .collect();
    let month = |w: &str| MONTHS.iter().find(|(m, _)| *m == w).map(|(_, n)| *n);
    let (day, month, year) = match words.as_slice() {
        [m, d, y] if month(m).is_some() => (d.parse().ok()?, month(m)?, y.parse().ok()?),
        [d, m, y] if month(m).is_some() => (
            d.trim_end_matches("er").parse().ok()?,
            month(m)?,
            y.parse().ok()?,
        ),
        _ => return None,
    };
    Date::new(year, month, day).ok()
}

pub fn iso_day(text: &str) -> Option<Date> {
    let mut parts = text.split(['-', '/']);
    let year: i16 = parts.next()?.parse().ok()?;
    let month: i8 = parts.next()?.parse().ok()?;
    let day: i8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || year < 1000 {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// A line that is only a day: `### 2023-07-19`, `2019-03-10:`,
/// `**Tuesday, July 19, 2023**`.
pub fn day_line(line: &str) -> Option<Date> {
    let caps = DAY_LINE.captures(line.trim())?;
    parse_day(&caps["day"])
        .or_else(|| parse_day(line.trim().trim_matches(['#', '*', '_', ':', ' '])))
}
