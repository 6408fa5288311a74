//! The time formats used by signing, all in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{SigningError, SigningErrorKind};

/// One signing instant in the forms the signers need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningTime {
    /// Whole seconds since the Unix epoch.
    pub unix_seconds: u64,
    /// V4 timestamp `YYYYMMDD'T'HHMMSS'Z'`, e.g. `20231216T162057Z`.
    pub v4_timestamp: String,
    /// RFC 1123 date, e.g. `Sat, 16 Dec 2023 16:20:57 GMT` (V1, and `Date` in V4).
    pub http_date: String,
}

impl SigningTime {
    /// Converts `time`, dropping fractional seconds.
    ///
    /// # Errors
    /// [`SigningErrorKind::InvalidTime`] for instants before 1970 or after year 9999.
    pub fn new(time: SystemTime) -> Result<Self, SigningError> {
        let invalid =
            || SigningError::new(SigningErrorKind::InvalidTime, "signing time out of range");
        let unix_seconds = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| invalid())?
            .as_secs();
        let dt = time::OffsetDateTime::from_unix_timestamp(
            i64::try_from(unix_seconds).map_err(|_| invalid())?,
        )
        .map_err(|_| invalid())?;
        if dt.year() > 9999 {
            return Err(invalid());
        }
        let mut v4_timestamp = String::with_capacity(16);
        push_digits(&mut v4_timestamp, dt.year().unsigned_abs(), 4);
        push_digits(&mut v4_timestamp, u32::from(u8::from(dt.month())), 2);
        push_digits(&mut v4_timestamp, u32::from(dt.day()), 2);
        v4_timestamp.push('T');
        push_digits(&mut v4_timestamp, u32::from(dt.hour()), 2);
        push_digits(&mut v4_timestamp, u32::from(dt.minute()), 2);
        push_digits(&mut v4_timestamp, u32::from(dt.second()), 2);
        v4_timestamp.push('Z');
        let whole = UNIX_EPOCH + std::time::Duration::from_secs(unix_seconds);
        Ok(Self {
            unix_seconds,
            v4_timestamp,
            http_date: httpdate::fmt_http_date(whole),
        })
    }

    /// The V4 date: the first 8 characters of the timestamp (`YYYYMMDD`).
    pub fn v4_date(&self) -> &str {
        &self.v4_timestamp[..8]
    }
}

/// Appends `value` as exactly `width` decimal digits (zero-padded; higher digits dropped).
fn push_digits(out: &mut String, value: u32, width: u32) {
    for position in (0..width).rev() {
        let digit = (value / 10u32.pow(position)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Parses a V4 timestamp (`20231216T162057Z`) into an instant.
pub fn parse_v4_timestamp(value: &str) -> Option<SystemTime> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let dt = time::PrimitiveDateTime::parse(value, &format).ok()?;
    let secs = u64::try_from(dt.assume_utc().unix_timestamp()).ok()?;
    Some(UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_leap_day() {
        // 2024-02-29T23:59:59Z
        let t =
            SigningTime::new(UNIX_EPOCH + std::time::Duration::from_secs(1_709_251_199)).unwrap();
        assert_eq!(t.v4_timestamp, "20240229T235959Z");
        assert_eq!(t.v4_date(), "20240229");
        assert_eq!(t.http_date, "Thu, 29 Feb 2024 23:59:59 GMT");
        assert_eq!(
            parse_v4_timestamp("20240229T235959Z"),
            Some(UNIX_EPOCH + std::time::Duration::from_secs(1_709_251_199))
        );
    }
}
