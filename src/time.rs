//! Time helpers every layer may use: calendar months and quarters and the
//! UTC date of an instant. How durations are written (`1 h 18 min`) is
//! the catalogues' ([`crate::i18n::Catalogue::minutes`]), English for the CLI.

pub mod days;
pub mod zones;

mod calendar;

pub use calendar::{Month, Quarter};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The UTC date of an instant (a commit time, say).
pub fn utc_date(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_date_is_the_date_at_utc() {
        let at: Timestamp = "2026-11-03T23:30:00-05:00".parse().unwrap();
        assert_eq!(utc_date(at).to_string(), "2026-11-04");
    }
}
