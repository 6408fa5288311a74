//! Multipart upload: Initiate, UploadPart, UploadPartCopy, Complete, Abort, ListParts and
//! ListMultipartUploads.
//!
//! Parts are kept as received (`Bytes`, no copy) until Complete assembles them once. The
//! object's CRC-64 is combined from the part CRCs; its ETag is
//! `"<upper hex MD5 of the concatenated binary part MD5s>-<part count>"`.

use std::sync::{Arc, Mutex};

use crate::pace::ReqBody;
use http::StatusCode;
use http::header::{self, HeaderValue};
use md5::{Digest as _, Md5};

use super::copy::resolve_source;
use super::crc64::combine;
use super::receive::{Digests, receive};
use super::worm;
use super::{
    Ctx, Resp, WriteHeaders, check_content_md5, empty, header_true, hv, quoted_hex, read_body,
    require_content_length, set_version_id, upper_hex, url_encoding, xml_body, xml_response,
};
use crate::error::{ErrorCode, OssError};
use crate::list::{UploadParams, list_uploads, url_encode};
use crate::store::{Attrs, Blob, Object, ObjectType, Part, Restore, Upload, disk_error};
use crate::time_fmt::{iso8601_millis, whole_seconds};
use crate::xml::XmlWriter;

/// Smallest part other than the last, checked at Complete (100 KiB).
pub(crate) const MIN_PART_SIZE: u64 = 100 * 1024;
/// Largest part number.
pub(crate) const MAX_PART_NUMBER: u32 = 10_000;
/// Largest accepted CompleteMultipartUpload body (10000 parts take about 1 MiB).
pub(crate) const MAX_COMPLETE_BODY: u64 = 2 * 1024 * 1024;

fn enc(url: bool, s: &str) -> String {
    if url { url_encode(s) } else { s.to_owned() }
}

fn upload_id<'a>(ctx: &'a Ctx<'_>) -> Result<&'a str, OssError> {
    ctx.param("uploadId")
        .filter(|u| !u.is_empty())
        .ok_or_else(|| OssError::invalid_argument("uploadId must not be empty.", "uploadId", ""))
}

fn part_number(ctx: &Ctx<'_>) -> Result<u32, OssError> {
    let raw = ctx.param("partNumber").unwrap_or("");
    raw.parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_PART_NUMBER).contains(n))
        .ok_or_else(|| {
            OssError::invalid_argument(
                "Part number must be an integer between 1 and 10000, inclusive.",
                "partNumber",
                raw,
            )
        })
}

/// A bounded integer query parameter (absent → `default`).
fn bounded(
    ctx: &Ctx<'_>,
    name: &str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, OssError> {
    match ctx.param(name) {
        None => Ok(default),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                OssError::invalid_argument(
                    format!("{name} must be an integer from {min} to {max}."),
                    name,
                    raw,
                )
            }),
    }
}

/// InitiateMultipartUpload: content headers, metadata, storage class, ACL, tagging and
/// forbid-overwrite are kept for Complete.
pub(crate) fn initiate(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let url = url_encoding(ctx)?;
    let wh = WriteHeaders::from_ctx(ctx, &bucket.storage_class)?.with_default_encryption(&bucket);
    let mut answer = http::HeaderMap::new();
    super::encryption::answer(&mut answer, &wh.headers);
    let upload = bucket.add_upload(Upload::new(
        key,
        whole_seconds(ctx.now),
        wh.content_type,
        wh.headers,
        wh.storage_class,
        wh.tags.unwrap_or_default(),
        wh.acl,
        header_true(ctx, "x-oss-forbid-overwrite"),
    ))?;
    let mut w = XmlWriter::new();
    w.open("InitiateMultipartUploadResult")
        .elem("Bucket", bucket_name)
        .elem("Key", &enc(url, key))
        .elem("UploadId", &upload.upload_id);
    if url {
        w.elem("EncodingType", "url");
    }
    w.close("InitiateMultipartUploadResult");
    let mut resp = xml_response(StatusCode::OK, w.finish());
    resp.headers_mut().extend(answer);
    Ok(resp)
}

/// A part's record, for a body with binary MD5 `md5` and CRC-64 `crc64` (the store sets
/// its data).
fn part_from(md5: [u8; 16], crc64: u64, now: std::time::SystemTime) -> Part {
    Part {
        crc64,
        etag: quoted_hex(&md5),
        md5,
        data: Blob::default(),
        last_modified: whole_seconds(now),
    }
}

/// UploadPart: part numbers 1..=10000 (else 400 `InvalidArgument`); ETag = quoted upper hex
/// MD5 of the part; `x-oss-hash-crc64ecma` of the part.
pub(crate) async fn upload_part(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let number = part_number(ctx)?;
    let upload = bucket.upload(key, upload_id(ctx)?)?;
    require_content_length(ctx)?;
    let received = receive(ctx, &bucket, key, body).await?;
    let part = part_from(received.md5, received.crc64, ctx.now);
    let content_md5 = check_content_md5(ctx, &part.md5)?;
    let part = bucket.put_part(&upload, number, part, received.data)?;
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert(header::ETAG, hv(&part.etag));
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(part.crc64));
    h.insert("content-md5", hv(&content_md5));
    super::encryption::answer(h, &upload.headers);
    Ok(resp)
}

/// Parses `x-oss-copy-source-range: bytes=a-b` against `size`: the end is clamped; a start
/// past the end or a malformed range → 400 `InvalidArgument`.
fn copy_range(value: Option<&str>, size: u64) -> Result<(u64, u64), OssError> {
    let Some(raw) = value else {
        return Ok((0, size));
    };
    let bad = || {
        OssError::invalid_argument(
            "x-oss-copy-source-range must be bytes=first-last within the source object.",
            "x-oss-copy-source-range",
            raw,
        )
    };
    let spec = raw.trim().strip_prefix("bytes=").ok_or_else(bad)?;
    let (a, b) = spec.split_once('-').ok_or_else(bad)?;
    let start: u64 = a.trim().parse().map_err(|_| bad())?;
    let end: u64 = if b.trim().is_empty() {
        size.saturating_sub(1)
    } else {
        b.trim().parse().map_err(|_| bad())?
    };
    if start > end || start >= size {
        return Err(bad());
    }
    Ok((start, end.min(size - 1) + 1))
}

/// UploadPartCopy: a part copied from (a range of) another object; `CopyPartResult`.
pub(crate) fn upload_part_copy(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let number = part_number(ctx)?;
    let upload = bucket.upload(key, upload_id(ctx)?)?;
    let source = match resolve_source(ctx)? {
        Ok(s) => s.object,
        Err(not_modified) => return Ok(not_modified),
    };
    let (start, end) = copy_range(ctx.header("x-oss-copy-source-range"), source.data.len())?;
    let mut copy = bucket.writer()?;
    let mut digests = Digests::default();
    source
        .data
        .read_chunks(start, end - start, |chunk| {
            digests.update(chunk);
            copy.write(chunk)
        })
        .map_err(disk_error)?;
    let (md5, crc64) = digests.finish();
    let data = copy.finish().map_err(disk_error)?;
    let part = bucket.put_part(&upload, number, part_from(md5, crc64, ctx.now), data)?;
    let mut w = XmlWriter::new();
    w.open("CopyPartResult")
        .elem("LastModified", &iso8601_millis(part.last_modified))
        .elem("ETag", &part.etag)
        .close("CopyPartResult");
    let mut resp = xml_response(StatusCode::OK, w.finish());
    let h = resp.headers_mut();
    h.insert(header::ETAG, hv(&part.etag));
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(part.crc64));
    if let Some(v) = &source.version_id {
        h.insert("x-oss-copy-source-version-id", hv(v));
    }
    Ok(resp)
}

/// The parts a Complete names, checked: strictly ascending (400 `InvalidPartOrder`), each
/// uploaded with exactly that quoted ETag (400 `InvalidPart`), every part but the last at
/// least 100 KiB (400 `EntityTooSmall`). `x-oss-complete-all: yes` with an empty body takes
/// every uploaded part.
fn chosen_parts(
    ctx: &Ctx<'_>,
    upload: &Upload,
    body: &[u8],
) -> Result<Vec<(u32, Arc<Part>)>, OssError> {
    let uploaded = upload.parts().clone();
    let complete_all = ctx
        .header("x-oss-complete-all")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("yes"));
    let chosen: Vec<(u32, Arc<Part>)> = if complete_all {
        if !body.iter().all(u8::is_ascii_whitespace) {
            return Err(OssError::invalid_argument(
                "The request body must be empty with x-oss-complete-all: yes.",
                "x-oss-complete-all",
                "yes",
            ));
        }
        uploaded.into_iter().collect()
    } else {
        let doc = xml_body::parse(body, "CompleteMultipartUpload")?;
        let mut chosen = Vec::new();
        let mut previous = 0u32;
        for p in doc.children("Part") {
            let raw = p.child_text("PartNumber").ok_or_else(xml_body::malformed)?;
            let number: u32 = raw.trim().parse().map_err(|_| xml_body::malformed())?;
            let etag = p.child_text("ETag").ok_or_else(xml_body::malformed)?;
            if number <= previous {
                return Err(OssError::new(
                    ErrorCode::InvalidPartOrder,
                    "The list of parts was not in ascending order. Parts must be ordered by part number.",
                )
                .with("UploadId", upload.upload_id.as_str()));
            }
            previous = number;
            let part = uploaded
                .get(&number)
                .filter(|part| part.etag == etag.trim())
                .ok_or_else(|| {
                    OssError::new(
                        ErrorCode::InvalidPart,
                        "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
                    )
                    .with("UploadId", upload.upload_id.as_str())
                    .with("PartNumber", number.to_string())
                    .with("ETag", etag)
                })?;
            chosen.push((number, Arc::clone(part)));
        }
        chosen
    };
    if chosen.is_empty() {
        return Err(xml_body::malformed());
    }
    let last = chosen.len() - 1;
    for (i, (number, part)) in chosen.iter().enumerate() {
        if i < last && part.data.len() < MIN_PART_SIZE {
            return Err(OssError::new(
                ErrorCode::EntityTooSmall,
                "Your proposed upload is smaller than the minimum allowed size.",
            )
            .with("MinSizeAllowed", MIN_PART_SIZE.to_string())
            .with("ProposedSize", part.data.len().to_string())
            .with("PartNumber", number.to_string()));
        }
    }
    Ok(chosen)
}

/// CompleteMultipartUpload: assembles the chosen parts into a Multipart object.
pub(crate) async fn complete(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let url = url_encoding(ctx)?;
    let upload = bucket.upload(key, upload_id(ctx)?)?;
    let body = read_body(body, ctx.headers, MAX_COMPLETE_BODY).await?;
    let parts = chosen_parts(ctx, &upload, &body)?;
    let mut data = bucket.writer()?;
    let mut md5s = Md5::new();
    let mut crc = 0u64;
    for (_, part) in &parts {
        part.data.copy_to(&mut data).map_err(disk_error)?;
        md5s.update(part.md5);
        crc = combine(crc, part.crc64, part.data.len());
    }
    let data = data.finish().map_err(disk_error)?;
    let etag = format!("\"{}-{}\"", upper_hex(&md5s.finalize()), parts.len());
    let object = Object {
        etag,
        crc64: crc,
        last_modified: whole_seconds(ctx.now),
        content_type: upload.content_type.clone(),
        headers: upload.headers.clone(),
        object_type: ObjectType::Multipart,
        storage_class: upload.storage_class.clone(),
        attrs: Mutex::new(Attrs {
            acl: match ctx.header("x-oss-object-acl") {
                Some(a) => super::acl::check_object_acl(a)?.to_owned(),
                None => upload.acl.clone(),
            },
            tags: upload.tags.clone(),
            restore: Restore::None,
            sealed: None,
            retention: worm::default_retention(&bucket, ctx.now),
            legal_hold: false,
        }),
        ..Object::default()
    };
    let forbid = upload.forbid_overwrite || header_true(ctx, "x-oss-forbid-overwrite");
    worm::check_overwrite(ctx, &bucket, key)?;
    let object = bucket.put_completed(key, object, data, forbid, &upload.upload_id)?;
    let _ = bucket.remove_upload(key, &upload.upload_id);
    let region = &ctx.state.region;
    let mut w = XmlWriter::new();
    w.open("CompleteMultipartUploadResult");
    if url {
        w.elem("EncodingType", "url");
    }
    w.elem(
        "Location",
        &format!(
            "http://{bucket_name}.oss-{region}.aliyuncs.com/{}",
            url_encode(key)
        ),
    )
    .elem("Bucket", bucket_name)
    .elem("Key", &enc(url, key))
    .elem("ETag", &object.etag)
    .close("CompleteMultipartUploadResult");
    let mut resp = xml_response(StatusCode::OK, w.finish());
    let h = resp.headers_mut();
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    h.insert(header::ETAG, hv(&object.etag));
    super::encryption::answer(h, &object.headers);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// AbortMultipartUpload: 204; unknown, aborted or completed → 404 `NoSuchUpload`.
pub(crate) fn abort(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    bucket.remove_upload(key, upload_id(ctx)?)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// ListParts: `max-parts` (default 1000), `part-number-marker`, `encoding-type=url`.
pub(crate) fn list_parts(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let url = url_encoding(ctx)?;
    let upload = bucket.upload(key, upload_id(ctx)?)?;
    let max_parts = bounded(ctx, "max-parts", 1000, 0, 1000)?;
    let marker = bounded(ctx, "part-number-marker", 0, 0, MAX_PART_NUMBER as usize)? as u32;
    let parts = upload.parts().clone();
    let mut selected: Vec<(u32, Arc<Part>)> = Vec::new();
    let mut truncated = false;
    for (n, p) in parts.range(marker.saturating_add(1)..) {
        if selected.len() == max_parts {
            truncated = true;
            break;
        }
        selected.push((*n, Arc::clone(p)));
    }
    let next = selected.last().map_or(marker, |(n, _)| *n);
    let mut w = XmlWriter::new();
    w.open("ListPartsResult");
    if url {
        w.elem("EncodingType", "url");
    }
    w.elem("Bucket", bucket_name)
        .elem("Key", &enc(url, key))
        .elem("UploadId", &upload.upload_id)
        .elem("StorageClass", &upload.storage_class)
        .elem("PartNumberMarker", &marker.to_string())
        .elem("NextPartNumberMarker", &next.to_string())
        .elem("MaxParts", &max_parts.to_string())
        .elem("IsTruncated", if truncated { "true" } else { "false" });
    for (n, p) in &selected {
        w.open("Part")
            .elem("PartNumber", &n.to_string())
            .elem("LastModified", &iso8601_millis(p.last_modified))
            .elem("ETag", &p.etag)
            .elem("HashCrc64ecma", &p.crc64.to_string())
            .elem("Size", &p.data.len().to_string())
            .close("Part");
    }
    w.close("ListPartsResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// ListMultipartUploads: `prefix`, `delimiter`, `key-marker`, `upload-id-marker`,
/// `max-uploads` (default 1000), `encoding-type=url`.
pub(crate) fn list_multipart_uploads(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let url = url_encoding(ctx)?;
    let prefix = ctx.param("prefix").unwrap_or("");
    let delimiter = ctx.param("delimiter").unwrap_or("");
    let key_marker = ctx.param("key-marker").unwrap_or("");
    let upload_id_marker = ctx.param("upload-id-marker").unwrap_or("");
    let max_uploads = bounded(ctx, "max-uploads", 1000, 0, 1000)?;
    let page = {
        let uploads = bucket.uploads();
        list_uploads(
            &uploads,
            &UploadParams {
                prefix,
                delimiter,
                key_marker,
                upload_id_marker,
                max_uploads,
            },
        )
    };
    let mut w = XmlWriter::new();
    w.open("ListMultipartUploadsResult")
        .elem("Bucket", bucket_name);
    if url {
        w.elem("EncodingType", "url");
    }
    w.elem("KeyMarker", &enc(url, key_marker))
        .elem("UploadIdMarker", upload_id_marker)
        .elem(
            "NextKeyMarker",
            &enc(url, page.next_key_marker.as_deref().unwrap_or("")),
        )
        .elem(
            "NextUploadIdMarker",
            page.next_upload_id_marker.as_deref().unwrap_or(""),
        )
        .elem("Delimiter", &enc(url, delimiter))
        .elem("Prefix", &enc(url, prefix))
        .elem("MaxUploads", &max_uploads.to_string())
        .elem("IsTruncated", if page.truncated { "true" } else { "false" });
    for u in &page.uploads {
        w.open("Upload")
            .elem("Key", &enc(url, &u.key))
            .elem("UploadId", &u.upload_id)
            .elem("StorageClass", &u.storage_class)
            .elem("Initiated", &iso8601_millis(u.initiated))
            .close("Upload");
    }
    for cp in &page.common_prefixes {
        w.open("CommonPrefixes")
            .elem("Prefix", &enc(url, cp))
            .close("CommonPrefixes");
    }
    w.close("ListMultipartUploadsResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_ranges() {
        assert_eq!(copy_range(None, 10).unwrap(), (0, 10));
        assert_eq!(copy_range(Some("bytes=2-4"), 10).unwrap(), (2, 5));
        assert_eq!(copy_range(Some("bytes=2-40"), 10).unwrap(), (2, 10));
        assert_eq!(copy_range(Some("bytes=2-"), 10).unwrap(), (2, 10));
        assert!(copy_range(Some("bytes=10-12"), 10).is_err());
        assert!(copy_range(Some("bytes=5-2"), 10).is_err());
        assert!(copy_range(Some("2-4"), 10).is_err());
    }
}
