//! The default credentials chain, in the order of the official credentials libraries.

use std::future::Future;
use std::sync::Mutex;

use tracing::Instrument as _;

use super::config::ProviderConfig;
use super::credentials_uri::CredentialsUriProvider;
use super::ecs_ram_role::EcsRamRoleProvider;
use super::oidc_role_arn::OidcRoleArnProvider;
use super::profile_cli::CliProfileProvider;
use super::profile_ini::IniProfileProvider;
use crate::{
    Credentials, CredentialsError, EnvironmentCredentialsProvider, ProvideCredentials,
    SharedCredentialsProvider,
};

const NAME: &str = "DefaultChain";

/// Tries, in order:
/// 1. `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (/
///    `ALIBABA_CLOUD_SECURITY_TOKEN`);
/// 2. OIDC role ARN, only when `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set;
/// 3. the aliyun CLI profile (`~/.aliyun/config.json`), unless
///    `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`;
/// 4. the INI credentials file (`ALIBABA_CLOUD_CREDENTIALS_FILE` or
///    `~/.alibabacloud/credentials.ini`, then `~/.alibabacloud/credentials`);
/// 5. the ECS RAM role, unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`;
/// 6. the credentials URI, only when `ALIBABA_CLOUD_CREDENTIALS_URI` is set.
///
/// The environment is read when the chain runs, not when it is built. A provider that is not
/// configured passes to the next; any other error stops the chain. The first provider that
/// succeeds is remembered and used alone afterwards (with its own refresh cache). When every
/// provider is unconfigured, the error lists each attempt. Each attempt is traced (DEBUG span
/// `credentials_chain_attempt`).
///
/// The OSS SDKs' own `OSS_ACCESS_KEY_ID` variables are not part of this chain, as in the
/// official libraries: choose [`EnvironmentCredentialsProvider::oss`] for them.
#[derive(Debug, Default)]
pub struct DefaultCredentialsChain {
    config: ProviderConfig,
    chosen: Mutex<Option<(&'static str, SharedCredentialsProvider)>>,
}

impl DefaultCredentialsChain {
    /// The chain over the real environment, files, clock and network.
    pub fn new() -> Self {
        Self::default()
    }

    /// The chain with replaced environment, home directory, clock, HTTP client or endpoints.
    pub fn with_config(config: ProviderConfig) -> Self {
        Self {
            config,
            chosen: Mutex::new(None),
        }
    }

    /// The name of the provider the chain settled on, once one succeeded.
    pub fn chosen_provider(&self) -> Option<&'static str> {
        self.chosen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|(n, _)| *n)
    }

    /// The steps that apply now, in order.
    fn steps(
        &self,
    ) -> Vec<(
        &'static str,
        Result<SharedCredentialsProvider, CredentialsError>,
    )> {
        let c = &self.config;
        let env = &c.env;
        let mut steps = vec![(
            "Environment",
            Ok(SharedCredentialsProvider::new(
                EnvironmentCredentialsProvider::alibaba_cloud().with_env(env.clone()),
            )),
        )];
        let oidc_vars = [
            "ALIBABA_CLOUD_ROLE_ARN",
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
        ];
        if oidc_vars.iter().all(|v| env.get_non_empty(v).is_some()) {
            let builder = OidcRoleArnProvider::builder().env(env.clone());
            steps.push((
                "OidcRoleArn",
                super::apply_oidc_config(builder, c)
                    .build()
                    .map(SharedCredentialsProvider::new),
            ));
        }
        if !c.flag("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            steps.push((
                "CliProfile",
                Ok(SharedCredentialsProvider::new(CliProfileProvider::new(
                    c.clone(),
                ))),
            ));
        }
        steps.push((
            "IniProfile",
            Ok(SharedCredentialsProvider::new(IniProfileProvider::new(
                c.clone(),
            ))),
        ));
        if !c.flag("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            steps.push((
                "EcsRamRole",
                EcsRamRoleProvider::builder()
                    .provider_config(c)
                    .build()
                    .map(SharedCredentialsProvider::new),
            ));
        }
        if env.get_non_empty("ALIBABA_CLOUD_CREDENTIALS_URI").is_some() {
            let mut builder = CredentialsUriProvider::builder().env(env.clone());
            if let Some(http) = &c.http {
                builder = builder.http_client(http.clone());
            }
            if let Some(proxy) = &c.proxy {
                builder = builder.proxy(proxy.clone());
            }
            if let Some(clock) = &c.clock {
                builder = builder.clock(clock.clone());
            }
            steps.push((
                "CredentialsUri",
                builder.build().map(SharedCredentialsProvider::new),
            ));
        }
        steps
    }

    async fn run(&self) -> Result<Credentials, CredentialsError> {
        let chosen = self
            .chosen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some((_, provider)) = chosen {
            return provider.provide_credentials().await;
        }
        let mut attempts = Vec::new();
        for (name, step) in self.steps() {
            let span = tracing::debug_span!("credentials_chain_attempt", provider = name);
            let outcome = async {
                let provider = step?;
                let credentials = provider.provide_credentials().await?;
                Ok::<_, CredentialsError>((provider, credentials))
            }
            .instrument(span.clone())
            .await;
            match outcome {
                Ok((provider, credentials)) => {
                    span.in_scope(|| tracing::debug!("credentials found"));
                    *self.chosen.lock().unwrap_or_else(|e| e.into_inner()) = Some((name, provider));
                    return Ok(credentials);
                }
                Err(e) if e.is_not_configured() => {
                    span.in_scope(
                        || tracing::debug!(reason = %e, "not configured; trying the next provider"),
                    );
                    attempts.push(format!("{name}: {e}"));
                }
                Err(e) => {
                    span.in_scope(|| tracing::debug!(error = %e, "failed; stopping the chain"));
                    attempts.push(format!("{name}: {e}"));
                    return Err(CredentialsError::provider_error(
                        NAME,
                        format!(
                            "{name} is configured but failed; attempts: {}",
                            attempts.join("; ")
                        ),
                    )
                    .with_source(e));
                }
            }
        }
        Err(CredentialsError::not_configured(
            NAME,
            format!(
                "no provider in the chain has credentials; attempts: {}",
                attempts.join("; ")
            ),
        ))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(
        &self,
    ) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send {
        self.run()
    }

    fn invalidate(&self, failed: &Credentials) {
        let chosen = self
            .chosen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some((_, provider)) = chosen {
            provider.invalidate(failed);
        }
    }
}
