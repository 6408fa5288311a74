//! The HTTP vocabulary every listener shares (the OSS API and the credential fakes): the
//! response type, the listener's handler contract, small response builders and reading a
//! whole request body. Nothing here knows about buckets, objects or the server's state.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;

pub(crate) use crate::body::Body;
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;

/// The response type of every handler.
pub(crate) type Resp = Response<Body>;

/// The response future of a [`Handler`]; `Err` closes the connection without an answer.
pub(crate) type HandlerFuture =
    Pin<Box<dyn Future<Output = Result<Resp, ConnectionDropped>> + Send>>;

/// What a listener does with each request.
pub(crate) type Handler = Arc<dyn Fn(Request<Incoming>) -> HandlerFuture + Send + Sync>;

/// A handler's way of saying "close the connection without answering".
#[derive(Debug)]
pub(crate) struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for ConnectionDropped {}

/// A 200/… response with an XML body.
pub(crate) fn xml_response(status: StatusCode, xml: String) -> Resp {
    let mut resp = Response::new(Body::from(xml));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    resp
}

/// A response with no body.
pub(crate) fn empty(status: StatusCode) -> Resp {
    let mut resp = Response::new(Body::Full(Bytes::new()));
    *resp.status_mut() = status;
    resp
}

/// A header value from text (invalid → empty).
pub(crate) fn hv(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Inserts `x-oss-version-id` when the object has one.
pub(crate) fn set_version_id(resp: &mut Resp, version_id: Option<&str>) {
    if let Some(v) = version_id {
        resp.headers_mut().insert("x-oss-version-id", hv(v));
    }
}

/// Reads the whole request body, refusing more than `max` bytes with 400 `EntityTooLarge`
/// (up front when Content-Length says so).
pub(crate) async fn read_body(
    body: ReqBody,
    headers: &HeaderMap,
    max: u64,
) -> Result<Bytes, OssError> {
    let too_large = || {
        OssError::new(
            ErrorCode::EntityTooLarge,
            "Your proposed upload exceeds the maximum allowed size.",
        )
        .with("MaxSizeAllowed", max.to_string())
    };
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > max) {
        return Err(too_large());
    }
    let limit = usize::try_from(max).unwrap_or(usize::MAX);
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(OssError::new(
            ErrorCode::InvalidArgument,
            "The request body could not be read completely.",
        )),
    }
}
