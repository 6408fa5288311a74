//! A strict local Alibaba Cloud OSS server, for tests.
//!
//! The emulator keeps buckets and objects in memory (or durably in a directory) and speaks the OSS wire protocol closely
//! enough for the official SDKs: it verifies every request's V4 (`OSS4-HMAC-SHA256`) or V1
//! signature (header or presigned query), enforces the 15-minute clock-skew window and STS
//! tokens, applies the bucket and key naming rules, and answers with OSS XML bodies, error
//! codes, `x-oss-ec`/`x-oss-err` headers, ETags and `x-oss-hash-crc64ecma`.
//!
//! Implemented operations: ListBuckets, PutBucket, DeleteBucket, ListObjects (v1),
//! ListObjectsV2, PutObject, GetObject (Range with both OSS range behaviours, conditionals,
//! `response-*` overrides), HeadObject, GetObjectMeta and DeleteObject, multipart, copy,
//! append, ACL, tagging, symlinks, restore and versioning. Every other sub-resource OSS
//! defines ([`UNIMPLEMENTED_SUB_RESOURCES`]), an implemented one on an operation that does
//! not take it, unknown valueless or `x-oss-*` query parameters and storage-affecting headers
//! it lacks ([`UNIMPLEMENTED_HEADERS`], e.g. SSE) answer 501 `NotImplemented`: a request is
//! never run as another operation.
//!
//! Addressing: a `Host` that is an IP address or `localhost` means path style
//! (`/bucket/key`); a `Host` ending in `.localhost` means virtual-hosted style
//! (`bucket.localhost`, the key is the whole path). Paths are percent-decoded, never
//! normalised.
//!
//! Credential fakes (opt-in, each on its own loopback listener, sharing the key store and the
//! injectable [`clock`](EmulatorBuilder::clock)): STS `AssumeRole`/`AssumeRoleWithOIDC`
//! ([`EmulatorBuilder::sts`]), ECS instance metadata ([`EmulatorBuilder::metadata`]), a
//! credentials URI ([`EmulatorBuilder::credentials_uri`]) and KMS `GetSecretValue`
//! ([`EmulatorBuilder::kms`]). Every credential they issue works against the OSS API until it
//! expires; [`FakeControl`] injects failures, expires credentials early and rotates the KMS
//! secret. [`EmulatorBuilder::tls`] serves HTTPS on every listener.
//!
//! Faults ([`EmulatorBuilder::faults`], [`EmulatorHandle::set_faults`], grammar in
//! [`FaultSpec`] and the README): 500/503, connection closes (FIN) or TCP resets (RST)
//! before the answer or mid-body, stalled and slow transfers, writes applied whose answer is
//! lost (`commit-reset`, `commit-503`), latency, per-request or global clock skew
//! ([`EmulatorHandle::set_clock_skew`]) and token expiry, with deterministic
//! `nth`/`every`/`first`/seeded-probability triggers. Connections have an idle keep-alive
//! timer and a header-read timer ([`EmulatorBuilder::idle_connection_timeout`],
//! [`EmulatorBuilder::header_read_timeout`]). Request
//! bodies can be recorded per attempt ([`EmulatorBuilder::record_bodies`]).
//! [`EmulatorBuilder::data_dir`] makes the store durable and crash-safe.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = oss_emulator::Emulator::builder()
//!     .credentials("my-id", "my-secret")
//!     .region("cn-hangzhou")
//!     .start()
//!     .await?;
//! println!("OSS endpoint: {}", emulator.endpoint());
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

mod admin;
mod auth;
mod conditional;
mod control_api;
mod disk;
mod error;
mod fakes;
mod faults;
mod handlers;
mod journal;
mod keys;
mod list;
mod names;
mod other_regions;
mod pace;
mod range;
mod request_id;
mod router;
mod server;
mod state;
mod store;
mod time_fmt;
mod tls;
mod xml;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use oss_auth::clock::{SharedClock, system_clock};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use crate::admin::ControlError;
use crate::fakes::control::{FakeConfig, FakeShared};
pub use crate::fakes::control::{FakeControl, FakeFailure, FakeService, UriShape};
use crate::faults::Faults;
pub use crate::faults::{DEFAULT_FAULT_SEED, FaultSpec, FaultSpecError};
use crate::journal::Journal;
pub use crate::journal::{JOURNAL_CAPACITY, JournalEntry};
use crate::keys::{AccessKey, KeyStore};
pub use crate::router::{
    IMPLEMENTED_SUB_RESOURCES, UNIMPLEMENTED_HEADERS, UNIMPLEMENTED_SUB_RESOURCES,
};
use crate::server::{ConnConfig, Handler};
pub use crate::server::{DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_CONNECTION_TIMEOUT};
use crate::state::State;
use crate::store::Store;

/// The default root AccessKeyId.
pub const DEFAULT_ACCESS_KEY_ID: &str = "emulator-access-key-id";
/// The default root AccessKeySecret.
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "emulator-access-key-secret";
/// The default region (the V4 scope region requests must be signed for).
pub const DEFAULT_REGION: &str = "cn-hangzhou";
/// The default largest object body, in bytes (5 GiB, the OSS PutObject limit).
pub const DEFAULT_MAX_OBJECT_SIZE: u64 = 5 * 1024 * 1024 * 1024;
/// The default role ARN the STS fake lets callers assume.
pub const DEFAULT_ROLE_ARN: &str = "acs:ram::1234567890123456:role/emulator-role";
/// The default OIDC provider ARN the STS fake accepts in `AssumeRoleWithOIDC`.
pub const DEFAULT_OIDC_PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/emulator-oidc";
/// The default RAM role name of the ECS metadata fake.
pub const DEFAULT_ECS_ROLE_NAME: &str = "EmulatorEcsRole";
/// The default name of the KMS fake's secret.
pub const DEFAULT_KMS_SECRET_NAME: &str = "emulator-oss-ak";
/// The KeyId of the default ClientKey of the KMS fake: the test ClientKey committed under
/// `crates/oss-emulator/tests/data/kms/` (password in `client_key_password.txt` there).
pub const DEFAULT_KMS_CLIENT_KEY_ID: &str = fakes::kms::DEFAULT_CLIENT_KEY_ID;
/// The path of the credentials-URI fake.
pub const CREDENTIALS_URI_PATH: &str = fakes::credentials_uri::PATH;

/// Namespace for [`Emulator::builder`].
#[derive(Debug, Clone, Copy)]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: listen on `127.0.0.1:0` (a free port), root key
    /// [`DEFAULT_ACCESS_KEY_ID`] / [`DEFAULT_ACCESS_KEY_SECRET`], region [`DEFAULT_REGION`],
    /// objects up to [`DEFAULT_MAX_OBJECT_SIZE`] bytes.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            access_key_id: DEFAULT_ACCESS_KEY_ID.to_owned(),
            access_key_secret: DEFAULT_ACCESS_KEY_SECRET.to_owned(),
            temporary: Vec::new(),
            region: DEFAULT_REGION.to_owned(),
            other_regions: Default::default(),
            max_object_size: DEFAULT_MAX_OBJECT_SIZE,
            clock: None,
            sts: None,
            metadata: None,
            credentials_uri: None,
            kms: None,
            control: None,
            buckets: Vec::new(),
            role_arn: DEFAULT_ROLE_ARN.to_owned(),
            oidc_provider_arn: DEFAULT_OIDC_PROVIDER_ARN.to_owned(),
            ecs_role_name: DEFAULT_ECS_ROLE_NAME.to_owned(),
            lifetime: None,
            metadata_hardened: false,
            uri_shape: UriShape::Code,
            tls: None,
            kms_secret_name: DEFAULT_KMS_SECRET_NAME.to_owned(),
            kms_key_id: DEFAULT_KMS_CLIENT_KEY_ID.to_owned(),
            kms_public_key: fakes::kms::DEFAULT_CLIENT_PUBLIC_KEY.to_vec(),
            faults: None,
            fault_seed: DEFAULT_FAULT_SEED,
            record_bodies: false,
            data_dir: None,
            idle_connection_timeout: DEFAULT_IDLE_CONNECTION_TIMEOUT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
        }
    }
}

fn loopback() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

/// Starts an emulator with the defaults (see [`Emulator::builder`]).
///
/// # Errors
/// When the listening socket cannot be bound.
pub async fn start() -> std::io::Result<EmulatorHandle> {
    Emulator::builder().start().await
}

/// Configures and starts an emulator. `Debug` never shows secrets or tokens.
pub struct EmulatorBuilder {
    listen: SocketAddr,
    access_key_id: String,
    access_key_secret: String,
    temporary: Vec<AccessKey>,
    region: String,
    other_regions: std::collections::BTreeMap<String, String>,
    max_object_size: u64,
    clock: Option<SharedClock>,
    sts: Option<SocketAddr>,
    metadata: Option<SocketAddr>,
    credentials_uri: Option<SocketAddr>,
    kms: Option<SocketAddr>,
    control: Option<SocketAddr>,
    buckets: Vec<String>,
    role_arn: String,
    oidc_provider_arn: String,
    ecs_role_name: String,
    lifetime: Option<Duration>,
    metadata_hardened: bool,
    uri_shape: UriShape,
    tls: Option<(Vec<u8>, Vec<u8>)>,
    kms_secret_name: String,
    kms_key_id: String,
    kms_public_key: Vec<u8>,
    faults: Option<String>,
    fault_seed: u64,
    record_bodies: bool,
    data_dir: Option<PathBuf>,
    idle_connection_timeout: Duration,
    header_read_timeout: Duration,
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("listen", &self.listen)
            .field("access_key_id", &self.access_key_id)
            .field("temporary_keys", &self.temporary)
            .field("region", &self.region)
            .field("other_regions", &self.other_regions)
            .field("max_object_size", &self.max_object_size)
            .field("sts", &self.sts)
            .field("metadata", &self.metadata)
            .field("credentials_uri", &self.credentials_uri)
            .field("kms", &self.kms)
            .field("control", &self.control)
            .field("buckets", &self.buckets)
            .field("role_arn", &self.role_arn)
            .field("tls", &self.tls.is_some())
            .field("faults", &self.faults)
            .field("fault_seed", &self.fault_seed)
            .field("record_bodies", &self.record_bodies)
            .field("data_dir", &self.data_dir)
            .field("idle_connection_timeout", &self.idle_connection_timeout)
            .field("header_read_timeout", &self.header_read_timeout)
            .finish_non_exhaustive()
    }
}

impl EmulatorBuilder {
    /// The address to listen on (default `127.0.0.1:0`: a free loopback port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// The root AccessKey (no security token; never expires).
    pub fn credentials(
        mut self,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
    ) -> Self {
        self.access_key_id = access_key_id.into();
        self.access_key_secret = access_key_secret.into();
        self
    }

    /// Also accepts STS-style temporary credentials: requests must carry `security_token`
    /// (`x-oss-security-token` header, or `x-oss-security-token` / `security-token` in a
    /// presigned URL) and are refused with 403 `SecurityTokenExpired` after `expiration`.
    /// May be called several times.
    pub fn temporary_credentials(
        mut self,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
        expiration: SystemTime,
    ) -> Self {
        self.temporary.push(AccessKey {
            id: access_key_id.into(),
            secret: access_key_secret.into(),
            security_token: Some(security_token.into()),
            expiration: Some(expiration),
        });
        self
    }

    /// The region V4 requests must be signed for (default `cn-hangzhou`); it also shows in
    /// ListBuckets (`Location` = `oss-<region>`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Places `bucket` in another region (`cn-beijing`, say), as if it had been created
    /// through that region's endpoint. Every request for it through this endpoint then gets
    /// what OSS answers there: 403 `AccessDenied` with `<Bucket>` and
    /// `<Endpoint>oss-<region>.aliyuncs.com</Endpoint>` (reported failure B23), except
    /// GetBucketLocation, which answers `oss-<region>`; ListBuckets lists it with that
    /// region. It stores nothing, and shadows a bucket of the same name in the store.
    /// `start` refuses (`InvalidInput`) an invalid bucket name, a region that is not lower-case
    /// letters, digits and `-`, a location (`oss-cn-beijing`) and this endpoint's own region.
    pub fn bucket_in_region(
        mut self,
        bucket: impl Into<String>,
        region: impl Into<String>,
    ) -> Self {
        self.other_regions.insert(bucket.into(), region.into());
        self
    }

    /// The largest accepted object body in bytes (default 5 GiB); larger uploads get
    /// 400 `EntityTooLarge`.
    pub fn max_object_size(mut self, bytes: u64) -> Self {
        self.max_object_size = bytes;
        self
    }

    /// The emulator's notion of now (default: the system clock): request-signature skew,
    /// presigned-URL expiry, security-token expiry, STS/KMS `Timestamp` checks and the
    /// `Expiration` of issued credentials all read it, so a
    /// [`ManualClock`](oss_auth::clock::ManualClock) can expire credentials without sleeping.
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Also starts the STS fake (`AssumeRole`, `AssumeRoleWithOIDC`) on `127.0.0.1:0`.
    pub fn sts(self) -> Self {
        self.sts_listen(loopback())
    }

    /// Also starts the STS fake on `addr`.
    pub fn sts_listen(mut self, addr: SocketAddr) -> Self {
        self.sts = Some(addr);
        self
    }

    /// Also starts the ECS instance-metadata fake on `127.0.0.1:0`.
    pub fn metadata(self) -> Self {
        self.metadata_listen(loopback())
    }

    /// Also starts the ECS instance-metadata fake on `addr`.
    pub fn metadata_listen(mut self, addr: SocketAddr) -> Self {
        self.metadata = Some(addr);
        self
    }

    /// Also starts the credentials-URI fake on `127.0.0.1:0`.
    pub fn credentials_uri(self) -> Self {
        self.credentials_uri_listen(loopback())
    }

    /// Also starts the credentials-URI fake on `addr`.
    pub fn credentials_uri_listen(mut self, addr: SocketAddr) -> Self {
        self.credentials_uri = Some(addr);
        self
    }

    /// Also starts the KMS `GetSecretValue` fake on `127.0.0.1:0`.
    pub fn kms(self) -> Self {
        self.kms_listen(loopback())
    }

    /// Also starts the KMS fake on `addr`.
    pub fn kms_listen(mut self, addr: SocketAddr) -> Self {
        self.kms = Some(addr);
        self
    }

    /// The only role STS lets callers assume (default [`DEFAULT_ROLE_ARN`]).
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = arn.into();
        self
    }

    /// The only OIDC provider `AssumeRoleWithOIDC` accepts (default
    /// [`DEFAULT_OIDC_PROVIDER_ARN`]).
    pub fn oidc_provider_arn(mut self, arn: impl Into<String>) -> Self {
        self.oidc_provider_arn = arn.into();
        self
    }

    /// The RAM role of the ECS metadata fake (default [`DEFAULT_ECS_ROLE_NAME`]).
    pub fn ecs_role_name(mut self, name: impl Into<String>) -> Self {
        self.ecs_role_name = name.into();
        self
    }

    /// The lifetime of every credential the fakes issue, overriding the defaults (STS: the
    /// requested `DurationSeconds`; metadata: 6 h; credentials URI: 1 h).
    pub fn temporary_credentials_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Some(lifetime);
        self
    }

    /// `true`: metadata GETs need a valid `X-aliyun-ecs-metadata-token` (else 401).
    /// `false` (default): requests with and without a token are both served.
    pub fn metadata_hardened(mut self, required: bool) -> Self {
        self.metadata_hardened = required;
        self
    }

    /// The body shape of the credentials-URI fake (default [`UriShape::Code`]).
    pub fn credentials_uri_shape(mut self, shape: UriShape) -> Self {
        self.uri_shape = shape;
        self
    }

    /// Serves HTTPS on every listener (the OSS API and the fakes) with this certificate chain
    /// (PEM, leaf first) and private key (PEM: PKCS#8, PKCS#1 or SEC1).
    pub fn tls(mut self, cert_chain_pem: Vec<u8>, private_key_pem: Vec<u8>) -> Self {
        self.tls = Some((cert_chain_pem, private_key_pem));
        self
    }

    /// The name of the KMS fake's secret (default [`DEFAULT_KMS_SECRET_NAME`]).
    pub fn kms_secret_name(mut self, name: impl Into<String>) -> Self {
        self.kms_secret_name = name.into();
        self
    }

    /// The ClientKey the KMS fake accepts: its KeyId and RSA public key (SubjectPublicKeyInfo
    /// DER, or PKCS#1 `RSAPublicKey` DER). Default: the test ClientKey under
    /// `crates/oss-emulator/tests/data/kms/` ([`DEFAULT_KMS_CLIENT_KEY_ID`]).
    pub fn kms_client_key(mut self, key_id: impl Into<String>, public_key_der: Vec<u8>) -> Self {
        self.kms_key_id = key_id.into();
        self.kms_public_key = public_key_der;
        self
    }

    /// Also serves the HTTP control API (JSON; faults, clock skew, temporary credentials,
    /// buckets, multipart uploads, reset, counters, the request journal) on `addr`; port 0
    /// picks a free port. Routes: `docs/emulator-control.md`. Off by default.
    pub fn control_listen(mut self, addr: SocketAddr) -> Self {
        self.control = Some(addr);
        self
    }

    /// Creates the bucket `name` at start (repeatable; Standard storage, private ACL), and
    /// again after [`EmulatorHandle::reset`]. With a data directory that already holds it, the
    /// stored bucket is kept. A name OSS refuses makes [`start`](Self::start) fail with
    /// [`InvalidInput`](std::io::ErrorKind::InvalidInput).
    pub fn bucket(mut self, name: impl Into<String>) -> Self {
        self.buckets.push(name.into());
        self
    }

    /// Injects faults into OSS API requests from the start (see [`FaultSpec`] and the crate
    /// README for the grammar, e.g. `put:nth=2:503,get:p=0.1:reset-body`). The spec is
    /// parsed by [`start`](Self::start), which fails with
    /// [`InvalidInput`](std::io::ErrorKind::InvalidInput) when it does not parse.
    pub fn faults(mut self, spec: &str) -> Self {
        self.faults = Some(spec.to_owned());
        self
    }

    /// The seed of `p=` (probability) fault triggers (default [`DEFAULT_FAULT_SEED`]): the
    /// same seed and the same sequence of requests fire the same faults.
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = seed;
        self
    }

    /// Keeps every PutObject, AppendObject and UploadPart request body received (each
    /// attempt, faulted ones included when the body was read) for
    /// [`EmulatorHandle::recorded_bodies`]. Default off.
    pub fn record_bodies(mut self, on: bool) -> Self {
        self.record_bodies = on;
        self
    }

    /// Keeps buckets, objects and multipart uploads in `dir` (created if missing) instead
    /// of only in memory: acknowledged writes survive a crash (`kill -9`) and restart, a
    /// write in progress is never visible half-done. Starting on an existing directory
    /// loads its contents. See the crate README ("Durable store").
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Closes a keep-alive connection that has had no request in progress and received no
    /// byte for this long (default [`DEFAULT_IDLE_CONNECTION_TIMEOUT`], 60 s), as real
    /// servers do; [`Duration::ZERO`] turns the timer off. Applies to every listener.
    pub fn idle_connection_timeout(mut self, timeout: Duration) -> Self {
        self.idle_connection_timeout = timeout;
        self
    }

    /// Closes a connection whose next request head started arriving but is not complete
    /// after this long (default [`DEFAULT_HEADER_READ_TIMEOUT`], 30 s), so a client that
    /// sends part of a head cannot hold a connection forever; [`Duration::ZERO`] turns the
    /// timer off. Applies to every listener.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Binds every socket and starts serving on the current tokio runtime.
    ///
    /// # Errors
    /// When an address cannot be bound, the TLS certificate or key cannot be used, the KMS
    /// public key is not an RSA public key, the fault spec or a bucket in another region is
    /// refused ([`InvalidInput`](std::io::ErrorKind::InvalidInput), before any I/O), or the
    /// data directory cannot be used.
    pub async fn start(self) -> std::io::Result<EmulatorHandle> {
        let invalid =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, what.to_owned());
        let fault_spec = match &self.faults {
            Some(spec) => FaultSpec::parse(spec).map_err(|e| invalid(&e.to_string()))?,
            None => FaultSpec::default(),
        };
        let clock = self.clock.unwrap_or_else(system_clock);
        let other_regions =
            other_regions::OtherRegions::new(self.other_regions, &self.region, clock.now())
                .map_err(|e| invalid(&e))?;
        let store = match &self.data_dir {
            Some(dir) => Store::open(dir)?,
            None => Store::default(),
        };
        let tls = match &self.tls {
            Some((cert, key)) => Some(tls::acceptor(cert, key)?),
            None => None,
        };
        let kms_public_key =
            fakes::kms::rsa_public_key_pkcs1(&self.kms_public_key).ok_or_else(|| {
                invalid("the KMS client public key is not an RSA public key (SPKI or PKCS#1 DER)")
            })?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let listener = TcpListener::bind(self.listen).await?;
        let local_addr = listener.local_addr()?;
        let bind_fake = |addr: Option<SocketAddr>| async move {
            match addr {
                Some(addr) => TcpListener::bind(addr).await.map(Some),
                None => Ok(None),
            }
        };
        let sts = bind_fake(self.sts).await?;
        let metadata = bind_fake(self.metadata).await?;
        let credentials_uri = bind_fake(self.credentials_uri).await?;
        let kms = bind_fake(self.kms).await?;
        let control = bind_fake(self.control).await?;
        let mut keys = KeyStore::default();
        keys.insert(AccessKey {
            id: self.access_key_id.clone(),
            secret: self.access_key_secret.clone(),
            security_token: None,
            expiration: None,
        });
        for key in self.temporary {
            keys.insert(key);
        }
        let keys = Arc::new(RwLock::new(keys));
        let (stop, stopped) = watch::channel(false);
        let conn_config = ConnConfig {
            idle: Some(self.idle_connection_timeout).filter(|d| !d.is_zero()),
            header_read: Some(self.header_read_timeout).filter(|d| !d.is_zero()),
        };
        let state = Arc::new(State {
            store,
            keys: Arc::clone(&keys),
            region: self.region.clone(),
            other_regions,
            max_object_size: self.max_object_size,
            owner_id: "1234567890123456".to_owned(),
            clock: Arc::clone(&clock),
            skew: 0.into(),
            faults: Faults::new(fault_spec, self.fault_seed),
            requests: 0.into(),
            journal: Arc::new(Journal::default()),
            initial_buckets: self.buckets,
            recorded: self.record_bodies.then(|| Mutex::new(Default::default())),
            stopped: stopped.clone(),
        });
        let shared = Arc::new(FakeShared::new(
            FakeConfig {
                role_arn: self.role_arn.clone(),
                oidc_provider_arn: self.oidc_provider_arn.clone(),
                ecs_role_name: self.ecs_role_name.clone(),
                lifetime: self.lifetime,
                metadata_hardened: self.metadata_hardened,
                uri_shape: self.uri_shape,
                kms_secret_name: self.kms_secret_name,
                kms_key_id: self.kms_key_id,
                kms_public_key,
            },
            clock,
            keys,
            stopped.clone(),
        ));
        if kms.is_some() {
            fakes::kms::init_secret(&shared);
        }
        for name in &state.initial_buckets {
            match admin::create_bucket(&state, name) {
                Err(e) if e.code() != "BucketAlreadyExists" => {
                    return Err(invalid(&format!("bucket {name:?}: {e}")));
                }
                _ => {}
            }
        }
        let fake_control = FakeControl {
            shared: Arc::clone(&shared),
        };
        let mut tasks = vec![tokio::spawn(server::serve(
            listener,
            tls.clone(),
            server::oss_handler(Arc::clone(&state)),
            stopped.clone(),
            conn_config,
        ))];
        let mut start_fake = |listener: Option<TcpListener>,
                              service: FakeService,
                              fake: fakes::FakeFn|
         -> std::io::Result<Option<String>> {
            let Some(listener) = listener else {
                return Ok(None);
            };
            let addr = listener.local_addr()?;
            let handler: Handler = fakes::handler(Arc::clone(&shared), service, fake);
            tasks.push(tokio::spawn(server::serve(
                listener,
                tls.clone(),
                handler,
                stopped.clone(),
                conn_config,
            )));
            Ok(Some(format!("{scheme}://{}", host_port(addr))))
        };
        let sts_endpoint = start_fake(sts, FakeService::Sts, fakes::sts::handle)?;
        let metadata_endpoint =
            start_fake(metadata, FakeService::Metadata, fakes::metadata::handle)?;
        let credentials_uri = start_fake(
            credentials_uri,
            FakeService::CredentialsUri,
            fakes::credentials_uri::handle,
        )?
        .map(|base| format!("{base}{CREDENTIALS_URI_PATH}"));
        let kms_endpoint = start_fake(kms, FakeService::Kms, fakes::kms::handle)?;
        let control_endpoint = match control {
            Some(listener) => {
                let addr = listener.local_addr()?;
                let handler = control_api::handler(Arc::clone(&state), fake_control.clone());
                tasks.push(tokio::spawn(server::serve(
                    listener,
                    tls.clone(),
                    handler,
                    stopped.clone(),
                    conn_config,
                )));
                Some(format!("{scheme}://{}", host_port(addr)))
            }
            None => None,
        };
        Ok(EmulatorHandle {
            endpoint: format!("{scheme}://{}", host_port(local_addr)),
            local_addr,
            region: self.region,
            access_key_id: self.access_key_id,
            access_key_secret: self.access_key_secret,
            sts_endpoint,
            metadata_endpoint,
            credentials_uri,
            kms_endpoint,
            control_endpoint,
            role_arn: self.role_arn,
            oidc_provider_arn: self.oidc_provider_arn,
            ecs_role_name: self.ecs_role_name,
            fakes: fake_control,
            state,
            stop: Some(stop),
            tasks,
        })
    }
}

fn host_port(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => a.to_string(),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
    }
}

/// A running emulator. Dropping it stops the server too (without waiting).
pub struct EmulatorHandle {
    endpoint: String,
    local_addr: SocketAddr,
    region: String,
    access_key_id: String,
    access_key_secret: String,
    sts_endpoint: Option<String>,
    metadata_endpoint: Option<String>,
    credentials_uri: Option<String>,
    kms_endpoint: Option<String>,
    control_endpoint: Option<String>,
    role_arn: String,
    oidc_provider_arn: String,
    ecs_role_name: String,
    fakes: FakeControl,
    state: Arc<State>,
    stop: Option<watch::Sender<bool>>,
    tasks: Vec<JoinHandle<()>>,
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
    /// ([`EmulatorBuilder::control_listen`]).
    pub fn control_endpoint(&self) -> Option<&str> {
        self.control_endpoint.as_deref()
    }

    /// The role ARN STS lets callers assume.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The OIDC provider ARN `AssumeRoleWithOIDC` accepts.
    pub fn oidc_provider_arn(&self) -> &str {
        &self.oidc_provider_arn
    }

    /// The RAM role name of the metadata fake.
    pub fn ecs_role_name(&self) -> &str {
        &self.ecs_role_name
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
    /// [`EmulatorBuilder::record_bodies`] is on).
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
    /// (also for a bucket of [`EmulatorBuilder::bucket_in_region`]), 500 `InternalError` when
    /// the data directory cannot be written.
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
    /// uploads (in the data directory too), creates the [`EmulatorBuilder::bucket`] buckets
    /// again (empty), clears the faults, sets the clock skew to 0 and empties the request and
    /// fault counters, the journal and the recorded bodies. Temporary credentials already
    /// issued stay valid.
    ///
    /// # Errors
    /// 500 `InternalError` when the data directory cannot be written (what was deleted before
    /// stays deleted).
    pub fn reset(&self) -> Result<(), ControlError> {
        admin::reset(&self.state)
    }

    /// The latest OSS API requests (at most [`JOURNAL_CAPACITY`]), oldest first: operation,
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
    /// [`FakeFailure::Hang`] is dropped at once), closes every connection, and returns when
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
