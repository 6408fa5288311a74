//! [`EmulatorBuilder`]: the emulator's settings, and [`start`](EmulatorBuilder::start),
//! which binds the listeners and spawns the OSS API server and the credential fakes.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use oss_auth::clock::{SharedClock, system_clock};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::admin;
use crate::control_api;
use crate::fakes;
use crate::fakes::config::{FakeConfig, UriShape};
use crate::fakes::control::FakeControl;
use crate::fakes::shared::{FakeService, FakeShared};
use crate::faults::{DEFAULT_FAULT_SEED, FaultSpec, Faults};
use crate::handle::EmulatorHandle;
use crate::http_util::Handler;
use crate::journal::Journal;
use crate::keys::{AccessKey, KeyStore};
use crate::other_regions::OtherRegions;
use crate::server::{
    self, ConnConfig, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_CONNECTION_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
};
use crate::state::State;
use crate::store::Store;
use crate::tls;

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
            cnames: Default::default(),
            max_object_size: DEFAULT_MAX_OBJECT_SIZE,
            clock: None,
            sts: None,
            metadata: None,
            credentials_uri: None,
            kms: None,
            control: None,
            buckets: Vec::new(),
            fakes: FakeConfig {
                role_arn: DEFAULT_ROLE_ARN.to_owned(),
                oidc_provider_arn: DEFAULT_OIDC_PROVIDER_ARN.to_owned(),
                ecs_role_name: DEFAULT_ECS_ROLE_NAME.to_owned(),
                lifetime: None,
                metadata_hardened: false,
                uri_shape: UriShape::Code,
                kms_secret_name: DEFAULT_KMS_SECRET_NAME.to_owned(),
                kms_key_id: DEFAULT_KMS_CLIENT_KEY_ID.to_owned(),
                kms_public_key: fakes::kms::DEFAULT_CLIENT_PUBLIC_KEY.to_vec(),
            },
            tls: None,
            faults: None,
            fault_seed: DEFAULT_FAULT_SEED,
            record_bodies: false,
            data_dir: None,
            idle_connection_timeout: DEFAULT_IDLE_CONNECTION_TIMEOUT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
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
pub async fn start() -> io::Result<EmulatorHandle> {
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
    cnames: std::collections::BTreeMap<String, String>,
    max_object_size: u64,
    clock: Option<SharedClock>,
    sts: Option<SocketAddr>,
    metadata: Option<SocketAddr>,
    credentials_uri: Option<SocketAddr>,
    kms: Option<SocketAddr>,
    control: Option<SocketAddr>,
    buckets: Vec<String>,
    /// The settings of the credential fakes.
    fakes: FakeConfig,
    tls: Option<(Vec<u8>, Vec<u8>)>,
    faults: Option<String>,
    fault_seed: u64,
    record_bodies: bool,
    data_dir: Option<PathBuf>,
    idle_connection_timeout: Duration,
    header_read_timeout: Duration,
    max_connections: usize,
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("listen", &self.listen)
            .field("access_key_id", &self.access_key_id)
            .field("temporary_keys", &self.temporary)
            .field("region", &self.region)
            .field("other_regions", &self.other_regions)
            .field("cnames", &self.cnames)
            .field("max_object_size", &self.max_object_size)
            .field("sts", &self.sts)
            .field("metadata", &self.metadata)
            .field("credentials_uri", &self.credentials_uri)
            .field("kms", &self.kms)
            .field("control", &self.control)
            .field("buckets", &self.buckets)
            .field("fakes", &self.fakes)
            .field("tls", &self.tls.is_some())
            .field("faults", &self.faults)
            .field("fault_seed", &self.fault_seed)
            .field("record_bodies", &self.record_bodies)
            .field("data_dir", &self.data_dir)
            .field("idle_connection_timeout", &self.idle_connection_timeout)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("max_connections", &self.max_connections)
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

    /// Binds the custom domain `domain` (a host name, e.g. `localhost` or
    /// `static.example.com`) to `bucket`, as PutCname does: a request whose `Host` names it
    /// (any port) addresses `bucket`, its whole path being the object key, as OSS serves a
    /// CNAME. Clients reach it with `use_cname`. `start` refuses
    /// ([`InvalidInput`](std::io::ErrorKind::InvalidInput)) an invalid bucket name or an empty
    /// domain.
    pub fn cname(mut self, domain: impl Into<String>, bucket: impl Into<String>) -> Self {
        self.cnames
            .insert(domain.into().to_ascii_lowercase(), bucket.into());
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
        self.fakes.role_arn = arn.into();
        self
    }

    /// The only OIDC provider `AssumeRoleWithOIDC` accepts (default
    /// [`DEFAULT_OIDC_PROVIDER_ARN`]).
    pub fn oidc_provider_arn(mut self, arn: impl Into<String>) -> Self {
        self.fakes.oidc_provider_arn = arn.into();
        self
    }

    /// The RAM role of the ECS metadata fake (default [`DEFAULT_ECS_ROLE_NAME`]).
    pub fn ecs_role_name(mut self, name: impl Into<String>) -> Self {
        self.fakes.ecs_role_name = name.into();
        self
    }

    /// The lifetime of every credential the fakes issue, overriding the defaults (STS: the
    /// requested `DurationSeconds`; metadata: 6 h; credentials URI: 1 h).
    pub fn temporary_credentials_lifetime(mut self, lifetime: Duration) -> Self {
        self.fakes.lifetime = Some(lifetime);
        self
    }

    /// `true`: metadata GETs need a valid `X-aliyun-ecs-metadata-token` (else 401).
    /// `false` (default): requests with and without a token are both served.
    pub fn metadata_hardened(mut self, required: bool) -> Self {
        self.fakes.metadata_hardened = required;
        self
    }

    /// The body shape of the credentials-URI fake (default [`UriShape::Code`]).
    pub fn credentials_uri_shape(mut self, shape: UriShape) -> Self {
        self.fakes.uri_shape = shape;
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
        self.fakes.kms_secret_name = name.into();
        self
    }

    /// The ClientKey the KMS fake accepts: its KeyId and RSA public key (SubjectPublicKeyInfo
    /// DER, or PKCS#1 `RSAPublicKey` DER). Default: the test ClientKey under
    /// `crates/oss-emulator/tests/data/kms/` ([`DEFAULT_KMS_CLIENT_KEY_ID`]).
    pub fn kms_client_key(mut self, key_id: impl Into<String>, public_key_der: Vec<u8>) -> Self {
        self.fakes.kms_key_id = key_id.into();
        self.fakes.kms_public_key = public_key_der;
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
    /// write in progress is never visible half-done. Bodies go to disk as they arrive and
    /// are read back from the files (memory holds only metadata, whatever the stored size).
    /// Starting on an existing directory loads its contents. See the crate README ("Durable
    /// store").
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

    /// The most connections each listener keeps open at once (default
    /// [`DEFAULT_MAX_CONNECTIONS`]); a connection accepted beyond it is closed at once,
    /// without a byte read or written, so a client sees a connection reset or close and may
    /// retry. At least 1.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = max.max(1);
        self
    }

    /// Binds every socket and starts serving on the current tokio runtime.
    ///
    /// # Errors
    /// When an address cannot be bound, the TLS certificate or key cannot be used, the KMS
    /// public key is not an RSA public key, the fault spec or a bucket in another region is
    /// refused ([`InvalidInput`](std::io::ErrorKind::InvalidInput), before any I/O), or the
    /// data directory cannot be used.
    pub async fn start(self) -> io::Result<EmulatorHandle> {
        let fault_spec = match &self.faults {
            Some(spec) => FaultSpec::parse(spec).map_err(|e| invalid(&e.to_string()))?,
            None => FaultSpec::default(),
        };
        let clock = self.clock.clone().unwrap_or_else(system_clock);
        let other_regions =
            OtherRegions::new(self.other_regions.clone(), &self.region, clock.now())
                .map_err(|e| invalid(&e))?;
        for (domain, bucket) in &self.cnames {
            if domain.is_empty() || crate::names::validate_bucket(bucket).is_err() {
                return Err(invalid(&format!(
                    "cannot bind the custom domain {domain:?} to the bucket {bucket:?}"
                )));
            }
        }
        let store = match &self.data_dir {
            Some(dir) => Store::open(dir)?,
            None => Store::default(),
        };
        let tls = match &self.tls {
            Some((cert, key)) => Some(tls::acceptor(cert, key)?),
            None => None,
        };
        let fake_config = self.fake_config()?;
        let listener = TcpListener::bind(self.listen).await?;
        let sts = bind_fake(self.sts).await?;
        let metadata = bind_fake(self.metadata).await?;
        let credentials_uri = bind_fake(self.credentials_uri).await?;
        let kms = bind_fake(self.kms).await?;
        let control = bind_fake(self.control).await?;
        let keys = Arc::new(RwLock::new(self.key_store()));
        let (stop, stopped) = watch::channel(false);
        let state = Arc::new(State {
            store,
            keys: Arc::clone(&keys),
            region: self.region.clone(),
            other_regions,
            cnames: self.cnames.clone(),
            max_object_size: self.max_object_size,
            owner_id: "1234567890123456".to_owned(),
            clock: Arc::clone(&clock),
            skew: 0.into(),
            faults: Faults::new(fault_spec, self.fault_seed),
            requests: 0.into(),
            journal: Arc::new(Journal::default()),
            initial_buckets: self.buckets.clone(),
            recorded: self.record_bodies.then(|| Mutex::new(Default::default())),
            stopped: stopped.clone(),
        });
        let shared = Arc::new(FakeShared::new(fake_config, clock, keys, stopped.clone()));
        if kms.is_some() {
            fakes::kms::init_secret(&shared);
        }
        create_initial_buckets(&state)?;
        let fake_control = FakeControl {
            shared: Arc::clone(&shared),
        };
        let mut listeners = Listeners {
            scheme: if tls.is_some() { "https" } else { "http" },
            tls,
            stopped,
            conn: ConnConfig {
                idle: Some(self.idle_connection_timeout).filter(|d| !d.is_zero()),
                header_read: Some(self.header_read_timeout).filter(|d| !d.is_zero()),
                max_connections: self.max_connections,
            },
            tasks: Vec::new(),
        };
        let local_addr = listener.local_addr()?;
        let endpoint = listeners.serve(listener, server::oss_handler(Arc::clone(&state)))?;
        let mut serve_fake = |listener: Option<TcpListener>, service, fake| {
            listener
                .map(|l| listeners.serve(l, fakes::handler(Arc::clone(&shared), service, fake)))
                .transpose()
        };
        let sts_endpoint = serve_fake(sts, FakeService::Sts, fakes::sts::handle)?;
        let metadata_endpoint =
            serve_fake(metadata, FakeService::Metadata, fakes::metadata::handle)?;
        let credentials_uri = serve_fake(
            credentials_uri,
            FakeService::CredentialsUri,
            fakes::credentials_uri::handle,
        )?
        .map(|base| format!("{base}{CREDENTIALS_URI_PATH}"));
        let kms_endpoint = serve_fake(kms, FakeService::Kms, fakes::kms::handle)?;
        let control_endpoint = control
            .map(|l| {
                let handler = control_api::handler(Arc::clone(&state), fake_control.clone());
                listeners.serve(l, handler)
            })
            .transpose()?;
        Ok(EmulatorHandle {
            endpoint,
            local_addr,
            region: self.region,
            access_key_id: self.access_key_id,
            access_key_secret: self.access_key_secret,
            sts_endpoint,
            metadata_endpoint,
            credentials_uri,
            kms_endpoint,
            control_endpoint,
            fakes: fake_control,
            state,
            stop: Some(stop),
            tasks: listeners.tasks,
        })
    }

    /// The fakes' settings with the KMS public key in PKCS#1 form, or `InvalidInput`.
    fn fake_config(&self) -> io::Result<FakeConfig> {
        let kms_public_key = fakes::kms::rsa_public_key_pkcs1(&self.fakes.kms_public_key)
            .ok_or_else(|| {
                invalid("the KMS client public key is not an RSA public key (SPKI or PKCS#1 DER)")
            })?;
        Ok(FakeConfig {
            kms_public_key,
            ..self.fakes.clone()
        })
    }

    /// The root key and the temporary keys given to the builder.
    fn key_store(&self) -> KeyStore {
        let mut keys = KeyStore::default();
        keys.insert(AccessKey {
            id: self.access_key_id.clone(),
            secret: self.access_key_secret.clone(),
            security_token: None,
            expiration: None,
        });
        for key in &self.temporary {
            keys.insert(key.clone());
        }
        keys
    }
}

/// Creates the [`EmulatorBuilder::bucket`] buckets a data directory does not hold yet.
fn create_initial_buckets(state: &State) -> io::Result<()> {
    for name in &state.initial_buckets {
        match admin::create_bucket(state, name) {
            Err(e) if e.code() != "BucketAlreadyExists" => {
                return Err(invalid(&format!("bucket {name:?}: {e}")));
            }
            _ => {}
        }
    }
    Ok(())
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what.to_owned())
}

async fn bind_fake(addr: Option<SocketAddr>) -> io::Result<Option<TcpListener>> {
    match addr {
        Some(addr) => TcpListener::bind(addr).await.map(Some),
        None => Ok(None),
    }
}

/// Starts one server task per listener; every listener shares TLS, the shutdown signal and
/// the connection timers.
struct Listeners {
    scheme: &'static str,
    tls: Option<TlsAcceptor>,
    stopped: watch::Receiver<bool>,
    conn: ConnConfig,
    tasks: Vec<JoinHandle<()>>,
}

impl Listeners {
    /// Serves `handler` on `listener`; returns its endpoint, `http[s]://host:port`.
    fn serve(&mut self, listener: TcpListener, handler: Handler) -> io::Result<String> {
        let addr = listener.local_addr()?;
        self.tasks.push(tokio::spawn(server::serve(
            listener,
            self.tls.clone(),
            handler,
            self.stopped.clone(),
            self.conn,
        )));
        Ok(format!("{}://{}", self.scheme, host_port(addr)))
    }
}

fn host_port(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => a.to_string(),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
    }
}
