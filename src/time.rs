//! Time helpers every layer may use: calendar months and quarters, the UTC
//! date of an instant, and the one way pmbook writes a duration (`8 min`,
//! `1 h 18 min`, `2 d 3 h`) on the site and in the CLI.

pub mod days;
pub mod zones;

mod calendar;

pub use calendar::{Month, Quarter};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// The UTC date of an instant (a commit time, say).
pub fn utc_date(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date()
}

/// Whole minutes in human units: `8 min`, `1 h 18 min`, `2 d 3 h`; a
/// negative count says so.
pub fn format_minutes(minutes: i64) -> String {
    if minutes < 0 {
        return "negative (check the times)".to_owned();
    }
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins:02} min"),
        _ => format!("{days} d {hours} h"),
    }
}

/// A duration as [`format_minutes`] writes it (seconds are dropped).
pub fn format_duration(duration: SignedDuration) -> String {
    format_minutes(duration.as_mins())
}

/// A computed number of minutes (a median, an axis tick) as
/// [`format_minutes`] writes it, rounded to the minute; below zero is zero.
pub fn format_approx_minutes(minutes: f64) -> String {
    format_minutes(minutes.max(0.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_written_in_one_way() {
        assert_eq!(format_minutes(8), "8 min");
        assert_eq!(format_minutes(78), "1 h 18 min");
        assert_eq!(format_minutes(65), "1 h 05 min");
        assert_eq!(format_minutes(2 * 1440 + 3 * 60 + 10), "2 d 3 h");
        assert_eq!(format_minutes(-1), "negative (check the times)");
        assert_eq!(
            format_duration(SignedDuration::from_secs(78 * 60 + 59)),
            "1 h 18 min"
        );
    }

    #[test]
    fn approximate_minutes_round_to_the_minute() {
        assert_eq!(format_approx_minutes(0.4), "0 min");
        assert_eq!(format_approx_minutes(59.6), "1 h 00 min");
        assert_eq!(format_approx_minutes(-3.0), "0 min");
    }

    #[test]
    fn utc_date_is_the_date_at_utc() {
        let at: Timestamp = "2026-11-03T23:30:00-05:00".parse().unwrap();
        assert_eq!(utc_date(at).to_string(), "2026-11-04");
    }
}
