//! The time formats used by signing, all in UTC, formatted without allocating.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{SigningError, SigningErrorKind};

/// The last instant signing accepts: 9999-12-31T23:59:59Z.
const MAX_UNIX_SECONDS: u64 = 253_402_300_799;

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// One signing instant in the forms the signers need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningTime {
    unix_seconds: u64,
    v4_timestamp: [u8; 16],
    http_date: [u8; 29],
}

impl SigningTime {
    /// Converts `time`, dropping fractional seconds.
    ///
    /// # Errors
    /// [`SigningErrorKind::InvalidTime`] for instants before 1970 or after year 9999.
    pub fn new(time: SystemTime) -> Result<Self, SigningError> {
        let unix_seconds = Self::unix_seconds_of(time).ok_or_else(|| {
            SigningError::new(SigningErrorKind::InvalidTime, "signing time out of range")
        })?;
        let days = unix_seconds / 86_400;
        let (year, month, day) = civil_from_days(days);
        let second_of_day = unix_seconds % 86_400;
        let (hour, minute, second) = (
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60,
        );

        let mut v4_timestamp = *b"00000000T000000Z";
        put_digits(&mut v4_timestamp[0..4], year);
        put_digits(&mut v4_timestamp[4..6], month);
        put_digits(&mut v4_timestamp[6..8], day);
        put_digits(&mut v4_timestamp[9..11], hour);
        put_digits(&mut v4_timestamp[11..13], minute);
        put_digits(&mut v4_timestamp[13..15], second);

        // `Sun, 06 Nov 1994 08:49:37 GMT`
        let mut http_date = *b"Thu, 00 Jan 0000 00:00:00 GMT";
        http_date[0..3].copy_from_slice(WEEKDAYS[(days % 7) as usize].as_bytes());
        put_digits(&mut http_date[5..7], day);
        http_date[8..11].copy_from_slice(MONTHS[(month - 1) as usize].as_bytes());
        put_digits(&mut http_date[12..16], year);
        put_digits(&mut http_date[17..19], hour);
        put_digits(&mut http_date[20..22], minute);
        put_digits(&mut http_date[23..25], second);

        Ok(Self {
            unix_seconds,
            v4_timestamp,
            http_date,
        })
    }

    /// Whole seconds since the Unix epoch of `time`; `None` outside 1970 to year 9999.
    pub(crate) fn unix_seconds_of(time: SystemTime) -> Option<u64> {
        time.duration_since(UNIX_EPOCH)
            .ok()
            .map(|d| d.as_secs())
            .filter(|&s| s <= MAX_UNIX_SECONDS)
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> u64 {
        self.unix_seconds
    }

    /// V4 timestamp `YYYYMMDD'T'HHMMSS'Z'`, e.g. `20231216T162057Z`.
    pub fn v4_timestamp(&self) -> &str {
        ascii(&self.v4_timestamp)
    }

    /// The V4 date: the first 8 characters of the timestamp (`YYYYMMDD`).
    pub fn v4_date(&self) -> &str {
        ascii(&self.v4_timestamp[..8])
    }

    /// RFC 1123 date, e.g. `Sat, 16 Dec 2023 16:20:57 GMT` (V1, and `Date` in V4).
    pub fn http_date(&self) -> &str {
        ascii(&self.http_date)
    }
}

/// The buffers above only ever hold ASCII.
fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// Writes `value` as decimal digits filling `out` (zero-padded; higher digits dropped).
fn put_digits(out: &mut [u8], mut value: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// (year, month 1-12, day 1-31) of a count of days since 1970-01-01, in the proleptic
/// Gregorian calendar (Howard Hinnant's `civil_from_days`, for non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
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
    use std::time::Duration;

    use super::*;

    #[test]
    fn formats_leap_day() {
        // 2024-02-29T23:59:59Z
        let t = SigningTime::new(UNIX_EPOCH + Duration::from_secs(1_709_251_199)).unwrap();
        assert_eq!(t.v4_timestamp(), "20240229T235959Z");
        assert_eq!(t.v4_date(), "20240229");
        assert_eq!(t.http_date(), "Thu, 29 Feb 2024 23:59:59 GMT");
        assert_eq!(
            parse_v4_timestamp("20240229T235959Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_709_251_199))
        );
    }

    #[test]
    fn agrees_with_the_time_and_httpdate_crates_across_the_range() {
        let mut secs = 0u64;
        while secs <= MAX_UNIX_SECONDS {
            let instant = UNIX_EPOCH + Duration::from_secs(secs);
            let ours = SigningTime::new(instant).unwrap();
            let expected = time::OffsetDateTime::from_unix_timestamp(secs as i64)
                .unwrap()
                .format(time::macros::format_description!(
                    "[year][month][day]T[hour][minute][second]Z"
                ))
                .unwrap();
            assert_eq!(ours.v4_timestamp(), expected, "at {secs}");
            assert_eq!(
                ours.http_date(),
                httpdate::fmt_http_date(instant),
                "at {secs}"
            );
            secs += 86_399 * 37 + 12_345; // steps through every month, weekday and hour
        }
        let last = SigningTime::new(UNIX_EPOCH + Duration::from_secs(MAX_UNIX_SECONDS)).unwrap();
        assert_eq!(last.v4_timestamp(), "99991231T235959Z");
    }

    #[test]
    fn refuses_instants_out_of_range() {
        let before = UNIX_EPOCH - Duration::from_secs(1);
        let after = UNIX_EPOCH + Duration::from_secs(MAX_UNIX_SECONDS + 1);
        for t in [before, after] {
            assert_eq!(
                SigningTime::new(t).unwrap_err().kind(),
                SigningErrorKind::InvalidTime
            );
        }
    }
}
