//! The `x-oss-date` and `Date` header values of one signing second, formatted once a second per
//! thread instead of once a request.

use std::cell::RefCell;
use std::time::SystemTime;

use http::HeaderValue;

use super::timestamp::SigningTime;
use crate::error::SigningError;

/// One signing second and its two date header values.
#[derive(Clone)]
pub(crate) struct DateHeaders {
    pub(crate) time: SigningTime,
    /// `x-oss-date`: the V4 timestamp.
    pub(crate) v4_timestamp: HeaderValue,
    /// `Date`: the RFC 1123 date.
    pub(crate) http_date: HeaderValue,
}

thread_local! {
    static LAST: RefCell<Option<DateHeaders>> = const { RefCell::new(None) };
}

impl DateHeaders {
    /// The values for `time` (fractional seconds dropped), reused while the second is the same.
    /// Cloning a value shares its bytes.
    ///
    /// # Errors
    /// Those of [`SigningTime::new`].
    pub(crate) fn at(time: SystemTime) -> Result<Self, SigningError> {
        let seconds = SigningTime::unix_seconds_of(time);
        LAST.with_borrow_mut(|last| {
            if let Some(headers) = last
                .as_ref()
                .filter(|h| Some(h.time.unix_seconds()) == seconds)
            {
                return Ok(headers.clone());
            }
            let time = SigningTime::new(time)?;
            let headers = Self {
                v4_timestamp: HeaderValue::from_str(time.v4_timestamp())
                    .expect("a V4 timestamp is ASCII"),
                http_date: HeaderValue::from_str(time.http_date()).expect("an HTTP date is ASCII"),
                time,
            };
            *last = Some(headers.clone());
            Ok(headers)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn follows_the_second() {
        let second = UNIX_EPOCH + Duration::from_secs(1_709_251_199);
        let first = DateHeaders::at(second).unwrap();
        assert_eq!(first.v4_timestamp, "20240229T235959Z");
        assert_eq!(first.http_date, "Thu, 29 Feb 2024 23:59:59 GMT");
        let same = DateHeaders::at(second + Duration::from_millis(999)).unwrap();
        assert_eq!(same.v4_timestamp, "20240229T235959Z");
        let next = DateHeaders::at(second + Duration::from_secs(1)).unwrap();
        assert_eq!(next.v4_timestamp, "20240301T000000Z");
        assert_eq!(next.http_date, "Fri, 01 Mar 2024 00:00:00 GMT");
        let earlier = DateHeaders::at(second - Duration::from_secs(86_400)).unwrap();
        assert_eq!(earlier.v4_timestamp, "20240228T235959Z");
    }

    #[test]
    fn refuses_instants_out_of_range() {
        assert!(DateHeaders::at(UNIX_EPOCH - Duration::from_secs(1)).is_err());
    }
}
