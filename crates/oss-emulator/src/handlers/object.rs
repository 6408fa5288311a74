//! Object operations: PutObject, GetObject, HeadObject, GetObjectMeta and DeleteObject.

use base64::Engine as _;
use http::StatusCode;
use http::header::{self, HeaderName, HeaderValue};
use hyper::body::Incoming;
use md5::{Digest as _, Md5};

use super::{Ctx, Resp, empty, read_body};
use crate::conditional::{Precondition, evaluate as evaluate_conditions};
use crate::error::{ErrorCode, OssError};
use crate::range::{RangeOutcome, evaluate as evaluate_range};
use crate::store::Object;
use crate::time_fmt::{http_date, whole_seconds};

/// Headers stored with an object and returned on GET/HEAD (besides `x-oss-meta-*`).
const STORED_HEADERS: &[HeaderName] = &[
    header::CACHE_CONTROL,
    header::CONTENT_DISPOSITION,
    header::CONTENT_ENCODING,
    header::EXPIRES,
];

/// `response-*` query parameters and the response header each overrides.
const OVERRIDES: &[(&str, HeaderName)] = &[
    ("response-content-type", header::CONTENT_TYPE),
    ("response-content-language", header::CONTENT_LANGUAGE),
    ("response-expires", header::EXPIRES),
    ("response-cache-control", header::CACHE_CONTROL),
    ("response-content-disposition", header::CONTENT_DISPOSITION),
    ("response-content-encoding", header::CONTENT_ENCODING),
];

/// CRC-64/XZ ("crc64ecma") of `data`.
pub(crate) fn crc64(data: &[u8]) -> u64 {
    let mut digest = crc64fast::Digest::new();
    digest.write(data);
    digest.sum64()
}

/// `"` + upper-case hex + `"`.
fn quoted_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2 + 2);
    out.push('"');
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0x0f)] as char);
    }
    out.push('"');
    out
}

fn hv(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// PutObject: stores the body verbatim with its content headers and user metadata.
pub(crate) async fn put_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: Incoming,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    if !ctx.headers.contains_key(header::CONTENT_LENGTH)
        && !ctx.headers.contains_key(header::TRANSFER_ENCODING)
    {
        return Err(OssError::new(
            ErrorCode::MissingContentLength,
            "You must provide the Content-Length HTTP header.",
        ));
    }
    let data = read_body(body, ctx.headers, ctx.state.max_object_size).await?;
    let md5 = Md5::digest(&data);
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
    let content_type = ctx
        .headers
        .get(header::CONTENT_TYPE)
        .filter(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("application/octet-stream"));
    let mut stored = Vec::new();
    for name in STORED_HEADERS {
        if let Some(v) = ctx.headers.get(name) {
            stored.push((name.clone(), v.clone()));
        }
    }
    for (name, value) in ctx.headers {
        if name.as_str().starts_with("x-oss-meta-") {
            stored.push((name.clone(), value.clone()));
        }
    }
    let forbid = ctx
        .header("x-oss-forbid-overwrite")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let object = Object {
        crc64: crc64(&data),
        etag: quoted_hex(&md5),
        content_md5,
        data,
        last_modified: whole_seconds(ctx.now),
        content_type,
        headers: stored,
    };
    let object = bucket.put(key, object, forbid)?;
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert(header::ETAG, hv(&object.etag));
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    h.insert("content-md5", hv(&object.content_md5));
    Ok(resp)
}

fn object_or_404(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<std::sync::Arc<Object>, OssError> {
    ctx.state
        .store
        .bucket(bucket_name)?
        .get(key)
        .ok_or_else(|| OssError::no_such_key(key))
}

/// GetObject or HeadObject (`head`): conditionals, Range (GET only), `response-*` overrides.
pub(crate) fn get_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    head: bool,
) -> Result<Resp, OssError> {
    let object = object_or_404(ctx, bucket_name, key)?;
    let last_modified = hv(&http_date(object.last_modified));
    match evaluate_conditions(ctx.headers, &object.etag, object.last_modified) {
        Precondition::Proceed => {}
        Precondition::Failed => {
            return Err(OssError::new(
                ErrorCode::PreconditionFailed,
                "At least one of the pre-conditions you specified did not hold.",
            )
            .with("Condition", "If-Match/If-Unmodified-Since"));
        }
        Precondition::NotModified => {
            let mut resp = empty(StatusCode::NOT_MODIFIED);
            resp.headers_mut().insert(header::ETAG, hv(&object.etag));
            resp.headers_mut()
                .insert(header::LAST_MODIFIED, last_modified);
            return Ok(resp);
        }
    }
    let size = object.data.len() as u64;
    let standard = ctx
        .header("x-oss-range-behavior")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("standard"));
    let range = if head {
        RangeOutcome::Full
    } else {
        evaluate_range(ctx.header("range"), size, standard)
    };
    let (status, body, content_range) = match range {
        RangeOutcome::Full => (StatusCode::OK, object.data.clone(), None),
        RangeOutcome::Partial { start, end } => {
            let (s, e) = (
                usize::try_from(start).unwrap_or(0),
                usize::try_from(end).unwrap_or(0),
            );
            (
                StatusCode::PARTIAL_CONTENT,
                object.data.slice(s..=e),
                Some(format!("bytes {start}-{end}/{size}")),
            )
        }
        RangeOutcome::Unsatisfiable => {
            return Err(OssError::new(
                ErrorCode::InvalidRange,
                "The requested range cannot be satisfied.",
            )
            .with("RangeRequested", ctx.header("range").unwrap_or(""))
            .with("ActualObjectSize", size.to_string()));
        }
    };
    let length = body.len();
    let mut resp = empty(status);
    if !head {
        *resp.body_mut() = http_body_util::Full::new(body);
    }
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, object.content_type.clone());
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::ETAG, hv(&object.etag));
    h.insert(header::LAST_MODIFIED, last_modified);
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    h.insert("x-oss-object-type", HeaderValue::from_static("Normal"));
    h.insert("x-oss-storage-class", HeaderValue::from_static("Standard"));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    match content_range {
        Some(cr) => {
            h.insert(header::CONTENT_RANGE, hv(&cr));
        }
        None => {
            h.insert("content-md5", hv(&object.content_md5));
        }
    }
    for (name, value) in &object.headers {
        h.append(name.clone(), value.clone());
    }
    for (param, name) in OVERRIDES {
        if let Some(value) = ctx.param(param) {
            let value = HeaderValue::from_str(value).map_err(|_| {
                OssError::invalid_argument(
                    "The response header override is not a valid header value.",
                    param,
                    value,
                )
            })?;
            h.insert(name.clone(), value);
        }
    }
    Ok(resp)
}

/// GetObjectMeta (`HEAD ?objectMeta`): ETag, Content-Length, Last-Modified, CRC-64.
pub(crate) fn get_object_meta(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let object = object_or_404(ctx, bucket_name, key)?;
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(object.data.len()));
    h.insert(header::ETAG, hv(&object.etag));
    h.insert(header::LAST_MODIFIED, hv(&http_date(object.last_modified)));
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    Ok(resp)
}

/// DeleteObject: 204, also for a missing key; 404 `NoSuchBucket` for a missing bucket.
pub(crate) fn delete_object(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    ctx.state.store.bucket(bucket_name)?.delete(key);
    Ok(empty(StatusCode::NO_CONTENT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_check_values() {
        assert_eq!(crc64(b"123456789"), 11_051_210_869_376_104_954);
        assert_eq!(crc64(b""), 0);
        assert_eq!(crc64(b"hello"), 11_177_612_005_948_864_433);
    }

    #[test]
    fn etag_is_quoted_upper_hex_md5() {
        let md5 = Md5::digest(b"hello world");
        assert_eq!(quoted_hex(&md5), "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\"");
    }
}
