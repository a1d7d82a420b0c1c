//! Timeline entries: `2026-11-03 09:12 UTC — text`, or `09:12 — text` on the
//! day and in the zone of the previous dated entry (or of `started_at`).

use std::cell::OnceCell;
use std::sync::LazyLock;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use regex::Regex;

use crate::model::{DateTime, Span, TimelineEntry, TimelineProblem};

static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^[*_`]*
        (?:(?P<date>\d{4}-\d{1,2}-\d{1,2})[\ T])?
        (?P<time>\d{1,2}:\d{2}(?::\d{2})?)
        (?:\s*(?P<ampm>[AaPp]\.?[Mm]\b\.?))?
        (?:\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[A-Z][A-Za-z_]+/[A-Za-z_/+-]+|[A-Z]{2,5}\b))?
        [*_`]*
        \s*(?:—|–|-|:|\|)?\s*",
    )
    .expect("the timestamp pattern is valid")
});

/// Tracks the day and zone that `HH:MM` entries inherit. An IANA zone is
/// kept as a zone, so that an entry after a daylight-saving change gets the
/// offset in force at its own time, not the one of the entry before it.
pub struct Clock<'t> {
    day: Option<Date>,
    /// The zone of the entry before, which an `HH:MM` entry inherits.
    zone: Option<TimeZone>,
    /// The text where a sentence may give every time its zone ("All times
    /// in UTC"), which comes before the zone of the entry before. It is
    /// looked for the first time an entry gives no zone: most files never
    /// need it.
    stated_in: &'t str,
    stated: OnceCell<Option<TimeZone>>,
    /// The instant of the last entry read, which decides between the two
    /// instants of a time the clocks pass twice.
    last: Option<Timestamp>,
}

impl<'t> Clock<'t> {
    pub fn new(incident_start: Option<DateTime>) -> Clock<'t> {
        Clock {
            day: incident_start.map(|start| start.date()),
            zone: incident_start.map(|start| TimeZone::fixed(start.offset)),
            stated_in: "",
            stated: OnceCell::new(),
            last: None,
        }
    }

    /// Every entry that gives no zone gets the one a sentence of `text`
    /// states, if any.
    pub fn stated_in(self, text: &'t str) -> Clock<'t> {
        Clock {
            stated_in: text,
            stated: OnceCell::new(),
            ..self
        }
    }

    fn stated(&self) -> Option<TimeZone> {
        self.stated
            .get_or_init(|| crate::time::zones::stated_zone(self.stated_in).map(|zone| zone.tz))
            .clone()
    }

    /// The day of the `HH:MM` entries after a day line (`### 2023-07-19`).
    pub fn day_line(&mut self, day: Date) {
        self.day = Some(day);
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
        // A word that only looks like a zone (`Ops/SRE paged`, `DNS
        // failover`) is text; an abbreviation (`PST`) stands for several
        // zones or none, so it is reported rather than dropped.
        let (zone, text_start) = match caps.name("zone") {
            Some(zone) if is_abbreviation(zone.as_str()) => {
                let text = line[caps.get(0).map_or(0, |m| m.end())..].to_owned();
                return TimelineEntry {
                    span,
                    at: Err(TimelineProblem::Abbreviation(zone.as_str().to_owned())),
                    has_date: caps.name("date").is_some(),
                    text,
                };
            }
            Some(zone)
                if (is_zone_name(zone.as_str()) || is_word(zone.as_str()))
                    && parse_zone(zone.as_str()).is_none() =>
            {
                (None, zone.start())
            }
            zone => (zone.map(|m| m.as_str()), caps.get(0).map_or(0, |m| m.end())),
        };
        let text = line[text_start..].to_owned();
        let date = caps.name("date").map(|m| m.as_str());
        let time = match caps.name("ampm") {
            Some(ampm) => twelve_hour(&caps["time"], ampm.as_str()),
            None => caps["time"].to_owned(),
        };
        let at = self.resolve(date, &time, zone);
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
                let day = self.day.ok_or(TimelineProblem::NoDay)?;
                (day, self.zone.clone())
            }
        };
        let tz = zone
            .or_else(|| self.stated())
            .or(inherited)
            .ok_or(TimelineProblem::NoZone)?;
        let civil = day.to_datetime(time);
        let ambiguous = tz.to_ambiguous_timestamp(civil);
        if let AmbiguousOffset::Gap { .. } = ambiguous.offset() {
            return Err(TimelineProblem::Skipped {
                time: civil.strftime("%Y-%m-%d %H:%M").to_string(),
                zone: tz.iana_name().unwrap_or("the zone").to_owned(),
            });
        }
        // A time the clocks pass twice is the first pass, unless the entry
        // before it is already later: then it is the second.
        let timestamp = match (ambiguous.offset(), ambiguous.earlier(), self.last) {
            (AmbiguousOffset::Fold { .. }, Ok(first), Some(last)) if first < last => {
                ambiguous.later()
            }
            (_, earlier, _) => earlier,
        }
        .map_err(|_| invalid("timestamp out of range"))?;
        let at = DateTime {
            timestamp,
            offset: tz.to_offset(timestamp),
        };
        self.day = Some(at.date());
        self.zone = Some(tz);
        self.last = Some(timestamp);
        Ok(at)
    }
}

/// `1:26 PM` as `13:26`, `12:05 AM` as `00:05`; an hour that is not 1 to
/// 12 is left as written, for `resolve` to report.
fn twelve_hour(time: &str, ampm: &str) -> String {
    let (hour, rest) = time.split_once(':').unwrap_or((time, "00"));
    let Ok(hour) = hour.parse::<u8>() else {
        return time.to_owned();
    };
    if !(1..=12).contains(&hour) {
        return format!("{time} {ampm}");
    }
    let pm = ampm.starts_with(['p', 'P']);
    let hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    format!("{hour:02}:{rest}")
}

/// An all-capitals word (`DNS`), which is text unless it is shaped like a
/// zone abbreviation.
fn is_word(zone: &str) -> bool {
    zone.chars().all(|c| c.is_ascii_uppercase())
}

/// `PST`, `CEST`, `EDT`, `IST`: the shape of a zone abbreviation; and the
/// North American `PT`, `MT`, `CT`, `ET`, which name a zone without saying
/// whether it is standard or daylight time.
fn is_abbreviation(zone: &str) -> bool {
    let n = zone.len();
    crate::time::zones::is_generic_abbreviation(zone)
        || is_word(zone)
            && !matches!(zone, "UTC" | "GMT")
            && zone.ends_with('T')
            && (n == 3 || (n == 4 && matches!(&zone[n - 2..n - 1], "S" | "D")))
}

fn parse_time(text: &str) -> Option<Time> {
    let mut parts = text.split(':').map(|p| p.parse::<i8>().ok());
    let hour = parts.next()??;
    let minute = parts.next()??;
    let second = parts.next().unwrap_or(Some(0))?;
    Time::new(hour, minute, second, 0).ok()
}

/// Whether `zone` has the shape of an IANA name (`Area/Location`), which the
/// timestamp pattern accepts before the database is asked.
fn is_zone_name(zone: &str) -> bool {
    zone.contains('/')
}

/// `UTC`, `Z`, `GMT`, an offset (`+02:00`, `-0500`) or a name of the time
/// zone database (`Europe/Paris`).
fn parse_zone(zone: &str) -> Option<TimeZone> {
    match zone {
        "Z" | "UTC" | "GMT" => Some(TimeZone::UTC),
        _ if zone.starts_with(['+', '-']) => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = digits.get(..2)?.parse().ok()?;
            let minutes: i32 = digits.get(2..)?.parse().ok()?;
            Offset::from_seconds(sign * (hours * 3600 + minutes * 60))
                .ok()
                .map(TimeZone::fixed)
        }
        _ => TimeZone::get(zone).ok(),
    }
}

static INEXACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[*_`\[(]*(?:[~≈][0-9]{1,2}:[0-9]{2}|[0-9]{1,2}:\?\?|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[^0-9T:]|$))")
        .expect("valid pattern")
});

/// An approximate time or a day without a time at the start of an entry,
/// which a draft may hold.
pub fn is_inexact(text: &str) -> bool {
    INEXACT.is_match(text.trim_start())
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

    #[test]
    fn short_entries_keep_the_iana_zone_across_a_dst_change() {
        let mut clock = Clock::new(None);
        let first = clock.entry(Span::default(), "2026-03-29 01:30 Europe/Paris — x");
        assert_eq!(first.at.unwrap().offset, Offset::constant(1));
        let after = clock.entry(Span::default(), "03:40 — y").at.unwrap();
        assert_eq!(after.timestamp.to_string(), "2026-03-29T01:40:00Z");
        assert_eq!(after.offset, Offset::constant(2));
        assert_eq!(
            clock.entry(Span::default(), "02:30 — z").at,
            Err(TimelineProblem::Skipped {
                time: "2026-03-29 02:30".to_owned(),
                zone: "Europe/Paris".to_owned(),
            })
        );
    }

    #[test]
    fn a_word_that_is_not_a_zone_is_text() {
        let mut clock = Clock::new(None);
        clock.entry(Span::default(), "2026-11-03 09:12 UTC — x");
        let entry = clock.entry(Span::default(), "09:20 Ops/SRE paged");
        assert_eq!(
            entry.at.unwrap().timestamp.to_string(),
            "2026-11-03T09:20:00Z"
        );
        assert_eq!(entry.text, "Ops/SRE paged");
    }

    #[test]
    fn a_time_passed_twice_follows_the_entry_before_it() {
        // Paris went from +02:00 back to +01:00 at 03:00 on 2026-10-25.
        let mut clock = Clock::new(None);
        let at = |clock: &mut Clock, line: &str| clock.entry(Span::default(), line).at.unwrap();
        let first = at(&mut clock, "2026-10-25 02:10 Europe/Paris — x");
        assert_eq!(first.timestamp.to_string(), "2026-10-25T00:10:00Z");
        let later = at(&mut clock, "02:50 — y");
        assert_eq!(later.timestamp.to_string(), "2026-10-25T00:50:00Z");
        let second_pass = at(&mut clock, "02:20 — z");
        assert_eq!(second_pass.timestamp.to_string(), "2026-10-25T01:20:00Z");
        assert_eq!(second_pass.offset, Offset::constant(1));
    }

    #[test]
    fn twelve_hour_times_and_zone_abbreviations() {
        let mut clock = Clock::new(None);
        assert_eq!(
            at(&mut clock, "2026-11-03 1:26 PM UTC — x").unwrap(),
            "2026-11-03T13:26:00Z"
        );
        assert_eq!(
            at(&mut clock, "12:05 am — y").unwrap(),
            "2026-11-03T00:05:00Z"
        );
        assert!(matches!(
            at(&mut clock, "13:00 PM — z"),
            Err(TimelineProblem::Invalid(_))
        ));
        assert_eq!(
            at(&mut clock, "09:00 PST — page"),
            Err(TimelineProblem::Abbreviation("PST".to_owned()))
        );
        assert_eq!(
            at(&mut clock, "09:05 PT — page"),
            Err(TimelineProblem::Abbreviation("PT".to_owned()))
        );
        let entry = clock.entry(Span::default(), "09:10 DNS failover");
        assert_eq!(entry.text, "DNS failover");
        assert!(entry.at.is_ok());
        let entry = clock.entry(Span::default(), "09:12 IT paged");
        assert_eq!(entry.text, "IT paged");
        assert!(entry.at.is_ok());
    }
}
