//! Credentials URI: a `GET` of a URL that answers
//! `{Code: "Success", AccessKeyId, AccessKeySecret, SecurityToken, Expiration}` (the shape of
//! the Alibaba Cloud credentials libraries), or `{StatusCode: "200", …}` (the older OSS
//! "auth server" shape).

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use serde::Deserialize;

use super::sts;
use crate::cache::{CacheConfig, CachedProvider};
use crate::clock::{SharedClock, system_clock};
use crate::http_client::SharedHttpClient;
use crate::{Credentials, CredentialsError, Env, ProvideCredentials};

const NAME: &str = "CredentialsUri";

/// Credentials from a URL (`ALIBABA_CLOUD_CREDENTIALS_URI` by default), cached and refreshed
/// ahead of their expiration.
#[derive(Debug, Clone)]
pub struct CredentialsUriProvider {
    cache: CachedProvider<FetchUri>,
}

impl CredentialsUriProvider {
    /// A builder.
    pub fn builder() -> CredentialsUriProviderBuilder {
        CredentialsUriProviderBuilder::default()
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.cache.provide_credentials()
    }

    fn invalidate(&self, failed: &Credentials) {
        self.cache.invalidate(failed);
    }
}

/// Configures a [`CredentialsUriProvider`].
#[derive(Debug, Default)]
pub struct CredentialsUriProviderBuilder {
    uri: Option<String>,
    http: Option<SharedHttpClient>,
    clock: Option<SharedClock>,
    env: Option<Env>,
    cache: Option<CacheConfig>,
    proxy: Option<crate::proxy::ProxyConfig>,
}

impl CredentialsUriProviderBuilder {
    /// The URL (default `ALIBABA_CLOUD_CREDENTIALS_URI`).
    pub fn uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into());
        self
    }

    super::refreshing_builder_setters!();

    super::proxy_setter!();

    /// Builds the provider.
    ///
    /// # Errors
    /// [`crate::CredentialsErrorKind::NotConfigured`] without a URI;
    /// `InvalidConfiguration` when it is not an http(s) URL.
    pub fn build(self) -> Result<CredentialsUriProvider, CredentialsError> {
        let env = self.env.unwrap_or_default();
        let uri = self
            .uri
            .or_else(|| env.get_non_empty("ALIBABA_CLOUD_CREDENTIALS_URI"))
            .ok_or_else(|| {
                CredentialsError::not_configured(NAME, "ALIBABA_CLOUD_CREDENTIALS_URI is not set")
            })?;
        let parsed: http::Uri = uri.parse().map_err(|_| {
            CredentialsError::invalid_configuration(NAME, "the credentials URI is not a valid URL")
        })?;
        if !matches!(parsed.scheme_str(), Some("http" | "https")) || parsed.host().is_none() {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                "the credentials URI must be an http(s) URL",
            ));
        }
        let clock = self.clock.unwrap_or_else(system_clock);
        let fetch = FetchUri {
            uri: parsed,
            http: self.http.unwrap_or_else(|| {
                super::default_http_client(Duration::from_secs(5), self.proxy, &env)
            }),
        };
        Ok(CredentialsUriProvider {
            cache: CachedProvider::with_config(NAME, fetch, self.cache.unwrap_or_default(), clock),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UriAnswer {
    code: Option<String>,
    status_code: Option<serde_json::Value>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

/// One `GET` per fetch.
#[derive(Debug)]
pub struct FetchUri {
    uri: http::Uri,
    http: SharedHttpClient,
}

impl FetchUri {
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let request = http::Request::get(self.uri.clone())
            .body(Bytes::new())
            .map_err(|e| CredentialsError::invalid_configuration(NAME, e.to_string()))?;
        let response = self
            .http
            .send(request, Duration::from_secs(10))
            .await
            .map_err(|e| sts::transport_error(NAME, "the credentials URI", e))?;
        if !response.status().is_success() {
            return Err(CredentialsError::provider_error(
                NAME,
                format!(
                    "the credentials URI answered HTTP {}",
                    response.status().as_u16()
                ),
            ));
        }
        let answer: UriAnswer = serde_json::from_slice(response.body()).map_err(|e| {
            CredentialsError::provider_error(NAME, "the credentials URI answered invalid JSON")
                .with_source(e)
        })?;
        let status_ok = match (&answer.code, &answer.status_code) {
            (Some(code), _) => code == "Success",
            (None, Some(status)) => status
                .as_str()
                .map_or(status.as_u64() == Some(200), |s| s == "200"),
            (None, None) => false,
        };
        if !status_ok {
            return Err(CredentialsError::provider_error(
                NAME,
                format!(
                    "the credentials URI answered Code {:?}",
                    answer.code.as_deref().unwrap_or("(none)")
                ),
            ));
        }
        sts::build_credentials(
            NAME,
            answer.access_key_id,
            answer.access_key_secret,
            answer.security_token,
            answer.expiration.as_deref(),
            false,
        )
    }
}

impl ProvideCredentials for FetchUri {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.fetch()
    }
}
