//! RestoreObject (`POST ?restore`) and CleanRestoredObject (`POST ?cleanRestoredObject`) for
//! Archive, ColdArchive and DeepColdArchive objects, on the emulator's clock.
//!
//! Timing (OSS's documented times, the longest of each range): an Archive object is restored
//! one minute after RestoreObject; a ColdArchive object after 1 hour (`Expedited`), 5 hours
//! (`Standard`, the default) or 12 hours (`Bulk`); a DeepColdArchive object after 12 hours
//! (`Expedited`) or 48 hours (`Standard`, `Bulk`). Until then HEAD and GET report
//! `ongoing-request="true"` (GET is refused with 403 `InvalidObjectState`); from then on the
//! object is readable and shows `ongoing-request="false", expiry-date="…"` (completion + Days);
//! after the expiry it is frozen again and `x-oss-restore` disappears. A RestoreObject while in
//! progress → 409 `RestoreAlreadyInProgress`; once restored → 200 (expiry now + Days).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::pace::ReqBody;
use http::StatusCode;

use super::lookup::resolve;
use super::{Ctx, MAX_XML_BODY, Resp, empty, read_body, set_version_id, xml_body};
use crate::error::{ErrorCode, OssError};
use crate::store::{Bucket, Object, Restore};
use crate::time_fmt::{http_date, whole_seconds};

const DAY: u64 = 86_400;
const HOUR: u64 = 3_600;

/// What a `RestoreRequest` asks for (empty body: all defaults).
#[derive(Debug, PartialEq, Eq)]
struct RestoreRequest {
    days: Option<u32>,
    tier: Option<String>,
}

/// Reads `RestoreRequest{Days, JobParameters{Tier}}`; a Tier other than `Expedited`,
/// `Standard` or `Bulk` → 400 `InvalidArgument`.
fn parse_request(body: &[u8]) -> Result<RestoreRequest, OssError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(RestoreRequest {
            days: None,
            tier: None,
        });
    }
    let doc = xml_body::parse(body, "RestoreRequest")?;
    let days = match doc.child_text("Days") {
        None => None,
        Some(d) => Some(d.trim().parse::<u32>().map_err(|_| {
            OssError::invalid_argument("Days must be a positive integer.", "Days", d)
        })?),
    };
    let tier = doc
        .child("JobParameters")
        .and_then(|j| j.child_text("Tier"))
        .map(|t| t.trim().to_owned());
    if let Some(tier) = &tier {
        if !matches!(tier.as_str(), "Expedited" | "Standard" | "Bulk") {
            return Err(OssError::invalid_argument(
                "Tier must be Expedited, Standard or Bulk.",
                "Tier",
                tier,
            ));
        }
    }
    Ok(RestoreRequest { days, tier })
}

/// How long a restore of a `storage_class` object at `tier` takes.
fn restore_time(storage_class: &str, tier: Option<&str>) -> Duration {
    let seconds = match (storage_class, tier.unwrap_or("Standard")) {
        ("ColdArchive", "Expedited") => HOUR,
        ("ColdArchive", "Bulk") => 12 * HOUR,
        ("ColdArchive", _) => 5 * HOUR,
        ("DeepColdArchive", "Expedited") => 12 * HOUR,
        ("DeepColdArchive", _) => 48 * HOUR,
        _ => 60,
    };
    Duration::from_secs(seconds)
}

/// The days a restore lasts: 1 to 7 for Archive, 1 to 365 for the colder classes (default 1).
fn restore_days(object: &Object, days: Option<u32>) -> Result<u32, OssError> {
    let most = if object.storage_class == "Archive" {
        7
    } else {
        365
    };
    match days {
        None => Ok(1),
        Some(d) if (1..=most).contains(&d) => Ok(d),
        Some(d) => Err(OssError::invalid_argument(
            format!(
                "Days must be from 1 to {most} for {}.",
                object.storage_class
            ),
            "Days",
            &d.to_string(),
        )),
    }
}

/// The restore state at `now` of one stored as `stored` (an ongoing restore completes at its
/// time, a restored copy expires at its expiry).
pub(crate) fn restore_at(stored: Restore, now: SystemTime) -> Restore {
    let done = match stored {
        Restore::Ongoing { ready, .. } if now < ready => return stored,
        Restore::Ongoing { days, ready } => ready + Duration::from_secs(u64::from(days) * DAY),
        Restore::Done { expiry } => expiry,
        Restore::None => return Restore::None,
    };
    if now < done {
        Restore::Done { expiry: done }
    } else {
        Restore::None
    }
}

/// The `x-oss-restore` header value (and `RestoreInfo` of listings) of a state, if any.
pub(crate) fn restore_header(state: Restore) -> Option<String> {
    match state {
        Restore::None => None,
        Restore::Ongoing { .. } => Some("ongoing-request=\"true\"".to_owned()),
        Restore::Done { expiry } => Some(format!(
            "ongoing-request=\"false\", expiry-date=\"{}\"",
            http_date(expiry)
        )),
    }
}

/// The archived object addressed (with `versionId`), or 400 `OperationNotSupported`.
fn archived(ctx: &Ctx<'_>, bucket: &Bucket, key: &str) -> Result<Arc<Object>, OssError> {
    let object = resolve(ctx, bucket, key)?;
    if !object.is_archive() {
        return Err(OssError::new(
            ErrorCode::OperationNotSupported,
            "The operation is not supported for this resource.",
        )
        .with("Key", key));
    }
    Ok(object)
}

/// RestoreObject: 202 (started), 200 (already restored; expiry extended), 409
/// `RestoreAlreadyInProgress`, 400 `OperationNotSupported` for a non-archive object, 400
/// `InvalidArgument` for Days or a Tier out of range.
pub(crate) async fn restore_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    let request = parse_request(&body)?;
    let object = archived(ctx, &bucket, key)?;
    let days = restore_days(&object, request.days)?;
    let now = whole_seconds(ctx.now);
    let takes = restore_time(&object.storage_class, request.tier.as_deref());
    let status = bucket.update_attrs(&object, |attrs| match restore_at(attrs.restore, now) {
        Restore::Ongoing { .. } => Err(OssError::new(
            ErrorCode::RestoreAlreadyInProgress,
            "The restore operation is in progress.",
        )
        .with("Key", key)),
        Restore::Done { .. } => {
            attrs.restore = Restore::Done {
                expiry: now + Duration::from_secs(u64::from(days) * DAY),
            };
            Ok(StatusCode::OK)
        }
        Restore::None => {
            attrs.restore = Restore::Ongoing {
                days,
                ready: now + takes,
            };
            Ok(StatusCode::ACCEPTED)
        }
    })??;
    let mut resp = empty(status);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// CleanRestoredObject: 200 and the object frozen again; 409 `ArchiveRestoreNotFinished`
/// while the restore runs, 409 `ArchiveRestoreFileStale` without a restored copy, 400
/// `OperationNotSupported` for a non-archive object.
pub(crate) fn clean_restored_object(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let object = archived(ctx, &bucket, key)?;
    bucket.update_attrs(&object, |attrs| match restore_at(attrs.restore, ctx.now) {
        Restore::Ongoing { .. } => Err(OssError::new(
            ErrorCode::ArchiveRestoreNotFinished,
            "The archive file's restore is not finished.",
        )),
        Restore::None => Err(OssError::new(
            ErrorCode::ArchiveRestoreFileStale,
            "The archive file or restore info stale",
        )),
        Restore::Done { .. } => {
            attrs.restore = Restore::None;
            Ok(())
        }
    })??;
    let mut resp = empty(StatusCode::OK);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    #[test]
    fn requests() {
        assert_eq!(
            parse_request(b"").unwrap(),
            RestoreRequest {
                days: None,
                tier: None
            }
        );
        assert_eq!(
            parse_request(b"<RestoreRequest><Days>3</Days><JobParameters><Tier>Bulk</Tier></JobParameters></RestoreRequest>").unwrap(),
            RestoreRequest {
                days: Some(3),
                tier: Some("Bulk".to_owned())
            }
        );
        assert!(parse_request(b"<RestoreRequest><Days>x</Days></RestoreRequest>").is_err());
        assert!(parse_request(b"<RestoreRequest><JobParameters><Tier>Fast</Tier></JobParameters></RestoreRequest>").is_err());
        assert!(parse_request(b"<Other/>").is_err());
    }

    #[test]
    fn a_restore_runs_then_expires() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let ongoing = Restore::Ongoing {
            days: 1,
            ready: t0 + Duration::from_secs(60),
        };
        assert_eq!(restore_at(ongoing, t0), ongoing);
        let expiry = t0 + Duration::from_secs(60 + DAY);
        assert_eq!(
            restore_at(ongoing, t0 + Duration::from_secs(60)),
            Restore::Done { expiry }
        );
        assert_eq!(restore_at(ongoing, expiry), Restore::None);
        assert_eq!(restore_at(Restore::Done { expiry }, expiry), Restore::None);
    }

    #[test]
    fn restore_header_forms() {
        assert_eq!(restore_header(Restore::None), None);
        let t = UNIX_EPOCH + Duration::from_secs(1_735_787_045);
        assert_eq!(
            restore_header(Restore::Ongoing { days: 1, ready: t }).unwrap(),
            "ongoing-request=\"true\""
        );
        assert_eq!(
            restore_header(Restore::Done { expiry: t }).unwrap(),
            "ongoing-request=\"false\", expiry-date=\"Thu, 02 Jan 2025 03:04:05 GMT\""
        );
    }

    #[test]
    fn restore_times() {
        assert_eq!(
            restore_time("Archive", Some("Bulk")),
            Duration::from_secs(60)
        );
        assert_eq!(
            restore_time("ColdArchive", None),
            Duration::from_secs(5 * HOUR)
        );
        assert_eq!(
            restore_time("DeepColdArchive", Some("Expedited")),
            Duration::from_secs(12 * HOUR)
        );
    }
}
