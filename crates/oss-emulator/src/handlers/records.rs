//! Records of the families that hold many per bucket (CNAMEs and their tokens, image styles,
//! redundancy transition tasks): each a small JSON document in the bucket's `documents`
//! (durable with a data directory) named `<kind>/<id>`.

use md5::{Digest as _, Md5};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Ctx;
use crate::error::OssError;
use crate::store::Bucket;

/// The record `kind/id`, if stored (and readable).
pub(crate) fn load<T: DeserializeOwned>(bucket: &Bucket, kind: &str, id: &str) -> Option<T> {
    let document = bucket.document(&format!("{kind}/{id}"))?;
    serde_json::from_str(&document).ok()
}

/// Stores (`Some`) or removes (`None`) the record `kind/id`.
pub(crate) fn save<T: Serialize>(
    bucket: &Bucket,
    kind: &str,
    id: &str,
    record: Option<&T>,
) -> Result<(), OssError> {
    let document = record.map(|r| serde_json::to_string(r).unwrap_or_default());
    bucket.set_document(&format!("{kind}/{id}"), document)
}

/// Every record of `kind`, by id.
pub(crate) fn all<T: DeserializeOwned>(bucket: &Bucket, kind: &str) -> Vec<(String, T)> {
    bucket
        .documents_under(&format!("{kind}/"))
        .into_iter()
        .filter_map(|(id, d)| Some((id, serde_json::from_str(&d).ok()?)))
        .collect()
}

/// A new id: 32 lower-case hex characters, unique per request and `seed`.
pub(crate) fn new_id(ctx: &Ctx<'_>, seed: &str) -> String {
    let digest = Md5::new()
        .chain_update(ctx.request_id.as_bytes())
        .chain_update(seed.as_bytes())
        .finalize();
    crate::hex::upper_hex(&digest).to_ascii_lowercase()
}

/// Seconds since the epoch of `ctx`'s now.
pub(crate) fn now_secs(ctx: &Ctx<'_>) -> u64 {
    ctx.now
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The time `secs` after the epoch.
pub(crate) fn at(secs: u64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs)
}
