//! The aliyun CLI configuration file `~/.aliyun/config.json` (or `ALIBABA_CLOUD_CONFIG_FILE`):
//! profile from the caller, `ALIBABA_CLOUD_PROFILE`, or the file's `current`.
//! Modes: `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`,
//! `CredentialsURI`.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::OnceCell;

use super::cli_config_file::{self, CliConfig, CliProfile};
use super::config::ProviderConfig;
use super::credentials_uri::CredentialsUriProvider;
use super::ecs_ram_role::EcsRamRoleProvider;
use super::oidc_role_arn::OidcRoleArnProvider;
use super::profile_ini::show_paths;
use super::ram_role_arn::RamRoleArnProvider;
use crate::{
    Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
    StaticCredentialsProvider,
};

const NAME: &str = "CliProfile";

/// Credentials described by a profile of the aliyun CLI configuration. The file is read on
/// first use and the provider it describes is kept. Disabled by
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`.
#[derive(Debug)]
pub struct CliProfileProvider {
    config: ProviderConfig,
    path: Option<PathBuf>,
    profile: Option<String>,
    resolved: OnceCell<SharedCredentialsProvider>,
}

impl CliProfileProvider {
    /// The file and profile chosen by the environment.
    pub fn new(config: ProviderConfig) -> Self {
        Self {
            config,
            path: None,
            profile: None,
            resolved: OnceCell::new(),
        }
    }

    /// Reads this file instead.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile instead.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn path(&self) -> Option<PathBuf> {
        self.path
            .clone()
            .or_else(|| {
                self.config
                    .env
                    .get_non_empty("ALIBABA_CLOUD_CONFIG_FILE")
                    .map(PathBuf::from)
            })
            .or_else(|| {
                self.config
                    .home()
                    .map(|h| h.join(".aliyun").join("config.json"))
            })
    }

    /// The `region_id` of the chosen profile (the one given to [`with_profile`](Self::with_profile),
    /// else `ALIBABA_CLOUD_PROFILE`, else the file's `current`, else `default`), read from the
    /// file now (blocking). `Ok(None)` when the file is absent or disabled, or the profile is
    /// not in it or has no region.
    ///
    /// # Errors
    /// [`CredentialsError`] (invalid configuration) when the file cannot be read or parsed.
    pub fn region(&self) -> Result<Option<String>, CredentialsError> {
        if self.config.flag("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            return Ok(None);
        }
        let Some(path) = self.path().filter(|p| p.is_file()) else {
            return Ok(None);
        };
        let text = std::fs::read(&path).map_err(|e| {
            CredentialsError::invalid_configuration(NAME, format!("cannot read {}", path.display()))
                .with_source(e)
        })?;
        let file = cli_config_file::parse(&path, &text)
            .map_err(|why| CredentialsError::invalid_configuration(NAME, why))?;
        let name = self.profile_name(&file);
        Ok(file
            .profiles
            .into_iter()
            .find(|p| p.name == name)
            .map(|p| p.region_id)
            .filter(|r| !r.is_empty()))
    }

    /// The profile to use: the caller's, `ALIBABA_CLOUD_PROFILE`, the file's `current`, or
    /// `default`.
    fn profile_name(&self, file: &CliConfig) -> String {
        self.profile
            .clone()
            .or_else(|| self.config.env.get_non_empty("ALIBABA_CLOUD_PROFILE"))
            .or_else(|| file.current.clone().filter(|c| !c.is_empty()))
            .unwrap_or_else(|| "default".to_owned())
    }

    async fn resolve(&self) -> Result<SharedCredentialsProvider, CredentialsError> {
        if self.config.flag("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            return Err(CredentialsError::not_configured(
                NAME,
                "disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true",
            ));
        }
        let paths: Vec<PathBuf> = self.path().into_iter().collect();
        let Some(path) = paths.iter().find(|p| p.is_file()) else {
            return Err(CredentialsError::not_configured(
                NAME,
                format!("no CLI configuration at {}", show_paths(&paths)),
            ));
        };
        let text = tokio::fs::read(path).await.map_err(|e| {
            CredentialsError::invalid_configuration(NAME, format!("cannot read {}", path.display()))
                .with_source(e)
        })?;
        let file = cli_config_file::parse(path, &text)
            .map_err(|why| CredentialsError::invalid_configuration(NAME, why))?;
        let name = self.profile_name(&file);
        let provider = self
            .build(&file, &name, &mut Vec::new())
            .map_err(|e| e.in_file(path))?;
        tracing::debug!(file = %path.display(), profile = %name, "CLI profile loaded");
        Ok(provider)
    }

    fn build(
        &self,
        file: &CliConfig,
        name: &str,
        seen: &mut Vec<String>,
    ) -> Result<SharedCredentialsProvider, CredentialsError> {
        if seen.iter().any(|s| s == name) {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                format!(
                    "profiles form a cycle through source_profile: {} -> {name}",
                    seen.join(" -> ")
                ),
            ));
        }
        seen.push(name.to_owned());
        let p = file
            .profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                CredentialsError::not_configured(
                    NAME,
                    format!(
                        "no profile {name:?} (the file has {})",
                        file.profile_names()
                    ),
                )
            })?;
        let invalid = |what: &str| {
            CredentialsError::invalid_configuration(
                NAME,
                format!("profile {name:?} (mode {}) needs {what}", p.mode),
            )
        };
        let non_empty = |v: &str, what: &str| {
            if v.is_empty() {
                Err(invalid(what))
            } else {
                Ok(v.to_owned())
            }
        };
        let access_key = || -> Result<StaticCredentialsProvider, CredentialsError> {
            StaticCredentialsProvider::new(
                non_empty(&p.access_key_id, "access_key_id")?,
                non_empty(&p.access_key_secret, "access_key_secret")?,
            )
        };
        let provider = match p.mode.as_str() {
            "AK" => SharedCredentialsProvider::new(access_key()?),
            "StsToken" => {
                SharedCredentialsProvider::new(StaticCredentialsProvider::with_security_token(
                    non_empty(&p.access_key_id, "access_key_id")?,
                    non_empty(&p.access_key_secret, "access_key_secret")?,
                    non_empty(&p.sts_token, "sts_token")?,
                )?)
            }
            "RamRoleArn" => {
                let source = if p.sts_token.is_empty() {
                    SharedCredentialsProvider::new(access_key()?)
                } else {
                    SharedCredentialsProvider::new(StaticCredentialsProvider::with_security_token(
                        p.access_key_id.clone(),
                        p.access_key_secret.clone(),
                        p.sts_token.clone(),
                    )?)
                };
                self.role(p, source)?
            }
            "ChainableRamRoleArn" => {
                let source =
                    self.build(file, &non_empty(&p.source_profile, "source_profile")?, seen)?;
                self.role(p, source)?
            }
            "EcsRamRole" => {
                let mut builder = EcsRamRoleProvider::builder().provider_config(&self.config);
                if !p.ram_role_name.is_empty() {
                    builder = builder.role_name(p.ram_role_name.clone());
                }
                SharedCredentialsProvider::new(builder.build()?)
            }
            "OIDC" => {
                let mut builder = OidcRoleArnProvider::builder()
                    .role_arn(non_empty(&p.ram_role_arn, "ram_role_arn")?)
                    .oidc_provider_arn(non_empty(&p.oidc_provider_arn, "oidc_provider_arn")?)
                    .oidc_token_file(non_empty(&p.oidc_token_file, "oidc_token_file")?)
                    .env(self.config.env.clone());
                if let Some(session) = [&p.ram_session_name, &p.role_session_name]
                    .into_iter()
                    .find(|s| !s.is_empty())
                {
                    builder = builder.role_session_name(session.clone());
                }
                if p.expired_seconds > 0 {
                    builder = builder.duration(Duration::from_secs(p.expired_seconds));
                }
                if !p.policy.is_empty() {
                    builder = builder.policy(p.policy.clone());
                }
                if !p.sts_region.is_empty() {
                    builder = builder
                        .sts_region(p.sts_region.clone())
                        .enable_vpc(p.enable_vpc);
                }
                SharedCredentialsProvider::new(
                    super::apply_oidc_config(builder, &self.config).build()?,
                )
            }
            "CredentialsURI" => {
                let mut builder = CredentialsUriProvider::builder()
                    .uri(non_empty(&p.credentials_uri, "credentials_uri")?)
                    .env(self.config.env.clone());
                if let Some(http) = &self.config.http {
                    builder = builder.http_client(http.clone());
                }
                if let Some(clock) = &self.config.clock {
                    builder = builder.clock(clock.clone());
                }
                SharedCredentialsProvider::new(builder.build()?)
            }
            other => {
                return Err(CredentialsError::invalid_configuration(
                    NAME,
                    format!("profile {name:?} has unsupported mode {other:?}"),
                ));
            }
        };
        Ok(provider)
    }

    fn role(
        &self,
        p: &CliProfile,
        source: SharedCredentialsProvider,
    ) -> Result<SharedCredentialsProvider, CredentialsError> {
        if p.ram_role_arn.is_empty() {
            return Err(CredentialsError::invalid_configuration(
                NAME,
                format!("profile {:?} (mode {}) needs ram_role_arn", p.name, p.mode),
            ));
        }
        let mut builder = RamRoleArnProvider::builder()
            .source(source)
            .role_arn(p.ram_role_arn.clone())
            .env(self.config.env.clone());
        if !p.ram_session_name.is_empty() {
            builder = builder.role_session_name(p.ram_session_name.clone());
        }
        if p.expired_seconds > 0 {
            builder = builder.duration(Duration::from_secs(p.expired_seconds));
        }
        if !p.policy.is_empty() {
            builder = builder.policy(p.policy.clone());
        }
        if !p.external_id.is_empty() {
            builder = builder.external_id(p.external_id.clone());
        }
        if !p.sts_region.is_empty() {
            builder = builder
                .sts_region(p.sts_region.clone())
                .enable_vpc(p.enable_vpc);
        }
        Ok(SharedCredentialsProvider::new(
            super::apply_sts_config(builder, &self.config).build()?,
        ))
    }
}

impl ProvideCredentials for CliProfileProvider {
    async fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let provider = self.resolved.get_or_try_init(|| self.resolve()).await?;
        provider.provide_credentials().await
    }

    fn invalidate(&self, failed: &Credentials) {
        if let Some(provider) = self.resolved.get() {
            provider.invalidate(failed);
        }
    }
}
