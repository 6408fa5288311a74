//! RAM role ARN: temporary credentials from STS `AssumeRole`, signed with the POP HMAC-SHA1
//! signature by a source AccessKey or STS token (which may itself come from another role:
//! chained roles).

use std::future::Future;
use std::time::Duration;

use super::sts;
use crate::cache::{CacheConfig, CachedProvider};
use crate::clock::{SharedClock, system_clock};
use crate::http_client::SharedHttpClient;
use crate::{
    Credentials, CredentialsError, Env, ProvideCredentials, SharedCredentialsProvider, pop,
};

const NAME: &str = "RamRoleArn";

/// Credentials of a RAM role, assumed through STS `AssumeRole` (POST, form body, POP signature
/// with a fresh nonce and timestamp per attempt) and cached with the refresh rules of
/// [`CachedProvider`].
///
/// Build with [`RamRoleArnProvider::builder`]: a source provider (AccessKey or STS token) and a
/// RoleArn are required.
#[derive(Debug, Clone)]
pub struct RamRoleArnProvider {
    cache: CachedProvider<AssumeRole>,
}

impl RamRoleArnProvider {
    /// A builder.
    pub fn builder() -> RamRoleArnProviderBuilder {
        RamRoleArnProviderBuilder::default()
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.cache.provide_credentials()
    }

    fn invalidate(&self, failed: &Credentials) {
        self.cache.invalidate(failed);
    }
}

/// Configures a [`RamRoleArnProvider`].
#[derive(Debug, Default)]
pub struct RamRoleArnProviderBuilder {
    source: Option<SharedCredentialsProvider>,
    role_arn: Option<String>,
    role_session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    external_id: Option<String>,
    sts_endpoint: Option<String>,
    sts_region: Option<String>,
    enable_vpc: Option<bool>,
    http: Option<SharedHttpClient>,
    clock: Option<SharedClock>,
    env: Option<Env>,
    cache: Option<CacheConfig>,
    proxy: Option<crate::proxy::ProxyConfig>,
    timeout: Option<Duration>,
}

impl RamRoleArnProviderBuilder {
    /// The credentials that call `AssumeRole`: an AccessKey, an STS token, or another role.
    pub fn source(mut self, source: impl ProvideCredentials + 'static) -> Self {
        self.source = Some(SharedCredentialsProvider::new(source));
        self
    }

    /// The role: `acs:ram::<account-id>:role/<role-name>` (default: `ALIBABA_CLOUD_ROLE_ARN`).
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    /// The session name (default: `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else
    /// `oss-sdk-rust-<unix seconds>`).
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.role_session_name = Some(name.into());
        self
    }

    /// Lifetime of the temporary credentials (default 3600 s; at least 900 s).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A session policy (JSON) narrowing the role's permissions.
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The external id the role's trust policy requires.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// The STS endpoint (`sts.cn-hangzhou.aliyuncs.com`, or a URL with its scheme).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The STS region (default: `ALIBABA_CLOUD_STS_REGION`).
    pub fn sts_region(mut self, region: impl Into<String>) -> Self {
        self.sts_region = Some(region.into());
        self
    }

    /// Use the VPC endpoint `sts-vpc.<region>.aliyuncs.com` (default:
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`).
    pub fn enable_vpc(mut self, enable: bool) -> Self {
        self.enable_vpc = Some(enable);
        self
    }

    super::refreshing_builder_setters!();

    super::proxy_setter!();

    /// Time allowed for one STS exchange (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Builds the provider. Nothing is fetched until the first use.
    ///
    /// # Errors
    /// [`crate::CredentialsErrorKind::InvalidConfiguration`] without a source or RoleArn, or
    /// with a duration under 900 s.
    pub fn build(self) -> Result<RamRoleArnProvider, CredentialsError> {
        let env = self.env.unwrap_or_default();
        let invalid = |m: &str| CredentialsError::invalid_configuration(NAME, m.to_owned());
        let source = self
            .source
            .ok_or_else(|| invalid("a source provider is required"))?;
        let role_arn = self
            .role_arn
            .or_else(|| env.get_non_empty("ALIBABA_CLOUD_ROLE_ARN"))
            .ok_or_else(|| invalid("a RoleArn is required (or ALIBABA_CLOUD_ROLE_ARN)"))?;
        let clock = self.clock.unwrap_or_else(system_clock);
        let role_session_name = session_name(self.role_session_name, &env, &clock);
        let duration = self.duration.unwrap_or(Duration::from_secs(3600));
        if duration < Duration::from_secs(900) {
            return Err(invalid("the duration must be at least 900 seconds"));
        }
        let endpoint = sts::resolve_endpoint(
            self.sts_endpoint.as_deref(),
            self.sts_region.as_deref(),
            self.enable_vpc,
            &env,
        );
        let assume = AssumeRole {
            source,
            role_arn,
            role_session_name,
            duration_secs: duration.as_secs(),
            policy: self.policy,
            external_id: self.external_id,
            endpoint,
            http: self.http.unwrap_or_else(|| {
                super::default_http_client(Duration::from_secs(5), self.proxy, &env)
            }),
            clock: clock.clone(),
            timeout: self.timeout.unwrap_or(Duration::from_secs(10)),
        };
        Ok(RamRoleArnProvider {
            cache: CachedProvider::with_config(NAME, assume, self.cache.unwrap_or_default(), clock),
        })
    }
}

/// The session name: explicit, `ALIBABA_CLOUD_ROLE_SESSION_NAME`, or `oss-sdk-rust-<secs>`.
pub(crate) fn session_name(explicit: Option<String>, env: &Env, clock: &SharedClock) -> String {
    explicit
        .filter(|n| !n.is_empty())
        .or_else(|| env.get_non_empty("ALIBABA_CLOUD_ROLE_SESSION_NAME"))
        .unwrap_or_else(|| {
            let secs = clock
                .now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("oss-sdk-rust-{secs}")
        })
}

/// One `AssumeRole` call per fetch.
#[derive(Debug)]
pub struct AssumeRole {
    source: SharedCredentialsProvider,
    role_arn: String,
    role_session_name: String,
    duration_secs: u64,
    policy: Option<String>,
    external_id: Option<String>,
    endpoint: String,
    http: SharedHttpClient,
    clock: SharedClock,
    timeout: Duration,
}

impl AssumeRole {
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await?;
        let mut common = vec![
            ("Action".to_owned(), "AssumeRole".to_owned()),
            ("Version".to_owned(), sts::VERSION.to_owned()),
            ("Format".to_owned(), "JSON".to_owned()),
            ("Timestamp".to_owned(), sts::timestamp(self.clock.now())),
            ("SignatureMethod".to_owned(), "HMAC-SHA1".to_owned()),
            ("SignatureVersion".to_owned(), "1.0".to_owned()),
            ("SignatureNonce".to_owned(), sts::nonce()),
            ("AccessKeyId".to_owned(), source.access_key_id().to_owned()),
        ];
        if let Some(token) = source.expose_security_token() {
            common.push(("SecurityToken".to_owned(), token.to_owned()));
        }
        let mut form = vec![
            ("RoleArn".to_owned(), self.role_arn.clone()),
            ("RoleSessionName".to_owned(), self.role_session_name.clone()),
            ("DurationSeconds".to_owned(), self.duration_secs.to_string()),
        ];
        if let Some(policy) = &self.policy {
            form.push(("Policy".to_owned(), policy.clone()));
        }
        if let Some(id) = &self.external_id {
            form.push(("ExternalId".to_owned(), id.clone()));
        }
        let all: Vec<(String, String)> = common.iter().chain(form.iter()).cloned().collect();
        let signature = pop::hmac_sha1_signature(
            source.expose_access_key_secret(),
            &pop::string_to_sign("POST", &all),
        );
        common.push(("Signature".to_owned(), signature));
        let request =
            http::Request::post(format!("{}/?{}", self.endpoint, sts::query_string(&common)))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept-encoding", "identity")
                .header("x-acs-credentials-provider", source.provider_name())
                .body(sts::form_body(&form))
                .map_err(|e| {
                    CredentialsError::invalid_configuration(
                        NAME,
                        format!("invalid STS endpoint: {e}"),
                    )
                })?;
        let span = tracing::debug_span!("assume_role", endpoint = %self.endpoint, role_arn = %self.role_arn);
        tracing::Instrument::instrument(sts::call(&self.http, request, self.timeout, NAME), span)
            .await
    }
}

impl ProvideCredentials for AssumeRole {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.fetch()
    }

    fn invalidate(&self, failed: &Credentials) {
        self.source.invalidate(failed);
    }
}
