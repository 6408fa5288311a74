//! The client and its builder.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use oss_auth::proxy::ProxyConfig;
use oss_auth::sign::SignatureVersion;
use oss_auth::{ProvideCredentials, SharedCredentialsProvider};
use oss_http::Clock;
use oss_http::{
    HttpClient, HttpStack, RetryConfig, RootCertificates, SigningConfig, StackConfig, Timeouts,
};

use crate::endpoint::{AddressingStyle, Endpoint};
use crate::endpoint_flags::EndpointFlags;
use crate::error::{Error, ErrorKind};
use crate::user_agent;

/// The OSS client. Cheap to clone (one `Arc`), `Send + Sync`: share one client between tasks so
/// they share its connection pool and signing-key cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: Endpoint,
    user_agent: http::HeaderValue,
    stack: HttpStack,
    stats: Arc<Stats>,
    proxies: oss_auth::proxy::Proxies,
}

/// Counters of a client and its clones.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) requests: AtomicU64,
    pub(crate) retries: AtomicU64,
}

/// What a client has done so far (all clones together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ClientStats {
    /// Requests sent (operations, not attempts).
    pub requests: u64,
    /// Extra attempts made by retries.
    pub retries: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Client");
        d.field("endpoint", &self.inner.endpoint)
            .field("signing", self.inner.stack.signing());
        if !self.inner.proxies.is_none() {
            d.field("proxies", &self.inner.proxies);
        }
        d.finish()
    }
}

impl Client {
    /// A builder; `region` and `credentials_provider` are required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The `User-Agent` of every request.
    pub(crate) fn user_agent(&self) -> &http::HeaderValue {
        &self.inner.user_agent
    }

    pub(crate) fn stack(&self) -> &HttpStack {
        &self.inner.stack
    }

    /// The client's retry settings (also those of retries of a broken download body).
    pub(crate) fn retry_config(&self) -> &RetryConfig {
        self.inner.stack.retry()
    }

    pub(crate) fn signing(&self) -> &SigningConfig {
        self.inner.stack.signing()
    }

    pub(crate) fn stats_counters(&self) -> &Stats {
        &self.inner.stats
    }

    /// Requests and retries so far, for batch summaries and monitoring.
    pub fn stats(&self) -> ClientStats {
        ClientStats {
            requests: self.inner.stats.requests.load(Ordering::Relaxed),
            retries: self.inner.stats.retries.load(Ordering::Relaxed),
        }
    }

    /// The addressing style in use.
    pub fn addressing_style(&self) -> AddressingStyle {
        self.inner.endpoint.style()
    }

    /// The time limits every request of this client gets.
    pub fn timeouts(&self) -> Timeouts {
        *self.inner.stack.timeouts()
    }

    /// A client for the same endpoint, credentials, connection pool, signing-key cache and
    /// counters, with other time limits: set them for one operation or a group of them, e.g.
    /// `client.with_timeouts(Timeouts { deadline: Some(Duration::from_secs(30)), ..client.timeouts() })`.
    pub fn with_timeouts(&self, timeouts: Timeouts) -> Client {
        Client {
            inner: Arc::new(Inner {
                endpoint: self.inner.endpoint.clone(),
                user_agent: self.inner.user_agent.clone(),
                stack: self.inner.stack.with_timeouts(timeouts),
                stats: Arc::clone(&self.inner.stats),
                proxies: self.inner.proxies.clone(),
            }),
        }
    }

    /// The proxy rules the client follows (read from the environment when it was built,
    /// unless set on the builder). `Debug` shows proxy URLs without passwords.
    pub fn proxies(&self) -> &oss_auth::proxy::Proxies {
        &self.inner.proxies
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    region: Option<String>,
    endpoint: EndpointFlags,
    signature_version: SignatureVersion,
    provider: Option<SharedCredentialsProvider>,
    anonymous: bool,
    user_agent: Option<String>,
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: Option<usize>,
    max_connections_per_host: Option<usize>,
    timeouts: Timeouts,
    root_certificates: RootCertificates,
    additional_headers: Vec<String>,
    cloudbox_id: Option<String>,
    clock: Option<Arc<dyn Clock>>,
    retry: Option<RetryConfig>,
    proxy: ProxyConfig,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("signature_version", &self.signature_version)
            .field("provider", &self.provider)
            .field("anonymous", &self.anonymous)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The region id, e.g. `cn-hangzhou` (required: V4 signatures are scoped to it).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The endpoint: `https://oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9000`, or a bare
    /// host (https, or http with [`disable_ssl`](Self::disable_ssl)). Default:
    /// `https://oss-<region>.aliyuncs.com`, or the region endpoint the `use_*_endpoint` flags
    /// choose.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint.endpoint = Some(endpoint.into());
        self
    }

    /// Forces an addressing style. Default: path style for IP addresses and `localhost`,
    /// virtual-hosted otherwise ([`use_cname`](Self::use_cname) for a custom domain).
    pub fn addressing_style(mut self, style: AddressingStyle) -> Self {
        self.endpoint.addressing_style = Some(style);
        self
    }

    /// The endpoint is a custom domain bound to the bucket (CNAME), e.g.
    /// `https://static.example.com`: requests and presigned URLs name the bucket in neither
    /// the host nor the path ([`AddressingStyle::Cname`]); signatures still cover it, as OSS
    /// requires. Every request must then name the bucket bound to that domain.
    ///
    /// [`build`](Self::build) fails with [`ErrorKind::InvalidEndpoint`] without an
    /// [`endpoint`](Self::endpoint) or beside another [`addressing_style`](Self::addressing_style).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), oss_client::Error> {
    /// use std::time::Duration;
    /// use oss_client::{Client, auth::EnvironmentCredentialsProvider};
    ///
    /// let client = Client::builder()
    ///     .region("cn-hangzhou")
    ///     .endpoint("https://static.example.com") // bound to examplebucket
    ///     .use_cname(true)
    ///     .credentials_provider(EnvironmentCredentialsProvider::oss())
    ///     .build()?;
    /// let presigned = client
    ///     .presign(http::Method::GET)
    ///     .bucket("examplebucket")
    ///     .key("img/logo.png")
    ///     .expires_in(Duration::from_secs(600))
    ///     .send()
    ///     .await?;
    /// assert!(presigned.url.starts_with("https://static.example.com/img/logo.png?"));
    /// # Ok(()) }
    /// ```
    pub fn use_cname(mut self, enabled: bool) -> Self {
        self.endpoint.use_cname = enabled;
        self
    }

    /// Uses the region's internal endpoint, `oss-<region>-internal.aliyuncs.com`, reachable
    /// from Alibaba Cloud services in the same region (traffic there is not charged).
    ///
    /// At most one of `use_internal_endpoint`, [`use_accelerate_endpoint`](Self::use_accelerate_endpoint)
    /// and [`use_dual_stack_endpoint`](Self::use_dual_stack_endpoint), and none beside an
    /// explicit [`endpoint`](Self::endpoint): [`build`](Self::build) fails with
    /// [`ErrorKind::InvalidEndpoint`] otherwise.
    pub fn use_internal_endpoint(mut self, enabled: bool) -> Self {
        self.endpoint.use_internal = enabled;
        self
    }

    /// Uses the transfer acceleration endpoint, `oss-accelerate.aliyuncs.com` (the bucket
    /// must have transfer acceleration enabled). Exclusive as
    /// [`use_internal_endpoint`](Self::use_internal_endpoint) says.
    pub fn use_accelerate_endpoint(mut self, enabled: bool) -> Self {
        self.endpoint.use_accelerate = enabled;
        self
    }

    /// Uses the region's dual-stack (IPv4 and IPv6) endpoint, `<region>.oss.aliyuncs.com`.
    /// Exclusive as [`use_internal_endpoint`](Self::use_internal_endpoint) says.
    pub fn use_dual_stack_endpoint(mut self, enabled: bool) -> Self {
        self.endpoint.use_dual_stack = enabled;
        self
    }

    /// Sends requests over plain HTTP: region endpoints and bare-host endpoints get `http://`.
    /// An explicit `https://` endpoint contradicts it: [`build`](Self::build) fails with
    /// [`ErrorKind::InvalidEndpoint`].
    pub fn disable_ssl(mut self, disabled: bool) -> Self {
        self.endpoint.disable_ssl = disabled;
        self
    }

    /// Sends every request unsigned, for buckets and objects whose ACL is `public-read`
    /// (reads) or `public-read-write` (reads and writes); OSS answers others with 403
    /// `AccessDenied`. Presigning fails with [`ErrorKind::Credentials`]: an anonymous
    /// client has nothing to sign with. Instead of a
    /// [`credentials_provider`](Self::credentials_provider): [`build`](Self::build) fails with
    /// [`ErrorKind::InvalidArgument`] when both are set.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), oss_client::Error> {
    /// let client = oss_client::Client::builder().region("cn-hangzhou").anonymous().build()?;
    /// let object = client.get_object().bucket("public-bucket").key("index.html").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn anonymous(mut self) -> Self {
        self.anonymous = true;
        self
    }

    /// Appends an application identifier to the `User-Agent` of every request:
    /// `oss-sdk-rust/<version>/<suffix>`, as the official SDKs append theirs. It must be a
    /// valid header value (visible ASCII and spaces): [`build`](Self::build) fails with
    /// [`ErrorKind::InvalidHeaderValue`] otherwise.
    pub fn user_agent(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent = Some(suffix.into());
        self
    }

    /// The signature version (default V4).
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// The credentials provider: the one setting that selects how requests are authenticated
    /// (static keys, environment, STS, a custom provider or closure…).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Time allowed to establish a connection, TCP and TLS (default 5 s, as the official Go
    /// SDK). A timeout is [`ErrorKind::Connect`], retried.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long an idle pooled connection is kept for reuse (default 50 s). Not to be confused
    /// with [`idle_timeout`](Self::idle_timeout), which bounds a stalled transfer.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
        self
    }

    /// The most idle connections kept per host for reuse (default 256); `0` opens a new
    /// connection for every request. Connections in use are not limited by it.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = Some(max);
        self
    }

    /// The most connections open to one host at once, idle or in use (default unlimited), as
    /// the Go SDK's `MaxConnsPerHost`. A request that finds none idle and none free waits for
    /// one (its wait counts towards its [`deadline`](Self::deadline)). `0` fails
    /// [`build`](Self::build) with [`ErrorKind::InvalidArgument`].
    pub fn max_connections_per_host(mut self, max: usize) -> Self {
        self.max_connections_per_host = Some(max);
        self
    }

    /// Longest time no byte of a request body (while it is sent) or of a response body
    /// (while it is read) may move (default 20 s). A slow transfer never hits it as long as
    /// bytes keep moving; a stalled one fails with [`ErrorKind::Timeout`], and a GetObject body
    /// resumes where it stopped.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.idle = timeout;
        self
    }

    /// Longest wait for the response headers once the request (body included) has been sent
    /// (default 60 s).
    pub fn first_byte_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.first_byte = timeout;
        self
    }

    /// A deadline for every operation: all its attempts, back-offs and the reading of its
    /// response body (default none). [`Client::with_timeouts`] sets one for some operations.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.timeouts.deadline = Some(deadline);
        self
    }

    /// All time limits at once (see [`Timeouts`]).
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sends every request through this HTTP proxy, `http://[user:password@]host[:port]`,
    /// ignoring the proxy environment variables. `https://` endpoints are reached through a
    /// `CONNECT` tunnel (TLS runs end to end), `http://` endpoints by sending the request to
    /// the proxy in absolute form. A user name and password (percent-encoded if needed) are
    /// sent as `Proxy-Authorization: Basic` and never shown in `Debug` output, errors or
    /// traces. For exclusions, or the environment read from elsewhere, use
    /// [`proxy_config`](Self::proxy_config).
    ///
    /// Without this, the client reads `HTTPS_PROXY` (for https endpoints), `HTTP_PROXY` (for
    /// http endpoints), `ALL_PROXY` (for either, when its own is unset) and `NO_PROXY`, in
    /// lower or upper case (lower case wins), when it is built, as curl does. `NO_PROXY`
    /// lists hosts (also matching their subdomains), IP addresses and CIDR ranges, or `*`;
    /// loopback addresses are not exempt unless listed. Only `http://` proxies are supported:
    /// another scheme fails [`build`](Self::build). Credential providers follow the same
    /// variables for STS, OIDC, credentials URIs and KMS, but never for the ECS metadata
    /// server (`100.100.100.200`), which is always reached directly.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxyConfig::url(url);
        self
    }

    /// Connects directly, ignoring `HTTPS_PROXY`, `HTTP_PROXY` and `ALL_PROXY`.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxyConfig::disabled();
        self
    }

    /// The proxy settings in full: [`ProxyConfig::url`] with
    /// [`with_no_proxy`](ProxyConfig::with_no_proxy) exclusions, the proxy variables from an
    /// [`Env`](oss_auth::Env) other than the process ([`ProxyConfig::from_env_in`]), or
    /// [`ProxyConfig::disabled`]. Default [`ProxyConfig::from_env`].
    pub fn proxy_config(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// Trusted roots for https (default: the compiled-in Mozilla roots).
    pub fn root_certificates(mut self, roots: RootCertificates) -> Self {
        self.root_certificates = roots;
        self
    }

    /// Extra header names to include in V4 signatures (e.g. `host`).
    pub fn additional_signed_headers(
        mut self,
        names: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.additional_headers = names.into_iter().map(Into::into).collect();
        self
    }

    /// Targets an OSS on CloudBox: V4 signatures use the CloudBox id as the region and the
    /// product `oss-cloudbox`.
    pub fn cloudbox_id(mut self, id: impl Into<String>) -> Self {
        self.cloudbox_id = Some(id.into());
        self
    }

    /// Retry settings (default: 3 attempts, full-jitter backoff from 200 ms to 20 s, a 10 min
    /// budget per request); [`RetryConfig::disabled`] turns retries off. The
    /// [`Downloader`](crate::transfer::Downloader) fetches a range whose body broke again within
    /// the same settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Replaces the clock used for signing (tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Builds the client. Nothing is sent and no credentials are fetched here.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] without a region, without a credentials provider (or
    /// [`anonymous`](Self::anonymous)), with both, with an invalid region, or with a
    /// malformed or unsupported proxy (from the builder or the environment);
    /// [`ErrorKind::InvalidEndpoint`] for a malformed endpoint or contradictory endpoint
    /// settings (see [`use_internal_endpoint`](Self::use_internal_endpoint),
    /// [`disable_ssl`](Self::disable_ssl), [`use_cname`](Self::use_cname));
    /// [`ErrorKind::InvalidHeaderValue`] for a [`user_agent`](Self::user_agent) that is not a
    /// header value; [`ErrorKind::Connect`] when TLS cannot be configured.
    pub fn build(self) -> Result<Client, Error> {
        let region = self.region.filter(|r| !r.is_empty()).ok_or_else(|| {
            Error::invalid_argument(
                "a region is required, e.g. cn-hangzhou (region(), or OSS_REGION for from_env)",
            )
        })?;
        if !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(Error::invalid_argument(format!(
                "invalid region {region:?}: use the bare region id, e.g. cn-hangzhou"
            )));
        }
        let provider = match (self.provider, self.anonymous) {
            (Some(provider), false) => Some(provider),
            (None, true) => None,
            (None, false) => {
                return Err(Error::invalid_argument(
                    "a credentials provider is required (credentials_provider, or anonymous)",
                ));
            }
            (Some(_), true) => {
                return Err(Error::invalid_argument(
                    "anonymous() and credentials_provider() contradict each other: choose one",
                ));
            }
        };
        let endpoint = self.endpoint.resolve(&region)?;
        let user_agent = user_agent::header_value(self.user_agent.as_deref())?;
        let proxies = self
            .proxy
            .resolve()
            .map_err(|e| Error::invalid_argument(format!("invalid proxy: {e}")))?;
        let mut http = HttpClient::builder()
            .root_certificates(self.root_certificates)
            .proxies(proxies.clone());
        if let Some(timeout) = self.connect_timeout {
            http = http.connect_timeout(timeout);
        }
        if let Some(timeout) = self.pool_idle_timeout {
            http = http.pool_idle_timeout(timeout);
        }
        if let Some(max) = self.pool_max_idle_per_host {
            http = http.pool_max_idle_per_host(max);
        }
        match self.max_connections_per_host {
            Some(0) => {
                return Err(Error::invalid_argument(
                    "max_connections_per_host must be at least 1",
                ));
            }
            Some(max) => http = http.max_connections_per_host(max),
            None => {}
        }
        let transport = http
            .build()
            .map_err(|e| Error::new(ErrorKind::Connect, e.to_string()).with_source(e))?;
        let (scope_region, product) = match self.cloudbox_id {
            Some(id) => (id, oss_auth::sign::PRODUCT_OSS_CLOUDBOX),
            None => (region, oss_auth::sign::PRODUCT_OSS),
        };
        let signing = match provider {
            Some(provider) => SigningConfig::new(provider, self.signature_version, scope_region),
            None => SigningConfig::anonymous(self.signature_version, scope_region),
        };
        let mut signing = signing
            .with_product(product)
            .with_additional_headers(self.additional_headers);
        if let Some(clock) = self.clock {
            signing = signing.with_clock(clock);
        }
        let mut stack_config = StackConfig {
            timeouts: self.timeouts,
            ..StackConfig::default()
        };
        if let Some(retry) = self.retry {
            stack_config.retry = retry;
        }
        let stack = HttpStack::new(transport, Arc::new(signing), &stack_config);
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint,
                user_agent,
                stack,
                stats: Arc::default(),
                proxies,
            }),
        })
    }
}
