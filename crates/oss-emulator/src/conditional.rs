//! Conditional GET/HEAD (`If-Match`, `If-None-Match`, `If-Modified-Since`,
//! `If-Unmodified-Since`), evaluated in the RFC 7232 order.

use std::time::SystemTime;

use http::HeaderMap;

use crate::time_fmt::whole_seconds;

/// The outcome of the preconditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precondition {
    /// Serve the object.
    Proceed,
    /// 304, no body.
    NotModified,
    /// 412 `PreconditionFailed`.
    Failed,
}

fn normalise(tag: &str) -> &str {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    tag.trim_matches('"')
}

/// Whether a list of entity tags (`"A", "B"` or `*`) matches `etag`. Quotes are ignored and
/// hex is compared case-insensitively.
pub(crate) fn etag_matches(list: &str, etag: &str) -> bool {
    let etag = normalise(etag);
    list.split(',').any(|t| {
        let t = t.trim();
        t == "*" || normalise(t).eq_ignore_ascii_case(etag)
    })
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn date(headers: &HeaderMap, name: &str) -> Option<SystemTime> {
    header(headers, name).and_then(|v| httpdate::parse_http_date(v.trim()).ok())
}

/// Evaluates the conditional headers against an existing object. Unparsable dates are ignored.
pub(crate) fn evaluate(headers: &HeaderMap, etag: &str, last_modified: SystemTime) -> Precondition {
    let modified = whole_seconds(last_modified);
    if let Some(list) = header(headers, "if-match") {
        if !etag_matches(list, etag) {
            return Precondition::Failed;
        }
    } else if let Some(since) = date(headers, "if-unmodified-since") {
        if modified > since {
            return Precondition::Failed;
        }
    }
    if let Some(list) = header(headers, "if-none-match") {
        if etag_matches(list, etag) {
            return Precondition::NotModified;
        }
    } else if let Some(since) = date(headers, "if-modified-since") {
        if modified <= since {
            return Precondition::NotModified;
        }
    }
    Precondition::Proceed
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const ETAG: &str = "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\"";

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.insert(*n, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn etag_rules() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let e = |p: &[(&'static str, &str)]| evaluate(&headers(p), ETAG, t);
        assert_eq!(e(&[]), Precondition::Proceed);
        assert_eq!(e(&[("if-match", ETAG)]), Precondition::Proceed);
        assert_eq!(
            e(&[("if-match", "5eb63bbbe01eeed093cb22bb8f5acdc3")]),
            Precondition::Proceed
        );
        assert_eq!(e(&[("if-match", "*")]), Precondition::Proceed);
        assert_eq!(e(&[("if-match", "\"0000\"")]), Precondition::Failed);
        assert_eq!(e(&[("if-none-match", ETAG)]), Precondition::NotModified);
        assert_eq!(e(&[("if-none-match", "*")]), Precondition::NotModified);
        assert_eq!(e(&[("if-none-match", "\"0000\"")]), Precondition::Proceed);
        assert_eq!(
            e(&[("if-match", "\"0000\""), ("if-none-match", ETAG)]),
            Precondition::Failed
        );
    }

    #[test]
    fn date_rules() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_500);
        let at =
            httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let before =
            httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(1_699_999_999));
        let e = |p: &[(&'static str, &str)]| evaluate(&headers(p), ETAG, t);
        assert_eq!(e(&[("if-modified-since", &at)]), Precondition::NotModified);
        assert_eq!(e(&[("if-modified-since", &before)]), Precondition::Proceed);
        assert_eq!(e(&[("if-unmodified-since", &at)]), Precondition::Proceed);
        assert_eq!(e(&[("if-unmodified-since", &before)]), Precondition::Failed);
        assert_eq!(
            e(&[("if-modified-since", "garbage")]),
            Precondition::Proceed
        );
        // If-None-Match takes precedence over If-Modified-Since.
        assert_eq!(
            e(&[("if-none-match", "\"0000\""), ("if-modified-since", &at)]),
            Precondition::Proceed
        );
    }
}
