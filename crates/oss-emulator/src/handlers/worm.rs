//! What WORM decides for other operations: the bucket's retention policy (`?worm`, kept as
//! the bucket document `worm`), the bucket's object-level WORM configuration (`?objectWorm`,
//! the document `objectWorm`) and each version's retention and legal hold.
//!
//! A version is protected while a locked bucket policy's retention, counted from the
//! version's last-modified time, lasts; while its retain-until date is in the future; or
//! while its legal hold is `ON` (all on the emulator's clock). A write or delete that would
//! remove a protected version's data answers 409 `FileImmutable`: DeleteObject (and each
//! DeleteMultipleObjects entry) of that version, or without a version id unless versioning
//! is enabled (then a delete marker hides it and the data stays), and an overwrite of the
//! key unless versioning is enabled (then the write adds a version).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use md5::{Digest as _, Md5};

use super::xml_body::{self, Element};
use super::{Ctx, MAX_XML_BODY, check_content_md5, read_body};
use crate::error::{ErrorCode, OssError};
use crate::pace::ReqBody;
use crate::store::{Bucket, Object, ObjectRetention, Versioning};
use crate::time_fmt::whole_seconds;

/// The bucket document that holds the retention policy.
pub(crate) const BUCKET_WORM: &str = "worm";
/// The bucket document that holds the object-level WORM configuration, as put.
pub(crate) const OBJECT_WORM: &str = "objectWorm";

const DAY: u64 = 86_400;
/// How long an `InProgress` policy waits for CompleteBucketWorm.
const IN_PROGRESS_FOR: Duration = Duration::from_secs(DAY);

/// A bucket's retention policy, as the emulator keeps it (JSON in the bucket document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BucketWorm {
    /// The policy's id (`x-oss-worm-id`).
    pub(crate) worm_id: String,
    /// Locked by CompleteBucketWorm (else `InProgress`).
    pub(crate) locked: bool,
    /// Days each object is kept, from its last-modified time.
    pub(crate) days: u32,
    /// Creation time, seconds since the epoch.
    pub(crate) created: u64,
}

impl BucketWorm {
    /// When the policy was created.
    pub(crate) fn created_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.created)
    }

    /// When an `InProgress` policy lapses.
    pub(crate) fn expires_at(&self) -> SystemTime {
        self.created_at() + IN_PROGRESS_FOR
    }

    /// The policy in force at `now`: none when absent or when it lapsed while in progress.
    pub(crate) fn load(bucket: &Bucket, now: SystemTime) -> Option<Self> {
        let stored = bucket.document(BUCKET_WORM)?;
        let worm: Self = serde_json::from_str(&stored).ok()?;
        (worm.locked || now < worm.expires_at()).then_some(worm)
    }

    /// Stores the policy (durably with a data directory).
    pub(crate) fn save(&self, bucket: &Bucket) -> Result<(), OssError> {
        let json = serde_json::to_string(self).unwrap_or_default();
        bucket.set_document(BUCKET_WORM, Some(json))
    }
}

/// 409 `FileImmutable` for `key`.
fn immutable(key: &str) -> OssError {
    OssError::new(
        ErrorCode::FileImmutable,
        "The object you specified is immutable.",
    )
    .with("Key", key)
}

/// Whether `object` is protected at `now` under `policy`.
fn protected(object: &Object, policy: Option<&BucketWorm>, now: SystemTime) -> bool {
    if object.delete_marker {
        return false;
    }
    let by_bucket = policy.is_some_and(|p| {
        p.locked && now < object.last_modified + Duration::from_secs(u64::from(p.days) * DAY)
    });
    let attrs = object.attrs();
    by_bucket || attrs.legal_hold || attrs.retention.as_ref().is_some_and(|r| now < r.until)
}

/// Whether `object` of `bucket` is protected at `now` (bucket WORM, retention, legal hold):
/// lifecycle expiration (`lifecycle_expiry.rs`) leaves it alone.
pub(crate) fn is_protected(bucket: &Bucket, object: &Object, now: SystemTime) -> bool {
    protected(object, BucketWorm::load(bucket, now).as_ref(), now)
}

/// 409 `FileImmutable` when `object` is protected at `ctx.now`.
fn check(ctx: &Ctx<'_>, bucket: &Bucket, object: &Object) -> Result<(), OssError> {
    let policy = BucketWorm::load(bucket, ctx.now);
    if protected(object, policy.as_ref(), ctx.now) {
        return Err(immutable(&object.key));
    }
    Ok(())
}

/// The version a write or an unversioned delete of `key` replaces, if any: the current
/// object while versioning is off, the `null` version while suspended, none while enabled.
fn replaced(bucket: &Bucket, key: &str) -> Option<std::sync::Arc<Object>> {
    match bucket.config().versioning {
        Versioning::Off => bucket.get(key),
        Versioning::Suspended => bucket.version(key, "null"),
        Versioning::Enabled => None,
    }
}

/// Refuses (409 `FileImmutable`) a write onto `key` that would replace a protected version.
pub(crate) fn check_overwrite(ctx: &Ctx<'_>, bucket: &Bucket, key: &str) -> Result<(), OssError> {
    match replaced(bucket, key) {
        Some(object) => check(ctx, bucket, &object),
        None => Ok(()),
    }
}

/// Refuses (409 `FileImmutable`) a delete of `key` (of `version_id` when given) that would
/// remove a protected version.
pub(crate) fn check_delete(
    ctx: &Ctx<'_>,
    bucket: &Bucket,
    key: &str,
    version_id: Option<&str>,
) -> Result<(), OssError> {
    let target = match version_id {
        Some(vid) => bucket.version(key, vid),
        None => replaced(bucket, key),
    };
    match target {
        Some(object) => check(ctx, bucket, &object),
        None => Ok(()),
    }
}

/// Refuses an AppendObject onto `key`: 409 `FileImmutable` for a protected object, 400
/// `OperationNotSupported` in a bucket with object-level WORM (OSS takes no appends there).
pub(crate) fn check_append(ctx: &Ctx<'_>, bucket: &Bucket, key: &str) -> Result<(), OssError> {
    if object_worm_enabled(bucket) {
        return Err(OssError::new(
            ErrorCode::OperationNotSupported,
            "AppendObject is not supported in a bucket with object-level WORM.",
        ));
    }
    match bucket.get(key) {
        Some(object) => check(ctx, bucket, &object),
        None => Ok(()),
    }
}

/// Refuses (409 `InvalidBucketState`) suspending versioning while the bucket has a
/// retention policy or object-level WORM.
pub(crate) fn check_suspend(ctx: &Ctx<'_>, bucket: &Bucket) -> Result<(), OssError> {
    if object_worm_enabled(bucket) || BucketWorm::load(bucket, ctx.now).is_some() {
        return Err(OssError::new(
            ErrorCode::InvalidBucketState,
            "Versioning cannot be suspended on a bucket with WORM.",
        ));
    }
    Ok(())
}

/// Whether the bucket has object-level WORM enabled (PutBucketObjectWormConfiguration).
pub(crate) fn object_worm_enabled(bucket: &Bucket) -> bool {
    bucket.document(OBJECT_WORM).is_some()
}

/// The retention a new version written at `now` gets from the bucket's default retention
/// (`ObjectWormConfiguration{Rule{DefaultRetention{Mode, Days|Years}}}`), if one is set.
pub(crate) fn default_retention(bucket: &Bucket, now: SystemTime) -> Option<ObjectRetention> {
    let stored = bucket.document(OBJECT_WORM)?;
    let doc = xml_body::parse(stored.as_bytes(), "ObjectWormConfiguration").ok()?;
    let rule = doc.child("Rule")?.child("DefaultRetention")?;
    let mode = rule.child_text("Mode")?.trim().to_owned();
    let number = |name: &str| {
        rule.child_text(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let days = match (number("Days"), number("Years")) {
        (Some(days), _) => days,
        (None, Some(years)) => years * 365,
        (None, None) => return None,
    };
    let until = whole_seconds(now) + Duration::from_secs(days * DAY);
    Some(ObjectRetention { mode, until })
}

/// The request body as text, its `Content-MD5` checked (400 `InvalidDigest`), and parsed
/// as XML with root `root` (else 400 `MalformedXML`).
pub(crate) async fn read_document(
    ctx: &Ctx<'_>,
    body: ReqBody,
    root: &str,
) -> Result<(String, Element), OssError> {
    let body = read_body(body, ctx.headers, MAX_XML_BODY).await?;
    check_content_md5(ctx, &Md5::digest(&body))?;
    let doc = xml_body::parse(&body, root)?;
    let text = String::from_utf8(body.to_vec()).map_err(|_| xml_body::malformed())?;
    Ok((text, doc))
}
