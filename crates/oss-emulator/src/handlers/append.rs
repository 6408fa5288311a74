//! AppendObject (`POST /key?append&position=N`).

use std::sync::Mutex;

use crate::pace::ReqBody;
use http::StatusCode;
use http::header::{self, HeaderValue};

use super::crc64::combine;
use super::receive::receive;
use super::worm;
use super::{
    Ctx, Resp, WriteHeaders, check_content_md5, empty, hv, require_content_length, set_version_id,
};
use crate::error::{ErrorCode, OssError};
use crate::store::{Attrs, Object, ObjectType, Restore, disk_error};
use crate::time_fmt::whole_seconds;

/// The opaque ETag of an appendable object: not an MD5 (it changes with every append and is
/// derived from the running CRC and the length).
fn appendable_etag(crc: u64, len: u64) -> String {
    format!("\"{crc:016X}{len:08X}\"")
}

pub(crate) fn position_error(expected: u64) -> OssError {
    OssError::new(
        ErrorCode::PositionNotEqualToLength,
        "Position is not equal to file length",
    )
    .with_header("x-oss-next-append-position", expected.to_string())
}

/// AppendObject: creates an Appendable object at position 0, or appends at exactly the current
/// length (else 409 `PositionNotEqualToLength` with `x-oss-next-append-position`); a Normal,
/// Multipart or Symlink object, or a sealed one (SealAppendObject) → 409 `ObjectNotAppendable`. Answers with the next position
/// and the CRC-64 of the whole object.
pub(crate) async fn append_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let raw = ctx.param("position").ok_or_else(|| {
        OssError::invalid_argument("The position parameter is required.", "position", "")
    })?;
    let position: u64 = raw.parse().map_err(|_| {
        OssError::invalid_argument("position must be a non-negative integer.", "position", raw)
    })?;
    require_content_length(ctx)?;
    let wh = WriteHeaders::from_ctx(ctx, &bucket.storage_class)?.with_default_encryption(&bucket);
    worm::check_append(ctx, &bucket, key)?;
    let received = receive(ctx, &bucket, key, body).await?;
    check_content_md5(ctx, &received.md5)?;
    let chunk = received.data;
    let chunk_crc = received.crc64;
    let max = ctx.state.max_object_size;
    let now = whole_seconds(ctx.now);
    let object = bucket.put_with(key, false, |current| {
        let Some(current) = current else {
            if position != 0 {
                return Err(position_error(0));
            }
            let len = chunk.len();
            let object = Object {
                etag: appendable_etag(chunk_crc, len),
                crc64: chunk_crc,
                last_modified: now,
                content_type: wh.content_type.clone(),
                headers: wh.headers.clone(),
                object_type: ObjectType::Appendable,
                storage_class: wh.storage_class.clone(),
                attrs: Mutex::new(Attrs {
                    acl: wh.acl.clone(),
                    tags: wh.tags.clone().unwrap_or_default(),
                    restore: Restore::None,
                    sealed: None,
                    retention: None,
                    legal_hold: false,
                }),
                ..Object::default()
            };
            return Ok((object, chunk));
        };
        if current.object_type != ObjectType::Appendable || current.attrs().sealed.is_some() {
            return Err(OssError::new(
                ErrorCode::ObjectNotAppendable,
                "The object is not appendable",
            ));
        }
        let len = current.data.len();
        if position != len {
            return Err(
                position_error(len).with_header("x-oss-hash-crc64ecma", current.crc64.to_string())
            );
        }
        let total = len + chunk.len();
        if total > max {
            return Err(OssError::new(
                ErrorCode::EntityTooLarge,
                "Your proposed upload exceeds the maximum allowed size.",
            )
            .with("MaxSizeAllowed", max.to_string()));
        }
        let mut joined = bucket.writer()?;
        current.data.copy_to(&mut joined).map_err(disk_error)?;
        chunk.copy_to(&mut joined).map_err(disk_error)?;
        let data = joined.finish().map_err(disk_error)?;
        let crc = combine(current.crc64, chunk_crc, chunk.len());
        let object = Object {
            etag: appendable_etag(crc, total),
            crc64: crc,
            last_modified: now,
            content_type: current.content_type.clone(),
            headers: current.headers.clone(),
            object_type: ObjectType::Appendable,
            storage_class: current.storage_class.clone(),
            attrs: Mutex::new(current.attrs().clone()),
            ..Object::default()
        };
        Ok((object, data))
    })?;
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert(
        "x-oss-next-append-position",
        HeaderValue::from(object.data.len()),
    );
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    h.insert(header::ETAG, hv(&object.etag));
    super::encryption::answer(h, &object.headers);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}
