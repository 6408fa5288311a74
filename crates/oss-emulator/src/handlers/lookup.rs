//! The object lookup every read of an existing object shares: the latest version, or the
//! one `versionId` names, with OSS's answers for missing versions and delete markers.

use std::sync::Arc;

use super::Ctx;
use crate::error::{ErrorCode, OssError};
use crate::store::{Bucket, Object};

/// The object version a request addresses: `versionId` → that version (a delete marker →
/// 405 `MethodNotAllowed`; unknown → 404 `NoSuchVersion`); otherwise the latest (a delete
/// marker → 404 `NoSuchKey`). Delete-marker refusals carry `x-oss-delete-marker: true` and
/// `x-oss-version-id`.
pub(crate) fn resolve(ctx: &Ctx<'_>, bucket: &Bucket, key: &str) -> Result<Arc<Object>, OssError> {
    match ctx.param("versionId").filter(|v| !v.is_empty()) {
        Some(vid) => {
            let object = bucket.version(key, vid).ok_or_else(|| {
                OssError::new(
                    ErrorCode::NoSuchVersion,
                    "The specified version does not exist.",
                )
                .with("Key", key)
                .with("VersionId", vid)
            })?;
            if object.delete_marker {
                return Err(OssError::from(ErrorCode::MethodNotAllowed)
                    .with("Method", "GET")
                    .with_header("x-oss-delete-marker", "true")
                    .with_header("x-oss-version-id", vid));
            }
            Ok(object)
        }
        None => match bucket.latest(key) {
            Some(o) if o.delete_marker => Err(OssError::no_such_key(key)
                .with_header("x-oss-delete-marker", "true")
                .with_header("x-oss-version-id", o.version_id_or_null())),
            Some(o) => Ok(o),
            None => Err(OssError::no_such_key(key)),
        },
    }
}
