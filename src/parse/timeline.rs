//! Timeline entries: `2026-11-03 09:12 UTC — text`, or `09:12 — text` on the
//! day of the previous dated entry (or of `started_at`).

use std::sync::LazyLock;

use jiff::civil::{Date, Time};
use jiff::tz::{Offset, TimeZone};
use regex::Regex;

use crate::model::{DateTime, Span, TimelineEntry, TimelineProblem};

static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^[*_`]*
        (?:(?P<date>\d{4}-\d{1,2}-\d{1,2})[\ T])?
        (?P<time>\d{1,2}:\d{2}(?::\d{2})?)
        (?:\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[A-Z][A-Za-z_]+/[A-Za-z_/+-]+))?
        [*_`]*
        \s*(?:—|–|-|:|\|)?\s*",
    )
    .expect("the timestamp pattern is valid")
});

/// Tracks the day and offset that `HH:MM` entries inherit.
pub struct Clock {
    day: Option<(Date, Offset)>,
}

impl Clock {
    pub fn new(incident_start: Option<DateTime>) -> Clock {
        Clock {
            day: incident_start.map(|start| (start.date(), start.offset)),
        }
    }

    /// Reads one entry whose text is `line`.
    pub fn entry(&mut self, span: Span, line: &str) -> TimelineEntry {
        let Some(caps) = TIMESTAMP.captures(line) else {
            return TimelineEntry {
                span,
                at: Err(TimelineProblem::NoTimestamp),
                has_date: false,
                text: line.to_owned(),
            };
        };
        let text = line[caps.get(0).map_or(0, |m| m.end())..].to_owned();
        let date = caps.name("date").map(|m| m.as_str());
        let at = self.resolve(date, &caps["time"], caps.name("zone").map(|m| m.as_str()));
        TimelineEntry {
            span,
            at,
            has_date: date.is_some(),
            text,
        }
    }

    fn resolve(
        &mut self,
        date: Option<&str>,
        time: &str,
        zone: Option<&str>,
    ) -> Result<DateTime, TimelineProblem> {
        let invalid = |what: &str| TimelineProblem::Invalid(what.to_owned());
        let time: Time = parse_time(time).ok_or_else(|| invalid(time))?;
        let zone = zone
            .map(|z| parse_zone(z).ok_or_else(|| invalid(z)))
            .transpose()?;
        let (day, inherited) = match date {
            Some(d) => {
                let day: Date = d.parse().map_err(|_| invalid(d))?;
                (day, None)
            }
            None => {
                let (day, offset) = self.day.ok_or(TimelineProblem::NoDay)?;
                (day, Some(offset))
            }
        };
        let civil = day.to_datetime(time);
        let timestamp = match (&zone, inherited) {
            (Some(Zone::Fixed(offset)), _) => offset.to_timestamp(civil).ok(),
            (Some(Zone::Named(tz)), _) => tz.to_timestamp(civil).ok(),
            (None, Some(offset)) => offset.to_timestamp(civil).ok(),
            (None, None) => return Err(TimelineProblem::NoZone),
        }
        .ok_or_else(|| invalid("timestamp out of range"))?;
        let offset = match zone {
            Some(Zone::Fixed(offset)) => offset,
            Some(Zone::Named(tz)) => tz.to_offset(timestamp),
            None => inherited.unwrap_or(Offset::UTC),
        };
        let at = DateTime { timestamp, offset };
        self.day = Some((at.date(), offset));
        Ok(at)
    }
}

fn parse_time(text: &str) -> Option<Time> {
    let mut parts = text.split(':').map(|p| p.parse::<i8>().ok());
    let hour = parts.next()??;
    let minute = parts.next()??;
    let second = parts.next().unwrap_or(Some(0))?;
    Time::new(hour, minute, second, 0).ok()
}

enum Zone {
    Fixed(Offset),
    Named(TimeZone),
}

fn parse_zone(zone: &str) -> Option<Zone> {
    match zone {
        "Z" | "UTC" | "GMT" => Some(Zone::Fixed(Offset::UTC)),
        _ if zone.starts_with(['+', '-']) => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = digits.get(..2)?.parse().ok()?;
            let minutes: i32 = digits.get(2..)?.parse().ok()?;
            Offset::from_seconds(sign * (hours * 3600 + minutes * 60))
                .ok()
                .map(Zone::Fixed)
        }
        _ => TimeZone::get(zone).ok().map(Zone::Named),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(clock: &mut Clock, line: &str) -> Result<String, TimelineProblem> {
        clock
            .entry(Span::default(), line)
            .at
            .map(|dt| dt.timestamp.to_string())
    }

    #[test]
    fn full_and_short_entries() {
        let mut clock = Clock::new(None);
        assert_eq!(at(&mut clock, "09:00 — x"), Err(TimelineProblem::NoDay));
        assert_eq!(
            at(&mut clock, "2026-11-03 09:12 UTC — deploy").unwrap(),
            "2026-11-03T09:12:00Z"
        );
        assert_eq!(
            at(&mut clock, "**09:20** - alert").unwrap(),
            "2026-11-03T09:20:00Z"
        );
        assert_eq!(
            at(&mut clock, "2026-11-03 11:00 +02:00 — x").unwrap(),
            "2026-11-03T09:00:00Z"
        );
        assert_eq!(
            at(&mut clock, "2026-11-03 11:00 — x"),
            Err(TimelineProblem::NoZone)
        );
        assert_eq!(
            at(&mut clock, "no time here"),
            Err(TimelineProblem::NoTimestamp)
        );
        assert!(matches!(
            at(&mut clock, "2026-02-30 10:00 UTC — x"),
            Err(TimelineProblem::Invalid(_))
        ));
        assert!(matches!(
            at(&mut clock, "25:00 — x"),
            Err(TimelineProblem::Invalid(_))
        ));
    }

    #[test]
    fn entry_text_follows_the_separator() {
        let mut clock = Clock::new(None);
        let entry = clock.entry(
            Span::default(),
            "2026-11-03 09:12 UTC — cache deploy starts",
        );
        assert_eq!(entry.text, "cache deploy starts");
    }
}
