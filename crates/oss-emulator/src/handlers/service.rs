//! ListBuckets (`GET /`): `ListAllMyBucketsResult`, with buckets of other regions too.

use http::StatusCode;

use super::{Ctx, Resp, xml_response};
use crate::error::OssError;
use crate::list::parse_max_keys;
use crate::time_fmt::iso8601_millis;
use crate::xml::XmlWriter;

/// A bucket as ListBuckets shows it: this endpoint's own, or one in another region.
struct Listed<'a> {
    name: &'a str,
    created: std::time::SystemTime,
    region: &'a str,
    storage_class: &'a str,
}

/// ListBuckets (every region's buckets, as OSS lists the account's) with optional `prefix`,
/// `marker` and `max-keys` (default 100, at most 1000).
pub(crate) fn list_buckets(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    let prefix = ctx.param("prefix").unwrap_or("");
    let marker = ctx.param("marker").unwrap_or("");
    let paged = ctx.query.contains("prefix")
        || ctx.query.contains("marker")
        || ctx.query.contains("max-keys");
    let max_keys = parse_max_keys(ctx.query.get("max-keys"), "max-keys")?;
    let own_region = ctx.state.region.as_str();
    let other_regions = &ctx.state.other_regions;
    let stored = ctx.state.store.buckets();
    let mut all: Vec<Listed<'_>> = stored
        .iter()
        .filter(|b| other_regions.region_of(&b.name).is_none())
        .map(|b| Listed {
            name: &b.name,
            created: b.created,
            region: own_region,
            storage_class: &b.storage_class,
        })
        .chain(
            other_regions
                .buckets()
                .map(|(name, region, created)| Listed {
                    name,
                    created,
                    region,
                    storage_class: "Standard",
                }),
        )
        .collect();
    all.sort_by(|a, b| a.name.cmp(b.name));
    let mut selected = Vec::new();
    let mut truncated = false;
    for b in all {
        if !b.name.starts_with(prefix) || (!marker.is_empty() && b.name <= marker) {
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
                w.elem("NextMarker", last.name);
            }
        }
    }
    w.open("Owner")
        .elem("ID", &ctx.state.owner_id)
        .elem("DisplayName", &ctx.state.owner_id)
        .close("Owner");
    w.open("Buckets");
    for b in &selected {
        let region = b.region;
        w.open("Bucket")
            .elem("CreationDate", &iso8601_millis(b.created))
            .elem("ExtranetEndpoint", &format!("oss-{region}.aliyuncs.com"))
            .elem(
                "IntranetEndpoint",
                &format!("oss-{region}-internal.aliyuncs.com"),
            )
            .elem("Location", &format!("oss-{region}"))
            .elem("Name", b.name)
            .elem("Region", region)
            .elem("StorageClass", b.storage_class)
            .close("Bucket");
    }
    w.close("Buckets").close("ListAllMyBucketsResult");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
