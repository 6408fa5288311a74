//! `ObjectMeta` from what OSS answers: HeadObject/GetObject headers and ListObjectsV2 entries.

use std::time::SystemTime;

use crate::object_store::ObjectMeta;
use crate::object_store::path::Path;
use chrono::{DateTime, Utc};
use oss_client::operation::object_properties::ObjectProperties;
use oss_client::types::ObjectSummary;

use crate::error;

/// The metadata of `location` from its response headers; `size` is the whole object's size in
/// bytes (for a ranged GET, the total of `Content-Range`, not the length of the body).
pub(crate) fn from_properties(
    location: Path,
    properties: &ObjectProperties,
    size: u64,
) -> crate::object_store::Result<ObjectMeta> {
    Ok(ObjectMeta {
        last_modified: utc(properties.last_modified, &location)?,
        location,
        size,
        e_tag: Some(properties.etag.clone()),
        version: properties.version_id.clone(),
    })
}

/// The metadata of a listed object (listings carry no version).
pub(crate) fn from_summary(
    location: Path,
    summary: ObjectSummary,
) -> crate::object_store::Result<ObjectMeta> {
    Ok(ObjectMeta {
        last_modified: utc(summary.last_modified, &location)?,
        location,
        size: summary.size,
        e_tag: Some(summary.etag),
        version: None,
    })
}

/// `Last-Modified` (UTC); OSS always sends it, so its absence is an error, not a made-up time.
fn utc(time: Option<SystemTime>, location: &Path) -> crate::object_store::Result<DateTime<Utc>> {
    time.map(DateTime::<Utc>::from).ok_or_else(|| {
        error::generic(format!(
            "OSS sent no parseable Last-Modified for {location}"
        ))
    })
}
