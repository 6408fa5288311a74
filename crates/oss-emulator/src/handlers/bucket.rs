//! Bucket operations: PutBucket, DeleteBucket, ListObjects (v1) and ListObjectsV2.

use crate::pace::ReqBody;
use http::StatusCode;
use quick_xml::events::Event;

use super::restore::{restore_at, restore_header};
use super::{Ctx, Resp, empty, read_body, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::list::{ListParams, decode_token, encode_token, list_page, parse_max_keys, url_encode};
use crate::time_fmt::{iso8601_millis, whole_seconds};
use crate::xml::{XmlWriter, is_xml_text};

/// Largest accepted CreateBucketConfiguration body.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;
const STORAGE_CLASSES: &[&str] = &[
    "Standard",
    "IA",
    "Archive",
    "ColdArchive",
    "DeepColdArchive",
];

/// Reads `<StorageClass>` from a `CreateBucketConfiguration` body (empty → `Standard`).
pub(crate) fn parse_storage_class(body: &[u8]) -> Result<String, OssError> {
    let malformed = || {
        OssError::new(
            ErrorCode::MalformedXml,
            "The XML you provided was not well-formed or did not validate against our published schema.",
        )
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok("Standard".to_owned());
    }
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut class = None;
    let mut saw_root = false;
    loop {
        match reader.read_event().map_err(|_| malformed())? {
            Event::Start(e) => {
                if path.is_empty() {
                    if e.name().as_ref() != b"CreateBucketConfiguration" {
                        return Err(malformed());
                    }
                    saw_root = true;
                }
                path.push(e.name().as_ref().to_vec());
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Empty(e) if path.is_empty() => {
                if e.name().as_ref() != b"CreateBucketConfiguration" {
                    return Err(malformed());
                }
                saw_root = true;
            }
            Event::Text(t) if path.len() == 2 && path[1] == b"StorageClass" => {
                let text = t.unescape().map_err(|_| malformed())?;
                class = Some(text.trim().to_owned());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root || !path.is_empty() {
        return Err(malformed());
    }
    match class {
        None => Ok("Standard".to_owned()),
        Some(c) if STORAGE_CLASSES.contains(&c.as_str()) => Ok(c),
        Some(c) => Err(OssError::invalid_argument(
            "Unsupported storage class.",
            "StorageClass",
            &c,
        )),
    }
}

/// PutBucket: 200, or 409 `BucketAlreadyExists`.
pub(crate) async fn put_bucket(
    ctx: &Ctx<'_>,
    bucket: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let body = read_body(body, ctx.headers, MAX_CONFIG_BYTES).await?;
    let class = parse_storage_class(&body)?;
    let acl = match ctx.header("x-oss-acl") {
        Some(acl) => super::acl::check_bucket_acl(acl)?,
        None => "private",
    };
    ctx.state
        .store
        .create_bucket(bucket, class, acl, whole_seconds(ctx.now))?;
    let mut resp = empty(StatusCode::OK);
    if let Ok(v) = format!("/{bucket}").parse() {
        resp.headers_mut().insert(http::header::LOCATION, v);
    }
    Ok(resp)
}

/// DeleteBucket: 204, 404 `NoSuchBucket`, 409 `BucketNotEmpty`.
pub(crate) fn delete_bucket(ctx: &Ctx<'_>, bucket: &str) -> Result<Resp, OssError> {
    ctx.state.store.delete_bucket(bucket)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

fn xml_unsafe(field: &str) -> OssError {
    OssError::new(
        ErrorCode::InvalidArgument,
        format!(
            "The {field} contains characters that XML 1.0 cannot carry; list with encoding-type=url."
        ),
    )
    .with("ArgumentName", "encoding-type")
    .with("ArgumentValue", "")
}

/// ListObjects (v1, `marker`) or ListObjectsV2 (`list-type=2`): `ListBucketResult`.
pub(crate) fn list_objects(ctx: &Ctx<'_>, bucket_name: &str, v2: bool) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let url = super::url_encoding(ctx)?;
    let prefix = ctx.param("prefix").unwrap_or("");
    let delimiter = ctx.param("delimiter").unwrap_or("");
    let max_keys = parse_max_keys(ctx.query.get("max-keys"), "max-keys")?;
    let start_after = if v2 { ctx.param("start-after") } else { None };
    let token = if v2 {
        ctx.param("continuation-token").filter(|t| !t.is_empty())
    } else {
        None
    };
    let marker = if v2 { None } else { ctx.param("marker") };
    let fetch_owner = v2 && ctx.param("fetch-owner") == Some("true");
    let decoded_token = token.map(decode_token).transpose()?;
    let after = decoded_token
        .as_deref()
        .or(start_after)
        .or(marker)
        .filter(|a| !a.is_empty());

    let page = {
        let objects = bucket.objects();
        list_page(
            &objects,
            &ListParams {
                prefix,
                delimiter,
                after,
                max_keys,
            },
        )
    };
    let next_token = page.next_marker.as_deref().map(encode_token);

    if !url {
        let fields = [
            ("prefix", prefix),
            ("delimiter", delimiter),
            ("marker", after.unwrap_or("")),
        ];
        for (name, value) in fields {
            if !is_xml_text(value) {
                return Err(xml_unsafe(name));
            }
        }
        if page.contents.iter().any(|(k, _)| !is_xml_text(k))
            || page.common_prefixes.iter().any(|p| !is_xml_text(p))
        {
            return Err(xml_unsafe("listing (a key or common prefix)"));
        }
    }
    let enc = |s: &str| if url { url_encode(s) } else { s.to_owned() };

    let owner = &ctx.state.owner_id;
    let mut w = XmlWriter::new();
    w.open("ListBucketResult")
        .elem("Name", bucket_name)
        .elem("Prefix", &enc(prefix));
    if v2 {
        w.elem_opt("StartAfter", start_after.map(enc).as_deref());
        w.elem_opt("ContinuationToken", token.map(enc).as_deref());
    } else {
        w.elem("Marker", &enc(marker.unwrap_or("")));
    }
    w.elem("MaxKeys", &max_keys.to_string())
        .elem("Delimiter", &enc(delimiter));
    if url {
        w.elem("EncodingType", "url");
    }
    w.elem("IsTruncated", if page.truncated { "true" } else { "false" });
    if v2 {
        // Percent-encoded under encoding-type=url like the other text fields: the official
        // SDKs url-decode NextContinuationToken then (oss2 `_find_object`, the v2 SDK's
        // `deserialize_encode_type`).
        w.elem_opt(
            "NextContinuationToken",
            next_token.as_deref().map(enc).as_deref(),
        );
    } else {
        w.elem_opt(
            "NextMarker",
            page.next_marker.as_deref().map(enc).as_deref(),
        );
    }
    for (key, object) in &page.contents {
        w.open("Contents")
            .elem("Key", &enc(key))
            .elem("LastModified", &iso8601_millis(object.last_modified))
            .elem("ETag", &object.etag)
            .elem("Type", object.object_type.as_str())
            .elem("Size", &object.data.len().to_string())
            .elem("StorageClass", &object.storage_class);
        if object.is_archive() {
            let state = restore_at(object.attrs().restore, ctx.now);
            w.elem_opt("RestoreInfo", restore_header(state).as_deref());
        }
        if !v2 || fetch_owner {
            w.open("Owner")
                .elem("ID", owner)
                .elem("DisplayName", owner)
                .close("Owner");
        }
        w.close("Contents");
    }
    for cp in &page.common_prefixes {
        w.open("CommonPrefixes")
            .elem("Prefix", &enc(cp))
            .close("CommonPrefixes");
    }
    if v2 {
        w.elem(
            "KeyCount",
            &(page.contents.len() + page.common_prefixes.len()).to_string(),
        );
    }
    w.close("ListBucketResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_class_from_configuration() {
        assert_eq!(parse_storage_class(b"").unwrap(), "Standard");
        let xml = b"<?xml version=\"1.0\"?><CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>";
        assert_eq!(parse_storage_class(xml).unwrap(), "IA");
        assert_eq!(
            parse_storage_class(b"<CreateBucketConfiguration/>").unwrap(),
            "Standard"
        );
        assert_eq!(
            parse_storage_class(b"<Other/>").unwrap_err().code,
            ErrorCode::MalformedXml
        );
        assert_eq!(
            parse_storage_class(b"<CreateBucketConfiguration>")
                .unwrap_err()
                .code,
            ErrorCode::MalformedXml
        );
        let bad = b"<CreateBucketConfiguration><StorageClass>Gold</StorageClass></CreateBucketConfiguration>";
        assert_eq!(
            parse_storage_class(bad).unwrap_err().code,
            ErrorCode::InvalidArgument
        );
    }
}
