//! [`FakeControl`], the test-facing handle that inspects and steers the credential fakes at
//! run time.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::issue;
use super::shared::{FakeFailure, FakeService, FakeShared, KmsSecret, lock};

/// Runtime control of the credential fakes (see [`crate::EmulatorHandle::fakes`]). Cheap to
/// clone; clones control the same emulator.
#[derive(Clone)]
pub struct FakeControl {
    pub(crate) shared: Arc<FakeShared>,
}

impl fmt::Debug for FakeControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeControl")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl FakeControl {
    /// How many requests `service` has received so far, failed ones included.
    pub fn requests(&self, service: FakeService) -> usize {
        self.shared.requests(service)
    }

    /// Makes the next `count` requests to `service` fail as `failure` says. Calls queue up:
    /// a second call adds its failures after those still pending.
    pub fn fail_next(&self, service: FakeService, count: usize, failure: FakeFailure) {
        self.shared.queue_failures(service, count, &failure);
    }

    /// Every temporary credential issued so far (and every temporary key given to the
    /// builder) expires now: the OSS API answers `SecurityTokenExpired` for it and STS refuses
    /// it as a role-chaining source. Credentials issued afterwards are unaffected.
    pub fn expire_temporary_credentials(&self) {
        let now = self.shared.now();
        let just_before = now.checked_sub(Duration::from_secs(1)).unwrap_or(now);
        self.shared.keys_write().expire_temporary(now, just_before);
    }

    /// The `OIDCToken` of the last `AssumeRoleWithOIDC` request that carried one.
    pub fn last_oidc_token(&self) -> Option<String> {
        self.shared.last_oidc_token()
    }

    /// Puts a new long-term AccessKey into the KMS secret (a new secret version). With
    /// `revoke_old` the previous AccessKey is removed from the key store, so the OSS API
    /// answers 403 `InvalidAccessKeyId` for it; otherwise it stays valid. Does nothing when
    /// the KMS fake is not running.
    pub fn rotate_kms_secret(&self, revoke_old: bool) {
        let mut secret = lock(&self.shared.kms_secret);
        let Some(old) = secret.as_ref() else {
            return;
        };
        let (id, key) = issue::long_term(&self.shared);
        let next = KmsSecret {
            access_key_id: id,
            access_key_secret: key,
            version: old.version + 1,
            created: self.shared.now(),
        };
        if revoke_old {
            self.shared.keys_write().remove(&old.access_key_id);
        }
        *secret = Some(next);
    }

    /// The AccessKeyId currently stored in the KMS secret (`None` without the KMS fake).
    pub fn kms_access_key_id(&self) -> Option<String> {
        lock(&self.shared.kms_secret)
            .as_ref()
            .map(|s| s.access_key_id.clone())
    }
}
