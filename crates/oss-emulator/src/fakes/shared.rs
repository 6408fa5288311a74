//! The state the credential fakes share with each other and with the OSS API (key store,
//! clock, request counters, queued failures, nonces, the KMS secret), and the names of the
//! fakes and of the failures they can be told to inject.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use oss_auth::clock::SharedClock;
use tokio::sync::watch;

use super::config::FakeConfig;
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

/// How a fake fails a request (see [`FakeControl::fail_next`](crate::FakeControl::fail_next)).
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

    /// How many requests `service` has received so far.
    pub(crate) fn requests(&self, service: FakeService) -> usize {
        self.counters[service.index()].load(Ordering::SeqCst)
    }

    /// Queues `count` failures for the next requests to `service`.
    pub(crate) fn queue_failures(&self, service: FakeService, count: usize, failure: &FakeFailure) {
        let mut failures = lock(&self.failures);
        let queue = &mut failures[service.index()];
        for _ in 0..count {
            queue.push_back(failure.clone());
        }
    }

    pub(crate) fn record_oidc_token(&self, token: &str) {
        *lock(&self.oidc_token) = Some(token.to_owned());
    }

    /// The last `OIDCToken` recorded.
    pub(crate) fn last_oidc_token(&self) -> Option<String> {
        lock(&self.oidc_token).clone()
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
