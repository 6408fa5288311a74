//! Object operations: PutObject, GetObject, HeadObject, GetObjectMeta and DeleteObject, plus
//! the version resolution, symlink following and archive checks every read shares.

use std::sync::{Arc, Mutex};

use crate::pace::ReqBody;
use http::StatusCode;
use http::header::{self, HeaderName, HeaderValue};

use super::lookup::resolve;
use super::receive::{Received, receive};
use super::restore::{restore_at, restore_header};
use super::worm;
use super::{
    Ctx, Resp, WriteHeaders, check_content_md5, empty, header_true, hv, quoted_hex,
    require_content_length, set_version_id,
};
use crate::conditional::{Precondition, evaluate as evaluate_conditions};
use crate::error::{ErrorCode, OssError};
use crate::range::{RangeOutcome, evaluate as evaluate_range};
use crate::store::{Attrs, Bucket, Object, ObjectType, Restore, disk_error};
use crate::time_fmt::{http_date, whole_seconds};

/// `response-*` query parameters and the response header each overrides.
const OVERRIDES: &[(&str, HeaderName)] = &[
    ("response-content-type", header::CONTENT_TYPE),
    ("response-content-language", header::CONTENT_LANGUAGE),
    ("response-expires", header::EXPIRES),
    ("response-cache-control", header::CACHE_CONTROL),
    ("response-content-disposition", header::CONTENT_DISPOSITION),
    ("response-content-encoding", header::CONTENT_ENCODING),
];

/// PutObject: stores the body verbatim with its content headers, user metadata, storage
/// class, ACL and tags.
pub(crate) async fn put_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    require_content_length(ctx)?;
    let wh = WriteHeaders::from_ctx(ctx, &bucket.storage_class)?.with_default_encryption(&bucket);
    let received = receive(ctx, &bucket, key, body).await?;
    store(ctx, &bucket, key, wh, received)
}

/// Stores a received body as `key` with the attributes of `wh` (PutObject, PostObject, a
/// processed image saved with `sys/saveas`): checks `Content-MD5` and
/// `x-oss-forbid-overwrite` of `ctx`'s headers and answers with ETag, CRC-64, Content-MD5
/// and version id.
pub(crate) fn store(
    ctx: &Ctx<'_>,
    bucket: &Bucket,
    key: &str,
    wh: WriteHeaders,
    received: Received,
) -> Result<Resp, OssError> {
    let content_md5 = check_content_md5(ctx, &received.md5)?;
    let forbid = header_true(ctx, "x-oss-forbid-overwrite");
    let object = Object {
        crc64: received.crc64,
        etag: quoted_hex(&received.md5),
        content_md5: Some(content_md5),
        last_modified: whole_seconds(ctx.now),
        content_type: wh.content_type,
        headers: wh.headers,
        storage_class: wh.storage_class,
        attrs: Mutex::new(Attrs {
            acl: wh.acl,
            tags: wh.tags.unwrap_or_default(),
            restore: Restore::None,
            sealed: None,
            retention: worm::default_retention(bucket, ctx.now),
            legal_hold: false,
        }),
        ..Object::default()
    };
    worm::check_overwrite(ctx, bucket, key)?;
    let object = bucket.put(key, object, received.data, forbid)?;
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert(header::ETAG, hv(&object.etag));
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    if let Some(md5) = &object.content_md5 {
        h.insert("content-md5", hv(md5));
    }
    super::encryption::answer(h, &object.headers);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// The object whose data a read serves: the object itself, or a symlink's target (one level;
/// missing → 404 `SymlinkTargetNotExist`).
fn follow(bucket: &Bucket, object: Arc<Object>) -> Result<Arc<Object>, OssError> {
    match (&object.object_type, &object.symlink_target) {
        (ObjectType::Symlink, Some(target)) => bucket
            .get(target)
            .filter(|t| t.object_type != ObjectType::Symlink)
            .ok_or_else(|| {
                OssError::new(
                    ErrorCode::SymlinkTargetNotExist,
                    "The symlink target object does not exist.",
                )
                .with("SymlinkTarget", target.as_str())
            }),
        _ => Ok(object),
    }
}

/// GetObject or HeadObject (`head`): versions, symlinks, archive state, conditionals, Range
/// (GET only), `response-*` overrides.
pub(crate) fn get_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    head: bool,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let addressed = resolve(ctx, &bucket, key)?;
    let object = follow(&bucket, Arc::clone(&addressed))?;
    let restore = if object.is_archive() {
        restore_at(object.attrs().restore, ctx.now)
    } else {
        Restore::None
    };
    if !head && object.is_archive() && !matches!(restore, Restore::Done { .. }) {
        return Err(OssError::new(
            ErrorCode::InvalidObjectState,
            "The operation is not valid for the object's state.",
        )
        .with("Key", key));
    }
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
    let size = object.data.len();
    let standard = ctx
        .header("x-oss-range-behavior")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("standard"));
    let range = if head {
        RangeOutcome::Full
    } else {
        evaluate_range(ctx.header("range"), size, standard)
    };
    let (status, start, length, content_range) = match range {
        RangeOutcome::Full => (StatusCode::OK, 0, size, None),
        RangeOutcome::Partial { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            start,
            end - start + 1,
            Some(format!("bytes {start}-{end}/{size}")),
        ),
        RangeOutcome::Unsatisfiable => {
            return Err(OssError::new(
                ErrorCode::InvalidRange,
                "The requested range cannot be satisfied.",
            )
            .with("RangeRequested", ctx.header("range").unwrap_or(""))
            .with("ActualObjectSize", size.to_string()));
        }
    };
    let mut resp = empty(status);
    if !head {
        *resp.body_mut() = object.data.body(start, length).map_err(disk_error)?;
    }
    let tag_count = addressed.attrs().tags.len();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, object.content_type.clone());
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::ETAG, hv(&object.etag));
    h.insert(header::LAST_MODIFIED, last_modified);
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    h.insert(
        "x-oss-object-type",
        HeaderValue::from_static(addressed.object_type.as_str()),
    );
    h.insert("x-oss-storage-class", hv(&object.storage_class));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if object.object_type == ObjectType::Appendable {
        h.insert("x-oss-next-append-position", HeaderValue::from(size));
    }
    if tag_count > 0 {
        h.insert("x-oss-tagging-count", HeaderValue::from(tag_count));
    }
    if let Some(r) = restore_header(restore) {
        h.insert("x-oss-restore", hv(&r));
    }
    if let Some(sealed) = addressed.attrs().sealed {
        h.insert("x-oss-sealed-time", hv(&http_date(sealed)));
    }
    match content_range {
        Some(cr) => {
            h.insert(header::CONTENT_RANGE, hv(&cr));
        }
        None => {
            if let Some(md5) = &object.content_md5 {
                h.insert("content-md5", hv(md5));
            }
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
    set_version_id(&mut resp, addressed.version_id.as_deref());
    Ok(resp)
}

/// GetObjectMeta (`HEAD ?objectMeta`): ETag, Content-Length, Last-Modified, CRC-64.
pub(crate) fn get_object_meta(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let addressed = resolve(ctx, &bucket, key)?;
    let object = follow(&bucket, Arc::clone(&addressed))?;
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(object.data.len()));
    h.insert(header::ETAG, hv(&object.etag));
    h.insert(header::LAST_MODIFIED, hv(&http_date(object.last_modified)));
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    set_version_id(&mut resp, addressed.version_id.as_deref());
    Ok(resp)
}

/// DeleteObject: 204, also for a missing key; 404 `NoSuchBucket` for a missing bucket. In a
/// versioned bucket, without `versionId` a delete marker is added; with it, that version goes.
pub(crate) fn delete_object(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let vid = ctx.param("versionId").filter(|v| !v.is_empty());
    worm::check_delete(ctx, &bucket, key, vid)?;
    let outcome = bucket.delete(key, vid, whole_seconds(ctx.now))?;
    let mut resp = empty(StatusCode::NO_CONTENT);
    if outcome.delete_marker {
        resp.headers_mut()
            .insert("x-oss-delete-marker", HeaderValue::from_static("true"));
    }
    set_version_id(&mut resp, outcome.version_id.as_deref());
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use md5::{Digest as _, Md5};

    use super::*;

    #[test]
    fn etag_is_quoted_upper_hex_md5() {
        let md5 = Md5::digest(b"hello world");
        assert_eq!(quoted_hex(&md5), "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\"");
    }
}
