//! The bucket's retention policy (`?worm`): InitiateBucketWorm, AbortBucketWorm,
//! CompleteBucketWorm, ExtendBucketWorm, GetBucketWorm, with OSS's state machine on the
//! emulator's clock.
//!
//! Initiate (`POST ?worm`, `InitiateWormConfiguration{RetentionPeriodInDays}`, 1 to 25550
//! days) creates an `InProgress` policy and answers its id in `x-oss-worm-id`; the policy
//! lapses 24 hours later unless CompleteBucketWorm (`POST ?wormId=…`) locks it. Abort
//! (`DELETE ?worm`) removes an `InProgress` policy only (a locked one: 403
//! `WORMConfigurationLocked`). Extend (`POST ?wormExtend&wormId=…`) lengthens a locked
//! policy only. No policy (never initiated, aborted or lapsed): 404
//! `NoSuchWORMConfiguration`; a wrong id, a second initiation, extending an unlocked policy
//! or shortening one, a bucket with object-level WORM or suspended versioning: 400
//! `InvalidWORMConfiguration`. What a locked policy protects: see [`super::worm`].

use http::{HeaderValue, StatusCode};

use super::worm::{BucketWorm, object_worm_enabled, read_document};
use super::xml_body::{Element, malformed};
use super::{Ctx, Resp, empty, xml_response};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::store::Versioning;
use crate::store::model::new_id;
use crate::time_fmt::iso8601_millis;
use crate::xml::XmlWriter;

/// The longest retention, in days (70 years).
const MAX_DAYS: u32 = 25_550;

fn invalid(message: &str) -> OssError {
    OssError::new(ErrorCode::InvalidWormConfiguration, message)
}

fn no_such(bucket_name: &str) -> OssError {
    OssError::new(
        ErrorCode::NoSuchWormConfiguration,
        "The WORM Configuration does not exist.",
    )
    .with("BucketName", bucket_name)
}

/// `RetentionPeriodInDays` of a document: 1 to 25550 (else 400 `InvalidArgument`; absent:
/// `MalformedXML`).
fn retention_days(doc: &Element) -> Result<u32, OssError> {
    let text = doc
        .child_text("RetentionPeriodInDays")
        .ok_or_else(malformed)?;
    match text.trim().parse::<u32>() {
        Ok(days @ 1..=MAX_DAYS) => Ok(days),
        _ => Err(OssError::invalid_argument(
            "RetentionPeriodInDays must be from 1 to 25550.",
            "RetentionPeriodInDays",
            text,
        )),
    }
}

/// The policy `wormId` names (404 without a policy, 400 for another id).
fn named(ctx: &Ctx<'_>, bucket_name: &str) -> Result<BucketWorm, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let worm = BucketWorm::load(&bucket, ctx.now).ok_or_else(|| no_such(bucket_name))?;
    if ctx.param("wormId") != Some(worm.worm_id.as_str()) {
        return Err(invalid("The WORM id does not match the bucket's policy."));
    }
    Ok(worm)
}

/// InitiateBucketWorm: a new `InProgress` policy; 200 with `x-oss-worm-id`.
pub(crate) async fn initiate(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let days = retention_days(
        &read_document(ctx, body, "InitiateWormConfiguration")
            .await?
            .1,
    )?;
    if BucketWorm::load(&bucket, ctx.now).is_some() {
        return Err(invalid("The bucket already has a WORM configuration."));
    }
    if object_worm_enabled(&bucket) {
        return Err(invalid("The bucket has object-level WORM enabled."));
    }
    if bucket.config().versioning == Versioning::Suspended {
        return Err(invalid("The bucket's versioning is suspended."));
    }
    let created = ctx
        .now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let worm = BucketWorm {
        worm_id: new_id(),
        locked: false,
        days,
        created,
    };
    worm.save(&bucket)?;
    let mut resp = empty(StatusCode::OK);
    let id = HeaderValue::from_str(&worm.worm_id).map_err(|_| malformed())?;
    resp.headers_mut().insert("x-oss-worm-id", id);
    Ok(resp)
}

/// AbortBucketWorm: removes an `InProgress` policy; 204.
pub(crate) fn abort(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let worm = BucketWorm::load(&bucket, ctx.now).ok_or_else(|| no_such(bucket_name))?;
    if worm.locked {
        return Err(OssError::new(
            ErrorCode::WormConfigurationLocked,
            "The WORM Configuration is locked.",
        ));
    }
    bucket.set_document(super::worm::BUCKET_WORM, None)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// CompleteBucketWorm: locks the policy `wormId` names (again: no change); 200.
pub(crate) fn complete(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let mut worm = named(ctx, bucket_name)?;
    worm.locked = true;
    worm.save(&bucket)?;
    Ok(empty(StatusCode::OK))
}

/// ExtendBucketWorm: a longer retention for the locked policy `wormId` names; 200.
pub(crate) async fn extend(
    ctx: &Ctx<'_>,
    bucket_name: &str,
    body: ReqBody,
) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let days = retention_days(&read_document(ctx, body, "ExtendWormConfiguration").await?.1)?;
    let mut worm = named(ctx, bucket_name)?;
    if !worm.locked {
        return Err(invalid("Only a locked WORM configuration can be extended."));
    }
    if days <= worm.days {
        return Err(invalid("The retention period can only be extended."));
    }
    worm.days = days;
    worm.save(&bucket)?;
    Ok(empty(StatusCode::OK))
}

/// GetBucketWorm: `WormConfiguration{WormId, State, RetentionPeriodInDays, CreationDate,
/// ExpirationDate}` (the expiration only while `InProgress`).
pub(crate) fn get(ctx: &Ctx<'_>, bucket_name: &str) -> Result<Resp, OssError> {
    let bucket = ctx.state.store.bucket(bucket_name)?;
    let worm = BucketWorm::load(&bucket, ctx.now).ok_or_else(|| no_such(bucket_name))?;
    let mut w = XmlWriter::new();
    w.open("WormConfiguration")
        .elem("WormId", &worm.worm_id)
        .elem("State", if worm.locked { "Locked" } else { "InProgress" })
        .elem("RetentionPeriodInDays", &worm.days.to_string())
        .elem("CreationDate", &iso8601_millis(worm.created_at()));
    if !worm.locked {
        w.elem("ExpirationDate", &iso8601_millis(worm.expires_at()));
    }
    w.close("WormConfiguration");
    Ok(xml_response(StatusCode::OK, w.finish()))
}
