//! The credentials provider trait and the providers of this crate.
//!
//! Implement [`ProvideCredentials`] for a custom source, or wrap an async closure with
//! [`closure::provide_credentials_fn`]. The client holds any provider as a
//! [`SharedCredentialsProvider`] and asks it for a fresh snapshot on every HTTP attempt.

/// The setters every refreshing provider's builder has, for its `http`, `clock`, `env` and
/// `cache` fields (each an `Option`, `None` meaning the default).
macro_rules! refreshing_builder_setters {
    () => {
        /// Replaces the HTTP client (tests, proxies).
        pub fn http_client(mut self, http: $crate::http_client::SharedHttpClient) -> Self {
            self.http = Some(http);
            self
        }

        /// Replaces the clock (tests).
        pub fn clock(mut self, clock: $crate::clock::SharedClock) -> Self {
            self.clock = Some(clock);
            self
        }

        /// Reads environment variables from `env` instead of the process environment.
        pub fn env(mut self, env: $crate::Env) -> Self {
            self.env = Some(env);
            self
        }

        /// Replaces the refresh thresholds.
        pub fn cache_config(mut self, config: $crate::cache::CacheConfig) -> Self {
            self.cache = Some(config);
            self
        }
    };
}
pub(crate) use refreshing_builder_setters;

/// The `proxy` setter of the builders whose providers reach STS, a credentials URI or KMS (a
/// `proxy: Option<ProxyConfig>` field).
macro_rules! proxy_setter {
    () => {
        /// The proxy for this provider's requests, when it builds its own HTTP client (not
        /// with [`http_client`](Self::http_client)). Default: `HTTPS_PROXY`, `HTTP_PROXY`,
        /// `ALL_PROXY` and `NO_PROXY` read from the provider's [`env`](Self::env), as for the
        /// OSS client; see [`crate::proxy`].
        pub fn proxy(mut self, proxy: $crate::proxy::ProxyConfig) -> Self {
            self.proxy = Some(proxy);
            self
        }
    };
}
pub(crate) use proxy_setter;

/// The HTTP client a provider builds for itself: the Mozilla roots, `connect_timeout`, and
/// `proxy`, else the proxy variables of `env`.
pub(crate) fn default_http_client(
    connect_timeout: std::time::Duration,
    proxy: Option<crate::proxy::ProxyConfig>,
    env: &crate::Env,
) -> crate::http_client::SharedHttpClient {
    let proxy = proxy.unwrap_or_else(|| crate::proxy::ProxyConfig::from_env_in(env.clone()));
    crate::http_client::DefaultHttpClient::shared_with_proxy(connect_timeout, &proxy)
}

mod cli_config_file;
pub mod closure;
pub mod config;
pub mod credentials_uri;
pub mod default_chain;
pub mod ecs_ram_role;
pub mod env;
pub mod function_compute;
#[cfg(feature = "kms")]
pub mod kms;
pub mod oidc_role_arn;
pub mod profile_cli;
pub mod profile_ini;
pub mod ram_role_arn;
pub mod static_keys;
mod sts;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::{Credentials, CredentialsError};

/// A boxed, `Send` future returned by the object-safe form of the provider trait.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of [`Credentials`].
///
/// Called once per HTTP attempt, so an implementation whose credentials expire should cache
/// them and refresh ahead of expiry. Implementations must be cheap to call when nothing needs
/// refreshing.
///
/// # Errors
/// A provider returns [`CredentialsError`]; use
/// [`CredentialsErrorKind::NotConfigured`](crate::CredentialsErrorKind::NotConfigured) when it
/// has nothing to offer, so that a chain can try its next provider.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns the current credentials.
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send;

    /// Tells the provider that OSS refused `failed` (`InvalidAccessKeyId`,
    /// `SecurityTokenExpired`, `InvalidSecurityToken.*`): a caching provider drops them so the
    /// next call fetches anew. Credentials other than the cached ones are ignored, so many
    /// requests failing at once cause one refresh. The default does nothing.
    fn invalidate(&self, failed: &Credentials) {
        let _ = failed;
    }
}

/// The object-safe form of [`ProvideCredentials`], implemented for every provider; used behind
/// `Arc<dyn DynProvideCredentials>`.
pub trait DynProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns the current credentials as a boxed future.
    fn provide_credentials_boxed(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// See [`ProvideCredentials::invalidate`].
    fn invalidate_dyn(&self, failed: &Credentials);
}

impl<T: ProvideCredentials> DynProvideCredentials for T {
    fn provide_credentials_boxed(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.provide_credentials())
    }

    fn invalidate_dyn(&self, failed: &Credentials) {
        self.invalidate(failed);
    }
}

/// Any provider behind an `Arc`: cheap to clone, shared by every clone of a client.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn DynProvideCredentials>);

impl SharedCredentialsProvider {
    /// Wraps a provider.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self(Arc::new(provider))
    }

    /// Wraps a provider that is already behind an `Arc`.
    pub fn from_arc(provider: Arc<dyn DynProvideCredentials>) -> Self {
        Self(provider)
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.0.provide_credentials_boxed()
    }

    fn invalidate(&self, failed: &Credentials) {
        self.0.invalidate_dyn(failed);
    }
}

/// Fixed credentials are a provider of themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        std::future::ready(Ok(self.clone()))
    }
}

/// Applies a [`config::ProviderConfig`]'s STS endpoint, HTTP client and clock to a RAM role
/// builder.
pub(crate) fn apply_sts_config(
    mut builder: ram_role_arn::RamRoleArnProviderBuilder,
    config: &config::ProviderConfig,
) -> ram_role_arn::RamRoleArnProviderBuilder {
    if let Some(endpoint) = &config.sts_endpoint {
        builder = builder.sts_endpoint(endpoint.clone());
    }
    if let Some(http) = &config.http {
        builder = builder.http_client(http.clone());
    }
    if let Some(proxy) = &config.proxy {
        builder = builder.proxy(proxy.clone());
    }
    if let Some(clock) = &config.clock {
        builder = builder.clock(clock.clone());
    }
    builder
}

/// Applies a [`config::ProviderConfig`]'s STS endpoint, HTTP client and clock to an OIDC
/// builder.
pub(crate) fn apply_oidc_config(
    mut builder: oidc_role_arn::OidcRoleArnProviderBuilder,
    config: &config::ProviderConfig,
) -> oidc_role_arn::OidcRoleArnProviderBuilder {
    if let Some(endpoint) = &config.sts_endpoint {
        builder = builder.sts_endpoint(endpoint.clone());
    }
    if let Some(http) = &config.http {
        builder = builder.http_client(http.clone());
    }
    if let Some(proxy) = &config.proxy {
        builder = builder.proxy(proxy.clone());
    }
    if let Some(clock) = &config.clock {
        builder = builder.clock(clock.clone());
    }
    builder
}
