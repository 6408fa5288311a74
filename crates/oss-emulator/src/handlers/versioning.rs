//! Put/GetBucketVersioning (`?versioning`) and ListObjectVersions (`GET /?versions`).
//! Versioning cannot be suspended under a retention policy or object-level WORM (409
//! `InvalidBucketState`).
//!
//! Version ids are `CAEQ+///` + base64 (with `+`, `/` and `=`: see `store::new_version_id`); objects written while versioning
//! is suspended (and objects from before it was enabled) have version id `null`. A bucket
//! that was never versioned shows no version ids at all.

use crate::pace::ReqBody;
use http::StatusCode;

use super::worm;
use super::{Ctx, MAX_XML_BODY, Resp, empty, read_body, url_encoding, xml_body, xml_response};
use crate::error::OssError;
use crate::list::{VersionParams, list_versions, parse_max_keys, url_encode};
use crate::store::Versioning;
use crate::time_fmt::iso8601_millis;
use crate::xml::XmlWriter;

/// PutBucketVersioning: `VersioningConfiguration{Status: Enabled|Suspended}`.
pub(crate) async fn put_bucket_versioning(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    let doc = xml_body::parse(&body, "VersioningConfiguration")?;
    let status = match doc.child_text("Status").map(str::trim) {
        Some("Enabled") => Versioning::Enabled,
        Some("Suspended") => Versioning::Suspended,
        _ => return Err(xml_body::malformed()),
    };
    if status == Versioning::Suspended {
        worm::check_suspend(ctx, &bucket)?;
    }
    bucket.set_versioning(status)?;
    Ok(empty(StatusCode::OK))
}

/// GetBucketVersioning: `<VersioningConfiguration/>` when never enabled, else with Status.
pub(crate) fn get_bucket_versioning(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let mut w = XmlWriter::new();
    w.open("VersioningConfiguration");
    match bucket.config().versioning {
        Versioning::Off => {}
        Versioning::Enabled => {
            w.elem("Status", "Enabled");
        }
        Versioning::Suspended => {
            w.elem("Status", "Suspended");
        }
    }
    w.close("VersioningConfiguration");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// ListObjectVersions: every version and delete marker, keys ascending, newest first.
pub(crate) fn list_object_versions(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let url = url_encoding(ctx)?;
    let enc = |s: &str| if url { url_encode(s) } else { s.to_owned() };
    let prefix = ctx.param("prefix").unwrap_or("");
    let delimiter = ctx.param("delimiter").unwrap_or("");
    let key_marker = ctx.param("key-marker").unwrap_or("");
    let version_id_marker = ctx.param("version-id-marker").unwrap_or("");
    let max_keys = parse_max_keys(ctx.query.get("max-keys"), "max-keys")?;
    let page = {
        let objects = bucket.objects();
        list_versions(
            &objects,
            &VersionParams {
                prefix,
                delimiter,
                key_marker,
                version_id_marker,
                max_keys,
            },
        )
    };
    let owner = &ctx.state.owner_id;
    let mut w = XmlWriter::new();
    w.open("ListVersionsResult").elem("Name", bucket_name);
    if url {
        w.elem("EncodingType", "url");
    }
    w.elem("Prefix", &enc(prefix))
        .elem("KeyMarker", &enc(key_marker))
        .elem("VersionIdMarker", version_id_marker)
        .elem("MaxKeys", &max_keys.to_string())
        .elem("Delimiter", &enc(delimiter))
        .elem("IsTruncated", if page.truncated { "true" } else { "false" });
    if page.truncated {
        w.elem(
            "NextKeyMarker",
            &enc(page.next_key_marker.as_deref().unwrap_or("")),
        )
        .elem(
            "NextVersionIdMarker",
            page.next_version_id_marker.as_deref().unwrap_or(""),
        );
    }
    for (key, o, latest) in &page.versions {
        let tag = if o.delete_marker {
            "DeleteMarker"
        } else {
            "Version"
        };
        w.open(tag)
            .elem("Key", &enc(key))
            .elem("VersionId", o.version_id_or_null())
            .elem("IsLatest", if *latest { "true" } else { "false" })
            .elem("LastModified", &iso8601_millis(o.last_modified));
        if !o.delete_marker {
            w.elem("ETag", &o.etag)
                .elem("Type", o.object_type.as_str())
                .elem("Size", &o.data.len().to_string())
                .elem("StorageClass", &o.storage_class);
        }
        w.open("Owner")
            .elem("ID", owner)
            .elem("DisplayName", owner)
            .close("Owner")
            .close(tag);
    }
    for cp in &page.common_prefixes {
        w.open("CommonPrefixes")
            .elem("Prefix", &enc(cp))
            .close("CommonPrefixes");
    }
    w.close("ListVersionsResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
