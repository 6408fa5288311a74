//! Operation handlers: one module per resource level (service, bucket, object).

pub(crate) mod bucket;
pub(crate) mod object;
pub(crate) mod service;

use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Response, StatusCode};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use oss_auth::sign::QueryParams;

use crate::error::{ErrorCode, OssError};
use crate::router::{Operation, Target};
use crate::state::State;

/// The response type of every handler.
pub(crate) type Resp = Response<Full<Bytes>>;

/// What every handler may look at.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub(crate) state: &'a State,
    pub(crate) now: SystemTime,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) query: &'a QueryParams,
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

/// A 200/… response with an XML body.
pub(crate) fn xml_response(status: StatusCode, xml: String) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(xml)));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    resp
}

/// A response with no body.
pub(crate) fn empty(status: StatusCode) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = status;
    resp
}

/// Reads the whole request body, refusing more than `max` bytes with 400 `EntityTooLarge`
/// (up front when Content-Length says so).
pub(crate) async fn read_body(
    body: Incoming,
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

/// Runs `op` on `target`.
pub(crate) async fn dispatch(
    ctx: &Ctx<'_>,
    op: Operation,
    target: &Target,
    body: Incoming,
) -> Result<Resp, OssError> {
    let bucket = target.bucket.as_deref().unwrap_or("");
    let key = target.key.as_deref().unwrap_or("");
    match op {
        Operation::ListBuckets => service::list_buckets(ctx),
        Operation::PutBucket => bucket::put_bucket(ctx, bucket, body).await,
        Operation::DeleteBucket => bucket::delete_bucket(ctx, bucket),
        Operation::ListObjects => bucket::list_objects(ctx, bucket, false),
        Operation::ListObjectsV2 => bucket::list_objects(ctx, bucket, true),
        Operation::PutObject => object::put_object(ctx, bucket, key, body).await,
        Operation::GetObject => object::get_object(ctx, bucket, key, false),
        Operation::HeadObject => object::get_object(ctx, bucket, key, true),
        Operation::GetObjectMeta => object::get_object_meta(ctx, bucket, key),
        Operation::DeleteObject => object::delete_object(ctx, bucket, key),
    }
}
