//! Times as callforge writes them: seconds since the Unix epoch to and from RFC 3339 (UTC) text.
//!
//! Pure conversions; nothing here reads the clock (see `crate::clock`).

use ::time::OffsetDateTime;
use ::time::format_description::well_known::Rfc3339;

/// Parses an RFC 3339 time to seconds since the epoch.
pub fn parse_time(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s, &Rfc3339).ok().map(|t| t.unix_timestamp())
}

/// Seconds since the epoch as RFC 3339 UTC (`2027-01-15T08:00:00Z`).
pub fn format_time(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t).ok().and_then(|d| d.format(&Rfc3339).ok()).unwrap_or_else(|| t.to_string())
}

/// Seconds since the epoch as a short date and time to the minute, UTC (`2027-01-15 08:00`), for
/// tables and pages.
pub fn format_minute(t: i64) -> String {
    format_time(t).replace('T', " ").trim_end_matches('Z').chars().take(16).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        assert_eq!(format_time(1_800_000_000), "2027-01-15T08:00:00Z");
        assert_eq!(parse_time("2027-01-15T08:00:00Z"), Some(1_800_000_000));
        assert_eq!(parse_time("2027-01-15T10:00:00+02:00"), Some(1_800_000_000));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn minutes_drop_the_seconds_and_the_zone() {
        assert_eq!(format_minute(1_800_000_000), "2027-01-15 08:00");
        assert_eq!(format_minute(1_800_000_059), "2027-01-15 08:00");
    }
}
