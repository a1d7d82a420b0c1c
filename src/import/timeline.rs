//! Timelines of existing postmortems, rewritten as pmbook entries
//! (`- 2026-11-03 09:12 UTC — text`): the stated zone and day lines applied,
//! AM/PM and 4-digit times read, zone abbreviations mapped to the offset
//! they stand for. An entry whose instant the original does not state
//! exactly is kept as written and named in a note.

use std::sync::LazyLock;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::AmbiguousOffset;
use regex::Regex;

use super::Note;
use crate::time::days::{day_line, iso_day};
use crate::time::zones::{Zone, ZoneWord, stated_zone, zone_word};

static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^[\[(*_`]*\s*
        (?:(?P<date>[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2})(?:[T\ ,:]+|$))?
        (?P<approx>~|≈|ca\.\s*|approx\.?\s*|around\s+|vers\s+)?
        (?P<time>[0-9]{1,2}[:h][0-9]{2}(?::[0-9]{2})?|[0-9]{4})?
        (?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?)(?:\W|$))?
        (?:\s*\(?(?P<zone>Z\b|(?:UTC|GMT)[+-][0-9]{1,2}(?::?[0-9]{2})?|[+-][0-9]{2}:?[0-9]{2}|[A-Z]{1,5}\b|[A-Z][A-Za-z_]+/[A-Za-z_/+-]+)\)?)?
        (?P<hrs>\s*(?:hrs|h)\b)?
        [\])*_`]*
        \s*(?:—|–|-|:|\|)?\s*",
    )
    .expect("valid pattern")
});

/// What an entry's time reads as.
enum Read {
    Exact {
        day: Option<Date>,
        time: Time,
        zone: Option<Zone>,
        text: String,
    },
    /// Approximate (`~19:30`, `14:??`), date-only or in a zone pmbook does not
    /// map: not an instant the original states.
    Inexact(&'static str),
    /// A day and no time: it sets the day of the entries after it.
    DayOnly(Date),
    NotAnEntry,
}

fn read(line: &str) -> Read {
    let trimmed = line.trim();
    if Regex::new(r"^[\[(*_`~]*[0-9]{1,2}:\?\?")
        .expect("valid pattern")
        .is_match(trimmed)
    {
        return Read::Inexact("its time is approximate");
    }
    let Some(caps) = ENTRY.captures(trimmed) else {
        return Read::NotAnEntry;
    };
    let whole = caps.get(0).map_or(0, |m| m.end());
    let day = caps.name("date").and_then(|d| iso_day(d.as_str()));
    let Some(time_text) = caps.name("time").map(|m| m.as_str()) else {
        return match day {
            Some(day) => Read::DayOnly(day),
            None => Read::NotAnEntry,
        };
    };
    if caps.name("approx").is_some() {
        return Read::Inexact("its time is approximate");
    }
    let (zone, text_start) = match caps.name("zone") {
        None => (None, whole),
        Some(word) => match zone_word(word.as_str()) {
            ZoneWord::Known(zone) => (Some(zone), whole),
            ZoneWord::Unknown => return Read::Inexact("its zone is not one pmbook maps"),
            ZoneWord::NotAZone => (None, word.start()),
        },
    };
    let four_digits = !time_text.contains([':', 'h']);
    if four_digits && zone.is_none() && caps.name("hrs").is_none() {
        return Read::NotAnEntry;
    }
    let Some(time) = parse_time(time_text, caps.name("ampm").map(|m| m.as_str())) else {
        return Read::Inexact("its time does not exist");
    };
    Read::Exact {
        day,
        time,
        zone,
        text: trimmed[text_start..].trim().to_owned(),
    }
}

fn parse_time(text: &str, ampm: Option<&str>) -> Option<Time> {
    let (hour, rest) = if text.contains([':', 'h']) {
        text.split_once([':', 'h'])?
    } else {
        text.split_at_checked(2)?
    };
    let (minute, second) = rest.split_once(':').unwrap_or((rest, "0"));
    let mut hour: i8 = hour.parse().ok()?;
    let (minute, second): (i8, i8) = (minute.parse().ok()?, second.parse().ok()?);
    if let Some(ampm) = ampm {
        if !(1..=12).contains(&hour) {
            return None;
        }
        let pm = ampm.starts_with(['p', 'P']);
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    Time::new(hour, minute, second, 0).ok()
}

/// Where `HH:MM` entries get their day and zone when the entry does not
/// give them.
pub struct Defaults {
    pub zone: Option<Zone>,
    /// The day, and a note when it is a guess from a field that may not be
    /// the incident's day.
    pub day: Option<(Date, Option<String>)>,
}

/// The timeline's lines rewritten.
pub fn normalize(lines: &[&str], defaults: &Defaults, notes: &mut Vec<Note>) -> Vec<String> {
    let mut out = Vec::new();
    let mut day: Option<Date> = defaults.day.as_ref().map(|(d, _)| *d);
    let mut day_is_default = true;
    let mut day_guess_noted = false;
    let mut table_zone: Option<Zone> = None;
    let mut last: Option<DateTime> = None;
    let mut mapped_noted: Vec<String> = Vec::new();
    let mut iter = lines.iter().peekable();
    while let Some(line) = iter.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            out.push(String::new());
            continue;
        }
        if let Some(date) = day_line(trimmed) {
            day = Some(date);
            day_is_default = false;
            last = None;
            continue;
        }
        let is_row = trimmed.starts_with('|');
        if is_row && is_separator(trimmed) {
            continue;
        }
        if is_row && iter.peek().is_some_and(|next| is_separator(next.trim())) {
            table_zone = stated_zone(&format!("times in {trimmed}"));
            continue;
        }
        let (body, is_item) = if is_row {
            let cells: Vec<&str> = trimmed
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let body = match cells.as_slice() {
                [day, time, rest @ ..] if iso_day(day).is_some() && !rest.is_empty() => {
                    format!("{day} {time} — {}", rest.join(" — "))
                }
                cells => cells.join(" — "),
            };
            (body, true)
        } else {
            match strip_marker(trimmed) {
                Some(rest) => (rest.to_owned(), true),
                None => (trimmed.to_owned(), false),
            }
        };
        match read(&body) {
            Read::Exact {
                day: own_day,
                time,
                zone,
                text,
            } => {
                let zone = zone
                    .or_else(|| table_zone.clone())
                    .or_else(|| defaults.zone.clone());
                let Some(zone) = zone else {
                    inexact(
                        &mut out,
                        notes,
                        &body,
                        "the original does not state its zone",
                    );
                    continue;
                };
                let Some(mut date) = own_day.or(day) else {
                    inexact(
                        &mut out,
                        notes,
                        &body,
                        "the original does not state its day",
                    );
                    continue;
                };
                if own_day.is_none() {
                    if let Some((_, Some(guess))) = &defaults.day
                        && day_is_default
                        && !day_guess_noted
                    {
                        notes.push(Note::todo(guess.clone()));
                        day_guess_noted = true;
                    }
                    if let Some(prev) = last
                        && date.to_datetime(time) < prev
                        && prev.date() == date
                    {
                        date = date.tomorrow().unwrap_or(date);
                        notes.push(Note::todo(format!(
                            "guessed that the day changed before `{}`: it is read as {date}",
                            clip(&body)
                        )));
                    }
                }
                let civil = date.to_datetime(time);
                if let AmbiguousOffset::Gap { .. } = zone.tz.to_ambiguous_timestamp(civil).offset()
                {
                    inexact(
                        &mut out,
                        notes,
                        &body,
                        "its time does not exist in its zone",
                    );
                    continue;
                }
                if let Some(mapped) = &zone.mapped
                    && !mapped_noted.contains(mapped)
                {
                    notes.push(Note::info(mapped.clone()));
                    mapped_noted.push(mapped.clone());
                }
                day_is_default &= own_day.is_none() && Some(date) == day;
                day = Some(date);
                last = Some(civil);
                let time = if time.second() == 0 {
                    time.strftime("%H:%M").to_string()
                } else {
                    time.strftime("%H:%M:%S").to_string()
                };
                let text = if text.is_empty() {
                    "(no text)".to_owned()
                } else {
                    text
                };
                out.push(format!("- {date} {time} {} — {text}", zone.written));
            }
            Read::DayOnly(date) => {
                day = Some(date);
                day_is_default = false;
                last = None;
                if is_item {
                    inexact(&mut out, notes, &body, "it gives a day but no time");
                } else {
                    out.push((*line).to_owned());
                }
            }
            Read::Inexact(why) if is_item => inexact(&mut out, notes, &body, why),
            Read::NotAnEntry if is_item => {
                inexact(&mut out, notes, &body, "it does not start with a time")
            }
            _ => out.push((*line).to_owned()),
        }
    }
    out
}

/// An entry that states no instant: a list item still when lint accepts it
/// in a draft (approximate, date-only), so that it is reported once the
/// postmortem is published; otherwise a paragraph.
fn inexact(out: &mut Vec<String>, notes: &mut Vec<Note>, body: &str, why: &str) {
    notes.push(Note::todo(format!(
        "timeline entry `{}` states no exact instant: {why}",
        clip(body)
    )));
    if crate::parse::timeline::is_inexact(body) {
        out.push(format!("- {body}"));
        return;
    }
    if out.last().is_some_and(|l| !l.is_empty()) {
        out.push(String::new());
    }
    out.push(body.to_owned());
    out.push(String::new());
}

fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out.replace('`', "'")
}

fn is_separator(line: &str) -> bool {
    line.starts_with('|')
        && line.contains('-')
        && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The text of a list item line (`- x`, `* x`, `1. x`).
pub fn strip_marker(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest.trim_start());
        }
    }
    let digits = line.find(|c: char| !c.is_ascii_digit())?;
    let rest = &line[digits..];
    (digits > 0)
        .then(|| rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")))
        .flatten()
        .map(str::trim_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str], zone: Option<&str>) -> (Vec<String>, Vec<Note>) {
        let defaults = Defaults {
            zone: zone.and_then(|z| match zone_word(z) {
                ZoneWord::Known(zone) => Some(zone),
                _ => None,
            }),
            day: None,
        };
        let mut notes = Vec::new();
        let out = normalize(lines, &defaults, &mut notes);
        (out, notes)
    }

    #[test]
    fn day_lines_pm_and_four_digit_times() {
        let (out, notes) = run(
            &[
                "### 2023-07-19",
                "- 1:26 PM — deploy",
                "- [08:47 PM] alert",
                "2023-07-20:",
                "* 0905 UTC — rollback",
                "- 23:50 — x",
                "- 00:10 — y",
            ],
            Some("PST"),
        );
        assert_eq!(
            out,
            [
                "- 2023-07-19 13:26 -08:00 — deploy",
                "- 2023-07-19 20:47 -08:00 — alert",
                "- 2023-07-20 09:05 UTC — rollback",
                "- 2023-07-20 23:50 -08:00 — x",
                "- 2023-07-21 00:10 -08:00 — y",
            ]
        );
        assert!(notes.iter().any(|n| n.text == "`PST` read as UTC-08:00"));
        assert!(notes.iter().any(|n| n.text.contains("day changed")));
    }

    #[test]
    fn inexact_entries_are_kept_as_text() {
        let (out, notes) = run(
            &[
                "- 2019-03-10 09:00 UTC — a",
                "- ~19:30 — b",
                "- 2019-03-11 — c",
                "- 10:00 IST — d",
            ],
            None,
        );
        assert_eq!(out[0], "- 2019-03-10 09:00 UTC — a");
        assert!(out.contains(&"- ~19:30 — b".to_owned()));
        assert!(out.contains(&"- 2019-03-11 — c".to_owned()));
        assert!(out.contains(&"10:00 IST — d".to_owned()));
        assert_eq!(notes.len(), 3);
        let (out, notes) = run(&["- 2019-03-10 10:00 PT — e"], Some("UTC"));
        assert_eq!(out, ["- 2019-03-10 10:00 PT — e"]);
        assert!(notes[0].text.contains("its zone is not one pmbook maps"));
    }

    #[test]
    fn days_and_zone_sentences() {
        assert_eq!(day_line("**July 19, 2023**"), Date::new(2023, 7, 19).ok());
        assert_eq!(
            day_line("### Mardi 19 juillet 2023"),
            Date::new(2023, 7, 19).ok()
        );
        assert_eq!(day_line("- 09:00 — x"), None);
        assert_eq!(
            stated_zone("All times are in CET.").unwrap().written,
            "+01:00"
        );
        assert_eq!(
            stated_zone("Toutes les heures sont en heure de Paris.")
                .unwrap()
                .written,
            "Europe/Paris"
        );
        assert!(stated_zone("The times in question were long.").is_none());
    }
}
