//! Which access point a request names (`x-oss-access-point-name`, a header or, for the public
//! access block, a query parameter) and where its record lives in its bucket's documents
//! (`accessPoint/<name>`).

use super::Ctx;
use crate::error::{ErrorCode, OssError};
use crate::store::Bucket;

/// The request header naming the access point (GetAccessPoint, DeleteAccessPoint and the
/// access point policy operations).
pub(crate) const NAME_HEADER: &str = "x-oss-access-point-name";

/// The document name prefix of access point records in a bucket.
pub(crate) const PREFIX: &str = "accessPoint/";

/// The document name of access point `name`.
pub(crate) fn document_name(name: &str) -> String {
    format!("{PREFIX}{name}")
}

/// 404 `NoSuchAccessPoint`.
pub(crate) fn no_such_access_point(name: &str) -> OssError {
    OssError::new(
        ErrorCode::NoSuchAccessPoint,
        "The specified access point does not exist.",
    )
    .with("AccessPointName", name)
}

/// The access point named by the `x-oss-access-point-name` header (or query parameter, for
/// the public access block) in `bucket`: 400 `InvalidArgument` without one, 404
/// `NoSuchAccessPoint` when `bucket` has none by that name.
pub(crate) fn named(ctx: &Ctx<'_>, bucket: &Bucket) -> Result<String, OssError> {
    let name = ctx
        .header(NAME_HEADER)
        .or_else(|| ctx.param(NAME_HEADER))
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            OssError::invalid_argument("The access point name is required.", NAME_HEADER, "")
        })?;
    match bucket.document(&document_name(name)) {
        Some(_) => Ok(name.to_owned()),
        None => Err(no_such_access_point(name)),
    }
}
