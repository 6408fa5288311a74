//! Out-of-band changes to a running emulator, made without an OSS request: create a bucket,
//! abort a multipart upload, reset everything. [`crate::EmulatorHandle`] and the HTTP control
//! API (`control_api.rs`) both call these.

use std::fmt;
use std::sync::atomic::Ordering;

use crate::error::{ErrorCode, OssError};
use crate::faults::FaultSpec;
use crate::names::validate_bucket;
use crate::state::{State, shift};
use crate::time_fmt::whole_seconds;

/// Why an out-of-band change was refused: the OSS error the same change would get over the
/// OSS API (e.g. 409 `BucketAlreadyExists`, 404 `NoSuchUpload`, 400 `InvalidBucketName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlError {
    status: u16,
    code: String,
    message: String,
}

impl ControlError {
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// The HTTP status OSS answers with this error (400, 404, 409, 500).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The OSS error code (`BucketAlreadyExists`, `NoSuchBucket`, `NoSuchUpload`, …).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The OSS error message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ControlError {}

impl From<OssError> for ControlError {
    fn from(e: OssError) -> Self {
        Self {
            status: e.code.status().as_u16(),
            code: e.code.as_str().to_owned(),
            message: e.message,
        }
    }
}

/// Creates the bucket `name` (Standard storage, private ACL, unversioned), as PutBucket does.
pub(crate) fn create_bucket(state: &State, name: &str) -> Result<(), ControlError> {
    validate_bucket(name)?;
    if state.other_regions.region_of(name).is_some() {
        return Err(OssError::new(
            ErrorCode::BucketAlreadyExists,
            "The bucket lives in another region (--bucket-in-region).",
        )
        .into());
    }
    let now = whole_seconds(shift(state.clock.now(), state.skew()));
    state
        .store
        .create_bucket(name, "Standard".to_owned(), "private", now)?;
    Ok(())
}

/// Aborts the multipart upload `upload_id` of `key` in `bucket`, as AbortMultipartUpload
/// does: its parts are gone and later calls with the id get 404 `NoSuchUpload`.
pub(crate) fn abort_multipart_upload(
    state: &State,
    bucket: &str,
    key: &str,
    upload_id: &str,
) -> Result<(), ControlError> {
    state.store.bucket(bucket)?.remove_upload(key, upload_id)?;
    Ok(())
}

/// Back to the state at start: every bucket, object, version and upload is deleted (from the
/// data directory too) with the account-level documents, the buckets given at start are
/// created again (empty), faults are cleared, clock skew is 0, the request and fault
/// counters, the journal and the recorded bodies are emptied. Credentials the fakes issued stay valid.
pub(crate) fn reset(state: &State) -> Result<(), ControlError> {
    state.faults.set(FaultSpec::default());
    state.faults.reset_injected();
    state.skew.store(0, Ordering::Relaxed);
    let now = state.clock.now();
    for bucket in state.store.buckets() {
        let versions: Vec<(String, String)> = bucket
            .objects()
            .iter()
            .flat_map(|(key, versions)| {
                versions
                    .iter()
                    .map(|o| (key.clone(), o.version_id_or_null().to_owned()))
            })
            .collect();
        for (key, version_id) in versions {
            bucket.delete(&key, Some(&version_id), now)?;
        }
        let uploads: Vec<(String, String)> = bucket.uploads().keys().cloned().collect();
        for (key, upload_id) in uploads {
            bucket.remove_upload(&key, &upload_id)?;
        }
        state.store.delete_bucket(&bucket.name)?;
    }
    state.store.clear_account_documents()?;
    for name in &state.initial_buckets {
        create_bucket(state, name)?;
    }
    state.requests.store(0, Ordering::Relaxed);
    state.journal.clear();
    if let Some(recorded) = &state.recorded {
        recorded.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
    Ok(())
}
