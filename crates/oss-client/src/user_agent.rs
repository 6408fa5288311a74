//! The `User-Agent` header: the SDK's name and version, and the application's suffix.

use http::HeaderValue;

use crate::error::Error;
use crate::validate;

/// The `User-Agent` of every request without a suffix.
const BASE: &str = concat!("oss-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// `oss-sdk-rust/<version>`, or `oss-sdk-rust/<version>/<suffix>` (the official SDKs join
/// theirs with `/` too).
///
/// # Errors
/// [`ErrorKind::InvalidHeaderValue`](crate::ErrorKind::InvalidHeaderValue) for a suffix with
/// control or non-ASCII characters.
pub(crate) fn header_value(suffix: Option<&str>) -> Result<HeaderValue, Error> {
    let Some(suffix) = suffix.filter(|s| !s.is_empty()) else {
        return Ok(HeaderValue::from_static(BASE));
    };
    validate::header_value("User-Agent", &format!("{BASE}/{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn suffix_is_appended_after_a_slash() {
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            header_value(None).unwrap(),
            format!("oss-sdk-rust/{version}").as_str()
        );
        assert_eq!(
            header_value(Some("batch-job/2.1")).unwrap(),
            format!("oss-sdk-rust/{version}/batch-job/2.1").as_str()
        );
        for bad in ["a\r\nX-Injected: 1", "café", "nul\0"] {
            let e = header_value(Some(bad)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidHeaderValue, "{bad:?}");
        }
    }
}
