//! PutSymlink and GetSymlink (`?symlink`). GET/HEAD of a symlink serve its target (one
//! level) with `x-oss-object-type: Symlink`.

use std::sync::Mutex;

use bytes::Bytes;
use http::StatusCode;
use http::header::{self, HeaderValue};
use md5::{Digest as _, Md5};

use super::lookup::resolve;
use super::worm;
use super::{Ctx, Resp, WriteHeaders, empty, header_true, hv, quoted_hex, set_version_id};
use crate::error::{ErrorCode, OssError};
use crate::list::url_encode;
use crate::names::validate_key;
use crate::store::{Attrs, Object, ObjectType, Restore, Written};
use crate::time_fmt::{http_date, whole_seconds};

/// PutSymlink: `x-oss-symlink-target` (URL-encoded key in the same bucket; it need not
/// exist), plus the usual content headers, metadata, ACL, tagging and forbid-overwrite.
pub(crate) fn put_symlink(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let raw = ctx.header("x-oss-symlink-target").ok_or_else(|| {
        OssError::invalid_argument(
            "The x-oss-symlink-target header is required.",
            "x-oss-symlink-target",
            "",
        )
    })?;
    let target = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| {
            OssError::invalid_argument(
                "The symlink target is not valid UTF-8.",
                "x-oss-symlink-target",
                raw,
            )
        })?
        .into_owned();
    validate_key(&target)?;
    let wh = WriteHeaders::from_ctx(ctx, &bucket.storage_class)?;
    let object = Object {
        etag: quoted_hex(&Md5::digest(target.as_bytes())),
        last_modified: whole_seconds(ctx.now),
        content_type: wh.content_type,
        headers: wh.headers,
        storage_class: wh.storage_class,
        object_type: ObjectType::Symlink,
        symlink_target: Some(target),
        attrs: Mutex::new(Attrs {
            acl: wh.acl,
            tags: wh.tags.unwrap_or_default(),
            restore: Restore::None,
            sealed: None,
            retention: worm::default_retention(&bucket, ctx.now),
            legal_hold: false,
        }),
        ..Object::default()
    };
    worm::check_overwrite(ctx, &bucket, key)?;
    let object = bucket.put(
        key,
        object,
        Written::from(Bytes::new()),
        header_true(ctx, "x-oss-forbid-overwrite"),
    )?;
    let mut resp = empty(StatusCode::OK);
    resp.headers_mut().insert(header::ETAG, hv(&object.etag));
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// GetSymlink: 200 with `x-oss-symlink-target` (URL-encoded), ETag and Last-Modified;
/// not a symlink → 400 `NotSymlink`.
pub(crate) fn get_symlink(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let object = resolve(ctx, &bucket, key)?;
    let target = object.symlink_target.as_deref().ok_or_else(|| {
        OssError::new(
            ErrorCode::NotSymlink,
            "The specified object is not a symlink.",
        )
        .with("Key", key)
    })?;
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert("x-oss-symlink-target", hv(&url_encode(target)));
    h.insert(header::ETAG, hv(&object.etag));
    h.insert(header::LAST_MODIFIED, hv(&http_date(object.last_modified)));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(0));
    for (name, value) in &object.headers {
        h.append(name.clone(), value.clone());
    }
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}
