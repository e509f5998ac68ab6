//! Times as callforge writes them: RFC 3339 text to and from seconds since the Unix epoch (pure, never reads the clock).

/// Parses an RFC 3339 time to seconds since the epoch.
pub fn parse_time(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok().map(|t| t.unix_timestamp())
}

/// Seconds since the epoch as RFC 3339 UTC.
pub fn format_time(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}
