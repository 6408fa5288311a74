//! GetBucketInfo (`?bucketInfo`), GetBucketLocation (`?location`), GetBucketStat (`?stat`).

use http::StatusCode;

use super::{Ctx, Resp, xml_response};
use crate::error::OssError;
use crate::store::Versioning;
use crate::time_fmt::iso8601_millis;
use crate::xml::XmlWriter;

/// GetBucketInfo: `BucketInfo{Bucket{…}}`.
pub(crate) fn get_bucket_info(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let config = bucket.config();
    let region = &ctx.state.region;
    let owner = &ctx.state.owner_id;
    let mut w = XmlWriter::new();
    w.open("BucketInfo")
        .open("Bucket")
        .elem("AccessMonitor", "Disabled")
        .elem("CreationDate", &iso8601_millis(bucket.created))
        .elem("ExtranetEndpoint", &format!("oss-{region}.aliyuncs.com"))
        .elem(
            "IntranetEndpoint",
            &format!("oss-{region}-internal.aliyuncs.com"),
        )
        .elem("Location", &format!("oss-{region}"))
        .elem("StorageClass", &bucket.storage_class)
        .elem("TransferAcceleration", "Disabled")
        .elem("CrossRegionReplication", "Disabled")
        .elem("DataRedundancyType", "LRS")
        .elem("Name", &bucket.name)
        .elem("Region", region)
        .elem("ResourceGroupId", "rg-default");
    match config.versioning {
        Versioning::Off => {}
        Versioning::Enabled => {
            w.elem("Versioning", "Enabled");
        }
        Versioning::Suspended => {
            w.elem("Versioning", "Suspended");
        }
    }
    w.open("Owner")
        .elem("DisplayName", owner)
        .elem("ID", owner)
        .close("Owner")
        .open("AccessControlList")
        .elem("Grant", &config.acl)
        .close("AccessControlList")
        .open("ServerSideEncryptionRule")
        .elem("SSEAlgorithm", "None")
        .close("ServerSideEncryptionRule")
        .open("BucketPolicy")
        .elem("LogBucket", "")
        .elem("LogPrefix", "")
        .close("BucketPolicy")
        .close("Bucket")
        .close("BucketInfo");
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// GetBucketLocation: `<LocationConstraint>oss-<region></LocationConstraint>`.
pub(crate) fn get_bucket_location(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    ctx.state.store.bucket(bucket_name)?;
    let mut w = XmlWriter::new();
    w.elem("LocationConstraint", &format!("oss-{}", ctx.state.region));
    Ok(xml_response(StatusCode::OK, w.finish()))
}

/// GetBucketStat: sizes and counts over every version, current objects by type and class,
/// and unfinished uploads.
pub(crate) fn get_bucket_stat(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let mut storage = 0u64;
    let mut objects = 0u64;
    let mut by_class = std::collections::BTreeMap::<String, (u64, u64)>::new();
    let mut last_modified = 0u64;
    let mut delete_markers = 0u64;
    {
        let all = bucket.objects();
        for versions in all.values() {
            for o in versions {
                if o.delete_marker {
                    delete_markers += 1;
                    continue;
                }
                let size = o.data.len();
                storage += size;
                let entry = by_class.entry(o.storage_class.clone()).or_default();
                entry.0 += size;
                entry.1 += 1;
                let t = o
                    .last_modified
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_secs();
                last_modified = last_modified.max(t);
            }
            if versions.last().is_some_and(|o| !o.delete_marker) {
                objects += 1;
            }
        }
    }
    let uploads = bucket.uploads().len() as u64;
    let class = |name: &str| by_class.get(name).copied().unwrap_or_default();
    let mut w = XmlWriter::new();
    w.open("BucketStat")
        .elem("Storage", &storage.to_string())
        .elem("ObjectCount", &objects.to_string())
        .elem("MultipartUploadCount", &uploads.to_string())
        .elem("LiveChannelCount", "0")
        .elem("LastModifiedTime", &last_modified.to_string())
        .elem("DeleteMarkerCount", &delete_markers.to_string());
    for (tag, name) in [
        ("Standard", "Standard"),
        ("InfrequentAccess", "IA"),
        ("Archive", "Archive"),
        ("ColdArchive", "ColdArchive"),
        ("DeepColdArchive", "DeepColdArchive"),
    ] {
        let (size, count) = class(name);
        w.elem(&format!("{tag}Storage"), &size.to_string())
            .elem(&format!("{tag}ObjectCount"), &count.to_string());
        if name != "Standard" {
            w.elem(&format!("{tag}RealStorage"), &size.to_string());
        }
    }
    w.close("BucketStat");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
