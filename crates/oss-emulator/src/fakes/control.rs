//! The state the credential fakes share with each other and with the OSS API, and
//! [`FakeControl`], the test-facing handle that inspects and steers them at run time.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use oss_auth::clock::SharedClock;
use tokio::sync::watch;

use crate::keys::KeyStore;

/// One of the credential fakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FakeService {
    /// STS (`AssumeRole`, `AssumeRoleWithOIDC`).
    Sts,
    /// ECS instance metadata (`/latest/api/token`, `/latest/meta-data/ram/security-credentials/`).
    Metadata,
    /// The credentials URI.
    CredentialsUri,
    /// KMS `GetSecretValue`.
    Kms,
}

impl FakeService {
    pub(crate) fn index(self) -> usize {
        match self {
            Self::Sts => 0,
            Self::Metadata => 1,
            Self::CredentialsUri => 2,
            Self::Kms => 3,
        }
    }
}

/// How a fake fails a request (see [`FakeControl::fail_next`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeFailure {
    /// Answer with this HTTP status and a JSON error body carrying `code`
    /// (`{"RequestId","HostId","Code","Message","Recommend"}`), e.g. 500 `InternalError` or
    /// 400 `Throttling.User`.
    Status {
        /// The HTTP status.
        status: u16,
        /// The error code in the body.
        code: String,
    },
    /// Read the request, then never answer (until the emulator shuts down).
    Hang,
    /// Read the request, then close the connection without answering.
    Reset,
}

/// The body shape of the credentials-URI fake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UriShape {
    /// `{"Code":"Success","AccessKeyId",…}` (the Alibaba Cloud credentials libraries).
    #[default]
    Code,
    /// `{"StatusCode":"200","AccessKeyId",…}` (the older OSS "auth server" shape).
    StatusCode,
}

/// Fixed configuration of the fakes.
#[derive(Clone)]
pub(crate) struct FakeConfig {
    pub(crate) role_arn: String,
    pub(crate) oidc_provider_arn: String,
    pub(crate) ecs_role_name: String,
    pub(crate) lifetime: Option<Duration>,
    pub(crate) metadata_hardened: bool,
    pub(crate) uri_shape: UriShape,
    pub(crate) kms_secret_name: String,
    pub(crate) kms_key_id: String,
    /// PKCS#1 `RSAPublicKey` DER.
    pub(crate) kms_public_key: Vec<u8>,
}

impl fmt::Debug for FakeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeConfig")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("ecs_role_name", &self.ecs_role_name)
            .field("lifetime", &self.lifetime)
            .field("metadata_hardened", &self.metadata_hardened)
            .field("uri_shape", &self.uri_shape)
            .field("kms_secret_name", &self.kms_secret_name)
            .field("kms_key_id", &self.kms_key_id)
            .finish_non_exhaustive()
    }
}

/// The long-term AccessKey currently stored in the KMS secret.
#[derive(Clone)]
pub(crate) struct KmsSecret {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: String,
    pub(crate) version: u32,
    pub(crate) created: SystemTime,
}

/// What every fake shares.
pub(crate) struct FakeShared {
    pub(crate) config: FakeConfig,
    pub(crate) clock: SharedClock,
    pub(crate) keys: Arc<RwLock<KeyStore>>,
    pub(crate) stop: watch::Receiver<bool>,
    counters: [AtomicUsize; 4],
    failures: Mutex<[VecDeque<FakeFailure>; 4]>,
    /// STS/KMS `SignatureNonce` → when it was first seen.
    nonces: Mutex<HashMap<String, SystemTime>>,
    oidc_token: Mutex<Option<String>>,
    /// Metadata session tokens → expiry.
    pub(crate) metadata_tokens: Mutex<HashMap<String, SystemTime>>,
    pub(crate) kms_secret: Mutex<Option<KmsSecret>>,
}

impl FakeShared {
    pub(crate) fn new(
        config: FakeConfig,
        clock: SharedClock,
        keys: Arc<RwLock<KeyStore>>,
        stop: watch::Receiver<bool>,
    ) -> Self {
        Self {
            config,
            clock,
            keys,
            stop,
            counters: Default::default(),
            failures: Mutex::new(Default::default()),
            nonces: Mutex::new(HashMap::new()),
            oidc_token: Mutex::new(None),
            metadata_tokens: Mutex::new(HashMap::new()),
            kms_secret: Mutex::new(None),
        }
    }

    pub(crate) fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// Counts a request and returns the failure it must suffer, if any.
    pub(crate) fn begin_request(&self, service: FakeService) -> Option<FakeFailure> {
        self.counters[service.index()].fetch_add(1, Ordering::SeqCst);
        lock(&self.failures)[service.index()].pop_front()
    }

    /// Records `nonce` at `now`; `false` when it was already seen within `window`.
    pub(crate) fn use_nonce(&self, nonce: &str, now: SystemTime, window: Duration) -> bool {
        let mut nonces = lock(&self.nonces);
        nonces.retain(|_, seen| now.duration_since(*seen).map_or(true, |age| age <= window));
        if nonces.contains_key(nonce) {
            return false;
        }
        nonces.insert(nonce.to_owned(), now);
        true
    }

    pub(crate) fn record_oidc_token(&self, token: &str) {
        *lock(&self.oidc_token) = Some(token.to_owned());
    }

    pub(crate) fn keys_write(&self) -> std::sync::RwLockWriteGuard<'_, KeyStore> {
        self.keys.write().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn keys_read(&self) -> std::sync::RwLockReadGuard<'_, KeyStore> {
        self.keys.read().unwrap_or_else(|e| e.into_inner())
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

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
        self.shared.counters[service.index()].load(Ordering::SeqCst)
    }

    /// Makes the next `count` requests to `service` fail as `failure` says. Calls queue up:
    /// a second call adds its failures after those still pending.
    pub fn fail_next(&self, service: FakeService, count: usize, failure: FakeFailure) {
        let mut failures = lock(&self.shared.failures);
        let queue = &mut failures[service.index()];
        for _ in 0..count {
            queue.push_back(failure.clone());
        }
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
        lock(&self.shared.oidc_token).clone()
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
        let (id, key) = super::issue::long_term(&self.shared);
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
