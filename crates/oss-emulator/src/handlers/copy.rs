//! CopyObject (`PUT /dst` + `x-oss-copy-source`) and the copy-source handling it shares with
//! UploadPartCopy.

use std::sync::{Arc, Mutex};

use http::StatusCode;
use http::header::{self, HeaderMap, HeaderValue};

use super::restore::restore_at;
use super::worm;
use super::{
    Ctx, Resp, WriteHeaders, empty, encryption, header_true, hv, set_version_id, xml_response,
};
use crate::conditional::{Precondition, evaluate as evaluate_conditions};
use crate::error::{ErrorCode, OssError};
use crate::names::{validate_bucket, validate_key};
use crate::store::{Attrs, Object, Restore};
use crate::time_fmt::{iso8601_millis, whole_seconds};
use crate::xml::XmlWriter;

/// A resolved copy source.
#[derive(Debug)]
pub(crate) struct Source {
    pub(crate) object: Arc<Object>,
}

fn bad_source(value: &str) -> OssError {
    OssError::invalid_argument(
        "x-oss-copy-source must be /bucket/url-encoded-key[?versionId=id].",
        "x-oss-copy-source",
        value,
    )
}

/// Parses `x-oss-copy-source: /bucket/url-encoded-key[?versionId=…]` into (bucket, key,
/// version id).
pub(crate) fn parse_copy_source(value: &str) -> Result<(String, String, Option<String>), OssError> {
    let rest = value.strip_prefix('/').ok_or_else(|| bad_source(value))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (bucket, raw_key) = path.split_once('/').ok_or_else(|| bad_source(value))?;
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| bad_source(value))
    };
    let bucket = decode(bucket)?;
    let key = decode(raw_key)?;
    validate_bucket(&bucket)?;
    validate_key(&key)?;
    let mut version = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("versionId", v)) => version = Some(decode(v)?),
            _ => return Err(bad_source(value)),
        }
    }
    Ok((bucket, key, version.filter(|v| !v.is_empty())))
}

/// Resolves the copy source and applies the `x-oss-copy-source-if-*` conditions (412
/// `PreconditionFailed`, or 304 as `Ok(Err(resp))`).
pub(crate) fn resolve_source(ctx: &Ctx<'_>) -> Result<Result<Source, Resp>, OssError> {
    let value = ctx
        .header("x-oss-copy-source")
        .ok_or_else(|| bad_source(""))?;
    let (bucket_name, key, version) = parse_copy_source(value)?;
    let bucket = ctx.state.store.bucket(&bucket_name)?;
    let object = match &version {
        Some(vid) => {
            let o = bucket.version(&key, vid).ok_or_else(|| {
                OssError::new(
                    ErrorCode::NoSuchVersion,
                    "The specified version does not exist.",
                )
                .with("Key", key.as_str())
                .with("VersionId", vid.as_str())
            })?;
            if o.delete_marker {
                return Err(OssError::invalid_argument(
                    "The version in x-oss-copy-source is a delete marker.",
                    "x-oss-copy-source",
                    value,
                ));
            }
            o
        }
        None => bucket
            .get(&key)
            .ok_or_else(|| OssError::no_such_key(&key))?,
    };
    if object.is_archive()
        && !matches!(
            restore_at(object.attrs().restore, ctx.now),
            Restore::Done { .. }
        )
    {
        return Err(OssError::new(
            ErrorCode::InvalidObjectState,
            "The source object is an archive object that has not been restored.",
        )
        .with("Key", key.as_str()));
    }
    let mut conditions = HeaderMap::new();
    for (from, to) in [
        ("x-oss-copy-source-if-match", header::IF_MATCH),
        ("x-oss-copy-source-if-none-match", header::IF_NONE_MATCH),
        (
            "x-oss-copy-source-if-modified-since",
            header::IF_MODIFIED_SINCE,
        ),
        (
            "x-oss-copy-source-if-unmodified-since",
            header::IF_UNMODIFIED_SINCE,
        ),
    ] {
        if let Some(v) = ctx.headers.get(from) {
            conditions.insert(to, v.clone());
        }
    }
    match evaluate_conditions(&conditions, &object.etag, object.last_modified) {
        Precondition::Proceed => Ok(Ok(Source { object })),
        Precondition::Failed => Err(OssError::new(
            ErrorCode::PreconditionFailed,
            "At least one of the pre-conditions you specified did not hold.",
        )
        .with(
            "Condition",
            "x-oss-copy-source-if-match/x-oss-copy-source-if-unmodified-since",
        )),
        Precondition::NotModified => {
            let mut resp = empty(StatusCode::NOT_MODIFIED);
            resp.headers_mut().insert(header::ETAG, hv(&object.etag));
            Ok(Err(resp))
        }
    }
}

fn directive(ctx: &Ctx<'_>, name: &str) -> Result<bool, OssError> {
    match ctx.header(name).map(str::trim) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("COPY") => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("REPLACE") => Ok(true),
        Some(v) => Err(OssError::invalid_argument(
            "The directive must be COPY or REPLACE.",
            name,
            v,
        )),
    }
}

/// CopyObject: same or cross bucket; metadata and tagging directives; copy-source
/// conditionals; forbid-overwrite. Appendable sources → 400 `OperationNotSupported`.
pub(crate) fn copy_object(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let replace_meta = directive(ctx, "x-oss-metadata-directive")?;
    let replace_tags = directive(ctx, "x-oss-tagging-directive")?;
    let source = match resolve_source(ctx)? {
        Ok(s) => s.object,
        Err(not_modified) => return Ok(not_modified),
    };
    if source.object_type == crate::store::ObjectType::Appendable {
        return Err(OssError::new(
            ErrorCode::OperationNotSupported,
            "CopyObject does not support appendable objects.",
        ));
    }
    let wh = WriteHeaders::from_ctx(ctx, &source.storage_class)?;
    let (content_type, headers) = if replace_meta {
        (wh.content_type, wh.headers)
    } else {
        // The source's attributes, with the encryption this request asks for (OSS does not
        // carry the source's encryption over).
        let mut headers: Vec<_> = source
            .headers
            .iter()
            .filter(|(n, _)| !encryption::is_encryption(n))
            .cloned()
            .collect();
        headers.extend(
            wh.headers
                .into_iter()
                .filter(|(n, _)| encryption::is_encryption(n)),
        );
        (source.content_type.clone(), headers)
    };
    let tags = if replace_tags {
        wh.tags.unwrap_or_default()
    } else {
        source.attrs().tags.clone()
    };
    let data = bucket.copy_blob(&source.data)?;
    let object = Object {
        etag: source.etag.clone(),
        content_md5: source.content_md5.clone(),
        crc64: source.crc64,
        last_modified: whole_seconds(ctx.now),
        content_type,
        headers,
        object_type: source.object_type,
        storage_class: wh.storage_class,
        symlink_target: source.symlink_target.clone(),
        attrs: Mutex::new(Attrs {
            acl: wh.acl,
            tags,
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
        data,
        header_true(ctx, "x-oss-forbid-overwrite"),
    )?;
    let mut w = XmlWriter::new();
    w.open("CopyObjectResult")
        .elem("ETag", &object.etag)
        .elem("LastModified", &iso8601_millis(object.last_modified))
        .close("CopyObjectResult");
    let mut resp = xml_response(StatusCode::OK, w.finish());
    let h = resp.headers_mut();
    h.insert("x-oss-hash-crc64ecma", HeaderValue::from(object.crc64));
    h.insert(header::ETAG, hv(&object.etag));
    encryption::answer(h, &object.headers);
    if let Some(v) = &source.version_id {
        h.insert("x-oss-copy-source-version-id", hv(v));
    }
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_source_forms() {
        assert_eq!(
            parse_copy_source("/src-bkt/dir/a%20b%2Bc.txt").unwrap(),
            ("src-bkt".into(), "dir/a b+c.txt".into(), None)
        );
        assert_eq!(
            parse_copy_source("/src-bkt/k%3Fx?versionId=CAEQ1").unwrap(),
            ("src-bkt".into(), "k?x".into(), Some("CAEQ1".into()))
        );
        assert!(parse_copy_source("src-bkt/k").is_err());
        assert!(parse_copy_source("/src-bkt").is_err());
        assert!(parse_copy_source("/src-bkt/").is_err());
        assert!(parse_copy_source("/Bad_Bucket/k").is_err());
    }
}
