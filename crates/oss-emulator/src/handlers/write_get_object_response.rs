//! WriteGetObjectResponse (`POST /?x-oss-write-get-object-response`, OSS API reference
//! "WriteGetObjectResponse"): a Function Compute function answering the GetObject that went
//! through an Object FC access point. The emulator checks the request as OSS does, then
//! answers 501: it runs no Function Compute, so no GetObject ever waits for a route and
//! token (see the crate README, "Object FC access points").

use super::{Ctx, Resp};
use crate::error::{ErrorCode, OssError};

/// A required, non-empty request header; else 400 `InvalidArgument` naming it.
fn required<'a>(ctx: &'a Ctx<'_>, name: &str) -> Result<&'a str, OssError> {
    ctx.header(name)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| OssError::invalid_argument(format!("{name} is required."), name, ""))
}

/// WriteGetObjectResponse: 400 `InvalidArgument` without `x-oss-request-route`,
/// `x-oss-request-token` or `x-oss-fwd-status`, or for a status that is no HTTP status
/// (three digits, 100 to 599); otherwise 501 `NotImplemented`.
pub(crate) fn write_get_object_response(ctx: &Ctx<'_>) -> Result<Resp, OssError> {
    required(ctx, "x-oss-request-route")?;
    required(ctx, "x-oss-request-token")?;
    let status = required(ctx, "x-oss-fwd-status")?;
    let valid = status.len() == 3
        && status
            .parse::<u16>()
            .is_ok_and(|s| (100..=599).contains(&s));
    if !valid {
        return Err(OssError::invalid_argument(
            "x-oss-fwd-status must be an HTTP status code.",
            "x-oss-fwd-status",
            status,
        ));
    }
    Err(OssError::new(
        ErrorCode::NotImplemented,
        "The emulator runs no Function Compute: no GetObject through an Object FC access point \
         waits for this route and token.",
    ))
}
