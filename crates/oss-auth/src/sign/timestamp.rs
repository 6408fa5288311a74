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
        let v4_timestamp = format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            dt.year(),
            u8::from(dt.month()),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        );
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
