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

/// A due date as a manager types it, to seconds since the epoch, given the time `now`:
/// `2027-01-15` (the end of that day, UTC), `2027-01-15T18:00` or `2027-01-15 18:00` (UTC),
/// RFC 3339 with a zone, or `+7` / `7d` (the end of the day seven days from now, UTC).
pub fn parse_due(text: &str, now: i64) -> Result<i64, String> {
    const DAY: i64 = 86_400;
    let t = text.trim();
    let end_of_day = |day: i64| day * DAY + DAY - 1;
    let days = t.strip_prefix('+').or_else(|| t.strip_suffix('d')).or_else(|| t.strip_suffix('д'));
    if let Some(n) = days {
        return match n.trim().parse::<i64>() {
            Ok(n) if (0..=3650).contains(&n) => Ok(end_of_day(now.div_euclid(DAY) + n)),
            _ => Err(format!("\"{t}\" is no number of days from today (0 to 3650: +7 or 7d)")),
        };
    }
    if let Some(at) = parse_time(t) {
        return Ok(at);
    }
    let date = ::time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = ::time::Date::parse(t, &date) {
        return Ok(end_of_day(d.midnight().assume_utc().unix_timestamp().div_euclid(DAY)));
    }
    let minute_t = ::time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let minute_s = ::time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    for f in [minute_t, minute_s] {
        if let Ok(d) = ::time::PrimitiveDateTime::parse(t, &f) {
            return Ok(d.assume_utc().unix_timestamp());
        }
    }
    Err(format!(
        "\"{t}\" is no due date: give a date (2027-01-15, the end of that day UTC), a time (2027-01-15 18:00 UTC) \
         or a number of days from today (+7)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_are_dates_times_or_days_from_now() {
        let now = 1_800_000_000; // 2027-01-15T08:00:00Z
        assert_eq!(parse_due("2027-01-15", now).map(format_time).as_deref(), Ok("2027-01-15T23:59:59Z"));
        assert_eq!(parse_due("2027-01-20 18:30", now).map(format_time).as_deref(), Ok("2027-01-20T18:30:00Z"));
        assert_eq!(parse_due("2027-01-20T18:30", now).map(format_time).as_deref(), Ok("2027-01-20T18:30:00Z"));
        assert_eq!(parse_due("2027-01-20T18:30:00+03:00", now).map(format_time).as_deref(), Ok("2027-01-20T15:30:00Z"));
        assert_eq!(parse_due("+7", now).map(format_time).as_deref(), Ok("2027-01-22T23:59:59Z"));
        assert_eq!(parse_due("7d", now), parse_due("+7", now));
        assert_eq!(parse_due("0d", now).map(format_time).as_deref(), Ok("2027-01-15T23:59:59Z"));
        for bad in ["friday", "+x", "+99999", "2027-13-01", "", "-3"] {
            assert!(parse_due(bad, now).is_err(), "{bad}");
        }
    }

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
