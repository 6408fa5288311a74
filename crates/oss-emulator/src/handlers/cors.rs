//! CORS as the bucket's rules (PutBucketCors, `bucket_config/cors.rs`) decide it: the
//! preflight OptionObject (`OPTIONS /bucket/key`, unsigned) and the `Access-Control-*`
//! headers added to the answers of requests that carry an `Origin`.
//!
//! A rule matches a request when one `AllowedOrigin` matches its `Origin`, one
//! `AllowedMethod` its method (for a preflight, `Access-Control-Request-Method`) and, for a
//! preflight, each name of `Access-Control-Request-Headers` one `AllowedHeader`; patterns
//! may hold one `*`, which matches any run of characters; the first matching rule wins.

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::xml_body::{self, Element};
use super::{Ctx, Resp, empty, hv};
use crate::config_family::ConfigFamily;
use crate::error::{ErrorCode, OssError};
use crate::state::State;

/// One `CORSRule`.
#[derive(Debug)]
struct Rule {
    origins: Vec<String>,
    methods: Vec<String>,
    headers: Vec<String>,
    expose: Vec<String>,
    max_age: Option<String>,
}

fn texts(el: &Element, name: &str) -> Vec<String> {
    el.children(name)
        .map(|c| c.text.trim().to_owned())
        .collect()
}

/// The bucket's rules and its `ResponseVary`; none without a CORS configuration.
fn rules(state: &State, bucket: &str) -> (Vec<Rule>, bool) {
    let document = state
        .store
        .bucket(bucket)
        .ok()
        .and_then(|b| b.document(ConfigFamily::Cors.name()));
    let Some(doc) = document.and_then(|d| xml_body::parse(d.as_bytes(), "CORSConfiguration").ok())
    else {
        return (Vec::new(), false);
    };
    let rules = doc
        .children("CORSRule")
        .map(|r| Rule {
            origins: texts(r, "AllowedOrigin"),
            methods: texts(r, "AllowedMethod"),
            headers: texts(r, "AllowedHeader"),
            expose: texts(r, "ExposeHeader"),
            max_age: r.child_text("MaxAgeSeconds").map(|m| m.trim().to_owned()),
        })
        .collect();
    (rules, doc.child_text("ResponseVary") == Some("true"))
}

/// Whether `value` matches `pattern` (at most one `*`; case-insensitive when `fold`).
fn matches(pattern: &str, value: &str, fold: bool) -> bool {
    let (pattern, value) = if fold {
        (pattern.to_ascii_lowercase(), value.to_ascii_lowercase())
    } else {
        (pattern.to_owned(), value.to_owned())
    };
    match pattern.split_once('*') {
        None => pattern == value,
        Some((head, tail)) => {
            value.len() >= head.len() + tail.len()
                && value.starts_with(head)
                && value.ends_with(tail)
        }
    }
}

impl Rule {
    fn allows(&self, origin: &str, method: &str, headers: &[&str]) -> bool {
        self.origins.iter().any(|o| matches(o, origin, false))
            && self.methods.iter().any(|m| m == method)
            && headers
                .iter()
                .all(|h| self.headers.iter().any(|a| matches(a, h, true)))
    }

    /// The `Access-Control-*` headers this rule answers with.
    fn answer(
        &self,
        origin: &str,
        requested_headers: Option<&str>,
    ) -> Vec<(HeaderName, HeaderValue)> {
        let mut out = vec![
            (http::header::ACCESS_CONTROL_ALLOW_ORIGIN, hv(origin)),
            (
                http::header::ACCESS_CONTROL_ALLOW_METHODS,
                hv(&self.methods.join(", ")),
            ),
        ];
        if let Some(h) = requested_headers.filter(|h| !h.is_empty()) {
            out.push((http::header::ACCESS_CONTROL_ALLOW_HEADERS, hv(h)));
        }
        if !self.expose.is_empty() {
            out.push((
                http::header::ACCESS_CONTROL_EXPOSE_HEADERS,
                hv(&self.expose.join(", ")),
            ));
        }
        if let Some(age) = &self.max_age {
            out.push((http::header::ACCESS_CONTROL_MAX_AGE, hv(age)));
        }
        out
    }
}

fn forbidden(message: &str) -> OssError {
    OssError::new(ErrorCode::AccessForbidden, message)
}

/// OptionObject: 200 with the first matching rule's `Access-Control-*` headers; 403
/// `AccessForbidden` without `Origin` or `Access-Control-Request-Method`, without a CORS
/// configuration, or when no rule matches.
pub(crate) fn option_object(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    ctx.state.store.bucket(bucket_name)?;
    let (Some(origin), Some(method)) = (
        ctx.header("origin"),
        ctx.header("access-control-request-method"),
    ) else {
        return Err(forbidden(
            "Invalid preflight request: Origin and Access-Control-Request-Method are required.",
        ));
    };
    let requested = ctx.header("access-control-request-headers");
    let names: Vec<&str> = requested
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let (rules, vary) = rules(ctx.state, bucket_name);
    if rules.is_empty() {
        return Err(forbidden(
            "CORSResponse: CORS is not enabled for this bucket.",
        ));
    }
    let rule = rules
        .iter()
        .find(|r| r.allows(origin, method, &names))
        .ok_or_else(|| forbidden("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec."))?;
    let mut resp = empty(StatusCode::OK);
    for (name, value) in rule.answer(origin, requested) {
        resp.headers_mut().insert(name, value);
    }
    if vary {
        resp.headers_mut()
            .insert(http::header::VARY, HeaderValue::from_static("Origin"));
    }
    Ok(resp)
}

/// The CORS headers for an ordinary request with an `Origin` (none when the bucket has no
/// rule for its origin and method); `Vary: Origin` too when `ResponseVary` is on.
pub(crate) fn response_headers(
    state: &State,
    bucket: &str,
    method: &str,
    headers: &HeaderMap,
) -> Vec<(HeaderName, HeaderValue)> {
    let Some(origin) = headers.get("origin").and_then(|o| o.to_str().ok()) else {
        return Vec::new();
    };
    let (rules, vary) = rules(state, bucket);
    let mut out = rules
        .iter()
        .find(|r| r.allows(origin, method, &[]))
        .map(|r| r.answer(origin, None))
        .unwrap_or_default();
    if vary {
        out.push((http::header::VARY, HeaderValue::from_static("Origin")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_hold_one_wildcard() {
        assert!(matches("*", "https://a.example.com", false));
        assert!(matches(
            "https://*.example.com",
            "https://a.example.com",
            false
        ));
        assert!(!matches(
            "https://*.example.com",
            "https://example.org",
            false
        ));
        assert!(!matches(
            "https://a.example.com",
            "https://A.example.com",
            false
        ));
        assert!(matches("x-oss-*", "X-OSS-Meta-A", true));
        assert!(!matches("ab*ba", "aba", false));
    }
}
