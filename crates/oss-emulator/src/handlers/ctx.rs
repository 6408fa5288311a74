//! [`Ctx`], what every handler may look at, and the checks on it that several handlers share
//! (boolean headers, Content-Length, Content-MD5, `encoding-type`).

use std::time::SystemTime;

use http::HeaderMap;
use http::header;
use oss_auth::sign::QueryParams;

use crate::error::{ErrorCode, OssError};
use crate::state::State;

/// What every handler may look at.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub(crate) state: &'a State,
    pub(crate) now: SystemTime,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) query: &'a QueryParams,
    /// The `x-oss-request-id` this request is answered with.
    pub(crate) request_id: &'a str,
}

impl Ctx<'_> {
    /// A request header as text (absent or non-ASCII → `None`).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A query parameter's value (`?a` and `?a=` both give `Some("")`).
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query.get(name).map(|v| v.unwrap_or(""))
    }
}

/// Whether a header is `true` (case-insensitive).
pub(crate) fn header_true(ctx: &Ctx<'_>, name: &str) -> bool {
    ctx.header(name)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// 411 `MissingContentLength` unless the request has Content-Length or is chunked.
pub(crate) fn require_content_length(ctx: &Ctx<'_>) -> Result<(), OssError> {
    if !ctx.headers.contains_key(header::CONTENT_LENGTH)
        && !ctx.headers.contains_key(header::TRANSFER_ENCODING)
    {
        return Err(OssError::new(
            ErrorCode::MissingContentLength,
            "You must provide the Content-Length HTTP header.",
        ));
    }
    Ok(())
}

/// Checks `Content-MD5` (when sent) against the body's MD5; 400 `InvalidDigest` on mismatch.
/// Returns the base64 MD5 of the body.
pub(crate) fn check_content_md5(ctx: &Ctx<'_>, md5: &[u8]) -> Result<String, OssError> {
    use base64::Engine as _;
    let content_md5 = base64::engine::general_purpose::STANDARD.encode(md5);
    if let Some(sent) = ctx.headers.get("content-md5") {
        let sent = sent.to_str().unwrap_or("").trim();
        if sent != content_md5 {
            return Err(OssError::new(
                ErrorCode::InvalidDigest,
                "The Content-MD5 you specified was invalid.",
            )
            .with("Content-MD5", sent));
        }
    }
    Ok(content_md5)
}

/// `encoding-type`: absent → false, `url` → true, else 400 `InvalidArgument`.
pub(crate) fn url_encoding(ctx: &Ctx<'_>) -> Result<bool, OssError> {
    match ctx.param("encoding-type") {
        None => Ok(false),
        Some("url") => Ok(true),
        Some(other) => Err(OssError::invalid_argument(
            "encoding-type must be url.",
            "encoding-type",
            other,
        )),
    }
}
