//! ECS RAM role: temporary credentials of the instance's RAM role from the instance metadata
//! service, in hardened mode (a session token from `PUT /latest/api/token`) by default.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use serde::Deserialize;

use super::config::ProviderConfig;
use super::sts;
use crate::cache::{CacheConfig, CachedProvider};
use crate::clock::{SharedClock, system_clock};
use crate::http_client::{DefaultHttpClient, SharedHttpClient};
use crate::{Credentials, CredentialsError, Env, ProvideCredentials};

const NAME: &str = "EcsRamRole";
/// The metadata server of every ECS instance.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";
const TOKEN_TTL_SECS: u64 = 21_600;
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// Credentials of the ECS instance's RAM role.
///
/// * Hardened mode: a metadata token (TTL 21600 s) is requested with `PUT /latest/api/token`
///   and reused until 5 minutes before it ends; every `GET` carries it. If the token request
///   fails, the provider falls back to plain `GET`s unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true`
///   (or [`EcsRamRoleProviderBuilder::disable_imds_v1`]).
/// * The role name comes from the builder, `ALIBABA_CLOUD_ECS_METADATA`, or is discovered once
///   (and again if the role disappears).
/// * Every metadata request has a 1 s connect and 1 s read timeout, so an instance without a
///   metadata service fails fast; errors name the URL and the timeout.
/// * `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` disables the provider.
#[derive(Debug, Clone)]
pub struct EcsRamRoleProvider {
    cache: CachedProvider<FetchMetadata>,
}

impl EcsRamRoleProvider {
    /// A builder.
    pub fn builder() -> EcsRamRoleProviderBuilder {
        EcsRamRoleProviderBuilder::default()
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.cache.provide_credentials()
    }

    fn invalidate(&self, failed: &Credentials) {
        self.cache.invalidate(failed);
    }
}

/// Configures an [`EcsRamRoleProvider`].
#[derive(Debug, Default)]
pub struct EcsRamRoleProviderBuilder {
    role_name: Option<String>,
    endpoint: Option<String>,
    disable_imds_v1: Option<bool>,
    timeout: Option<Duration>,
    http: Option<SharedHttpClient>,
    clock: Option<SharedClock>,
    env: Option<Env>,
    cache: Option<CacheConfig>,
}

impl EcsRamRoleProviderBuilder {
    /// The RAM role name (default: `ALIBABA_CLOUD_ECS_METADATA`, else discovered).
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// The metadata endpoint (default `http://100.100.100.200`).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Refuse the token-less fallback (default: `ALIBABA_CLOUD_IMDSV1_DISABLED`).
    pub fn disable_imds_v1(mut self, disable: bool) -> Self {
        self.disable_imds_v1 = Some(disable);
        self
    }

    /// Connect and read timeout of each metadata request (default 1 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    super::refreshing_builder_setters!();

    /// Takes env, clock, HTTP client and metadata endpoint from `config`.
    pub fn provider_config(mut self, config: &ProviderConfig) -> Self {
        self.env = Some(config.env.clone());
        self.clock = config.clock.clone().or(self.clock);
        self.http = config.http.clone().or(self.http);
        self.endpoint = config.metadata_endpoint.clone().or(self.endpoint);
        self
    }

    /// Builds the provider.
    ///
    /// # Errors
    /// [`crate::CredentialsErrorKind::NotConfigured`] when
    /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.
    pub fn build(self) -> Result<EcsRamRoleProvider, CredentialsError> {
        let env = self.env.unwrap_or_default();
        let flag = |name: &str| {
            env.get(name)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        };
        if flag("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            return Err(CredentialsError::not_configured(
                NAME,
                "disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
            ));
        }
        let timeout = self.timeout.unwrap_or(Duration::from_secs(1));
        let clock = self.clock.unwrap_or_else(system_clock);
        let fetch = FetchMetadata {
            endpoint: self
                .endpoint
                .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned())
                .trim_end_matches('/')
                .to_owned(),
            role_name: self
                .role_name
                .or_else(|| env.get_non_empty("ALIBABA_CLOUD_ECS_METADATA")),
            disable_imds_v1: self
                .disable_imds_v1
                .unwrap_or_else(|| flag("ALIBABA_CLOUD_IMDSV1_DISABLED")),
            timeout,
            http: self.http.unwrap_or_else(|| metadata_http_client(timeout)),
            clock: clock.clone(),
            token: Mutex::new(None),
            discovered_role: Mutex::new(None),
        };
        Ok(EcsRamRoleProvider {
            cache: CachedProvider::with_config(NAME, fetch, self.cache.unwrap_or_default(), clock),
        })
    }
}

/// The metadata server is link-local to the instance: never through a proxy, whatever the
/// environment says (a proxy could not reach it, or would see the role's credentials).
fn metadata_http_client(timeout: Duration) -> SharedHttpClient {
    DefaultHttpClient::shared_with_proxy(timeout, &crate::proxy::ProxyConfig::disabled())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetadataCredentials {
    code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

/// The metadata requests of one refresh.
#[derive(Debug)]
pub struct FetchMetadata {
    endpoint: String,
    role_name: Option<String>,
    disable_imds_v1: bool,
    timeout: Duration,
    http: SharedHttpClient,
    clock: SharedClock,
    token: Mutex<Option<(String, SystemTime)>>,
    discovered_role: Mutex<Option<String>>,
}

impl FetchMetadata {
    async fn exchange(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, CredentialsError> {
        let url = request.uri().to_string();
        self.http.send(request, self.timeout).await.map_err(|e| {
            let message = format!(
                "cannot reach the instance metadata service at {url} within {} ms: {e}",
                self.timeout.as_millis()
            );
            // No metadata service at all means "not on ECS": let a chain try its next provider.
            match e.kind() {
                crate::http_client::HttpErrorKind::Connect => {
                    CredentialsError::not_configured(NAME, message)
                }
                crate::http_client::HttpErrorKind::Timeout => {
                    CredentialsError::timed_out(NAME, message)
                }
                _ => CredentialsError::provider_error(NAME, message),
            }
        })
    }

    /// The metadata token, reused until 5 minutes before its TTL ends; `None` when the token
    /// request failed and plain requests are allowed.
    async fn token(&self) -> Result<Option<String>, CredentialsError> {
        let now = self.clock.now();
        if let Some((token, valid_until)) =
            self.token.lock().unwrap_or_else(|e| e.into_inner()).clone()
        {
            if now < valid_until {
                return Ok(Some(token));
            }
        }
        let request = http::Request::put(format!("{}/latest/api/token", self.endpoint))
            .header(
                "x-aliyun-ecs-metadata-token-ttl-seconds",
                TOKEN_TTL_SECS.to_string(),
            )
            .body(Bytes::new())
            .map_err(|e| {
                CredentialsError::invalid_configuration(
                    NAME,
                    format!("invalid metadata endpoint: {e}"),
                )
            })?;
        let outcome = self.exchange(request).await;
        match outcome {
            Ok(response) if response.status().is_success() => {
                let token = String::from_utf8_lossy(response.body()).trim().to_owned();
                let valid_until = now + Duration::from_secs(TOKEN_TTL_SECS - 300);
                *self.token.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some((token.clone(), valid_until));
                Ok(Some(token))
            }
            Ok(response) if !self.disable_imds_v1 => {
                tracing::debug!(
                    status = response.status().as_u16(),
                    "metadata token refused; using plain requests"
                );
                Ok(None)
            }
            Err(e) if !self.disable_imds_v1 && !e.is_not_configured() => {
                tracing::debug!(error = %e, "metadata token unavailable; using plain requests");
                Ok(None)
            }
            Ok(response) => Err(CredentialsError::provider_error(
                NAME,
                format!(
                    "the metadata token request answered HTTP {} and plain requests are disabled (ALIBABA_CLOUD_IMDSV1_DISABLED)",
                    response.status().as_u16()
                ),
            )),
            Err(e) => Err(e),
        }
    }

    async fn get(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> Result<http::Response<Bytes>, CredentialsError> {
        let mut request = http::Request::get(format!("{}{path}", self.endpoint));
        if let Some(token) = token {
            request = request.header("x-aliyun-ecs-metadata-token", token);
        }
        let request = request.body(Bytes::new()).map_err(|e| {
            CredentialsError::invalid_configuration(NAME, format!("invalid metadata path: {e}"))
        })?;
        self.exchange(request).await
    }

    async fn role(&self, token: Option<&str>) -> Result<String, CredentialsError> {
        if let Some(role) = &self.role_name {
            return Ok(role.clone());
        }
        if let Some(role) = self
            .discovered_role
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            return Ok(role);
        }
        let response = self.get(CREDENTIALS_PATH, token).await?;
        let role = String::from_utf8_lossy(response.body()).trim().to_owned();
        if !response.status().is_success() || role.is_empty() {
            return Err(CredentialsError::provider_error(
                NAME,
                format!(
                    "no RAM role is attached to this instance (HTTP {})",
                    response.status().as_u16()
                ),
            ));
        }
        *self
            .discovered_role
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(role.clone());
        Ok(role)
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let token = self.token().await?;
        let role = self.role(token.as_deref()).await?;
        let path = format!(
            "{CREDENTIALS_PATH}{}",
            crate::sign::uri_encode(&role, false)
        );
        let response = self.get(&path, token.as_deref()).await?;
        if response.status() == http::StatusCode::NOT_FOUND {
            self.discovered_role
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
        }
        if response.status() == http::StatusCode::UNAUTHORIZED {
            self.token.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
        if !response.status().is_success() {
            return Err(CredentialsError::provider_error(
                NAME,
                format!(
                    "the metadata service answered HTTP {} for role {role}",
                    response.status().as_u16()
                ),
            ));
        }
        let answer: MetadataCredentials = serde_json::from_slice(response.body()).map_err(|e| {
            CredentialsError::provider_error(NAME, "the metadata service answered invalid JSON")
                .with_source(e)
        })?;
        if answer.code.as_deref() != Some("Success") {
            return Err(CredentialsError::provider_error(
                NAME,
                format!(
                    "the metadata service answered Code {:?}",
                    answer.code.unwrap_or_default()
                ),
            ));
        }
        sts::build_credentials(
            NAME,
            answer.access_key_id,
            answer.access_key_secret,
            answer.security_token,
            answer.expiration.as_deref(),
            true,
        )
    }
}

impl ProvideCredentials for FetchMetadata {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.fetch()
    }
}
