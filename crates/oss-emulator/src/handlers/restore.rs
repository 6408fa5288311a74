//! RestoreObject (`POST ?restore`) for Archive, ColdArchive and DeepColdArchive objects.
//!
//! Timing (deterministic, for tests): the first RestoreObject answers 202 and leaves the
//! restore in progress; the next HEAD or GET of the object reports `ongoing-request="true"`
//! (a GET is still refused with 403 `InvalidObjectState`) and completes it; from then on reads
//! succeed and show `ongoing-request="false", expiry-date="…"` (now + Days). A RestoreObject
//! while in progress → 409 `RestoreAlreadyInProgress`; once restored → 200 (expiry extended).

use std::time::Duration;

use crate::pace::ReqBody;
use http::StatusCode;

use super::lookup::resolve;
use super::{Ctx, MAX_XML_BODY, Resp, empty, read_body, set_version_id, xml_body};
use crate::error::{ErrorCode, OssError};
use crate::store::Restore;
use crate::time_fmt::whole_seconds;

/// Reads `RestoreRequest{Days}` (empty body → 1 day).
fn parse_days(body: &[u8]) -> Result<u32, OssError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(1);
    }
    let doc = xml_body::parse(body, "RestoreRequest")?;
    match doc.child_text("Days") {
        None => Ok(1),
        Some(d) => d
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| OssError::invalid_argument("Days must be from 1 to 365.", "Days", d)),
    }
}

/// RestoreObject: 202 (started), 200 (already restored; expiry extended), 409
/// `RestoreAlreadyInProgress`, 400 `OperationNotSupported` for a non-archive object.
pub(crate) async fn restore_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    let days = parse_days(&body)?;
    let object = resolve(ctx, &bucket, key)?;
    if !object.is_archive() {
        return Err(OssError::new(
            ErrorCode::OperationNotSupported,
            "The operation is not supported for this resource.",
        )
        .with("Key", key));
    }
    let status = bucket.update_attrs(&object, |attrs| match attrs.restore {
        Restore::Ongoing { .. } => Err(OssError::new(
            ErrorCode::RestoreAlreadyInProgress,
            "The restore operation is in progress.",
        )
        .with("Key", key)),
        Restore::Done { expiry } if expiry > ctx.now => {
            attrs.restore = Restore::Done {
                expiry: whole_seconds(ctx.now) + Duration::from_secs(u64::from(days) * 86_400),
            };
            Ok(StatusCode::OK)
        }
        _ => {
            attrs.restore = Restore::Ongoing { days };
            Ok(StatusCode::ACCEPTED)
        }
    })??;
    let mut resp = empty(status);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(parse_days(b"").unwrap(), 1);
        assert_eq!(
            parse_days(b"<RestoreRequest><Days>3</Days><JobParameters><Tier>Standard</Tier></JobParameters></RestoreRequest>").unwrap(),
            3
        );
        assert!(parse_days(b"<RestoreRequest><Days>0</Days></RestoreRequest>").is_err());
        assert!(parse_days(b"<Other/>").is_err());
    }
}
