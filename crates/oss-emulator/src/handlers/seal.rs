//! SealAppendObject (`POST /key?seal&position=N`): ends an Appendable object's appends.

use http::StatusCode;

use super::append::position_error;
use super::lookup::resolve;
use super::{Ctx, Resp, empty, hv};
use crate::error::{ErrorCode, OssError};
use crate::store::ObjectType;
use crate::time_fmt::{http_date, whole_seconds};

/// SealAppendObject: 200 with `x-oss-sealed-time` (the first seal's time, also when sealed
/// again); the object must be Appendable (else 409 `ObjectNotAppendable`) and exactly
/// `position` bytes long (else 409 `PositionNotEqualToLength`). AppendObject on a sealed object
/// → 409 `ObjectNotAppendable`; HeadObject and GetObject show `x-oss-sealed-time`.
pub(crate) fn seal_append_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let raw = ctx.param("position").ok_or_else(|| {
        OssError::invalid_argument("The position parameter is required.", "position", "")
    })?;
    let position: u64 = raw.parse().map_err(|_| {
        OssError::invalid_argument("position must be a non-negative integer.", "position", raw)
    })?;
    let object = resolve(ctx, &bucket, key)?;
    if object.object_type != ObjectType::Appendable {
        return Err(OssError::new(
            ErrorCode::ObjectNotAppendable,
            "The object is not appendable",
        ));
    }
    let length = object.data.len();
    if position != length {
        return Err(position_error(length));
    }
    let now = whole_seconds(ctx.now);
    let sealed = bucket.update_attrs(&object, |attrs| *attrs.sealed.get_or_insert(now))?;
    let mut resp = empty(StatusCode::OK);
    resp.headers_mut()
        .insert("x-oss-sealed-time", hv(&http_date(sealed)));
    Ok(resp)
}
