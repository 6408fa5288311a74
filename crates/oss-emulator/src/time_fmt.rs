//! Time formats used on the wire: RFC 1123 in headers, ISO 8601 with milliseconds in XML.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `Thu, 02 Jan 2025 03:04:05 GMT`.
pub(crate) fn http_date(t: SystemTime) -> String {
    httpdate::fmt_http_date(t)
}

/// `2025-01-02T03:04:05.000Z` (UTC, milliseconds).
pub(crate) fn iso8601_millis(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(d.as_secs()).unwrap_or(0);
    let dt =
        time::OffsetDateTime::from_unix_timestamp(secs).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        d.subsec_millis()
    )
}

/// `t` truncated to whole seconds (HTTP dates carry no fractions).
pub(crate) fn whole_seconds(t: SystemTime) -> SystemTime {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_both_styles() {
        let t = UNIX_EPOCH + Duration::from_millis(1_735_787_045_123);
        assert_eq!(iso8601_millis(t), "2025-01-02T03:04:05.123Z");
        assert_eq!(http_date(t), "Thu, 02 Jan 2025 03:04:05 GMT");
        assert_eq!(
            whole_seconds(t),
            UNIX_EPOCH + Duration::from_secs(1_735_787_045)
        );
    }
}
