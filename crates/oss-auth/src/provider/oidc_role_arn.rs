//! OIDC role ARN (RRSA on ACK): temporary credentials from the unsigned STS call
//! `AssumeRoleWithOIDC`, presenting an OIDC token read from a file on every refresh.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use super::ram_role_arn::session_name;
use super::sts;
use crate::cache::{CacheConfig, CachedProvider};
use crate::clock::{SharedClock, system_clock};
use crate::http_client::SharedHttpClient;
use crate::{Credentials, CredentialsError, Env, ProvideCredentials};

const NAME: &str = "OidcRoleArn";

/// Credentials of a RAM role assumed with an OIDC token (`AssumeRoleWithOIDC`, POST with a
/// form body so the token stays out of URLs). The token file is read again on every refresh,
/// since the kubelet rotates it.
#[derive(Debug, Clone)]
pub struct OidcRoleArnProvider {
    cache: CachedProvider<AssumeRoleWithOidc>,
}

impl OidcRoleArnProvider {
    /// A builder; RoleArn, OIDC provider ARN and token file default to
    /// `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
    /// `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.
    pub fn builder() -> OidcRoleArnProviderBuilder {
        OidcRoleArnProviderBuilder::default()
    }
}

impl ProvideCredentials for OidcRoleArnProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.cache.provide_credentials()
    }

    fn invalidate(&self, failed: &Credentials) {
        self.cache.invalidate(failed);
    }
}

/// Configures an [`OidcRoleArnProvider`].
#[derive(Debug, Default)]
pub struct OidcRoleArnProviderBuilder {
    role_arn: Option<String>,
    oidc_provider_arn: Option<String>,
    oidc_token_file: Option<PathBuf>,
    role_session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    sts_endpoint: Option<String>,
    sts_region: Option<String>,
    enable_vpc: Option<bool>,
    http: Option<SharedHttpClient>,
    clock: Option<SharedClock>,
    env: Option<Env>,
    cache: Option<CacheConfig>,
    proxy: Option<crate::proxy::ProxyConfig>,
}

impl OidcRoleArnProviderBuilder {
    /// The role to assume.
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    /// The OIDC identity provider: `acs:ram::<account-id>:oidc-provider/<name>`.
    pub fn oidc_provider_arn(mut self, arn: impl Into<String>) -> Self {
        self.oidc_provider_arn = Some(arn.into());
        self
    }

    /// The file holding the OIDC token (re-read on every refresh).
    pub fn oidc_token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.oidc_token_file = Some(path.into());
        self
    }

    /// The session name (default: `ALIBABA_CLOUD_ROLE_SESSION_NAME` or `oss-sdk-rust-<secs>`).
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.role_session_name = Some(name.into());
        self
    }

    /// Lifetime (default 3600 s, at least 900 s).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A session policy (JSON).
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The STS endpoint (or a URL with its scheme).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The STS region (default `ALIBABA_CLOUD_STS_REGION`).
    pub fn sts_region(mut self, region: impl Into<String>) -> Self {
        self.sts_region = Some(region.into());
        self
    }

    /// Use the VPC STS endpoint (default `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`).
    pub fn enable_vpc(mut self, enable: bool) -> Self {
        self.enable_vpc = Some(enable);
        self
    }

    super::refreshing_builder_setters!();

    super::proxy_setter!();

    /// Builds the provider.
    ///
    /// # Errors
    /// [`crate::CredentialsErrorKind::NotConfigured`] when the RoleArn, provider ARN or token
    /// file is neither given nor in the environment; `InvalidConfiguration` for a duration
    /// under 900 s.
    pub fn build(self) -> Result<OidcRoleArnProvider, CredentialsError> {
        let env = self.env.unwrap_or_default();
        let missing = |what: &str, var: &str| {
            CredentialsError::not_configured(NAME, format!("{what} is required (or {var})"))
        };
        let role_arn = self
            .role_arn
            .or_else(|| env.get_non_empty("ALIBABA_CLOUD_ROLE_ARN"))
            .ok_or_else(|| missing("a RoleArn", "ALIBABA_CLOUD_ROLE_ARN"))?;
        let oidc_provider_arn = self
            .oidc_provider_arn
            .or_else(|| env.get_non_empty("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"))
            .ok_or_else(|| missing("an OIDC provider ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"))?;
        let token_file = self
            .oidc_token_file
            .or_else(|| {
                env.get_non_empty("ALIBABA_CLOUD_OIDC_TOKEN_FILE")
                    .map(PathBuf::from)
            })
            .ok_or_else(|| missing("an OIDC token file", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"))?;
        let duration = self.duration.unwrap_or(Duration::from_secs(3600));
        if duration < Duration::from_secs(900) {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                "the duration must be at least 900 seconds",
            ));
        }
        let clock = self.clock.unwrap_or_else(system_clock);
        let fetcher = AssumeRoleWithOidc {
            role_arn,
            oidc_provider_arn,
            token_file,
            role_session_name: session_name(self.role_session_name, &env, &clock),
            duration_secs: duration.as_secs(),
            policy: self.policy,
            endpoint: sts::resolve_endpoint(
                self.sts_endpoint.as_deref(),
                self.sts_region.as_deref(),
                self.enable_vpc,
                &env,
            ),
            http: self.http.unwrap_or_else(|| {
                super::default_http_client(Duration::from_secs(5), self.proxy, &env)
            }),
            clock: clock.clone(),
        };
        Ok(OidcRoleArnProvider {
            cache: CachedProvider::with_config(
                NAME,
                fetcher,
                self.cache.unwrap_or_default(),
                clock,
            ),
        })
    }
}

/// One `AssumeRoleWithOIDC` call per fetch.
#[derive(Debug)]
pub struct AssumeRoleWithOidc {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    role_session_name: String,
    duration_secs: u64,
    policy: Option<String>,
    endpoint: String,
    http: SharedHttpClient,
    clock: SharedClock,
}

impl AssumeRoleWithOidc {
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let token = tokio::fs::read_to_string(&self.token_file)
            .await
            .map_err(|e| {
                CredentialsError::invalid_configuration(
                    NAME,
                    format!(
                        "cannot read the OIDC token file {}",
                        self.token_file.display()
                    ),
                )
                .with_source(e)
            })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                format!("the OIDC token file {} is empty", self.token_file.display()),
            ));
        }
        let query = [
            ("Action".to_owned(), "AssumeRoleWithOIDC".to_owned()),
            ("Version".to_owned(), sts::VERSION.to_owned()),
            ("Format".to_owned(), "JSON".to_owned()),
            ("Timestamp".to_owned(), sts::timestamp(self.clock.now())),
        ];
        let mut form = vec![
            ("RoleArn".to_owned(), self.role_arn.clone()),
            ("OIDCProviderArn".to_owned(), self.oidc_provider_arn.clone()),
            ("OIDCToken".to_owned(), token.to_owned()),
            ("RoleSessionName".to_owned(), self.role_session_name.clone()),
            ("DurationSeconds".to_owned(), self.duration_secs.to_string()),
        ];
        if let Some(policy) = &self.policy {
            form.push(("Policy".to_owned(), policy.clone()));
        }
        let request =
            http::Request::post(format!("{}/?{}", self.endpoint, sts::query_string(&query)))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept-encoding", "identity")
                .body(sts::form_body(&form))
                .map_err(|e| {
                    CredentialsError::invalid_configuration(
                        NAME,
                        format!("invalid STS endpoint: {e}"),
                    )
                })?;
        let span = tracing::debug_span!("assume_role_with_oidc", endpoint = %self.endpoint, role_arn = %self.role_arn);
        tracing::Instrument::instrument(
            sts::call(&self.http, request, Duration::from_secs(10), NAME),
            span,
        )
        .await
    }
}

impl ProvideCredentials for AssumeRoleWithOidc {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.fetch()
    }
}
