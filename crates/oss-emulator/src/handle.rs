//! [`EmulatorHandle`]: a running emulator — its endpoints and credentials, the test-facing
//! controls (faults, clock skew, recorded bodies, the credential fakes) and shutdown.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::admin::{self, ControlError};
use crate::fakes::control::FakeControl;
use crate::faults::{FaultSpec, FaultSpecError};
use crate::journal::JournalEntry;
use crate::state::State;

/// A running emulator. Dropping it stops the server too (without waiting).
pub struct EmulatorHandle {
    pub(crate) endpoint: String,
    pub(crate) local_addr: SocketAddr,
    pub(crate) region: String,
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: String,
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) metadata_endpoint: Option<String>,
    pub(crate) credentials_uri: Option<String>,
    pub(crate) kms_endpoint: Option<String>,
    pub(crate) control_endpoint: Option<String>,
    pub(crate) fakes: FakeControl,
    pub(crate) state: Arc<State>,
    pub(crate) stop: Option<watch::Sender<bool>>,
    pub(crate) tasks: Vec<JoinHandle<()>>,
}

impl fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorHandle")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("sts_endpoint", &self.sts_endpoint)
            .field("metadata_endpoint", &self.metadata_endpoint)
            .field("credentials_uri", &self.credentials_uri)
            .field("kms_endpoint", &self.kms_endpoint)
            .field("control_endpoint", &self.control_endpoint)
            .finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT` (path-style addressing; use `http://bucket.localhost:PORT`
    /// for virtual-hosted style).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The region requests must be signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The KMS key id OSS-style writes get when they ask for `x-oss-server-side-encryption:
    /// KMS` without `x-oss-server-side-encryption-key-id` (OSS uses the account's default
    /// key of the region): `key-oss-default-{region}-{owner id}`, stable for this emulator.
    pub fn default_kms_key_id(&self) -> String {
        crate::handlers::encryption::default_kms_key_id(&self.state.region, &self.state.owner_id)
    }

    /// The root AccessKeyId.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The root AccessKeySecret.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The STS fake, `http://127.0.0.1:PORT` (`https://` with TLS), when started.
    pub fn sts_endpoint(&self) -> Option<&str> {
        self.sts_endpoint.as_deref()
    }

    /// The ECS metadata fake, `http://127.0.0.1:PORT` (stands for `http://100.100.100.200`).
    pub fn metadata_endpoint(&self) -> Option<&str> {
        self.metadata_endpoint.as_deref()
    }

    /// The full URL to GET for credentials, `http://127.0.0.1:PORT/credentials`.
    pub fn credentials_uri(&self) -> Option<&str> {
        self.credentials_uri.as_deref()
    }

    /// The KMS fake, `http://127.0.0.1:PORT`.
    pub fn kms_endpoint(&self) -> Option<&str> {
        self.kms_endpoint.as_deref()
    }

    /// The HTTP control API, `http://127.0.0.1:PORT`, when started
    /// ([`EmulatorBuilder::control_listen`](crate::EmulatorBuilder::control_listen)).
    pub fn control_endpoint(&self) -> Option<&str> {
        self.control_endpoint.as_deref()
    }

    /// The role ARN STS lets callers assume.
    pub fn role_arn(&self) -> &str {
        &self.fakes.shared.config.role_arn
    }

    /// The OIDC provider ARN `AssumeRoleWithOIDC` accepts.
    pub fn oidc_provider_arn(&self) -> &str {
        &self.fakes.shared.config.oidc_provider_arn
    }

    /// The RAM role name of the metadata fake.
    pub fn ecs_role_name(&self) -> &str {
        &self.fakes.shared.config.ecs_role_name
    }

    /// Runtime control of the credential fakes (request counts, injected failures, early
    /// expiry, KMS rotation).
    pub fn fakes(&self) -> &FakeControl {
        &self.fakes
    }

    /// Replaces the injected faults (see [`FaultSpec`]); rule counters and random streams
    /// start over. On error the current rules stay.
    ///
    /// # Errors
    /// When `spec` does not parse.
    pub fn set_faults(&self, spec: &str) -> Result<(), FaultSpecError> {
        self.state.faults.set(FaultSpec::parse(spec)?);
        Ok(())
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.state.faults.set(FaultSpec::default());
    }

    /// How many faults fired since start (one per fired rule; not reset by
    /// [`set_faults`](Self::set_faults)).
    pub fn injected_faults(&self) -> u64 {
        self.state.faults.injected()
    }

    /// How many OSS API requests arrived since start, answered or not (the credential fakes'
    /// requests are not counted): for tests that check how often a client called.
    pub fn requests_received(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    /// Runs the OSS API's clock `seconds` ahead (+) or behind (−) the configured clock:
    /// signature skew checks, presigned-URL and token expiry, `ServerTime`, `Date`,
    /// `Last-Modified` and every other time the OSS API shows. The credential fakes are not
    /// affected. `0` turns it off.
    pub fn set_clock_skew(&self, seconds: i64) {
        self.state.skew.store(seconds, Ordering::Relaxed);
    }

    /// The current clock skew in seconds (see [`set_clock_skew`](Self::set_clock_skew)).
    pub fn clock_skew(&self) -> i64 {
        self.state.skew()
    }

    /// Every PutObject, AppendObject and UploadPart body received for `bucket`/`key`, in
    /// arrival order, one per attempt (empty unless
    /// [`EmulatorBuilder::record_bodies`](crate::EmulatorBuilder::record_bodies) is on).
    pub fn recorded_bodies(&self, bucket: &str, key: &str) -> Vec<bytes::Bytes> {
        self.state
            .recorded
            .as_ref()
            .and_then(|r| {
                r.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(&(bucket.to_owned(), key.to_owned()))
                    .cloned()
            })
            .unwrap_or_default()
    }

    /// Forgets every recorded body.
    pub fn clear_recorded_bodies(&self) {
        if let Some(r) = &self.state.recorded {
            r.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }
    }

    /// Creates the bucket `name` without an OSS request (Standard storage, private ACL,
    /// unversioned), as PutBucket would.
    ///
    /// # Errors
    /// The OSS error PutBucket would get: 400 `InvalidBucketName`, 409 `BucketAlreadyExists`
    /// (also for a bucket placed in another region), 500 `InternalError` when the data
    /// directory cannot be written.
    pub fn create_bucket(&self, name: &str) -> Result<(), ControlError> {
        admin::create_bucket(&self.state, name)
    }

    /// Aborts the multipart upload `upload_id` of `key` in `bucket` out of band (as if
    /// another client called AbortMultipartUpload): its parts are gone and the uploader's
    /// next UploadPart or CompleteMultipartUpload gets 404 `NoSuchUpload`.
    ///
    /// # Errors
    /// 404 `NoSuchBucket` or `NoSuchUpload`; 500 `InternalError` when the data directory
    /// cannot be written.
    pub fn abort_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<(), ControlError> {
        admin::abort_multipart_upload(&self.state, bucket, key, upload_id)
    }

    /// Back to the state at start: deletes every bucket with its objects, versions and
    /// uploads (in the data directory too), creates the
    /// [`EmulatorBuilder::bucket`](crate::EmulatorBuilder::bucket) buckets again (empty),
    /// clears the faults, sets the clock skew to 0 and empties the request and fault
    /// counters, the journal and the recorded bodies. Temporary credentials already issued
    /// stay valid.
    ///
    /// # Errors
    /// 500 `InternalError` when the data directory cannot be written (what was deleted before
    /// stays deleted).
    pub fn reset(&self) -> Result<(), ControlError> {
        admin::reset(&self.state)
    }

    /// The latest OSS API requests (at most [`JOURNAL_CAPACITY`](crate::JOURNAL_CAPACITY)), oldest first: operation,
    /// method, path, status and request id; never a header, query string, body, secret or
    /// signature. The credential fakes' requests are not in it.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.state.journal.entries()
    }

    /// Empties the journal; numbering starts over at 1.
    pub fn clear_journal(&self) {
        self.state.journal.clear();
    }

    /// Stops accepting, lets in-flight requests finish (at most 5 s; a request hung by
    /// [`FakeFailure::Hang`](crate::FakeFailure::Hang) is dropped at once), closes every connection, and returns when
    /// every listener task has ended.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
    }
}
