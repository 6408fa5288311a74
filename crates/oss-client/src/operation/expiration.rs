//! `x-oss-expiration`: when a lifecycle rule will delete an object (OSS API reference
//! "PutObject", "GetObject" and "HeadObject" response headers).

use std::time::SystemTime;

/// When a lifecycle rule of the bucket will delete the object, from `x-oss-expiration`
/// (`expiry-date="Sat, 01 Jan 2000 00:00:00 GMT", rule-id="rule1"`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectExpiration {
    /// `expiry-date` (UTC), when it parses as an HTTP date.
    pub expiry_date: Option<SystemTime>,
    /// `rule-id`: the lifecycle rule that expires the object.
    pub rule_id: Option<String>,
    /// The header as received.
    pub value: String,
}

impl ObjectExpiration {
    /// Parses the header's `name="value"` pairs; unknown pairs are kept only in `value`.
    pub(crate) fn parse(value: &str) -> Self {
        let mut expiration = Self {
            expiry_date: None,
            rule_id: None,
            value: value.to_owned(),
        };
        let mut rest = value;
        while let Some((name, after)) = rest.split_once("=\"") {
            let Some((text, tail)) = after.split_once('"') else {
                break;
            };
            match name.trim_matches(|c: char| c == ',' || c.is_ascii_whitespace()) {
                "expiry-date" => expiration.expiry_date = httpdate::parse_http_date(text).ok(),
                "rule-id" => expiration.rule_id = Some(text.to_owned()),
                _ => {}
            }
            rest = tail;
        }
        expiration
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::ObjectExpiration;

    #[test]
    fn reads_the_date_and_the_rule() {
        let e = ObjectExpiration::parse(
            "expiry-date=\"Fri, 24 Feb 2012 06:07:48 GMT\", rule-id=\"logs-30d\"",
        );
        assert_eq!(
            e.expiry_date,
            Some(UNIX_EPOCH + Duration::from_secs(1_330_063_668))
        );
        assert_eq!(e.rule_id.as_deref(), Some("logs-30d"));
        let odd = ObjectExpiration::parse("soon");
        assert_eq!((odd.expiry_date, odd.rule_id), (None, None));
        assert_eq!(odd.value, "soon");
    }
}
