//! Reading responses: bodies, headers and OSS error documents.

use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, Response, StatusCode};
use http_body_util::BodyExt as _;
use oss_http::{ErrorDocument, ResponseBody};

use crate::error::{Error, ErrorKind, ServiceError};

/// The largest XML or error body read into memory (16 MiB).
const MAX_XML_BODY: usize = 16 * 1024 * 1024;

/// Reads a whole (XML) body, refusing bodies over 16 MiB.
pub(crate) async fn read_body(body: ResponseBody) -> Result<Bytes, Error> {
    let limited = http_body_util::Limited::new(body, MAX_XML_BODY);
    let collected = limited.collect().await.map_err(|e| {
        Error::new(ErrorKind::Transport, "reading the response body failed").with_source(e)
    })?;
    Ok(collected.to_bytes())
}

/// A header as text.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A header as owned text, or empty.
pub(crate) fn header_string(headers: &HeaderMap, name: &HeaderName) -> String {
    header(headers, name).unwrap_or_default().to_owned()
}

/// A header as a number.
pub(crate) fn header_parse<T: std::str::FromStr>(
    headers: &HeaderMap,
    name: &HeaderName,
) -> Option<T> {
    header(headers, name).and_then(|v| v.trim_ascii().parse().ok())
}

/// An HTTP-date header as an instant.
pub(crate) fn header_time(headers: &HeaderMap, name: &HeaderName) -> Option<SystemTime> {
    header(headers, name).and_then(|v| httpdate::parse_http_date(v).ok())
}

/// Turns a non-success response into [`Error::Service`], with the error document the retry
/// layer read, or else read here by the same reader (`oss_http::error_document::read`):
/// from the error XML body, or for bodiless answers (HEAD) from the base64 XML in `x-oss-err`;
/// a body that is no error document keeps its start in the error.
pub(crate) async fn service_error(has_key: bool, response: Response<ResponseBody>) -> Error {
    let response = oss_http::error_document::read(response).await;
    let (mut parts, _body) = response.into_parts();
    let document = parts
        .extensions
        .remove::<ErrorDocument>()
        .unwrap_or_else(|| ErrorDocument::parse(&parts.headers, b""));
    Error::service(ServiceError {
        status: parts.status,
        fallback_code: code_from_status(parts.status, has_key),
        document,
        headers: parts.headers,
    })
}

/// The code to report when a response carries no error document.
fn code_from_status(status: StatusCode, has_key: bool) -> &'static str {
    match status {
        StatusCode::NOT_MODIFIED => "NotModified",
        StatusCode::NOT_FOUND if has_key => "NoSuchKey",
        StatusCode::NOT_FOUND => "NoSuchBucket",
        StatusCode::FORBIDDEN => "AccessDenied",
        StatusCode::PRECONDITION_FAILED => "PreconditionFailed",
        StatusCode::RANGE_NOT_SATISFIABLE => "InvalidRange",
        _ => "BadErrorResponse",
    }
}

/// Parses an ISO 8601 time from OSS XML (`2025-01-02T03:04:05.000Z`).
pub(crate) fn parse_iso8601(text: &str) -> Option<SystemTime> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(SystemTime::from)
}
