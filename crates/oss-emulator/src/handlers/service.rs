//! ListBuckets (`GET /`): `ListAllMyBucketsResult`.

use http::StatusCode;

use super::{Ctx, Resp, xml_response};
use crate::error::OssError;
use crate::list::parse_max_keys;
use crate::time_fmt::iso8601_millis;
use crate::xml::XmlWriter;

/// ListBuckets with optional `prefix`, `marker` and `max-keys` (default 100, at most 1000).
pub(crate) fn list_buckets(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    let prefix = ctx.param("prefix").unwrap_or("");
    let marker = ctx.param("marker").unwrap_or("");
    let paged = ctx.query.contains("prefix")
        || ctx.query.contains("marker")
        || ctx.query.contains("max-keys");
    let max_keys = parse_max_keys(ctx.query.get("max-keys"), "max-keys")?;
    let region = &ctx.state.region;
    let mut selected = Vec::new();
    let mut truncated = false;
    for b in ctx.state.store.buckets() {
        if !b.name.starts_with(prefix) || (!marker.is_empty() && b.name.as_str() <= marker) {
            continue;
        }
        if selected.len() == max_keys {
            truncated = true;
            break;
        }
        selected.push(b);
    }
    let mut w = XmlWriter::new();
    w.open("ListAllMyBucketsResult");
    if paged {
        w.elem("Prefix", prefix)
            .elem("Marker", marker)
            .elem("MaxKeys", &max_keys.to_string());
        w.elem("IsTruncated", if truncated { "true" } else { "false" });
        if truncated {
            if let Some(last) = selected.last() {
                w.elem("NextMarker", &last.name);
            }
        }
    }
    w.open("Owner")
        .elem("ID", &ctx.state.owner_id)
        .elem("DisplayName", &ctx.state.owner_id)
        .close("Owner");
    w.open("Buckets");
    for b in &selected {
        w.open("Bucket")
            .elem("CreationDate", &iso8601_millis(b.created))
            .elem("ExtranetEndpoint", &format!("oss-{region}.aliyuncs.com"))
            .elem(
                "IntranetEndpoint",
                &format!("oss-{region}-internal.aliyuncs.com"),
            )
            .elem("Location", &format!("oss-{region}"))
            .elem("Name", &b.name)
            .elem("Region", region)
            .elem("StorageClass", &b.storage_class)
            .close("Bucket");
    }
    w.close("Buckets").close("ListAllMyBucketsResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
