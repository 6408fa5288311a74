//! Object-level WORM: the bucket's configuration (`?objectWorm`:
//! PutBucketObjectWormConfiguration, GetBucketObjectWormConfiguration) and each version's
//! retention (`?retention`: PutObjectRetention, GetObjectRetention) and legal hold
//! (`?legalHold`: PutObjectLegalHold, GetObjectLegalHold).
//!
//! The configuration needs versioning enabled and no bucket retention policy (else 409
//! `InvalidBucketState`); it is `ObjectWormConfiguration{ObjectWormEnabled=Enabled,
//! Rule{DefaultRetention{Mode, Days|Years}}}` (Rule optional; Mode `GOVERNANCE` or
//! `COMPLIANCE`; exactly one of Days 1 to 36500 and Years 1 to 100, else 400
//! `InvalidArgument`), stored as sent and never removed (OSS cannot disable it); before any
//! put a get answers 404 `NoSuchObjectWormConfiguration`. Retention and legal hold need it
//! (409 `InvalidBucketState`). A retention's `RetainUntilDate` (ISO 8601) must lie ahead; a
//! `COMPLIANCE` retention can only be lengthened, a `GOVERNANCE` one shortened or changed
//! only with `x-oss-bypass-governance-retention: true` (else 403 `AccessDenied`). A version
//! without retention: GetObjectRetention answers 404 `NoSuchObjectRetention`; without legal
//! hold GetObjectLegalHold answers `OFF`. An appendable object takes no retention (400
//! `OperationNotSupported`). What they protect: see [`super::worm`].

use std::time::SystemTime;

use http::StatusCode;

use super::lookup::resolve;
use super::worm::{BucketWorm, OBJECT_WORM, object_worm_enabled, read_document};
use super::xml_body::{Element, malformed};
use super::{Ctx, Resp, empty, header_true, set_version_id, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::store::{Bucket, ObjectRetention, ObjectType, Versioning};
use crate::time_fmt::iso8601_millis;
use crate::xml::XmlWriter;

const MODES: [&str; 2] = ["GOVERNANCE", "COMPLIANCE"];

fn bucket_state(message: &str) -> OssError {
    OssError::new(ErrorCode::InvalidBucketState, message)
}

/// 409 `InvalidBucketState` unless object-level WORM is enabled.
fn require_object_worm(bucket: &Bucket) -> Result<(), OssError> {
    if object_worm_enabled(bucket) {
        Ok(())
    } else {
        Err(bucket_state(
            "Object-level WORM is not enabled for the bucket.",
        ))
    }
}

/// The text of `el`'s child `name`, trimmed.
fn text<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.child_text(name).map(str::trim)
}

/// A `DefaultRetention` count in `1..=most`; else 400 `InvalidArgument`.
fn count(el: &Element, name: &str, most: u32) -> Result<Option<u32>, OssError> {
    let Some(value) = text(el, name) else {
        return Ok(None);
    };
    match value.parse::<u32>() {
        Ok(n) if (1..=most).contains(&n) => Ok(Some(n)),
        _ => Err(OssError::invalid_argument(
            format!("{name} must be from 1 to {most}."),
            name,
            value,
        )),
    }
}

/// Checks an `ObjectWormConfiguration` document.
fn validate_configuration(doc: &Element) -> Result<(), OssError> {
    if text(doc, "ObjectWormEnabled") != Some("Enabled") {
        return Err(malformed());
    }
    let Some(rule) = doc.child("Rule") else {
        return Ok(());
    };
    let retention = rule.child("DefaultRetention").ok_or_else(malformed)?;
    let mode = text(retention, "Mode").unwrap_or("");
    if !MODES.contains(&mode) {
        return Err(OssError::invalid_argument(
            "Mode must be GOVERNANCE or COMPLIANCE.",
            "Mode",
            mode,
        ));
    }
    match (
        count(retention, "Days", 36_500)?,
        count(retention, "Years", 100)?,
    ) {
        (Some(_), None) | (None, Some(_)) => Ok(()),
        _ => Err(OssError::invalid_argument(
            "DefaultRetention takes exactly one of Days and Years.",
            "DefaultRetention",
            "",
        )),
    }
}

/// PutBucketObjectWormConfiguration: validates and stores the document; 200.
pub(crate) async fn put_configuration(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let (text, doc) = read_document(ctx, body, "ObjectWormConfiguration").await?;
    validate_configuration(&doc)?;
    if bucket.config().versioning != Versioning::Enabled {
        return Err(bucket_state(
            "Versioning must be enabled for object-level WORM.",
        ));
    }
    if BucketWorm::load(&bucket, ctx.now).is_some() {
        return Err(bucket_state("The bucket has a WORM retention policy."));
    }
    bucket.set_document(OBJECT_WORM, Some(text))?;
    Ok(empty(StatusCode::OK))
}

/// GetBucketObjectWormConfiguration: the stored document, else 404
/// `NoSuchObjectWormConfiguration`.
pub(crate) fn get_configuration(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let document = bucket.document(OBJECT_WORM).ok_or_else(|| {
        OssError::new(
            ErrorCode::NoSuchObjectWormConfiguration,
            "The bucket has no object-level WORM configuration.",
        )
        .with("BucketName", bucket_name)
    })?;
    Ok(xml_response(StatusCode::OK, document))
}

/// The retention a `Retention{Mode, RetainUntilDate}` document asks for.
fn parse_retention(doc: &Element, now: SystemTime) -> Result<ObjectRetention, OssError> {
    let mode = text(doc, "Mode")
        .filter(|m| MODES.contains(m))
        .ok_or_else(malformed)?;
    let date = text(doc, "RetainUntilDate").ok_or_else(malformed)?;
    let bad_date = |message: &str| OssError::invalid_argument(message, "RetainUntilDate", date);
    let until = time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
        .map_err(|_| bad_date("RetainUntilDate must be an ISO 8601 date."))?;
    let until = SystemTime::from(until);
    if until <= now {
        return Err(bad_date("RetainUntilDate must be in the future."));
    }
    Ok(ObjectRetention {
        mode: mode.to_owned(),
        until,
    })
}

/// Whether replacing `old` by `new` loosens it (a shorter date or another mode).
fn loosens(old: &ObjectRetention, new: &ObjectRetention) -> bool {
    new.until < old.until || new.mode != old.mode
}

/// PutObjectRetention: sets the version's retention; 200.
pub(crate) async fn put_retention(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    require_object_worm(&bucket)?;
    let (_, doc) = read_document(ctx, body, "Retention").await?;
    let retention = parse_retention(&doc, ctx.now)?;
    let object = resolve(ctx, &bucket, key)?;
    if object.object_type == ObjectType::Appendable {
        return Err(OssError::new(
            ErrorCode::OperationNotSupported,
            "An appendable object takes no retention.",
        ));
    }
    let bypass = header_true(ctx, "x-oss-bypass-governance-retention");
    bucket.update_attrs(&object, |attrs| {
        let current = attrs.retention.as_ref().filter(|r| ctx.now < r.until);
        let refused = current
            .is_some_and(|old| loosens(old, &retention) && (old.mode == "COMPLIANCE" || !bypass));
        if refused {
            return Err(OssError::new(
                ErrorCode::AccessDenied,
                "The retention can only be extended.",
            ));
        }
        attrs.retention = Some(retention);
        Ok(())
    })??;
    let mut resp = empty(StatusCode::OK);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// GetObjectRetention: `Retention{Mode, RetainUntilDate}`, else 404 `NoSuchObjectRetention`.
pub(crate) fn get_retention(ctx: &Ctx<'_>, bucket_name: &str, key: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let object = resolve(ctx, &bucket, key)?;
    let retention = object.attrs().retention.clone().ok_or_else(|| {
        OssError::new(
            ErrorCode::NoSuchObjectRetention,
            "The object has no retention.",
        )
        .with("Key", key)
    })?;
    let mut w = XmlWriter::new();
    w.open("Retention")
        .elem("Mode", &retention.mode)
        .elem("RetainUntilDate", &iso8601_millis(retention.until))
        .close("Retention");
    let mut resp = xml_response(StatusCode::OK, w.finish());
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// PutObjectLegalHold: `LegalHold{Status: ON|OFF}`; 200.
pub(crate) async fn put_legal_hold(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    require_object_worm(&bucket)?;
    let (_, doc) = read_document(ctx, body, "LegalHold").await?;
    let on = match text(&doc, "Status") {
        Some("ON") => true,
        Some("OFF") => false,
        _ => return Err(malformed()),
    };
    let object = resolve(ctx, &bucket, key)?;
    bucket.update_attrs(&object, |attrs| attrs.legal_hold = on)?;
    let mut resp = empty(StatusCode::OK);
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}

/// GetObjectLegalHold: `LegalHold{Status}`.
pub(crate) fn get_legal_hold(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    key: &str,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let object = resolve(ctx, &bucket, key)?;
    let status = if object.attrs().legal_hold {
        "ON"
    } else {
        "OFF"
    };
    let mut w = XmlWriter::new();
    w.open("LegalHold")
        .elem("Status", status)
        .close("LegalHold");
    let mut resp = xml_response(StatusCode::OK, w.finish());
    set_version_id(&mut resp, object.version_id.as_deref());
    Ok(resp)
}
