//! Zones as people write them in timelines: `UTC`, `+02:00`, `UTC+2`,
//! `Europe/Paris`, and the common abbreviations (`PST`, `CEST`), each
//! mapped to the fixed offset it stands for.

use std::sync::LazyLock;

use jiff::tz::{Offset, TimeZone};
use regex::Regex;

/// The offset a zone abbreviation stands for (`PST` → `-08:00`), as
/// `pmbook import` reads it and `timeline-format` suggests it.
pub fn abbreviation_offset(zone: &str) -> Option<String> {
    match zone_word(zone) {
        ZoneWord::Known(known) if known.mapped.is_some() => Some(known.written),
        _ => None,
    }
}

/// Abbreviations and the offset each stands for; anything else of that
/// shape (`IST`, `AKST`) is not guessed.
const ABBREVIATIONS: &[(&str, i32)] = &[
    ("PST", -8 * 60),
    ("PDT", -7 * 60),
    ("MST", -7 * 60),
    ("MDT", -6 * 60),
    ("CST", -6 * 60),
    ("CDT", -5 * 60),
    ("EST", -5 * 60),
    ("EDT", -4 * 60),
    ("WET", 0),
    ("WEST", 60),
    ("CET", 60),
    ("CEST", 2 * 60),
    ("EET", 2 * 60),
    ("EEST", 3 * 60),
    ("BST", 60),
    ("JST", 9 * 60),
    ("KST", 9 * 60),
    ("AEST", 10 * 60),
    ("AEDT", 11 * 60),
];

/// A zone as stated: how it is read and how the entry writes it.
#[derive(Debug, Clone)]
pub struct Zone {
    pub tz: TimeZone,
    pub written: String,
    /// How an abbreviation was read, for the report.
    pub mapped: Option<String>,
}

pub enum ZoneWord {
    Known(Zone),
    /// Shaped like a zone abbreviation, but not one pmbook maps.
    Unknown,
    NotAZone,
}

pub fn zone_word(word: &str) -> ZoneWord {
    let fixed = |minutes: i32, mapped: Option<String>| {
        let Ok(offset) = Offset::from_seconds(minutes * 60) else {
            return ZoneWord::Unknown;
        };
        ZoneWord::Known(Zone {
            tz: TimeZone::fixed(offset),
            written: offset_text(minutes),
            mapped,
        })
    };
    match word {
        "Z" | "UTC" | "GMT" => ZoneWord::Known(Zone {
            tz: TimeZone::UTC,
            written: "UTC".to_owned(),
            mapped: None,
        }),
        _ if word.starts_with(['+', '-']) || word.starts_with("UTC") || word.starts_with("GMT") => {
            let rest = word.trim_start_matches("UTC").trim_start_matches("GMT");
            match offset_minutes(rest) {
                Some(minutes) => fixed(minutes, None),
                None => ZoneWord::Unknown,
            }
        }
        _ if word.contains('/') => match TimeZone::get(word) {
            Ok(tz) => ZoneWord::Known(Zone {
                tz,
                written: word.to_owned(),
                mapped: None,
            }),
            Err(_) => ZoneWord::NotAZone,
        },
        _ => match ABBREVIATIONS.iter().find(|(name, _)| *name == word) {
            Some((name, minutes)) => fixed(
                *minutes,
                Some(format!("`{name}` read as UTC{}", offset_text(*minutes))),
            ),
            None if ABBREVIATION_SHAPE.is_match(word) || is_generic_abbreviation(word) => {
                ZoneWord::Unknown
            }
            None => ZoneWord::NotAZone,
        },
    }
}

static ABBREVIATION_SHAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Z]{1,3}[SD]T|[A-Z]{2}T)$").expect("valid pattern"));

/// `PT`, `MT`, `CT`, `ET`: a North American zone, standard or daylight
/// time as the season says, which no one fixed offset stands for.
pub fn is_generic_abbreviation(word: &str) -> bool {
    matches!(word, "PT" | "MT" | "CT" | "ET")
}

/// `+2`, `-05:00`, `+0530` as minutes.
fn offset_minutes(text: &str) -> Option<i32> {
    let sign = match text.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits = &text[1..];
    if !digits.chars().all(|c| c.is_ascii_digit() || c == ':') {
        return None;
    }
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() > 2 => digits.split_at(digits.len() - 2),
        None => (digits, "0"),
    };
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

fn offset_text(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
}

static ZONE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:all times|times are|times in|timestamps are|times listed|toutes les heures|heures en|horaires en|heures sont|heure de)(?P<rest>[^.\n]{0,40})",
    )
    .expect("valid pattern")
});

/// The zone a sentence of the file gives every time ("All times in PST",
/// "heure de Paris").
pub fn stated_zone(text: &str) -> Option<Zone> {
    for caps in ZONE_SENTENCE.captures_iter(text) {
        let words = caps["rest"].split(|c: char| c.is_whitespace() || "(),:;|".contains(c));
        for word in words {
            let word = if word.eq_ignore_ascii_case("paris") {
                "Europe/Paris"
            } else {
                word
            };
            if let ZoneWord::Known(zone) = zone_word(word) {
                return Some(zone);
            }
        }
    }
    None
}
